//===- SleepInAtomicCheck.cpp - kernel-sleep-in-atomic --------------------===//
//
// Rule: a call that may sleep must not run in atomic context. The engine
// already knows, for every event, which atomic contexts may be active
// (TUAnalysis::states) and whether the event may sleep there
// (TUAnalysis::sleepAt: a sleeping primitive, an allocation whose GFP mask has
// __GFP_DIRECT_RECLAIM, or a function of this TU whose summary sleeps, with
// GFP parameters substituted). This check reports where both hold.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Check.h"

namespace kdlint {
namespace {

class SleepInAtomicCheck : public Check {
public:
  llvm::StringRef name() const override { return "kernel-sleep-in-atomic"; }
  llvm::StringRef summary() const override {
    return "a call that may sleep in atomic context (spinlock held, interrupts "
           "or preemption disabled, RCU, IRQ/timer/tasklet/NAPI callbacks)";
  }

  void run(const TUAnalysis &A, DiagnosticSink &Out) override {
    for (const auto &F : A.facts().Functions) {
      const std::vector<CtxState> &States = A.states(*F);
      // Report in source order.
      for (unsigned I : checkutil::sourceOrder(*F)) {
        const CtxState &S = States[I];
        if (!S.atomic())
          continue;
        std::optional<SleepFact> SF = A.sleepAt(*F, I, S);
        // A sleep that depends on the caller's GFP mask or on the caller's
        // regmap is the caller's concern; one that only happens outside
        // interrupt context is fine in an interrupt context.
        if (!SF || (SF->Param >= 0 && (SF->Cond.Gfp || SF->Cond.Handle)))
          continue;
        llvm::SmallVector<const Held *, 2> Still = A.heldDuring(S, *SF);
        if (Still.empty())
          continue; // the callee leaves the lock before it sleeps
        if (SF->UnlessInterrupt &&
            llvm::any_of(Still, [](const Held *H) { return H->Context->Interrupt; }))
          continue;
        report(*F, F->Events[I], Still, *SF, A, Out);
      }
    }
  }

private:
  void report(const FunctionFacts &F, const Event &E,
              llvm::ArrayRef<const Held *> Still, const SleepFact &SF,
              const TUAnalysis &A, DiagnosticSink &Out) {
    const Held &H = *Still.back();
    std::string While = H.Context->While;
    std::string Msg;
    std::vector<Note> Notes;
    if (E.Callee || (!E.Prim && !E.Gfp)) { // this file's, or another's (the link)
      Msg = "call to '" + E.Name + "'" +
            (SF.CallerGfp.empty() ? "" : " with " + SF.CallerGfp) +
            " may sleep while " + While;
    } else if (E.Gfp && (!E.Prim || E.Prim->Kind == PrimitiveKind::Alloc)) {
      // An allocator, or a function given a blocking mask (Analysis::sleepAt).
      Msg = "'" + E.Name + "' with " + A.gfpName(*E.Gfp) +
            " may sleep while " + While;
    } else {
      Msg = "sleeping function '" + E.Name + "' called while " + While;
    }
    // Where each active atomic context began, outermost first.
    for (const Held *Ctx : Still)
      for (const Step &St : Ctx->Evidence)
        Notes.push_back({St.Loc, St.Text});
    // The way down to the primitive that sleeps.
    for (const Step &St : SF.Chain)
      if (!St.Text.empty())
        Notes.push_back({St.Loc, St.Text});
    if (!E.Callee && E.Gfp && SF.Chain.size() == 1 &&
        (!E.Prim || E.Prim->Kind == PrimitiveKind::Alloc))
      Notes.back().Text += "; use GFP_ATOMIC or GFP_NOWAIT here, or allocate "
                           "before entering atomic context";
    Out.report(name(), E.Loc, Msg, Notes);
  }
};

} // namespace

std::unique_ptr<Check> createSleepInAtomicCheck() {
  return std::make_unique<SleepInAtomicCheck>();
}

} // namespace kdlint

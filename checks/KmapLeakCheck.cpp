//===- KmapLeakCheck.cpp - kernel-kmap-leak -------------------------------===//
//
// Rule (Documentation/mm/highmem.rst): every kmap() is undone by kunmap() of
// the page, every kmap_atomic()/kmap_local_page() by kunmap_atomic()/
// kunmap_local() of the returned address, on every path; local and atomic
// mappings nest and must be released in the reverse order they were made.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Check.h"

namespace kdlint {
namespace {

class KmapLeakCheck : public Check {
public:
  llvm::StringRef name() const override { return "kernel-kmap-leak"; }
  llvm::StringRef summary() const override {
    return "a kmap/kmap_atomic/kmap_local mapping not unmapped on some path, "
           "unmapped out of order, or unmapped with the wrong argument";
  }

  void run(const TUAnalysis &A, DiagnosticSink &Out) override {
    checkutil::reportLeaks(A, Out, name(), ResourceClass::Kmap, false);
    checkutil::reportBadReleases(A, Out, name(), ResourceClass::Kmap);
    const ResourceAnalysis &RA = A.resources();
    for (const auto &F : A.facts().Functions) {
      const std::vector<ResState> &States = RA.states(*F);
      for (unsigned I : checkutil::sourceOrder(*F)) {
        const Event &E = F->Events[I];
        const Releaser *Rel = E.Prim ? E.Prim->Rel : nullptr;
        if (!Rel || Rel->Frees.empty() ||
            Rel->Frees.front().Fam->Class != ResourceClass::Kmap ||
            unsigned(Rel->Arg) >= E.RArgs.size())
          continue;
        const ArgInfo &Arg = E.RArgs[Rel->Arg];
        const ResState &S = States[I];
        for (unsigned J = 0; J < S.Insts.size(); ++J) {
          const ResInst &R = S.Insts[J];
          if (R.family()->Class != ResourceClass::Kmap || !Rel->accepts(R.family(), ~0u))
            continue;
          bool ByHandle = R.named(Arg);
          bool ByArg = R.byArg(Arg.Key);
          if (Rel->TakesAcquireArg ? (ByHandle && !ByArg) : (ByArg && !ByHandle)) {
            wrongArgument(A, *F, E, R, Arg, Out);
            break;
          }
          // Only a mapping still held on every path here: a variable reused
          // for a second mapping after the first was unmapped names both.
          if (!(Rel->TakesAcquireArg ? ByArg : ByHandle) || !R.family()->Lifo ||
              R.May != ResInst::Held)
            continue;
          // Nested local mappings: everything mapped after this one must
          // already be gone.
          for (unsigned K = J + 1; K < S.Insts.size(); ++K) {
            const ResInst &Later = S.Insts[K];
            if (!Later.family()->Lifo || Later.May != ResInst::Held)
              continue;
            const Event &LA = F->Events[Later.Acq];
            Out.report(name(), E.Loc,
                       "'" + E.Name + "' of " + checkutil::handleName(R, *F) +
                           " while " + checkutil::handleName(Later, *F) +
                           ", mapped after it, is still mapped: local mappings "
                           "must be unmapped in the reverse order",
                       {{F->Events[R.Acq].Loc, "mapped here by '" +
                                                   F->Events[R.Acq].Name + "'"},
                        {LA.Loc, "mapped later here by '" + LA.Name + "'"}});
            break;
          }
          break;
        }
      }
    }
  }

private:
  void wrongArgument(const TUAnalysis &A, const FunctionFacts &F, const Event &E,
                     const ResInst &R, const ArgInfo &Arg, DiagnosticSink &Out) {
    const Event &Acq = F.Events[R.Acq];
    bool WantsPage = E.Prim->Rel->TakesAcquireArg;
    std::string Right = WantsPage ? R.ArgText : R.HandleText;
    std::string Msg = "'" + E.Name + "' takes the " +
                      (WantsPage ? std::string("page") : std::string("mapped address")) +
                      ", not the " + (WantsPage ? "address '" : "page '") + Arg.Text +
                      "'" + (Right.empty() ? "" : "; pass '" + Right + "'");
    std::vector<FixIt> Fixes;
    if (!Right.empty() && Arg.Range.isValid() && Arg.Text != Right)
      Fixes.push_back({Arg.Range, Right});
    Out.report(name(), E.Loc, Msg,
               {{Acq.Loc, "'" + Right + "' is " +
                              (WantsPage ? "the page mapped here by '"
                                         : "the address returned here by '") +
                              Acq.Name + "'"}},
               Fixes);
  }
};

} // namespace

std::unique_ptr<Check> createKmapLeakCheck() {
  return std::make_unique<KmapLeakCheck>();
}

} // namespace kdlint

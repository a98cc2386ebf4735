//===- AllocFreeMismatchCheck.cpp - kernel-alloc-free-mismatch ------------===//
//
// Rule: memory goes back to the allocator family it came from (kfree for
// kmalloc, vfree for vmalloc, kvfree for kvmalloc, kmem_cache_free for a
// cache, free_pages with the same order for __get_free_pages, __free_pages
// for alloc_pages), and devm_ memory is never freed by hand. Which releases
// accept which families is model data with kernel versions (kfree accepts
// kmem_cache objects from 6.4 on). The analysis follows each allocation
// through the variables and fields that name it; a free reached by a family
// it does not accept is reported, unless the function (or, for a field, the
// TU) also frees that family correctly on a correlated branch.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Check.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"

namespace kdlint {
namespace {

bool memoryClass(const Family *F) {
  return F->Class == ResourceClass::Memory || F->Class == ResourceClass::Pages;
}

class AllocFreeMismatchCheck : public Check {
public:
  llvm::StringRef name() const override { return "kernel-alloc-free-mismatch"; }
  llvm::StringRef summary() const override {
    return "memory freed by a function of another allocator family, devm_ "
           "memory freed by hand, pages freed with another order";
  }

  void run(const TUAnalysis &A, DiagnosticSink &Out) override {
    const ResourceAnalysis &RA = A.resources();
    const clang::SourceManager &SM = A.sourceManager();
    for (const auto &F : A.facts().Functions) {
      const std::vector<ResState> &States = RA.states(*F);
      for (unsigned I : checkutil::sourceOrder(*F, SM)) {
        const Event &E = F->Events[I];
        const Releaser *Rel = E.Prim ? E.Prim->Rel : nullptr;
        if (!Rel || Rel->Frees.empty() || !memoryClass(Rel->Frees.front().Fam) ||
            unsigned(Rel->Arg) >= E.RArgs.size())
          continue;
        const ArgInfo &Arg = E.RArgs[Rel->Arg];
        const ResState &S = States[I];
        bool Local = false;
        for (const ResInst &R : S.Insts) {
          if (!R.named(Arg) || R.May == ResInst::Released)
            continue;
          Local = true;
          if (!Rel->accepts(R.family(), versionOf(RA))) {
            if (!freedRightLocally(*F, Arg, R.family(), RA))
              reportFamily(A, *F, E, R.family(), F->Events[R.Acq], *F, Out);
            break;
          }
          checkOrder(E, Rel, F->Events[R.Acq], R.A, Out);
        }
        if (Local || !Arg.Field)
          continue;
        // Memory kept in a struct field: stored by one function, freed here.
        auto Stores = RA.fieldStores().find(Arg.Field);
        if (Stores == RA.fieldStores().end())
          continue;
        // Only when no allocation stored there is one it accepts.
        if (llvm::any_of(Stores->second, [&](const FieldUse &St) {
              return Rel->accepts(St.Fam, versionOf(RA));
            }))
          continue;
        for (const FieldUse &St : Stores->second) {
          if (Rel->accepts(St.Fam, versionOf(RA)) ||
              freedRightLocally(*F, Arg, St.Fam, RA))
            continue;
          reportFamily(A, *F, E, St.Fam, St.F->Events[St.Acq], *St.F, Out,
                       &St.F->Events[St.Event]);
          break;
        }
      }
    }
  }

private:
  static unsigned versionOf(const ResourceAnalysis &RA) {
    return RA.version() ? RA.version() : ~0u;
  }

  /// A release of the same name elsewhere in the function that accepts the
  /// family: the author handles it on a correlated branch.
  static bool freedRightLocally(const FunctionFacts &F, const ArgInfo &Arg,
                                const Family *Fam, const ResourceAnalysis &RA) {
    for (const Event &E : F.Events)
      if (E.Prim && E.Prim->Rel && unsigned(E.Prim->Rel->Arg) < E.RArgs.size() &&
          E.RArgs[E.Prim->Rel->Arg].Key == Arg.Key &&
          E.Prim->Rel->accepts(Fam, versionOf(RA)))
        return true;
    return false;
  }

  void reportFamily(const TUAnalysis &A, const FunctionFacts &F, const Event &E,
                    const Family *Fam, const Event &Acq, const FunctionFacts &AcqF,
                    DiagnosticSink &Out, const Event *Store = nullptr) {
    std::string Right = A.model().releaseName(Fam);
    std::string Msg;
    std::vector<FixIt> Fixes;
    if (Fam->Managed) {
      Msg = "'" + E.Name + "' frees " + Fam->What + " from '" + Acq.Name +
            "': the driver core frees it again when the device is unbound; "
            "drop the call or use '" + Right + "'";
    } else {
      Msg = "'" + E.Name + "' frees " + Fam->What + " from '" + Acq.Name +
            "'; use '" + Right + "'";
      // Certain only when the right release is a drop-in: the same argument
      // names the memory, and neither takes an order.
      const Releaser *Want = A.model().lookup(Right) ? A.model().lookup(Right)->Rel
                                                     : nullptr;
      const Releaser *Have = E.Prim->Rel;
      if (Want && Want->Arg == Have->Arg && Want->OrderArg < 0 &&
          Want->Order < 0 && Have->OrderArg < 0 && Have->Order < 0 &&
          !Want->TakesAcquireArg && !Have->TakesAcquireArg)
        if (clang::CharSourceRange R = checkutil::calleeRange(E, A.sourceManager());
            R.isValid())
          Fixes.push_back({R, Right});
    }
    std::vector<Note> Notes;
    Notes.push_back({Acq.Loc, "allocated here by '" + Acq.Name + "'" +
                                  (&AcqF != &F ? " in '" + AcqF.Name + "'" : "")});
    if (Store)
      Notes.push_back({Store->Loc, "stored in '" + Store->Target.Text + "' here"});
    Out.report(name(), E.Loc, Msg, Notes, Fixes);
  }

  void checkOrder(const Event &E, const Releaser *Rel, const Event &Acq,
                  const Acquirer *Aq, DiagnosticSink &Out) {
    std::optional<uint64_t> Freed = checkutil::orderOf(E, Rel->OrderArg, Rel->Order);
    std::optional<uint64_t> Got = checkutil::orderOf(Acq, Aq->OrderArg, Aq->Order);
    if (!Freed || !Got || *Freed == *Got)
      return;
    Out.report(name(), E.Loc,
               "'" + E.Name + "' frees order " + std::to_string(*Freed) +
                   " but '" + Acq.Name + "' allocated order " + std::to_string(*Got),
               {{Acq.Loc, "allocated here with order " + std::to_string(*Got)}});
  }
};

} // namespace

std::unique_ptr<Check> createAllocFreeMismatchCheck() {
  return std::make_unique<AllocFreeMismatchCheck>();
}

} // namespace kdlint

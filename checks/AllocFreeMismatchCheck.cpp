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
    for (const auto &F : A.facts().Functions) {
      const std::vector<ResState> &States = RA.states(*F);
      for (unsigned I : checkutil::sourceOrder(*F)) {
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
              reportFamily(A, E, R.family(), F->Events[R.Acq].Name,
                           {F->Events[R.Acq].Loc, allocated(F->Events[R.Acq].Name, "")}, {},
                           Out);
            break;
          }
          checkOrder(E, Rel, F->Events[R.Acq], R.A, Out);
        }
        if (Local || !Arg.Field)
          continue;
        // Memory kept in a struct field: stored by one function, freed here,
        // or by a function of another file of the run (the link).
        checkutil::FieldStoresOf Stored = checkutil::fieldStoresOf(A, Arg.Field);
        const auto &Here = Stored.Here;
        const auto &There = Stored.There;
        // Only when no allocation stored there is one it accepts; when one
        // is, only when no page allocation it accepts has the order it frees.
        if (llvm::any_of(Here, [&](const FieldUse &St) {
              return Rel->accepts(St.Fam, versionOf(RA));
            }) ||
            llvm::any_of(There, [&](const auto &P) {
              return Rel->accepts(P.second, versionOf(RA));
            })) {
          checkFieldOrder(A, E, Rel, Stored, Out);
          continue;
        }
        bool Reported = false;
        for (const FieldUse &St : Here) {
          if (freedRightLocally(*F, Arg, St.Fam, RA))
            continue;
          const Event &Acq = St.F->Events[St.Acq];
          reportFamily(A, E, St.Fam, Acq.Name,
                       {Acq.Loc, allocated(Acq.Name, St.F != F.get() ? St.F->Name : "")},
                       {St.F->Events[St.Event].Loc,
                        "stored in '" + St.F->Events[St.Event].Target.Text + "' here"},
                       Out);
          Reported = true;
          break;
        }
        for (const auto &[X, Fam] : There) {
          if (Reported || !memoryClass(Fam) || freedRightLocally(*F, Arg, Fam, RA))
            continue;
          SourceLoc AcqLoc = A.locate(X->Acquired);
          if (AcqLoc.isInvalid())
            continue;
          reportFamily(A, E, Fam, X->Acquirer, {AcqLoc, allocated(X->Acquirer, X->Function)},
                       {A.locate(X->Stored), X->Stored.Text}, Out);
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

  static std::string allocated(llvm::StringRef Acquirer, llvm::StringRef In) {
    return "allocated here by '" + Acquirer.str() + "'" +
           (In.empty() ? std::string() : " in '" + In.str() + "'");
  }

  /// \p E frees memory of \p Fam that \p Acquirer allocated (note \p Acq),
  /// stored in a field (note \p Store, when valid).
  void reportFamily(const TUAnalysis &A, const Event &E, const Family *Fam,
                    llvm::StringRef Acquirer, Note Acq, Note Store, DiagnosticSink &Out) {
    std::string Right = A.model().releaseName(Fam);
    std::string Msg;
    std::vector<FixIt> Fixes;
    if (Fam->Managed) {
      Msg = "'" + E.Name + "' frees " + Fam->What + " from '" + Acquirer.str() +
            "': the driver core frees it again when the device is unbound; "
            "drop the call or use '" + Right + "'";
    } else {
      Msg = "'" + E.Name + "' frees " + Fam->What + " from '" + Acquirer.str() +
            "'; use '" + Right + "'";
      // Certain only when the right release is a drop-in: the same argument
      // names the memory, and neither takes an order.
      const Releaser *Want = A.model().lookup(Right) ? A.model().lookup(Right)->Rel
                                                     : nullptr;
      const Releaser *Have = E.Prim->Rel;
      if (Want && Want->Arg == Have->Arg && Want->OrderArg < 0 &&
          Want->Order < 0 && Have->OrderArg < 0 && Have->Order < 0 &&
          !Want->TakesAcquireArg && !Have->TakesAcquireArg)
        if (LocRange R = checkutil::calleeRange(E);
            R.isValid())
          Fixes.push_back({R, Right});
    }
    std::vector<Note> Notes{std::move(Acq)};
    if (Store.Loc.isValid())
      Notes.push_back(std::move(Store));
    Out.report(name(), E.Loc, Msg, Notes, Fixes);
  }

  /// \p E frees, with a known order, pages kept in a field: reported when
  /// every allocation stored there that it accepts has a known order, and
  /// none the one it frees (__get_free_pages(GFP_KERNEL, 2) stored by probe,
  /// here or in another file of the driver, and free_pages(priv->buf, 1)).
  void checkFieldOrder(const TUAnalysis &A, const Event &E, const Releaser *Rel,
                       const checkutil::FieldStoresOf &Stored, DiagnosticSink &Out) {
    std::optional<uint64_t> Freed = orderOf(E, Rel->OrderArg, Rel->Order);
    if (!Freed)
      return;
    unsigned V = versionOf(A.resources());
    std::optional<Note> Acq, Store;
    std::string Acquirer;
    uint64_t Got = 0;
    for (const FieldUse &St : Stored.Here) {
      if (!Rel->accepts(St.Fam, V))
        continue;
      const Event &AE = St.F->Events[St.Acq];
      std::optional<uint64_t> O = acquiredOrder(AE);
      if (!O || *O == *Freed)
        return;
      if (!Acq) {
        Got = *O;
        Acquirer = AE.Name;
        Acq = Note{AE.Loc, "allocated here with order " + std::to_string(*O) +
                               " in '" + St.F->Name + "'"};
        Store = Note{St.F->Events[St.Event].Loc,
                     "stored in '" + St.F->Events[St.Event].Target.Text + "' here"};
      }
    }
    for (const auto &[X, Fam] : Stored.There) {
      if (!Rel->accepts(Fam, V))
        continue;
      if (X->Order < 0 || uint64_t(X->Order) == *Freed)
        return;
      SourceLoc AcqLoc = A.locate(X->Acquired);
      if (!Acq && AcqLoc.isValid()) {
        Got = uint64_t(X->Order);
        Acquirer = X->Acquirer;
        Acq = Note{AcqLoc, "allocated here with order " + std::to_string(Got) + " in '" +
                               X->Function + "'"};
        Store = Note{A.locate(X->Stored), X->Stored.Text};
      }
    }
    if (!Acq)
      return;
    std::vector<Note> Notes{*Acq};
    if (Store->Loc.isValid())
      Notes.push_back(*Store);
    Out.report(name(), E.Loc,
               "'" + E.Name + "' frees order " + std::to_string(*Freed) + " but '" +
                   Acquirer + "' allocated order " + std::to_string(Got),
               Notes);
  }

  void checkOrder(const Event &E, const Releaser *Rel, const Event &Acq,
                  const Acquirer *Aq, DiagnosticSink &Out) {
    std::optional<uint64_t> Freed = orderOf(E, Rel->OrderArg, Rel->Order);
    std::optional<uint64_t> Got = orderOf(Acq, Aq->OrderArg, Aq->Order);
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

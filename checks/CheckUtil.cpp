//===- CheckUtil.cpp - Helpers the resource checks share ------------------===//

#include "kdlint/Check.h"
#include "llvm/ADT/StringSet.h"
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace kdlint {
namespace checkutil {

std::vector<unsigned> sourceOrder(const FunctionFacts &F) {
  std::vector<unsigned> Order(F.Events.size());
  for (unsigned I = 0; I < Order.size(); ++I)
    Order[I] = I;
  std::stable_sort(Order.begin(), Order.end(), [&](unsigned X, unsigned Y) {
    return F.Events[X].Loc < F.Events[Y].Loc;
  });
  return Order;
}

std::string handleName(const ResInst &R, const FunctionFacts &F) {
  if (!R.HandleText.empty())
    return "'" + R.HandleText + "'";
  return "the result of '" + F.Events[R.Acq].Name + "'";
}

LocRange calleeRange(const Event &E) {
  if (!E.NameSpelled)
    return LocRange(); // the name is not spelled here
  return LocRange{E.Loc, static_cast<uint32_t>(E.Name.size())};
}

} // namespace checkutil
} // namespace kdlint

// ---- Leak, release and probe/remove rules shared by the mapping checks -------

namespace kdlint {
namespace checkutil {

static std::string article(const std::string &Noun) {
  if (llvm::StringRef(Noun).ends_with("s") && !llvm::StringRef(Noun).ends_with("ss"))
    return "the " + Noun; // "the PCI regions"
  bool Vowel = !Noun.empty() && llvm::StringRef("AEIOUaeiou").contains(Noun[0]);
  return (Vowel ? "an " : "a ") + Noun;
}

/// "is" or "are", to agree with a family's noun ("PCI regions").
static const char *isAre(llvm::StringRef What) {
  return What.ends_with("s") && !What.ends_with("ss") ? "are" : "is";
}

static std::string unmapVerb(ResourceClass C) {
  switch (C) {
  case ResourceClass::Region: return "released";
  case ResourceClass::Mapping:
  case ResourceClass::Kmap: return "unmapped";
  default: return "freed";
  }
}

void reportLeaks(const TUAnalysis &A, DiagnosticSink &Out, llvm::StringRef Check,
                 ResourceClass C, bool ErrorExitsOnly) {
  const ResourceAnalysis &RA = A.resources();
  const Model &M = A.model();
  for (const auto &F : A.facts().Functions) {
    // One report per acquisition: its error exit if it has one.
    std::vector<const Leak *> Ls;
    for (const Leak &L : RA.leaks(*F)) {
      if (F->Events[L.Acq].Prim->Acq->Fam->Class != C ||
          (ErrorExitsOnly && !L.ErrorExit && !L.StoredOnly))
        continue;
      auto It = llvm::find_if(Ls, [&](const Leak *O) { return O->Acq == L.Acq; });
      if (It == Ls.end())
        Ls.push_back(&L);
      else if (L.ErrorExit && !(*It)->ErrorExit)
        *It = &L;
    }
    std::stable_sort(Ls.begin(), Ls.end(), [&](const Leak *X, const Leak *Y) {
      return F->Events[X->Acq].Loc < F->Events[Y->Acq].Loc;
    });
    for (const Leak *L : Ls) {
      const Event &Acq = F->Events[L->Acq];
      const Family *Fam = Acq.Prim->Acq->Fam;
      std::string Rel = M.releaseName(Fam);
      std::string Msg;
      std::vector<Note> Notes;
      for (const Step &St : L->Path)
        Notes.push_back({St.Loc, St.Text});
      if (L->StoredOnly) {
        Msg = Fam->What + " from '" + Acq.Name + "' " + isAre(Fam->What) + " not " +
              unmapVerb(C) + " when '" + F->Name + "' fails: probe stored it but remove is " +
              "never called after a failed probe; call '" + Rel +
              "' on the error path or use a devm_ variant";
      } else {
        Msg = Fam->What + " from '" + Acq.Name + "' " + isAre(Fam->What) + " not " +
              unmapVerb(C) + " on every path" + (L->ErrorExit ? " (an error path leaks it)" : "") +
              "; call '" + Rel + "'";
      }
      if (L->Exit.isValid())
        Notes.push_back({L->Exit, "'" + F->Name + "' returns here" +
                                      (L->ErrorExit ? " with an error" : "") +
                                      " and the " + Fam->What + " " + isAre(Fam->What) + " still " +
                                      (C == ResourceClass::Region ? "held" : "mapped")});
      Out.report(Check, Acq.Loc, Msg, Notes);
    }
  }
}

FieldStoresOf fieldStoresOf(const TUAnalysis &A, const FieldRef *Fd) {
  FieldStoresOf Out;
  const ResourceAnalysis &RA = A.resources();
  if (auto It = RA.fieldStores().find(Fd); It != RA.fieldStores().end())
    for (const FieldUse &U : It->second)
      if (!U.Interior)
        Out.Here.push_back(U);
  for (const ExportedFieldStore *X : A.externalStores(Fd))
    if (const Family *Fam = A.model().family(X->Family))
      Out.There.push_back({X, Fam});
  return Out;
}

/// The message for release \p Release of what \p Acquirer got (of \p Fam),
/// \p Right being the release that takes it.
static std::string badRelease(const Releaser *Rel, llvm::StringRef Release,
                              const Family *Fam, llvm::StringRef Acquirer,
                              const std::string &Right) {
  if (Rel && llvm::is_contained(Rel->PartOf, Fam))
    return "'" + Release.str() + "' releases only " + Rel->Part + " of " + article(Fam->What) +
           " from '" + Acquirer.str() + "'; the rest stay" +
           (Fam->Class == ResourceClass::Region ? " requested" : "") + "; use '" + Right +
           "'";
  if (Fam->Managed)
    return "'" + Release.str() + "' on " + article(Fam->What) + " from '" + Acquirer.str() +
           "': the driver core releases it again when the device is unbound; drop "
           "the call" +
           (Right.empty() ? std::string() : " or use '" + Right + "'");
  return "'" + Release.str() + "' does not release " + article(Fam->What) + " from '" +
         Acquirer.str() + "'; use '" + Right + "'";
}

void reportBadReleases(const TUAnalysis &A, DiagnosticSink &Out,
                       llvm::StringRef Check, ResourceClass C) {
  const ResourceAnalysis &RA = A.resources();
  const Model &M = A.model();
  for (const auto &F : A.facts().Functions) {
    const std::vector<ResState> &States = RA.states(*F);
    for (unsigned I : sourceOrder(*F)) {
      const Event &E = F->Events[I];
      const Releaser *Rel = E.Prim ? E.Prim->Rel : nullptr;
      if (!Rel || unsigned(Rel->Arg) >= E.RArgs.size())
        continue;
      const ArgInfo &Arg = E.RArgs[Rel->Arg];
      auto NamedBy = [&](const ResInst &R) {
        return Rel->TakesAcquireArg ? R.byArg(Arg.Key) : R.named(Arg);
      };
      // One name, several live acquisitions: a cursor reused to walk two
      // lists (request_mem_region(res->start) over one, request_region(
      // res->start) over the other). The release is taken as the one that
      // matches.
      bool Matches = llvm::any_of(States[I].Insts, [&](const ResInst &R) {
        return R.May != ResInst::Released && NamedBy(R) && Rel->accepts(R.family(), ~0u);
      });
      bool Local = false;
      for (const ResInst &R : States[I].Insts) {
        const Family *Fam = R.family();
        if (R.named(Arg))
          Local = true;
        if (Fam->Class != C || R.May == ResInst::Released)
          continue;
        if (Matches || !NamedBy(R) || Rel->accepts(Fam, ~0u))
          continue;
        const Event &Acq = F->Events[R.Acq];
        std::string Right = M.releaseName(Fam);
        std::string Msg = badRelease(Rel, E.Name, Fam, Acq.Name, Right);
        Out.report(Check, E.Loc, Msg,
                   {{Acq.Loc, "acquired here by '" + Acq.Name + "'"}});
        break;
      }
      if (Local || !Arg.Field)
        continue;
      // A mapping kept in a field, released in another function: every
      // acquisition stored there must be one this release accepts.
      // Other files of the run store into it too (the link).
      FieldStoresOf Stored = fieldStoresOf(A, Arg.Field);
      if (Stored.empty())
        continue;
      const auto &Here = Stored.Here;
      const auto &There = Stored.There;
      // Only when no acquisition stored there is one it accepts: a field
      // shared by two code paths may hold either.
      if (llvm::any_of(Here, [&](const FieldUse &U) { return Rel->accepts(U.Fam, ~0u); }) ||
          llvm::any_of(There, [&](const auto &P) { return Rel->accepts(P.second, ~0u); }))
        continue;
      // Nor when this function also releases the field the right way: the
      // field holds a mapping on some boards and a port on others, and a
      // flag picks the release (iounmap(a->base) or release_region(a->base)).
      auto RightHere = [&](const FieldUse &U) {
        auto It = RA.fieldReleases().find(Arg.Field);
        return It != RA.fieldReleases().end() &&
               llvm::any_of(It->second, [&](const FieldUse &R) {
                 return R.F == F.get() && R.Rel->accepts(U.Fam, ~0u);
               });
      };
      bool Reported = false;
      for (const FieldUse &U : Here) {
        if (U.Fam->Class != C || RightHere(U))
          continue;
        Reported = true;
        const Event &Acq = U.F->Events[U.Acq];
        std::string Right = M.releaseName(U.Fam);
        Out.report(Check, E.Loc,
                   badRelease(Rel, E.Name, U.Fam, Acq.Name, Right),
                   {{Acq.Loc, "acquired here by '" + Acq.Name + "' in '" +
                                  U.F->Name + "'"},
                    {U.F->Events[U.Event].Loc,
                     "stored in '" + U.F->Events[U.Event].Target.Text + "' here"}});
        break;
      }
      // Stored by another file: the notes point there.
      for (const auto &[X, Fam] : There) {
        if (Reported || Fam->Class != C)
          continue;
        auto RightHereToo = llvm::any_of(
            RA.fieldReleases().lookup(Arg.Field),
            [&, Fam = Fam](const FieldUse &R) { return R.F == F.get() && R.Rel->accepts(Fam, ~0u); });
        if (RightHereToo)
          continue;
        SourceLoc AcqLoc = A.locate(X->Acquired), StLoc = A.locate(X->Stored);
        if (AcqLoc.isInvalid())
          continue;
        std::string Right = M.releaseName(Fam);
        std::vector<Note> Notes{
            {AcqLoc, "acquired here by '" + X->Acquirer + "' in '" + X->Function + "'"}};
        if (StLoc.isValid())
          Notes.push_back({StLoc, X->Stored.Text});
        Out.report(Check, E.Loc,
                   badRelease(Rel, E.Name, Fam, X->Acquirer, Right),
                   Notes);
        break;
      }
    }
  }
}

/// The release the remove callback (functions \p Remove) gives the object
/// that \p Acq's handle points to, when no release there takes \p Acq's
/// family and one of its class is given such an object.
static const Event *wrongRemoveRelease(const TUAnalysis &A,
                                       const llvm::DenseSet<const FunctionFacts *> &Remove,
                                       const Event &Acq) {
  const Acquirer *Aq = Acq.Prim->Acq;
  if (Aq->HandleArg < 0 || unsigned(Aq->HandleArg) >= Acq.RArgs.size())
    return nullptr;
  const RecordRef *Obj = Acq.RArgs[Aq->HandleArg].Record;
  if (!Obj)
    return nullptr;
  const Event *Wrong = nullptr;
  for (const FunctionFacts *G : Remove)
    for (const Event &E : G->Events) {
      const Releaser *Rel = E.Prim ? E.Prim->Rel : nullptr;
      if (!Rel)
        continue;
      if (Rel->accepts(Aq->Fam, ~0u))
        return nullptr;
      if (unsigned(Rel->Arg) < E.RArgs.size() && E.RArgs[Rel->Arg].Record == Obj &&
          llvm::any_of(Rel->Frees, [&](const Releaser::Accepts &X) {
            return X.Fam->Class == Aq->Fam->Class;
          }) &&
          (!Wrong || E.Loc < Wrong->Loc))
        Wrong = &E;
    }
  return Wrong;
}

/// What probe keeps through a function of another file of the driver
/// (foo_hw_map(hw) in foo_hw.c storing ioremap() into hw->regs) when no file
/// of the run releases that field, nor copies it into another: reported at
/// probe's call. Not when remove calls through a function pointer, calls a
/// function of the driver (declared outside include/) that no file of the
/// run defines, or hands an object of the field's structure to any function
/// the run does not define: each may release it.
static void reportKeptElsewhere(const TUAnalysis &A, DiagnosticSink &Out,
                                llvm::StringRef Check, ResourceClass C,
                                const OpsRegistration &O,
                                const llvm::DenseSet<const FunctionFacts *> &Probe,
                                const llvm::DenseSet<const FunctionFacts *> &Remove) {
  const Model &M = A.model();
  auto Opaque = [&](llvm::StringRef Record) {
    for (const FunctionFacts *G : Remove) {
      if (!G->IndirectCalls.empty())
        return true;
      for (const Event &E : G->Events)
        if (!E.External.empty() && !A.definedInRun(E.External)) {
          if (E.ExternalDriver)
            return true;
          for (const ArgInfo &Ar : E.RArgs)
            if (Ar.Record && Ar.Record->Name == Record)
              return true;
        }
    }
    return false;
  };
  std::string RemoveName = O.Remove->Name;
  std::set<std::tuple<std::string, unsigned, unsigned>> Done;
  // In source order, so that a store two calls reach is reported at the first.
  std::vector<const Event *> Calls;
  for (const FunctionFacts *F : Probe)
    for (const Event &E : F->Events)
      if (!E.External.empty())
        Calls.push_back(&E);
  llvm::sort(Calls, [&](const Event *X, const Event *Y) {
    return X->Loc < Y->Loc;
  });
  for (const Event *EP : Calls) {
    const Event &E = *EP;
    for (const ExportedFieldStore *S : A.keptBy(E.External)) {
      const Family *Fam = M.family(S->Family);
      if (!Fam || Fam->Class != C || Fam->Managed ||
          !Done.insert({S->Stored.File, S->Stored.Line, S->Stored.Column}).second ||
          Opaque(llvm::StringRef(S->Key).split('@').first))
        continue;
      SourceLoc AcqLoc = A.locate(S->Acquired), StLoc = A.locate(S->Stored);
      if (AcqLoc.isInvalid() || StLoc.isInvalid())
        continue;
      Out.report(Check, E.Loc,
                 Fam->What + " from '" + S->Acquirer + "' stored in '" + S->Target +
                     "' by '" + E.Name + "' is never " + unmapVerb(C) +
                     ": no file of the driver releases that field; call '" +
                     M.releaseName(Fam) + "' from the remove callback '" + RemoveName +
                     "' or use a devm_ variant",
                 {{AcqLoc, "acquired here by '" + S->Acquirer + "' in '" + S->Function + "'"},
                  {StLoc, S->Stored.Text},
                  {O.Loc, "'" + RemoveName + "' is the ." + O.RemoveField +
                              " callback of this " + O.Record}});
    }
  }
}

void reportProbeRemove(const TUAnalysis &A, DiagnosticSink &Out,
                       llvm::StringRef Check, ResourceClass C) {
  const ResourceAnalysis &RA = A.resources();
  const Model &M = A.model();
  for (const OpsRegistration &O : A.facts().Ops) {
    if (!O.Remove || !O.Probe)
      continue;
    llvm::DenseSet<const FunctionFacts *> Probe = RA.reachable(O.Probe);
    llvm::DenseSet<const FunctionFacts *> Remove = RA.reachable(O.Remove);
    if (Probe.empty() || Remove.empty())
      continue;
    // A remove that only refuses (return -EBUSY: "cannot unregister
    // clockevent and clocksource", drivers/clocksource/sh_cmt.c in 6.1): the
    // device is never unbound, and what probe keeps is kept for good.
    if (llvm::any_of(A.facts().Functions, [&](const auto &F) {
          if (F->FD != O.Remove->definition())
            return false;
          bool Refuses = false;
          for (const Event &E : F->Events) {
            if (E.Kind != EventKind::Return)
              return false;
            if (E.Value.V.Kind != ArgValue::Const || !E.Value.V.Negative)
              return false;
            Refuses = true;
          }
          return Refuses;
        }))
      continue;
    // Cleanup actions probe registers (devm_add_action(dev, fn, data)) run
    // at unbind too: count what they release.
    for (const FunctionFacts *F : Probe)
      for (const Event &E : F->Events)
        for (const ArgInfo &Ar : E.RArgs)
          if (Ar.V.Kind == ArgValue::Function)
            for (const FunctionFacts *G : RA.reachable(Ar.V.Fn))
              Remove.insert(G);
    // So do the teardown callbacks of the framework objects it registers
    // (fb_destroy after unregister_framebuffer()).
    Remove.insert(RA.teardown().begin(), RA.teardown().end());
    auto RemoveReleases = [&](const Family *Fam, const FieldRef *Fd) {
      for (const FunctionFacts *G : Remove)
        for (const Event &E : G->Events) {
          const Releaser *Rel = E.Prim ? E.Prim->Rel : nullptr;
          // Released with the wrong function is still released here; the
          // wrong function is reportBadReleases' finding.
          if (!Rel || llvm::none_of(Rel->Frees, [&](const Releaser::Accepts &A) {
                return A.Fam->Class == Fam->Class;
              }))
            continue;
          if (!Fd)
            return true;
          if (unsigned(Rel->Arg) < E.RArgs.size())
            if (const FieldRef *Got = RA.fieldOf(*G, E.RArgs[Rel->Arg]))
              if (RA.reachesField(Fd, Got))
                return true;
          // Released through a TU function given the field: iounmap(p) in
          // a helper called as foo_unmap(priv->regs).
        }
      for (const FunctionFacts *G : Remove)
        for (const Event &E : G->Events)
          if (E.Callee)
            for (const ArgInfo &Ar : E.RArgs)
              if (Fd && Ar.Field && RA.reachesField(Fd, Ar.Field))
                return true;
      // A cleanup helper of another file the link knows releases the class
      // (foo_cleanup(pdev) calling pci_release_regions()).
      for (const FunctionFacts *G : Remove)
        for (const Event &E : G->Events)
          if (!E.Callee)
            for (const Releaser *Rl : RA.releasersOf(E))
              if (llvm::any_of(Rl->Frees, [&](const Releaser::Accepts &A) {
                    return A.Fam->Class == Fam->Class;
                  }))
                return true;
      // Remove calls through a function-pointer field no function of this
      // file is stored into: a dispatch table of another file
      // (PM8001_CHIP_DISP->chip_iounmap(), pm8001_chip_iounmap() in
      // pm8001_hwi.c). What it releases is not known here.
      for (const FunctionFacts *G : Remove)
        for (const FieldRef *Ind : G->IndirectCalls)
          if (!A.facts().FieldTargets.count(Ind))
            return true;
      // Remove hands the structure to a function of another file
      // (ddb_unmap(dev)): what it releases is not known here.
      for (const FunctionFacts *G : Remove)
        for (const Event &E : G->Events)
          if (E.Kind == EventKind::Call && !E.Prim && !E.Callee && Fd)
            for (const ArgInfo &Ar : E.RArgs)
              if (Ar.Record && Ar.Record == Fd->Parent)
                return true;
      return false;
    };
    // File-scope variables remove releases by name (iounmap(scb2_ioaddr)):
    // an acquisition probe also kept in one is released, whatever field
    // it was stored in besides (scb2_map.virt = scb2_ioaddr).
    llvm::StringSet<> RemoveGlobals;
    for (const FunctionFacts *G : Remove)
      for (const Event &E : G->Events) {
        const Releaser *Rel = E.Prim ? E.Prim->Rel : nullptr;
        if (!Rel || unsigned(Rel->Arg) >= E.RArgs.size())
          continue;
        const ArgInfo &Ar = E.RArgs[Rel->Arg];
        if (Ar.Global && !Ar.Key.empty())
          RemoveGlobals.insert(Ar.Key);
      }
    auto KeptInGlobal = [&](const FunctionFacts &F, unsigned AcqIdx) {
      if (RemoveGlobals.empty())
        return false;
      for (const ResState &S : RA.states(F))
        for (const ResInst &R : S.Insts)
          if (R.Acq == AcqIdx && llvm::any_of(R.Keys, [&](const std::string &K) {
                return RemoveGlobals.count(K) != 0;
              }))
            return true;
      return false;
    };
    std::string RemoveName = O.Remove->Name;
    reportKeptElsewhere(A, Out, Check, C, O, Probe, Remove);
    for (const FunctionFacts *F : Probe) {
      // Mappings probe keeps in fields: one acquisition may be stored in
      // several (adapter->io_addr and hw->hw_addr); remove releasing any
      // of them is enough.
      std::map<unsigned, std::vector<std::pair<const FieldRef *, const FieldUse *>>>
          ByAcq;
      for (const auto &[Fd, Uses] : RA.fieldStores())
        for (const FieldUse &U : Uses)
          if (U.F == F && U.Fam->Class == C && !U.Fam->Managed)
            ByAcq[U.Acq].push_back({Fd, &U});
      for (auto &[AcqIdx, Stores] : ByAcq) {
        if (llvm::any_of(Stores, [&](const auto &P) {
              return RemoveReleases(P.second->Fam, P.first);
            }) || KeptInGlobal(*F, AcqIdx))
          continue;
        const FieldUse &U = *std::min_element(
            Stores.begin(), Stores.end(), [](const auto &X, const auto &Y) {
              return X.second->Event < Y.second->Event;
            })->second;
        const Event &St = F->Events[U.Event];
        const Event &Acq = F->Events[U.Acq];
        Out.report(Check, St.Loc,
                   U.Fam->What + " from '" + Acq.Name + "' stored in '" +
                       St.Target.Text + "' by probe is never " + unmapVerb(C) +
                       " by the remove callback '" + RemoveName + "'; call '" +
                       M.releaseName(U.Fam) + "' there or use a devm_ variant",
                   {{Acq.Loc, "acquired here by '" + Acq.Name + "'"},
                    {O.Loc, "'" + RemoveName + "' is the ." + O.RemoveField +
                                " callback of this " + O.Record}});
      }
      // Regions probe keeps held on success (their handle is not a pointer).
      if (C != ResourceClass::Region || F->FD != O.Probe->definition())
        continue;
      for (const Leak &L : RA.leaks(*F)) {
        const Event &Acq = F->Events[L.Acq];
        const Family *Fam = Acq.Prim->Acq->Fam;
        if (Fam->Class != C || L.ErrorExit || L.StoredOnly)
          continue;
        // Remove releases the device's regions, but with a release that
        // does not take this family (pci_request_regions() in probe,
        // pci_release_mem_regions(pdev) in remove: the I/O port BARs stay
        // requested). Only a release given the same kind of object as the
        // request's handle (a struct pci_dev) is taken for this one.
        if (const Event *Wrong = wrongRemoveRelease(A, Remove, Acq)) {
          Out.report(Check, Wrong->Loc,
                     badRelease(Wrong->Prim->Rel, Wrong->Name, Fam, Acq.Name, M.releaseName(Fam)),
                     {{Acq.Loc, "acquired here by '" + Acq.Name + "' in '" + F->Name + "'"},
                      {O.Loc, "'" + RemoveName + "' is the ." + O.RemoveField +
                                  " callback of this " + O.Record}});
          continue;
        }
        if (RemoveReleases(Fam, nullptr))
          continue;
        Out.report(Check, Acq.Loc,
                   Fam->What + " requested by probe " + isAre(Fam->What) +
                       " never released by the remove callback '" + RemoveName + "'; call '" +
                       M.releaseName(Fam) + "' there or use a devm_ variant",
                   {{O.Loc, "'" + RemoveName + "' is the ." + O.RemoveField +
                                " callback of this " + O.Record}});
      }
    }
  }
}

} // namespace checkutil
} // namespace kdlint

namespace kdlint {
namespace checkutil {

namespace {
/// Whether \p V is a field every store of this TU fills from the memory
/// allocators: system RAM cast to __iomem (arcfb: info->screen_base =
/// (char __iomem *)vzalloc(size)), not I/O memory in this driver.
static bool memoryField(const TUAnalysis &A, const FunctionFacts &F, const ArgInfo &V) {
  const FieldRef *Fd = A.resources().fieldOf(F, V);
  if (!Fd)
    return false;
  auto It = A.resources().fieldStores().find(Fd);
  return It != A.resources().fieldStores().end() && !It->second.empty() &&
         llvm::all_of(It->second, [](const FieldUse &U) {
           return U.Fam->Class == ResourceClass::Memory ||
                  U.Fam->Class == ResourceClass::Pages;
         });
}

/// A field declared without __iomem that every store of this TU fills with
/// an I/O mapping (or clears): `priv->regs = devm_ioremap(...)` into a
/// `struct foo_regs *regs`, read back as `priv->regs->ctrl`. The notes say
/// where it was mapped; Ram as for a declared field.
static bool mappedField(const TUAnalysis &A, const FunctionFacts &F, const ArgInfo &V,
                        std::vector<Note> &Notes, bool &Ram) {
  const ResourceAnalysis &RA = A.resources();
  const FieldRef *Fd = RA.fieldOf(F, V);
  if (!Fd)
    return false;
  auto It = RA.fieldStores().find(Fd);
  if (It == RA.fieldStores().end() || It->second.empty())
    return false;
  const std::vector<FieldUse> &Stores = It->second;
  if (!llvm::all_of(Stores, [](const FieldUse &U) { return U.Fam->Iomem; }))
    return false;
  // Every other assignment of the field in the TU stores NULL.
  for (const auto &G : A.facts().Functions)
    for (unsigned I = 0; I < G->Events.size(); ++I) {
      const Event &E = G->Events[I];
      if (E.Kind != EventKind::Assign || E.Target.Field != Fd)
        continue;
      bool Mapped = llvm::any_of(Stores, [&](const FieldUse &U) {
        return U.F == G.get() && U.Event == I;
      });
      if (!Mapped && !(E.Value.V.Kind == ArgValue::Const && E.Value.V.Bits == 0))
        return false;
    }
  const FieldUse &U = Stores.front();
  const Event &M = U.F->Events[U.Acq];
  Ram = llvm::all_of(Stores, [](const FieldUse &S) {
    const Event &E = S.F->Events[S.Acq];
    return E.Prim && E.Prim->Acq && E.Prim->Acq->Ram;
  });
  Notes.push_back({U.F->Events[U.Event].Loc,
                   "'" + Fd->Name + "' is declared without __iomem, and every "
                   "store of this file fills it with I/O memory: mapped by '" + M.Name +
                   "' and stored here"});
  return true;
}

/// Why \p V in \p F is I/O memory (notes), and whether the mapping it comes
/// from is a cacheable or write-combined one that drivers use as RAM.
bool iomemWhy(const TUAnalysis &A, const FunctionFacts &F, const ArgInfo &V,
              const ResState &S, std::vector<Note> &Notes, bool &Ram) {
  Ram = false;
  for (const ResInst &R : S.Insts)
    if (R.family()->Iomem && R.named(V) && R.May != ResInst::Released) {
      const Event &Acq = F.Events[R.Acq];
      Notes.push_back({Acq.Loc, "'" + V.Text + "' is an I/O mapping from '" +
                                    Acq.Name + "' here"});
      Ram = R.A->Ram;
      return true;
    }
  if (!V.Iomem) {
    if (!V.Local)
      return mappedField(A, F, V, Notes, Ram);
    // vc_table = (u16 *)(iadev->reass_ram + off): a local every store of
    // the function fills with I/O memory, the __iomem cast away.
    llvm::SmallVector<const Event *, 2> As = assignmentsOf(F, V.Key);
    if (As.empty() || !llvm::all_of(As, [&](const Event *E) {
          return E->Value.Iomem && !memoryField(A, F, E->Value);
        }))
      return false;
    const Event *From = As.front();
    Notes.push_back({From->Loc, "'" + V.Text + "' holds I/O memory '" + From->Value.Text +
                                    "' (declared __iomem), assigned here"});
    return true;
  }
  // A field every store of this TU fills from a RAM-like mapping.
  if (const FieldRef *Fd = A.resources().fieldOf(F, V)) {
    auto It = A.resources().fieldStores().find(Fd);
    if (It != A.resources().fieldStores().end() && !It->second.empty()) {
      if (memoryField(A, F, V))
        return false;
      Notes.push_back({V.DeclLoc, "'" + V.Text + "' is declared __iomem here"});
      Ram = llvm::all_of(It->second, [](const FieldUse &U) {
        const Event &E = U.F->Events[U.Acq];
        return E.Prim && E.Prim->Acq && E.Prim->Acq->Ram;
      });
      if (Ram) {
        const FieldUse &U = It->second.front();
        const Event &E = U.F->Events[U.Acq];
        Notes.push_back({E.Loc, "mapped here by '" + E.Name + "'"});
      }
      return true;
    }
  }
  Notes.push_back({V.DeclLoc, "'" + V.Text + "' is declared __iomem here"});
  return true;
}
} // namespace

void reportIomemAccesses(const TUAnalysis &A, DiagnosticSink &Out,
                         llvm::StringRef Check, bool Ram) {
  const ResourceAnalysis &RA = A.resources();
  for (const auto &F : A.facts().Functions) {
    const std::vector<ResState> &States = RA.states(*F);
    for (unsigned I : sourceOrder(*F)) {
      const Event &E = F->Events[I];
      if (E.Kind == EventKind::Deref) {
        std::vector<Note> Notes;
        bool IsRam = false;
        if (!iomemWhy(A, *F, E.Target, States[I], Notes, IsRam) || IsRam != Ram)
          continue;
        Out.report(Check, E.Loc,
                   Ram ? "memory-like I/O mapping '" + E.Target.Text + "' " + E.How +
                             " directly; map RAM with memremap(), or use the MMIO "
                             "accessors"
                       : "I/O memory '" + E.Target.Text + "' " + E.How +
                             " directly; use readl()/writel() or ioread32()/iowrite32()",
                   Notes);
        continue;
      }
      if (!E.Prim || E.Prim->Role != AccessRole::RawMemory)
        continue;
      std::vector<bool> Io(E.RArgs.size(), false);
      std::vector<Note> Notes;
      int First = -1;
      bool AnyRam = false, AnyIo = false;
      for (int J : E.Prim->AddrArgs) {
        bool IsRam = false;
        if (unsigned(J) < E.RArgs.size() &&
            iomemWhy(A, *F, E.RArgs[J], States[I], Notes, IsRam)) {
          Io[J] = true;
          (IsRam ? AnyRam : AnyIo) = true;
          if (First < 0)
            First = J;
        }
      }
      // Reported by the RAM check only when every I/O side is RAM-like.
      if (First < 0 || (Ram ? (AnyIo || !AnyRam) : !AnyIo))
        continue;
      std::string Io0 = E.RArgs[First].Text;
      // The model's drop-in I/O variant, when exactly one side is I/O.
      std::string Fix;
      const std::vector<int> &AA = E.Prim->AddrArgs;
      auto IsIo = [&](unsigned K) { return K < AA.size() && Io[AA[K]]; };
      bool Dst = IsIo(0), Src = IsIo(1);
      if (Dst && !Src)
        Fix = E.Prim->ToIo;
      else if (Src && !Dst)
        Fix = E.Prim->FromIo;
      std::vector<FixIt> Fixes;
      if (!Fix.empty() && !Ram)
        if (LocRange R = calleeRange(E); R.isValid())
          Fixes.push_back({R, Fix});
      Out.report(Check, E.Loc,
                 "'" + E.Name + "' on " + (Ram ? "memory-like I/O mapping '" : "I/O memory '") +
                     Io0 + "'; use " +
                     (Fix.empty() ? std::string("memcpy_fromio()/memcpy_toio()/"
                                                "memset_io() or the MMIO accessors")
                                  : "'" + Fix + "'") +
                     (Ram ? ", or map RAM with memremap()" : ""),
                 Notes, Fixes);
    }
  }
}

} // namespace checkutil
} // namespace kdlint

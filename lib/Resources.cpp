//===- Resources.cpp - Acquisitions, releases and their paths -------------===//

#include "kdlint/Resources.h"
#include "kdlint/Dataflow.h"
#include "kdlint/Analysis.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include <deque>

using namespace llvm;

namespace kdlint {

std::optional<uint64_t> orderOf(const Event &E, int OrderArg, int Fixed) {
  if (Fixed >= 0)
    return uint64_t(Fixed);
  if (OrderArg >= 0 && unsigned(OrderArg) < E.RArgs.size() &&
      E.RArgs[OrderArg].V.Kind == ArgValue::Const)
    return E.RArgs[OrderArg].V.Bits;
  return std::nullopt;
}

std::optional<uint64_t> acquiredOrder(const Event &Acq) {
  if (!Acq.Prim || !Acq.Prim->Acq)
    return std::nullopt;
  return orderOf(Acq, Acq.Prim->Acq->OrderArg, Acq.Prim->Acq->Order);
}

bool ResInst::named(const ArgInfo &V) const {
  if (V.Event >= 0 && unsigned(V.Event) == Acq)
    return true;
  // A region is named by its start value as a whole (io + 8 is another
  // region); a pointer by its base (base + REG is inside the mapping).
  const std::string &K = A->HandleArg >= 0 ? V.FullKey : V.Key;
  return !K.empty() && is_contained(Keys, K);
}

const ResInst *ResState::find(const ArgInfo &V) const {
  for (const ResInst &R : Insts)
    if (R.named(V))
      return &R;
  return nullptr;
}

ResourceAnalysis::ResourceAnalysis(const TUFacts &Facts, const Model &M)
    : Facts(Facts), M(M) {
  if (std::optional<uint64_t> V = Facts.Constants.get(M.spellings().Version))
    Version = unsigned(*V);
  for (const OpsRegistration &O : Facts.Ops)
    if (O.Probe)
      if (const FunctionRef *D = O.Probe->definition())
        Probes.insert(D);
}

const std::vector<ResState> &
ResourceAnalysis::states(const FunctionFacts &F) const {
  return States.find(&F)->second;
}

const std::vector<Leak> &ResourceAnalysis::leaks(const FunctionFacts &F) const {
  return Leaks.find(&F)->second;
}

bool ResourceAnalysis::isProbe(const FunctionFacts &F) const {
  return Probes.count(F.FD);
}

DenseSet<const FunctionFacts *>
ResourceAnalysis::reachable(const FunctionRef *FD) const {
  DenseSet<const FunctionFacts *> Seen;
  std::vector<const FunctionFacts *> Work;
  auto Push = [&](const FunctionRef *D) {
    if (!D)
      return;
    D = D->definition();
    auto It = D ? Facts.ByDecl.find(D) : Facts.ByDecl.end();
    if (It != Facts.ByDecl.end() && Seen.insert(It->second).second)
      Work.push_back(It->second);
  };
  Push(FD);
  while (!Work.empty()) {
    const FunctionFacts *F = Work.back();
    Work.pop_back();
    for (const Event &E : F->Events) {
      if (E.Callee)
        Push(E.Callee);
      // A function handed to a call may be called by it: the release
      // callback of kref_put(&a->kref, icom_kref_release), a devres action.
      if (E.Kind == EventKind::Call)
        for (const ArgValue &A : E.Args)
          if (A.Kind == ArgValue::Function)
            Push(A.Fn);
    }
    // A call through a field of the driver's structure may call any function
    // the TU stores there (cinfo->unmap(info) after cinfo->unmap =
    // cirrusfb_pci_unmap).
    for (const FieldRef *Fd : F->IndirectCalls)
      if (auto It = Facts.FieldTargets.find(Fd); It != Facts.FieldTargets.end())
        for (const FunctionRef *Fn : It->second)
          Push(Fn);
  }
  return Seen;
}

const FieldRef *ResourceAnalysis::returnedField(const FunctionRef *FD) const {
  if (!FD || !(FD = FD->definition()))
    return nullptr;
  auto It = Facts.ByDecl.find(FD);
  if (It == Facts.ByDecl.end())
    return nullptr;
  const FieldRef *R = nullptr;
  for (const Event &E : It->second->Events)
    if (E.Kind == EventKind::Return) {
      if (!E.Value.Field || (R && R != E.Value.Field))
        return nullptr;
      R = E.Value.Field;
    }
  return R;
}

const FieldRef *ResourceAnalysis::fieldOf(const FunctionFacts &F,
                                           const ArgInfo &A) const {
  if (A.Field)
    return A.Field;
  if (A.Event >= 0 && unsigned(A.Event) < F.Events.size())
    return returnedField(F.Events[A.Event].Callee);
  // void __iomem *port_base = priv->port_base; ... pci_iounmap(pdev, port_base)
  if (A.Local) {
    const FieldRef *R = nullptr;
    for (const Event *E : assignmentsOf(F, A.Key)) {
      // ... or ioaddr = ns_ioaddr(dev), an accessor returning np->ioaddr
      const FieldRef *VF = E->Value.Field;
      if (!VF && E->Value.Event >= 0 && unsigned(E->Value.Event) < F.Events.size())
        VF = returnedField(F.Events[E->Value.Event].Callee);
      if (!VF || (R && R != VF))
        return nullptr;
      R = VF;
    }
    return R;
  }
  return nullptr;
}

/// What a function of this TU does with the pointers it is given: releases
/// them (with which releaser) or lets them escape. Flow-insensitive, to a
/// fixpoint over the TU's calls.
void ResourceAnalysis::computeParams() {
  for (const auto &F : Facts.Functions) {
    ParamFacts &P = Params[F->FD];
    P.Releases.assign(F->FD->numParams(), nullptr);
    P.Escapes.assign(F->FD->numParams(), false);
  }
  for (unsigned Round = 0; Round < 8; ++Round) {
    bool Changed = false;
    for (const auto &F : Facts.Functions) {
      ParamFacts &P = Params[F->FD];
      for (unsigned I = 0; I < F->FD->numParams(); ++I) {
        StringRef Name = F->FD->Params[I];
        if (Name.empty())
          continue;
        auto Is = [&](const ArgInfo &A) { return A.Key == Name; };
        for (const Event &E : F->Events) {
          bool Esc = false;
          const Releaser *Rel = nullptr;
          if (E.Prim && E.Prim->Rel && unsigned(E.Prim->Rel->Arg) < E.RArgs.size() &&
              Is(E.RArgs[E.Prim->Rel->Arg]))
            Rel = E.Prim->Rel;
          else if (E.Kind == EventKind::Assign && Is(E.Value) && !E.Target.Local)
            Esc = true;
          else if (E.Kind == EventKind::Return && Is(E.Value))
            Esc = true;
          else if (E.Kind == EventKind::Call && !E.Prim && !E.Callee)
            Esc = any_of(E.RArgs, Is);
          else if (E.Kind == EventKind::Call && E.Callee) {
            auto It = Params.find(E.Callee->definition());
            if (It != Params.end())
              for (unsigned J = 0; J < E.RArgs.size(); ++J)
                if (Is(E.RArgs[J]) && J < It->second.Releases.size()) {
                  Rel = Rel ? Rel : It->second.Releases[J];
                  Esc = Esc || It->second.Escapes[J];
                }
          }
          if (Rel && !P.Releases[I]) {
            P.Releases[I] = Rel;
            Changed = true;
          }
          if (Esc && !P.Escapes[I]) {
            P.Escapes[I] = true;
            Changed = true;
          }
        }
      }
    }
    if (!Changed)
      break;
  }
  for (const auto &F : Facts.Functions) {
    SmallVector<const Releaser *, 2> &V = CalleeReleases[F->FD];
    auto &Fields = CalleeFieldReleases[F->FD];
    for (const FunctionFacts *G : reachable(F->FD))
      for (const Event &E : G->Events) {
        if (!E.Prim || !E.Prim->Rel)
          continue;
        if (!is_contained(V, E.Prim->Rel))
          V.push_back(E.Prim->Rel);
        if (unsigned(E.Prim->Rel->Arg) < E.RArgs.size())
          if (const FieldRef *Fd = fieldOf(*G, E.RArgs[E.Prim->Rel->Arg]))
            Fields.push_back({Fd, E.Prim->Rel});
      }
  }
}

ArrayRef<const Releaser *>
ResourceAnalysis::calleeReleases(const FunctionRef *FD) const {
  auto It = CalleeReleases.find(FD ? FD->definition() : nullptr);
  return It == CalleeReleases.end() ? ArrayRef<const Releaser *>() : It->second;
}

SmallVector<const Releaser *, 2> ResourceAnalysis::releasersOf(const Event &E) const {
  SmallVector<const Releaser *, 2> Out;
  if (E.Kind != EventKind::Call || E.Prim)
    return Out;
  if (E.Callee) {
    ArrayRef<const Releaser *> L = calleeReleases(E.Callee);
    Out.append(L.begin(), L.end());
  } else if (External && !E.External.empty()) {
    if (auto It = External->find(E.External); It != External->end())
      for (const std::string &Name : It->second)
        if (const Primitive *P = M.lookup(Name); P && P->Rel)
          Out.push_back(P->Rel);
  }
  return Out;
}

/// release_region(res->start, n) where res = request_region(...): the
/// struct resource a request returns names the region it holds.
bool ResourceAnalysis::viaResource(const ResInst &R, const ArgInfo &A) const {
  if (R.A->HandleArg < 0 || R.Status.empty() || !A.Field || !A.Field->Parent)
    return false;
  return M.isPhysicalField(A.Field->Parent->Name, A.Field->Name) &&
         StringRef(A.Key).starts_with(R.Status + "->");
}

/// Whether \p Key ("hw->cfg.start") is reached through a parameter of \p F.
static bool paramRooted(const FunctionFacts &F, StringRef Key) {
  StringRef Root = Key.take_while([](char C) { return isAlnum(C) || C == '_'; });
  if (Root.empty() || Root.size() == Key.size() || !F.FD)
    return false;
  return is_contained(F.FD->Params, Root);
}

static void dropKey(ResState &S, StringRef K) {
  for (ResInst &R : S.Insts) {
    llvm::erase(R.Keys, K);
    llvm::erase(R.GoneKeys, K);
    if (R.Status == K)
      R.Status.clear();
  }
  llvm::erase(S.NonZero, K);
  llvm::erase_if(S.Aliases, [&](const std::pair<std::string, std::string> &A) {
    return A.first == K || A.second == K;
  });
}

void ResourceAnalysis::transfer(const FunctionFacts &F, unsigned I,
                                ResState &S) const {
  const Event &E = F.Events[I];
  auto Escape = [&](ResInst &R, unsigned Ev) {
    R.May = ResInst::Escaped;
    R.StoreEv = Ev;
  };
  if (E.Prim && E.Prim->Rel) {
    const Releaser *Rel = E.Prim->Rel;
    if (unsigned(Rel->Arg) < E.RArgs.size()) {
      const ArgInfo &A = E.RArgs[Rel->Arg];
      // Named through another pointer to the same object: the loop cursor
      // the region was requested through was stored in a struct
      // (spic_dev.cur_ioport = io) and the release names that struct
      // (release_region(spic_dev.cur_ioport->io1.minimum, ...)).
      auto ViaAlias = [&](const ResInst &R) {
        const std::string &K = R.A->HandleArg >= 0 ? A.FullKey : A.Key;
        if (K.empty())
          return false;
        for (const auto &[X, Y] : S.Aliases)
          for (auto [From, To] : {std::pair(&X, &Y), std::pair(&Y, &X)}) {
            StringRef Rest(K);
            if (From->empty() || To->empty() || !Rest.consume_front(*From) ||
                !(Rest.starts_with("->") || Rest.starts_with(".")))
              continue;
            if (is_contained(R.Keys, *To + Rest.str()))
              return true;
          }
        return false;
      };
      // iounmap(get_hwbase(dev)): an accessor of this TU returning the
      // field the mapping was stored in (forcedeth's np->base).
      const FieldRef *ViaAccessor =
          A.Event >= 0 && unsigned(A.Event) < F.Events.size() && F.Events[A.Event].Callee
              ? returnedField(F.Events[A.Event].Callee)
              : nullptr;
      auto Accessed = [&](const ResInst &R) {
        if (!ViaAccessor || R.A->HandleArg >= 0)
          return false;
        return reachesField(R.StoredIn, ViaAccessor) ||
               any_of(R.Fields, [&](const FieldRef *Fd) { return reachesField(Fd, ViaAccessor); });
      };
      for (ResInst &R : S.Insts)
        if (viaResource(R, A) || (Accessed(R) && Rel->accepts(R.family(), Version)) ||
            (R.byArg(A.Key) &&
             (Rel->TakesAcquireArg || R.family()->Class == ResourceClass::Kmap)) ||
            // remove_resource(res) of what res = request_mem_region() returned
            (R.A->HandleArg >= 0 && !R.Status.empty() && R.Status == A.Key &&
             Rel->accepts(R.family(), Version)) ||
            ((R.named(A) || ViaAlias(R)) &&
             (!Rel->TakesAcquireArg || R.family()->Class == ResourceClass::Kmap))) {
          R.release(I);
        }
    }
  }
  if (E.Prim && E.Prim->Acq) {
    const Acquirer *Aq = E.Prim->Acq;
    S.Insts.erase(remove_if(S.Insts, [&](const ResInst &R) { return R.Acq == I; }),
                  S.Insts.end());
    ResInst R;
    R.Acq = I;
    R.A = Aq;
    R.G = S.G;
    if (!E.RArgs.empty()) {
      R.ArgKey = E.RArgs[0].Key;
      R.ArgText = E.RArgs[0].Text;
      for (const auto &[X, Y] : S.Aliases)
        if (!R.ArgKey.empty() && (X == R.ArgKey || Y == R.ArgKey))
          R.ArgAliases.push_back(X == R.ArgKey ? Y : X);
    }
    if (Aq->HandleArg >= 0) {
      if (unsigned(Aq->HandleArg) < E.RArgs.size() &&
          !E.RArgs[Aq->HandleArg].FullKey.empty())
      {
        const ArgInfo &H = E.RArgs[Aq->HandleArg];
        R.Keys.push_back(H.FullKey);
        R.HandleText = H.Text;
        for (const auto &[X, Y] : S.Aliases) // priv->pdev = pdev earlier
          if (Y == H.FullKey && !is_contained(R.Keys, X))
            R.Keys.push_back(X);
          else if (X == H.FullKey && !is_contained(R.Keys, Y))
            R.Keys.push_back(Y);
        // request_region(hw->cfg.start, ...): recorded in the caller's object.
        if (H.Field && !H.Local && H.Key == H.FullKey && paramRooted(F, H.Key))
          R.StoredIn = H.Field;
      }
    }
    S.Insts.push_back(std::move(R));
  }
  switch (E.Kind) {
  case EventKind::Assign: {
    guards::afterEvent(E, S.G, S.Insts); // locked = true, flags |= F
    // The value first: `p = p->next` reads p before rebinding it.
    // A region's handle is an argument (pdev, the start): storing that
    // value elsewhere is not storing the region; only its result binds.
    SmallVector<ResInst *, 1> Srcs;
    for (ResInst &R : S.Insts)
      if ((R.named(E.Value) &&
           (R.A->HandleArg < 0 ||
            (E.Value.Event >= 0 && unsigned(E.Value.Event) == R.Acq))) ||
          is_contained(E.AltEvents, int(R.Acq))) // c ? ioremap(a) : ioremap(b)
        Srcs.push_back(&R);
    // cache->vaddr = flags | (unsigned long)vaddr: stored with flag bits.
    if (!E.Target.Local)
      for (const std::string &K : E.Mixed)
        for (ResInst &R : S.Insts)
          if (R.A->HandleArg < 0 && is_contained(R.Keys, K))
            Escape(R, I);
    bool SameName = any_of(Srcs, [&](const ResInst *R) {
      return is_contained(R->Keys, E.Target.Key);
    });
    if (!SameName)
      dropKey(S, E.Target.Key);
    if (E.Value.V.Kind == ArgValue::Const && E.Value.V.Bits != 0)
      S.NonZero.push_back(E.Target.Key);
    // A copy of a value known nonzero here (if (hdl->error) { res =
    // hdl->error; ... return res; }): an error code too.
    else if (!E.Value.FullKey.empty() && is_contained(S.NonZero, E.Value.FullKey) &&
             !is_contained(S.NonZero, E.Target.Key))
      S.NonZero.push_back(E.Target.Key);
    // A plain copy: fb_addr = pci_resource_start(pdev, 0) too, a macro
    // that reads a field (its base has no text of its own).
    bool Plain = !E.Value.Key.empty() ? E.Value.Key == E.Value.FullKey
                                      : E.Value.Lvalue && !E.Value.FullKey.empty();
    if (E.Value.Event < 0 && E.Value.V.Kind != ArgValue::Const && Plain &&
        E.Value.FullKey != E.Target.Key && !E.Target.Key.empty()) {
      if (S.Aliases.size() >= 16) // bounded: the oldest goes
        S.Aliases.erase(S.Aliases.begin());
      S.Aliases.push_back({E.Target.Key, E.Value.FullKey});
      // A pointer to the object a region was named through, stored
      // elsewhere (dev.cur = io after request_region(io->min, ...)): the
      // region is also named through the copy (dev.cur->min), on the paths
      // it exists on, whatever joins drop of the alias itself.
      for (ResInst &R : S.Insts) {
        if (R.A->HandleArg < 0)
          continue;
        SmallVector<std::string, 2> More;
        for (const std::string &K : R.Keys) {
          StringRef Rest(K);
          if (Rest.consume_front(E.Value.FullKey) &&
              (Rest.starts_with("->") || Rest.starts_with(".")))
            More.push_back(E.Target.Key + Rest.str());
        }
        for (std::string &K : More)
          if (!is_contained(R.Keys, K))
            R.Keys.push_back(std::move(K));
      }
    }
    // par->aux_start = start, priv->pdev = pdev: the region's handle under
    // another name (released as pci_release_regions(priv->pdev)), and, in
    // an object, recorded there. Not an escape: the value is not the region.
    if (Srcs.empty())
      for (ResInst &R : S.Insts)
        if (R.A->HandleArg >= 0 && R.named(E.Value) && !E.Target.Key.empty()) {
          if (!is_contained(R.Keys, E.Target.Key))
            R.Keys.push_back(E.Target.Key);
          if (E.Target.Field && !E.Target.Local && !R.StoredIn)
            R.StoredIn = E.Target.Field;
        }
    for (ResInst *Src : Srcs) {
      bool FromCall = (E.Value.Event >= 0 && unsigned(E.Value.Event) == Src->Acq) ||
                      is_contained(E.AltEvents, int(Src->Acq));
      if (FromCall)
        Src->Status = E.Target.Key; // base = ioremap(), err = pci_request_regions()
      if (FromCall && Src->A->HandleArg >= 0) {
        if (!E.Target.Local) // aperture = request_mem_region(...): kept
          Escape(*Src, I);
        continue;
      }
      if (!is_contained(Src->Keys, E.Target.Key))
        Src->Keys.push_back(E.Target.Key);
      if (Src->HandleText.empty() || (!E.Target.Local && Src->StoredIn == nullptr))
        Src->HandleText = E.Target.Text;
      if (!E.Target.Local) {
        Escape(*Src, I);
        Src->StoredIn = E.Target.Field;
        if (E.Target.Field && !is_contained(Src->Fields, E.Target.Field))
          Src->Fields.push_back(E.Target.Field);
      }
    }
    break;
  }
  case EventKind::Update: // base += 0x10: no longer what it was copied to
    guards::afterEvent(E, S.G, S.Insts); // locked = true, flags |= F
    llvm::erase_if(S.Aliases, [&](const std::pair<std::string, std::string> &A) {
      return A.first == E.Target.Key || A.second == E.Target.Key;
    });
    break;
  case EventKind::Return:
    for (ResInst &R : S.Insts)
      if (R.named(E.Value) && R.A->HandleArg < 0)
        Escape(R, I);
    break;
  case EventKind::Call:
    if (E.Prim) {
      // A handle's creator keeps what it is given: regmap_init_mmio(dev,
      // base, cfg) keeps the mapping in the regmap it returns.
      if (E.Prim->Creates)
        for (ResInst &R : S.Insts)
          if (R.A->HandleArg < 0 && any_of(E.RArgs, [&](const ArgInfo &A) {
                return R.named(A);
              }))
            Escape(R, I);
      break;
    }
    // A cleanup helper that releases regions releases the ones held here:
    // their handles (pdev, a start) are rarely passed to it as such. So
    // does one of another file the link knows (foo_cleanup(pdev)).
    if (SmallVector<const Releaser *, 2> Rls = releasersOf(E); !Rls.empty())
      for (ResInst &R : S.Insts)
        if (R.A->HandleArg >= 0 && any_of(Rls, [&](const Releaser *Rl) {
              return Rl->accepts(R.family(), ~0u);
            })) {
          R.release(I);
        }
    if (!E.Callee) {
      for (ResInst &R : S.Insts)
        if (R.A->HandleArg < 0 && any_of(E.RArgs, [&](const ArgInfo &A) {
              return R.named(A);
            }))
          Escape(R, I);
      break;
    }
    // A cleanup helper that releases a field (iounmap(card->plxbase) in
    // pc300_pci_remove_one(), called on probe's error path) releases what
    // was stored there.
    if (auto It = CalleeFieldReleases.find(E.Callee->definition());
        It != CalleeFieldReleases.end())
      for (ResInst &R : S.Insts)
        if (R.StoredIn && any_of(It->second, [&](const auto &FR) {
              if (!FR.second->accepts(R.family(), ~0u))
                return false;
              return reachesField(R.StoredIn, FR.first) ||
                     any_of(R.Fields, [&](const FieldRef *Fd) {
                       return reachesField(Fd, FR.first);
                     });
            })) {
          R.release(I);
        }
    if (auto It = Params.find(E.Callee->definition()); It != Params.end()) {
      const ParamFacts &P = It->second;
      for (unsigned J = 0; J < E.RArgs.size() && J < P.Releases.size(); ++J)
        for (ResInst &R : S.Insts) {
          bool ByHandle = R.named(E.RArgs[J]);
          bool ByArg = !R.ArgKey.empty() && R.byArg(E.RArgs[J].Key);
          if (P.Releases[J] && P.Releases[J]->accepts(R.family(), ~0u) &&
              (P.Releases[J]->TakesAcquireArg ? ByArg : ByHandle)) {
            R.release(I);
          } else if (P.Escapes[J] && ByHandle && R.A->HandleArg < 0) {
            Escape(R, I);
          }
        }
    }
    break;
  default:
    break;
  }
}

/// Folds \p R (the same acquisition on another path) into \p Into.
static void mergeInst(ResInst &Into, const ResInst &R) {
  Into.May |= R.May;
  Into.G.meet(R.G);
  for (const std::string &K : R.Keys)
    if (!is_contained(Into.Keys, K))
      Into.Keys.push_back(K);
  for (const std::string &K : R.GoneKeys)
    if (!is_contained(Into.GoneKeys, K))
      Into.GoneKeys.push_back(K);
  if (Into.Status.empty())
    Into.Status = R.Status;
  if (!Into.StoredIn)
    Into.StoredIn = R.StoredIn, Into.StoreEv = R.StoreEv;
  for (const FieldRef *Fd : R.Fields)
    if (!is_contained(Into.Fields, Fd))
      Into.Fields.push_back(Fd);
  if (Into.ReleaseEv == ~0u)
    Into.ReleaseEv = R.ReleaseEv;
}

/// One acquisition may be tracked as a few copies, one per set of pure
/// conditions its paths established (mapped when composite || divider: one
/// copy knows composite, the other !composite && divider), so a later test
/// of either condition prunes the right copy. Beyond this many the guards
/// are met (the conditions both copies agree on).
static constexpr unsigned MaxCopies = 4;

/// The checks see one instance per acquisition.
static void collapse(ResState &S) {
  for (unsigned I = 0; I < S.Insts.size(); ++I)
    for (unsigned J = I + 1; J < S.Insts.size();)
      if (S.Insts[J].Acq == S.Insts[I].Acq) {
        mergeInst(S.Insts[I], S.Insts[J]);
        S.Insts.erase(S.Insts.begin() + J);
      } else {
        ++J;
      }
}

static void join(ResState &Into, const ResState &From);

void ResourceAnalysis::block(const FunctionFacts &F, int B, ResState &S,
                             std::vector<ResState> *Rec) const {
  guards::enterBlock(F.Blocks[B], S.G, S.Insts);
  for (unsigned I : F.Blocks[B].Events) {
    if (Rec) // one state per event: the disjuncts joined (collapsed later)
      join((*Rec)[I], S);
    transfer(F, I, S);
  }
}

void ResourceAnalysis::edge(const FunctionFacts &F, int From, unsigned SuccIdx,
                            ResState &S) const {
  const BlockFacts &B = F.Blocks[From];
  // A pure condition tested again: the branch a path already decided.
  if (S.Reachable && !guards::onEdge(B, SuccIdx, S.G, S.Insts)) {
    S = ResState();
    return;
  }
  const ResultTest &T = B.Test;
  if (B.Succs.size() != 2 || T.Kind == ResultTest::None)
    return;
  bool Holds = (SuccIdx == 0) == T.TrueMeansYes;
  if (T.Kind == ResultTest::Same) {
    // if (mem != res) where mem = request_mem_region(...): what a request
    // returns is a new object, equal to no pointer it was not copied to.
    // The equal edge is one on which mem is not (or no longer) it.
    if (!Holds)
      return;
    auto Aliased = [&](StringRef X, StringRef Y) {
      return any_of(S.Aliases, [&](const std::pair<std::string, std::string> &A) {
        return (A.first == X && A.second == Y) || (A.first == Y && A.second == X);
      });
    };
    for (auto [X, Y] : {std::make_pair(T.Key, T.Other), std::make_pair(T.Other, T.Key)})
      llvm::erase_if(S.Insts, [&](const ResInst &R) {
        bool ByX = R.Status == X || (R.A->HandleArg < 0 && is_contained(R.Keys, X));
        bool ByY = R.Status == Y || is_contained(R.Keys, Y);
        return ByX && !ByY && !Aliased(X, Y) && R.May == ResInst::Held;
      });
    return;
  }
  // if (!dev.cur) where a live region is named through dev.cur->min: the
  // pointer it was named through is not NULL wherever the region exists.
  if (T.Kind == ResultTest::Truthy && !Holds && !T.Key.empty() && !T.Integer)
    llvm::erase_if(S.Insts, [&](const ResInst &R) {
      return R.A->HandleArg >= 0 && any_of(R.Keys, [&](const std::string &K) {
               return StringRef(K).starts_with(T.Key + "->");
             });
    });
  // if (!io->io2.minimum), or the same start through a pointer copied from
  // io (dev.cur_ioport = io; if (dev.cur_ioport->io2.minimum) false): a
  // held region's start is never 0. Drivers test 0 as "no such range"
  // before they request one (sony-laptop), and port 0 is the legacy DMA
  // controller's.
  if (T.Kind == ResultTest::Truthy && !Holds && T.Integer && !T.Key.empty()) {
    auto Names = [&](const ResInst &R) {
      if (is_contained(R.Keys, T.Key) || R.byArg(T.Key))
        return true;
      for (const auto &[X, Y] : S.Aliases)
        for (auto [From, To] : {std::pair(&X, &Y), std::pair(&Y, &X)}) {
          StringRef Rest(T.Key);
          if (From->empty() || To->empty() || !Rest.consume_front(*From) ||
              !(Rest.starts_with("->") || Rest.starts_with(".")))
            continue;
          std::string K = *To + Rest.str();
          if (is_contained(R.Keys, K) || R.byArg(K))
            return true;
        }
      return false;
    };
    llvm::erase_if(S.Insts, [&](const ResInst &R) {
      return R.family()->Class == ResourceClass::Region && R.A->HandleArg >= 0 &&
             R.May == ResInst::Held && R.Status != T.Key && Names(R);
    });
  }
  // if (io < 0) after request_region(io, ...) succeeded: a region's start is
  // a port or address, never negative; no path holds it with io < 0
  // (radio-sf16fmi's probe loop leaves io = -1 only where it released).
  if (T.Kind == ResultTest::Negative && Holds && T.Integer && !T.Key.empty())
    llvm::erase_if(S.Insts, [&](const ResInst &R) {
      return R.family()->Class == ResourceClass::Region && (R.May & ResInst::Held) &&
             R.Status != T.Key && R.byArg(T.Key);
    });
  S.Insts.erase(remove_if(S.Insts, [&](const ResInst &R) {
    bool Named = (T.Event >= 0 && unsigned(T.Event) == R.Acq) ||
                 (!T.Key.empty() && (R.Status == T.Key ||
                                     (R.A->HandleArg < 0 && is_contained(R.Keys, T.Key))));
    if (!Named)
      return false;
    switch (R.family()->Success) {
    case SuccessTest::NonNull:
      return (T.Kind == ResultTest::Truthy && !Holds) ||
             (T.Kind == ResultTest::IsErrOrNull && Holds);
    case SuccessTest::ErrPtr:
      return (T.Kind == ResultTest::IsErr || T.Kind == ResultTest::IsErrOrNull) &&
             Holds;
    case SuccessTest::Zero:
      return (T.Kind == ResultTest::Truthy || T.Kind == ResultTest::Negative) &&
             Holds;
    }
    return false;
  }), S.Insts.end());
  // if (err) / if (ret < 0): an error code on this branch, also where err is
  // the status of an acquisition that failed (err = pci_request_regions();
  // if (err) goto err_disable; joins a later err = -ENODEV at that label).
  if (!T.Key.empty() && Holds && T.Integer &&
      (T.Kind == ResultTest::Truthy || T.Kind == ResultTest::Negative) &&
      !is_contained(S.NonZero, T.Key))
    S.NonZero.push_back(T.Key);
}

static void join(ResState &Into, const ResState &From) {
  if (!From.Reachable)
    return;
  if (!Into.Reachable) {
    Into = From;
    return;
  }
  for (const ResInst &R : From.Insts) {
    auto Same = find_if(Into.Insts, [&](const ResInst &O) {
      return O.Acq == R.Acq && O.G == R.G;
    });
    auto First = find_if(Into.Insts, [&](const ResInst &O) { return O.Acq == R.Acq; });
    if (Same != Into.Insts.end()) {
      mergeInst(*Same, R);
      continue;
    }
    if (First == Into.Insts.end() ||
        (!R.G.Facts.empty() &&
         count_if(Into.Insts, [&](const ResInst &O) { return O.Acq == R.Acq; }) <
             MaxCopies)) {
      Into.Insts.push_back(R);
      continue;
    }
    mergeInst(*First, R);
  }
  Into.NonZero.erase(remove_if(Into.NonZero, [&](const std::string &K) {
                       return !is_contained(From.NonZero, K);
                     }), Into.NonZero.end());
  Into.G.meet(From.G);
  llvm::erase_if(Into.Aliases, [&](const std::pair<std::string, std::string> &A) {
    return !is_contained(From.Aliases, A);
  });
}

static bool same(const ResState &A, const ResState &B) {
  if (A.Reachable != B.Reachable || A.Insts.size() != B.Insts.size() ||
      A.NonZero != B.NonZero || !(A.G == B.G) || A.Aliases != B.Aliases)
    return false;
  for (auto [X, Y] : zip(A.Insts, B.Insts))
    if (X.Acq != Y.Acq || X.May != Y.May || X.Keys != Y.Keys ||
        X.Status != Y.Status || !(X.G == Y.G))
      return false;
  return true;
}

bool ResourceAnalysis::errorReturn(const FunctionFacts &F, const Event &E,
                                   const ResState &S) const {
  const ArgInfo &V = E.Value;
  // -errno, or NULL from a function returning a pointer; a positive value
  // is a count or a boolean "yes".
  if (V.V.Kind == ArgValue::Const)
    return V.V.Negative ||
           (V.V.Bits == 0 && F.FD->ReturnsPointer);
  // Returning what was just acquired (a region's base port, a handle) is
  // handing it to the caller: success, however nonzero it is.
  if (!V.Key.empty() && any_of(S.Insts, [&](const ResInst &R) {
        return (R.May & ResInst::Held) && (R.byArg(V.Key) || is_contained(R.Keys, V.Key));
      }))
    return false;
  if (!V.Key.empty() && F.FD->ReturnsInteger &&
      is_contained(S.NonZero, V.Key))
    return true;
  StringRef Fn = StringRef(V.Text).split('(').first.trim();
  return V.Text.find('(') != std::string::npos && M.isErrorValue(Fn);
}

namespace {
/// A block's state as a few disjuncts, one per set of pure conditions the
/// paths into it established (see Guards): `if (a || b) map();` reaches the
/// mapping as {a} and as {!a, b}, so a later `if (!a && !b)`-shaped pair of
/// tests prunes both. Joins keep disjuncts with different guards apart up to
/// MaxPaths, then fold each newcomer into the most alike (meeting the
/// guards).
using Paths = SmallVector<ResState, 2>;
constexpr unsigned MaxPaths = 8;

void joinPaths(Paths &Into, const Paths &From) {
  for (const ResState &D : From) {
    if (!D.Reachable)
      continue;
    auto It = find_if(Into, [&](const ResState &O) { return O.G == D.G; });
    if (It != Into.end()) {
      join(*It, D);
    } else if (Into.size() < MaxPaths) {
      Into.push_back(D);
    } else {
      // Fold into the most alike: the same acquisitions, then the most
      // conditions in common, so what is lost is a condition that does
      // not tell these paths apart.
      auto Score = [&](const ResState &O) {
        auto Acqs = [](const ResState &X) {
          SmallVector<unsigned, 4> V;
          for (const ResInst &R : X.Insts)
            V.push_back(R.Acq);
          llvm::sort(V);
          V.erase(std::unique(V.begin(), V.end()), V.end());
          return V;
        };
        unsigned N = Acqs(O) == Acqs(D) ? 1000 : 0;
        for (const auto &F : D.G.Facts)
          N += is_contained(O.G.Facts, F);
        return N;
      };
      ResState *Best = &Into.front();
      unsigned BestScore = Score(*Best);
      for (ResState &O : Into)
        if (unsigned Sc = Score(O); Sc > BestScore)
          Best = &O, BestScore = Sc;
      join(*Best, D);
    }
  }
}

bool samePaths(const Paths &A, const Paths &B) {
  if (A.size() != B.size())
    return false;
  for (auto [X, Y] : zip(A, B))
    if (!same(X, Y))
      return false;
  return true;
}

/// What the checks see: every path at once, one instance per acquisition.
ResState flatten(const Paths &P) {
  ResState S;
  for (const ResState &D : P)
    join(S, D);
  collapse(S);
  return S;
}
} // namespace

void ResourceAnalysis::analyze(const FunctionFacts &F) {
  struct Problem {
    const ResourceAnalysis &RA;
    const FunctionFacts &F;
    Paths entry() const {
      Paths S(1);
      S.back().Reachable = true;
      return S;
    }
    Paths edge(int From, unsigned K, const Paths &Out) const {
      Paths R;
      for (const ResState &D : Out) {
        ResState S = D;
        RA.edge(F, From, K, S);
        if (S.Reachable)
          R.push_back(std::move(S));
      }
      return R;
    }
    void join(Paths &Into, const Paths &From) const { joinPaths(Into, From); }
    bool live(const Paths &S) const { return !S.empty(); }
    Paths transfer(int B, Paths S) const {
      for (ResState &D : S)
        RA.block(F, B, D, nullptr);
      return S;
    }
    bool same(const Paths &A, const Paths &B) const { return samePaths(A, B); }
  };
  Problem Pb{*this, F};
  BlockStates<Paths> Solved = solveForward<Paths>(F, Pb);
  const std::vector<Paths> &In = Solved.In, &Out = Solved.Out;
  auto EdgeOut = [&](int P, unsigned K) { return Pb.edge(P, K, Out[P]); };
  std::vector<ResState> &Rec = States[&F];
  Rec.assign(F.Events.size(), ResState());
  for (int B : F.Order)
    for (ResState D : In[B])
      block(F, B, D, &Rec);
  for (ResState &R : Rec)
    collapse(R);
  // Field stores, for the TU-wide pairings.
  for (unsigned I = 0; I < F.Events.size(); ++I) {
    const Event &E = F.Events[I];
    const ResState &S = Rec[I];
    if (E.Kind == EventKind::Assign && E.Target.Field && S.Reachable)
      for (const ResInst &R : S.Insts)
        if ((R.named(E.Value) || is_contained(E.AltEvents, int(R.Acq))) &&
            R.A->HandleArg < 0) {
          FieldUse U{&F, I, R.family(), nullptr, R.Acq};
          const ArgInfo &V = E.Value;
          U.Interior = !V.Lvalue && V.Event < 0 && !V.Key.empty() &&
                       !V.FullKey.empty() && V.FullKey != V.Key;
          Stores[E.Target.Field].push_back(U);
          break;
        }
  }
  // Leaks: what may still be held on a path into the exit block.
  std::vector<Leak> &L = Leaks[&F];
  bool Probe = isProbe(F);
  // module_init's function (__init, no parameters): when it fails, module
  // exit never runs, so what it recorded in an object is not the exit's to
  // release (as remove is not after a failed probe).
  bool ModuleInit =
      F.FD && F.FD->Section == ".init.text" && F.FD->numParams() == 0;
  for (int P : F.Blocks[F.Exit].Preds) {
    if (Out[P].empty())
      continue;
    // The state on the edge into the exit (a failed acquisition's branch
    // drops it).
    Paths ExitPaths;
    for (unsigned K = 0; K < F.Blocks[P].Succs.size(); ++K)
      if (F.Blocks[P].Succs[K] == F.Exit)
        joinPaths(ExitPaths, EdgeOut(P, K));
    // Each disjunct on its own: a mapping handed off on one set of paths
    // and only held on another (told apart by their conditions) leaks there.
    std::vector<ResInst> AtExit;
    std::vector<const Guards *> AtExitG; // the disjunct each came from
    for (const ResState &D : ExitPaths) {
      ResState C = D;
      collapse(C);
      AtExit.insert(AtExit.end(), C.Insts.begin(), C.Insts.end());
      AtExitG.insert(AtExitG.end(), C.Insts.size(), &D.G);
    }
    auto Compatible = [](const Guards &X, const Guards &Y) {
      return none_of(X.Facts, [&](const std::pair<unsigned, bool> &F) {
        return is_contained(Y.Facts, std::make_pair(F.first, !F.second));
      });
    };
    // Handed off on paths that do not contradict this one's conditions.
    auto EscapedAlongside = [&](size_t K) {
      for (size_t J = 0; J < AtExit.size(); ++J)
        if (AtExit[J].Acq == AtExit[K].Acq && (AtExit[J].May & ResInst::Escaped) &&
            Compatible(*AtExitG[J], *AtExitG[K]))
          return true;
      return false;
    };
    // The return that ends this path, and the state just before it.
    const Event *Ret = nullptr;
    ResState AtRet;
    for (unsigned I : F.Blocks[P].Events)
      if (F.Events[I].Kind == EventKind::Return) {
        Ret = &F.Events[I];
        AtRet = Rec[I];
      }
    bool Err = Ret && errorReturn(F, *Ret, AtRet);
    for (size_t Ix = 0; Ix < AtExit.size(); ++Ix) {
      const ResInst &R = AtExit[Ix];
      const Family *Fam = R.family();
      if (managed(Fam) || Fam->Class == ResourceClass::Memory ||
          Fam->Class == ResourceClass::Pages)
        continue;
      // A helper that fails with a region recorded in an object its caller
      // cleans up (setup_io() and release_io()): the caller's error path
      // releases it. Probe has no such caller.
      // A helper no function of this file calls (another file's, or through
      // an ops pointer: isp_ops->iospace_config(ha)) failing with a region
      // recorded in the object it was given: its callers are not visible.
      if (!Probe && !ModuleInit && Fam->Class == ResourceClass::Region &&
          (ownedByObject(R) || (Err && callerReleases(F, R)) ||
           (R.StoredIn && !Called.count(F.FD))))
        continue;
      // A successful return with a mapping that escaped on other paths to
      // it (handed to a helper that stores it, in a loop over channels):
      // kept on purpose; the paths that skip the hand-off are rarely real.
      if (!Err && EscapedAlongside(Ix))
        continue;
      // Kept in a file-scope variable that module exit releases.
      if (!ExitReleased.empty() &&
          (ExitReleased.count(R.ArgKey) ||
           any_of(R.Keys, [&](const std::string &K) { return ExitReleased.count(K); })))
        continue;
      bool HeldHere = R.May & ResInst::Held;
      // Stored where a teardown callback releases it (host_priv->hcr_base
      // and libata's host_stop): the framework's to release.
      bool Stored = Probe && Err && (R.May & ResInst::Escaped) && R.StoredIn &&
                    !(R.May & ResInst::Released) &&
                    none_of(R.Fields, [&](const FieldRef *Fd) {
                      return releasedByTeardown(Fd, Fam);
                    });
      if (!HeldHere && !Stored)
        continue;
      // One leak per acquisition and kind of exit (error or not): the one
      // whose walk back to the acquisition is shortest (the return soonest
      // after it; source order breaks ties), as the witness to show.
      auto Same = find_if(L, [&](const Leak &O) {
        return O.Acq == R.Acq && O.ErrorExit == Err;
      });
      Leak K;
      K.Acq = R.Acq;
      K.ErrorExit = Err;
      K.StoredOnly = !HeldHere;
      K.Exit = Ret ? Ret->Loc : SourceLoc();
      // Walk back to the acquisition, noting the branches that lead here.
      int Cur = P;
      DenseSet<int> Seen;
      std::vector<Step> Rev;
      // The pure conditions the branches chosen so far need: an earlier
      // test of one of them must agree (unless a block in between wrote it).
      Guards Need;
      while (Seen.insert(Cur).second && !is_contained(F.Blocks[Cur].Events, R.Acq)) {
        Need.kill(F.Blocks[Cur].Kills);
        int Next = -1;
        for (int Q : F.Blocks[Cur].Preds) {
          const BlockFacts &QB = F.Blocks[Q];
          for (unsigned Kx = 0; Kx < QB.Succs.size() && Next < 0; ++Kx) {
            if (QB.Succs[Kx] != Cur || Out[Q].empty())
              continue;
            if (QB.Cond >= 0 && QB.Succs.size() == 2) {
              Guards Try = Need;
              if (!Try.assume(QB.Cond, (Kx == 0) == QB.CondOnTrue))
                continue;
            }
            ResState S = flatten(EdgeOut(Q, Kx));
            // Only an edge on which it may still leak: held (or, for a
            // probe's stored mapping, stored and not released).
            if (!any_of(S.Insts, [&](const ResInst &O) {
                  return O.Acq == R.Acq &&
                         (HeldHere ? (O.May & ResInst::Held) != 0
                                   : !(O.May & ResInst::Released));
                }))
              continue;
            Next = Q;
            if (QB.Cond >= 0 && QB.Succs.size() == 2)
              Need.assume(QB.Cond, (Kx == 0) == QB.CondOnTrue);
            // One note per condition (a || b makes several blocks of one if).
            if (QB.Succs.size() == 2 && QB.CondLoc.isValid() && Rev.size() < 4 &&
                (Rev.empty() || Rev.back().Loc != QB.CondLoc))
              Rev.push_back({QB.CondLoc, std::string("taking the ") +
                                             (Kx == 0 ? "true" : "false") +
                                             " branch here"});
          }
          if (Next >= 0)
            break;
        }
        if (Next < 0)
          break;
        Cur = Next;
      }
      K.Path.assign(Rev.rbegin(), Rev.rend());
      K.Blocks = Seen.size();
      if (Same == L.end())
        L.push_back(std::move(K));
      else if (K.Blocks < Same->Blocks ||
               (K.Blocks == Same->Blocks && K.Exit < Same->Exit))
        *Same = std::move(K);
    }
  }
}

bool ResourceAnalysis::callerReleases(const FunctionFacts &F,
                                      const ResInst &R) const {
  if (!F.FD || R.A->HandleArg < 0)
    return false;
  // The parameter the handle came in through.
  int Param = -1;
  for (unsigned I = 0; I < F.FD->numParams() && Param < 0; ++I) {
    StringRef N = F.FD->Params[I];
    if (!N.empty() && is_contained(R.Keys, N))
      Param = I;
  }
  if (Param < 0)
    return false;
  // Every call must be from a function that releases it.
  bool Any = false;
  for (const auto &G : Facts.Functions)
    for (const Event &C : G->Events) {
      if (!C.Callee || C.Callee->definition() != F.FD)
        continue;
      if (unsigned(Param) >= C.RArgs.size() || C.RArgs[Param].Key.empty())
        return false;
      if (!releasedAfter(*G, unsigned(&C - G->Events.data()), C.RArgs[Param].Key,
                         R.family()))
        return false;
      Any = true;
    }
  return Any;
}

/// Whether every path of \p G from event \p Call to a return that is not a
/// plain success (return 0) releases \p Arg: the release must not hang on
/// a condition the callee decides (if (par->vid_regs) pci_release_region()).
bool ResourceAnalysis::releasedAfter(const FunctionFacts &G, unsigned Call,
                                     StringRef Arg, const Family *Fam) const {
  auto Releases = [&](const Event &E) {
    const Releaser *Rel = E.Prim ? E.Prim->Rel : nullptr;
    return Rel && Rel->accepts(Fam, ~0u) && unsigned(Rel->Arg) < E.RArgs.size() &&
           E.RArgs[Rel->Arg].Key == Arg;
  };
  auto Failing = [&](const Event &E) {
    return E.Kind == EventKind::Return &&
           !(E.Value.V.Kind == ArgValue::Const && !E.Value.V.Negative);
  };
  // From a point in a block: released before a failing return, or carried on.
  enum { Released, Leaks, Continues };
  auto Scan = [&](int B, size_t From) {
    const std::vector<unsigned> &Ev = G.Blocks[B].Events;
    for (size_t I = From; I < Ev.size(); ++I) {
      if (Releases(G.Events[Ev[I]]))
        return Released;
      if (Failing(G.Events[Ev[I]]))
        return Leaks;
    }
    return Continues;
  };
  // Greatest fixpoint of Ok(B): every path from B's start is fine.
  std::vector<char> Ok(G.Blocks.size(), 1);
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (unsigned B = 0; B < G.Blocks.size(); ++B) {
      if (!Ok[B] || int(B) == G.Exit)
        continue;
      int S = Scan(B, 0);
      bool V = S == Released ||
               (S == Continues && all_of(G.Blocks[B].Succs, [&](int X) {
                  return X < 0 || Ok[X];
                }));
      if (!V) {
        Ok[B] = 0;
        Changed = true;
      }
    }
  }
  for (unsigned B = 0; B < G.Blocks.size(); ++B) {
    const std::vector<unsigned> &Ev = G.Blocks[B].Events;
    auto It = llvm::find(Ev, Call);
    if (It == Ev.end())
      continue;
    int S = Scan(B, It - Ev.begin() + 1);
    return S == Released ||
           (S == Continues &&
            all_of(G.Blocks[B].Succs, [&](int X) { return X < 0 || Ok[X]; }));
  }
  return false;
}

SmallVector<const FieldRef *, 4>
ResourceAnalysis::fieldAliases(const FieldRef *Fd) const {
  SmallVector<const FieldRef *, 4> Out;
  if (!Fd)
    return Out;
  Out.push_back(Fd);
  for (unsigned I = 0; I < Out.size() && Out.size() < 16; ++I)
    if (auto It = PointerFlows.find(Out[I]); It != PointerFlows.end())
      for (const FieldRef *D : It->second)
        if (!is_contained(Out, D))
          Out.push_back(D);
  return Out;
}

bool ResourceAnalysis::reachesField(const FieldRef *Fd, const FieldRef *Got) const {
  if (!Fd || !Got)
    return false;
  return any_of(fieldAliases(Fd),
                [&](const FieldRef *A) { return A->Name == Got->Name; });
}

bool ResourceAnalysis::releasedByTeardown(const FieldRef *Fd,
                                          const Family *Fam) const {
  auto It = Fd ? FieldReleases.find(Fd) : FieldReleases.end();
  return It != FieldReleases.end() && any_of(It->second, [&](const FieldUse &U) {
           return Teardown.count(U.F) && U.Rel->accepts(Fam, ~0u);
         });
}

bool ResourceAnalysis::ownedByObject(const ResInst &R) const {
  if (!R.StoredIn)
    return false;
  auto It = FieldReleases.find(R.StoredIn);
  return It != FieldReleases.end() && any_of(It->second, [&](const FieldUse &U) {
           return U.Rel->accepts(R.family(), ~0u);
         });
}

void ResourceAnalysis::run() {
  // Families some call of this TU makes managed (pcim_enable_device()).
  for (const auto &F : Facts.Functions)
    for (const Event &E : F->Events)
      if (E.Prim && !E.Prim->Acq)
        for (const Family &FamRef : M.families())
          if (is_contained(FamRef.ManagedAfter, E.Name))
            ManagedHere.insert(&FamRef);
  // Where fields are released, for the TU-wide pairings and ownedByObject.
  for (const auto &F : Facts.Functions)
    for (unsigned I = 0; I < F->Events.size(); ++I) {
      const Event &E = F->Events[I];
      if (E.Prim && E.Prim->Rel && unsigned(E.Prim->Rel->Arg) < E.RArgs.size())
        if (const FieldRef *Fd = fieldOf(*F, E.RArgs[E.Prim->Rel->Arg]))
          FieldReleases[Fd].push_back(FieldUse{F.get(), I, nullptr, E.Prim->Rel, 0});
    }
  for (const auto &F : Facts.Functions)
    for (const auto &[Dst, Src] : F->PointerCopies)
      if (!is_contained(PointerFlows[Src], Dst))
        PointerFlows[Src].push_back(Dst);
  for (const auto &F : Facts.Functions)
    for (const Event &E : F->Events)
      if (E.Callee)
        if (const FunctionRef *D = E.Callee->definition())
          Called.insert(D);
  for (const FunctionRef *FD : Facts.Teardowns)
    for (const FunctionFacts *G : reachable(FD))
      Teardown.insert(G);
  // What module exit releases through file-scope variables: i2c-viapro's probe keeps
  // request_region(vt596_smba, ...) on a deliberate -ENODEV, and
  // i2c_vt596_exit() does release_region(vt596_smba, 8).
  for (const auto &F : Facts.Functions) {
    if (!F->FD || F->FD->Section != ".exit.text" || F->FD->numParams() != 0)
      continue;
    for (const FunctionFacts *G : reachable(F->FD))
      for (const Event &E : G->Events) {
        const Releaser *Rel = E.Prim ? E.Prim->Rel : nullptr;
        if (!Rel || unsigned(Rel->Arg) >= E.RArgs.size())
          continue;
        if (E.RArgs[Rel->Arg].Global && !E.RArgs[Rel->Arg].Key.empty())
          ExitReleased.insert(E.RArgs[Rel->Arg].Key);
      }
  }
  computeParams();
  for (const auto &F : Facts.Functions)
    analyze(*F);
}

} // namespace kdlint

//===- Analysis.cpp - Context dataflow, summaries, the TU fixpoint --------===//

#include "kdlint/Analysis.h"
#include "kdlint/Dataflow.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"
#include <deque>

using namespace llvm;

namespace kdlint {

static constexpr unsigned MaxChain = 12;

bool CtxState::interrupt() const {
  return any_of(HeldList, [](const Held &H) { return H.Context->Interrupt; });
}

bool FunctionSummary::sameAs(const FunctionSummary &O) const {
  if (Always.has_value() != O.Always.has_value() ||
      ByParam.size() != O.ByParam.size() ||
      Acquires.size() != O.Acquires.size() || Releases != O.Releases)
    return false;
  if (Always && (Always->UnlessInterrupt != O.Always->UnlessInterrupt ||
                 Always->UnlessFlags != O.Always->UnlessFlags))
    return false;
  for (auto [A, B] : zip(ByParam, O.ByParam))
    if (A.Param != B.Param || A.Cond != B.Cond || A.UnlessFlags != B.UnlessFlags ||
        A.Also != B.Also)
      return false;
  for (auto [A, B] : zip(Acquires, O.Acquires))
    if (A.Context != B.Context)
      return false;
  return true;
}

TUAnalysis::TUAnalysis(const TUFacts &Facts, const Model &M)
    : Facts(Facts), M(M), Res(Facts, M) {
  DirectReclaim = Facts.Constants.get(M.gfp().DirectReclaim);
}

void TUAnalysis::setLink(const LinkResult *L,
                         std::function<SourceLoc(const RemoteStep &)> Locate) {
  External = &L->Sleeps;
  ExternalCtx = &L->Contexts;
  ExternalRel = &L->Releases;
  ExternalAcq = &L->Acquires;
  ExternalCond = &L->CondSleeps;
  Res.setExternalReleases(&L->ResReleases);
  ExternalStores = &L->FieldStores;
  ExternalKept = &L->Kept;
  Link = L;
  this->Locate = std::move(Locate);
}


/// Whether the field of \p Key belongs to a structure the kernel declares
/// for every driver (in an include/ directory: struct Scsi_Host, struct
/// device): one driver's store into it says nothing of another's release,
/// even in the same directory (drivers/scsi/ holds a hundred drivers).
static bool kernelWideField(StringRef Key) {
  return kernelWidePath(Key.split('@').second.rsplit(':').first);
}

bool TUAnalysis::crossesHere(StringRef Fn, const ExternalSleep *S) const {
  if (!Link)
    return true;
  auto It = Link->ModuleOf.find(Fn);
  // A conditional sleep crosses modules only where any sleep does: within
  // one module.
  return It == Link->ModuleOf.end() ||
         sleepsCross(Module, It->second, S ? S->Chain.size() : SIZE_MAX);
}

SmallVector<const ExportedFieldStore *, 2>
TUAnalysis::externalStores(const FieldRef *Fd) const {
  SmallVector<const ExportedFieldStore *, 2> Out;
  if (!ExternalStores || ExternalStores->empty())
    return Out;
  std::string Key = Fd->Key;
  auto It = ExternalStores->find(Key);
  if (It == ExternalStores->end() || kernelWideField(Key))
    return Out;
  return ofThisDriver(It->second);
}

SmallVector<const ExportedFieldStore *, 2>
TUAnalysis::ofThisDriver(ArrayRef<ExportedFieldStore> Stores) const {
  SmallVector<const ExportedFieldStore *, 2> Out;
  const std::string &Main = Facts.mainFile();
  for (const ExportedFieldStore &S : Stores)
    if (sameDriver(S.Stored.File, S.Module, Main, Module) && !kernelWideField(S.Key))
      Out.push_back(&S);
  return Out;
}

SmallVector<const ExportedFieldStore *, 2> TUAnalysis::keptBy(StringRef Fn) const {
  SmallVector<const ExportedFieldStore *, 2> Out;
  if (!ExternalKept || ExternalKept->empty())
    return Out;
  auto It = ExternalKept->find(Fn);
  if (It == ExternalKept->end())
    return Out;
  const std::string &Main = Facts.mainFile();
  if (Link && Link->Partial.count(llvm::sys::path::parent_path(Main)))
    return Out;
  return ofThisDriver(It->second);
}

const FunctionSummary *TUAnalysis::summary(const FunctionRef *FD) const {
  auto It = Summaries.find(FD);
  return It == Summaries.end() ? nullptr : &It->second;
}

const std::vector<CtxState> &TUAnalysis::states(const FunctionFacts &F) const {
  return EventStates.find(&F)->second;
}

std::string TUAnalysis::gfpName(const ArgValue &V) const {
  if (V.Kind == ArgValue::Const) {
    // Prefer the name the kernel gives this exact mask.
    for (const std::string &N : M.gfp().Masks)
      if (std::optional<uint64_t> Val = Facts.Constants.get(N); Val && *Val == V.Bits)
        if (V.Text.empty() || V.Text.find('(') != std::string::npos)
          return N;
  }
  if (!V.Text.empty())
    return V.Text;
  if (V.Kind == ArgValue::Const) {
    char Buf[32];
    snprintf(Buf, sizeof(Buf), "0x%llx", (unsigned long long)V.Bits);
    return Buf;
  }
  return "the caller's GFP mask";
}

namespace {
/// Whether the facts \p Known imply \p C (Yes), its negation (No), or neither.
int implied(const SmallVectorImpl<ParamCond> &Known, const ParamCond &C) {
  for (const ParamCond &K : Known) {
    if (K.Index != C.Index || K.Handle || C.Handle)
      continue;
    if (K.Eq || C.Eq) {
      if (!K.Eq || !C.Eq)
        continue;
      // p in {v...} decides p in {w...} when one set holds the other or
      // they do not meet; p != v decides only p in {v}.
      auto In = [](const ParamCond &A, uint64_t X) { return is_contained(A.Values, X); };
      if (K.NonZero && C.NonZero) {
        if (all_of(K.Values, [&](uint64_t X) { return In(C, X); }))
          return 1;
        if (none_of(K.Values, [&](uint64_t X) { return In(C, X); }))
          return 0;
        continue;
      }
      if (K.NonZero && !C.NonZero) // C: p != w
        return all_of(K.Values, [&](uint64_t X) { return !In(C, X); }) ? 1
               : K.Values == C.Values                                  ? 0
                                                                       : -1;
      if (!K.NonZero && C.NonZero && C.Values == K.Values)
        return 0;
      continue;
    }
    // (p & K.Mask) != 0 implies (p & M) != 0 when K.Mask is within M.
    if (K.NonZero && (K.Mask & ~C.Mask) == 0)
      return C.NonZero ? 1 : 0;
    // (p & K.Mask) == 0 implies (p & M) == 0 when M is within K.Mask.
    if (!K.NonZero && (C.Mask & ~K.Mask) == 0)
      return C.NonZero ? 0 : 1;
  }
  return -1;
}

/// A lock's key for comparison: `*(p + i)` (the object) and `p + i` (a
/// pointer to it) name the same lock, as do `a->b` and `a.b`.
std::string normKey(StringRef K) {
  K = K.ltrim("*&");
  std::string S = K.str();
  for (size_t P; (P = S.find("->")) != std::string::npos;)
    S.replace(P, 2, ".");
  return S;
}
} // namespace

TUAnalysis::Tri TUAnalysis::evalCond(const ParamCond &C, const ArgValue &V,
                                     const ArgInfo *AI, const FunctionFacts &F,
                                     const CtxState &S, ParamCond &Out,
                                     std::optional<Step> &Why) const {
  if (C.Handle) {
    if (!AI)
      return Tri::No;
    HandleOrigin O = originOf(*AI, F);
    if (O.Kind == HandleOrigin::Sleeps) {
      Why = O.Why;
      return Tri::Yes;
    }
    if (O.Kind == HandleOrigin::Param) {
      Out = C;
      Out.Index = O.ParamIndex;
      return Tri::Maybe;
    }
    return Tri::No;
  }
  auto Decide = [&](bool NonZero) { return NonZero == C.NonZero ? Tri::Yes : Tri::No; };
  if (C.Eq) {
    if (V.Kind == ArgValue::Const)
      return Decide(is_contained(C.Values, V.Bits));
    if (V.Kind == ArgValue::Param && V.Bits == 0) {
      Out = C;
      Out.Index = V.ParamIndex;
      int I = implied(S.Known, Out);
      if (I >= 0)
        return I ? Tri::Yes : Tri::No;
      return Tri::Maybe;
    }
    return Tri::Yes; // a value from elsewhere may be the one
  }
  switch (V.Kind) {
  case ArgValue::Const:
    return Decide((V.Bits & C.Mask) != 0);
  case ArgValue::NonNull:
  case ArgValue::Function:
    if (C.Mask == ~0ull)
      return Decide(true);
    return C.Gfp ? Tri::No : Tri::Yes;
  case ArgValue::Param: {
    if (V.Bits & C.Mask)
      return Decide(true);
    Out = C;
    Out.Index = V.ParamIndex;
    Out.Mask = C.Mask & V.Mask;
    Out.Pointer = C.Pointer;
    if (Out.Mask == 0)
      return Decide(false);
    int I = implied(S.Known, Out);
    if (I >= 0)
      return I ? Tri::Yes : Tri::No;
    return Tri::Maybe;
  }
  default:
    // Bits an unknown value certainly has, or certainly lacks (one of two
    // constants): enough to decide a bit test.
    if (C.Mask != ~0ull && (V.Bits & C.Mask))
      return Decide(true);
    if (C.Mask != ~0ull && !(V.Mask & C.Mask))
      return Decide(false);
    // A GFP mask from nowhere is not evidence of a sleep; any other value
    // may be whatever makes the callee sleep.
    return C.Gfp ? Tri::No : Tri::Yes;
  }
}

HandleOrigin TUAnalysis::originOf(const ArgInfo &A, const FunctionFacts &F,
                                  unsigned Depth) const {
  HandleOrigin R;
  if (Depth > 4)
    return R;
  if (A.Event >= 0 && unsigned(A.Event) < F.Events.size()) {
    const Event &E = F.Events[A.Event];
    if (E.Prim && E.Prim->Creates) {
      R.Kind = E.Prim->CreatesSleeping ? HandleOrigin::Sleeps : HandleOrigin::NoSleep;
      R.Why = {E.Loc, "the " + E.Prim->Creates->Name + " is made here by '" +
                          E.Name + "': " + E.Prim->CreatesWhy};
      return R;
    }
    if (E.Callee)
      if (auto It = ReturnOrigins.find(E.Callee); It != ReturnOrigins.end())
        return It->second;
    return R;
  }
  if (A.V.Kind == ArgValue::Param) {
    R.Kind = HandleOrigin::Param;
    R.ParamIndex = A.V.ParamIndex;
    return R;
  }
  if (A.Field) {
    if (auto It = FieldOrigins.find(A.Field); It != FieldOrigins.end())
      return It->second;
    return R;
  }
  if (A.Local && !A.Key.empty()) {
    bool Any = false;
    for (const Event *EP : assignmentsOf(F, A.Key)) {
      const Event &E = *EP;
      if (E.Value.V.Kind == ArgValue::Const) // = NULL before the real one
        continue;
      HandleOrigin O = originOf(E.Value, F, Depth + 1);
      if (O.Kind == HandleOrigin::Sleeps)
        return O;
      if (O.Kind == HandleOrigin::Param || !Any) {
        if (R.Kind != HandleOrigin::Param)
          R = O;
      } else if (O.Kind != R.Kind && R.Kind != HandleOrigin::Param) {
        R.Kind = HandleOrigin::Unknown;
      }
      Any = true;
    }
  }
  return R;
}

void TUAnalysis::computeOrigins() {
  auto Join = [](HandleOrigin &Into, const HandleOrigin &O, bool First) {
    if (Into.Kind == HandleOrigin::Sleeps)
      return false;
    if (O.Kind == HandleOrigin::Sleeps || First) {
      bool Changed = Into.Kind != O.Kind;
      Into = O;
      if (Into.Kind == HandleOrigin::Param)
        Into.Kind = HandleOrigin::Unknown; // a caller's value: not known here
      return Changed;
    }
    if (Into.Kind != O.Kind && Into.Kind != HandleOrigin::Unknown) {
      Into.Kind = HandleOrigin::Unknown;
      return true;
    }
    return false;
  };
  for (unsigned Round = 0; Round < 4; ++Round) {
    bool Changed = false;
    DenseMap<const FieldRef *, bool> SeenField;
    DenseMap<const FunctionRef *, bool> SeenFn;
    for (const auto &F : Facts.Functions)
      for (const Event &E : F->Events) {
        if (E.Kind == EventKind::Assign && E.Target.Field && !E.Target.Local) {
          HandleOrigin O = originOf(E.Value, *F);
          if (O.Kind == HandleOrigin::Unknown && E.Value.Event < 0 &&
              E.Value.Key.empty())
            continue;
          bool First = !SeenField.count(E.Target.Field);
          SeenField[E.Target.Field] = true;
          Changed |= Join(FieldOrigins[E.Target.Field], O, First);
        } else if (E.Kind == EventKind::Return && !E.Value.Key.empty()) {
          HandleOrigin O = originOf(E.Value, *F);
          bool First = !SeenFn.count(F->FD);
          SeenFn[F->FD] = true;
          Changed |= Join(ReturnOrigins[F->FD], O, First);
        }
      }
    if (!Changed)
      break;
  }
}

void TUAnalysis::appendRemote(std::vector<Step> &Out,
                              ArrayRef<RemoteStep> Steps) const {
  for (const RemoteStep &St : Steps) {
    if (Out.size() >= MaxChain)
      break;
    SourceLoc L = locate(St);
    if (L.isValid())
      Out.push_back({L, St.Text});
  }
}

/// What \p C asks of a parameter, for a note: "is nonzero", "has 0x1 set".
static std::string describeCond(const ParamCond &C) {
  auto Hex = [](uint64_t V) { return "0x" + utohexstr(V); };
  if (C.Eq) {
    std::string Vs;
    for (uint64_t V : C.Values)
      Vs += (Vs.empty() ? "" : ", ") + Hex(V);
    return (C.NonZero ? "is one of " : "is not ") + Vs;
  }
  if (C.Mask == ~0ull)
    return C.NonZero ? (C.Pointer ? "is not NULL" : "is nonzero")
                     : (C.Pointer ? "is NULL" : "is zero");
  return (C.NonZero ? "has " : "has none of ") + Hex(C.Mask) + (C.NonZero ? " set" : "");
}

std::optional<SleepFact> TUAnalysis::sleepAt(const FunctionFacts &Fn,
                                             unsigned I,
                                             const CtxState &S) const {
  const Event &E = Fn.Events[I];
  if (E.Kind != EventKind::Call)
    return std::nullopt;
  std::optional<SleepFact> R;
  // Applies a condition's verdict to R: Yes keeps it, Maybe makes it
  // conditional on Out, No drops it.
  auto Apply = [&](Tri T, const ParamCond &Out) {
    if (T == Tri::No)
      return false;
    if (T == Tri::Maybe) {
      R->Param = Out.Index;
      R->Cond = Out;
    }
    return true;
  };
  if (E.Prim && E.Prim->Kind == PrimitiveKind::Sleep) {
    R = SleepFact();
    R->UnlessInterrupt = E.Prim->UnlessInterrupt;
    R->Chain.push_back({E.Loc, "'" + E.Name + "' " + E.Prim->Reason});
    // wait_event_lock_irq(wq, cond, lock): not under that lock while asleep.
    // A lock this function does not hold is its caller's (a parameter's):
    // no class, matched by key once mapped into the caller.
    if (E.Prim->DropsLockArg >= 0 && !E.Key.empty()) {
      ReleasedLock RL;
      RL.Key = E.Key;
      for (const Held &H : S.HeldList)
        if (!H.Key.empty() && normKey(H.Key) == normKey(E.Key)) {
          RL.Context = H.Context;
          break;
        }
      R->ReleasedBefore.push_back(std::move(RL));
    }
    std::optional<Step> Why;
    Tri ByArg = Tri::No;
    ParamCond ArgOut;
    if (E.Prim->SleepIfArg >= 0) {
      ParamCond C;
      std::optional<Step> Unused;
      ByArg = E.SleepArg ? evalCond(C, *E.SleepArg, nullptr, Fn, S, ArgOut, Unused)
                         : Tri::Yes;
    }
    Tri ByHandle = Tri::No;
    ParamCond HandleOut;
    if (E.Prim->Handle) {
      ParamCond C;
      C.Handle = true;
      unsigned A = E.Prim->HandleArg;
      ByHandle = evalCond(C, ArgValue(), A < E.RArgs.size() ? &E.RArgs[A] : nullptr,
                          Fn, S, HandleOut, Why);
    }
    if (E.Prim->SleepIfArg < 0 && !E.Prim->Handle) {
      // sleeps unconditionally
    } else if (ByArg == Tri::Yes) {
      Why.reset();
    } else if (ByHandle == Tri::Yes) {
    } else if (ByArg == Tri::Maybe) {
      Apply(ByArg, ArgOut);
    } else if (ByHandle == Tri::Maybe) {
      Apply(ByHandle, HandleOut);
    } else {
      return std::nullopt;
    }
    if (Why)
      R->Chain.push_back(*Why);
  } else if (!E.Prim && !E.Callee && !E.External.empty() && External &&
             External->count(E.External) &&
             crossesHere(E.External, &External->find(E.External)->second)) {
    // Defined in another TU of the run, which says it sleeps.
    const ExternalSleep &X = External->find(E.External)->second;
    R = SleepFact();
    R->Chain.push_back({E.Loc, "'" + E.Name + "' (defined in " + X.DefinedIn +
                                   ") may sleep"});
    appendRemote(R->Chain, X.Chain);
  } else if ((E.Prim && E.Prim->Kind == PrimitiveKind::Alloc) ||
             (!E.Prim && !E.Callee && E.Gfp)) {
    // An allocator, or a function kdlint has no body for that is given a
    // mask (it may allocate with it: kfifo_alloc(), sg_alloc_table_*()).
    bool Given = !E.Prim;
    if (!E.Gfp || !DirectReclaim)
      return std::nullopt;
    ParamCond C, Out;
    C.Mask = *DirectReclaim;
    C.Gfp = true;
    std::optional<Step> Unused;
    R = SleepFact();
    if (!Apply(evalCond(C, *E.Gfp, nullptr, Fn, S, Out, Unused), Out))
      return std::nullopt;
    // __xa_insert(&xa, ..., GFP_KERNEL) under xa_lock(&xa): the callee
    // leaves that lock before it sleeps.
    if (Given)
      if (auto Drop = M.gfpDropsLock(E.Name);
          Drop && Drop->first < E.RArgs.size() && !E.RArgs[Drop->first].FullKey.empty()) {
        ReleasedLock RL;
        RL.Key = E.RArgs[Drop->first].FullKey + Drop->second;
        for (const Held &H : S.HeldList)
          if (!H.Key.empty() && normKey(H.Key) == normKey(RL.Key))
            RL.Context = H.Context;
        R->ReleasedBefore.push_back(std::move(RL));
      }
    std::string G = gfpName(*E.Gfp);
    R->Chain.push_back(
        {E.Loc, R->Param < 0
                    ? "'" + E.Name + "' with " + G + " may sleep: " + G +
                          " includes __GFP_DIRECT_RECLAIM" +
                          (Given ? " and '" + E.Name + "' may allocate with it" : "")
                    : "'" + E.Name + "' " +
                          (Given ? "is given" : "allocates here with") +
                          " the caller's mask"});
  } else if (E.Callee || (!E.Prim && !E.External.empty() && ExternalCond &&
                          ExternalCond->count(E.External) &&
                          crossesHere(E.External, nullptr))) {
    // A function of this TU, by its summary; one of another TU that sleeps
    // on its arguments, by a summary made of what it exported.
    FunctionSummary Remote;
    const FunctionSummary *CS = E.Callee ? summary(E.Callee) : &Remote;
    if (!E.Callee)
      for (const ExportedCondSleep &X : ExternalCond->find(E.External)->second) {
        SleepFact F;
        F.Param = X.Cond.Index;
        F.Cond = X.Cond;
        F.Also.assign(X.Also.begin(), X.Also.end());
        F.UnlessInterrupt = X.UnlessInterrupt;
        if (!X.Chain.empty())
          F.Chain.push_back(
              {E.Loc, "'" + E.Name + "' (defined in " +
                          sys::path::filename(X.Chain.front().File).str() +
                          ") sleeps when its argument " + std::to_string(X.Cond.Index + 1) +
                          " " + describeCond(X.Cond)});
        appendRemote(F.Chain, X.Chain);
        Remote.ByParam.push_back(std::move(F));
      }
    if (!CS)
      return std::nullopt;
    auto Through = [&](const SleepFact &Inner, const std::optional<Step> &Why) {
      SleepFact F;
      F.UnlessInterrupt = Inner.UnlessInterrupt;
      F.UnlessFlags = Inner.UnlessFlags;
      F.Chain.push_back({E.Loc, "'" + Fn.Name + "' calls '" + E.Name + "' here"});
      for (const Step &St : Inner.Chain)
        if (F.Chain.size() < MaxChain)
          F.Chain.push_back(St);
      if (Why)
        F.Chain.push_back(*Why);
      // The callee's released locks, in this caller's terms.
      for (const ReleasedLock &RL : Inner.ReleasedBefore) {
        ReleasedLock M = RL;
        if (RL.Param >= 0) {
          if (unsigned(RL.Param) < E.RArgs.size() && !E.RArgs[RL.Param].FullKey.empty())
            M.Key = E.RArgs[RL.Param].FullKey + RL.Suffix;
          else
            M.Key.clear();
          M.Param = -1;
          M.Suffix.clear();
          if (unsigned(RL.Param) < E.Args.size() &&
              E.Args[RL.Param].Kind == ArgValue::Param) {
            M.Param = E.Args[RL.Param].ParamIndex;
            M.Suffix = RL.Suffix;
          }
        }
        F.ReleasedBefore.push_back(std::move(M));
      }
      return F;
    };
    // The flag that stops the sleep is set here (db->in_timeout = 1).
    auto Stopped = [&](const SleepFact &X) { return X.stoppedBy(S.FlagsSet); };
    if (CS->Always && !Stopped(*CS->Always)) {
      R = Through(*CS->Always, std::nullopt);
    } else {
      for (const SleepFact &Inner : CS->ByParam) {
        if (Stopped(Inner))
          continue;
        int J = Inner.Param;
        if (unsigned(J) >= E.Args.size())
          continue;
        ParamCond Out;
        std::optional<Step> Why;
        Tri T = evalCond(Inner.Cond, E.Args[J],
                         unsigned(J) < E.RArgs.size() ? &E.RArgs[J] : nullptr, Fn,
                         S, Out, Why);
        if (T == Tri::No)
          continue;
        // The conjunction: any other condition the arguments refute drops
        // the sleep; those they leave open stay, on the caller's parameters.
        SmallVector<ParamCond, 2> Open;
        bool Refuted = false;
        for (const ParamCond &A : Inner.Also) {
          if (unsigned(A.Index) >= E.Args.size())
            continue;
          ParamCond AOut;
          std::optional<Step> AWhy;
          Tri AT = evalCond(A, E.Args[A.Index],
                            unsigned(A.Index) < E.RArgs.size() ? &E.RArgs[A.Index] : nullptr,
                            Fn, S, AOut, AWhy);
          if (AT == Tri::No) {
            Refuted = true;
            break;
          }
          if (AT == Tri::Maybe && Open.size() < FunctionSummary::MaxAlso)
            Open.push_back(AOut);
        }
        if (Refuted)
          continue;
        SleepFact F = Through(Inner, Why);
        F.Also.clear();
        if (T == Tri::Maybe) {
          F.Param = Out.Index;
          F.Cond = Out;
        } else if (Inner.Cond.Gfp) {
          F.CallerGfp = gfpName(E.Args[J]);
        }
        for (ParamCond &A : Open) {
          if (F.Param < 0) {
            F.Param = A.Index;
            F.Cond = A;
          } else if (!(A == F.Cond) && !is_contained(F.Also, A)) {
            F.Also.push_back(A);
          }
        }
        if (!R || (R->Param >= 0 && F.Param < 0))
          R = std::move(F);
      }
    }
    // The chain's first step is the call itself; the report names it.
    if (R && !R->Chain.empty())
      R->Chain.erase(R->Chain.begin());
    if (R)
      R->Chain.insert(R->Chain.begin(), Step{E.Loc, ""});
  }
  if (!R)
    return std::nullopt;
  // Under if (gfpflags_allow_blocking(gfp)) or if (can_sleep) a sleep only
  // happens when the caller's argument allows it.
  // The most telling one: an equality (action_code == X) over the rest.
  if (R->Param < 0 && !S.Known.empty()) {
    const ParamCond *Pick = &S.Known.front();
    for (const ParamCond &K : S.Known)
      if (K.Eq && K.NonZero) {
        Pick = &K;
        break;
      }
    R->Param = Pick->Index;
    R->Cond = *Pick;
  }
  // Every other condition known here must hold too.
  if (R->Param >= 0)
    for (const ParamCond &K : S.Known)
      if (!(K == R->Cond) && !is_contained(R->Also, K) &&
          R->Also.size() < FunctionSummary::MaxAlso)
        R->Also.push_back(K);
  // On the "no" branch of in_interrupt() a sleep only happens in task context.
  if (S.NotInterrupt)
    R->UnlessInterrupt = true;
  // On the zero branch of a flag (if (db->in_timeout) mdelay(); else ...).
  for (const FieldRef *Fd : S.FlagsZero)
    if (R->UnlessFlags.size() < 4 && !is_contained(R->UnlessFlags, Fd))
      R->UnlessFlags.push_back(Fd);
  if (R->stoppedBy(S.FlagsSet))
    return std::nullopt;
  return R;
}

SmallVector<const Held *, 2> TUAnalysis::heldDuring(const CtxState &S,
                                                    const SleepFact &SF) const {
  SmallVector<const Held *, 2> Out;
  for (const Held &H : S.HeldList)
    Out.push_back(&H);
  for (const ReleasedLock &RL : SF.ReleasedBefore) {
    // No class: a lock of the callee's parameter, known by its key only.
    auto SameClass = [&](const Held *H) {
      return !RL.Context || H->Context->Class == RL.Context->Class;
    };
    // Every instance of the lock (paths that took it at different places
    // join into several), matched by key.
    auto SameLock = [&](const Held *H) {
      return SameClass(H) && !H->Key.empty() && normKey(H->Key) == normKey(RL.Key);
    };
    if (!RL.Key.empty() && any_of(Out, SameLock)) {
      Out.erase(remove_if(Out, SameLock), Out.end());
      continue;
    }
    // A key the caller spells otherwise (another alias of the same lock): the
    // one lock of that class the caller holds.
    if (RL.Context && count_if(Out, SameClass) == 1)
      Out.erase(find_if(Out, SameClass));
  }
  return Out;
}

namespace {
bool sameState(const CtxState &A, const CtxState &B) {
  if (A.Reachable != B.Reachable || A.NotAtomic != B.NotAtomic ||
      A.NotInterrupt != B.NotInterrupt ||
      A.HeldList.size() != B.HeldList.size() || A.Known != B.Known ||
      A.Released != B.Released || A.ReleasedMust != B.ReleasedMust ||
      A.FlagsZero != B.FlagsZero || A.FlagsSet != B.FlagsSet)
    return false;
  if (!(A.G == B.G))
    return false;
  for (auto [X, Y] : zip(A.HeldList, B.HeldList))
    if (X.Origin != Y.Origin || X.Must != Y.Must || X.Context != Y.Context ||
        !(X.G == Y.G))
      return false;
  return true;
}

void joinInto(CtxState &Into, const CtxState &From) {
  if (!From.Reachable)
    return;
  if (!Into.Reachable) {
    Into = From;
    return;
  }
  for (Held &H : Into.HeldList)
    if (none_of(From.HeldList, [&](const Held &O) { return O.Origin == H.Origin && O.Context == H.Context; }))
      H.Must = false;
  for (const Held &H : From.HeldList) {
    auto It = find_if(Into.HeldList, [&](const Held &O) { return O.Origin == H.Origin && O.Context == H.Context; });
    if (It == Into.HeldList.end()) {
      Into.HeldList.push_back(H);
      Into.HeldList.back().Must = false;
      continue;
    }
    if (!H.Must)
      It->Must = false;
    It->G.meet(H.G);
  }
  Into.G.meet(From.G);
  Into.NotAtomic = Into.NotAtomic && From.NotAtomic;
  Into.NotInterrupt = Into.NotInterrupt && From.NotInterrupt;
  // p == 2 on one path and p == 3 on the other: p in {2, 3} after both.
  for (ParamCond &C : Into.Known)
    if (C.Eq && C.NonZero)
      for (const ParamCond &O : From.Known)
        if (O.Eq && O.NonZero && O.Index == C.Index && O != C) {
          for (uint64_t X : O.Values)
            if (!is_contained(C.Values, X) && C.Values.size() < 8)
              C.Values.push_back(X);
          llvm::sort(C.Values);
        }
  // (p & A) on one path and (p & B) on the other: (p & (A|B)) != 0 after
  // both (if (flags & FW_FAULT || flags & ADAPTER_RESET) sleep();).
  auto BitTest = [](const ParamCond &C) {
    return C.NonZero && !C.Eq && !C.Gfp && !C.Handle && !C.Pointer && C.Index >= 0;
  };
  for (ParamCond &C : Into.Known)
    if (BitTest(C))
      for (const ParamCond &O : From.Known)
        if (BitTest(O) && O.Index == C.Index)
          C.Mask |= O.Mask;
  Into.Known.erase(remove_if(Into.Known, [&](const ParamCond &C) {
                     if (is_contained(From.Known, C))
                       return false;
                     // kept when From tests fewer bits of the same parameter
                     if (BitTest(C) && any_of(From.Known, [&](const ParamCond &O) {
                           return BitTest(O) && O.Index == C.Index &&
                                  (O.Mask & ~C.Mask) == 0;
                         }))
                       return false;
                     // kept when From says p is in a subset of C's values
                     return !(C.Eq && C.NonZero &&
                              any_of(From.Known, [&](const ParamCond &O) {
                                return O.Eq && O.NonZero && O.Index == C.Index &&
                                       all_of(O.Values, [&](uint64_t X) {
                                         return is_contained(C.Values, X);
                                       });
                              }));
                   }), Into.Known.end());
  Into.ReleasedMust.erase(remove_if(Into.ReleasedMust, [&](const ReleasedLock &R) {
                            return !is_contained(From.ReleasedMust, R);
                          }), Into.ReleasedMust.end());
  llvm::erase_if(Into.FlagsZero, [&](const FieldRef *Fd) {
    return !is_contained(From.FlagsZero, Fd);
  });
  llvm::erase_if(Into.FlagsSet, [&](const FieldRef *Fd) {
    return !is_contained(From.FlagsSet, Fd);
  });
  for (const ContextKind *C : From.Released)
    if (!is_contained(Into.Released, C))
      Into.Released.push_back(C);
}

/// Leaves a context of \p C's class. A keyed context (a lock) is one
/// instance whatever path took it, so every may-held instance with the same
/// key goes (a loop that drops and re-takes the lock joins two of them). An
/// unkeyed one (irq, preempt, rcu) nests: the innermost goes, along with
/// alternatives only some paths entered.
/// Leaves the innermost instance of \p C's class (by key when given); the
/// kind of context the instance left was entered as, or null.
const ContextKind *leaveOne(CtxState &S, const ContextKind *C, StringRef Key) {
  auto SameClass = [&](const Held &H) { return H.Context->Class == C->Class; };
  if (!Key.empty()) {
    auto It = find_if(S.HeldList, [&](const Held &H) {
      return SameClass(H) && normKey(H.Key) == normKey(Key);
    });
    if (It != S.HeldList.end()) {
      const ContextKind *Was = It->Context;
      S.HeldList.erase(remove_if(S.HeldList, [&](const Held &H) {
                         return SameClass(H) && normKey(H.Key) == normKey(Key);
                       }), S.HeldList.end());
      return Was;
    }
  }
  for (auto It = S.HeldList.rbegin(); It != S.HeldList.rend(); ++It)
    if (SameClass(*It)) {
      std::string K = It->Key;
      const ContextKind *Was = It->Context;
      S.HeldList.erase(std::next(It).base());
      S.HeldList.erase(remove_if(S.HeldList, [&](const Held &H) {
                         return SameClass(H) &&
                                (!H.Must || (!K.empty() && normKey(H.Key) == normKey(K)));
                       }), S.HeldList.end());
      return Was;
    }
  return nullptr;
}

/// Leaves \p C (see leaveOne); whether an instance was held. A kind that
/// also leaves another class (spin_unlock_bh: "bh") leaves one of that class
/// too unless the instance it left was entered as this kind itself.
bool leave(CtxState &S, const ContextKind *C, StringRef Key) {
  const ContextKind *Was = leaveOne(S, C, Key);
  if (!C->AlsoLeaves.empty() && Was != C)
    for (auto It = S.HeldList.rbegin(); It != S.HeldList.rend(); ++It)
      if (It->Context->Class == C->AlsoLeaves) {
        S.HeldList.erase(std::next(It).base());
        break;
      }
  return Was != nullptr;
}

/// Enters \p H; re-entering the same lock (or the same site, around a loop)
/// replaces the earlier instance instead of nesting it.
void enter(CtxState &S, Held H) {
  S.HeldList.erase(remove_if(S.HeldList, [&](const Held &O) {
                     return O.Origin == H.Origin ||
                            (!H.Key.empty() && O.Context->Class == H.Context->Class &&
                             normKey(O.Key) == normKey(H.Key));
                   }), S.HeldList.end());
  S.HeldList.push_back(std::move(H));
}

std::string describeEntry(const Event &E) {
  const ContextKind *C = E.Context;
  if (C->Keyed && !E.Key.empty())
    return C->What + " '" + E.Key + "' acquired here by '" + E.Name + "'";
  return C->What + " here by '" + E.Name + "'";
}
} // namespace

/// A lock \p Key of \p F's caller that \p F leaves, with the parameter it
/// is reached through ("p->lock" of parameter p: Param 0, Suffix "->lock").
static ReleasedLock releasedLock(const FunctionFacts &F, const ContextKind *C,
                                 StringRef Key) {
  ReleasedLock RL;
  RL.Context = C;
  RL.Key = Key.str();
  if (!F.FD)
    return RL;
  for (unsigned I = 0; I < F.FD->numParams(); ++I) {
    StringRef N = F.FD->Params[I];
    if (N.empty() || !Key.starts_with(N))
      continue;
    StringRef Rest = Key.drop_front(N.size());
    if (Rest.empty() || Rest.starts_with("->") || Rest.starts_with(".") ||
        Rest.starts_with("[")) {
      RL.Param = I;
      RL.Suffix = Rest.str();
      break;
    }
  }
  return RL;
}

void TUAnalysis::analyze(const FunctionFacts &F, FunctionSummary &Out,
                         std::vector<CtxState> *States) const {
  std::vector<CtxState> In(F.Blocks.size());
  CtxState &Entry = In[F.Entry];
  Entry.Reachable = true;
  if (auto It = EntryContexts.find(F.FD); It != EntryContexts.end())
    Entry.HeldList.append(It->second.begin(), It->second.end());
  auto Transfer = [&](const BlockFacts &B, CtxState S,
                      std::vector<CtxState> *Record) {
    guards::enterBlock(B, S.G, S.HeldList);
    for (unsigned I : B.Events) {
      const Event &E = F.Events[I];
      // cleanup.h guards are released where their scope ends.
      if (E.Loc.isValid())
        S.HeldList.erase(remove_if(S.HeldList, [&](const Held &H) {
                           return H.ScopeEnd.isValid() &&
                                  H.ScopeEnd < E.Loc;
                         }), S.HeldList.end());
      if (Record)
        (*Record)[I] = S;
      switch (E.Kind) {
      case EventKind::Enter: {
        Held H;
        H.Origin = I;
        H.Context = E.Context;
        H.Key = E.Key;
        H.ScopeEnd = E.ScopeEnd;
        // Taking back a caller's lock this function left: it is the caller's
        // again (qdev_wait_idle drops and retakes it around its sleep).
        for (auto It = S.ReleasedMust.begin(); It != S.ReleasedMust.end(); ++It)
          if (It->Context->Class == E.Context->Class &&
              (It->Key.empty() || normKey(It->Key) == normKey(E.Key))) {
            H.Retaken = true;
            const ContextKind *C = It->Context;
            S.ReleasedMust.erase(It);
            if (none_of(S.ReleasedMust, [&](const ReleasedLock &R) { return R.Context == C; }))
              S.Released.erase(std::remove(S.Released.begin(), S.Released.end(), C), S.Released.end());
            break;
          }
        H.Evidence.push_back({E.Loc, describeEntry(E)});
        H.G = S.G;
        enter(S, std::move(H));
        break;
      }
      case EventKind::Exit: {
        bool Retaken = any_of(S.HeldList, [&](const Held &H) {
          return H.Retaken && H.Context->Class == E.Context->Class &&
                 (E.Key.empty() || normKey(H.Key) == normKey(E.Key));
        });
        if (!leave(S, E.Context, E.Key) || Retaken) {
          if (!is_contained(S.Released, E.Context))
            S.Released.push_back(E.Context);
          ReleasedLock RL = releasedLock(F, E.Context, E.Key);
          if (!is_contained(S.ReleasedMust, RL))
            S.ReleasedMust.push_back(std::move(RL));
        }
        break;
      }
      case EventKind::Call: {
        // foo_unlock(priv), or a prototype annotated __releases(&priv->lock):
        // the caller's locks reached through those names are left.
        for (const std::string &RK : E.ReleasesKeys) {
          std::string R = normKey(RK);
          S.HeldList.erase(remove_if(S.HeldList, [&](const Held &H) {
                             if (!H.Context->Keyed || H.Key.empty())
                               return false;
                             std::string K = normKey(H.Key);
                             return K == R || StringRef(K).starts_with(R + ".");
                           }), S.HeldList.end());
        }
        // A callee leaves a context of its caller: held here, it ends; not
        // held, this function leaves its own caller's.
        auto CalleeLeaves = [&](const ContextKind *C) {
          if (!C || leave(S, C, ""))
            return;
          if (!is_contained(S.Released, C))
            S.Released.push_back(C);
          ReleasedLock RL;
          RL.Context = C;
          if (!is_contained(S.ReleasedMust, RL))
            S.ReleasedMust.push_back(std::move(RL));
        };
        // A function of another TU that leaves its caller's context (an
        // unlock helper: iwl_trans_pcie_release_nic_access's spin_unlock_bh).
        if (!E.Callee && !E.Prim && !E.External.empty() && ExternalRel)
          if (auto It = ExternalRel->find(E.External); It != ExternalRel->end())
            for (int Ix : It->second)
              CalleeLeaves(M.contextAt(Ix));
        // A callee returns holding a context: entered here, with the call
        // as the first note before the callee's evidence.
        auto EnterAtCall = [&](Held H) {
          H.Origin = I;
          H.ScopeEnd = SourceLoc();
          H.Evidence.insert(H.Evidence.begin(),
                            {E.Loc, H.Context->What + " entered by the call to '" +
                                        E.Name + "' here"});
          if (H.Evidence.size() > MaxChain)
            H.Evidence.resize(MaxChain);
          H.G = S.G;
          enter(S, std::move(H));
        };
        // A function of another TU that returns holding a context (a lock
        // helper: foo_hw_lock(priv) taking priv->hw_lock).
        if (!E.Callee && !E.Prim && !E.External.empty() && ExternalAcq)
          if (auto It = ExternalAcq->find(E.External); It != ExternalAcq->end())
            for (const ExportedAcquire &A : It->second) {
              Held H;
              H.Context = M.contextAt(A.Context);
              if (!H.Context)
                continue;
              H.Key = A.Key;
              appendRemote(H.Evidence, A.Evidence);
              EnterAtCall(std::move(H));
            }
        if (E.Callee) {
          if (const FunctionSummary *CS = summary(E.Callee)) {
            for (const ContextKind *C : CS->Releases)
              CalleeLeaves(C);
            for (const Held &A : CS->Acquires)
              EnterAtCall(A);
          }
        }
        break;
      }
      case EventKind::Assign:
      case EventKind::Update:
        guards::afterEvent(E, S.G, S.HeldList); // locked = true: tested later
        if (E.Target.Field) { // db->in_timeout = 1
          llvm::erase(S.FlagsSet, E.Target.Field);
          llvm::erase(S.FlagsZero, E.Target.Field);
          if (E.Kind == EventKind::Assign && E.Value.V.Kind == ArgValue::Const)
            (E.Value.V.Bits || E.Value.V.Negative ? S.FlagsSet : S.FlagsZero)
                .push_back(E.Target.Field);
        }
        break;
      default:
        break;
      }
    }
    return S;
  };

  auto EdgeState = [&](int From, unsigned SuccIdx, const CtxState &Outs) {
    const BlockFacts &B = F.Blocks[From];
    CtxState S = Outs;
    // A pure condition tested again: the branch a path already decided.
    if (S.Reachable && !guards::onEdge(B, SuccIdx, S.G, S.HeldList))
      return CtxState();
    if (B.Succs.size() != 2 || B.Branch.Kind == BranchFact::None)
      return S;
    bool Yes = (SuccIdx == 0) == B.Branch.TrueMeansYes;
    switch (B.Branch.Kind) {
    case BranchFact::TryLock:
      if (Yes) {
        const Event &E = F.Events[B.Branch.EventIndex];
        Held H;
        H.Origin = B.Branch.EventIndex;
        H.Context = E.Context;
        H.Key = E.Key;
        H.Evidence.push_back(
            {E.Loc, describeEntry(E) + " (the branch where it succeeded)"});
        H.G = S.G;
        enter(S, std::move(H));
      }
      break;
    case BranchFact::AtomicTest:
      if (!Yes)
        S.NotAtomic = true;
      break;
    case BranchFact::InterruptTest:
      if (!Yes)
        S.NotInterrupt = true;
      break;
    case BranchFact::ParamTest: {
      ParamCond C = B.Branch.Cond;
      if (!Yes)
        C.NonZero = !C.NonZero;
      if (!is_contained(S.Known, C))
        S.Known.push_back(C);
      break;
    }
    case BranchFact::FlagTest:
      if (!Yes && !is_contained(S.FlagsZero, B.Branch.Field))
        S.FlagsZero.push_back(B.Branch.Field);
      break;
    default:
      break;
    }
    return S;
  };

  struct Problem {
    const FunctionFacts &F;
    const CtxState &Entry;
    decltype(Transfer) &T;
    decltype(EdgeState) &E;
    CtxState entry() const { return Entry; }
    CtxState edge(int From, unsigned K, const CtxState &Out) const { return E(From, K, Out); }
    void join(CtxState &Into, const CtxState &From) const { joinInto(Into, From); }
    bool live(const CtxState &S) const { return S.Reachable; }
    CtxState transfer(int B, CtxState S) const { return T(F.Blocks[B], std::move(S), nullptr); }
    bool same(const CtxState &A, const CtxState &B) const { return sameState(A, B); }
  };
  CtxState EntryState = In[F.Entry];
  In = solveForward<CtxState>(F, Problem{F, EntryState, Transfer, EdgeState}).In;
  // Record the per-event states and collect what a caller must know.
  Out = FunctionSummary();
  std::vector<CtxState> Local;
  std::vector<CtxState> *Rec = States ? States : &Local;
  Rec->assign(F.Events.size(), CtxState());
  for (int B : F.Order)
    if (In[B].Reachable)
      Transfer(F.Blocks[B], In[B], Rec);
  for (unsigned I = 0; I < F.Events.size(); ++I) {
    const CtxState &S = (*Rec)[I];
    if (!S.Reachable || S.NotAtomic)
      continue;
    std::optional<SleepFact> SF = sleepAt(F, I, S);
    if (!SF || !heldDuring(S, *SF).empty())
      continue;
    // The caller's locks left before this sleep, in this function's terms.
    for (const ReleasedLock &RL : S.ReleasedMust)
      if (!is_contained(SF->ReleasedBefore, RL))
        SF->ReleasedBefore.push_back(RL);
    for (ReleasedLock &RL : SF->ReleasedBefore)
      if (RL.Param < 0 && !RL.Key.empty()) {
        ReleasedLock P = releasedLock(F, RL.Context, RL.Key);
        RL.Param = P.Param;
        RL.Suffix = P.Suffix;
      }
    // Summaries carry the chain from this function's call site downwards.
    if (!SF->Chain.empty() && SF->Chain.front().Text.empty())
      SF->Chain.front().Text = "'" + F.Name + "' calls '" + F.Events[I].Name + "' here";
    if (SF->Param < 0) {
      // The least conditional one.
      auto Weak = [](const SleepFact &X) {
        return int(X.UnlessInterrupt) + int(!X.UnlessFlags.empty());
      };
      if (!Out.Always || Weak(*SF) < Weak(*Out.Always))
        Out.Always = std::move(SF);
    } else if (Out.ByParam.size() < FunctionSummary::MaxByParam &&
               none_of(Out.ByParam, [&](const SleepFact &O) {
                 return O.Param == SF->Param && O.Cond == SF->Cond;
               })) {
      Out.ByParam.push_back(std::move(*SF));
    }
  }
  const CtxState &ExitS = In[F.Exit];
  if (ExitS.Reachable) {
    for (const Held &H : ExitS.HeldList)
      if (H.Origin != Held::FromEntry && H.Must && !H.Retaken && !H.ScopeEnd.isValid())
        Out.Acquires.push_back(H);
    Out.Releases.assign(ExitS.Released.begin(), ExitS.Released.end());
  }
}

/// The note for a callback's entry context: "'f' runs as a hard-IRQ
/// handler: registered here by 'request_irq'".
static std::string entryText(StringRef Fn, const ContextKind &C, StringRef Via) {
  StringRef Article =
      StringRef("aeiou").contains(C.What.empty() ? 'x' : C.What[0]) ? "an " : "a ";
  return "'" + Fn.str() + "' runs as " + Article.str() + C.What +
         ": registered here by '" + Via.str() + "'";
}

void TUAnalysis::run() {
  Res.run();
  computeOrigins();
  // Callbacks registered in this TU start in the context they run in.
  auto AddEntry = [&](const FunctionRef *Fn, const ContextKind *C,
                      SourceLoc Loc, StringRef Via) {
    if (!Fn || !C)
      return;
    const FunctionRef *Def = Fn->definition();
    if (!Def)
      return;
    std::vector<Held> &V = EntryContexts[Def];
    if (any_of(V, [&](const Held &H) { return H.Context == C; }))
      return;
    Held H;
    H.Context = C;
    H.Evidence.push_back({Loc, entryText(StringRef(Def->Name), *C, Via)});
    V.push_back(std::move(H));
  };
  for (const auto &F : Facts.Functions)
    for (const Event &E : F->Events)
      if (E.Kind == EventKind::Register)
        AddEntry(E.Callback, E.Context, E.Loc, E.Name);
  for (const GlobalRegistration &R : Facts.Registrations)
    AddEntry(R.Callback, R.Context, R.Loc, R.Via);
  // And those another TU of the run registers (the link).
  if (ExternalCtx)
    for (const auto &F : Facts.Functions) {
      if (!F->FD || !F->FD->ExternallyVisible)
        continue;
      auto It = ExternalCtx->find(StringRef(F->FD->Name));
      if (It == ExternalCtx->end())
        continue;
      for (const ExternalContext &X : It->second) {
        const ContextKind *C = M.contextAt(X.Context);
        std::vector<Held> &V = EntryContexts[F->FD];
        if (!C || any_of(V, [&](const Held &H) { return H.Context == C; }))
          continue;
        Held H;
        H.Context = C;
        SourceLoc L = locate(X.Site);
        if (L.isValid())
          H.Evidence.push_back({L, X.Site.Text});
        V.push_back(std::move(H));
      }
    }

  // Summaries to a fixpoint over the TU's call graph (bounded for recursion).
  for (unsigned Round = 0; Round < 12; ++Round) {
    bool Changed = false;
    for (const auto &F : Facts.Functions) {
      FunctionSummary S;
      analyze(*F, S, nullptr);
      auto It = Summaries.find(F->FD);
      if (It == Summaries.end() || !It->second.sameAs(S)) {
        Summaries[F->FD] = std::move(S);
        Changed = true;
      }
    }
    if (!Changed)
      break;
  }
  for (const auto &F : Facts.Functions) {
    FunctionSummary S;
    analyze(*F, S, &EventStates[F.get()]);
  }
}


RemoteStep TUAnalysis::remote(SourceLoc L, std::string Text) const {
  if (!L.isValid())
    return RemoteStep{"", 0, 0, std::move(Text)};
  return RemoteStep{Facts.fileOf(L), L.Line, L.Column, std::move(Text)};
}

TUExports TUAnalysis::exports() const {
  TUExports X;
  // The external calls whose sleeping (or releasing the caller's lock)
  // would change a finding here: made in atomic context, or in a function an
  // atomic context of this TU reaches through its calls (its summary would
  // say it sleeps, for that caller). A call only probe or another process-
  // context root makes changes nothing, and the TU need not be analysed
  // again for it; a function another TU registers in atomic context is
  // analysed again anyway (the link's contexts).
  DenseMap<const FunctionRef *, const FunctionFacts *> ByDecl;
  for (const auto &F : Facts.Functions)
    if (F->FD)
      ByDecl[F->FD] = F.get();
  SmallPtrSet<const FunctionFacts *, 32> Reach;
  SmallVector<const FunctionFacts *, 32> Work;
  auto Reached = [&](const Event &E) {
    if (!E.Callee)
      return;
    if (const FunctionFacts *G = ByDecl.lookup(E.Callee))
      if (Reach.insert(G).second)
        Work.push_back(G);
  };
  for (const auto &F : Facts.Functions) {
    const std::vector<CtxState> &States = states(*F);
    for (unsigned I = 0; I < F->Events.size() && I < States.size(); ++I)
      if (States[I].atomic())
        Reached(F->Events[I]);
  }
  while (!Work.empty())
    for (const Event &E : Work.pop_back_val()->Events)
      Reached(E);
  StringSet<> Callees, AllCallees;
  for (const auto &F : Facts.Functions) {
    const std::vector<CtxState> &States = states(*F);
    bool Inner = Reach.count(F.get());
    for (unsigned I = 0; I < F->Events.size() && I < States.size(); ++I) {
      const Event &E = F->Events[I];
      if (E.External.empty())
        continue;
      if ((Inner || States[I].atomic()) && Callees.insert(E.External).second)
        X.Callees.push_back(E.External);
      if (AllCallees.insert(E.External).second)
        X.AllCallees.push_back(E.External);
    }
  }
  // The calls to functions of other TUs each function makes outside atomic
  // context and under no condition on a parameter, directly or through the
  // functions of this TU it so calls: if they sleep, it does.
  using PlainCalls = std::vector<std::pair<std::string, std::vector<RemoteStep>>>;
  DenseMap<const FunctionFacts *, PlainCalls> Plain;
  SmallPtrSet<const FunctionFacts *, 8> Open;
  std::function<PlainCalls(const FunctionFacts &)> PlainOf =
      [&](const FunctionFacts &F) -> PlainCalls {
    if (auto It = Plain.find(&F); It != Plain.end())
      return It->second;
    if (!Open.insert(&F).second)
      return {}; // recursion: the outer call has it
    PlainCalls Out;
    StringSet<> Seen;
    const std::vector<CtxState> &States = states(F);
    for (unsigned I = 0; I < F.Events.size() && I < States.size(); ++I) {
      const Event &E = F.Events[I];
      const CtxState &St = States[I];
      if (!St.Reachable || St.atomic() || !St.Known.empty() || !St.ReleasedMust.empty())
        continue;
      if (!E.External.empty()) {
        if (Seen.insert(E.External).second)
          Out.push_back({E.External, {remote(E.Loc, "'" + F.Name + "' calls '" +
                                                        E.Name + "' here")}});
        continue;
      }
      const FunctionFacts *G =
          E.Callee ? ByDecl.lookup(E.Callee) : nullptr;
      if (!G || G == &F)
        continue;
      for (auto &[Name, Path] : PlainOf(*G)) {
        if (Path.size() >= 8 || !Seen.insert(Name).second)
          continue;
        Path.insert(Path.begin(),
                    remote(E.Loc, "'" + F.Name + "' calls '" + G->Name + "' here"));
        Out.push_back({std::move(Name), std::move(Path)});
      }
    }
    Open.erase(&F);
    Plain[&F] = Out;
    return Out;
  };
  // Acquisitions stored into fields, and the fields released here: the
  // pairs across files. A mapping or region (not a managed one) stored by a
  // function is one it keeps for whoever calls it (see Kept below).
  X.File = Facts.mainFile();
  X.Module = Module;
  DenseMap<const FunctionFacts *, std::vector<unsigned>> KeptBy;
  // Fields in the facts' order (their table's), not the maps' (by address):
  // a TU exports the same bytes in every run, so its cache entries compare
  // equal across runs and shards.
  DenseMap<const FieldRef *, unsigned> FieldIx;
  for (size_t I = 0; I < Facts.FieldTable.size(); ++I)
    FieldIx[Facts.FieldTable[I].get()] = unsigned(I);
  using FieldUses = std::vector<std::pair<const FieldRef *, const std::vector<FieldUse> *>>;
  auto InOrder = [&](const DenseMap<const FieldRef *, std::vector<FieldUse>> &Map) {
    FieldUses Out;
    for (const auto &[Fd, Uses] : Map)
      Out.push_back({Fd, &Uses});
    llvm::sort(Out, [&](const auto &X, const auto &Y) {
      return FieldIx.lookup(X.first) < FieldIx.lookup(Y.first);
    });
    return Out;
  };
  const FieldUses Stores = InOrder(Res.fieldStores()),
                  Releases = InOrder(Res.fieldReleases());
  for (const auto &[Fd, UsesP] : Stores) {
    const std::vector<FieldUse> &Uses = *UsesP;
    std::string Key = Fd->Key;
    if (Key.empty())
      continue;
    for (const FieldUse &U : Uses) {
      if (U.Interior)
        continue;
      const Event &Acq = U.F->Events[U.Acq], &St = U.F->Events[U.Event];
      std::optional<uint64_t> Order = acquiredOrder(Acq);
      if ((U.Fam->Class == ResourceClass::Mapping || U.Fam->Class == ResourceClass::Region) &&
          !U.Fam->Managed)
        KeptBy[U.F].push_back(X.FieldStores.size());
      X.FieldStores.push_back(
          {Key, U.Fam->Name, Acq.Name, U.F->Name, Order ? int64_t(*Order) : -1,
           remote(Acq.Loc, ""), remote(St.Loc, "stored in '" + St.Target.Text + "' here"),
           St.Target.Text});
    }
  }
  for (const auto &[Fd, Uses] : Releases)
    if (std::string Key = Fd->Key;
        !Key.empty() && !is_contained(X.FieldsReleased, Key))
      X.FieldsReleased.push_back(std::move(Key));
  // Released by a function that does not store into it: not the unwinding
  // of the error path of the function that fills it.
  for (const auto &[Fd, Uses] : Releases) {
    std::string Key = Fd->Key;
    if (Key.empty() || is_contained(X.FieldsReleasedApart, Key))
      continue;
    auto St = Res.fieldStores().find(Fd);
    if (any_of(*Uses, [&](const FieldUse &U) {
          return St == Res.fieldStores().end() ||
                 none_of(St->second, [&](const FieldUse &S) { return S.F == U.F; });
        }))
      X.FieldsReleasedApart.push_back(std::move(Key));
  }
  // A field copied into another hands what it holds on: the other is
  // released instead (priv->base = hw->regs; iounmap(priv->base)).
  for (const auto &F : Facts.Functions)
    for (const auto &[Dst, Src] : F->PointerCopies)
      if (std::string Key = Src->Key;
          !Key.empty() && !is_contained(X.FieldsHandedOn, Key))
        X.FieldsHandedOn.push_back(std::move(Key));
  for (const auto &F : Facts.Functions) {
    if (!F->FD || !F->FD->ExternallyVisible)
      continue;
    ExportedFunction EF;
    EF.Name = F->FD->Name;
    EF.File = remote(F->Loc, "").File;
    X.Defines.push_back({EF.Name, EF.File});
    if (const FunctionSummary *S = summary(F->FD)) {
      // Not a sleep made after releasing a lock of the caller (a helper that
      // drops hw->lock around msleep()): which of a caller's locks that is
      // cannot be said in another file's terms yet, so it is not exported.
      if (S->Always && S->Always->ReleasedBefore.empty())
        for (const Step &St : S->Always->Chain)
          if (!St.Text.empty())
            EF.Sleeps.push_back(remote(St.Loc, St.Text));
      for (const ContextKind *C : S->Releases)
        if (int Ix = M.contextIndex(C); Ix >= 0)
          EF.Releases.push_back(Ix);
      // Sleeps on a parameter; not those a handle's origin or a flag field
      // decides (neither means anything in another file).
      auto Portable = [](const ParamCond &C) { return !C.Handle && C.Index >= 0; };
      for (const SleepFact &SF : S->ByParam) {
        if (!Portable(SF.Cond) || !SF.UnlessFlags.empty() || !all_of(SF.Also, Portable))
          continue;
        ExportedCondSleep CS;
        CS.Cond = SF.Cond;
        CS.Also = SF.Also;
        CS.UnlessInterrupt = SF.UnlessInterrupt;
        for (const Step &St : SF.Chain)
          if (!St.Text.empty())
            CS.Chain.push_back(remote(St.Loc, St.Text));
        EF.CondSleeps.push_back(std::move(CS));
      }
      for (const Held &H : S->Acquires)
        if (int Ix = M.contextIndex(H.Context); Ix >= 0) {
          ExportedAcquire A{Ix, H.Key, {}};
          for (const Step &St : H.Evidence)
            if (!St.Text.empty())
              A.Evidence.push_back(remote(St.Loc, St.Text));
          EF.Acquires.push_back(std::move(A));
        }
    }
    EF.Calls = PlainOf(*F);
    for (const Releaser *Rl : Res.calleeReleases(F->FD))
      if (!Rl->Names.empty() && !is_contained(EF.ResReleases, Rl->Names.front()))
        EF.ResReleases.push_back(Rl->Names.front());
    for (const FunctionFacts *G : Res.reachable(F->FD))
      if (auto It = KeptBy.find(G); It != KeptBy.end())
        for (unsigned Ix : It->second)
          if (!is_contained(EF.Kept, Ix))
            EF.Kept.push_back(Ix);
    // Both are sets, gathered from maps keyed by address: sorted, so the
    // export is the same bytes in every run.
    llvm::sort(EF.ResReleases);
    llvm::sort(EF.Kept);
    if (!EF.Sleeps.empty() || !EF.Calls.empty() || !EF.Releases.empty() ||
        !EF.Acquires.empty() || !EF.CondSleeps.empty() || !EF.ResReleases.empty() ||
        !EF.Kept.empty())
      X.Functions.push_back(std::move(EF));
  }
  // Callbacks registered here and defined in another TU.
  auto Register = [&](const FunctionRef *Fn, const ContextKind *C,
                      SourceLoc Loc, StringRef Via) {
    if (!Fn || !C || Fn->definition() || !Fn->ExternallyVisible)
      return;
    std::string Name = Fn->Name;
    int Index = M.contextIndex(C);
    if (Index < 0 || any_of(X.Registered, [&](const ExportedRegistration &R) {
          return R.Callback == Name && R.Context == Index;
        }))
      return;
    X.Registered.push_back({Name, Index, remote(Loc, entryText(Name, *C, Via))});
  };
  for (const auto &F : Facts.Functions)
    for (const Event &E : F->Events)
      if (E.Kind == EventKind::Register)
        Register(E.Callback, E.Context, E.Loc, E.Name);
  for (const GlobalRegistration &R : Facts.Registrations)
    Register(R.Callback, R.Context, R.Loc, R.Via);
  return X;
}

} // namespace kdlint

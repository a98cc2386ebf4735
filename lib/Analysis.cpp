//===- Analysis.cpp - Context dataflow, summaries, the TU fixpoint --------===//

#include "kdlint/Analysis.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include <deque>

using namespace clang;
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
  if (Always && Always->UnlessInterrupt != O.Always->UnlessInterrupt)
    return false;
  for (auto [A, B] : zip(ByParam, O.ByParam))
    if (A.first != B.first)
      return false;
  for (auto [A, B] : zip(Acquires, O.Acquires))
    if (A.Context != B.Context)
      return false;
  return true;
}

TUAnalysis::TUAnalysis(const TUFacts &Facts, const Model &M,
                       const SourceManager &SM)
    : Facts(Facts), M(M), SM(SM), Res(Facts, M, SM) {
  DirectReclaim = Facts.Constants.get("__GFP_DIRECT_RECLAIM");
}

const FunctionSummary *TUAnalysis::summary(const FunctionDecl *FD) const {
  auto It = Summaries.find(FD);
  return It == Summaries.end() ? nullptr : &It->second;
}

const std::vector<CtxState> &TUAnalysis::states(const FunctionFacts &F) const {
  return EventStates.find(&F)->second;
}

std::string TUAnalysis::gfpName(const ArgValue &V) const {
  if (V.Kind == ArgValue::Const) {
    // Prefer the name the kernel gives this exact mask.
    for (const char *N : {"GFP_KERNEL", "GFP_ATOMIC", "GFP_NOWAIT", "GFP_NOIO",
                          "GFP_NOFS", "GFP_USER", "GFP_HIGHUSER", "GFP_DMA",
                          "GFP_DMA32"})
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

std::optional<SleepFact> TUAnalysis::gfpSleeps(const ArgValue &V,
                                               const CtxState &S) const {
  if (!DirectReclaim)
    return std::nullopt;
  SleepFact F;
  if (V.Kind == ArgValue::Const || V.Kind == ArgValue::Param) {
    if (V.Bits & *DirectReclaim)
      return F;
  }
  if (V.Kind == ArgValue::Param && (V.Mask & *DirectReclaim)) {
    if (is_contained(S.NonBlocking, V.ParamIndex))
      return std::nullopt;
    F.Param = V.ParamIndex;
    return F;
  }
  return std::nullopt;
}

std::optional<SleepFact> TUAnalysis::sleepAt(const FunctionFacts &Fn,
                                             unsigned I,
                                             const CtxState &S) const {
  const Event &E = Fn.Events[I];
  if (E.Kind != EventKind::Call)
    return std::nullopt;
  std::optional<SleepFact> R;
  if (E.Prim && E.Prim->Kind == PrimitiveKind::Sleep) {
    R = SleepFact();
    R->UnlessInterrupt = E.Prim->UnlessInterrupt;
    R->Chain.push_back({E.Loc, "'" + E.Name + "' " + E.Prim->Reason});
  } else if (E.Prim && E.Prim->Kind == PrimitiveKind::Alloc) {
    if (!E.Gfp)
      return std::nullopt;
    R = gfpSleeps(*E.Gfp, S);
    if (!R)
      return std::nullopt;
    std::string G = gfpName(*E.Gfp);
    R->Chain.push_back(
        {E.Loc, R->Param < 0
                    ? "'" + E.Name + "' with " + G + " may sleep: " + G +
                          " includes __GFP_DIRECT_RECLAIM"
                    : "'" + E.Name + "' allocates here with the caller's mask"});
  } else if (E.Callee) {
    const FunctionSummary *CS = summary(E.Callee);
    if (!CS)
      return std::nullopt;
    auto Through = [&](const SleepFact &Inner, int Param) {
      SleepFact F;
      F.Param = Param;
      F.UnlessInterrupt = Inner.UnlessInterrupt;
      F.Chain.push_back({E.Loc, "'" + Fn.Name + "' calls '" + E.Name + "' here"});
      for (const Step &St : Inner.Chain)
        if (F.Chain.size() < MaxChain)
          F.Chain.push_back(St);
      return F;
    };
    if (CS->Always) {
      R = Through(*CS->Always, -1);
    } else {
      for (const auto &[J, Inner] : CS->ByParam) {
        if (unsigned(J) >= E.Args.size())
          continue;
        std::optional<SleepFact> A = gfpSleeps(E.Args[J], S);
        if (!A)
          continue;
        SleepFact F = Through(Inner, A->Param);
        if (A->Param < 0)
          F.CallerGfp = gfpName(E.Args[J]);
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
  // Under if (gfpflags_allow_blocking(gfp)) a sleep only happens when the
  // caller's mask allows it.
  if (R->Param < 0 && !S.Blocking.empty())
    R->Param = S.Blocking.front();
  // On the "no" branch of in_interrupt() a sleep only happens in task context.
  if (S.NotInterrupt)
    R->UnlessInterrupt = true;
  return R;
}

namespace {
bool sameState(const CtxState &A, const CtxState &B) {
  if (A.Reachable != B.Reachable || A.NotAtomic != B.NotAtomic ||
      A.NotInterrupt != B.NotInterrupt ||
      A.HeldList.size() != B.HeldList.size() || A.Blocking != B.Blocking ||
      A.NonBlocking != B.NonBlocking || A.Released != B.Released)
    return false;
  for (auto [X, Y] : zip(A.HeldList, B.HeldList))
    if (X.Origin != Y.Origin || X.Must != Y.Must || X.Context != Y.Context)
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
    } else if (!H.Must) {
      It->Must = false;
    }
  }
  Into.NotAtomic = Into.NotAtomic && From.NotAtomic;
  Into.NotInterrupt = Into.NotInterrupt && From.NotInterrupt;
  auto Intersect = [](SmallVectorImpl<int> &A, const SmallVectorImpl<int> &B) {
    A.erase(remove_if(A, [&](int X) { return !is_contained(B, X); }), A.end());
  };
  Intersect(Into.Blocking, From.Blocking);
  Intersect(Into.NonBlocking, From.NonBlocking);
  for (const ContextKind *C : From.Released)
    if (!is_contained(Into.Released, C))
      Into.Released.push_back(C);
}

/// Leaves a context of \p C's class. A keyed context (a lock) is one
/// instance whatever path took it, so every may-held instance with the same
/// key goes (a loop that drops and re-takes the lock joins two of them). An
/// unkeyed one (irq, preempt, rcu) nests: the innermost goes, along with
/// alternatives only some paths entered.
bool leave(CtxState &S, const ContextKind *C, StringRef Key) {
  auto SameClass = [&](const Held &H) { return H.Context->Class == C->Class; };
  if (!Key.empty() && any_of(S.HeldList, [&](const Held &H) {
        return SameClass(H) && H.Key == Key;
      })) {
    S.HeldList.erase(remove_if(S.HeldList, [&](const Held &H) {
                       return SameClass(H) && H.Key == Key;
                     }), S.HeldList.end());
    return true;
  }
  for (auto It = S.HeldList.rbegin(); It != S.HeldList.rend(); ++It)
    if (SameClass(*It)) {
      std::string K = It->Key;
      S.HeldList.erase(std::next(It).base());
      S.HeldList.erase(remove_if(S.HeldList, [&](const Held &H) {
                         return SameClass(H) && (!H.Must || (!K.empty() && H.Key == K));
                       }), S.HeldList.end());
      return true;
    }
  return false;
}

/// Enters \p H; re-entering the same lock (or the same site, around a loop)
/// replaces the earlier instance instead of nesting it.
void enter(CtxState &S, Held H) {
  S.HeldList.erase(remove_if(S.HeldList, [&](const Held &O) {
                     return O.Origin == H.Origin ||
                            (!H.Key.empty() && O.Context->Class == H.Context->Class &&
                             O.Key == H.Key);
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

void TUAnalysis::analyze(const FunctionFacts &F, FunctionSummary &Out,
                         std::vector<CtxState> *States) const {
  std::vector<CtxState> In(F.Blocks.size());
  CtxState &Entry = In[F.Entry];
  Entry.Reachable = true;
  if (auto It = EntryContexts.find(F.FD); It != EntryContexts.end())
    Entry.HeldList.append(It->second.begin(), It->second.end());
  auto Transfer = [&](const BlockFacts &B, CtxState S,
                      std::vector<CtxState> *Record) {
    for (unsigned I : B.Events) {
      const Event &E = F.Events[I];
      // cleanup.h guards are released where their scope ends.
      if (E.Loc.isValid())
        S.HeldList.erase(remove_if(S.HeldList, [&](const Held &H) {
                           return H.ScopeEnd.isValid() &&
                                  SM.isBeforeInTranslationUnit(H.ScopeEnd, E.Loc);
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
        H.Evidence.push_back({E.Loc, describeEntry(E)});
        enter(S, std::move(H));
        break;
      }
      case EventKind::Exit:
        if (!leave(S, E.Context, E.Key) && !is_contained(S.Released, E.Context))
          S.Released.push_back(E.Context);
        break;
      case EventKind::Call:
        if (E.Callee) {
          if (const FunctionSummary *CS = summary(E.Callee)) {
            for (const ContextKind *C : CS->Releases)
              if (!leave(S, C, "") && !is_contained(S.Released, C))
                S.Released.push_back(C);
            for (const Held &A : CS->Acquires) {
              Held H = A;
              H.Origin = I;
              H.ScopeEnd = SourceLocation();
              H.Evidence.insert(H.Evidence.begin(),
                                {E.Loc, A.Context->What + " entered by the call to '" +
                                            E.Name + "' here"});
              if (H.Evidence.size() > MaxChain)
                H.Evidence.resize(MaxChain);
              enter(S, std::move(H));
            }
          }
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
    case BranchFact::BlockingTest:
      (Yes ? S.Blocking : S.NonBlocking).push_back(B.Branch.ParamIndex);
      break;
    default:
      break;
    }
    return S;
  };

  std::vector<CtxState> Outs(F.Blocks.size());
  std::vector<unsigned> Visits(F.Blocks.size(), 0);
  std::deque<int> Work(F.Order.begin(), F.Order.end());
  std::vector<bool> Queued(F.Blocks.size(), true);
  const unsigned MaxVisits = 16;
  while (!Work.empty()) {
    int B = Work.front();
    Work.pop_front();
    Queued[B] = false;
    CtxState S = B == F.Entry ? In[B] : CtxState();
    for (int P : F.Blocks[B].Preds) {
      const BlockFacts &PB = F.Blocks[P];
      for (unsigned K = 0; K < PB.Succs.size(); ++K)
        if (PB.Succs[K] == B)
          joinInto(S, EdgeState(P, K, Outs[P]));
    }
    if (B == F.Entry)
      S = In[B];
    In[B] = S;
    if (!S.Reachable)
      continue;
    CtxState O = Transfer(F.Blocks[B], S, nullptr);
    if (sameState(O, Outs[B]) || ++Visits[B] > MaxVisits)
      continue;
    Outs[B] = std::move(O);
    for (int Succ : F.Blocks[B].Succs)
      if (Succ >= 0 && !Queued[Succ]) {
        Queued[Succ] = true;
        Work.push_back(Succ);
      }
  }
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
    if (!S.Reachable || !S.HeldList.empty() || S.NotAtomic)
      continue;
    std::optional<SleepFact> SF = sleepAt(F, I, S);
    if (!SF)
      continue;
    // Summaries carry the chain from this function's call site downwards.
    if (!SF->Chain.empty() && SF->Chain.front().Text.empty())
      SF->Chain.front().Text = "'" + F.Name + "' calls '" + F.Events[I].Name + "' here";
    if (SF->Param < 0) {
      if (!Out.Always || (Out.Always->UnlessInterrupt && !SF->UnlessInterrupt))
        Out.Always = std::move(SF);
    } else if (!Out.ByParam.count(SF->Param)) {
      Out.ByParam[SF->Param] = std::move(*SF);
    }
  }
  const CtxState &ExitS = In[F.Exit];
  if (ExitS.Reachable) {
    for (const Held &H : ExitS.HeldList)
      if (H.Origin != Held::FromEntry && H.Must && !H.ScopeEnd.isValid())
        Out.Acquires.push_back(H);
    Out.Releases.assign(ExitS.Released.begin(), ExitS.Released.end());
  }
}

void TUAnalysis::run() {
  Res.run();
  // Callbacks registered in this TU start in the context they run in.
  auto AddEntry = [&](const FunctionDecl *Fn, const ContextKind *C,
                      SourceLocation Loc, StringRef Via) {
    if (!Fn || !C)
      return;
    const FunctionDecl *Def = Fn->getDefinition();
    if (!Def)
      return;
    std::vector<Held> &V = EntryContexts[Def];
    if (any_of(V, [&](const Held &H) { return H.Context == C; }))
      return;
    Held H;
    H.Context = C;
    H.Evidence.push_back({Loc, "'" + Def->getName().str() + "' runs as a " +
                                   C->What + ": registered here by '" + Via.str() + "'"});
    V.push_back(std::move(H));
  };
  for (const auto &F : Facts.Functions)
    for (const Event &E : F->Events)
      if (E.Kind == EventKind::Register)
        AddEntry(E.Callback, E.Context, E.Loc, E.Name);
  for (const GlobalRegistration &R : Facts.Registrations)
    AddEntry(R.Callback, R.Context, R.Loc, R.Via);

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

} // namespace kdlint

//===- WalkerConditions.cpp - What branches test; pure conditions -----------===//
//
// Part of the CFG walk (see FunctionWalker.h).
//
//===----------------------------------------------------------------------===//

#include "FunctionWalker.h"

namespace kdlint {
namespace walker {

const Expr *FunctionWalker::peelTest(const Expr *C, bool &Yes) const {
  for (;;) {
    C = C->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(C); U && U->getOpcode() == UO_LNot) {
      Yes = !Yes;
      C = U->getSubExpr();
      continue;
    }
    if (const auto *CE = dyn_cast<CallExpr>(C); // likely(x), unlikely(x)
        CE && CE->getBuiltinCallee() == Builtin::BI__builtin_expect &&
        CE->getNumArgs() == 2) {
      C = CE->getArg(0);
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(C);
        BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
      const Expr *Other = isNull(BO->getRHS()) ? BO->getLHS()
                          : isNull(BO->getLHS()) ? BO->getRHS() : nullptr;
      if (Other) {
        if (BO->getOpcode() == BO_EQ)
          Yes = !Yes;
        C = Other;
        continue;
      }
    }
    return C;
  }
}


void FunctionWalker::classifyBranch(const CFGBlock &CB, BlockFacts &B) {
  const Expr *C = CB.getLastCondition();
  if (!C)
    return;
  bool Yes = true;
  auto Test = [&](const Primitive *P, const CallExpr *CE) {
    B.Branch.TrueMeansYes = Yes;
    switch (P->Kind) {
    case PrimitiveKind::AtomicTest:
    case PrimitiveKind::NonAtomicTest:
      B.Branch.Kind = BranchFact::AtomicTest;
      B.Branch.TrueMeansYes = (P->Kind == PrimitiveKind::AtomicTest) == Yes;
      return true;
    case PrimitiveKind::InterruptTest:
    case PrimitiveKind::NonInterruptTest:
      B.Branch.Kind = BranchFact::InterruptTest;
      B.Branch.TrueMeansYes = (P->Kind == PrimitiveKind::InterruptTest) == Yes;
      return true;
    case PrimitiveKind::BlockingTest:
      if (CE && CE->getNumArgs() > 0) {
        ArgValue V = evalArg(CE->getArg(0));
        std::optional<uint64_t> DR = K.get(M.gfp().DirectReclaim);
        if (V.Kind == ArgValue::Param && DR && !(V.Bits & *DR) && (V.Mask & *DR)) {
          B.Branch.Kind = BranchFact::ParamTest;
          B.Branch.Cond.Index = V.ParamIndex;
          B.Branch.Cond.Mask = V.Mask & *DR;
          B.Branch.Cond.Gfp = true;
          return true;
        }
      }
      return false;
    default:
      return false;
    }
  };
  // A condition that is a whole model macro: if (spin_trylock_irqsave(l, f)),
  // if (!in_interrupt()); checked before and after each layer is peeled.
  auto MacroMatch = [&](const Expr *E) {
    SmallVector<MacroLevel, 8> Levels, EndLevels;
    chain(E->getBeginLoc(), Levels);
    chain(E->getEndLoc(), EndLevels);
    for (auto It = Levels.rbegin(); It != Levels.rend(); ++It) {
      const Primitive *P = M.lookup(It->Name);
      if (!P || It->IsArg)
        continue;
      if (P->Kind == PrimitiveKind::TryEnter) {
        // The condition is the whole trylock macro (not a test inside it).
        auto G = GroupIndex.find(It->Start.getRawEncoding());
        if (It->AtStart && G != GroupIndex.end()) {
          B.Branch.Kind = BranchFact::TryLock;
          B.Branch.TrueMeansYes = Yes;
          B.Branch.EventIndex = Groups[G->second].EventIndex;
          return true;
        }
        continue;
      }
      // A run-time test: the whole condition comes from one expansion of it.
      bool Whole = any_of(EndLevels, [&](const MacroLevel &L) {
        return !L.IsArg && L.Start == It->Start;
      });
      if (Whole && Test(P, nullptr))
        return true;
    }
    return false;
  };
  for (;;) {
    if (MacroMatch(C))
      return;
    const Expr *Next = C->IgnoreParenImpCasts();
    if (Next != C) {
      C = Next;
      continue;
    }
    if (const auto *U = dyn_cast<UnaryOperator>(C)) {
      if (U->getOpcode() == UO_LNot) {
        Yes = !Yes;
        C = U->getSubExpr();
        continue;
      }
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(C)) {
      if (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE) {
        Expr::EvalResult R;
        const Expr *Other = nullptr;
        if (BO->getRHS()->EvaluateAsInt(R, Ctx) && R.Val.getInt() == 0)
          Other = BO->getLHS();
        else if (BO->getLHS()->EvaluateAsInt(R, Ctx) && R.Val.getInt() == 0)
          Other = BO->getRHS();
        if (Other) {
          if (BO->getOpcode() == BO_EQ)
            Yes = !Yes;
          C = Other;
          continue;
        }
      }
    }
    break;
  }
  // if (action_code == WLAN_TDLS_SETUP_CONFIRM): an equality on a parameter.
  if (const auto *BO = dyn_cast<BinaryOperator>(C->IgnoreParenImpCasts());
      BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
    for (auto [X, K] : {std::pair(BO->getLHS(), BO->getRHS()),
                        std::pair(BO->getRHS(), BO->getLHS())}) {
      Expr::EvalResult R;
      ArgValue V = evalArg(X);
      if (V.Kind != ArgValue::Param || V.Bits != 0 ||
          !X->getType()->isIntegralOrEnumerationType() || K->isValueDependent() ||
          !K->EvaluateAsInt(R, Ctx))
        continue;
      B.Branch.Kind = BranchFact::ParamTest;
      B.Branch.TrueMeansYes = (BO->getOpcode() == BO_EQ) == Yes;
      B.Branch.Cond.Index = V.ParamIndex;
      B.Branch.Cond.Eq = true;
      B.Branch.Cond.Values = {R.Val.getInt().getZExtValue()};
      return;
    }
  }
  // if (can_sleep), if (!atomic), if (flags & FOO_NOWAIT), if (buf): a test
  // of a parameter, which a caller's constant argument decides.
  {
    bool Y = Yes;
    const Expr *X = peelTest(C, Y);
    QualType T = X->getType();
    ArgValue V = evalArg(X);
    if (V.Kind == ArgValue::Param && V.Bits == 0 && V.Mask != 0 &&
        (T->isIntegralOrEnumerationType() || T->isPointerType())) {
      B.Branch.Kind = BranchFact::ParamTest;
      B.Branch.TrueMeansYes = Y;
      B.Branch.Cond.Index = V.ParamIndex;
      B.Branch.Cond.Mask = V.Mask;
      B.Branch.Cond.Pointer = T->isPointerType();
      return;
    }
  }
  // if (db->in_timeout): a flag field, however the object was reached.
  {
    bool Y = Yes;
    const Expr *X = peelTest(C, Y)->IgnoreParenImpCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(X))
      if (const auto *Fd = dyn_cast<FieldDecl>(ME->getMemberDecl());
          Fd && (Fd->getType()->isBooleanType() || Fd->getType()->isIntegerType())) {
        B.Branch.Kind = BranchFact::FlagTest;
        B.Branch.TrueMeansYes = Y;
        B.Branch.Field = IR.field(Fd);
        return;
      }
  }
  if (const auto *CE = dyn_cast<CallExpr>(C)) {
    auto It = CallEvent.find(CE);
    if (It != CallEvent.end() &&
        F.Events[It->second].Kind == EventKind::TryEnter) {
      B.Branch.Kind = BranchFact::TryLock;
      B.Branch.TrueMeansYes = Yes;
      B.Branch.EventIndex = It->second;
      return;
    }
    if (const FunctionDecl *Callee = CE->getDirectCallee())
      if (const Primitive *P = M.lookup(Callee->getName()))
        Test(P, CE);
  }
}


const Expr *FunctionWalker::wrappedCondition(const Expr *C) const {
  SourceLocation B = C->getBeginLoc();
  if (!B.isMacroID())
    return nullptr;
  SmallVector<MacroLevel, 8> Levels, EndLevels;
  chain(B, Levels);
  chain(C->getEndLoc(), EndLevels);
  for (auto It = Levels.rbegin(); It != Levels.rend(); ++It) {
    std::optional<unsigned> Arg;
    if (It->IsArg || !(Arg = M.conditionWrapperArg(It->Name)))
      continue;
    if (none_of(EndLevels, [&](const MacroLevel &L) { return L.Start == It->Start; }))
      continue;
    SmallVector<std::pair<unsigned, StringRef>, 4> Args = macroArgs(It->Invocation);
    if (Args.size() <= *Arg)
      return nullptr;
    SourceLocation Exp = SM.getExpansionLoc(It->Invocation.getBegin());
    // C is (inside) what the driver wrote as an argument (the addr of
    // drm_WARN_ON(drm, !addr), passed down through drm_WARN and WARN): not a
    // use of the wrapper.
    SourceLocation Sp = SM.getSpellingLoc(C->getBeginLoc());
    if (SM.getFileID(Sp) == SM.getFileID(Exp) &&
        SM.getFileOffset(Sp) >= Args.front().first &&
        SM.getFileOffset(Sp) <= Args.back().first + Args.back().second.size())
      return nullptr;
    return writtenAt(SM.getComposedLoc(SM.getFileID(Exp), Args[*Arg].first));
  }
  return nullptr;
}


void FunctionWalker::classifyResultTest(const CFGBlock &CB, BlockFacts &B) {
  const Expr *C = CB.getLastCondition();
  if (!C)
    return;
  // Path notes name the driver's own branches, not those inside a macro it
  // used (pci_resource_len()'s ?:, WARN_ON()'s inner if), nor a ?: that
  // picks a value to store or pass (len = vram ? vram : def): the path is the
  // same either way. One that picks what is returned or tested stays.
  if (const Stmt *T = CB.getTerminatorStmt(); T && T->getBeginLoc().isFileID()) {
    bool Decides = true;
    if (isa<AbstractConditionalOperator>(T)) {
      const Stmt *Val = T, *Up = parent(T);
      for (; Up && isa<Expr>(Up); Up = parent(Up))
        Val = Up;
      auto Tests = [&](const Stmt *S) {
        if (const auto *I = dyn_cast<IfStmt>(S))
          return I->getCond() == Val;
        if (const auto *W = dyn_cast<WhileStmt>(S))
          return W->getCond() == Val;
        if (const auto *D = dyn_cast<DoStmt>(S))
          return D->getCond() == Val;
        if (const auto *F = dyn_cast<ForStmt>(S))
          return F->getCond() == Val;
        if (const auto *W = dyn_cast<SwitchStmt>(S))
          return W->getCond() == Val;
        return isa<ReturnStmt>(S);
      };
      Decides = Up && Tests(Up);
    }
    if (Decides)
      B.CondLoc = IR.place(SM.getExpansionLoc(C->getBeginLoc()));
  }
  bool Yes = true;
  ResultTest::KindTy Kind = ResultTest::Truthy;
  unsigned Unwrapped = 0;
  for (;;) {
    C = C->IgnoreParenCasts();
    if (Unwrapped < 4) // if (WARN_ON(!base)); bounded: a macro may wrap itself
      if (const Expr *Inner = wrappedCondition(C); Inner && Inner != C) {
        ++Unwrapped;
        C = Inner;
        continue;
      }
    if (const auto *U = dyn_cast<UnaryOperator>(C); U && U->getOpcode() == UO_LNot) {
      Yes = !Yes;
      C = U->getSubExpr();
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(C)) {
      BinaryOperatorKind Op = BO->getOpcode();
      if (Op == BO_Assign) { // if ((err = pci_request_regions(...)))
        C = BO->getRHS();
        continue;
      }
      auto Zero = [&](const Expr *X) {
        Expr::EvalResult R;
        return isNull(X) || (!X->isValueDependent() && X->EvaluateAsInt(R, Ctx) &&
                R.Val.getInt() == 0);
      };
      if ((Op == BO_EQ || Op == BO_NE) && Kind == ResultTest::Truthy) {
        if (Zero(BO->getRHS())) {
          C = BO->getLHS();
        } else if (Zero(BO->getLHS())) {
          C = BO->getRHS();
        } else {
          // if (mem != res): two pointer variables compared.
          const auto *L = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
          const auto *R = dyn_cast<DeclRefExpr>(BO->getRHS()->IgnoreParenImpCasts());
          if (!L || !R || !L->getType()->isPointerType() ||
              !R->getType()->isPointerType() || !isa<VarDecl>(L->getDecl()) ||
              !isa<VarDecl>(R->getDecl()))
            return;
          B.Test.Kind = ResultTest::Same;
          B.Test.TrueMeansYes = (Op == BO_EQ) == Yes;
          B.Test.Key = L->getDecl()->getName().str();
          B.Test.Other = R->getDecl()->getName().str();
          return;
        }
        if (Op == BO_EQ)
          Yes = !Yes;
        continue;
      }
      if (Op == BO_LT && Zero(BO->getRHS()) && Kind == ResultTest::Truthy) {
        Kind = ResultTest::Negative;
        C = BO->getLHS();
        continue;
      }
      return;
    }
    if (const auto *CE = dyn_cast<CallExpr>(C)) {
      if (const FunctionDecl *Callee = CE->getDirectCallee()) {
        StringRef N = Callee->getName();
        if (N == "__builtin_expect" && CE->getNumArgs() == 2) {
          C = CE->getArg(0);
          continue;
        }
        const Primitive *P = M.lookup(N);
        if (P && (P->Kind == PrimitiveKind::ErrTest ||
                  P->Kind == PrimitiveKind::ErrOrNullTest) &&
            CE->getNumArgs() == 1 && Kind == ResultTest::Truthy) {
          Kind = P->Kind == PrimitiveKind::ErrTest ? ResultTest::IsErr
                                                   : ResultTest::IsErrOrNull;
          C = CE->getArg(0);
          continue;
        }
      }
    }
    break;
  }
  int Ev = eventOf(C);
  std::string Key = Ev < 0 ? normalizeKey(text(peelBase(C)->getSourceRange())) : "";
  if (Ev < 0 && Key.empty())
    return;
  B.Test.Kind = Kind;
  B.Test.Integer = C->IgnoreParenImpCasts()->getType()->isIntegerType();
  B.Test.TrueMeansYes = Yes;
  B.Test.Event = Ev;
  B.Test.Key = Key;
}


// ---- Pure conditions --------------------------------------------------------


/// An lvalue as a pure condition's reads are spelled: no whitespace.
static std::string squeeze(StringRef T) {
  std::string Out;
  for (char C : T)
    if (!isspace(static_cast<unsigned char>(C)))
      Out += C;
  return Out;
}


void FunctionWalker::recordWrites(const Stmt *S, unsigned Block) {
  const Stmt *P = parent(S);
  while (P && isa<ImplicitCastExpr, ParenExpr>(P))
    P = parent(P);
  const Expr *L = writtenLvalue(S, P);
  if (!L)
    return;
  if (const auto *CA = dyn_cast<CompoundAssignOperator>(S);
      CA && (CA->getOpcode() == BO_OrAssign || CA->getOpcode() == BO_AndAssign)) {
    Expr::EvalResult R;
    const Expr *LV = L->IgnoreParenCasts();
    if (isa<DeclRefExpr, MemberExpr>(LV) && !CA->getRHS()->isValueDependent() &&
        CA->getRHS()->EvaluateAsInt(R, Ctx)) {
      std::string W = squeeze(text(LV->getSourceRange()));
      if (!W.empty()) {
        BlockBitWrites[Block].push_back(
            {W, CA->getOpcode() == BO_OrAssign, R.Val.getInt().getZExtValue()});
        return;
      }
    }
  }
  // What the store may change: the lvalue and everything reached through
  // it; a[i] may be any element of a, *p what p points to.
  std::string W = squeeze(text(L->IgnoreParenCasts()->getSourceRange()));
  StringRef R(W);
  R = R.ltrim("*&(");
  R = R.take_until([](char C) { return C == '[' || C == ')'; });
  auto &Ws = BlockWrites[Block];
  if (!R.empty() && !is_contained(Ws, R))
    Ws.push_back(R.str());
}


/// Whether \p E reads memory and variables only (no call, no store, no
/// volatile access); collects the lvalues it reads.
static bool pureExpr(const ASTContext &Ctx, const Model &M, const Expr *E,
                     SmallVectorImpl<const Expr *> &Reads, unsigned Depth = 0) {
  if (!E || Depth > 16)
    return false;
  E = E->IgnoreParens();
  // A constant (ARRAY_SIZE(tbl), with its sizeof and type checks) reads nothing.
  if (!E->isValueDependent() && E->getType()->isIntegerType() &&
      E->isIntegerConstantExpr(Ctx))
    return true;
  if (E->getType().isVolatileQualified())
    return false;
  if (const auto *CE = dyn_cast<ConstantExpr>(E))
    return pureExpr(Ctx, M, CE->getSubExpr(), Reads, Depth + 1);
  if (const auto *C = dyn_cast<CastExpr>(E))
    return pureExpr(Ctx, M, C->getSubExpr(), Reads, Depth + 1);
  if (isa<IntegerLiteral, CharacterLiteral, UnaryExprOrTypeTraitExpr>(E))
    return true;
  if (const auto *D = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *V = dyn_cast<VarDecl>(D->getDecl())) {
      if (V->getType().isVolatileQualified() || V->getName().empty())
        return false;
      Reads.push_back(E);
      return true;
    }
    return isa<EnumConstantDecl>(D->getDecl());
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    Reads.push_back(E);
    return pureExpr(Ctx, M, ME->getBase(), Reads, Depth + 1);
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
    Reads.push_back(E);
    return pureExpr(Ctx, M, AS->getBase(), Reads, Depth + 1) &&
           pureExpr(Ctx, M, AS->getIdx(), Reads, Depth + 1);
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    switch (U->getOpcode()) {
    case UO_LNot: case UO_Not: case UO_Minus: case UO_Plus:
    case UO_Deref: case UO_AddrOf:
      return pureExpr(Ctx, M, U->getSubExpr(), Reads, Depth + 1);
    default:
      return false;
    }
  }
  // A function the model says is pure (skb_is_nonlinear(skb)) reads its
  // arguments.
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee || !Callee->getIdentifier() || !M.isPure(Callee->getName()))
      return false;
    for (const Expr *A : CE->arguments())
      if (!pureExpr(Ctx, M, A, Reads, Depth + 1))
        return false;
    return true;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->isAssignmentOp() || BO->isCommaOp())
      return false;
    return pureExpr(Ctx, M, BO->getLHS(), Reads, Depth + 1) &&
           pureExpr(Ctx, M, BO->getRHS(), Reads, Depth + 1);
  }
  return false;
}


void FunctionWalker::classifyPureCond(const CFGBlock &CB, unsigned Block) {
  const Expr *C = CB.getLastCondition();
  if (!C)
    return;
  bool OnTrue = true;
  C = peelTest(C, OnTrue);
  QualType T = C->getType();
  if (!T->isScalarType())
    return;
  CondCandidate Cand;
  SmallVector<const Expr *, 4> Reads;
  if (!pureExpr(Ctx, M, C, Reads) || Reads.empty())
    return;
  // Spelled as the driver wrote it; but a condition that reads lvalues spelled
  // inside a macro's body (#define dfx_use_mmio bp->mmio) is spelled, with all
  // it reads, as what it expands to: the stores that set and kill it
  // (bp->mmio = false) are written that way.
  bool Expanded = any_of(Reads, [&](const Expr *R) {
    return text(R->getSourceRange()).empty();
  });
  auto Spell = [&](const Expr *X) {
    if (!Expanded)
      return squeeze(text(X->getSourceRange()));
    std::string T;
    llvm::raw_string_ostream OS(T);
    X->IgnoreParenImpCasts()->printPretty(OS, nullptr, PrintingPolicy(LO));
    return squeeze(OS.str());
  };
  Cand.C.Key = Spell(C);
  if (Cand.C.Key.empty())
    return;
  for (const Expr *R : Reads) {
    std::string T = Spell(R);
    if (T.empty())
      return;
    if (!is_contained(Cand.C.Reads, T))
      Cand.C.Reads.push_back(std::move(T));
  }
  Cand.OnTrue = OnTrue;
  if (const auto *BA = dyn_cast<BinaryOperator>(C->IgnoreParenImpCasts());
      BA && BA->getOpcode() == BO_And) {
    for (auto [V, K] : {std::pair(BA->getLHS(), BA->getRHS()),
                        std::pair(BA->getRHS(), BA->getLHS())}) {
      Expr::EvalResult R;
      const Expr *LV = V->IgnoreParenImpCasts();
      if (isa<DeclRefExpr, MemberExpr>(LV) && !K->isValueDependent() &&
          K->EvaluateAsInt(R, Ctx)) {
        Cand.C.MaskOf = Spell(LV);
        Cand.C.Mask = R.Val.getInt().getZExtValue();
        break;
      }
    }
  }
  if (const auto *Cmp = dyn_cast<BinaryOperator>(C->IgnoreParenImpCasts());
      Cmp && Cmp->isComparisonOp() && Cmp->getOpcode() >= BO_LT) {
    static const unsigned Allowed[] = {/*LT*/ 1, /*GT*/ 4, /*LE*/ 3, /*GE*/ 6,
                                       /*EQ*/ 2, /*NE*/ 5};
    // Spelled as written: a macro operand (ARRAY_SIZE(t)) by its use.
    auto Operand = [&](const Expr *X) {
      if (Expanded)
        return Spell(X);
      std::string T = squeeze(text(X->IgnoreImpCasts()->getSourceRange()));
      if (StringRef(T).starts_with("(") && StringRef(T).ends_with(")"))
        T = squeeze(text(X->IgnoreParenImpCasts()->getSourceRange()));
      return T;
    };
    Cand.C.CmpL = Operand(Cmp->getLHS());
    Cand.C.CmpR = Operand(Cmp->getRHS());
    if (!Cand.C.CmpL.empty() && !Cand.C.CmpR.empty())
      Cand.C.CmpTrue = Allowed[Cmp->getOpcode() - BO_LT];
  }
  const Expr *L = C->IgnoreParenImpCasts();
  Cand.Lvalue = isa<DeclRefExpr, MemberExpr, ArraySubscriptExpr>(L);
  Cand.C.Lvalue = Cand.Lvalue;
  BlockConds[Block] = std::move(Cand);
}


void FunctionWalker::classifySwitch(const CFGBlock &CB, unsigned Block) {
  const auto *SS = cast<SwitchStmt>(CB.getTerminatorStmt());
  const Expr *X = SS->getCond();
  if (!X || SS->getConditionVariable())
    return;
  X = X->IgnoreParenImpCasts();
  const auto *ET = X->getType()->getAs<EnumType>();
  if (!ET || !ET->getDecl()->getDefinition())
    return;
  SmallVector<const Expr *, 4> Reads;
  if (!pureExpr(Ctx, M, X, Reads) || Reads.empty() ||
      any_of(Reads, [&](const Expr *R) { return text(R->getSourceRange()).empty(); }))
    return;
  SwitchCandidate Cand;
  Cand.Value = squeeze(text(X->getSourceRange()));
  if (Cand.Value.empty())
    return;
  // The enumerators, by value (several names may share one).
  SmallVector<std::pair<llvm::APSInt, std::string>, 8> All;
  for (const EnumConstantDecl *EC : ET->getDecl()->getDefinition()->enumerators())
    All.push_back({EC->getInitVal(), EC->getName().str()});
  SmallVector<llvm::APSInt, 8> Covered;
  int DefaultIdx = -1;
  unsigned Idx = 0;
  std::vector<const CaseStmt *> Cases;
  for (const CFGBlock::AdjacentBlock &A : CB.succs()) {
    const CFGBlock *Succ = A.getReachableBlock() ? A.getReachableBlock()
                                                  : A.getPossiblyUnreachableBlock();
    const Stmt *L = Succ ? Succ->getLabel() : nullptr;
    const auto *CS = dyn_cast_or_null<CaseStmt>(L);
    if (CS && CS->getRHS())
      return; // a GNU case range: not followed
    Cases.push_back(CS);
    if (!CS)
      DefaultIdx = int(Idx); // default:, or past the switch when none matched
    ++Idx;
  }
  Cand.Implies.assign(Cases.size(), "");
  Cand.Excludes.assign(Cases.size(), {});
  for (unsigned I = 0; I < Cases.size(); ++I) {
    if (!Cases[I])
      continue;
    Expr::EvalResult R;
    if (Cases[I]->getLHS()->isValueDependent() ||
        !Cases[I]->getLHS()->EvaluateAsInt(R, Ctx))
      return;
    llvm::APSInt V = R.Val.getInt();
    Covered.push_back(V);
    SmallVector<std::string, 2> Names;
    for (auto &[EV, N] : All)
      if (llvm::APSInt::isSameValue(EV, V))
        Names.push_back(N);
    if (Names.size() == 1)
      Cand.Implies[I] = Names.front();
    // Every other enumerator is not the value on this edge.
    for (auto &[EV, N] : All)
      if (!llvm::APSInt::isSameValue(EV, V))
        Cand.Excludes[I].push_back(N);
  }
  if (DefaultIdx >= 0) {
    SmallVector<std::string, 2> Left;
    for (auto &[EV, N] : All) {
      if (any_of(Covered, [&](const llvm::APSInt &C) { return llvm::APSInt::isSameValue(C, EV); }))
        Cand.Excludes[DefaultIdx].push_back(N);
      else
        Left.push_back(N);
    }
    // A default no enumerator reaches: a value outside the enum, which
    // drivers guard against but do not produce.
    if (Left.empty() && !All.empty()) {
      F.Blocks[Block].Succs[DefaultIdx] = -1;
      return Switches.erase(Block), void();
    }
    if (Left.size() == 1)
      Cand.Implies[DefaultIdx] = Left.front();
  }
  Switches[Block] = std::move(Cand);
}


void FunctionWalker::finishPureConds() {
  // What `V |= B` / `V &= B` does to (V & Mask): nothing, sets it to a
  // known value, or makes it unknown.
  enum class BitEffect { None, True, False, Unknown };
  auto Effect = [](const PureCond &C, bool Or, uint64_t Bits) {
    if (Or)
      return (Bits & C.Mask) == 0 ? BitEffect::None
             : (Bits & C.Mask) == C.Mask ? BitEffect::True : BitEffect::Unknown;
    return (C.Mask & ~Bits) == 0 ? BitEffect::None
           : (C.Mask & Bits) == 0 ? BitEffect::False : BitEffect::Unknown;
  };
  // What event E sets of condition C, if anything: locked = true sets
  // `locked`; flags = 0 and flags |= F set `flags & F`.
  auto SetBy = [&](const Event &E, const PureCond &C) -> std::optional<bool> {
    if (E.Value.V.Kind != ArgValue::Const || E.Target.Key.empty())
      return std::nullopt;
    if (E.Kind == EventKind::Assign) {
      if (C.Lvalue && normalizeKey(C.Key) == E.Target.Key)
        return E.Value.V.Bits != 0 || E.Value.V.Negative;
      if (C.Mask && normalizeKey(C.MaskOf) == E.Target.Key)
        return (E.Value.V.Bits & C.Mask) != 0;
      return std::nullopt;
    }
    if (E.Kind == EventKind::Update && C.Mask && (E.How == "|=" || E.How == "&=") &&
        normalizeKey(C.MaskOf) == E.Target.Key) {
      BitEffect X = Effect(C, E.How == "|=", E.Value.V.Bits);
      if (X == BitEffect::True || X == BitEffect::False)
        return X == BitEffect::True;
    }
    return std::nullopt;
  };
  // Comparisons of the same two operands, in either order, relate.
  auto Pair = [](const PureCond &C) {
    return C.CmpL < C.CmpR ? C.CmpL + '\n' + C.CmpR : C.CmpR + '\n' + C.CmpL;
  };
  StringMap<unsigned> Count, PairCount;
  for (auto &[Block, Cand] : BlockConds) {
    ++Count[Cand.C.Key];
    if (Cand.C.CmpTrue)
      ++PairCount[Pair(Cand.C)];
  }
  // A switch tests its value against every enumerator its edges decide.
  auto PairOf = [](StringRef A, StringRef B) {
    return A < B ? (A + "\n" + B).str() : (B + "\n" + A).str();
  };
  for (auto &[Block, Sw] : Switches) {
    StringSet<> Named;
    for (unsigned I = 0; I < Sw.Implies.size(); ++I) {
      if (!Sw.Implies[I].empty())
        Named.insert(Sw.Implies[I]);
      for (const std::string &N : Sw.Excludes[I])
        Named.insert(N);
    }
    for (const auto &N : Named)
      ++PairCount[PairOf(Sw.Value, N.getKey())];
  }
  StringMap<unsigned> Index;
  for (unsigned Block = 0; Block < F.Blocks.size(); ++Block) {
    auto BC = BlockConds.find(Block);
    if (BC == BlockConds.end())
      continue;
    const CondCandidate &Cand = BC->second;
    auto Found = Index.find(Cand.C.Key);
    if (Found == Index.end()) {
      // Tested twice, or stored to as a flag and tested.
      if (Count[Cand.C.Key] < 2 && (!Cand.C.CmpTrue || PairCount[Pair(Cand.C)] < 2) &&
          none_of(F.Events, [&](const Event &E) { return SetBy(E, Cand.C).has_value(); }))
        continue;
      Found = Index.try_emplace(Cand.C.Key, F.Conds.size()).first;
      F.Conds.push_back(Cand.C);
    }
    F.Blocks[Block].Cond = Found->second;
    F.Blocks[Block].CondOnTrue = Cand.OnTrue;
  }
  // Switch edges: x == e (or x != e) decided by the edge taken.
  for (auto &[Block, Sw] : Switches) {
    BlockFacts &B = F.Blocks[Block];
    for (unsigned C = 0; C < F.Conds.size(); ++C) {
      const PureCond &PC = F.Conds[C];
      if (PC.CmpTrue != 2 && PC.CmpTrue != 5)
        continue; // == or != only
      StringRef Other;
      if (PC.CmpL == Sw.Value)
        Other = PC.CmpR;
      else if (PC.CmpR == Sw.Value)
        Other = PC.CmpL;
      else
        continue;
      bool Eq = PC.CmpTrue == 2;
      for (unsigned I = 0; I < Sw.Implies.size() && I < B.Succs.size(); ++I) {
        if (Sw.Implies[I] == Other)
          B.EdgeConds.push_back({I, C, Eq});
        else if (is_contained(Sw.Excludes[I], Other))
          B.EdgeConds.push_back({I, C, !Eq});
      }
    }
  }
  if (F.Conds.empty())
    return;
  // The orderings C allows when it has value V, seen as (X, Y).
  auto Orderings = [](const PureCond &C, StringRef X, bool V) {
    unsigned M = C.CmpTrue;
    if (C.CmpL != X) // written as Y op X: mirror
      M = (M & 2) | ((M & 1) << 2) | ((M & 4) >> 2);
    return V ? M : ~M & 7;
  };
  for (BlockFacts &B : F.Blocks) {
    if (B.Cond < 0 || !F.Conds[B.Cond].CmpTrue)
      continue;
    const PureCond &PC = F.Conds[B.Cond];
    for (unsigned C2 = 0; C2 < F.Conds.size(); ++C2) {
      const PureCond &O = F.Conds[C2];
      if (int(C2) == B.Cond || !O.CmpTrue || Pair(O) != Pair(PC))
        continue;
      for (bool V : {true, false}) {
        unsigned A = Orderings(PC, PC.CmpL, V), T = Orderings(O, PC.CmpL, true);
        if ((A & T) == A)
          B.Implied.push_back({V, C2, true});
        else if ((A & T) == 0)
          B.Implied.push_back({V, C2, false});
      }
    }
  }
  // A write to W changes the reads W and W->f, W.f, W[i].
  auto Changes = [](StringRef W, StringRef R) {
    if (!R.consume_front(W))
      return false;
    return R.empty() || R.starts_with("->") || R.starts_with(".") ||
           R.starts_with("[");
  };
  for (Event &E : F.Events)
    if (E.Kind == EventKind::Assign || E.Kind == EventKind::Update)
      for (unsigned C = 0; C < F.Conds.size(); ++C) {
        const PureCond &PC = F.Conds[C];
        // flags |= BOARD_IOMAP leaves (flags & BOARD_MEMMAP) as it was.
        bool Untouched = E.Kind == EventKind::Update && PC.Mask &&
                         (E.How == "|=" || E.How == "&=") &&
                         E.Value.V.Kind == ArgValue::Const &&
                         normalizeKey(PC.MaskOf) == E.Target.Key &&
                         Effect(PC, E.How == "|=", E.Value.V.Bits) == BitEffect::None;
        if (std::optional<bool> V = SetBy(E, PC))
          E.Sets.push_back({C, *V});
        else if (!Untouched && !E.Target.Key.empty() &&
                 any_of(F.Conds[C].Reads, [&](const std::string &R) {
                   return Changes(E.Target.Key, normalizeKey(R));
                 }))
          E.Kills.push_back(C);
      }
  for (unsigned B = 0; B < F.Blocks.size(); ++B)
    for (unsigned C = 0; C < F.Conds.size(); ++C) {
      const PureCond &PC = F.Conds[C];
      bool Kill = any_of(BlockWrites[B], [&](const std::string &W) {
        return any_of(PC.Reads, [&](const std::string &R) { return Changes(W, R); });
      });
      for (const BitWrite &W : BlockBitWrites[B]) {
        if (Kill || none_of(PC.Reads, [&](const std::string &R) { return Changes(W.W, R); }))
          continue;
        // flags |= BOARD_IOMAP leaves (flags & BOARD_MEMMAP) as it was;
        // flags |= BOARD_MEMMAP makes it true (its Update event sets it).
        BitEffect X = PC.MaskOf == W.W && PC.Mask ? Effect(PC, W.Or, W.Bits)
                                                 : BitEffect::Unknown;
        if (X == BitEffect::Unknown)
          Kill = true;
      }
      if (Kill)
        F.Blocks[B].Kills.push_back(C);
    }
}

} // namespace walker
} // namespace kdlint

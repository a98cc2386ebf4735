//===- WalkerValues.cpp - Argument values, bases and addresses --------------===//
//
// Part of the CFG walk (see FunctionWalker.h).
//
//===----------------------------------------------------------------------===//

#include "FunctionWalker.h"

namespace kdlint {
namespace walker {

/// The function \p E names (fn or &fn), if any.
const FunctionDecl *functionRefOf(const Expr *E) {
  if (!E)
    return nullptr;
  const Expr *S = E->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(S))
    if (U->getOpcode() == UO_AddrOf)
      S = U->getSubExpr()->IgnoreParenCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(S);
  return DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
}


const FunctionDecl *FunctionWalker::functionRef(const Expr *E) const {
  return functionRefOf(E);
}


/// Whether \p T is the model's GFP mask type (gfp_t), through typedefs.
static bool isGfpType(QualType T, const Model &M) {
  while (const auto *TT = T->getAs<TypedefType>()) {
    if (TT->getDecl()->getName() == M.spellings().GfpType)
      return true;
    T = TT->getDecl()->getUnderlyingType();
  }
  return false;
}


/// The lvalue \p S may write: an assignment's left side, what ++/-- change,
/// and x in &x (whoever gets the address may write x) unless &x is handed to
/// a pointer-to-const parameter of \p Parent, the call around it
/// (atomic_read(&pdev->enable_cnt)). Null if S writes nothing.
const Expr *writtenLvalue(const Stmt *S, const Stmt *Parent) {
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    return BO->isAssignmentOp() ? BO->getLHS() : nullptr;
  const auto *U = dyn_cast<UnaryOperator>(S);
  if (!U || !(U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf))
    return nullptr;
  if (U->getOpcode() == UO_AddrOf)
    if (const auto *CE = dyn_cast_or_null<CallExpr>(Parent))
      if (const FunctionDecl *Fn = CE->getDirectCallee())
        for (unsigned I = 0; I < CE->getNumArgs() && I < Fn->getNumParams(); ++I)
          if (CE->getArg(I)->IgnoreParenImpCasts() == U) {
            QualType T = Fn->getParamDecl(I)->getType();
            if (T->isPointerType() && T->getPointeeType().isConstQualified())
              return nullptr;
          }
  return U->getSubExpr();
}


/// Whether \p VD, a local of the function, is assigned, incremented or has
/// its address taken anywhere in the body (its initializer aside).
bool FunctionWalker::writtenLocal(const VarDecl *VD) const {
  if (!WrittenLocals) {
    WrittenLocals.emplace();
    // Parent: the nearest enclosing statement that is not a cast or parens.
    std::function<void(const Stmt *, const Stmt *)> Walk = [&](const Stmt *S,
                                                              const Stmt *Parent) {
      if (!S)
        return;
      if (const Expr *L = writtenLvalue(S, Parent))
        if (const auto *D = dyn_cast<DeclRefExpr>(L->IgnoreParenCasts()))
          WrittenLocals->insert(D->getDecl());
      const Stmt *Next = isa<ImplicitCastExpr, ParenExpr>(S) ? Parent : S;
      for (const Stmt *C : S->children())
        Walk(C, Next);
    };
    Walk(FD->getBody(), nullptr);
  }
  return WrittenLocals->count(VD);
}


ArgValue FunctionWalker::evalArg(const Expr *E) const {
  ArgValue V;
  if (!E)
    return V;
  V.Text = text(E->getSourceRange());
  const Expr *S = E->IgnoreParenCasts();
  Expr::EvalResult R;
  if (!S->isValueDependent() && S->EvaluateAsInt(R, Ctx)) {
    V.Kind = ArgValue::Const;
    V.Bits = R.Val.getInt().getZExtValue();
    V.Negative = R.Val.getInt().isSigned() && R.Val.getInt().isNegative();
    return V;
  }
  if (const FunctionDecl *Fn = functionRef(S)) {
    V.Kind = ArgValue::Function;
    V.Fn = IR.fn(Fn);
    return V;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(S); U && U->getOpcode() == UO_AddrOf) {
    V.Kind = ArgValue::NonNull;
    return V;
  }
  if (isa<clang::StringLiteral>(S)) {
    V.Kind = ArgValue::NonNull;
    return V;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    if (DRE->getType()->isArrayType()) { // an array decays to its address
      V.Kind = ArgValue::NonNull;
      return V;
    }
    if (const auto *PV = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
      if (PV->getDeclContext() == FD) {
        V.Kind = ArgValue::Param;
        V.ParamIndex = PV->getFunctionScopeIndex();
      }
      return V;
    }
    // gfp_t gfp = GFP_KERNEL | __GFP_ZERO; ... kmalloc(n, gfp): a local mask
    // set once by its initializer and never written again is that constant.
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->hasLocalStorage() && isGfpType(VD->getType(), M) && VD->getInit() &&
        !writtenLocal(VD)) {
      ArgValue I = evalArg(VD->getInit());
      if (I.Kind == ArgValue::Const) {
        I.Text = V.Text + " (" + I.Text + ")";
        return I;
      }
    }
    return V;
  }
  // `c ? A : B` of two constants (rpm_suspend(dev, auto ? RPM_ASYNC | RPM_AUTO
  // : RPM_ASYNC)): an unknown value whose bits set in both arms are known set
  // (Bits) and whose bits set in neither are known clear (outside Mask).
  if (const auto *CO = dyn_cast<ConditionalOperator>(S)) {
    ArgValue T = evalArg(CO->getTrueExpr()), F = evalArg(CO->getFalseExpr());
    if (T.Kind == ArgValue::Const && F.Kind == ArgValue::Const && !T.Negative &&
        !F.Negative) {
      V.Bits = T.Bits & F.Bits;
      V.Mask = T.Bits | F.Bits;
    }
    return V;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() != BO_Or && BO->getOpcode() != BO_And)
      return V;
    ArgValue L = evalArg(BO->getLHS()), Rv = evalArg(BO->getRHS());
    if (L.Kind == ArgValue::Const && Rv.Kind == ArgValue::Param)
      std::swap(L, Rv);
    if (L.Kind == ArgValue::Param && Rv.Kind == ArgValue::Const) {
      V.Kind = ArgValue::Param;
      V.ParamIndex = L.ParamIndex;
      if (BO->getOpcode() == BO_Or) {
        V.Mask = L.Mask;
        V.Bits = L.Bits | Rv.Bits;
      } else {
        V.Mask = L.Mask & Rv.Bits;
        V.Bits = L.Bits & Rv.Bits;
      }
    }
  }
  return V;
}


std::optional<ArgValue> FunctionWalker::gfpArg(const CallExpr *CE,
                                               const Primitive *P) const {
  // The parameter typed gfp_t is the GFP mask, whatever wrappers and
  // config-dependent extra arguments (6.12's slab buckets) stand before it.
  if (const FunctionDecl *Callee = CE->getDirectCallee())
    for (unsigned I = 0; I < Callee->getNumParams() && I < CE->getNumArgs(); ++I)
      if (isGfpType(Callee->getParamDecl(I)->getType(), M))
        return evalArg(CE->getArg(I));
  if (P && P->Arg >= 0 && unsigned(P->Arg) < CE->getNumArgs())
    return evalArg(CE->getArg(P->Arg));
  return std::nullopt;
}


// ---- Resource facts ---------------------------------------------------------


const Expr *FunctionWalker::peelBase(const Expr *E) const {
  for (;;) {
    E = E->IgnoreParenCasts();
    // p ? p + offs : NULL: p's value whenever it is not null.
    if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
      if (isNull(CO->getFalseExpr()) && !isNull(CO->getTrueExpr())) {
        E = CO->getTrueExpr();
        continue;
      }
      if (isNull(CO->getTrueExpr()) && !isNull(CO->getFalseExpr())) {
        E = CO->getFalseExpr();
        continue;
      }
      return E;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      BinaryOperatorKind Op = BO->getOpcode();
      if (Op == BO_Assign) { // save = addr = kmap_atomic(page): addr's value
        E = BO->getLHS();
        continue;
      }
      if (Op == BO_Add || Op == BO_Sub || Op == BO_Or) {
        const Expr *L = BO->getLHS(), *R = BO->getRHS();
        // base + offset, (unsigned long)base + offset, offset + base
        if (Op == BO_Add && R->getType()->isPointerType() &&
            !L->getType()->isPointerType()) {
          E = R;
          continue;
        }
        if (L->getType()->isPointerType() || !L->isEvaluatable(Ctx)) {
          E = L;
          continue;
        }
        if (Op != BO_Sub) {
          E = R;
          continue;
        }
      }
      return E;
    }
    if (const auto *U = dyn_cast<UnaryOperator>(E)) {
      if (U->getOpcode() != UO_AddrOf)
        return E;
      const Expr *Sub = U->getSubExpr()->IgnoreParens();
      // &base[i], &regs->ctrl: an address inside what base points to.
      if (const auto *AS = dyn_cast<ArraySubscriptExpr>(Sub)) {
        E = AS->getBase();
        continue;
      }
      while (const auto *ME = dyn_cast<MemberExpr>(Sub)) {
        if (ME->isArrow()) {
          E = ME->getBase();
          break;
        }
        Sub = ME->getBase()->IgnoreParens();
      }
      if (E == U)
        return E;
      continue;
    }
    return E;
  }
}


bool FunctionWalker::physToVirt(const Expr *E) const {
  E = E->IgnoreParenImpCasts();
  if (const auto *CE = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *Callee = CE->getDirectCallee())
      if (const Primitive *P = M.lookup(Callee->getName());
          P && P->Role == AccessRole::PhysToVirt)
        return true;
  SmallVector<MacroLevel, 8> Levels;
  chain(E->getBeginLoc(), Levels);
  for (const MacroLevel &L : Levels)
    if (!L.IsArg)
      if (const Primitive *P = M.lookup(L.Name); P && P->Role == AccessRole::PhysToVirt)
        return true;
  return false;
}


static bool typedefIn(QualType T, const Model &M, std::string &Name) {
  while (const auto *TT = T->getAs<TypedefType>()) {
    if (M.isPhysicalType(TT->getDecl()->getName())) {
      Name = TT->getDecl()->getName().str();
      return true;
    }
    T = TT->getDecl()->getUnderlyingType();
  }
  return false;
}


void FunctionWalker::classifyAddr(const Expr *E, ArgInfo &A) const {
  const Expr *S = E->IgnoreParenImpCasts();
  // (void __iomem *)res->start + REG: the pointer before the offset.
  while (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if ((BO->getOpcode() != BO_Add && BO->getOpcode() != BO_Sub) ||
        !BO->getLHS()->getType()->isPointerType())
      break;
    S = BO->getLHS()->IgnoreParenImpCasts();
  }
  // phys_to_virt() of a device's resource: the linear map covers RAM only.
  auto LinearMapOfDevice = [&](const Expr *X) {
    const auto *CE = dyn_cast<CallExpr>(X->IgnoreParenImpCasts());
    if (!CE || CE->getNumArgs() != 1 || !physToVirt(CE))
      return false;
    ArgInfo Inner;
    const Expr *Arg = CE->getArg(0)->IgnoreParenImpCasts();
    const auto *ME = dyn_cast<MemberExpr>(Arg);
    const auto *Fd = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    if (!Fd || !Fd->getParent() ||
        !M.isPhysicalField(Fd->getParent()->getName(), Fd->getName()))
      return false;
    A.Addr = Unmapped::LinearMap;
    A.AddrWhy = "phys_to_virt() of a device resource (the linear map covers RAM, "
                "not device memory)";
    return true;
  };
  if (LinearMapOfDevice(S))
    return;
  while (const auto *C = dyn_cast<CastExpr>(S)) {
    if (C->getCastKind() != CK_IntegralToPointer) {
      S = C->getSubExpr()->IgnoreParens();
      if (LinearMapOfDevice(S))
        return;
      continue;
    }
    const Expr *I = C->getSubExpr()->IgnoreParenImpCasts();
    Expr::EvalResult R;
    if (!I->isValueDependent() && I->EvaluateAsInt(R, Ctx)) {
      if (R.Val.getInt() == 0)
        return; // a null pointer, not an address
      A.Addr = Unmapped::Constant;
      A.AddrWhy = "the constant address 0x" +
                  llvm::utohexstr(R.Val.getInt().getZExtValue(), /*LowerCase=*/true);
      return;
    }
    std::string Txt = text(I->getSourceRange());
    // Peel offsets: (void __iomem *)(res->start + 0x10)
    while (const auto *BO = dyn_cast<BinaryOperator>(I)) {
      if (BO->getOpcode() != BO_Add && BO->getOpcode() != BO_Sub &&
          BO->getOpcode() != BO_Or)
        break;
      I = BO->getLHS()->isEvaluatable(Ctx) ? BO->getRHS() : BO->getLHS();
      I = I->IgnoreParenImpCasts();
    }
    std::string T;
    if (Txt.empty())
      Txt = text(I->getSourceRange());
    if (const auto *ME = dyn_cast<MemberExpr>(I))
      if (const auto *Fd = dyn_cast<FieldDecl>(ME->getMemberDecl()))
        if (Fd->getParent() &&
            M.isPhysicalField(Fd->getParent()->getName(), Fd->getName())) {
          A.Addr = Unmapped::Physical;
          A.AddrWhy = (Txt.empty() ? std::string("a physical address")
                                   : "'" + Txt + "', a physical address") +
                      " (struct " + Fd->getParent()->getName().str() + "." +
                      Fd->getName().str() + ")";
          return;
        }
    if (typedefIn(I->getType(), M, T)) {
      A.Addr = Unmapped::Physical;
      A.AddrWhy = (Txt.empty() ? std::string("a ") : "'" + Txt + "', a ") + T +
                  " (a physical address)";
    }
    return;
  }
}


int FunctionWalker::eventOf(const Expr *E) const {
  E = E->IgnoreParenCasts();
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    auto It = CallEvent.find(CE);
    if (It != CallEvent.end())
      return It->second;
  }
  std::optional<MacroLevel> B = owner(E->getBeginLoc());
  if (!B)
    return -1;
  auto It = GroupIndex.find(B->Start.getRawEncoding());
  if (It == GroupIndex.end())
    return -1;
  const Group &G = Groups[It->second];
  // `#define ioremap ioremap`: the macro is only the callee's name.
  if (const auto *CE = dyn_cast<CallExpr>(E))
    if (is_contained(G.Calls, CE))
      return G.EventIndex;
  std::optional<MacroLevel> End = owner(E->getEndLoc());
  if (!End || End->Start != B->Start)
    return -1;
  return G.EventIndex;
}


ArgInfo FunctionWalker::argInfo(const Expr *E) {
  ArgInfo A;
  if (!E)
    return A;
  A.V = evalArg(E);
  A.Lvalue = E->IgnoreParenImpCasts()->isLValue();
  // The whole value as written; a macro the driver passed (I2C_DIR, a
  // pci_resource_start(pdev, 0)) is spelled by its use, however it expands.
  A.FullKey = normalizeKey(text(E->IgnoreParenCasts()->getSourceRange()));
  if (A.FullKey.empty())
    A.FullKey = normalizeKey(text(E->getSourceRange()));
  if (A.FullKey.empty())
    A.FullKey = keyText(E->IgnoreParenCasts());
  const Expr *B = peelBase(E);
  A.Event = eventOf(B);
  A.Text = text(B->getSourceRange());
  // The base lies inside a macro the driver wrote (kmap(bio_page(req->bio)):
  // bio_page() expands to a member of a compound literal): the argument as
  // written names it, the same way at kmap() and at kunmap().
  if (A.Text.empty() && B != E->IgnoreParenCasts()) {
    A.Text = text(E->IgnoreParenCasts()->getSourceRange());
    if (A.Text.empty())
      A.Text = text(E->getSourceRange());
  }
  A.Key = normalizeKey(A.Text);
  if (const auto *PT = E->IgnoreParenImpCasts()->getType()->getAs<PointerType>())
    if (const auto *RT = PT->getPointeeType()->getAs<RecordType>())
      A.Record = IR.record(RT->getDecl());
  if (!A.Text.empty()) {
    SourceLocation End = SM.getFileLoc(B->getEndLoc());
    A.Range = IR.range(SM.getFileLoc(B->getBeginLoc()),
                       End.getLocWithOffset(Lexer::MeasureTokenLength(End, SM, LO)));
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(B)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      A.Local = VD->hasLocalStorage();
      A.Global = VD->isFileVarDecl();
      A.Iomem = iomem(VD);
      A.DeclLoc = IR.place(SM.getExpansionLoc(VD->getLocation()));
    }
  } else if (const auto *ME = dyn_cast<MemberExpr>(B)) {
    if (const auto *Fd = dyn_cast<FieldDecl>(ME->getMemberDecl())) {
      A.Field = IR.field(Fd);
      A.Iomem = iomem(Fd);
      A.DeclLoc = IR.place(SM.getExpansionLoc(Fd->getLocation()));
    }
  } else if (const auto *CE = dyn_cast<CallExpr>(B)) {
    if (const FunctionDecl *Callee = CE->getDirectCallee()) {
      A.Iomem = iomem(Callee);
      A.DeclLoc = IR.place(SM.getExpansionLoc(Callee->getLocation()));
    }
  }
  return A;
}


void FunctionWalker::fillArgs(Event &E, ArrayRef<const Expr *> Args) {
  bool Mmio = E.Prim && E.Prim->Role == AccessRole::Mmio;
  for (const Expr *A : Args) {
    E.RArgs.push_back(argInfo(A));
    if (A && Mmio)
      classifyAddr(A, E.RArgs.back());
  }
}


SmallVector<const Expr *, 4> FunctionWalker::groupArgs(const Group &G) const {
  // The driver's arguments of a macro: find, for each argument as written,
  // the outermost expression inside the expansion spelled exactly there.
  SmallVector<const Expr *, 4> Out;
  SourceLocation B = SM.getExpansionLoc(G.Invocation.getBegin());
  SmallVector<std::pair<unsigned, StringRef>, 4> Args = macroArgs(G.Invocation);
  if (Args.empty()) {
    // An object-like macro that names the function (#define readl readl).
    for (const CallExpr *CE : G.Calls)
      if (SM.getExpansionLoc(CE->getBeginLoc()) == B) {
        Out.append(CE->arg_begin(), CE->arg_end());
        break;
      }
    return Out;
  }
  // Candidate expressions: call arguments and what they wrap.
  SmallVector<std::pair<unsigned, const Expr *>, 16> Cands;
  std::function<void(const Expr *)> Add = [&](const Expr *X) {
    while (X) {
      SourceLocation L = X->getBeginLoc();
      {
        SourceLocation FL = SM.getFileLoc(L);
        if (SM.getFileID(FL) == SM.getFileID(B))
          Cands.push_back({SM.getFileOffset(FL), X});
      }
      if (const auto *P = dyn_cast<ParenExpr>(X))
        X = P->getSubExpr();
      else if (const auto *C = dyn_cast<CastExpr>(X))
        X = C->getSubExpr();
      else if (const auto *CE = dyn_cast<CallExpr>(X)) {
        for (const Expr *A : CE->arguments())
          Add(A);
        X = nullptr;
      } else
        X = nullptr;
    }
  };
  for (const CallExpr *CE : G.Calls)
    for (const Expr *A : CE->arguments())
      Add(A);
  FileID FID = SM.getFileID(B);
  for (auto &[S, Text] : Args)
    if (const Expr *X = writtenAt(SM.getComposedLoc(FID, S)))
      Cands.push_back({S, X});
  for (auto &[S, Text] : Args) {
    const Expr *Best = nullptr;
    for (auto &[O, X] : Cands)
      if (O == S && (!Best || !text(X->getSourceRange()).empty()))
        if (!Best || text(Best->getSourceRange()).size() <
                         text(X->getSourceRange()).size())
          Best = X;
    Out.push_back(Best);
  }
  return Out;
}


bool FunctionWalker::isAccess(const Expr *E) {
  const Stmt *Cur = E;
  for (const Stmt *P = parent(Cur); P; P = parent(Cur)) {
    if (isa<ParenExpr>(P)) {
      Cur = P;
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      if (!ME->isArrow() && ME->getBase()->IgnoreParens() == Cur) {
        Cur = P;
        continue;
      }
      return false;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(P)) {
      (void)AS;
      return false;
    }
    if (const auto *C = dyn_cast<ImplicitCastExpr>(P))
      return C->getCastKind() == CK_LValueToRValue;
    if (const auto *BO = dyn_cast<BinaryOperator>(P))
      return BO->isAssignmentOp() && BO->getLHS()->IgnoreParens() == Cur;
    if (const auto *U = dyn_cast<UnaryOperator>(P))
      return U->isIncrementDecrementOp();
    return false;
  }
  return false;
}

} // namespace walker
} // namespace kdlint

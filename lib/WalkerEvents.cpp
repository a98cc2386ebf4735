//===- WalkerEvents.cpp - Calls, stores, accesses and cleanups as events ----===//
//
// Part of the CFG walk (see FunctionWalker.h).
//
//===----------------------------------------------------------------------===//

#include "FunctionWalker.h"

namespace kdlint {
namespace walker {

/// The event a model primitive's call is: entering or leaving a context, a
/// try-enter, a registration, or a plain call.
static EventKind kindFor(const Primitive *P) {
  switch (P->Kind) {
  case PrimitiveKind::Enter: return EventKind::Enter;
  case PrimitiveKind::Exit: return EventKind::Exit;
  case PrimitiveKind::TryEnter: return EventKind::TryEnter;
  case PrimitiveKind::Register: return EventKind::Register;
  default: return EventKind::Call;
  }
}

SourceLocation FunctionWalker::scopeEndOf(const Stmt *S) {
  for (const Stmt *P = parent(S); P; P = parent(P)) {
    if (isa<CompoundStmt>(P) || isa<ForStmt>(P) || isa<StmtExpr>(P))
      return SM.getExpansionLoc(P->getEndLoc());
  }
  return SM.getExpansionLoc(FD->getBody()->getEndLoc());
}


void FunctionWalker::releaseKeys(const CallExpr *CE, const FunctionDecl *Callee,
                                 Event &E) const {
  if (M.isReleaseHelper(Callee->getName())) {
    for (const Expr *A : CE->arguments())
      if (A->getType()->isPointerType())
        if (std::string K = keyText(A); !K.empty())
          E.ReleasesKeys.push_back(K);
    return;
  }
  if (!Ann)
    return;
  for (const AnnotationIndex::Entry *En : Ann->of(Callee, SM)) {
    if (En->Macro != M.spellings().Releases)
      continue;
    // The annotation names the lock through the callee's parameters.
    std::string K = normalizeKey(En->Arg);
    for (unsigned I = 0; I < Callee->getNumParams() && I < CE->getNumArgs(); ++I) {
      StringRef N = Callee->getParamDecl(I)->getName();
      StringRef KR(K);
      if (N.empty() || !KR.starts_with(N))
        continue;
      StringRef Rest = KR.drop_front(N.size());
      if (Rest.empty() || Rest.starts_with("->") || Rest.starts_with(".")) {
        K = keyText(CE->getArg(I)) + Rest.str();
        break;
      }
    }
    E.ReleasesKeys.push_back(K);
  }
}


/// A variable declared __free(name) (cleanup.h: DEFINE_FREE(name, type,
/// free)) is released by __free_name() wherever it goes out of scope: on
/// every return and goto past it. The release is the model's primitive named
/// name (__free(kfree), __free(iounmap)), or the one that function's body
/// calls (DEFINE_FREE(pmc_core_iounmap, void __iomem *, iounmap(_T))).
void FunctionWalker::visitCleanup(const VarDecl *VD, const FunctionDecl *Fn,
                                  BlockFacts &B) {
  if (!VD || !Fn)
    return;
  StringRef Name = Fn->getName();
  StringRef Short = Name;
  const Primitive *P = nullptr;
  if (Short.consume_front("__free_"))
    P = M.lookup(Short);
  if (!P || !P->Rel) {
    P = nullptr;
    const FunctionDecl *Def = Fn->getDefinition();
    std::function<void(const Stmt *)> Find = [&](const Stmt *S) {
      if (!S || P)
        return;
      if (const auto *CE = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *C = CE->getDirectCallee())
          if (const Primitive *Q = M.lookup(C->getName()); Q && Q->Rel) {
            P = Q;
            return;
          }
      for (const Stmt *Child : S->children())
        Find(Child);
    };
    if (Def && Def->hasBody())
      Find(Def->getBody());
  }
  if (!P)
    return;
  Event E;
  E.Kind = EventKind::Call;
  E.Prim = P;
  E.Name = ("__free(" + Short + ")").str();
  E.Loc = IR.place(SM.getExpansionLoc(VD->getLocation()));
  auto *Ref = DeclRefExpr::Create(
      Ctx, NestedNameSpecifierLoc(), SourceLocation(), const_cast<VarDecl *>(VD),
      false, VD->getLocation(), VD->getType(), VK_LValue);
  const Expr *Arg = ImplicitCastExpr::Create(Ctx, VD->getType(), CK_LValueToRValue, Ref,
                                             nullptr, VK_PRValue, FPOptionsOverride());
  SmallVector<const Expr *, 1> Args{Arg};
  fillArgs(E, Args);
  addEvent(std::move(E), B);
}


void FunctionWalker::visitCall(const CallExpr *CE, BlockFacts &B) {
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee) {
    // A call through a function-pointer field of a driver's structure.
    if (const auto *ME = dyn_cast<MemberExpr>(CE->getCallee()->IgnoreParenImpCasts()))
      if (const auto *Fd = dyn_cast<FieldDecl>(ME->getMemberDecl()))
        if (!is_contained(F.IndirectCalls, IR.field(Fd)))
          F.IndirectCalls.push_back(IR.field(Fd));
    return;
  }
  StringRef Name = Callee->getName();
  Event E;
  E.Loc = IR.place(SM.getExpansionLoc(CE->getBeginLoc()));
  E.Name = M.normalize(Name).str();

  // cleanup.h guards: guard(spinlock)(&l) declares a variable initialized by
  // class_spinlock_constructor(&l) and released when its scope ends.
  const Spellings &Sp = M.spellings();
  if (!Sp.GuardPrefix.empty() && Name.starts_with(Sp.GuardPrefix) &&
      Name.ends_with(Sp.GuardSuffix) &&
      Name.size() > Sp.GuardPrefix.size() + Sp.GuardSuffix.size()) {
    StringRef Guard =
        Name.drop_front(Sp.GuardPrefix.size()).drop_back(Sp.GuardSuffix.size());
    if (const Primitive *P = M.lookupGuard(Guard)) {
      E.Prim = P;
      E.Name = ("guard(" + Guard + ")").str();
      if (P->Kind == PrimitiveKind::Enter) {
        E.Kind = EventKind::Enter;
        E.Context = P->Context;
        if (CE->getNumArgs() > 0 && P->Context->Keyed)
          E.Key = keyText(CE->getArg(0));
        E.ScopeEnd = IR.place(scopeEndOf(CE));
      }
      addEvent(std::move(E), B);
      return;
    }
  }

  const Primitive *P = M.lookup(Name);
  if (P && !eventKind(P))
    return; // run-time tests only matter as branch conditions
  const FunctionDecl *Def = nullptr;
  if (const FunctionDecl *D = Callee->getDefinition())
    if (D->hasBody() && SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      Def = D;
  if (!P && !Def) {
    // A call the model does not know: a pointer it is given through a
    // non-const parameter may be stored there (escapes).
    if (Name.starts_with("__builtin"))
      return;
    SmallVector<const Expr *, 4> Args;
    bool Any = false;
    // The object whose lock the callee leaves before it allocates
    // (__xa_store(&xa, ...), a file-scope xarray too): its key is needed.
    std::optional<std::pair<unsigned, std::string>> Drops = M.gfpDropsLock(Name);
    for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
      const Expr *A = CE->getArg(I);
      if (Drops && Drops->first == I) {
        Args.push_back(A);
        Any = true;
        continue;
      }
      bool Escapes = false;
      if (I < Callee->getNumParams()) {
        QualType T = Callee->getParamDecl(I)->getType();
        Escapes = T->isPointerType() && !T->getPointeeType().isConstQualified();
      }
      const Expr *Base = Escapes ? peelBase(A) : nullptr;
      // A variable, a field, or straight what a call of this function
      // acquired (iosys_map_set_vaddr(dmap, kmap_local_page(page)) keeps
      // the mapping in *dmap).
      if (Base && (isa<DeclRefExpr>(Base) || isa<MemberExpr>(Base) ||
                   (isa<CallExpr>(Base) && eventOf(Base) >= 0))) {
        Args.push_back(A);
        Any = true;
      } else {
        Args.push_back(nullptr);
      }
    }
    releaseKeys(CE, Callee, E);
    // Another TU of the run may define it (the cross-TU link).
    if (Callee->isExternallyVisible() && Callee->getIdentifier()) {
      E.External = Callee->getName().str();
      // Declared by the driver (its own header), not by the kernel's
      // include/: a function of another file of the driver.
      PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(Callee->getLocation()));
      E.ExternalDriver = P.isValid() && !kernelWidePath(P.getFilename());
      Any = true;
    }
    // A function the model does not know that is given a GFP mask may
    // allocate with it (kfifo_alloc, sg_alloc_table_from_pages, ...): a
    // mask that allows blocking allows it to sleep.
    if (!M.isGfpNoSleep(Name))
      if (std::optional<ArgValue> G = gfpArg(CE, nullptr)) {
        E.Gfp = G;
        Any = true;
        // Named as the driver wrote it: kfifo_alloc(), not the
        // __kfifo_alloc() it expands to.
        SourceLocation X = SM.getExpansionLoc(CE->getBeginLoc());
        if (CE->getBeginLoc().isMacroID() && SM.isInMainFile(X)) {
          Token Tok;
          if (!Lexer::getRawToken(X, Tok, SM, LO) && Tok.is(tok::raw_identifier) &&
              Tok.getRawIdentifier() != Name)
            E.Name = Tok.getRawIdentifier().str();
        }
      }
    // kref_put(&a->kref, a_release), call_rcu(&p->rcu, p_free): the
    // function it is handed may run (ResourceAnalysis::reachable). The
    // values handed to a function of another TU decide its conditional
    // sleeps (`foo_cmd(hw, CMD, true)`).
    if (!E.External.empty() ||
        any_of(CE->arguments(), [&](const Expr *A) { return functionRef(A); })) {
      for (const Expr *A : CE->arguments())
        E.Args.push_back(evalArg(A));
      Any = true;
    }
    if (!Any && E.ReleasesKeys.empty())
      return;
    fillArgs(E, Args);
    CallEvent[CE] = addEvent(std::move(E), B);
    return;
  }
  E.Prim = P;
  E.Callee = P ? nullptr : IR.fn(Def);
  if (P) {
    E.Kind = kindFor(P);
    E.Context = P->Context;
    if (P->Context && P->Context->Keyed && CE->getNumArgs() > 0 &&
        P->Kind != PrimitiveKind::Register)
      E.Key = keyText(CE->getArg(0));
    if (P->Kind == PrimitiveKind::Alloc)
      E.Gfp = gfpArg(CE, P);
    if (P->Kind == PrimitiveKind::Register && unsigned(P->Arg) < CE->getNumArgs())
      E.Callback = IR.fn(functionRef(CE->getArg(P->Arg)));
    SmallVector<const Expr *, 4> Args(CE->arguments());
    if (resourcePrim(P))
      fillArgs(E, Args);
    sleepArg(E, P, Args);
  } else {
    for (const Expr *A : CE->arguments())
      E.Args.push_back(evalArg(A));
    SmallVector<const Expr *, 4> Args(CE->arguments());
    fillArgs(E, Args);
  }
  CallEvent[CE] = addEvent(std::move(E), B);
}


void FunctionWalker::visit(const Stmt *S, BlockFacts &B) {
  if (const auto *X = dyn_cast<Expr>(S)) {
    SourceLocation L = X->getBeginLoc();
    if (L.isMacroID()) {
      // Also expressions that begin inside a macro the driver passed as the
      // argument (request_region(I2C_DIR, ...) with #define I2C_DIR (base + 0x10)).
      SourceLocation FL = SM.getFileLoc(L);
      if (FL.isFileID())
        ArgExprs[FL.getRawEncoding()].push_back(X);
    }
  }
  const Primitive *P = nullptr;
  if (std::optional<MacroLevel> O = owner(S->getBeginLoc(), &P)) {
    unsigned Raw = O->Start.getRawEncoding();
    auto It = GroupIndex.find(Raw);
    if (It == GroupIndex.end()) {
      Event E;
      E.Prim = P;
      E.Name = O->Name.str();
      E.Loc = IR.place(SM.getExpansionLoc(O->Start));
      unsigned Idx = addEvent(std::move(E), B);
      It = GroupIndex.insert({Raw, (unsigned)Groups.size()}).first;
      Groups.push_back(Group{Idx, P, O->Start, O->Invocation, {}});
    }
    if (const auto *CE = dyn_cast<CallExpr>(S))
      Groups[It->second].Calls.push_back(CE);
    return;
  }
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    visitCall(CE, B);
    return;
  }
  visitResource(S, B);
  // Storing a function into a callback field: t->function = my_hrtimer_fn;
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() != BO_Assign)
      return;
    const auto *ME = dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts());
    if (!ME)
      return;
    const auto *FDl = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FDl || !FDl->getParent())
      return;
    const FieldCallback *FC =
        M.lookupField(FDl->getParent()->getName(), FDl->getName());
    const FunctionDecl *Fn = functionRef(BO->getRHS());
    if (Fn)
      F.FieldStores.push_back({IR.field(FDl), IR.fn(Fn)});
    else if (const auto *Src = dyn_cast<MemberExpr>(BO->getRHS()->IgnoreParenImpCasts()))
      if (const auto *SFd = dyn_cast<FieldDecl>(Src->getMemberDecl());
          SFd && SFd->getType()->isFunctionPointerType())
        F.FieldCopies.push_back({IR.field(FDl), IR.field(SFd)});
    if (!Fn && FDl->getType()->isPointerType() &&
        !FDl->getType()->isFunctionPointerType()) {
      // The source's base, casts and offsets peeled (peelBase).
      const Expr *R = peelBase(BO->getRHS());
      if (const auto *Src = R ? dyn_cast<MemberExpr>(R) : nullptr)
        if (const auto *SFd = dyn_cast<FieldDecl>(Src->getMemberDecl());
            SFd && SFd != FDl && SFd->getType()->isPointerType() &&
            !is_contained(F.PointerCopies, std::make_pair(IR.field(FDl), IR.field(SFd))))
          F.PointerCopies.push_back({IR.field(FDl), IR.field(SFd)});
    }
    if (!FC || !Fn)
      return;
    Event E;
    E.Kind = EventKind::Register;
    E.Context = FC->Context;
    E.Callback = IR.fn(Fn);
    E.Name = (FDl->getParent()->getName() + "." + FDl->getName()).str();
    E.Loc = IR.place(SM.getExpansionLoc(BO->getBeginLoc()));
    addEvent(std::move(E), B);
  }
}


void FunctionWalker::finishGroup(Group &G) {
  Event &E = F.Events[G.EventIndex];
  const Primitive *P = G.P;
  E.Kind = kindFor(P);
  E.Context = P->Context;
  if (P->Context && P->Context->Keyed && P->Kind != PrimitiveKind::Register)
    E.Key = groupKey(G);
  if (P->Kind == PrimitiveKind::Alloc) {
    // The allocator call inside the macro carries the mask (a typed allocator
    // such as kmalloc_obj() fills in its GFP_KERNEL default itself).
    for (const CallExpr *CE : G.Calls)
      if (std::optional<ArgValue> V = gfpArg(CE, nullptr)) {
        E.Gfp = V;
        break;
      }
    if (!E.Gfp && !P->DefaultGfp.empty())
      if (std::optional<uint64_t> D = K.get(P->DefaultGfp)) {
        ArgValue V;
        V.Kind = ArgValue::Const;
        V.Bits = *D;
        V.Text = P->DefaultGfp;
        E.Gfp = V;
      }
  }
  if (resourcePrim(P) || P->SleepIfArg >= 0 || P->DropsLockArg >= 0) {
    SmallVector<const Expr *, 4> Args = groupArgs(G);
    if (resourcePrim(P))
      fillArgs(E, Args);
    sleepArg(E, P, Args);
  }
  if (P->Kind == PrimitiveKind::Register)
    for (const CallExpr *CE : G.Calls) {
      for (const Expr *A : CE->arguments())
        if ((E.Callback = IR.fn(functionRef(A))))
          break;
      if (E.Callback)
        break;
    }
}


void FunctionWalker::visitResource(const Stmt *S, BlockFacts &B) {
  Event E;
  auto Update = [&](const Expr *L, SourceLocation Loc) {
    L = L->IgnoreParenCasts();
    if (!isa<DeclRefExpr, MemberExpr, ArraySubscriptExpr>(L))
      return;
    E.Kind = EventKind::Update;
    E.Loc = IR.place(SM.getExpansionLoc(Loc));
    E.Target = argInfo(L);
    if (!E.Target.Key.empty())
      addEvent(std::move(E), B);
  };
  if (const auto *CA = dyn_cast<CompoundAssignOperator>(S)) {
    if (CA->getOpcode() == BO_OrAssign || CA->getOpcode() == BO_AndAssign) {
      Expr::EvalResult R;
      if (!CA->getRHS()->isValueDependent() && CA->getRHS()->EvaluateAsInt(R, Ctx)) {
        E.How = CA->getOpcode() == BO_OrAssign ? "|=" : "&=";
        E.Value.V.Kind = ArgValue::Const;
        E.Value.V.Bits = R.Val.getInt().getZExtValue();
      }
    }
    Update(CA->getLHS(), CA->getBeginLoc());
    return;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(S); U && U->isIncrementDecrementOp()) {
    Update(U->getSubExpr(), U->getBeginLoc());
    return;
  }
  if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
    E.Kind = EventKind::Return;
    E.Loc = IR.place(SM.getExpansionLoc(RS->getBeginLoc()));
    if (RS->getRetValue())
      E.Value = argInfo(RS->getRetValue());
    addEvent(std::move(E), B);
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    if (!DS->isSingleDecl())
      return;
    const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl());
    if (!VD || !VD->hasInit() || !VD->hasLocalStorage())
      return;
    E.Kind = EventKind::Assign;
    E.Loc = IR.place(SM.getExpansionLoc(VD->getLocation()));
    E.Target.Key = E.Target.Text = VD->getName().str();
    E.Target.Local = true;
    E.Target.Iomem = iomem(VD);
    E.Target.DeclLoc = E.Loc;
    E.Value = argInfo(VD->getInit());
    if (E.Value.Key.empty() && E.Value.Event < 0 && E.Value.V.Kind != ArgValue::Const &&
        !isa<ConditionalOperator>(VD->getInit()->IgnoreParenCasts()))
      return; // flags = 0 is kept: it decides flags & F
    PendingAlts.push_back({addEvent(std::move(E), B), VD->getInit()});
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() != BO_Assign)
      return;
    const Expr *L = BO->getLHS()->IgnoreParenCasts();
    if (!isa<DeclRefExpr>(L) && !isa<MemberExpr>(L) && !isa<UnaryOperator>(L) &&
        !isa<ArraySubscriptExpr>(L))
      return;
    E.Kind = EventKind::Assign;
    E.Loc = IR.place(SM.getExpansionLoc(BO->getBeginLoc()));
    E.Target = argInfo(L);
    if (!isa<DeclRefExpr>(L))
      E.Target.Local = false;
    if (E.Target.Key.empty())
      return;
    E.Value = argInfo(BO->getRHS());
    // flags | (unsigned long)vaddr: every pointer operand is stored.
    SmallVector<const Expr *, 4> Ops{BO->getRHS()};
    while (!Ops.empty() && Ops.size() < 8) {
      const Expr *X = Ops.pop_back_val()->IgnoreParenCasts();
      if (const auto *Bin = dyn_cast<BinaryOperator>(X)) {
        if (Bin->getOpcode() == BO_Or || Bin->getOpcode() == BO_Add ||
            Bin->getOpcode() == BO_Xor) {
          Ops.push_back(Bin->getLHS());
          Ops.push_back(Bin->getRHS());
        }
        continue;
      }
      if (!isa<DeclRefExpr, MemberExpr>(X) || !X->getType()->isPointerType())
        continue;
      std::string K = normalizeKey(text(X->getSourceRange()));
      if (!K.empty() && K != E.Value.Key && !is_contained(E.Mixed, K))
        E.Mixed.push_back(std::move(K));
    }
    PendingAlts.push_back({addEvent(std::move(E), B), BO->getRHS()});
    return;
  }
  // Direct accesses through a pointer: *p, p[i], p->field.
  const Expr *Ptr = nullptr;
  if (const auto *U = dyn_cast<UnaryOperator>(S)) {
    if (U->getOpcode() == UO_Deref) {
      Ptr = U->getSubExpr();
      E.How = "dereferenced";
    }
  } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(S)) {
    if (AS->getBase()->IgnoreParenImpCasts()->getType()->isPointerType()) {
      Ptr = AS->getBase();
      E.How = "indexed";
    }
  } else if (const auto *ME = dyn_cast<MemberExpr>(S)) {
    if (ME->isArrow()) {
      Ptr = ME->getBase();
      E.How = "accessed through '->" + ME->getMemberDecl()->getName().str() + "'";
    }
  }
  if (!Ptr || !isAccess(cast<Expr>(S)))
    return;
  ArgInfo A = argInfo(Ptr);
  // Through a field too: one declared without __iomem may hold a mapping
  // (kernel-iomem-deref asks what every store of the TU put there).
  if (!A.Iomem && !(A.Local && !A.Key.empty()) && !(A.Field && !A.Key.empty()))
    return;
  E.Kind = EventKind::Deref;
  E.Loc = IR.place(SM.getExpansionLoc(S->getBeginLoc()));
  E.Target = std::move(A);
  addEvent(std::move(E), B);
}

} // namespace walker
} // namespace kdlint

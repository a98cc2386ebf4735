//===- Facts.cpp - One CFG walk per function ------------------------------===//
//
// Matching is by name, on the callee *and* on the macros the driver wrote:
// every CFG statement is attributed to the outermost expansion of a model
// macro whose body produced it (its "owner"), so spin_lock_irqsave(&l, f) is
// one Enter event however it expands, and kmalloc() in 6.12 (a macro over
// kmalloc_noprof() inside alloc_hooks()) is one allocation. Calls that no
// model macro owns are matched by their callee name.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Facts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Analysis/CFG.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include <functional>

using namespace clang;
using namespace llvm;

namespace kdlint {

static const char ProbePrefix[] = "__kdlint_probe_";

std::string probeSource(const Model &M) {
  std::string S = "\n/* appended by kdlint: evaluates the model's probe macros */\n"
                  "#if __has_include(<linux/version.h>)\n#include <linux/version.h>\n#endif\n";
  for (const std::string &P : M.probes())
    S += "#ifdef " + P + "\nstatic const unsigned long long " + ProbePrefix + P +
         " __attribute__((__unused__)) = (unsigned long long)(" + P + ");\n#endif\n";
  return S;
}

namespace {

/// One level of the macro expansion chain of a location.
struct MacroLevel {
  StringRef Name;
  SourceLocation Start; ///< where this macro was invoked (may be a macro loc)
  bool IsArg;           ///< the token came from an argument, not the body
  bool AtStart;         ///< the token is the first of this expansion
  SourceRange Invocation; ///< `name(args)` as written at Start
};

class FunctionWalker {
public:
  FunctionWalker(ASTContext &Ctx, const Model &M, const TUConstants &K,
                 const IomemIndex *Iomem, const AnnotationIndex *Ann,
                 const FunctionDecl *FD, FunctionFacts &F)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()), M(M),
        K(K), Iomem(Iomem), Ann(Ann), FD(FD), F(F) {}

  bool run();

private:
  struct Group {
    unsigned EventIndex;
    const Primitive *P;
    SourceLocation Start;
    SourceRange Invocation;
    SmallVector<const CallExpr *, 4> Calls;
  };

  void chain(SourceLocation L, SmallVectorImpl<MacroLevel> &Out) const;
  /// The outermost model macro whose body produced \p L, if any.
  std::optional<MacroLevel> owner(SourceLocation L,
                                  const Primitive **P = nullptr) const;
  void visit(const Stmt *S, BlockFacts &B);
  void visitCall(const CallExpr *CE, BlockFacts &B);
  void visitCleanup(const VarDecl *VD, const FunctionDecl *Fn, BlockFacts &B);
  void finishGroup(Group &G);
  void classifyBranch(const CFGBlock &CB, BlockFacts &B);
  ArgValue evalArg(const Expr *E) const;
  std::string text(SourceRange R) const;
  SmallVector<std::pair<unsigned, StringRef>, 4>
  macroArgs(SourceRange Invocation) const;
  std::string macroArgText(SourceRange Invocation, unsigned Index) const;
  static std::string normalizeKey(StringRef K);
  /// A lock key for \p E: the driver's spelling, or, when it was written in
  /// a macro's body, the expression after expansion (the macro's parameter
  /// replaced by what the driver passed).
  std::string keyText(const Expr *E) const;
  /// The key of a keyed model macro's first argument.
  std::string groupKey(const Group &G) const;
  /// Locks an unknown callee releases: a release helper's pointer arguments,
  /// or what its prototype's __releases(x) names, in the caller's terms.
  void releaseKeys(const CallExpr *CE, const FunctionDecl *Callee, Event &E) const;
  std::optional<ArgValue> gfpArg(const CallExpr *CE, const Primitive *P) const;
  const FunctionDecl *functionRef(const Expr *E) const;
  SourceLocation scopeEndOf(const Stmt *S);
  // Resource facts.
  ArgInfo argInfo(const Expr *E);
  const Expr *peelBase(const Expr *E) const;
  void classifyAddr(const Expr *E, ArgInfo &A) const;
  bool physToVirt(const Expr *E) const;
  int eventOf(const Expr *E) const;
  bool iomem(const Decl *D) const { return Iomem && D && Iomem->declares(D, SM); }
  void fillArgs(Event &E, ArrayRef<const Expr *> Args);
  SmallVector<const Expr *, 4> groupArgs(const Group &G) const;
  bool isAccess(const Expr *E);
  const Stmt *parent(const Stmt *S) {
    if (!PM)
      PM = std::make_unique<ParentMap>(FD->getBody());
    return PM->getParent(S);
  }
  void visitResource(const Stmt *S, BlockFacts &B);
  /// Assign events and their values: the arms of a ?: are other blocks,
  /// whose calls get events later in the walk.
  std::vector<std::pair<unsigned, const Expr *>> PendingAlts;
  /// The calls the arms of a ?: value come from (Event::AltEvents).
  void altEvents(const Expr *V, Event &E) const {
    const auto *CO = dyn_cast<ConditionalOperator>(V->IgnoreParenCasts());
    if (!CO)
      return;
    for (const Expr *Arm : {CO->getTrueExpr(), CO->getFalseExpr()})
      if (int Ev = eventOf(peelBase(Arm)); Ev >= 0)
        E.AltEvents.push_back(Ev);
  }
  void classifyResultTest(const CFGBlock &CB, BlockFacts &B);
  /// \p C with `!`, `x == 0`, `x != 0` and likely()/unlikely() peeled off;
  /// \p Yes is flipped once per negation.
  const Expr *peelTest(const Expr *C, bool &Yes) const;
  /// Whether \p X is a null pointer constant (NULL, 0).
  bool isNull(const Expr *X) const {
    return X->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) !=
           Expr::NPCK_NotNull;
  }
  /// The pure condition of \p CB's branch, if it has one (see PureCond).
  void classifyPureCond(const CFGBlock &CB, unsigned Block);
  /// A switch over a pure enum value: the enumerator each edge implies.
  void classifySwitch(const CFGBlock &CB, unsigned Block);
  /// Records the variables \p S writes (x = ..., x++, &x) in block \p Block.
  void recordWrites(const Stmt *S, unsigned Block);
  /// Keeps the pure conditions tested twice or stored to as flags, and
  /// fills BlockFacts::Cond/Kills and Event::Sets.
  void finishPureConds();
  /// The argument of a condition wrapper (WARN_ON(!p)) that is the whole of
  /// \p C, or null.
  const Expr *wrappedCondition(const Expr *C) const;
  static bool resourcePrim(const Primitive *P) {
    return P && (P->Acq || P->Rel || P->Role != AccessRole::None || P->Handle ||
                 P->Creates);
  }
  unsigned addEvent(Event E, BlockFacts &B) {
    F.Events.push_back(std::move(E));
    B.Events.push_back(F.Events.size() - 1);
    return F.Events.size() - 1;
  }
  static bool eventKind(const Primitive *P) {
    return P && P->Kind != PrimitiveKind::AtomicTest &&
           P->Kind != PrimitiveKind::NonAtomicTest &&
           P->Kind != PrimitiveKind::InterruptTest &&
           P->Kind != PrimitiveKind::NonInterruptTest &&
           P->Kind != PrimitiveKind::BlockingTest &&
           P->Kind != PrimitiveKind::ErrTest &&
           P->Kind != PrimitiveKind::ErrOrNullTest;
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  const LangOptions &LO;
  const Model &M;
  const TUConstants &K;
  const IomemIndex *Iomem;
  const AnnotationIndex *Ann;
  const FunctionDecl *FD;
  FunctionFacts &F;
  DenseMap<unsigned, unsigned> GroupIndex; ///< raw Start -> Groups index
  std::vector<Group> Groups;
  DenseMap<const CallExpr *, unsigned> CallEvent;
  /// Expressions that came from a macro argument, by the file offset where
  /// the driver wrote them: the arguments of a model macro group whatever
  /// its body does with them (a call argument, a variable's initializer).
  DenseMap<unsigned, SmallVector<const Expr *, 2>> ArgExprs;
  /// Pure condition candidates per block: key, variables, value on the
  /// true edge, whether the condition is an lvalue (a flag).
  struct CondCandidate {
    PureCond C;
    bool OnTrue = true;
    bool Lvalue = false;
  };
  DenseMap<unsigned, CondCandidate> BlockConds;
  /// Switches over a pure enum value: the value as written, and per edge
  /// the enumerator it implies ("" for none known).
  struct SwitchCandidate {
    std::string Value;
    std::vector<std::string> Implies;
    std::vector<std::vector<std::string>> Excludes; ///< per edge: not these
  };
  DenseMap<unsigned, SwitchCandidate> Switches;
  std::vector<SmallVector<std::string, 2>> BlockWrites;
  /// flag |= C and flag &= C with C a constant, per block: what they change
  /// is decided per condition (a bit the condition does not test, none).
  struct BitWrite {
    std::string W;
    bool Or;
    uint64_t Bits;
  };
  std::vector<SmallVector<BitWrite, 1>> BlockBitWrites;
  /// The outermost expression the driver wrote at \p L (a macro argument),
  /// the one whose spelling is longest; null if none was seen.
  const Expr *writtenAt(SourceLocation L) const {
    auto It = ArgExprs.find(L.getRawEncoding());
    if (It == ArgExprs.end())
      return nullptr;
    const Expr *Best = nullptr;
    size_t BestLen = 0;
    for (const Expr *X : It->second)
      if (size_t Len = text(X->getSourceRange()).size(); !Best || Len > BestLen) {
        Best = X;
        BestLen = Len;
      }
    return Best;
  }
  void sleepArg(Event &E, const Primitive *P, ArrayRef<const Expr *> Args) {
    if (P && P->SleepIfArg >= 0 && unsigned(P->SleepIfArg) < Args.size() &&
        Args[P->SleepIfArg])
      E.SleepArg = evalArg(Args[P->SleepIfArg]);
    // The lock it leaves while it sleeps, keyed like the lock's own events.
    if (P && P->DropsLockArg >= 0 && unsigned(P->DropsLockArg) < Args.size() &&
        Args[P->DropsLockArg])
      E.Key = keyText(Args[P->DropsLockArg]);
  }
  std::unique_ptr<ParentMap> PM;
  /// Locals written in the body (see writtenLocal), computed on first use.
  mutable std::optional<llvm::SmallPtrSet<const Decl *, 16>> WrittenLocals;
  bool writtenLocal(const VarDecl *VD) const;
};

void FunctionWalker::chain(SourceLocation L,
                           SmallVectorImpl<MacroLevel> &Out) const {
  bool AtStart = true;
  while (L.isMacroID()) {
    bool IsArg = false;
    while (SM.isMacroArgExpansion(L)) {
      IsArg = true;
      AtStart = false;
      L = SM.getImmediateExpansionRange(L).getBegin();
    }
    if (!L.isMacroID())
      break;
    if (!IsArg && !SM.isAtStartOfImmediateMacroExpansion(L))
      AtStart = false;
    StringRef Name = Lexer::getImmediateMacroName(L, SM, LO);
    CharSourceRange Inv = SM.getImmediateExpansionRange(L);
    SourceLocation Start = Inv.getBegin();
    Out.push_back(MacroLevel{Name, Start, IsArg, AtStart, Inv.getAsRange()});
    L = Start;
  }
}

std::optional<MacroLevel> FunctionWalker::owner(SourceLocation L,
                                                const Primitive **PP) const {
  SmallVector<MacroLevel, 8> Levels;
  chain(L, Levels);
  // Outermost first; a token that came from a macro's argument does not belong
  // to that macro (the call in WARN_ON(spin_trylock(l)) is the driver's own).
  for (auto It = Levels.rbegin(); It != Levels.rend(); ++It) {
    if (It->IsArg)
      continue;
    const Primitive *P = M.lookup(It->Name);
    if (eventKind(P)) {
      if (PP)
        *PP = P;
      return *It;
    }
  }
  return std::nullopt;
}

std::string FunctionWalker::text(SourceRange R) const {
  // The driver's own spelling: through macro arguments, and through whole
  // macro uses (GFP_DMA inside kmalloc(...)), never into a macro's body.
  auto ToFile = [&](SourceLocation L, bool Begin) -> SourceLocation {
    while (L.isMacroID()) {
      if (SM.isMacroArgExpansion(L)) {
        L = SM.getImmediateSpellingLoc(L);
        continue;
      }
      SourceLocation Exp;
      if (Begin ? !Lexer::isAtStartOfMacroExpansion(L, SM, LO, &Exp)
                : !Lexer::isAtEndOfMacroExpansion(L, SM, LO, &Exp))
        return SourceLocation();
      L = Exp;
    }
    return L;
  };
  SourceLocation B = ToFile(R.getBegin(), true), E = ToFile(R.getEnd(), false);
  if (B.isInvalid() || E.isInvalid())
    return "";
  if (SM.getFileID(B) != SM.getFileID(E) || SM.isBeforeInTranslationUnit(E, B))
    return "";
  return Lexer::getSourceText(CharSourceRange::getTokenRange(B, E), SM, LO).str();
}

SmallVector<std::pair<unsigned, StringRef>, 4>
FunctionWalker::macroArgs(SourceRange Invocation) const {
  // The arguments of `name(a, b(c, d), e)` as written: file offset and text.
  SmallVector<std::pair<unsigned, StringRef>, 4> Out;
  SourceLocation B = SM.getExpansionLoc(Invocation.getBegin());
  SourceLocation E = SM.getExpansionRange(Invocation.getEnd()).getEnd();
  if (SM.getFileID(B) != SM.getFileID(E))
    return Out;
  StringRef Buf = SM.getBufferData(SM.getFileID(B));
  unsigned Off = SM.getFileOffset(B), EndOff = SM.getFileOffset(E);
  size_t Open = Buf.find('(', Off);
  if (Open == StringRef::npos || Open > EndOff)
    return Out; // an object-like macro
  int Depth = 0;
  size_t Start = Open + 1;
  auto Push = [&](size_t End) {
    StringRef A = Buf.slice(Start, End);
    size_t Lead = A.size() - A.ltrim().size();
    Out.push_back({unsigned(Start + Lead), A.trim()});
  };
  for (size_t I = Open + 1; I <= EndOff && I < Buf.size(); ++I) {
    char C = Buf[I];
    if (C == '(' || C == '[' || C == '{') {
      ++Depth;
    } else if (C == ')' || C == ']' || C == '}') {
      if (Depth-- == 0) {
        Push(I);
        break;
      }
    } else if (C == ',' && Depth == 0) {
      Push(I);
      Start = I + 1;
    }
  }
  return Out;
}

std::string FunctionWalker::macroArgText(SourceRange Invocation,
                                         unsigned Index) const {
  SmallVector<std::pair<unsigned, StringRef>, 4> A = macroArgs(Invocation);
  return Index < A.size() ? A[Index].second.str() : "";
}

/// The function \p E names (fn or &fn), if any.
static const FunctionDecl *functionRefOf(const Expr *E) {
  if (!E)
    return nullptr;
  const Expr *S = E->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(S))
    if (U->getOpcode() == UO_AddrOf)
      S = U->getSubExpr()->IgnoreParenCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(S);
  return DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
}

std::string FunctionWalker::normalizeKey(StringRef K) {
  std::string Out;
  for (char C : K)
    if (!isspace(static_cast<unsigned char>(C)) && C != '(' && C != ')')
      Out += C;
  StringRef S(Out);
  while (S.consume_front("&"))
    ;
  return S.str();
}

const FunctionDecl *FunctionWalker::functionRef(const Expr *E) const {
  return functionRefOf(E);
}

static bool isGfpType(QualType T) {
  while (const auto *TT = T->getAs<TypedefType>()) {
    if (TT->getDecl()->getName() == "gfp_t")
      return true;
    T = TT->getDecl()->getUnderlyingType();
  }
  return false;
}

/// The lvalue \p S may write: an assignment's left side, what ++/-- change,
/// and x in &x (whoever gets the address may write x) unless &x is handed to
/// a pointer-to-const parameter of \p Parent, the call around it
/// (atomic_read(&pdev->enable_cnt)). Null if S writes nothing.
static const Expr *writtenLvalue(const Stmt *S, const Stmt *Parent) {
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
    V.Fn = Fn;
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
        VD && VD->hasLocalStorage() && isGfpType(VD->getType()) && VD->getInit() &&
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
      if (isGfpType(Callee->getParamDecl(I)->getType()))
        return evalArg(CE->getArg(I));
  if (P && P->Arg >= 0 && unsigned(P->Arg) < CE->getNumArgs())
    return evalArg(CE->getArg(P->Arg));
  return std::nullopt;
}

SourceLocation FunctionWalker::scopeEndOf(const Stmt *S) {
  for (const Stmt *P = parent(S); P; P = parent(P)) {
    if (isa<CompoundStmt>(P) || isa<ForStmt>(P) || isa<StmtExpr>(P))
      return SM.getExpansionLoc(P->getEndLoc());
  }
  return SM.getExpansionLoc(FD->getBody()->getEndLoc());
}

std::string FunctionWalker::keyText(const Expr *E) const {
  std::string T = text(E->getSourceRange());
  if (T.empty()) {
    llvm::raw_string_ostream OS(T);
    E->printPretty(OS, nullptr, PrintingPolicy(LO));
  }
  return normalizeKey(T);
}

std::string FunctionWalker::groupKey(const Group &G) const {
  if (!G.Start.isMacroID())
    return normalizeKey(macroArgText(G.Invocation, 0));
  // The model macro was invoked inside another macro's body
  // (#define QLOCK(q) spin_lock_irq(&(q)->lock)): its arguments are spelled in
  // that body. Find the expression spelled where the first one starts.
  SourceLocation Name = SM.getSpellingLoc(G.Start);
  FileID FID = SM.getFileID(Name);
  bool Invalid = false;
  StringRef Buf = SM.getBufferData(FID, &Invalid);
  if (Invalid)
    return "";
  size_t Open = Buf.find('(', SM.getFileOffset(Name));
  if (Open == StringRef::npos)
    return "";
  size_t Start = Open + 1;
  while (Start < Buf.size() && isspace(static_cast<unsigned char>(Buf[Start])))
    ++Start;
  const Expr *Best = nullptr;
  std::function<void(const Stmt *)> Visit = [&](const Stmt *S) {
    if (!S || Best)
      return;
    if (const auto *X = dyn_cast<Expr>(S)) {
      SourceLocation L = SM.getSpellingLoc(X->getBeginLoc());
      if (SM.getFileID(L) == FID && SM.getFileOffset(L) == Start) {
        Best = X;
        return;
      }
    }
    for (const Stmt *C : S->children())
      Visit(C);
  };
  for (const CallExpr *CE : G.Calls)
    for (const Expr *A : CE->arguments())
      Visit(A);
  if (!Best)
    return normalizeKey(macroArgText(G.Invocation, 0));
  std::string T;
  llvm::raw_string_ostream OS(T);
  Best->IgnoreParenImpCasts()->printPretty(OS, nullptr, PrintingPolicy(LO));
  return normalizeKey(OS.str());
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
    if (En->Macro != "__releases")
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
  E.Loc = SM.getExpansionLoc(VD->getLocation());
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
        if (!is_contained(F.IndirectCalls, Fd))
          F.IndirectCalls.push_back(Fd);
    return;
  }
  StringRef Name = Callee->getName();
  Event E;
  E.Loc = SM.getExpansionLoc(CE->getBeginLoc());
  E.Name = Model::normalize(Name).str();

  // cleanup.h guards: guard(spinlock)(&l) declares a variable initialized by
  // class_spinlock_constructor(&l) and released when its scope ends.
  if (Name.starts_with("class_") && Name.ends_with("_constructor")) {
    StringRef Guard = Name.drop_front(6).drop_back(12);
    if (const Primitive *P = M.lookupGuard(Guard)) {
      E.Prim = P;
      E.Name = ("guard(" + Guard + ")").str();
      if (P->Kind == PrimitiveKind::Enter) {
        E.Kind = EventKind::Enter;
        E.Context = P->Context;
        if (CE->getNumArgs() > 0 && P->Context->Keyed)
          E.Key = keyText(CE->getArg(0));
        E.ScopeEnd = scopeEndOf(CE);
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
      E.ExternalDriver = P.isValid() && !StringRef(P.getFilename()).contains("/include/");
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
  E.Callee = P ? nullptr : Def;
  if (P) {
    switch (P->Kind) {
    case PrimitiveKind::Enter: E.Kind = EventKind::Enter; break;
    case PrimitiveKind::Exit: E.Kind = EventKind::Exit; break;
    case PrimitiveKind::TryEnter: E.Kind = EventKind::TryEnter; break;
    case PrimitiveKind::Register: E.Kind = EventKind::Register; break;
    default: E.Kind = EventKind::Call; break;
    }
    E.Context = P->Context;
    if (P->Context && P->Context->Keyed && CE->getNumArgs() > 0 &&
        P->Kind != PrimitiveKind::Register)
      E.Key = keyText(CE->getArg(0));
    if (P->Kind == PrimitiveKind::Alloc)
      E.Gfp = gfpArg(CE, P);
    if (P->Kind == PrimitiveKind::Register && unsigned(P->Arg) < CE->getNumArgs())
      E.Callback = functionRef(CE->getArg(P->Arg));
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
      E.Loc = SM.getExpansionLoc(O->Start);
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
      F.FieldStores.push_back({FDl, Fn});
    else if (const auto *Src = dyn_cast<MemberExpr>(BO->getRHS()->IgnoreParenImpCasts()))
      if (const auto *SFd = dyn_cast<FieldDecl>(Src->getMemberDecl());
          SFd && SFd->getType()->isFunctionPointerType())
        F.FieldCopies.push_back({FDl, SFd});
    if (!Fn && FDl->getType()->isPointerType() &&
        !FDl->getType()->isFunctionPointerType()) {
      // The source's base, casts and offsets peeled (peelBase).
      const Expr *R = peelBase(BO->getRHS());
      if (const auto *Src = R ? dyn_cast<MemberExpr>(R) : nullptr)
        if (const auto *SFd = dyn_cast<FieldDecl>(Src->getMemberDecl());
            SFd && SFd != FDl && SFd->getType()->isPointerType() &&
            !is_contained(F.PointerCopies, std::make_pair(FDl, SFd)))
          F.PointerCopies.push_back({FDl, SFd});
    }
    if (!FC || !Fn)
      return;
    Event E;
    E.Kind = EventKind::Register;
    E.Context = FC->Context;
    E.Callback = Fn;
    E.Name = (FDl->getParent()->getName() + "." + FDl->getName()).str();
    E.Loc = SM.getExpansionLoc(BO->getBeginLoc());
    addEvent(std::move(E), B);
  }
}

void FunctionWalker::finishGroup(Group &G) {
  Event &E = F.Events[G.EventIndex];
  const Primitive *P = G.P;
  switch (P->Kind) {
  case PrimitiveKind::Enter: E.Kind = EventKind::Enter; break;
  case PrimitiveKind::Exit: E.Kind = EventKind::Exit; break;
  case PrimitiveKind::TryEnter: E.Kind = EventKind::TryEnter; break;
  case PrimitiveKind::Register: E.Kind = EventKind::Register; break;
  default: E.Kind = EventKind::Call; break;
  }
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
        if ((E.Callback = functionRef(A)))
          break;
      if (E.Callback)
        break;
    }
}

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
        B.Branch.Field = Fd;
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
      A.Record = RT->getDecl();
  if (!A.Text.empty())
    A.Range = SourceRange(SM.getFileLoc(B->getBeginLoc()),
                          SM.getFileLoc(B->getEndLoc()));
  if (const auto *DRE = dyn_cast<DeclRefExpr>(B)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      A.Local = VD->hasLocalStorage();
      A.Global = VD->isFileVarDecl();
      A.Iomem = iomem(VD);
      A.DeclLoc = SM.getExpansionLoc(VD->getLocation());
    }
  } else if (const auto *ME = dyn_cast<MemberExpr>(B)) {
    if (const auto *Fd = dyn_cast<FieldDecl>(ME->getMemberDecl())) {
      A.Field = Fd;
      A.Iomem = iomem(Fd);
      A.DeclLoc = SM.getExpansionLoc(Fd->getLocation());
    }
  } else if (const auto *CE = dyn_cast<CallExpr>(B)) {
    if (const FunctionDecl *Callee = CE->getDirectCallee()) {
      A.Iomem = iomem(Callee);
      A.DeclLoc = SM.getExpansionLoc(Callee->getLocation());
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

void FunctionWalker::visitResource(const Stmt *S, BlockFacts &B) {
  Event E;
  auto Update = [&](const Expr *L, SourceLocation Loc) {
    L = L->IgnoreParenCasts();
    if (!isa<DeclRefExpr, MemberExpr, ArraySubscriptExpr>(L))
      return;
    E.Kind = EventKind::Update;
    E.Loc = SM.getExpansionLoc(Loc);
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
    E.Loc = SM.getExpansionLoc(RS->getBeginLoc());
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
    E.Loc = SM.getExpansionLoc(VD->getLocation());
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
    E.Loc = SM.getExpansionLoc(BO->getBeginLoc());
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
  E.Loc = SM.getExpansionLoc(S->getBeginLoc());
  E.Target = std::move(A);
  addEvent(std::move(E), B);
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
  // used (pci_resource_len()'s ?:, WARN_ON()'s inner if).
  if (const Stmt *T = CB.getTerminatorStmt(); T && T->getBeginLoc().isFileID())
    B.CondLoc = SM.getExpansionLoc(C->getBeginLoc());
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

bool FunctionWalker::run() {
  CFG::BuildOptions Opts;
  Opts.setAllAlwaysAdd();
  // In C this adds only the calls of __attribute__((cleanup)) functions
  // (cleanup.h's __free()) where their variables go out of scope.
  Opts.AddImplicitDtors = true;
  std::unique_ptr<CFG> G =
      CFG::buildCFG(FD, FD->getBody(), &Ctx, Opts);
  if (!G)
    return false;
  F.Blocks.resize(G->getNumBlockIDs());
  F.Entry = G->getEntry().getBlockID();
  F.Exit = G->getExit().getBlockID();
  BlockWrites.resize(F.Blocks.size());
  BlockBitWrites.resize(F.Blocks.size());
  for (const CFGBlock *CB : *G) {
    BlockFacts &B = F.Blocks[CB->getBlockID()];
    for (const CFGElement &El : *CB)
      if (std::optional<CFGStmt> CS = El.getAs<CFGStmt>()) {
        visit(CS->getStmt(), B);
        recordWrites(CS->getStmt(), CB->getBlockID());
      } else if (std::optional<CFGCleanupFunction> CF = El.getAs<CFGCleanupFunction>()) {
        visitCleanup(CF->getVarDecl(), CF->getFunctionDecl(), B);
      }
    if (const Stmt *T = CB->getTerminatorStmt())
      if (T->getBeginLoc().isMacroID())
        visit(T, B); // do { } while (0) of a macro that expands to nothing else
    // A block that ends in a noreturn call (BUG(), panic()) has the exit as
    // its successor in Clang's CFG; no path leaves the function there.
    if (!CB->hasNoReturnElement())
      for (const CFGBlock::AdjacentBlock &S : CB->succs())
        B.Succs.push_back(S.isReachable() ? (int)S->getBlockID() : -1);
  }
  for (Group &Gr : Groups)
    finishGroup(Gr);
  for (const CFGBlock *CB : *G) {
    BlockFacts &B = F.Blocks[CB->getBlockID()];
    if (B.Succs.size() == 2) {
      classifyBranch(*CB, B);
      classifyResultTest(*CB, B);
      classifyPureCond(*CB, CB->getBlockID());
    }
    if (isa_and_nonnull<SwitchStmt>(CB->getTerminatorStmt()))
      classifySwitch(*CB, CB->getBlockID());
    for (int S : B.Succs)
      if (S >= 0)
        F.Blocks[S].Preds.push_back(CB->getBlockID());
  }
  for (auto [I, V] : PendingAlts)
    altEvents(V, F.Events[I]);
  finishPureConds();
  // Reverse post-order over the reachable blocks (iterative DFS).
  std::vector<char> Seen(F.Blocks.size(), 0);
  std::vector<std::pair<int, unsigned>> Stack{{F.Entry, 0}};
  Seen[F.Entry] = 1;
  while (!Stack.empty()) {
    auto &[B, Next] = Stack.back();
    const std::vector<int> &Succs = F.Blocks[B].Succs;
    if (Next < Succs.size()) {
      int S = Succs[Next++];
      if (S >= 0 && !Seen[S]) {
        Seen[S] = 1;
        Stack.push_back({S, 0});
      }
      continue;
    }
    F.Order.push_back(B);
    Stack.pop_back();
  }
  std::reverse(F.Order.begin(), F.Order.end());
  return true;
}

/// The fields a struct or union initializer initializes, with their values
/// (a union's list holds one value, for the member it initializes).
static SmallVector<std::pair<const FieldDecl *, const Expr *>, 16>
fieldInits(const InitListExpr *IL) {
  SmallVector<std::pair<const FieldDecl *, const Expr *>, 16> Out;
  const RecordDecl *RD = IL->getType()->getAsRecordDecl();
  if (!RD)
    return Out;
  if (RD->isUnion()) {
    if (const FieldDecl *Fd = IL->getInitializedFieldInUnion())
      if (IL->getNumInits() == 1)
        Out.push_back({Fd, IL->getInit(0)});
    return Out;
  }
  unsigned I = 0;
  for (const FieldDecl *Fd : RD->fields()) {
    if (I >= IL->getNumInits())
      break;
    Out.push_back({Fd, IL->getInit(I++)});
  }
  return Out;
}

void collectGlobalRegistrations(const Expr *Init, const Model &M,
                                const SourceManager &SM, TUFacts &T) {
  const auto *IL = dyn_cast_or_null<InitListExpr>(Init ? Init->IgnoreParenImpCasts() : nullptr);
  if (!IL)
    return;
  if (const RecordDecl *RD = IL->getType()->getAsRecordDecl()) {
    if (const DriverOps *Ops = M.driverOps(RD->getName())) {
      OpsRegistration R;
      R.Record = RD->getName().str();
      R.Loc = SM.getExpansionLoc(IL->getBeginLoc());
      // The fields and their initializers, an anonymous union's member
      // included (6.12's platform_driver: union { remove; remove_new; }).
      SmallVector<std::pair<const FieldDecl *, const Expr *>, 16> Inits;
      std::function<void(const InitListExpr *)> Flatten = [&](const InitListExpr *L) {
        for (auto [Fd, E] : fieldInits(L)) {
          const auto *Sub = dyn_cast<InitListExpr>(E->IgnoreParenImpCasts());
          if (Fd->isAnonymousStructOrUnion() && Sub)
            Flatten(Sub);
          else
            Inits.push_back({Fd, E});
        }
      };
      Flatten(IL);
      for (auto [Fd, Init] : Inits) {
        const Expr *E = Init->IgnoreParenCasts();
        const FunctionDecl *Fn = functionRefOf(E);
        if (!Fn)
          continue;
        if (is_contained(Ops->Probe, Fd->getName()))
          R.Probe = Fn;
        if (is_contained(Ops->Remove, Fd->getName())) {
          R.Remove = Fn;
          R.Loc = SM.getExpansionLoc(E->getBeginLoc());
          R.RemoveField = Fd->getName().str();
        }
      }
      if (R.Probe)
        T.Ops.push_back(R);
    }
    for (auto [Fd, E] : fieldInits(IL)) {
      if (const FunctionDecl *Fn = functionRefOf(E))
        T.FieldTargets[Fd].push_back(Fn);
      if (M.isTeardownField(RD->getName(), Fd->getName()))
        if (const FunctionDecl *Fn = functionRefOf(E))
          T.Teardowns.push_back(Fn);
      if (const FieldCallback *FC = M.lookupField(RD->getName(), Fd->getName()))
        if (const FunctionDecl *Fn = functionRefOf(E);
            Fn && none_of(fieldInits(IL), [&](auto FI) {
              return is_contained(FC->UnlessSet, FI.first->getName()) &&
                     !isa<ImplicitValueInitExpr>(FI.second) &&
                     !FI.second->IgnoreParenCasts()->isNullPointerConstant(
                         Fn->getASTContext(), Expr::NPC_ValueDependentIsNull);
            }))
          T.Registrations.push_back(GlobalRegistration{
              Fn, FC->Context, SM.getExpansionLoc(E->getBeginLoc()),
              (RD->getName() + "." + Fd->getName()).str()});
      collectGlobalRegistrations(E, M, SM, T);
    }
    return;
  }
  for (const Expr *E : IL->inits())
    collectGlobalRegistrations(E, M, SM, T);
}

} // namespace

bool IomemIndex::declares(const Decl *D, const SourceManager &SM) const {
  if (Locs.empty())
    return false;
  auto It = Cache.find(D);
  if (It != Cache.end())
    return It->second;
  auto Less = [](SourceLocation A, SourceLocation B) {
    return A.getRawEncoding() < B.getRawEncoding();
  };
  if (!Sorted) {
    llvm::sort(Locs, Less);
    Sorted = true;
  }
  // File locations of one file are contiguous and ordered in the encoding.
  // `u32 __iomem *regs` is a pointer to I/O memory; `void __iomem **table`
  // (one more `*` after the qualifier) is a pointer to such pointers.
  bool R = false;
  // `void __iomem *regs[4]` and the parameter `void __iomem *reg[]` hold
  // pointers to I/O memory; they are not I/O memory themselves.
  if (const auto *VD = dyn_cast<ValueDecl>(D)) {
    QualType T = VD->getType();
    if (const auto *PV = dyn_cast<ParmVarDecl>(VD))
      T = PV->getOriginalType();
    if (T->isArrayType() ||
        (T->isPointerType() && T->getPointeeType()->isPointerType())) {
      Cache[D] = false;
      return false;
    }
  }
  SourceLocation Begin = SM.getExpansionLoc(D->getBeginLoc());
  SourceLocation Name = SM.getExpansionLoc(D->getLocation());
  if (Begin.isFileID() && Name.isFileID() &&
      SM.getFileID(Begin) == SM.getFileID(Name)) {
    auto L = llvm::lower_bound(Locs, Name, Less);
    if (L != Locs.begin()) {
      SourceLocation Q = *std::prev(L);
      if (Q.getRawEncoding() >= Begin.getRawEncoding()) {
        StringRef Buf = SM.getBufferData(SM.getFileID(Name));
        StringRef Between = Buf.slice(SM.getFileOffset(Q), SM.getFileOffset(Name));
        R = Between.count('*') == 1;
      }
    }
  }
  Cache[D] = R;
  return R;
}

std::vector<const AnnotationIndex::Entry *>
AnnotationIndex::of(const FunctionDecl *D, const SourceManager &SM) const {
  std::vector<const Entry *> Out;
  if (Entries.empty())
    return Out;
  if (!Sorted) {
    llvm::sort(Entries, [](const Entry &A, const Entry &B) {
      return A.Loc.getRawEncoding() < B.Loc.getRawEncoding();
    });
    Sorted = true;
  }
  for (const FunctionDecl *R : D->redecls()) {
    SourceLocation B = SM.getExpansionLoc(R->getBeginLoc());
    SourceLocation E = R->hasBody() && R->getBody()
                           ? SM.getExpansionLoc(R->getBody()->getBeginLoc())
                           : SM.getExpansionLoc(R->getEndLoc());
    if (B.isInvalid() || E.isInvalid() || SM.getFileID(B) != SM.getFileID(E))
      continue;
    // Annotations follow the declarator: `void f(struct x *p) __releases(p);`
    bool Invalid = false;
    StringRef Buf = SM.getBufferData(SM.getFileID(E), &Invalid);
    if (Invalid)
      continue;
    size_t Stop = Buf.find_first_of(";{", SM.getFileOffset(E));
    if (Stop != StringRef::npos)
      E = E.getLocWithOffset(Stop - SM.getFileOffset(E));
    auto It = llvm::lower_bound(Entries, B, [](const Entry &X, SourceLocation L) {
      return X.Loc.getRawEncoding() < L.getRawEncoding();
    });
    for (; It != Entries.end() && It->Loc.getRawEncoding() <= E.getRawEncoding(); ++It)
      Out.push_back(&*It);
  }
  return Out;
}

TUFacts extractFacts(ASTContext &Ctx, const Model &M, const IomemIndex *Iomem,
                     const AnnotationIndex *Annotations) {
  TUFacts T;
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<const FunctionDecl *> Fns;
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    if (const auto *VD = dyn_cast<VarDecl>(D)) {
      StringRef N = VD->getName();
      if (N.consume_front(ProbePrefix)) {
        if (const APValue *V = VD->evaluateValue(); V && V->isInt())
          T.Constants.Values[N] = V->getInt().getZExtValue();
        continue;
      }
      if (VD->hasInit() && SM.isInMainFile(SM.getExpansionLoc(VD->getLocation())))
        collectGlobalRegistrations(VD->getInit(), M, SM, T);
      continue;
    }
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() || FD->isDependentContext())
      continue;
    if (!SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())))
      continue;
    Fns.push_back(FD);
  }
  for (const FunctionDecl *FD : Fns) {
    auto F = std::make_unique<FunctionFacts>();
    F->FD = FD;
    F->Name = FD->getName().str();
    F->Loc = SM.getExpansionLoc(FD->getLocation());
    FunctionWalker W(Ctx, M, T.Constants, Iomem, Annotations, FD, *F);
    if (!W.run())
      continue;
    T.ByDecl[FD] = F.get();
    for (auto [Fd, Fn] : F->FieldStores)
      if (!is_contained(T.FieldTargets[Fd], Fn))
        T.FieldTargets[Fd].push_back(Fn);
    T.Functions.push_back(std::move(F));
  }
  // A field copied from another may hold what that one holds (map->exit =
  // info->exit, info a static table's entry), to a fixpoint.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto &F : T.Functions)
      for (auto [Dst, Src] : F->FieldCopies) {
        auto It = T.FieldTargets.find(Src);
        if (It == T.FieldTargets.end())
          continue;
        SmallVector<const FunctionDecl *, 2> Add(It->second.begin(), It->second.end());
        auto &D = T.FieldTargets[Dst];
        for (const FunctionDecl *Fn : Add)
          if (!is_contained(D, Fn)) {
            D.push_back(Fn);
            Changed = true;
          }
      }
  }
  return T;
}

} // namespace kdlint

//===- FunctionWalker.h - The CFG walk, shared by its parts -----*- C++ -*-===//
//
// Private to lib/: the walker that turns one function's CFG into facts, split
// by concern over WalkerMacros.cpp (which model macro owns a token, macro
// arguments, lock keys), WalkerValues.cpp (argument values, bases, addresses,
// what an expression names), WalkerConditions.cpp (what a branch tests, pure
// conditions, switches), WalkerEvents.cpp (calls, stores, accesses, cleanups
// as events) and Facts.cpp (the walk itself, and the TU around it).
//
//===----------------------------------------------------------------------===//

#ifndef KDLINT_LIB_FUNCTIONWALKER_H
#define KDLINT_LIB_FUNCTIONWALKER_H

#include "kdlint/Frontend.h"
#include "clang/AST/ParentMap.h"
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
#include <cstring>
#include <functional>
#include <memory>
#include <optional>

namespace kdlint {
namespace walker {
// Only the walker's own files include this header.
using namespace clang;
using namespace llvm;

/// Interns the declarations the facts name into the TU's tables (IR.h): one
/// entry per canonical declaration, with what the analyses ask of it.
class IRDecls {
public:
  IRDecls(const SourceManager &SM, TUFacts &T, SourceFiles &Files)
      : SM(SM), T(T), Files(Files) {}
  const FunctionRef *fn(const FunctionDecl *D);
  const FieldRef *field(const FieldDecl *D);
  const RecordRef *record(const RecordDecl *D);
  SourceLoc place(SourceLocation L) { return Files.place(L); }
  LocRange range(SourceLocation B, SourceLocation E) { return Files.range(B, E); }
  /// Whether the source at \p L starts with \p Name.
  bool spelled(SourceLoc L, StringRef Name) const {
    SourceLocation SL = Files.location(L);
    bool Invalid = false;
    const char *P = SL.isValid() ? SM.getCharacterData(SL, &Invalid) : nullptr;
    return P && !Invalid && !Name.empty() &&
           std::strncmp(P, Name.data(), Name.size()) == 0;
  }

private:
  /// The entry of \p D in \p Table, made by \p Fill the first time.
  template <class R, class FillFn>
  const R *intern(const Decl *D, std::vector<std::unique_ptr<R>> &Table, FillFn Fill) {
    if (const void *P = Seen.lookup(D))
      return static_cast<const R *>(P);
    auto E = std::make_unique<R>();
    Fill(*E); // may intern others (a field's record)
    Seen[D] = E.get();
    Table.push_back(std::move(E));
    return Table.back().get();
  }
  const SourceManager &SM;
  TUFacts &T;
  SourceFiles &Files;
  DenseMap<const Decl *, const void *> Seen;
};

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
                 IRDecls &IR, const FunctionDecl *FD, FunctionFacts &F)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()), M(M),
        K(K), Iomem(Iomem), Ann(Ann), IR(IR), FD(FD), F(F) {}

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
    E.NameSpelled = IR.spelled(E.Loc, E.Name);
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
  IRDecls &IR;
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

/// The function an expression names (a callback given by name or address).
const FunctionDecl *functionRefOf(const Expr *E);
/// The lvalue \p S writes when it is a store, an increment or an address
/// taken (\p Parent is its parent), or null.
const Expr *writtenLvalue(const Stmt *S, const Stmt *Parent);

} // namespace walker
} // namespace kdlint

#endif

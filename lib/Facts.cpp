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

#include "kdlint/Frontend.h"
#include "FunctionWalker.h"
#include "clang/Index/USRGeneration.h"
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
  std::string S = "\n/* appended by kdlint: evaluates the model's probe macros */\n";
  if (const std::string &H = M.spellings().VersionHeader; !H.empty())
    S += "#if __has_include(<" + H + ">)\n#include <" + H + ">\n#endif\n";
  for (const std::string &P : M.probes())
    S += "#ifdef " + P + "\nstatic const unsigned long long " + ProbePrefix + P +
         " __attribute__((__unused__)) = (unsigned long long)(" + P + ");\n#endif\n";
  return S;
}

std::string absolutePath(const SourceManager &SM, StringRef Name) {
  SmallString<256> Path(Name);
  SM.getFileManager().makeAbsolutePath(Path);
  sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return std::string(Path);
}

SourcePlace placeOf(const SourceManager &SM, SourceLocation L) {
  SourcePlace P;
  L = SM.getFileLoc(L);
  if (L.isInvalid())
    return P;
  if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(SM.getFileID(L)))
    P.File = absolutePath(SM, FE->getName());
  P.Line = SM.getSpellingLineNumber(L);
  P.Column = SM.getSpellingColumnNumber(L);
  return P;
}

unsigned SourceFiles::indexOf(FileID FID) {
  auto [It, New] = Index.try_emplace(FID, IDs.size());
  if (New) {
    IDs.push_back(FID);
    OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID);
    T->Files.push_back(FE ? absolutePath(SM, FE->getName()) : std::string());
  }
  return It->second;
}

SourceLoc SourceFiles::place(SourceLocation L) {
  if (L.isInvalid())
    return {};
  L = SM.getFileLoc(L);
  std::pair<FileID, unsigned> D = SM.getDecomposedLoc(L);
  if (D.first.isInvalid())
    return {};
  SourceLoc Out;
  Out.File = indexOf(D.first);
  Out.Offset = D.second;
  Out.Line = SM.getLineNumber(D.first, D.second);
  Out.Column = SM.getColumnNumber(D.first, D.second);
  return Out;
}

SourceLoc SourceFiles::place(FileID FID, unsigned Line, unsigned Column) {
  return place(SM.translateLineCol(FID, Line, Column));
}

LocRange SourceFiles::range(SourceLocation B, SourceLocation E) {
  LocRange R;
  if (B.isInvalid() || E.isInvalid() || !B.isFileID() || !E.isFileID() ||
      SM.getFileID(B) != SM.getFileID(E))
    return R;
  unsigned OB = SM.getFileOffset(B), OE = SM.getFileOffset(E);
  if (OE < OB)
    return R;
  R.Begin = place(B);
  R.Length = OE - OB;
  return R;
}

SourceLocation SourceFiles::location(SourceLoc L) const {
  if (!L.isValid() || L.File >= IDs.size() || IDs[L.File].isInvalid())
    return SourceLocation();
  return SM.getComposedLoc(IDs[L.File], L.Offset);
}

namespace walker {

const FunctionRef *IRDecls::fn(const FunctionDecl *D) {
  if (!D)
    return nullptr;
  D = D->getCanonicalDecl();
  return intern(D, T.FunctionTable, [&](FunctionRef &R) {
    R.Name = D->getName().str();
    SmallString<64> Usr;
    if (!index::generateUSRForDecl(D, Usr))
      R.Usr = Usr.str().str();
    const FunctionDecl *Def = D->getDefinition();
    R.Defined = Def != nullptr;
    const FunctionDecl *Best = Def ? Def : D;
    R.ExternallyVisible = Best->isExternallyVisible();
    for (const ParmVarDecl *P : Best->parameters())
      R.Params.push_back(P->getName().str());
    R.ReturnsPointer = Best->getReturnType()->isPointerType();
    R.ReturnsInteger = Best->getReturnType()->isIntegerType();
    if (const auto *Sec = Best->getAttr<SectionAttr>())
      R.Section = Sec->getName().str();
  });
}

const RecordRef *IRDecls::record(const RecordDecl *D) {
  if (!D)
    return nullptr;
  D = cast<RecordDecl>(D->getCanonicalDecl());
  return intern(D, T.RecordTable, [&](RecordRef &R) { R.Name = D->getName().str(); });
}

/// The field as the link names it (FieldRef::Key): the record (a typedef's
/// name for an anonymous one; the named record around an anonymous member),
/// the file that defines it, and the field ("foo_priv@/abs/foo.h:table").
static std::string fieldKey(const FieldDecl *Fd, const SourceManager &SM) {
  const RecordDecl *RD = Fd->getParent();
  while (RD && RD->getName().empty() && !RD->getTypedefNameForAnonDecl() &&
         isa<RecordDecl>(RD->getParent()))
    RD = cast<RecordDecl>(RD->getParent());
  if (!RD)
    return "";
  StringRef Name = RD->getName();
  if (Name.empty())
    if (const TypedefNameDecl *T = RD->getTypedefNameForAnonDecl())
      Name = T->getName();
  if (Name.empty() || Fd->getName().empty())
    return "";
  SourcePlace P = placeOf(SM, RD->getLocation());
  if (P.File.empty())
    return "";
  return (Name + "@" + P.File + ":" + Fd->getName()).str();
}

const FieldRef *IRDecls::field(const FieldDecl *D) {
  if (!D)
    return nullptr;
  D = D->getCanonicalDecl();
  return intern(D, T.FieldTable, [&](FieldRef &R) {
    R.Name = D->getName().str();
    R.Parent = record(D->getParent());
    R.Key = fieldKey(D, SM);
  });
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

} // namespace walker

using walker::FunctionWalker;
using walker::functionRefOf;

namespace {

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
                                const SourceManager &SM, TUFacts &T,
                                walker::IRDecls &IR) {
  const auto *IL = dyn_cast_or_null<InitListExpr>(Init ? Init->IgnoreParenImpCasts() : nullptr);
  if (!IL)
    return;
  if (const RecordDecl *RD = IL->getType()->getAsRecordDecl()) {
    if (const DriverOps *Ops = M.driverOps(RD->getName())) {
      OpsRegistration R;
      R.Record = RD->getName().str();
      R.Loc = IR.place(SM.getExpansionLoc(IL->getBeginLoc()));
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
          R.Probe = IR.fn(Fn);
        if (is_contained(Ops->Remove, Fd->getName())) {
          R.Remove = IR.fn(Fn);
          R.Loc = IR.place(SM.getExpansionLoc(E->getBeginLoc()));
          R.RemoveField = Fd->getName().str();
        }
      }
      if (R.Probe)
        T.Ops.push_back(R);
    }
    for (auto [Fd, E] : fieldInits(IL)) {
      if (const FunctionDecl *Fn = functionRefOf(E))
        T.FieldTargets[IR.field(Fd)].push_back(IR.fn(Fn));
      if (M.isTeardownField(RD->getName(), Fd->getName()))
        if (const FunctionDecl *Fn = functionRefOf(E))
          T.Teardowns.push_back(IR.fn(Fn));
      if (const FieldCallback *FC = M.lookupField(RD->getName(), Fd->getName()))
        if (const FunctionDecl *Fn = functionRefOf(E);
            Fn && none_of(fieldInits(IL), [&](auto FI) {
              return is_contained(FC->UnlessSet, FI.first->getName()) &&
                     !isa<ImplicitValueInitExpr>(FI.second) &&
                     !FI.second->IgnoreParenCasts()->isNullPointerConstant(
                         Fn->getASTContext(), Expr::NPC_ValueDependentIsNull);
            }))
          T.Registrations.push_back(GlobalRegistration{
              IR.fn(Fn), FC->Context, IR.place(SM.getExpansionLoc(E->getBeginLoc())),
              (RD->getName() + "." + Fd->getName()).str()});
      collectGlobalRegistrations(E, M, SM, T, IR);
    }
    return;
  }
  for (const Expr *E : IL->inits())
    collectGlobalRegistrations(E, M, SM, T, IR);
}

} // namespace


namespace {
/// Lexes one file raw (no macro expansion) from \p B until a token starts
/// past \p E or \p F returns false: the qualifiers and annotations clang
/// builds expand to nothing, as the declaration's text spells them (also for
/// one read from a precompiled header prefix, never preprocessed in the TU).
void lexRaw(const SourceManager &SM, SourceLocation B, SourceLocation E,
            function_ref<bool(const Token &)> F) {
  FileID FID = SM.getFileID(B);
  bool Invalid = false;
  StringRef Buf = SM.getBufferData(FID, &Invalid);
  if (Invalid || FID != SM.getFileID(E))
    return;
  unsigned End = SM.getFileOffset(E);
  LangOptions LO;
  Lexer L(SM.getLocForStartOfFile(FID), LO, Buf.begin(),
          Buf.begin() + SM.getFileOffset(B), Buf.end());
  Token T;
  for (bool More = true; More;) {
    More = !L.LexFromRawLexer(T);
    if (T.is(tok::eof) || SM.getFileOffset(T.getLocation()) > End || !F(T))
      return;
  }
}
} // namespace

bool IomemIndex::declares(const Decl *D, const SourceManager &SM) const {
  auto It = Cache.find(D);
  if (It != Cache.end())
    return It->second;
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
    // The last qualifier written between the declaration's start and its name.
    SourceLocation Q;
    unsigned N = SM.getFileOffset(Name);
    lexRaw(SM, Begin, Name, [&](const Token &T) {
      if (SM.getFileOffset(T.getLocation()) >= N)
        return false;
      if (T.is(tok::raw_identifier) && T.getRawIdentifier() == Spelling)
        Q = T.getLocation();
      return true;
    });
    if (Q.isValid()) {
      StringRef Buf = SM.getBufferData(SM.getFileID(Name));
      StringRef Between = Buf.slice(SM.getFileOffset(Q), N);
      R = Between.count('*') == 1;
    }
  }
  Cache[D] = R;
  return R;
}

std::vector<const AnnotationIndex::Entry *>
AnnotationIndex::of(const FunctionDecl *D, const SourceManager &SM) const {
  std::vector<const Entry *> Out;
  for (const FunctionDecl *R : D->redecls()) {
    auto [Found, New] = Of.try_emplace(R);
    if (New)
      Found->second = inDeclaration(R, SM);
    Out.insert(Out.end(), Found->second.begin(), Found->second.end());
  }
  return Out;
}

std::vector<const AnnotationIndex::Entry *>
AnnotationIndex::inDeclaration(const FunctionDecl *R, const SourceManager &SM) const {
  std::vector<const Entry *> Out;
  SourceLocation B = SM.getExpansionLoc(R->getBeginLoc());
  SourceLocation E = R->hasBody() && R->getBody()
                         ? SM.getExpansionLoc(R->getBody()->getBeginLoc())
                         : SM.getExpansionLoc(R->getEndLoc());
  if (B.isInvalid() || E.isInvalid() || SM.getFileID(B) != SM.getFileID(E))
    return Out;
  // Annotations follow the declarator: `void f(struct x *p) __releases(p);`
  bool Invalid = false;
  StringRef Buf = SM.getBufferData(SM.getFileID(E), &Invalid);
  if (Invalid)
    return Out;
  size_t Stop = Buf.find_first_of(";{", SM.getFileOffset(E));
  if (Stop != StringRef::npos)
    E = E.getLocWithOffset(Stop - SM.getFileOffset(E));
  // `__releases(x)`: the name, then its parenthesized argument as written.
  const std::string *Open = nullptr;
  unsigned Depth = 0, ArgBegin = 0;
  lexRaw(SM, B, E, [&](const Token &T) {
    unsigned Off = SM.getFileOffset(T.getLocation());
    if (Open && !Depth && T.isNot(tok::l_paren))
      Open = nullptr;
    if (!Open) {
      if (T.is(tok::raw_identifier))
        for (const std::string &N : Names)
          if (T.getRawIdentifier() == N) {
            Open = &N;
            Found.push_back({T.getLocation(), N, ""});
          }
      return true;
    }
    if (T.is(tok::l_paren) && !Depth++)
      ArgBegin = Off + 1;
    else if (T.is(tok::r_paren) && Depth && !--Depth) {
      Found.back().Arg = Buf.slice(ArgBegin, Off).trim().str();
      Out.push_back(&Found.back());
      Open = nullptr;
    }
    return true;
  });
  return Out;
}

TUFacts extractFacts(ASTContext &Ctx, const Model &M, const IomemIndex *Iomem,
                     const AnnotationIndex *Annotations) {
  TUFacts T;
  SourceFiles Files(Ctx.getSourceManager(), T);
  extractFacts(Ctx, M, T, Files, Iomem, Annotations);
  return T;
}

void extractFacts(ASTContext &Ctx, const Model &M, TUFacts &T, SourceFiles &Files,
                  const IomemIndex *Iomem, const AnnotationIndex *Annotations) {
  const SourceManager &SM = Ctx.getSourceManager();
  // The main file is the first: places order by file first.
  Files.place(SM.getLocForStartOfFile(SM.getMainFileID()));
  walker::IRDecls IR(SM, T, Files);
  std::vector<const FunctionDecl *> Fns;
  // The TU's own declarations: those of a precompiled header prefix are never
  // the main file's, and loading them all would undo the prefix's saving.
  for (const Decl *D : Ctx.getTranslationUnitDecl()->noload_decls()) {
    if (const auto *VD = dyn_cast<VarDecl>(D)) {
      StringRef N = VD->getName();
      if (N.consume_front(ProbePrefix)) {
        if (const APValue *V = VD->evaluateValue(); V && V->isInt())
          T.Constants.Values[N] = V->getInt().getZExtValue();
        continue;
      }
      if (VD->hasInit() && SM.isInMainFile(SM.getExpansionLoc(VD->getLocation())))
        collectGlobalRegistrations(VD->getInit(), M, SM, T, IR);
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
    F->FD = IR.fn(FD);
    F->Name = FD->getName().str();
    F->Loc = Files.place(SM.getExpansionLoc(FD->getLocation()));
    CharSourceRange Range = SM.getExpansionRange(FD->getSourceRange());
    F->Begin = Files.place(Range.getBegin());
    F->End = Files.place(Range.getEnd());
    FunctionWalker W(Ctx, M, T.Constants, Iomem, Annotations, IR, FD, *F);
    if (!W.run())
      continue;
    T.ByDecl[F->FD] = F.get();
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
        SmallVector<const FunctionRef *, 2> Add(It->second.begin(), It->second.end());
        auto &D = T.FieldTargets[Dst];
        for (const FunctionRef *Fn : Add)
          if (!is_contained(D, Fn)) {
            D.push_back(Fn);
            Changed = true;
          }
      }
  }
}

} // namespace kdlint

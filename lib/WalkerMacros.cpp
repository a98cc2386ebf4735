//===- WalkerMacros.cpp - Macro ownership, macro arguments, lock keys -------===//
//
// Part of the CFG walk (see FunctionWalker.h).
//
//===----------------------------------------------------------------------===//

#include "FunctionWalker.h"

namespace kdlint {
namespace walker {

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

} // namespace walker
} // namespace kdlint

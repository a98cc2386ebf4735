//===- SharedPrefix.cpp - Leading includes parsed once per group ----------===//

#include "SharedPrefix.h"
#include "kdlint/Driver.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Path.h"
#include <map>

using namespace clang;
using namespace clang::tooling;
using namespace llvm;

namespace kdlint {

std::vector<LeadingDirective> leadingDirectives(StringRef Source) {
  std::vector<LeadingDirective> Out;
  LangOptions LO;
  Lexer L(SourceLocation(), LO, Source.begin(), Source.begin(), Source.end());
  // Where the token just lexed starts and ends.
  auto Start = [&](const Token &T) {
    return Source.begin() + L.getCurrentBufferOffset() - T.getLength();
  };
  Token T;
  L.LexFromRawLexer(T);
  while (T.is(tok::hash) && T.isAtStartOfLine()) {
    const char *Begin = Start(T);
    Token Name;
    L.LexFromRawLexer(Name);
    if (Name.isNot(tok::raw_identifier))
      break;
    StringRef N = Name.getRawIdentifier();
    if (N != "include" && N != "define" && N != "undef")
      break;
    LeadingDirective D;
    D.Include = N == "include";
    D.Key = ("#" + N).str();
    const char *End = Start(Name) + Name.getLength();
    if (D.Include) {
      // `<linux/x.h>` is one header name, not tokens; a macro is not one.
      Token F;
      L.LexIncludeFilename(F);
      if (F.isNot(tok::header_name) && F.isNot(tok::string_literal))
        break;
      D.Quoted = *Start(F) == '"';
      End = Start(F) + F.getLength();
      D.Key += " " + std::string(Start(F), End);
      L.LexFromRawLexer(T);
    } else {
      // Members compare the tokens (a literal is one, spaces and all), and
      // whether a `(` follows the macro's name at once: `F(x)` and `F (x)`
      // are different macros.
      unsigned K = 0;
      for (L.LexFromRawLexer(T); T.isNot(tok::eof) && !T.isAtStartOfLine();
           L.LexFromRawLexer(T), ++K) {
        End = Start(T) + T.getLength();
        bool Glued = K == 1 && T.is(tok::l_paren) && !T.hasLeadingSpace();
        D.Key += (Glued ? "" : " ") + std::string(Start(T), End);
      }
    }
    D.Text = std::string(Begin, End);
    Out.push_back(std::move(D));
    if (T.is(tok::eof))
      break;
  }
  // Trailing definitions add nothing worth precompiling.
  while (!Out.empty() && !Out.back().Include)
    Out.pop_back();
  return Out;
}

std::string sourcePath(const CompileCommand &C) {
  SmallString<256> Abs(C.Filename);
  if (sys::path::is_relative(Abs))
    Abs = C.Directory + "/" + C.Filename;
  sys::path::remove_dots(Abs, true);
  return std::string(Abs);
}

namespace {

/// Whether \p Def (`NAME=value`) defines one of the file's own names.
bool ownDefinition(StringRef Def) {
  StringRef Name = Def.split('=').first;
  return is_contained(ownMacroNames(), Name);
}

/// A member's flags without what names the file itself: its name, output,
/// dependency file and Kbuild's names for it (each member defines its own).
std::vector<std::string> sharedFlags(const CompileCommand &C) {
  std::vector<std::string> Out;
  std::string Abs = sourcePath(C);
  const auto &A = C.CommandLine;
  for (size_t I = 0; I < A.size(); ++I) {
    StringRef W = A[I];
    if (I && !W.starts_with("-") &&
        sourcePath(CompileCommand(C.Directory, W, {}, "")) == Abs)
      continue;
    if (W == "-o" || W == "-D") {
      if (W == "-D" && I + 1 < A.size() && !ownDefinition(A[I + 1])) {
        Out.push_back(A[I]);
        Out.push_back(A[I + 1]);
      }
      ++I;
      continue;
    }
    if (W == "-c" || W.starts_with("-o") || W.starts_with("-Wp,-M") ||
        (W.starts_with("-D") && ownDefinition(W.drop_front(2))))
      continue;
    Out.push_back(A[I]);
  }
  return Out;
}

/// The first \p D of \p Lead as a prefix: up to its last include, and none
/// (0) without a quoted include among them.
size_t usableDepth(ArrayRef<LeadingDirective> Lead, size_t D) {
  while (D && !Lead[D - 1].Include)
    --D; // definitions after the last include are the member's own
  // A prefix of kernel headers alone saved its members about what it cost
  // to precompile (they parse most of their headers themselves); a driver's
  // own header (e1000.h) brings in most of what its files read.
  if (none_of(Lead.take_front(D), [](const LeadingDirective &L) { return L.Quoted; }))
    return 0;
  return D;
}

} // namespace

ArrayRef<StringRef> ownMacroNames() {
  static const StringRef Names[] = {"KBUILD_BASENAME", "KBUILD_MODNAME",
                                    "KBUILD_MODFILE", "__KBUILD_MODNAME"};
  return Names;
}

PrefixPlan planPrefixes(const std::vector<CompileCommand> &Cmds, unsigned MinMembers,
                        function_ref<bool(const std::string &, std::string &)> Read) {
  PrefixPlan Plan;
  Plan.GroupOf.assign(Cmds.size(), -1);
  // Members by directory and flags, in the order they come.
  std::map<std::vector<std::string>, std::vector<size_t>> ByFlags;
  std::vector<std::vector<LeadingDirective>> Lead(Cmds.size());
  std::vector<const std::vector<size_t> *> Order;
  for (size_t I = 0; I < Cmds.size(); ++I) {
    std::string Abs = sourcePath(Cmds[I]);
    std::string Text;
    if (!Read(Abs, Text))
      continue;
    Lead[I] = leadingDirectives(Text);
    if (Lead[I].empty())
      continue;
    std::vector<std::string> Key = sharedFlags(Cmds[I]);
    Key.push_back(std::string(sys::path::parent_path(Abs)));
    auto &V = ByFlags[std::move(Key)];
    if (V.empty())
      Order.push_back(&V);
    V.push_back(I);
  }
  for (const std::vector<size_t> *Members : Order) {
    if (Members->size() < MinMembers)
      continue;
    // How many members start with each run of directives.
    StringMap<unsigned> Count;
    auto PrefixKey = [&](size_t I, size_t Depth) {
      std::string K;
      for (size_t D = 0; D < Depth; ++D)
        K += Lead[I][D].Key + "\n";
      return K;
    };
    for (size_t I : *Members)
      for (size_t D = 1; D <= Lead[I].size(); ++D)
        ++Count[PrefixKey(I, D)];
    // Each member takes its deepest prefix shared by enough members; a
    // prefix fewer than that many members end up taking gives its members
    // back to a shorter one, until none does.
    std::vector<size_t> Depth(Cmds.size(), 0);
    for (size_t I : *Members) {
      size_t D = Lead[I].size();
      while (D && Count[PrefixKey(I, D)] < MinMembers)
        --D;
      Depth[I] = D;
    }
    for (bool Changed = true; Changed;) {
      Changed = false;
      StringMap<unsigned> Taken;
      for (size_t I : *Members)
        if (Depth[I])
          ++Taken[PrefixKey(I, Depth[I])];
      for (size_t I : *Members)
        if (Depth[I] && Taken[PrefixKey(I, Depth[I])] < MinMembers) {
          --Depth[I];
          while (Depth[I] && Count[PrefixKey(I, Depth[I])] < MinMembers)
            --Depth[I];
          Changed = true;
        }
    }
    std::map<std::string, int> GroupOfKey;
    for (size_t I : *Members) {
      size_t D = usableDepth(Lead[I], Depth[I]);
      if (!D)
        continue;
      auto [It, New] = GroupOfKey.try_emplace(PrefixKey(I, Depth[I]), 0);
      if (New) {
        It->second = Plan.Groups.size();
        PrefixGroup G;
        G.Dir = std::string(sys::path::parent_path(sourcePath(Cmds[I])));
        for (size_t K = 0; K < D; ++K)
          G.Lines.push_back(Lead[I][K].Text);
        G.Cmd = Cmds[I];
        Plan.Groups.push_back(std::move(G));
      }
      Plan.GroupOf[I] = It->second;
      Plan.Groups[It->second].Members.push_back(I);
    }
  }
  return Plan;
}

std::string prefixFlagsKey(const CompileCommand &C) {
  std::string K;
  for (const std::string &F : sharedFlags(C))
    K += F + '\0';
  return K + std::string(sys::path::parent_path(sourcePath(C)));
}

size_t sharedDepth(ArrayRef<LeadingDirective> Lead,
                   ArrayRef<std::vector<std::string>> Earlier, unsigned MinMembers) {
  if (MinMembers < 2 || Earlier.size() + 1 < MinMembers)
    return 0;
  std::vector<size_t> Common;
  for (const std::vector<std::string> &E : Earlier) {
    size_t D = 0;
    while (D < Lead.size() && D < E.size() && Lead[D].Key == E[D])
      ++D;
    Common.push_back(D);
  }
  llvm::sort(Common, std::greater<size_t>());
  return usableDepth(Lead, Common[MinMembers - 2]);
}

std::vector<std::string> prefixCommandLine(const PrefixGroup &G, StringRef Header) {
  std::vector<std::string> A = sharedFlags(G.Cmd);
  A.insert(A.end(), {"-iquote", G.Dir, "-x", "c-header", Header.str()});
  return A;
}

std::string prefixHeaderText(const PrefixGroup &G) {
  std::string S;
  for (const std::string &L : G.Lines)
    S += L + "\n";
  return S;
}

} // namespace kdlint

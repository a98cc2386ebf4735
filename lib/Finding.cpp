//===- Finding.cpp - Findings as plain data -------------------------------===//
#include "kdlint/Finding.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

using namespace llvm;

namespace kdlint {

std::string uriPathEscape(StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (isAlnum(C) || StringRef("-._~/!$&'()*+,;=:@").contains(C))
      Out += C;
    else {
      Out += '%';
      Out += hexdigit(C >> 4);
      Out += hexdigit(C & 15);
    }
  }
  return Out;
}

std::string normalizeStatement(StringRef Text) {
  std::string Out;
  bool Space = false;
  for (char C : Text) {
    if (isSpace(C)) {
      Space = !Out.empty();
      continue;
    }
    if (Space)
      Out += ' ';
    Space = false;
    Out += C;
  }
  return Out;
}

std::string fingerprint(StringRef Check, StringRef RelFile, StringRef Function,
                        StringRef Statement, unsigned Occurrence) {
  std::string Key;
  for (StringRef Part : {Check, RelFile, Function, Statement}) {
    Key += Part;
    Key += '\0';
  }
  Key += std::to_string(Occurrence);
  // Two independent 64-bit hashes: 128 bits, so unrelated findings of a
  // whole tree never share one.
  uint64_t A = xxh3_64bits(Key);
  uint64_t B = xxh3_64bits("kdlint:" + Key);
  return utohexstr(A, /*LowerCase=*/true, 16) + utohexstr(B, true, 16);
}

static json::Value toJSON(const SourcePlace &P) {
  return json::Object{{"file", P.File}, {"line", P.Line}, {"column", P.Column}};
}
static bool fromJSON(const json::Value &V, SourcePlace &P, json::Path Path) {
  json::ObjectMapper O(V, Path);
  int64_t Line = 0, Column = 0;
  if (!O || !O.map("file", P.File) || !O.map("line", Line) || !O.map("column", Column) ||
      Line < 0 || Column < 0)
    return false;
  P.Line = unsigned(Line);
  P.Column = unsigned(Column);
  return true;
}
static json::Value toJSON(const FindingNote &N) {
  return json::Object{{"place", toJSON(N.Place)}, {"text", N.Text}};
}
static bool fromJSON(const json::Value &V, FindingNote &N, json::Path Path) {
  json::ObjectMapper O(V, Path);
  return O && O.map("place", N.Place) && O.map("text", N.Text);
}
static json::Value toJSON(const FindingFix &F) {
  return json::Object{{"begin", toJSON(F.Begin)}, {"end", toJSON(F.End)}, {"text", F.Text}};
}
static bool fromJSON(const json::Value &V, FindingFix &F, json::Path Path) {
  json::ObjectMapper O(V, Path);
  return O && O.map("begin", F.Begin) && O.map("end", F.End) && O.map("text", F.Text);
}

json::Value toJSON(const Finding &F) {
  json::Array Notes, Fixes;
  for (const FindingNote &N : F.Notes)
    Notes.push_back(toJSON(N));
  for (const FindingFix &X : F.Fixes)
    Fixes.push_back(toJSON(X));
  return json::Object{{"check", F.Check},
                      {"message", F.Message},
                      {"place", toJSON(F.Place)},
                      {"function", F.Function},
                      {"snippet", F.Snippet},
                      {"notes", std::move(Notes)},
                      {"fixes", std::move(Fixes)},
                      {"fingerprint", F.Fingerprint}};
}

bool fromJSON(const json::Value &V, Finding &F, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("check", F.Check) && O.map("message", F.Message) &&
         O.map("place", F.Place) && O.map("function", F.Function) &&
         O.map("snippet", F.Snippet) &&
         O.map("notes", F.Notes) && O.map("fixes", F.Fixes) &&
         O.map("fingerprint", F.Fingerprint);
}

} // namespace kdlint

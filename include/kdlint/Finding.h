//===- Finding.h - A reported finding, free of Clang types -----*- C++ -*-===//
//
// What a check reported, as plain data: the reporter fills it in from Clang's
// source locations, a forked worker sends it to its parent as JSON, and the
// printers (SARIF, baselines) read only this.
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_FINDING_H
#define KDLINT_FINDING_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <string>
#include <vector>

namespace kdlint {

/// A place in a source file: the absolute path, 1-based line and column.
struct SourcePlace {
  std::string File;
  unsigned Line = 0, Column = 0;
};

struct FindingNote {
  SourcePlace Place;
  std::string Text;
};

/// A replacement of [Begin, End) (End: the line and column just past it).
struct FindingFix {
  SourcePlace Begin, End;
  std::string Text;
};

struct Finding {
  std::string Check;
  std::string Message;
  SourcePlace Place;
  std::string Function; ///< the function the finding is in, or empty
  std::string Snippet;  ///< the source line of Place
  std::vector<FindingNote> Notes;
  std::vector<FindingFix> Fixes;
  /// Stable across unrelated edits: a hash of the check, the file, the
  /// function, the statement's text (whitespace-normalized) and which
  /// occurrence of that text in the function it is; never the line number.
  std::string Fingerprint;
};

/// The fingerprint of a finding whose statement reads \p Statement, the \p
/// Occurrence-th (from 0) with the same check, file, function and text.
std::string fingerprint(llvm::StringRef Check, llvm::StringRef RelFile,
                        llvm::StringRef Function, llvm::StringRef Statement,
                        unsigned Occurrence);

/// \p Path percent-encoded for a file: URI (RFC 3986 path characters kept);
/// "file://" + this is the URI of an absolute path.
std::string uriPathEscape(llvm::StringRef Path);

/// Collapses runs of whitespace to one space and trims both ends.
std::string normalizeStatement(llvm::StringRef Text);

llvm::json::Value toJSON(const Finding &F);
bool fromJSON(const llvm::json::Value &V, Finding &F, llvm::json::Path P);

} // namespace kdlint

#endif

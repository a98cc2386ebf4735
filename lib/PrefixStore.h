//===- PrefixStore.h - Shared prefixes learned across calls -----*- C++ -*-===//
//
// A run plans its shared prefixes over all its files at once
// (SharedPrefix.h). A server's calls come one file at a time, so its workers
// learn them instead: each call records the first directives of its file in
// a directory the server keeps for its life; the call that makes a prefix
// shared by enough files of one directory and flags precompiles it there,
// and it and every later call whose file starts with it parse with it.
// See docs/design.md, "The server".
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_PREFIXSTORE_H
#define KDLINT_PREFIXSTORE_H

#include "SharedPrefix.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <string>

namespace kdlint {

/// Precompiles \p G's prefix from \p Header (written by it) into \p Pch;
/// false if it cannot be, or is not safe to share.
using PrefixBuilder =
    llvm::function_ref<bool(const PrefixGroup &G, llvm::StringRef Header, llvm::StringRef Pch)>;

constexpr unsigned MaxLearnedPrefixes = 16;

/// The prefix a file is to be parsed with.
struct LearnedPrefix {
  std::string Pch, Header; ///< empty: parse it whole
  size_t Lines = 0;
  bool BuiltNow = false;   ///< precompiled by this call
};

/// For the file of \p Cmd, whose text is \p Text: the longest prefix it
/// starts with that is precompiled in \p Dir, else one this call precompiles
/// with \p Build if the file is at least the \p MinMembers-th of its directory
/// and flags to share it (each prefix is tried once); records the file for
/// the calls after it. The \p Dir keeps the MaxLearnedPrefixes used last (a
/// precompiled prefix is tens of MB). Safe for concurrent calls (a lock file
/// in \p Dir).
LearnedPrefix learnPrefix(llvm::StringRef Dir, const clang::tooling::CompileCommand &Cmd,
                          llvm::StringRef Text, unsigned MinMembers, PrefixBuilder Build);

/// Removes \p P's precompiled prefix, which its file did not parse with (a
/// header changed since it was built): the next call that shares it builds
/// it again.
void forgetPrefix(llvm::StringRef Dir, const LearnedPrefix &P);

} // namespace kdlint

#endif

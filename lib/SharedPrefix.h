//===- SharedPrefix.h - Leading includes parsed once per group -*- C++ -*-===//
//
// Most of a driver TU's parse is the kernel headers its first lines include,
// and the files of one driver start with the same lines under the same flags.
// A run precompiles each such shared prefix once (a clang PCH) and parses
// each member with it. What a member sees is unchanged: the prefix is its own
// first directives, every header they include is include-guarded, so the
// member's own copies of those lines are no-ops after the PCH.
// See docs/design.md, "Shared header prefixes".
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_SHAREDPREFIX_H
#define KDLINT_SHAREDPREFIX_H

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace kdlint {

/// The absolute path of a command's source file, dots removed.
std::string sourcePath(const clang::tooling::CompileCommand &C);

/// One of the directives a source starts with.
struct LeadingDirective {
  std::string Key;  ///< its tokens, one space apart: what members compare
  std::string Text; ///< as written
  bool Include = false;
  bool Quoted = false; ///< `#include "x.h"`: a header of the driver's own
};

/// The `#include`, `#define` and `#undef` lines \p Source starts with
/// (comments aside), up to the first other directive or code.
std::vector<LeadingDirective> leadingDirectives(llvm::StringRef Source);

/// The macros Kbuild defines per file or per module (KBUILD_BASENAME,
/// KBUILD_MODNAME...): a prefix is precompiled without them, and is not shared
/// if its headers test them (each member defines its own).
llvm::ArrayRef<llvm::StringRef> ownMacroNames();

/// A prefix its members share.
struct PrefixGroup {
  std::string Dir;                            ///< the members' directory
  std::vector<std::string> Lines;             ///< the directives, as written
  clang::tooling::CompileCommand Cmd;         ///< a member's command
  std::vector<size_t> Members;                ///< indexes into the commands
};

struct PrefixPlan {
  std::vector<int> GroupOf; ///< per command: its group, or -1
  std::vector<PrefixGroup> Groups;
};

/// Groups \p Cmds by directory and flags (the file's own names aside), and
/// within a group by the longest leading directives at least \p MinMembers
/// files share, as long as they include a header of the driver's own (a
/// quoted include: kernel headers alone are not worth it, measured). \p Read gives a file's
/// text (the editor's copy if it has one); an unreadable file is in no group.
PrefixPlan
planPrefixes(const std::vector<clang::tooling::CompileCommand> &Cmds,
             unsigned MinMembers,
             llvm::function_ref<bool(const std::string &Path, std::string &Text)> Read);

/// What the members of a group share besides their first lines: the
/// command's flags (the file's own names aside) and the file's directory.
std::string prefixFlagsKey(const clang::tooling::CompileCommand &C);

/// For one file (\p Lead) and the files before it with the same
/// prefixFlagsKey (\p Earlier: each one's directive keys): how many of its
/// first directives it shares with at least \p MinMembers - 1 of them, up to
/// its last include there, if a quoted include is among them (the rule of
/// planPrefixes); else 0.
size_t sharedDepth(llvm::ArrayRef<LeadingDirective> Lead,
                   llvm::ArrayRef<std::vector<std::string>> Earlier, unsigned MinMembers);

/// The compiler command line that precompiles \p G's header \p Header: a
/// member's flags without its name and output, with quoted includes looked
/// up in the members' directory.
std::vector<std::string> prefixCommandLine(const PrefixGroup &G,
                                           llvm::StringRef Header);

/// The header \p G's prefix is precompiled from.
std::string prefixHeaderText(const PrefixGroup &G);

} // namespace kdlint

#endif

//===- KernelTU.h - Unit-test snippets parsed against a real kernel tree ---===//
//
// The project has no home-made kernel headers: a unit test's snippet is a
// small driver file that #includes <linux/...> from a tree prepared by
// scripts/prepare-kernels.sh, compiled with exactly the flags Kbuild hands a
// checker ($KDLINT_CACHE/kbuild-<ver>.flags: first line the kernel dir, then
// one flag per line, relative to that dir), sanitized as the driver does, with
// the model's probe source appended. The tree is 6.12 unless
// KDLINT_UNIT_KERNEL names another (6.1).
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_TEST_UNIT_KERNELTU_H
#define KDLINT_TEST_UNIT_KERNELTU_H

#include "kdlint/Analysis.h"
#include "kdlint/Frontend.h"
#include "kdlint/Model.h"
#include "clang/Frontend/ASTUnit.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <string>

namespace kdlint {
namespace test {

/// One snippet parsed, its facts extracted and analysed. Not movable: the
/// facts and analyses point into the AST and the model.
struct KernelTU {
  std::string Version;   ///< "6.12"
  std::string KernelDir; ///< the tree
  std::string Errors;    ///< compiler errors, if any
  /// Prints into Errors; outlives the AST, whose diagnostics point to it.
  std::unique_ptr<llvm::raw_string_ostream> ErrOS;
  std::unique_ptr<clang::DiagnosticConsumer> Printer;
  std::unique_ptr<clang::ASTUnit> AST;
  Model M;
  TUFacts Facts;
  std::unique_ptr<TUAnalysis> Analysis;

  KernelTU() = default;
  KernelTU(const KernelTU &) = delete;
  KernelTU &operator=(const KernelTU &) = delete;

  /// The facts of the function named \p Name (null if none).
  const FunctionFacts *fn(llvm::StringRef Name) const;
  /// The 1-based line of \p L in the snippet.
  unsigned line(kdlint::SourceLoc L) const { return L.Line; }
};

/// The kernel tree version the unit tests run on.
std::string unitKernelVersion();

/// Parses \p Code against the prepared tree and runs extractFacts and the
/// analyses. Returns null and sets \p Skip when the tree's flags file does not
/// exist (the caller GTEST_SKIPs with it); otherwise a TU whose Errors says
/// whether it parsed.
std::unique_ptr<KernelTU> parseKernelTU(llvm::StringRef Code, std::string &Skip);

} // namespace test
} // namespace kdlint

#endif

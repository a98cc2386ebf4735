//===- Sarif.h - SARIF 2.1.0 logs and baselines ----------------*- C++ -*-===//
#ifndef KDLINT_SARIF_H
#define KDLINT_SARIF_H

#include "kdlint/Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

namespace kdlint {

/// The key of kdlint's fingerprint in a result's partialFingerprints.
inline constexpr const char *FingerprintKey = "kdlintFingerprint/v1";

/// A rule of the SARIF log: one per check.
struct SarifRule {
  std::string Id;      ///< the check's name
  std::string Summary; ///< one line (Check::summary())
  std::string Doc;     ///< its docs page, markdown
};

struct SarifOptions {
  std::string Version;  ///< kdlint's version
  std::string DocsUrl;  ///< base of the docs, ending in '/'
  std::string SrcRoot;  ///< absolute directory, the %SRCROOT% base; may be empty
};

/// The rules of every check kdlint has (their docs are compiled in).
std::vector<SarifRule> sarifRules();

/// One SARIF 2.1.0 log with one run holding \p Findings.
llvm::json::Value sarifLog(llvm::ArrayRef<Finding> Findings,
                           llvm::ArrayRef<SarifRule> Rules, const SarifOptions &O);

/// The fingerprints of every result of a SARIF log (a baseline).
llvm::Expected<llvm::StringSet<>> readBaseline(llvm::StringRef Path);

/// One log whose run holds the results of every run of every input: a
/// directory stands for the *.sarif files in it. Results with the same
/// fingerprint are kept once.
llvm::Expected<llvm::json::Value> mergeSarif(llvm::ArrayRef<std::string> Inputs);

} // namespace kdlint

#endif

//===- Driver.h - Running kdlint over translation units -------------------===//
#ifndef KDLINT_DRIVER_H
#define KDLINT_DRIVER_H

#include "kdlint/Finding.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <memory>
#include <string>
#include <vector>

namespace clang::tooling {
class CompilationDatabase;
struct CompileCommand;
} // namespace clang::tooling

namespace kdlint {

struct LinkResult;  // kdlint/Analysis.h
class ResultCache; // kdlint/Cache.h

/// Exit codes (documented in README.md and docs/usage.md).
enum ExitCode {
  ExitClean = 0,      ///< every input analysed, no findings
  ExitFindings = 1,   ///< every input analysed, findings reported
  ExitUsage = 2,      ///< bad command line, compile db, config or model
  ExitIncomplete = 3, ///< some inputs could not be analysed (the rest were)
};

struct DriverOptions {
  std::vector<std::string> Inputs;     ///< files and directories
  std::string BuildPath;               ///< -p
  std::vector<std::string> FixedArgs;  ///< after `--`, or Kbuild's flags
  bool HaveFixedArgs = false;
  std::string Checks;                  ///< --checks (applied over the config)
  std::string ConfigFile;              ///< --config-file
  std::vector<std::string> ModelFiles; ///< --model
  std::vector<std::string> ExtraArgs, ExtraArgsBefore;
  unsigned Jobs = 1;
  bool Quiet = false;
  bool Color = false;
  bool Kbuild = false;                 ///< invoked as `make C=1 CHECK=kdlint`
  bool ParseHeaderBodies = false;      ///< parse bodies of header functions
  std::string ExportFixes;             ///< --export-fixes: YAML file to write
  /// --tu-timeout: seconds one TU may take before it is killed and reported as
  /// not analysed (0: no limit).
  unsigned TUTimeout = 120;
  /// --in-process: analyse TUs in threads of this process instead of one
  /// forked worker per TU (no crash isolation, no time limit; for debuggers).
  bool InProcess = false;
  /// In a kdlint server's worker (Server.h): a run of one TU analyses it in
  /// this process, whose heap earlier TUs have faulted in already, not in a
  /// fresh forked one. If the process dies (a crash, SIGALRM at the time
  /// limit), the server's client runs the file again itself.
  bool Warm = false;
  /// With Warm: the server's directory of shared prefixes its calls learn
  /// (PrefixStore.h; empty: none).
  std::string LearnDir;
  /// Progress line on stderr (N/M TUs, elapsed, ETA); set when stderr is a
  /// terminal.
  bool Progress = false;
  /// --format: "text" (clang's style, on stdout) or "sarif" (SARIF 2.1.0).
  std::string Format = "text";
  /// --output: write the findings here instead of stdout.
  std::string Output;
  /// --baseline: a SARIF log of an earlier run; its findings are left out.
  std::string Baseline;
  /// --sarif-dir: also write each TU's SARIF log into this directory (for
  /// Kbuild's one process per file; merged with --merge-sarif).
  std::string SarifDir;
  /// --srcroot: paths in SARIF and fingerprints are relative to it (default:
  /// the compile db's directory, or the working directory).
  std::string SrcRoot;
  /// The baseline's fingerprints, loaded by runDriver.
  std::shared_ptr<const llvm::StringSet<>> BaselineFingerprints;
  /// --cross-tu (default on): link the TUs of a run, so a call to a function
  /// another file defines and that sleeps is seen (a second pass over the TUs
  /// that call one).
  bool CrossTU = true;
  /// The link's result, for that second pass.
  const LinkResult *Link = nullptr;
  /// The result cache (--cache-dir; null: --no-cache, Kbuild, the editor).
  ResultCache *Cache = nullptr;
  /// --shard=K/N: analyse the K-th of N slices of the TUs into the cache and
  /// report nothing but progress (0/0: no sharding).
  unsigned ShardK = 0, ShardN = 0;
  /// Leading includes at least this many files of a directory share under the
  /// same flags are precompiled once for them (0: every file parsed whole).
  unsigned SharedPrefixMin = 3;
  /// Editor buffers not yet saved: absolute path -> text (the LSP server).
  const llvm::StringMap<std::string> *Unsaved = nullptr;
};

/// One TU analysed for an editor, in a forked worker like any other.
struct FileAnalysis {
  bool Analysed = false;       ///< false: it did not parse, crashed or timed out
  std::vector<Finding> Findings;
  std::string Errors;          ///< compiler errors and kdlint's, as printed
};
FileAnalysis analyseFile(const clang::tooling::CompilationDatabase &DB,
                         const clang::tooling::CompileCommand &Cmd,
                         const DriverOptions &O);

/// Drops what clang cannot take from a (possibly GCC-built) kernel command:
/// options clang does not know, dependency-file output, -Werror, GCC's
/// --param; adds -w.  Options are found with clang's option table, so an option
/// and its separate value (`-mllvm -x=1`, `--param x=1`, `-MF f`) are kept or
/// dropped together.
std::vector<std::string> sanitizeArgs(const std::vector<std::string> &Args);

int runDriver(const DriverOptions &Opts);

/// `--list-checks`: prints the enabled checks; returns an exit code.
int listChecks(const DriverOptions &Opts);

/// `--merge-sarif`: one SARIF log from the logs (or directories of logs) in
/// Opts.Inputs, written to Opts.Output or stdout; returns an exit code.
int mergeSarifLogs(const DriverOptions &Opts);

/// `--lsp`: a Language Server on stdin/stdout until `exit`; returns an exit code.
int runLsp(const DriverOptions &Opts, llvm::StringRef CompileCommandsDir);

} // namespace kdlint

#endif

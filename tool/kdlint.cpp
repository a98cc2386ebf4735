//===- kdlint.cpp - The kdlint command line -------------------------------===//
//
//   kdlint [options] <files or directories> [-- <compiler flags>]
//   make C=1 CHECK=kdlint        (Kbuild checker mode, one file per call)
//
//===----------------------------------------------------------------------===//

#include "kdlint/Driver.h"
#include "kdlint/Cache.h"
#include "kdlint/Server.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

using namespace llvm;
using namespace kdlint;

static cl::OptionCategory Category("kdlint options");

static cl::list<std::string> Inputs(cl::Positional, cl::desc("<file or directory>..."),
                                    cl::cat(Category));
static cl::opt<std::string> BuildPath(
    "p", cl::desc("Build path: a directory with compile_commands.json (a kernel "
                  "tree after scripts/clang-tools/gen_compile_commands.py) or the "
                  "file itself. A directory argument means every entry under it."),
    cl::value_desc("build-path"), cl::cat(Category));
static cl::opt<std::string> Checks(
    "checks", cl::desc("Comma-separated globs of checks to enable (-glob "
                       "disables), applied after the config file's Checks."),
    cl::cat(Category));
static cl::opt<bool> ListChecks("list-checks", cl::desc("List enabled checks and exit."),
                                cl::cat(Category));
static cl::opt<std::string> ConfigFile(
    "config-file", cl::desc("Use this configuration file instead of the nearest "
                            ".kdlint.yaml above each source file."),
    cl::cat(Category));
static cl::list<std::string> ModelFiles(
    "model", cl::desc("Add a model file (YAML, the format of model/kernel.yaml): "
                      "your own wrappers that sleep, lock or allocate."),
    cl::cat(Category));
static cl::list<std::string> ExtraArgs("extra-arg",
                                       cl::desc("Append to the compiler command line."),
                                       cl::cat(Category));
static cl::list<std::string> ExtraArgsBefore(
    "extra-arg-before", cl::desc("Prepend to the compiler command line."),
    cl::cat(Category));
static cl::opt<unsigned> Jobs("j", cl::desc("Translation units analysed in parallel."),
                              cl::init(1), cl::Prefix, cl::cat(Category));
static cl::opt<bool> Quiet("quiet", cl::desc("No summary line."), cl::cat(Category));
static cl::opt<bool> CrossTU(
    "cross-tu",
    cl::desc("Link the translation units of a run: a call to a function another file "
             "of the run defines and that may sleep is checked like a call within the "
             "file (the files that make such calls are analysed a second time). On by "
             "default; --cross-tu=false turns it off."),
    cl::init(true), cl::cat(Category));
static cl::opt<bool> UseColor("use-color", cl::desc("Colour diagnostics (default: when "
                                                    "stdout is a terminal)."),
                              cl::cat(Category));
static cl::opt<bool> SharedPrefix(
    "shared-prefix",
    cl::desc("Precompile the leading includes that three or more files of a "
             "directory share under the same flags, with a header of the driver's "
             "own among them, once (a clang PCH in a "
             "temporary directory), and parse those files with it: the same "
             "findings, a fraction of the parsing. On by default; "
             "--shared-prefix=false parses every file whole."),
    cl::init(true), cl::cat(Category));
static cl::opt<bool> ParseHeaderBodies(
    "parse-header-bodies",
    cl::desc("Parse bodies of functions in headers outside the driver's "
             "directory too (slower; the model already describes them)."),
    cl::cat(Category));

static cl::opt<std::string> ExportFixes(
    "export-fixes",
    cl::desc("Write the findings and their certain fixes to this YAML file "
             "(clang-tidy's format; apply with clang-apply-replacements)."),
    cl::value_desc("filename"), cl::cat(Category));

static cl::opt<std::string> Format(
    "format",
    cl::desc("Output format: text (clang's style, the default) or sarif "
             "(SARIF 2.1.0, for CI systems and code-scanning dashboards)."),
    cl::init("text"), cl::value_desc("text|sarif"), cl::cat(Category));
static cl::opt<std::string> Output(
    "output", cl::desc("Write the findings to this file instead of stdout."),
    cl::value_desc("filename"), cl::cat(Category));
static cl::opt<std::string> Baseline(
    "baseline",
    cl::desc("A SARIF log of an earlier run: findings whose fingerprint it holds "
             "are neither printed nor counted for the exit code."),
    cl::value_desc("sarif-file"), cl::cat(Category));
static cl::opt<std::string> SarifDir(
    "sarif-dir",
    cl::desc("Also write one SARIF log per translation unit into this directory "
             "(Kbuild mode; merge them with --merge-sarif)."),
    cl::value_desc("directory"), cl::cat(Category));
static cl::opt<std::string> SrcRoot(
    "srcroot",
    cl::desc("Directory that SARIF paths and fingerprints are relative to "
             "(default: the compilation database's directory, or the working "
             "directory)."),
    cl::value_desc("directory"), cl::cat(Category));
static cl::opt<bool> MergeSarif(
    "merge-sarif",
    cl::desc("Merge the SARIF logs given as inputs (files, or directories of "
             "*.sarif) into one log on stdout or --output, and exit."),
    cl::cat(Category));

static cl::opt<bool> Lsp(
    "lsp",
    cl::desc("Run as a Language Server on stdin/stdout (for editors): diagnostics "
             "for open files, quick fixes for fix-its."),
    cl::cat(Category));
static cl::opt<std::string> CompileCommandsDir(
    "compile-commands-dir",
    cl::desc("With --lsp: the directory of compile_commands.json (default: "
             "searched upwards from each file, and in build/, as clangd does)."),
    cl::value_desc("directory"), cl::cat(Category));

static cl::opt<unsigned> TUTimeout(
    "tu-timeout",
    cl::desc("Seconds one translation unit may take; a TU over it is killed and "
             "reported as not analysed (exit code 3). 0: no limit."),
    cl::init(120), cl::value_desc("seconds"), cl::cat(Category));
static cl::opt<std::string> CacheDir(
    "cache-dir",
    cl::desc("Where results of translation units are kept between runs, under a "
             "hash of their command, the content of every file they read, the "
             "model and kdlint itself (default: $XDG_CACHE_HOME/kdlint, else "
             "~/.cache/kdlint)."),
    cl::value_desc("directory"), cl::cat(Category));
static cl::opt<bool> NoCache("no-cache", cl::desc("Neither read nor write the cache."),
                             cl::cat(Category));
static cl::opt<std::string> CacheMaxSize(
    "cache-max-size",
    cl::desc("Evict the least recently used cache entries beyond this size after "
             "a run (bytes, or with K, M, G; 0: no bound)."),
    cl::init("0"), cl::value_desc("size"), cl::cat(Category));
static cl::opt<std::string> Shard(
    "shard",
    cl::desc("Analyse only the K-th of N stable slices of the translation units "
             "into the cache, and report nothing but progress; a later run "
             "without --shard over the same cache links and reports."),
    cl::value_desc("K/N"), cl::cat(Category));
static cl::opt<bool> InProcess(
    "in-process",
    cl::desc("Analyse TUs in threads of this process, not in forked worker "
             "processes: no crash isolation, no time limit (for debuggers)."),
    cl::Hidden, cl::cat(Category));

// The server options are taken off the command line before anything else
// (main below); they are declared here for --help.
static cl::opt<bool> UseServer(
    "server",
    cl::desc("Hand this call to a kdlint server with warm workers, started if none "
             "runs (for one file per call: make C=1 CHECK=\"kdlint --server\"). "
             "The same findings and exit code; if the server cannot serve, the "
             "call runs here."),
    cl::cat(Category));
static cl::opt<unsigned> ServerIdle(
    "server-idle", cl::desc("Seconds a server started by this call waits for the next "
                            "call before it exits."),
    cl::init(900), cl::value_desc("seconds"), cl::cat(Category));
static cl::opt<bool> StopServer("stop-server",
                                cl::desc("Stop the server of this kdlint binary."),
                                cl::cat(Category));
static cl::opt<unsigned> ServerWorkers(
    "server-workers", cl::desc("Calls a server started by this call runs at once "
                               "(default: one per CPU)."),
    cl::init(0), cl::Hidden, cl::cat(Category));

/// Set in a server's worker: a run of one TU uses the warm heap and the
/// prefixes the server's calls learn, in LearnDir (Server.h).
static bool InServerWorker = false;
static std::string LearnDir;

static void printVersion(raw_ostream &OS) {
  OS << "kdlint 0.1.0 (LLVM " LLVM_VERSION_STRING ")\n";
}

/// Kbuild runs `$(CHECK) $(CHECKFLAGS) $(c_flags) file.c`: sparse's flags,
/// then the compiler's, then the file. kdlint options may lead (CHECK="kdlint
/// --checks=...").
static bool isKbuildInvocation(int Argc, const char **Argv) {
  bool Kernel = false;
  for (int I = 1; I < Argc; ++I) {
    StringRef A = Argv[I];
    if (A == "--")
      return false;
    if (A == "-D__KERNEL__")
      Kernel = true;
  }
  return Kernel;
}

static int runKbuild(int Argc, const char **Argv) {
  DriverOptions O;
  O.Warm = InServerWorker;
  O.LearnDir = LearnDir;
  O.Kbuild = true;
  O.HaveFixedArgs = true;
  O.Quiet = true;
  O.Color = sys::Process::StandardOutIsDisplayed();
  for (int I = 1; I < Argc; ++I) {
    StringRef A = Argv[I];
    if (A.consume_front("--checks="))
      O.Checks = A.str();
    else if (A.consume_front("--config-file="))
      O.ConfigFile = A.str();
    else if (A.consume_front("--model="))
      O.ModelFiles.push_back(A.str());
    else if (A.consume_front("--export-fixes="))
      O.ExportFixes = A.str();
    else if (A.consume_front("--baseline="))
      O.Baseline = A.str();
    else if (A.consume_front("--sarif-dir="))
      O.SarifDir = A.str();
    else if (A.consume_front("--srcroot="))
      O.SrcRoot = A.str();
    else if (A.consume_front("--tu-timeout=")) {
      if (A.getAsInteger(10, O.TUTimeout)) {
        WithColor::error(errs(), "kdlint") << "--tu-timeout wants a number of seconds\n";
        return ExitUsage;
      }
    } else if (A == "--use-color")
      O.Color = true;
    else if (A.ends_with(".c") && !A.starts_with("-"))
      O.Inputs.push_back(A.str());
    else
      O.FixedArgs.push_back(A.str());
  }
  // An out-of-tree module (make M=dir): SARIF paths relative to the module.
  if (O.SrcRoot.empty())
    if (const char *Ext = getenv("KBUILD_EXTMOD"); Ext && *Ext)
      O.SrcRoot = Ext;
  if (O.Inputs.empty()) {
    WithColor::error(errs(), "kdlint") << "Kbuild invocation without a .c file\n";
    return ExitUsage;
  }
  int R = runDriver(O);
  // Like sparse, findings do not fail the build unless asked to.
  if (R == ExitFindings && !getenv("KDLINT_WERROR"))
    return ExitClean;
  return R;
}

/// The server options, taken off the command line up to `--` (by main() and
/// by the first constructor); Rest is the command line without them.
struct ServerCall {
  ServerOptions SO;
  bool Client = false, Stop = false, Foreground = false;
  int Daemon = -1;                 ///< --server-daemon=FD: the listening socket
  const char *Bad = nullptr;       ///< an option without its number
  std::vector<const char *> Rest;  ///< null-terminated
  /// An editor's server is a long conversation of its own, not a call.
  bool editor() const {
    for (const char *A : Rest)
      if (A && strcmp(A, "--lsp") == 0)
        return true;
    return false;
  }
};

static ServerCall takeServerOptions(int Argc, const char *const *Argv) {
  ServerCall C;
  C.Rest.push_back(Argv[0]);
  bool Own = true;
  for (int I = 1; I < Argc; ++I) {
    StringRef A = Argv[I];
    if (Own && A == "--")
      Own = false;
    if (!Own) {
      C.Rest.push_back(Argv[I]);
      continue;
    }
    unsigned *Number = nullptr;
    if (A == "--server")
      C.Client = true;
    else if (A == "--stop-server")
      C.Stop = true;
    else if (A == "--server-foreground")
      C.Foreground = true;
    else if (A.consume_front("--server-daemon=")) {
      if (A.getAsInteger(10, C.Daemon))
        C.Bad = Argv[I];
    } else if (A.consume_front("--server-idle="))
      Number = &C.SO.IdleSeconds;
    else if (A.consume_front("--server-workers="))
      Number = &C.SO.Workers;
    else
      C.Rest.push_back(Argv[I]);
    if (Number && A.getAsInteger(10, *Number))
      C.Bad = Argv[I];
  }
  C.Rest.push_back(nullptr);
  return C;
}

/// Set when the first constructor has tried the server already (zero-
/// initialized: no constructor of its own runs after that one).
static bool ServerTried = false;
static std::string &serverWhy() {
  static std::string Why;
  return Why;
}

/// The first constructor (priority 101, before LLVM's thousands of static
/// option objects; glibc hands ELF constructors main's arguments) does what
/// must come before them: it hands a --server call over, and otherwise
/// starts kdlint again on huge pages.
///
/// Much of a TU's time is page faults on the memory clang allocates (a
/// quarter of it on a paravirtualized guest, where a fault is dear). glibc
/// (2.35 or later) backs its heap with transparent huge pages when asked with
/// the tunable glibc.malloc.hugetlb=1, which it reads at start: so kdlint
/// starts itself once more with it set, as early as it can, so the first
/// start does as little as it can. KDLINT_HUGEPAGES=0 opts out.
#ifdef __linux__
__attribute__((constructor(101))) static void startUp(int Argc, char **Argv, char **) {
  const char *Opt = getenv("KDLINT_HUGEPAGES");
  const char *T = getenv("GLIBC_TUNABLES");
  static char V[4096] = "GLIBC_TUNABLES=";
  if (Argv) {
    // A call for the server is handed over here, before LLVM's static
    // objects are made: it runs nothing itself (nor starts again on huge
    // pages). If the server cannot take it, main() runs it.
    ServerCall C = takeServerOptions(Argc, Argv);
    if (C.Client && !C.Bad && !C.editor()) {
      ServerTried = true;
      if (std::optional<int> R = runOnServer(
              ArrayRef(C.Rest.data(), C.Rest.size() - 1), C.SO, serverWhy())) {
        outs().flush();
        ::_exit(*R);
      }
    }
    if (C.Client || C.Stop)
      return;
  }
  if ((Opt && strcmp(Opt, "0") == 0) || (T && strstr(T, "glibc.malloc.hugetlb")) ||
      (T && strlen(T) + 64 > sizeof V) || !Argv)
    return;
  if (T && *T) {
    strcat(V, T);
    strcat(V, ":");
  }
  strcat(V, "glibc.malloc.hugetlb=1");
  if (putenv(V) == 0)
    execv("/proc/self/exe", Argv);
  // Not started again (no /proc): carry on as is.
}
#endif

/// What main() runs once the server options are off the command line, in
/// this process or in a server's worker.
static int runCommand(int Argc, const char **Argv) {
  if (isKbuildInvocation(Argc, Argv))
    return runKbuild(Argc, Argv);

  // `--` ends kdlint's options; what follows is the compile command.
  DriverOptions O;
  int OwnArgc = Argc;
  for (int I = 1; I < Argc; ++I)
    if (StringRef(Argv[I]) == "--") {
      OwnArgc = I;
      O.HaveFixedArgs = true;
      for (int J = I + 1; J < Argc; ++J)
        O.FixedArgs.push_back(Argv[J]);
      break;
    }
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter(printVersion);
  std::string ErrStr;
  raw_string_ostream ErrOS(ErrStr);
  if (!cl::ParseCommandLineOptions(
          OwnArgc, Argv,
          "kdlint: a static analyzer for Linux kernel drivers.\n\n"
          "  kdlint -p <kernel build dir> drivers/net/ethernet/foo/\n"
          "  kdlint foo.c -- <compiler flags>\n"
          "  make C=1 CHECK=kdlint       (Kbuild checker mode)\n\n"
          "Exit codes: 0 no findings, 1 findings, 2 usage or configuration "
          "error,\n3 some inputs could not be analysed (the rest were).\n",
          &ErrOS)) {
    errs() << ErrOS.str();
    return ExitUsage;
  }
  O.Warm = InServerWorker;
  O.LearnDir = LearnDir;
  O.Inputs = Inputs;
  O.BuildPath = BuildPath;
  O.Checks = Checks;
  O.ConfigFile = ConfigFile;
  O.ModelFiles = ModelFiles;
  O.ExtraArgs = ExtraArgs;
  O.ExtraArgsBefore = ExtraArgsBefore;
  O.Jobs = Jobs;
  O.Quiet = Quiet;
  O.CrossTU = CrossTU;
  O.Color = UseColor || sys::Process::StandardOutIsDisplayed();
  O.ParseHeaderBodies = ParseHeaderBodies;
  if (!SharedPrefix)
    O.SharedPrefixMin = 0;
  O.ExportFixes = ExportFixes;
  O.TUTimeout = TUTimeout;
  O.InProcess = InProcess;
  O.Progress = sys::Process::StandardErrIsDisplayed();
  O.Format = Format;
  O.Output = Output;
  O.Baseline = Baseline;
  O.SarifDir = SarifDir;
  O.SrcRoot = SrcRoot;
  if (MergeSarif)
    return mergeSarifLogs(O);
  if (Lsp) {
    O.Color = false;
    return runLsp(O, CompileCommandsDir);
  }
  std::unique_ptr<ResultCache> Cache;
  if (!NoCache) {
    std::optional<uint64_t> Max = ResultCache::parseSize(CacheMaxSize);
    if (!Max) {
      WithColor::error(errs(), "kdlint")
          << "--cache-max-size wants a size such as 500M or 2G, not '" << CacheMaxSize
          << "'\n";
      return ExitUsage;
    }
    Cache = std::make_unique<ResultCache>(
        CacheDir.empty() ? ResultCache::defaultDir() : std::string(CacheDir), *Max);
    O.Cache = Cache.get();
  }
  if (!Shard.empty()) {
    StringRef K, N;
    std::tie(K, N) = StringRef(Shard).split('/');
    if (K.getAsInteger(10, O.ShardK) || N.getAsInteger(10, O.ShardN) || O.ShardN == 0 ||
        O.ShardK == 0 || O.ShardK > O.ShardN) {
      WithColor::error(errs(), "kdlint")
          << "--shard wants K/N with 1 <= K <= N, not '" << Shard << "'\n";
      return ExitUsage;
    }
    if (!Cache) {
      WithColor::error(errs(), "kdlint") << "--shard fills the cache: not with --no-cache\n";
      return ExitUsage;
    }
  }
  if (ListChecks)
    return listChecks(O);
  return runDriver(O);
}

int main(int Argc, const char **Argv) {
  InitLLVM X(Argc, Argv);
  ServerCall C = takeServerOptions(Argc, Argv);
  if (C.Bad) {
    WithColor::error(errs(), "kdlint") << "'" << C.Bad << "' wants a number\n";
    return ExitUsage;
  }
  if (C.Stop)
    return stopServer();
  if (C.Daemon >= 0 || C.Foreground) {
    std::string Why;
    std::string Path = serverSocketPath(Why);
    if (Path.empty()) {
      WithColor::error(errs(), "kdlint") << Why << "\n";
      return ExitUsage;
    }
    return serve(C.Daemon, Path, C.SO,
                 [](int Argc, const char **Argv, const std::string &State) {
      InServerWorker = true;
      LearnDir = State;
      return runCommand(Argc, Argv);
    });
  }
  int RestArgc = int(C.Rest.size()) - 1;
  if (C.Client && !C.editor()) {
    if (!ServerTried)
      if (std::optional<int> R =
              runOnServer(ArrayRef(C.Rest.data(), RestArgc), C.SO, serverWhy()))
        return *R;
    if (getenv("KDLINT_TRACE_SERVER"))
      errs() << "kdlint: running here: " << serverWhy() << "\n";
  }
  return runCommand(RestArgc, C.Rest.data());
}

//===- Driver.cpp - Frontend, configuration and reporting -----------------===//
//
// compile db / Kbuild flags -> sanitized clang invocations -> one parse per TU
// (header function bodies skipped: the model describes the kernel API) ->
// facts -> analysis -> checks -> clang-style diagnostics, printed in input
// order whatever -j is.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Driver.h"
#include "kdlint/Cache.h"
#include "kdlint/Check.h"
#include "kdlint/Finding.h"
#include "kdlint/Frontend.h"
#include "kdlint/Sarif.h"
#include "PrefixStore.h"
#include "SharedPrefix.h"
#include "Wire.h"
#include "clang/Lex/Lexer.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Driver/Options.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Serialization/ASTReader.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Support/raw_ostream.h"
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

using namespace clang;
using namespace clang::tooling;
using namespace llvm;

// ---- Configuration file (.kdlint.yaml) -------------------------------------

namespace kdlint {
struct FileConfig {
  std::string Checks;
  std::vector<std::string> Model;
  std::map<std::string, std::string> CheckOptions;
};
} // namespace kdlint

LLVM_YAML_IS_STRING_MAP(std::string)
namespace llvm {
namespace yaml {
template <> struct MappingTraits<kdlint::FileConfig> {
  static void mapping(IO &IO, kdlint::FileConfig &C) {
    IO.mapOptional("Checks", C.Checks);
    IO.mapOptional("Model", C.Model);
    IO.mapOptional("CheckOptions", C.CheckOptions);
  }
};
} // namespace yaml
} // namespace llvm

namespace kdlint {

namespace {

/// The module Kbuild builds the TU into: KBUILD_MODNAME ("foo", a string
/// literal on the command line), empty without one.
std::string kbuildModName(Preprocessor &PP) {
  const IdentifierInfo *II = PP.getIdentifierInfo("KBUILD_MODNAME");
  const MacroInfo *MI = II ? PP.getMacroInfo(II) : nullptr;
  if (!MI || MI->getNumTokens() != 1 || !MI->getReplacementToken(0).isLiteral())
    return "";
  // The spelling, not the literal data: a definition read from a precompiled
  // prefix has none.
  std::string Lit = PP.getSpelling(MI->getReplacementToken(0));
  return StringRef(Lit).trim('"').str();
}

std::mutex OutputMutex;

/// Checks on unless a config or --checks says otherwise: every kernel-*
/// check except those whose findings are not bugs on the architectures
/// drivers run on (kernel-iomem-deref-ram).
const char DefaultChecks[] = "kernel-*,-kernel-iomem-deref-ram";


void error(const Twine &Msg) {
  std::lock_guard<std::mutex> L(OutputMutex);
  WithColor::error(errs(), "kdlint") << Msg << "\n";
}

void warning(const Twine &Msg) {
  std::lock_guard<std::mutex> L(OutputMutex);
  WithColor::warning(errs(), "kdlint") << Msg << "\n";
}

/// Everything a TU needs that comes from configuration.
struct Profile {
  std::string Checks; ///< effective globs
  CheckOptions Options;
  std::unique_ptr<Model> TheModel;
  /// The config and model files it was read from (absolute): what a TU's
  /// cached result depends on besides its sources.
  std::vector<std::string> Files;
};

class ConfigCache {
public:
  explicit ConfigCache(const DriverOptions &O) : Opts(O) {}

  /// The profile for a source file, or null after printing why not.
  const Profile *forFile(StringRef File) {
    std::string ConfigPath = Opts.ConfigFile;
    if (ConfigPath.empty())
      ConfigPath = findConfig(File);
    std::lock_guard<std::mutex> L(M);
    auto It = Profiles.find(ConfigPath);
    if (It != Profiles.end())
      return It->second.get();
    std::unique_ptr<Profile> P = load(ConfigPath);
    if (!P)
      Failed = true;
    const Profile *R = P.get();
    Profiles[ConfigPath] = std::move(P);
    return R;
  }

private:
  std::string findConfig(StringRef File) {
    SmallString<256> Dir(File);
    sys::fs::make_absolute(Dir);
    sys::path::remove_filename(Dir);
    while (!Dir.empty()) {
      SmallString<256> Candidate(Dir);
      sys::path::append(Candidate, ".kdlint.yaml");
      if (sys::fs::exists(Candidate))
        return std::string(Candidate);
      StringRef Parent = sys::path::parent_path(Dir);
      if (Parent == Dir)
        break;
      Dir = Parent;
    }
    return "";
  }

  std::unique_ptr<Profile> load(const std::string &ConfigPath) {
    auto P = std::make_unique<Profile>();
    FileConfig C;
    if (!ConfigPath.empty()) {
      auto Buf = MemoryBuffer::getFile(ConfigPath);
      if (!Buf) {
        error("cannot read config file '" + ConfigPath + "': " +
              Buf.getError().message());
        return nullptr;
      }
      std::string Diag;
      yaml::Input In((*Buf)->getMemBufferRef(), nullptr,
                     [](const SMDiagnostic &D, void *Ctx) {
                       raw_string_ostream OS(*static_cast<std::string *>(Ctx));
                       D.print(nullptr, OS, false);
                     },
                     &Diag);
      In.setAllowUnknownKeys(false);
      In >> C;
      if (In.error()) {
        error("invalid config file '" + ConfigPath + "':\n" + Diag);
        return nullptr;
      }
    }
    P->Checks = DefaultChecks;
    if (!C.Checks.empty())
      P->Checks += "," + C.Checks;
    if (!Opts.Checks.empty())
      P->Checks += "," + Opts.Checks;
    for (auto &[K, V] : C.CheckOptions)
      P->Options[K] = V;
    Expected<Model> M = Model::builtin();
    if (!M) {
      error(toString(M.takeError()));
      return nullptr;
    }
    P->TheModel = std::make_unique<Model>(std::move(*M));
    std::vector<std::string> Files;
    for (const std::string &F : C.Model) {
      SmallString<256> Path(F);
      if (sys::path::is_relative(Path))
        Path = (sys::path::parent_path(ConfigPath) + "/" + F).str();
      Files.push_back(std::string(Path));
    }
    Files.insert(Files.end(), Opts.ModelFiles.begin(), Opts.ModelFiles.end());
    for (const std::string &F : Files)
      if (Error E = P->TheModel->addFile(F)) {
        error(toString(std::move(E)));
        return nullptr;
      }
    if (!ConfigPath.empty())
      Files.push_back(ConfigPath);
    for (std::string &F : Files) {
      SmallString<256> Abs(F);
      sys::fs::make_absolute(Abs);
      sys::path::remove_dots(Abs, true);
      P->Files.push_back(std::string(Abs));
    }
    return P;
  }

public:
  bool Failed = false; ///< some configuration could not be loaded
private:
  const DriverOptions &Opts;
  std::mutex M;
  std::map<std::string, std::unique_ptr<Profile>> Profiles;
};

bool globsEnable(StringRef Globs, StringRef Name) {
  bool Enabled = false;
  SmallVector<StringRef, 8> Items;
  Globs.split(Items, ',', -1, false);
  for (StringRef Item : Items) {
    Item = Item.trim();
    bool Neg = Item.consume_front("-");
    if (Item.empty())
      continue;
    Expected<GlobPattern> G = GlobPattern::create(Item);
    if (!G) {
      consumeError(G.takeError());
      continue;
    }
    if (G->match(Name))
      Enabled = !Neg;
  }
  return Enabled;
}

// ---- Reporting --------------------------------------------------------------

/// A function definition's extent, to name the function a finding is in.
struct FunctionExtent {
  FileID File;
  unsigned Begin, End;
  std::string Name;
};

/// What the reporter needs besides the TU: where to put structured findings,
/// the baseline to leave out, the root paths are made relative to.
struct ReportSetup {
  std::vector<Finding> *Found = nullptr;
  const StringSet<> *Baseline = nullptr;
  StringRef SrcRoot;
  std::vector<FunctionExtent> Functions;
};

/// Formats findings as clang does into a per-TU buffer, honouring NOLINT and
/// the baseline, and keeps each as a Finding (SARIF, the worker's result).
class Reporter : public DiagnosticSink {
public:
  Reporter(CompilerInstance &CI, const SourceFiles &Files, std::string &Out,
           bool Color, std::vector<tooling::Diagnostic> *Export, ReportSetup Setup)
      : SM(CI.getSourceManager()), Files(Files), OS(Out),
        Export(Export), Setup(std::move(Setup)) {
    DiagOpts = new DiagnosticOptions();
    DiagOpts->ShowColors = Color;
    Printer = std::make_unique<TextDiagnosticPrinter>(OS, DiagOpts.get());
    Diags = std::make_unique<DiagnosticsEngine>(
        IntrusiveRefCntPtr<DiagnosticIDs>(new DiagnosticIDs), DiagOpts,
        Printer.get(), /*ShouldOwnClient=*/false);
    Diags->setSourceManager(&SM);
    Printer->BeginSourceFile(CI.getLangOpts(), &CI.getPreprocessor());
    WarnID = Diags->getCustomDiagID(DiagnosticsEngine::Warning, "%0");
    NoteID = Diags->getCustomDiagID(DiagnosticsEngine::Note, "%0");
  }
  ~Reporter() override {
    Printer->EndSourceFile();
    OS.flush();
  }

  void report(StringRef Check, SourceLoc Place, const std::string &Message,
              const std::vector<Note> &Notes,
              const std::vector<FixIt> &Fixes) override {
    SourceLocation Loc = Files.location(Place);
    if (suppressed(Check, Loc))
      return;
    Finding F = makeFinding(Check, Loc, Message, Notes, Fixes);
    if (Setup.Baseline && Setup.Baseline->contains(F.Fingerprint))
      return;
    if (Setup.Found)
      Setup.Found->push_back(std::move(F));
    ++Count;
    {
      DiagnosticBuilder D = Diags->Report(Loc, WarnID);
      D << (Message + " [" + Check + "]").str();
      for (const FixIt &F : Fixes)
        D << FixItHint::CreateReplacement(range(F.Range), F.Text);
    }
    for (const Note &N : Notes)
      Diags->Report(Files.location(N.Loc), NoteID) << N.Text;
    if (!Export)
      return;
    // The clang-tidy --export-fixes format (clang-apply-replacements reads it).
    tooling::DiagnosticMessage Msg(Message, SM, SM.getFileLoc(Loc));
    for (const FixIt &F : Fixes) {
      tooling::Replacement R(SM, range(F.Range), F.Text);
      llvm::consumeError(Msg.Fix[R.getFilePath()].add(R));
    }
    tooling::Diagnostic D(Check, Msg, {}, tooling::Diagnostic::Warning, "");
    for (const Note &N : Notes)
      if (N.Loc.isValid())
        D.Notes.push_back(tooling::DiagnosticMessage(N.Text, SM, Files.location(N.Loc)));
    Export->push_back(std::move(D));
  }
  unsigned count() const { return Count; }

private:
  SourcePlace place(SourceLocation Loc) { return placeOf(SM, Loc); }
  CharSourceRange range(LocRange R) const {
    SourceLocation B = Files.location(R.Begin);
    return B.isValid() ? CharSourceRange::getCharRange(B, B.getLocWithOffset(R.Length))
                       : CharSourceRange();
  }

  Finding makeFinding(StringRef Check, SourceLocation Loc, const std::string &Message,
                      const std::vector<Note> &Notes, const std::vector<FixIt> &Fixes) {
    Finding F;
    F.Check = Check.str();
    F.Message = Message;
    F.Place = place(Loc);
    for (const Note &N : Notes)
      if (N.Loc.isValid())
        F.Notes.push_back({place(Files.location(N.Loc)), N.Text});
    for (const FixIt &X : Fixes) {
      CharSourceRange R = range(X.Range);
      if (R.isInvalid())
        continue;
      F.Fixes.push_back({place(R.getBegin()), place(R.getEnd()), X.Text});
    }
    // The function, and the statement's line without its position.
    SourceLocation FL = SM.getFileLoc(Loc);
    std::string Statement;
    if (FL.isValid()) {
      FileID FID = SM.getFileID(FL);
      unsigned Off = SM.getFileOffset(FL);
      for (const FunctionExtent &E : Setup.Functions)
        if (E.File == FID && E.Begin <= Off && Off <= E.End)
          F.Function = E.Name;
      bool Invalid = false;
      StringRef Buf = SM.getBufferData(FID, &Invalid);
      if (!Invalid && Off <= Buf.size()) {
        size_t B = Buf.rfind('\n', Off == 0 ? 0 : Off - 1);
        B = B == StringRef::npos ? 0 : B + 1;
        StringRef Line = Buf.slice(B, Buf.find('\n', Off)).rtrim("\r");
        F.Snippet = Line.str();
        Statement = normalizeStatement(Line);
      }
    }
    StringRef Rel = F.Place.File;
    if (!Setup.SrcRoot.empty() && Rel.starts_with(Setup.SrcRoot) &&
        Rel.drop_front(Setup.SrcRoot.size()).starts_with("/"))
      Rel = Rel.drop_front(Setup.SrcRoot.size() + 1);
    std::string Key = F.Check + '\0' + Rel.str() + '\0' + F.Function + '\0' + Statement;
    F.Fingerprint = fingerprint(F.Check, Rel, F.Function, Statement, Occurrences[Key]++);
    return F;
  }

  /// `// NOLINT`, `// NOLINT(check,...)` on the line, or NOLINTNEXTLINE above.
  bool suppressed(StringRef Check, SourceLocation Loc) {
    Loc = SM.getExpansionLoc(Loc);
    FileID FID = SM.getFileID(Loc);
    bool Invalid = false;
    StringRef Buf = SM.getBufferData(FID, &Invalid);
    if (Invalid)
      return false;
    unsigned Off = SM.getFileOffset(Loc);
    size_t Begin = Buf.rfind('\n', Off == 0 ? 0 : Off - 1);
    Begin = Begin == StringRef::npos ? 0 : Begin + 1;
    size_t End = Buf.find('\n', Off);
    StringRef Line = Buf.slice(Begin, End);
    if (matches(Line, "NOLINT", Check))
      return true;
    if (Begin >= 2) {
      size_t PrevBegin = Buf.rfind('\n', Begin - 2);
      PrevBegin = PrevBegin == StringRef::npos ? 0 : PrevBegin + 1;
      if (matches(Buf.slice(PrevBegin, Begin - 1), "NOLINTNEXTLINE", Check))
        return true;
    }
    return false;
  }
  static bool matches(StringRef Line, StringRef Marker, StringRef Check) {
    size_t P = 0;
    while ((P = Line.find(Marker, P)) != StringRef::npos) {
      StringRef Rest = Line.drop_front(P + Marker.size());
      P += Marker.size();
      if (Marker == "NOLINT" && Rest.starts_with("NEXTLINE"))
        continue;
      if (!Rest.starts_with("("))
        return true;
      StringRef List = Rest.drop_front().split(')').first;
      if (globsEnable(List, Check))
        return true;
    }
    return false;
  }

  SourceManager &SM;
  const SourceFiles &Files;
  raw_string_ostream OS;
  IntrusiveRefCntPtr<DiagnosticOptions> DiagOpts;
  std::unique_ptr<TextDiagnosticPrinter> Printer;
  std::unique_ptr<DiagnosticsEngine> Diags;
  unsigned WarnID, NoteID;
  unsigned Count = 0;
  std::vector<tooling::Diagnostic> *Export;
  ReportSetup Setup;
  StringMap<unsigned> Occurrences;
};

// ---- The frontend action ------------------------------------------------------

struct TUResult {
  std::string File;
  std::string Output;      ///< findings (stdout)
  std::string Errors;      ///< compiler errors and kdlint errors (stderr)
  unsigned Findings = 0;
  std::vector<Finding> Found;                ///< the findings, as data
  std::vector<tooling::Diagnostic> Exported; ///< --export-fixes
  TUExports Exports;                         ///< for the cross-TU link
  /// Every file the TU read (sources, headers, config, model): the cache
  /// entry is valid while they are unchanged.
  std::vector<std::string> Deps;
  bool Analysed = false;
  bool FromCache = false;
  bool Done = false;
};

/// KDLINT_DUMP_FACTS=1: the facts of every function, for debugging the model.
static void dumpFacts(const TUFacts &T, raw_ostream &OS) {
  static const char *Kinds[] = {"call", "enter", "exit", "try", "register",
                                "assign", "return", "deref", "update"};
  auto Arg = [&](const ArgInfo &A) {
    return (A.Key.empty() ? std::string("?") : A.Key) +
           (A.Event >= 0 ? "@" + std::to_string(A.Event) : "") +
           (A.Iomem ? "[iomem]" : "") + (A.Local ? "[local]" : "");
  };
  for (const auto &F : T.Functions) {
    OS << "function " << F->Name << "\n";
    for (unsigned B = 0; B < F->Blocks.size(); ++B) {
      const BlockFacts &BF = F->Blocks[B];
      OS << "  B" << B << " ->";
      for (int S : BF.Succs)
        OS << " " << S;
      if (BF.Test.Kind != ResultTest::None)
        OS << "  test(" << BF.Test.Kind << (BF.Test.TrueMeansYes ? "" : ",neg") << ") "
           << BF.Test.Key << "@" << BF.Test.Event;
      if (BF.Cond >= 0)
        OS << "  cond " << F->Conds[BF.Cond].Key << (BF.CondOnTrue ? "" : " (negated)");
      for (unsigned K : BF.Kills)
        OS << "  kills " << F->Conds[K].Key;
      OS << "\n";
      for (unsigned I : BF.Events) {
        const Event &E = F->Events[I];
        OS << "    #" << I << " " << Kinds[int(E.Kind)] << " " << E.Name << " line "
           << E.Loc.Line;
        for (const ArgInfo &A : E.RArgs)
          OS << " " << Arg(A);
        if (E.Kind == EventKind::Assign || E.Kind == EventKind::Deref ||
            E.Kind == EventKind::Update)
          OS << " target=" << Arg(E.Target);
        if (E.Kind == EventKind::Assign || E.Kind == EventKind::Return)
          OS << " value=" << Arg(E.Value);
        for (auto [C, V] : E.Sets)
          OS << " sets " << F->Conds[C].Key << "=" << V;
        OS << "\n";
      }
    }
  }
}

/// Whether a body is one a TU's parse skips: outside the driver's directory
/// (the model describes those functions).
bool outsideDriver(const Decl *D, const SourceManager &SM, StringRef DriverDir) {
  SourceLocation L = SM.getExpansionLoc(D->getLocation());
  return !SM.isInMainFile(L) && sys::path::parent_path(SM.getFilename(L)) != DriverDir;
}

std::vector<std::string> annotationNames(const Spellings &S) {
  std::vector<std::string> Out;
  for (const std::string *N : {&S.Releases, &S.Acquires, &S.MustHold})
    if (!N->empty())
      Out.push_back(*N);
  return Out;
}

class Consumer : public ASTConsumer {
public:
  Consumer(CompilerInstance &CI, const Profile &P, TUResult &R,
           const DriverOptions &O, StringRef PrefixHeader)
      : PrefixHeader(PrefixHeader), Iomem(P.TheModel->spellings().Iomem),
        Annotations(annotationNames(P.TheModel->spellings())), CI(CI), P(P), R(R),
        O(O) {}

  bool shouldSkipFunctionBody(Decl *D) override {
    // Bodies outside the driver's own files are described by the model.
    const SourceManager &SM = CI.getSourceManager();
    StringRef Main = SM.getFileEntryRefForID(SM.getMainFileID())->getName();
    return outsideDriver(D, SM, sys::path::parent_path(Main));
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (CI.getDiagnostics().hasErrorOccurred())
      return;
    if (O.Cache) {
      const SourceManager &SM0 = Ctx.getSourceManager();
      for (auto It = SM0.fileinfo_begin(); It != SM0.fileinfo_end(); ++It)
        R.Deps.push_back(absolutePath(SM0, It->first.getName()));
      // The headers of a shared prefix were read when it was precompiled.
      if (IntrusiveRefCntPtr<ASTReader> Rd = CI.getASTReader())
        Rd->visitInputFileInfos(
            Rd->getModuleManager().getPrimaryModule(), /*IncludeSystem=*/true,
            [&](const serialization::InputFileInfo &IFI, bool) {
              if (IFI.Filename != PrefixHeader)
                R.Deps.push_back(absolutePath(SM0, IFI.Filename));
            });
      R.Deps.insert(R.Deps.end(), P.Files.begin(), P.Files.end());
      llvm::sort(R.Deps);
      R.Deps.erase(std::unique(R.Deps.begin(), R.Deps.end()), R.Deps.end());
    }
    TUFacts Facts;
    SourceFiles Files(Ctx.getSourceManager(), Facts);
    extractFacts(Ctx, *P.TheModel, Facts, Files, &Iomem, &Annotations);
    // KDLINT_FACTS_ROUNDTRIP=1 (the suite's round-trip run): the analysis
    // reads the facts' JSON round trip, which must say everything it needs.
    TUFacts Copy;
    const TUFacts *Use = &Facts;
    if (getenv("KDLINT_FACTS_ROUNDTRIP")) {
      std::string Text;
      raw_string_ostream(Text) << factsToJSON(Facts, *P.TheModel);
      Expected<json::Value> V = json::parse(Text);
      if (!V)
        report_fatal_error(V.takeError());
      if (Error E = factsFromJSON(*V, *P.TheModel, Copy))
        report_fatal_error(std::move(E));
      Use = &Copy;
      Files.attach(Copy); // the link's evidence files go to the copy's table
    }
    TUAnalysis A(*Use, *P.TheModel);
    A.setModule(kbuildModName(CI.getPreprocessor()));
    if (O.Link)
      A.setLink(O.Link, [this, &Files](const RemoteStep &St) {
        // Evidence in another file of the run: load it, so notes point there.
        SourceManager &SM = CI.getSourceManager();
        auto FE = SM.getFileManager().getOptionalFileRef(St.File);
        if (!FE || !St.Line)
          return SourceLoc();
        FileID FID = SM.getOrCreateFileID(*FE, SrcMgr::C_User);
        return Files.place(FID, St.Line, std::max(1u, St.Column));
      });
    A.run();
    if (O.CrossTU && !O.Kbuild)
      R.Exports = A.exports();
    if (getenv("KDLINT_DUMP_FACTS")) {
      dumpFacts(Facts, errs());
      errs() << "exports: " << json::Value(exportsToJSON(R.Exports)) << "\n";
    }
    ReportSetup Setup;
    Setup.Found = &R.Found;
    Setup.Baseline = O.BaselineFingerprints.get();
    Setup.SrcRoot = O.SrcRoot;
    const SourceManager &SM = Ctx.getSourceManager();
    for (const auto &F : Facts.Functions) {
      if (!F->FD)
        continue;
      std::pair<FileID, unsigned> B = SM.getDecomposedLoc(Files.location(F->Begin)),
                                  E = SM.getDecomposedLoc(Files.location(F->End));
      if (B.first.isValid() && B.first == E.first)
        Setup.Functions.push_back({B.first, B.second, E.second, F->Name});
    }
    Reporter Rep(CI, Files, R.Output, O.Color,
                 O.ExportFixes.empty() ? nullptr : &R.Exported, std::move(Setup));
    for (const CheckInfo &C : allChecks()) {
      if (!globsEnable(P.Checks, C.Name))
        continue;
      std::unique_ptr<Check> Chk = C.Create();
      Chk->configure(P.Options);
      Chk->run(A, Rep);
    }
    R.Findings = Rep.count();
    R.Analysed = true;
  }

private:
  std::string PrefixHeader;
  IomemIndex Iomem;
  AnnotationIndex Annotations;
  CompilerInstance &CI;
  const Profile &P;
  TUResult &R;
  const DriverOptions &O;
};

/// In a forked worker: the TU it runs is its last (see runForked).
bool LeaveASTToExit = false;

class Action : public ASTFrontendAction {
public:
  Action(const Profile &P, TUResult &R, const DriverOptions &O, StringRef PrefixHeader)
      : P(P), R(R), O(O), PrefixHeader(PrefixHeader) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    if (!O.ParseHeaderBodies)
      CI.getFrontendOpts().SkipFunctionBodies = true;
    // A worker's last TU leaves the AST, Sema and the source manager to the
    // exit, as clang -cc1 does (-disable-free), instead of freeing them
    // object by object; the others free them for the next TU to reuse.
    if (LeaveASTToExit)
      CI.getFrontendOpts().DisableFree = true;
    return std::make_unique<Consumer>(CI, P, R, O, PrefixHeader);
  }

private:
  const Profile &P;
  TUResult &R;
  const DriverOptions &O;
  std::string PrefixHeader;
};

/// ClangTool's factory of the one action a run makes.
class ActionFactory : public FrontendActionFactory {
public:
  explicit ActionFactory(std::function<std::unique_ptr<FrontendAction>()> Make)
      : Make(std::move(Make)) {}
  std::unique_ptr<FrontendAction> create() override { return Make(); }

private:
  std::function<std::unique_ptr<FrontendAction>()> Make;
};

/// Skips, while a shared prefix is precompiled, the bodies its members' own
/// parse would skip.
class PrefixSkip : public ASTConsumer {
public:
  PrefixSkip(CompilerInstance &CI, StringRef Dir) : CI(CI), Dir(Dir) {}
  bool shouldSkipFunctionBody(Decl *D) override {
    return outsideDriver(D, CI.getSourceManager(), Dir);
  }

private:
  CompilerInstance &CI;
  std::string Dir;
};

/// Notes a header the prefix includes that is not include-guarded: a member
/// would read it twice (its own copy of the line is then no no-op).
class GuardCheck : public PPCallbacks {
public:
  GuardCheck(Preprocessor &PP, bool &Unsafe) : PP(PP), Unsafe(Unsafe) {}
  void InclusionDirective(SourceLocation Hash, const Token &, StringRef, bool,
                          CharSourceRange, OptionalFileEntryRef File, StringRef,
                          StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    // The header's own lines; not the command line's -include files.
    const SourceManager &SM = PP.getSourceManager();
    if (SM.getFileID(SM.getExpansionLoc(Hash)) == SM.getMainFileID()) {
      if (File)
        Top.push_back(*File);
      else
        Unsafe = true;
    }
  }
  void EndOfMainFile() override {
    for (FileEntryRef F : Top)
      if (!PP.getHeaderSearchInfo().isFileMultipleIncludeGuarded(F))
        Unsafe = true;
  }

private:
  Preprocessor &PP;
  bool &Unsafe;
  std::vector<FileEntryRef> Top;
};

/// Notes a test of one of the names each member defines for itself
/// (`#ifdef KBUILD_MODNAME`): the prefix, precompiled without them, would
/// not be what a member's parse sees. (An expansion in code the prefix parses
/// would not compile without them, and fails the build.)
class OwnNameCheck : public PPCallbacks {
public:
  explicit OwnNameCheck(bool &Tested) : Tested(Tested) {}
  void Ifdef(SourceLocation, const Token &T, const MacroDefinition &) override {
    check(T);
  }
  void Ifndef(SourceLocation, const Token &T, const MacroDefinition &) override {
    check(T);
  }
  void Elifdef(SourceLocation, const Token &T, const MacroDefinition &) override {
    check(T);
  }
  void Elifndef(SourceLocation, const Token &T, const MacroDefinition &) override {
    check(T);
  }
  void Defined(const Token &T, const MacroDefinition &, SourceRange) override {
    check(T);
  }

private:
  void check(const Token &T) {
    if (const IdentifierInfo *II = T.getIdentifierInfo())
      if (is_contained(ownMacroNames(), II->getName()))
        Tested = true;
  }
  bool &Tested;
};

class PrefixAction : public GeneratePCHAction {
public:
  PrefixAction(const DriverOptions &O, StringRef Dir, StringRef Out, bool &Unsafe)
      : O(O), Dir(Dir), Out(Out), Unsafe(Unsafe) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef InFile) override {
    CI.getFrontendOpts().OutputFile = Out;
    if (!O.ParseHeaderBodies)
      CI.getFrontendOpts().SkipFunctionBodies = true;
    std::unique_ptr<ASTConsumer> PCH = GeneratePCHAction::CreateASTConsumer(CI, InFile);
    if (!PCH)
      return nullptr;
    CI.getPreprocessor().addPPCallbacks(
        std::make_unique<GuardCheck>(CI.getPreprocessor(), Unsafe));
    CI.getPreprocessor().addPPCallbacks(std::make_unique<OwnNameCheck>(Unsafe));
    std::vector<std::unique_ptr<ASTConsumer>> Cs;
    Cs.push_back(std::move(PCH));
    Cs.push_back(std::make_unique<PrefixSkip>(CI, Dir));
    return std::make_unique<MultiplexConsumer>(std::move(Cs));
  }

private:
  const DriverOptions &O;
  std::string Dir, Out;
  bool &Unsafe;
};


/// The one command of a TU, whatever path ClangTool asks with.
class SingleCommandDatabase : public CompilationDatabase {
public:
  explicit SingleCommandDatabase(CompileCommand C) : C(std::move(C)) {}
  std::vector<CompileCommand> getCompileCommands(StringRef) const override {
    return {C};
  }

private:
  CompileCommand C;
};

/// Everything besides a TU's command and the files it reads that its result
/// depends on: this binary (by content: a rebuilt kdlint is another
/// analyzer), and the options that change what it finds or prints. Config and
/// model files are the TU's dependencies (TUResult::Deps).
std::string cacheFingerprint(const DriverOptions &O) {
  static std::string Self = [] {
    std::string Exe = sys::fs::getMainExecutable(nullptr, nullptr);
    auto B = MemoryBuffer::getFile(Exe, false, false);
    return std::string(KDLINT_VERSION) + "/" +
           (B ? utohexstr(xxh3_64bits(arrayRefFromStringRef((*B)->getBuffer())))
              : std::string("?"));
  }();
  std::string Baseline;
  if (O.BaselineFingerprints)
    for (const auto &F : *O.BaselineFingerprints)
      Baseline += F.getKey().str() + "\n";
  SmallVector<StringRef, 16> Parts{Self, O.Checks, O.ConfigFile, O.Format,
                                   O.Color ? "color" : "plain", O.SrcRoot,
                                   O.ParseHeaderBodies ? "bodies" : "nobodies",
                                   O.CrossTU ? "xtu" : "noxtu",
                                   O.ExportFixes.empty() ? "nofixes" : "fixes"};
  for (const std::string &M : O.ModelFiles)
    Parts.push_back(M);
  std::string Extra = join(O.ExtraArgsBefore, " ") + "|" + join(O.ExtraArgs, " ");
  Parts.push_back(Extra);
  // Findings in the baseline are left out by the worker.
  std::string B2 = ResultCache::key({Baseline});
  Parts.push_back(B2);
  return ResultCache::key(Parts);
}

/// Parses and analyses one TU, with the precompiled shared prefix \p Pch
/// (made from \p PrefixHeader) if there is one; everything it prints goes
/// into \p R.
void parseOne(const CompilationDatabase &DB, const CompileCommand &Cmd,
              ConfigCache &Configs, const DriverOptions &O, TUResult &R,
              StringRef Pch, StringRef PrefixHeader) {
  std::string Abs = sourcePath(Cmd);
  raw_string_ostream Err(R.Errors);
  auto Edited = O.Unsaved ? O.Unsaved->find(Abs) : StringMap<std::string>::const_iterator();
  auto Content = O.Unsaved && Edited != O.Unsaved->end()
                     ? ErrorOr<std::unique_ptr<MemoryBuffer>>(
                           MemoryBuffer::getMemBuffer(Edited->second, Abs))
                     : MemoryBuffer::getFile(Abs);
  if (!Content) {
    Err << "error: cannot read '" << Abs << "': " << Content.getError().message()
        << "\n";
    return;
  }
  const Profile *P = Configs.forFile(Abs);
  if (!P) {
    Err << "error: '" << Abs << "' not analysed: bad configuration (above)\n";
    return;
  }
  // Append the probe that makes the TU evaluate the model's macros itself.
  std::string Source = (*Content)->getBuffer().str() + probeSource(*P->TheModel);

  SingleCommandDatabase One(Cmd);
  // A file system of its own per TU: the process-wide one chdir()s, which
  // races between -j threads.
  ClangTool Tool(One, {std::string(Abs)},
                 std::make_shared<PCHContainerOperations>(),
                 vfs::createPhysicalFileSystem());
  Tool.mapVirtualFile(Abs, Source);
  Tool.clearArgumentsAdjusters();
  Tool.appendArgumentsAdjuster(getClangStripOutputAdjuster());
  Tool.appendArgumentsAdjuster(
      [&O, Pch](const CommandLineArguments &Args, StringRef) {
        CommandLineArguments A = sanitizeArgs(Args);
        A.insert(A.begin() + 1, O.ExtraArgsBefore.begin(), O.ExtraArgsBefore.end());
        if (!Pch.empty())
          A.insert(A.begin() + 1, {"-include-pch", Pch.str()});
        A.insert(A.end(), O.ExtraArgs.begin(), O.ExtraArgs.end());
        A.push_back("-fsyntax-only");
        return A;
      });
  auto DiagOpts = IntrusiveRefCntPtr<DiagnosticOptions>(new DiagnosticOptions());
  DiagOpts->ShowColors = O.Color;
  TextDiagnosticPrinter Printer(Err, DiagOpts.get());
  Tool.setDiagnosticConsumer(&Printer);
  Tool.setPrintErrorMessage(false);
  ActionFactory F([&] { return std::make_unique<Action>(*P, R, O, PrefixHeader); });
  Tool.run(&F);
  if (!R.Analysed)
    Err << "error: '" << Abs
        << "' could not be analysed: it does not parse (errors above)\n";
}

/// Runs one TU; everything it prints goes into \p R. With a precompiled
/// shared prefix (\p Pch, made from \p PrefixHeader), a TU that does not
/// parse so is parsed again whole, and only that parse speaks. Returns
/// whether it was parsed with the prefix.
bool runOne(const CompilationDatabase &DB, const CompileCommand &Cmd,
            ConfigCache &Configs, const DriverOptions &O, TUResult &R,
            StringRef Pch = "", StringRef PrefixHeader = "") {
  if (!Pch.empty()) {
    TUResult With;
    With.File = R.File;
    parseOne(DB, Cmd, Configs, O, With, Pch, PrefixHeader);
    if (With.Analysed) {
      R = std::move(With);
      return true;
    }
    if (getenv("KDLINT_TRACE_PREFIX"))
      errs() << "kdlint: " << sourcePath(Cmd)
             << " does not parse with its shared prefix; parsed whole:\n"
             << With.Errors;
  }
  parseOne(DB, Cmd, Configs, O, R, "", "");
  return false;
}

/// Precompiles \p G's prefix into \p Pch (from the header \p Header,
/// written here); false if it cannot be, or is not safe to share.
bool buildPrefix(const PrefixGroup &G, StringRef Header, StringRef Pch,
                 const DriverOptions &O, std::string &Errors) {
  raw_string_ostream Err(Errors);
  {
    std::error_code EC;
    raw_fd_ostream H(Header, EC);
    if (EC) {
      Err << "cannot write '" << Header << "': " << EC.message() << "\n";
      return false;
    }
    H << prefixHeaderText(G);
  }
  CompileCommand C = G.Cmd;
  C.Filename = Header.str();
  C.CommandLine = prefixCommandLine(G, Header);
  C.Output.clear();
  SingleCommandDatabase One(C);
  ClangTool Tool(One, {C.Filename}, std::make_shared<PCHContainerOperations>(),
                 vfs::createPhysicalFileSystem());
  Tool.clearArgumentsAdjusters();
  Tool.appendArgumentsAdjuster([&O](const CommandLineArguments &Args, StringRef) {
    CommandLineArguments A = sanitizeArgs(Args);
    A.insert(A.begin() + 1, O.ExtraArgsBefore.begin(), O.ExtraArgsBefore.end());
    A.insert(A.end(), O.ExtraArgs.begin(), O.ExtraArgs.end());
    A.push_back("-fsyntax-only");
    return A;
  });
  auto DiagOpts = IntrusiveRefCntPtr<DiagnosticOptions>(new DiagnosticOptions());
  TextDiagnosticPrinter Printer(Err, DiagOpts.get());
  Tool.setDiagnosticConsumer(&Printer);
  Tool.setPrintErrorMessage(false);
  bool Unsafe = false;
  ActionFactory F([&] { return std::make_unique<PrefixAction>(O, G.Dir, Pch, Unsafe); });
  int RC = Tool.run(&F);
  if (RC == 0 && !Unsafe && sys::fs::exists(Pch))
    return true;
  if (Unsafe)
    Err << "a header of the prefix is not include-guarded, or tests a name "
           "each file defines for itself\n";
  sys::fs::remove(Pch);
  return false;
}

/// Runs one TU of a server's call (DriverOptions::Warm), with the shared
/// prefix the server's calls have learned for it (PrefixStore.h).
void runWarm(const CompilationDatabase &DB, const CompileCommand &Cmd,
             ConfigCache &Configs, const DriverOptions &O, TUResult &R) {
  LearnedPrefix P;
  std::string Path = sourcePath(Cmd);
  ErrorOr<std::unique_ptr<MemoryBuffer>> Text = std::errc::no_such_file_or_directory;
  if (!O.LearnDir.empty() && O.SharedPrefixMin)
    Text = MemoryBuffer::getFile(Path);
  if (Text) {
    const bool Trace = getenv("KDLINT_TRACE_PREFIX");
    // The second file of a directory and flags to share a prefix precompiles
    // it (a run, which knows its files, waits for SharedPrefixMin): on the
    // bench's 60 TUs one at a time, 11.9 to 12.1 CPU-s, and 12.4 at the third.
    P = learnPrefix(O.LearnDir, Cmd, (*Text)->getBuffer(), /*MinMembers=*/2,
                    [&](const PrefixGroup &G, StringRef Header, StringRef Pch) {
                      std::string Why;
                      bool Built = buildPrefix(G, Header, Pch, O, Why);
                      if (Trace)
                        errs() << "kdlint: learned prefix (" << G.Lines.size()
                               << " lines) " << (Built ? "precompiled" : "not precompiled")
                               << "\n"
                               << Why;
                      return Built;
                    });
    if (Trace && !P.Pch.empty())
      errs() << "kdlint: " << Path << " parsed with a learned prefix (" << P.Lines
             << " lines)\n";
  }
  // Parsed whole but not with the prefix: the prefix is stale (a header
  // changed since), so the next call that shares it builds it again.
  if (!runOne(DB, Cmd, Configs, O, R, P.Pch, P.Header) && !P.Pch.empty() && R.Analysed)
    forgetPrefix(O.LearnDir, P);
}

// ---- Progress line ------------------------------------------------------------

std::string formatDuration(double Secs) {
  unsigned S = unsigned(Secs + 0.5);
  char Buf[32];
  if (S >= 3600)
    snprintf(Buf, sizeof Buf, "%uh%02um%02us", S / 3600, S / 60 % 60, S % 60);
  else if (S >= 60)
    snprintf(Buf, sizeof Buf, "%um%02us", S / 60, S % 60);
  else
    snprintf(Buf, sizeof Buf, "%us", S);
  return Buf;
}

/// `kdlint: 120/2000 TUs, 1m05s elapsed, ETA 16m58s` on stderr, redrawn in
/// place with \r; only when stderr is a terminal (the caller decides).
class ProgressLine {
public:
  ProgressLine(bool Enabled, size_t Total) : Enabled(Enabled && Total > 1), Total(Total) {}
  /// Erases the line before anything else is printed.
  void clear() {
    if (Shown)
      errs() << "\r\x1b[K";
    Shown = false;
  }
  void draw(size_t Done, bool Force) {
    if (!Enabled)
      return;
    auto Now = std::chrono::steady_clock::now();
    if (!Force && Shown && Now - LastDraw < std::chrono::milliseconds(250))
      return;
    LastDraw = Now;
    double Elapsed = std::chrono::duration<double>(Now - Start).count();
    std::string Line = "kdlint: " + std::to_string(Done) + "/" + std::to_string(Total) +
                       " TUs, " + formatDuration(Elapsed) + " elapsed";
    if (Done > 0 && Done < Total)
      Line += ", ETA " + formatDuration(Elapsed / Done * (Total - Done));
    errs() << "\r" << Line << "\x1b[K";
    Shown = true;
  }

private:
  bool Enabled;
  size_t Total;
  bool Shown = false;
  std::chrono::steady_clock::time_point Start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point LastDraw;
};

// ---- Workers: forked processes, one TU at a time each -------------------------

/// What a worker sends back: counts, the two output streams, exported fixes.
/// \p WithDeps: the files it read (a cache entry lists them already).
std::string encodeResult(const TUResult &R, bool WithDeps = true) {
  std::string B;
  putU64(B, R.Findings);
  putU64(B, R.Analysed);
  putStr(B, R.Output);
  putStr(B, R.Errors);
  std::string Y;
  if (!R.Exported.empty()) {
    tooling::TranslationUnitDiagnostics TUD;
    TUD.Diagnostics = R.Exported;
    raw_string_ostream OS(Y);
    yaml::Output Out(OS);
    Out << TUD;
  }
  putStr(B, Y);
  json::Array Found;
  for (const Finding &F : R.Found)
    Found.push_back(toJSON(F));
  std::string J;
  raw_string_ostream(J) << json::Value(std::move(Found));
  putStr(B, J);
  std::string X;
  raw_string_ostream(X) << json::Value(exportsToJSON(R.Exports));
  putStr(B, X);
  putStr(B, WithDeps ? join(R.Deps, StringRef("\0", 1)) : std::string());
  return B;
}

bool decodeResult(StringRef B, TUResult &R) {
  uint64_t Findings, Analysed;
  std::string Y, J;
  std::string X, D;
  if (!getU64(B, Findings) || !getU64(B, Analysed) || !getStr(B, R.Output) ||
      !getStr(B, R.Errors) || !getStr(B, Y) || !getStr(B, J) || !getStr(B, X) ||
      !getStr(B, D) || !B.empty())
    return false;
  R.Deps.clear();
  if (!D.empty()) {
    SmallVector<StringRef, 64> Parts;
    StringRef(D).split(Parts, StringRef("\0", 1));
    for (StringRef P : Parts)
      R.Deps.push_back(P.str());
  }
  if (Expected<json::Value> XV = json::parse(X)) {
    if (!exportsFromJSON(*XV, R.Exports))
      return false;
  } else {
    consumeError(XV.takeError());
    return false;
  }
  Expected<json::Value> V = json::parse(J);
  if (!V) {
    consumeError(V.takeError());
    return false;
  }
  json::Path::Root Root;
  if (!fromJSON(*V, R.Found, Root))
    return false;
  R.Findings = Findings;
  R.Analysed = Analysed;
  if (!Y.empty()) {
    tooling::TranslationUnitDiagnostics TUD;
    yaml::Input In(Y);
    In >> TUD;
    if (In.error())
      return false;
    R.Exported = std::move(TUD.Diagnostics);
  }
  return true;
}

struct Worker {
  pid_t Pid = -1;
  int CmdFd = -1;               ///< its jobs
  int ResFd = -1, ErrFd = -1;   ///< its results, and whatever it printed
  std::string Res, Err;
  bool Busy = false;            ///< on a job
  bool Closing = false;         ///< given its last job
  size_t Index = 0;             ///< the job's TU
  int Prefix = -1;              ///< or the shared prefix it precompiles
  std::chrono::steady_clock::time_point Start;
  bool TimedOut = false;
};

/// A worker's job: precompile prefix Build, or (Build < 0) analyse TU Index
/// with the precompiled prefix Pch (< 0: whole). Last: exit after it.
struct WorkerJob {
  int32_t Build = -1;
  uint32_t Index = 0;
  int32_t Pch = -1;
  uint32_t Last = 0;
};

/// A worker runs at most this many jobs, and none more once it has grown this
/// much past what it shares with the parent (a kernel-wide compile db is a
/// gigabyte): what clang and kdlint keep between TUs (interned names, caches)
/// only grows.
constexpr unsigned WorkerMaxJobs = 64;
constexpr uint64_t WorkerMaxGrowth = uint64_t(2) << 30;

/// Runs every TU in worker processes forked from this one (which has loaded
/// the model and the compile db already), at most \p Jobs at a time, each
/// worker one TU after another. A worker that crashes or runs over the time
/// limit loses only its TU.
/// \p Finish is called, in this process, as each TU completes.
void runForked(const CompilationDatabase &DB, const std::vector<CompileCommand> &Cmds,
               ConfigCache &Configs, const DriverOptions &O,
               std::vector<TUResult> &Results, unsigned Jobs,
               const std::function<void(size_t)> &Finish,
               const std::function<void()> &Tick) {
  using Clock = std::chrono::steady_clock;
  const bool Trace = getenv("KDLINT_TRACE_PREFIX");
  // Shared prefixes (SharedPrefix.h): planned over this call's TUs, each
  // precompiled by a worker of its own before its members start, and removed
  // after its last member.
  PrefixPlan Plan;
  Plan.GroupOf.assign(Cmds.size(), -1);
  SmallString<128> PrefixDir;
  if (O.SharedPrefixMin && Cmds.size() >= O.SharedPrefixMin) {
    Plan = planPrefixes(Cmds, O.SharedPrefixMin, [&](const std::string &Path,
                                                     std::string &Text) {
      if (O.Unsaved)
        if (auto It = O.Unsaved->find(Path); It != O.Unsaved->end()) {
          Text = It->second;
          return true;
        }
      auto B = MemoryBuffer::getFile(Path);
      if (B)
        Text = (*B)->getBuffer().str();
      return bool(B);
    });
    if (Trace)
      errs() << "kdlint: " << Plan.Groups.size() << " shared prefixes for "
             << Cmds.size() << " files\n";
    if (!Plan.Groups.empty() &&
        sys::fs::createUniqueDirectory("kdlint-prefix", PrefixDir)) {
      Plan.Groups.clear();
      Plan.GroupOf.assign(Cmds.size(), -1);
    }
  }
  enum class PrefixState { Unbuilt, Building, Ready, Failed };
  std::vector<PrefixState> State(Plan.Groups.size(), PrefixState::Unbuilt);
  std::vector<size_t> Left(Plan.Groups.size());
  for (size_t G = 0; G < Plan.Groups.size(); ++G)
    Left[G] = Plan.Groups[G].Members.size();
  auto PrefixFile = [&](int G, StringRef Ext) {
    return (PrefixDir + "/prefix-" + Twine(G) + Ext).str();
  };
  // Each group's members together, where its first member comes.
  std::deque<size_t> Pending;
  {
    std::vector<bool> Queued(Plan.Groups.size(), false);
    for (size_t I = 0; I < Cmds.size(); ++I) {
      int G = Plan.GroupOf[I];
      if (G < 0)
        Pending.push_back(I);
      else if (!Queued[G]) {
        Queued[G] = true;
        Pending.insert(Pending.end(), Plan.Groups[G].Members.begin(),
                       Plan.Groups[G].Members.end());
      }
    }
  }
  // Workers are forked on demand, at most Jobs of them, and each runs job
  // after job (a TU, or a prefix to precompile) until it has run enough or
  // grown too big: a TU's memory, freed, serves the next one instead of being
  // faulted in and zeroed anew by a fresh process. A worker that crashes or
  // runs over the time limit loses only the TU it was on.
  for (const CompileCommand &C : Cmds)
    Configs.forFile(sourcePath(C)); // loaded once here, inherited by every worker
  struct sigaction IgnorePipe = {}, OldPipe;
  IgnorePipe.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &IgnorePipe, &OldPipe); // a worker gone: write() fails
  std::vector<Worker> Active;
  auto Spawn = [&]() -> Worker * {
    int CmdP[2], ResP[2], ErrP[2];
    if (::pipe(CmdP) != 0)
      return nullptr;
    if (::pipe(ResP) != 0) {
      ::close(CmdP[0]);
      ::close(CmdP[1]);
      return nullptr;
    }
    if (::pipe(ErrP) != 0) {
      for (int Fd : {CmdP[0], CmdP[1], ResP[0], ResP[1]})
        ::close(Fd);
      return nullptr;
    }
    outs().flush();
    pid_t Pid = ::fork();
    if (Pid == 0) {
      // The worker: its stdout and stderr (compiler crash reports, debug
      // dumps) go back to the parent through ErrP, its results through ResP.
      ::close(CmdP[1]);
      ::close(ResP[0]);
      ::close(ErrP[0]);
      for (const Worker &W : Active)
        for (int Fd : {W.CmdFd, W.ResFd, W.ErrFd})
          if (Fd >= 0)
            ::close(Fd);
      ::dup2(ErrP[1], 1);
      ::dup2(ErrP[1], 2);
      ::close(ErrP[1]);
#ifdef __linux__
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
      keepFreedMemory();
      const uint64_t Born = residentBytes();
      for (unsigned Ran = 0;; ++Ran) {
        WorkerJob J;
        if (!readAll(CmdP[0], &J, sizeof J))
          ::_exit(0);
        std::string Out;
        if (J.Build >= 0) {
          std::string Why;
          bool Built = buildPrefix(Plan.Groups[J.Build], PrefixFile(J.Build, ".h"),
                                   PrefixFile(J.Build, ".pch"), O, Why);
          if (Trace && !Built)
            errs() << Why;
          putU64(Out, Built);
        } else {
          // The last job of a worker leaves its AST to the exit, as clang -cc1
          // does (-disable-free), instead of freeing it object by object.
          LeaveASTToExit = J.Last;
          TUResult R;
          R.File = Results[J.Index].File;
          std::string Pch = J.Pch >= 0 ? PrefixFile(J.Pch, ".pch") : std::string();
          runOne(DB, Cmds[J.Index], Configs, O, R, Pch,
                 Pch.empty() ? "" : PrefixFile(J.Pch, ".h"));
          Out = encodeResult(R);
        }
        // What it printed goes first, so the parent has it with the result.
        outs().flush();
        errs().flush();
        // It says whether it takes another job, so none is sent to it after.
        bool Exit =
            J.Last || Ran + 1 >= WorkerMaxJobs || residentBytes() > Born + WorkerMaxGrowth;
        std::string Frame;
        putU64(Frame, Out.size());
        putU64(Frame, Exit);
        if (!writeAll(ResP[1], Frame + Out))
          ::_exit(1);
        if (Exit)
          ::_exit(0);
      }
    }
    ::close(CmdP[0]);
    ::close(ResP[1]);
    ::close(ErrP[1]);
    if (Pid < 0) {
      for (int Fd : {CmdP[1], ResP[0], ErrP[0]})
        ::close(Fd);
      return nullptr;
    }
    // The parent drains a worker's stderr when its result comes in.
    ::fcntl(ErrP[0], F_SETFL, ::fcntl(ErrP[0], F_GETFL) | O_NONBLOCK);
    Worker W;
    W.Pid = Pid;
    W.CmdFd = CmdP[1];
    W.ResFd = ResP[0];
    W.ErrFd = ErrP[0];
    Active.push_back(std::move(W));
    return &Active.back();
  };
  // A prefix's end: its files go after its last member.
  auto MemberDone = [&](size_t Index) {
    if (int G = Plan.GroupOf[Index]; G >= 0 && !--Left[G]) {
      for (StringRef Ext : {".h", ".pch"}) {
        sys::fs::remove(PrefixFile(G, Ext));
        sys::DontRemoveFileOnSignal(PrefixFile(G, Ext));
      }
    }
  };
  // A job's end: \p Why says why it has no result (a crash, the time limit).
  auto Complete = [&](Worker &W, StringRef Payload, StringRef Why) {
    W.Busy = false;
    if (W.Prefix >= 0) {
      uint64_t Built = 0;
      StringRef P = Payload;
      Built = Why.empty() && getU64(P, Built) && Built;
      State[W.Prefix] = Built ? PrefixState::Ready : PrefixState::Failed;
      if (Trace)
        errs() << W.Err << "kdlint: shared prefix " << W.Prefix << " ("
               << Plan.Groups[W.Prefix].Lines.size() << " lines, "
               << Plan.Groups[W.Prefix].Members.size() << " files) "
               << (Built ? "precompiled" : "not precompiled") << "\n";
      W.Err.clear();
      W.Prefix = -1;
      return;
    }
    TUResult &R = Results[W.Index];
    std::string Abs = sourcePath(Cmds[W.Index]);
    std::string Reason = Why.str();
    if (Reason.empty() && !decodeResult(Payload, R))
      Reason = "kdlint worker sent a malformed result";
    if (Reason.empty()) {
      R.Errors = W.Err + R.Errors;
    } else {
      R = TUResult{};
      R.File = Cmds[W.Index].Filename;
      R.Errors = W.Err + "error: '" + Abs + "' not analysed (" + Reason + ")\n";
    }
    W.Err.clear();
    Finish(W.Index);
    MemberDone(W.Index);
  };
  auto Idle = [&]() -> Worker * {
    for (Worker &W : Active)
      if (!W.Busy && W.ResFd >= 0 && !W.Closing)
        return &W;
    return nullptr;
  };
  size_t Busy = 0;
  while (!Pending.empty() || Busy) {
    while (Busy < Jobs) {
      // The first pending TU that can start, or the prefix it waits for.
      int Build = -1;
      auto It = Pending.begin();
      for (; It != Pending.end(); ++It) {
        int G = Plan.GroupOf[*It];
        if (G < 0 || State[G] == PrefixState::Ready || State[G] == PrefixState::Failed)
          break;
        if (State[G] == PrefixState::Unbuilt) {
          Build = G;
          break;
        }
      }
      if (It == Pending.end())
        break;
      size_t I = *It;
      std::string Abs = sourcePath(Cmds[I]);
      Worker *W = Idle();
      if (!W)
        W = Spawn();
      if (!W) {
        if (Build >= 0) {
          State[Build] = PrefixState::Failed;
          continue;
        }
        Pending.erase(It);
        Results[I].Errors = "error: '" + Abs + "' not analysed (cannot start a worker: " +
                            std::string(strerror(errno)) + ")\n";
        Finish(I);
        MemberDone(I);
        continue;
      }
      if (Build >= 0) {
        State[Build] = PrefixState::Building;
        // An interrupted run leaves no precompiled prefix behind.
        for (StringRef Ext : {".h", ".pch"})
          sys::RemoveFileOnSignal(PrefixFile(Build, Ext));
      } else {
        Pending.erase(It);
      }
      int G = Plan.GroupOf[I];
      WorkerJob J;
      J.Build = Build;
      J.Index = I;
      J.Pch = Build < 0 && G >= 0 && State[G] == PrefixState::Ready ? G : -1;
      // Nothing left to give it after this: it leaves its AST to the exit.
      J.Last = Build < 0 && Pending.empty();
      if (Trace && Build < 0 && G >= 0)
        errs() << "kdlint: " << Abs
               << (J.Pch < 0 ? " parsed whole (its shared prefix failed)\n"
                             : " parsed with shared prefix " + Twine(G) + "\n");
      W->Busy = true;
      W->TimedOut = false;
      W->Index = I;
      W->Prefix = Build;
      W->Start = Clock::now();
      W->Closing = J.Last;
      ++Busy;
      if (!writeAll(W->CmdFd, StringRef(reinterpret_cast<const char *>(&J), sizeof J))) {
        // Gone before it could take the job: it is reaped below, and the job
        // reported with the reason.
        ::kill(W->Pid, SIGKILL);
      }
    }

    // Wait for output, a worker's end, the next deadline or the next redraw.
    std::vector<pollfd> Fds;
    for (const Worker &W : Active) {
      if (W.ResFd >= 0)
        Fds.push_back({W.ResFd, POLLIN, 0});
      if (W.ErrFd >= 0)
        Fds.push_back({W.ErrFd, POLLIN, 0});
    }
    int WaitMs = 500;
    auto Now = Clock::now();
    if (O.TUTimeout)
      for (const Worker &W : Active)
        if (W.Busy && !W.TimedOut) {
          auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          W.Start + std::chrono::seconds(O.TUTimeout) - Now)
                          .count();
          WaitMs = std::max<int>(0, std::min<long long>(WaitMs, Left + 1));
        }
    if (!Fds.empty() && ::poll(Fds.data(), Fds.size(), WaitMs) < 0 && errno != EINTR)
      break;
    char Buf[65536];
    for (const pollfd &P : Fds) {
      if (!(P.revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      for (Worker &W : Active) {
        if (P.fd != W.ResFd && P.fd != W.ErrFd)
          continue;
        ssize_t N = ::read(P.fd, Buf, sizeof Buf);
        if (N < 0 && (errno == EINTR || errno == EAGAIN))
          break;
        if (N <= 0) {
          ::close(P.fd);
          (P.fd == W.ResFd ? W.ResFd : W.ErrFd) = -1;
          break;
        }
        (P.fd == W.ResFd ? W.Res : W.Err).append(Buf, N);
        // A whole result: the job is done; what the worker printed before
        // it is in its stderr pipe already.
        uint64_t Size, Exit;
        StringRef Head = W.Res;
        if (P.fd == W.ResFd && W.Busy && getU64(Head, Size) && getU64(Head, Exit) &&
            Head.size() >= Size) {
          W.Closing |= Exit != 0;
          for (ssize_t M; W.ErrFd >= 0 && (M = ::read(W.ErrFd, Buf, sizeof Buf)) > 0;)
            W.Err.append(Buf, M);
          std::string Payload = Head.take_front(Size).str();
          W.Res = Head.drop_front(Size).str();
          --Busy;
          Complete(W, Payload, "");
        }
        break;
      }
    }

    // The watchdog.
    Now = Clock::now();
    if (O.TUTimeout)
      for (Worker &W : Active)
        if (W.Busy && !W.TimedOut &&
            Now - W.Start >= std::chrono::seconds(O.TUTimeout)) {
          ::kill(W.Pid, SIGKILL);
          W.TimedOut = true;
        }

    // Reap the workers whose pipes are closed: done with their jobs, or dead
    // in the middle of one.
    for (size_t K = 0; K < Active.size();) {
      Worker &W = Active[K];
      if (W.ResFd >= 0 || W.ErrFd >= 0) {
        ++K;
        continue;
      }
      int Status = 0;
      while (::waitpid(W.Pid, &Status, 0) < 0 && errno == EINTR)
        ;
      ::close(W.CmdFd);
      if (W.Busy) {
        std::string Why;
        if (W.TimedOut)
          Why = "timed out after " + std::to_string(O.TUTimeout) + " s";
        else if (WIFSIGNALED(Status))
          Why = "kdlint crashed: signal " + std::to_string(WTERMSIG(Status)) + ", " +
                strsignal(WTERMSIG(Status));
        else if (!WIFEXITED(Status) || WEXITSTATUS(Status) != 0)
          Why = "kdlint exited with status " + std::to_string(WEXITSTATUS(Status));
        else
          Why = "kdlint worker sent a malformed result";
        --Busy;
        Complete(W, "", Why);
      }
      Active.erase(Active.begin() + K);
    }
    Tick();
  }
  // The idle workers end when their job pipe closes.
  for (Worker &W : Active) {
    for (int Fd : {W.CmdFd, W.ResFd, W.ErrFd})
      if (Fd >= 0)
        ::close(Fd);
    while (::waitpid(W.Pid, nullptr, 0) < 0 && errno == EINTR)
      ;
  }
  ::sigaction(SIGPIPE, &OldPipe, nullptr);
  if (!PrefixDir.empty())
    sys::fs::remove_directories(PrefixDir);
}

} // namespace

std::vector<std::string> sanitizeArgs(const std::vector<std::string> &Args) {
  if (Args.empty())
    return Args;
  // Parse with clang's own option table: options clang's driver does not know
  // (GCC-only flags, sparse's --arch=) would stop the parse, and an option
  // taking a separate value (`-mllvm -asan-globals=1`, `--param x=1`,
  // `-MF file`) spans two words that must be kept or dropped together.
  std::vector<const char *> Ptrs;
  for (size_t I = 1; I < Args.size(); ++I)
    Ptrs.push_back(Args[I].c_str());
  unsigned MissingIndex = 0, MissingCount = 0;
  const opt::OptTable &T = clang::driver::getDriverOptTable();
  opt::InputArgList L =
      T.ParseArgs(Ptrs, MissingIndex, MissingCount,
                  opt::Visibility(clang::driver::options::ClangOption));
  // Each parsed option (or input) covers the words from its index up to the
  // next one's; words no option covers (a trailing option missing its value)
  // are kept as they are.
  struct Span {
    unsigned Begin, End;
    const opt::Arg *A;
  };
  std::vector<Span> Spans;
  for (const opt::Arg *A : L)
    Spans.push_back({A->getIndex(), 0, A});
  llvm::sort(Spans, [](const Span &X, const Span &Y) { return X.Begin < Y.Begin; });
  for (size_t I = 0; I < Spans.size(); ++I)
    Spans[I].End = I + 1 < Spans.size() ? Spans[I + 1].Begin : Ptrs.size();
  auto DropOption = [](const opt::Arg &A, StringRef First) {
    namespace O = clang::driver::options;
    const opt::Option &Opt = A.getOption();
    if (Opt.getID() == O::OPT_UNKNOWN)
      return true;
    // Dependency output, -Werror (a kernel warning must never stop analysis),
    // endianness flags that x86 clang rejects, GCC plugins and GCC's --param.
    if (Opt.matches(O::OPT_MD) || Opt.matches(O::OPT_MMD) || Opt.matches(O::OPT_MP) ||
        Opt.matches(O::OPT_MF) || Opt.matches(O::OPT_MT) || Opt.matches(O::OPT_MQ))
      return true;
    return First.starts_with("-Wp,-M") || First.starts_with("-Werror") ||
           First == "-mlittle-endian" || First == "-mbig-endian" ||
           First.starts_with("-fplugin") || First.starts_with("--param") ||
           First == "-D__STDC__" ||
           // Struct layout randomization changes no AST kdlint looks at, and
           // clang's driver reads the seed file relative to the process's
           // directory, not the command's ("cannot read randomize layout seed
           // file './scripts/basic/randstruct.seed'" with -p from elsewhere).
           First.starts_with("-frandomize-layout-seed");
  };
  std::vector<bool> Drop(Ptrs.size(), false);
  for (const Span &S : Spans)
    if (S.Begin < S.End && DropOption(*S.A, Ptrs[S.Begin]))
      for (unsigned I = S.Begin; I < S.End; ++I)
        Drop[I] = true;
  std::vector<std::string> Out{Args[0]};
  for (size_t I = 0; I < Ptrs.size(); ++I)
    if (!Drop[I])
      Out.push_back(Args[I + 1]);
  Out.push_back("-w");
  Out.push_back("-Wno-error");
  Out.push_back("-Qunused-arguments");
  return Out;
}

int listChecks(const DriverOptions &O) {
  ConfigCache Configs(O);
  const Profile *P = Configs.forFile(O.Inputs.empty() ? "./x" : O.Inputs.front());
  if (!P)
    return ExitUsage;
  outs() << "Enabled checks:\n";
  for (const CheckInfo &C : allChecks())
    if (globsEnable(P->Checks, C.Name))
      outs() << "    " << C.Name << "\n";
  return ExitClean;
}

FileAnalysis analyseFile(const CompilationDatabase &DB, const CompileCommand &Cmd,
                         const DriverOptions &O) {
  ConfigCache Configs(O);
  std::vector<CompileCommand> Cmds{Cmd};
  std::vector<TUResult> Results(1);
  Results[0].File = Cmd.Filename;
  runForked(DB, Cmds, Configs, O, Results, 1, [](size_t) {}, [] {});
  FileAnalysis A;
  A.Analysed = Results[0].Analysed;
  A.Findings = std::move(Results[0].Found);
  A.Errors = std::move(Results[0].Errors);
  return A;
}

/// Writes \p Text to \p Path, or to stdout when \p Path is empty.
static bool writeOutput(StringRef Path, StringRef Text) {
  if (Path.empty()) {
    outs() << Text;
    outs().flush();
    return true;
  }
  // A temporary name, then rename: a reader never sees half a log.
  std::string Tmp = (Path + ".tmp" + Twine(::getpid())).str();
  std::error_code EC;
  {
    raw_fd_ostream OS(Tmp, EC, sys::fs::OF_Text);
    if (!EC) {
      OS << Text;
      OS.close();
      EC = OS.error();
    }
  }
  if (!EC)
    EC = sys::fs::rename(Tmp, Path);
  if (EC) {
    sys::fs::remove(Tmp);
    error("cannot write '" + Path + "': " + EC.message());
    return false;
  }
  return true;
}

static std::string sarifText(ArrayRef<Finding> Findings, StringRef SrcRoot) {
  SarifOptions SO;
  SO.Version = KDLINT_VERSION;
  SO.DocsUrl = KDLINT_DOCS_URL;
  SO.SrcRoot = SrcRoot.str();
  std::string Text;
  raw_string_ostream OS(Text);
  OS << formatv("{0:2}", sarifLog(Findings, sarifRules(), SO)) << "\n";
  return Text;
}

int mergeSarifLogs(const DriverOptions &O) {
  if (O.Inputs.empty()) {
    error("--merge-sarif needs SARIF logs or directories of them");
    return ExitUsage;
  }
  Expected<json::Value> V = mergeSarif(O.Inputs);
  if (!V) {
    error(toString(V.takeError()));
    return ExitUsage;
  }
  std::string Text;
  raw_string_ostream(Text) << formatv("{0:2}", *V) << "\n";
  return writeOutput(O.Output, Text) ? ExitClean : ExitUsage;
}

/// The entries of a JSON compilation database (an array of objects) whose
/// text holds one of \p Needles, as a database text of their own; None if the
/// text is not such an array. Only finds the objects' bounds (strings and
/// nesting): LLVM's reader parses what is kept.
std::optional<std::string> entriesMentioning(StringRef Text,
                                             ArrayRef<std::string> Needles,
                                             size_t &Kept, size_t &Seen) {
  std::string Out = "[";
  size_t I = Text.find_first_not_of(" \t\r\n");
  if (I == StringRef::npos || Text[I] != '[')
    return std::nullopt;
  for (++I;;) {
    I = Text.find_first_not_of(" \t\r\n,", I);
    if (I == StringRef::npos)
      return std::nullopt;
    if (Text[I] == ']')
      break;
    if (Text[I] != '{')
      return std::nullopt;
    size_t Begin = I;
    unsigned Depth = 0;
    bool InString = false;
    for (; I < Text.size(); ++I) {
      char C = Text[I];
      if (InString) {
        if (C == '\\')
          ++I;
        else if (C == '"')
          InString = false;
      } else if (C == '"') {
        InString = true;
      } else if (C == '{' || C == '[') {
        ++Depth;
      } else if ((C == '}' || C == ']') && !--Depth) {
        break;
      }
    }
    if (I >= Text.size())
      return std::nullopt;
    StringRef Entry = Text.slice(Begin, ++I);
    ++Seen;
    if (any_of(Needles, [&](const std::string &N) { return Entry.contains(N); })) {
      Out += (Out.size() > 1 ? ",\n" : "\n") + Entry.str();
      ++Kept;
    }
  }
  return Out + "\n]\n";
}

/// Loads the database \p File. A large one, with only files as inputs, is read
/// for the entries of their directories alone: the kernel's allmodconfig
/// database is 77 MB, and reading it whole took a second per run.
std::unique_ptr<CompilationDatabase> loadDatabase(StringRef File,
                                                  const DriverOptions &O,
                                                  std::string &Err) {
  auto Whole = [&] {
    return JSONCompilationDatabase::loadFromFile(File, Err,
                                                 JSONCommandLineSyntax::AutoDetect);
  };
  uint64_t Size = 0;
  uint64_t Large = 8u << 20;
  if (const char *L = getenv("KDLINT_DB_SPLIT_BYTES")) // tests: a small db
    Large = std::strtoull(L, nullptr, 10);
  if (sys::fs::file_size(File, Size) || Size < Large || O.Inputs.size() > 64)
    return Whole();
  // An entry of a file's directory names it (as "file" or "directory").
  std::vector<std::string> Needles;
  std::vector<std::string> Files;
  for (const std::string &In : O.Inputs) {
    SmallString<256> Abs(In);
    sys::fs::make_absolute(Abs);
    sys::path::remove_dots(Abs, true);
    if (!sys::fs::is_regular_file(Abs))
      return Whole();
    StringRef Dir = sys::path::parent_path(Abs);
    StringRef Tail = sys::path::filename(Dir);
    StringRef Parent = sys::path::filename(sys::path::parent_path(Dir));
    Needles.push_back(Parent.empty() ? Tail.str() : (Parent + "/" + Tail).str());
    Files.push_back(std::string(Abs));
  }
  auto Buf = MemoryBuffer::getFile(File);
  if (!Buf)
    return Whole();
  size_t Kept = 0, Seen = 0;
  std::optional<std::string> Some =
      entriesMentioning((*Buf)->getBuffer(), Needles, Kept, Seen);
  if (!Some)
    return Whole();
  std::unique_ptr<CompilationDatabase> DB = JSONCompilationDatabase::loadFromBuffer(
      *Some, Err, JSONCommandLineSyntax::AutoDetect);
  // Every input must be found as in the whole database, or it is read whole.
  if (!DB || any_of(Files, [&](const std::string &F) {
        return DB->getCompileCommands(F).empty();
      }))
    return Whole();
  if (getenv("KDLINT_TRACE_DB"))
    errs() << "kdlint: " << Kept << " of the " << Seen << " entries of " << File
           << " read (the inputs' directories)\n";
  return DB;
}

int runDriver(const DriverOptions &Given) {
  DriverOptions O = Given;
  if (O.Format != "text" && O.Format != "sarif") {
    error("unknown --format '" + O.Format + "' (text or sarif)");
    return ExitUsage;
  }
  if (!O.Baseline.empty()) {
    Expected<StringSet<>> B = readBaseline(O.Baseline);
    if (!B) {
      error("bad --baseline: " + toString(B.takeError()));
      return ExitUsage;
    }
    O.BaselineFingerprints = std::make_shared<const StringSet<>>(std::move(*B));
  }
  // The compilation database: -p, `--` fixed flags, or Kbuild's flags.
  std::unique_ptr<CompilationDatabase> DB;
  std::string DBDir;
  std::string Err;
  if (O.HaveFixedArgs || O.Kbuild) {
    SmallString<256> Cwd;
    sys::fs::current_path(Cwd);
    DB = std::make_unique<FixedCompilationDatabase>(Cwd, O.FixedArgs);
  } else {
    std::string Path = O.BuildPath;
    if (Path.empty()) {
      // Like clang-tidy: search upwards from the first input.
      StringRef First = O.Inputs.empty() ? "." : StringRef(O.Inputs.front());
      SmallString<256> Abs(First);
      sys::fs::make_absolute(Abs);
      DB = CompilationDatabase::autoDetectFromSource(Abs, Err);
      if (!DB && sys::fs::is_directory(Abs))
        DB = CompilationDatabase::autoDetectFromDirectory(Abs, Err);
    } else if (sys::fs::is_directory(Path)) {
      SmallString<256> File(Path);
      sys::path::append(File, "compile_commands.json");
      if (!sys::fs::exists(File)) {
        error("no compile_commands.json in '" + Path + "'");
        return ExitUsage;
      }
      DB = loadDatabase(File, O, Err);
      DBDir = Path;
    } else {
      DB = loadDatabase(Path, O, Err);
      DBDir = std::string(sys::path::parent_path(Path));
    }
    if (!DB) {
      error("cannot load compilation database" +
            (O.BuildPath.empty() ? Twine("") : Twine(" '") + O.BuildPath + "'") +
            ": " + Err);
      return ExitUsage;
    }
  }
  // Paths in SARIF and fingerprints: relative to the tree the db is in.
  if (O.SrcRoot.empty()) {
    SmallString<256> Root(DBDir);
    if (Root.empty())
      sys::fs::current_path(Root);
    O.SrcRoot = std::string(Root);
  }
  {
    SmallString<256> Root(O.SrcRoot);
    sys::fs::make_absolute(Root);
    sys::path::remove_dots(Root, true);
    sys::fs::real_path(Root, Root);
    O.SrcRoot = std::string(Root);
  }
  if (O.Inputs.empty()) {
    error("no input files (give files or directories)");
    return ExitUsage;
  }

  // Expand inputs: a directory means every db entry under it.
  std::vector<CompileCommand> Cmds;
  std::vector<TUResult> Results;
  bool Incomplete = false;
  std::vector<CompileCommand> All;
  bool HaveAll = false;
  for (const std::string &In : O.Inputs) {
    SmallString<256> Abs(In);
    if (!sys::fs::exists(Abs) && !DBDir.empty() && sys::path::is_relative(Abs))
      Abs = DBDir + "/" + In;
    sys::fs::make_absolute(Abs);
    sys::path::remove_dots(Abs, true);
    if (!sys::fs::exists(Abs)) {
      error("no such file or directory: '" + In + "'");
      Incomplete = true;
      continue;
    }
    if (sys::fs::is_directory(Abs)) {
      if (O.HaveFixedArgs || O.Kbuild) {
        error("'" + In + "' is a directory: directories need a compilation database (-p)");
        Incomplete = true;
        continue;
      }
      if (!HaveAll) {
        All = DB->getAllCompileCommands();
        HaveAll = true;
      }
      std::string Prefix = std::string(Abs);
      if (!StringRef(Prefix).ends_with("/"))
        Prefix += "/";
      unsigned N = 0;
      for (const CompileCommand &C : All) {
        SmallString<256> F(C.Filename);
        if (sys::path::is_relative(F))
          F = C.Directory + "/" + C.Filename;
        sys::path::remove_dots(F, true);
        StringRef FS = F;
        if (!FS.starts_with(Prefix) || !FS.ends_with(".c"))
          continue; // .S entries and other languages are not ours
        Cmds.push_back(C);
        ++N;
      }
      if (N == 0) {
        error("no compile commands for files under '" + In + "'");
        Incomplete = true;
      }
      continue;
    }
    std::vector<CompileCommand> C = DB->getCompileCommands(Abs);
    if (C.empty()) {
      error("no compile command for '" + In + "' in the compilation database");
      Incomplete = true;
      continue;
    }
    Cmds.push_back(C.front());
  }

  // --shard=K/N: the K-th of N slices, by a hash of the file's path below
  // the source root, so slices do not move when the list of TUs grows.
  auto InSlice = [&](const CompileCommand &C) {
    std::string Path = sourcePath(C);
    std::string Rel = Path;
    if (StringRef(Path).starts_with(O.SrcRoot + "/"))
      Rel = Path.substr(O.SrcRoot.size() + 1);
    return xxh3_64bits(Rel) % O.ShardN == O.ShardK - 1;
  };
  std::vector<CompileCommand> AllCmds; // a shard's: every TU of the run
  if (O.ShardN) {
    AllCmds = Cmds;
    std::vector<CompileCommand> Mine;
    for (CompileCommand &C : Cmds)
      if (InSlice(C))
        Mine.push_back(std::move(C));
    Cmds = std::move(Mine);
  }

  ConfigCache Configs(O);
  Results.resize(Cmds.size());
  for (size_t I = 0; I < Cmds.size(); ++I)
    Results[I].File = Cmds[I].Filename;
  // The cache: a TU whose entry is valid is not analysed again.
  std::vector<std::string> Keys(Cmds.size());
  std::vector<size_t> Miss;
  std::string FP = O.Cache ? cacheFingerprint(O) : "";
  auto KeyOf = [&](const CompileCommand &C) {
    std::string Line = join(C.CommandLine, StringRef("\0", 1));
    return ResultCache::key({"kdlint-tu-1", FP, C.Directory, Line, C.Filename});
  };
  // The entry under \p Key, if valid, into \p R.
  auto FromCache = [&](StringRef Key, const CompileCommand &C, TUResult &R) {
    std::string Warn;
    if (std::optional<std::string> P = O.Cache->lookup(Key, Warn)) {
      TUResult Got;
      if (decodeResult(*P, Got) && Got.Analysed) {
        Got.File = C.Filename;
        Got.FromCache = true;
        R = std::move(Got);
        return true;
      }
    }
    if (!Warn.empty())
      warning(Warn);
    return false;
  };
  if (O.Cache) {
    for (size_t I = 0; I < Cmds.size(); ++I) {
      Keys[I] = KeyOf(Cmds[I]);
      if (!FromCache(Keys[I], Cmds[I], Results[I]))
        Miss.push_back(I);
    }
  } else {
    for (size_t I = 0; I < Cmds.size(); ++I)
      Miss.push_back(I);
  }
  size_t Hits = Cmds.size() - Miss.size();
  ProgressLine Progress(O.Progress, Cmds.size());
  size_t NextToPrint = 0, Completed = 0;
  // Output in input order, whatever finishes first.
  // With the cross-TU link, findings are printed after it: the second pass
  // of a TU replaces its first (a callee in another file may add a finding,
  // or leave a lock and so remove one).
  bool Defer = O.CrossTU && !O.Kbuild && !O.ShardN && Cmds.size() > 1;
  auto Finish = [&](size_t I) {
    std::lock_guard<std::mutex> L(OutputMutex);
    Results[I].Done = true;
    if (O.ShardN)
      Results[I].Output.clear(); // a shard only fills the cache
    ++Completed;
    bool Cleared = false;
    while (NextToPrint < Results.size() && Results[NextToPrint].Done) {
      TUResult &R = Results[NextToPrint++];
      if (R.Output.empty() && R.Errors.empty())
        continue;
      if (!Cleared)
        Progress.clear();
      Cleared = true;
      if (O.Format == "text" && O.Output.empty() && !Defer) {
        outs() << R.Output;
        outs().flush();
      }
      errs() << R.Errors;
      if (O.Format == "text" && O.Output.empty() && !Defer)
        R.Output.clear();
      R.Errors.clear();
    }
    Progress.draw(Completed, Cleared);
  };
  unsigned Jobs = std::max(1u, O.Jobs);
  for (size_t I = 0; I < Cmds.size(); ++I)
    if (Results[I].FromCache)
      Finish(I);
  {
    // The misses, stored in the cache as they finish.
    std::vector<CompileCommand> MCmds;
    std::vector<TUResult> MRes(Miss.size());
    for (size_t K = 0; K < Miss.size(); ++K) {
      MCmds.push_back(Cmds[Miss[K]]);
      MRes[K].File = Cmds[Miss[K]].Filename;
    }
    auto FinishMiss = [&](size_t K) {
      TUResult &R = MRes[K];
      if (O.Cache && R.Analysed)
        O.Cache->store(Keys[Miss[K]], R.Deps, encodeResult(R, /*WithDeps=*/false));
      Results[Miss[K]] = std::move(R);
      Finish(Miss[K]);
    };
    if (O.Warm && MCmds.size() == 1) {
      // In a server's worker: here, on the heap earlier TUs faulted in. If it
      // crashes or runs over the time limit (SIGALRM), this process ends
      // without an answer, and the client runs the file again itself, where
      // the crash or the limit is reported (so the crash is caught here, and
      // ends it without a stack dump of its own).
      CrashRecoveryContext::Enable();
      CrashRecoveryContext CRC;
      ::alarm(O.TUTimeout);
      if (!CRC.RunSafely([&] { runWarm(*DB, MCmds[0], Configs, O, MRes[0]); }))
        ::_exit(70);
      ::alarm(0);
      FinishMiss(0);
    } else if (!O.InProcess) {
      runForked(*DB, MCmds, Configs, O, MRes, Jobs, FinishMiss,
                [&] { Progress.draw(Completed, false); });
    } else if (Jobs == 1 || MCmds.size() <= 1) {
      for (size_t K = 0; K < MCmds.size(); ++K) {
        runOne(*DB, MCmds[K], Configs, O, MRes[K]);
        FinishMiss(K);
      }
    } else {
      DefaultThreadPool Pool(hardware_concurrency(Jobs));
      for (size_t K = 0; K < MCmds.size(); ++K)
        Pool.async([&, K] {
          runOne(*DB, MCmds[K], Configs, O, MRes[K]);
          FinishMiss(K);
        });
      Pool.wait();
    }
  }
  Progress.clear();

  // A shard's summary is about its slice.
  size_t ShardTUs = Results.size(), ShardFailed = 0;
  for (const TUResult &R : Results)
    ShardFailed += !R.Analysed;
  // A shard whose slice was all in the cache already (the second round of a
  // sharded run) does the link's second pass for its slice: it links every
  // TU of the run the cache holds and stores the second pass of its own TUs
  // that need one, so the final run only reads.
  bool Round2 = O.ShardN && O.Cache && O.CrossTU && !O.Kbuild && Miss.empty() &&
                !Cmds.empty();
  std::vector<char> Mine(Cmds.size(), 1);
  if (Round2) {
    std::vector<TUResult> AllRes(AllCmds.size());
    std::vector<std::string> AllKeys(AllCmds.size());
    Mine.assign(AllCmds.size(), 0);
    for (size_t I = 0; I < AllCmds.size(); ++I) {
      AllRes[I].File = AllCmds[I].Filename;
      AllKeys[I] = KeyOf(AllCmds[I]);
      Mine[I] = InSlice(AllCmds[I]);
      FromCache(AllKeys[I], AllCmds[I], AllRes[I]);
    }
    Cmds = std::move(AllCmds);
    Results = std::move(AllRes);
    Keys = std::move(AllKeys);
  }
  size_t Again1 = 0, Again2 = 0; // TUs the link analysed again; of them, cached

  // The cross-TU link: the functions TUs of this run define that sleep (on
  // their own or through other TUs); the TUs that call one are analysed again
  // knowing it, and report what they did not report the first time.
  if (O.CrossTU && !O.Kbuild && (!O.ShardN || Round2) && Cmds.size() > 1) {
    std::vector<const TUExports *> Exports;
    for (const TUResult &R : Results)
      if (R.Analysed)
        Exports.push_back(&R.Exports);
    LinkResult Link = linkAll(Exports);
    // Directories the run does not cover whole: a TU of the database there
    // is not in the run, or did not parse. What no file of such a directory
    // releases is not known (Link.Partial; see linkKept()).
    for (size_t I = 0; I < Results.size(); ++I)
      if (!Results[I].Analysed)
        Link.Partial.insert(sys::path::parent_path(sourcePath(Cmds[I])));
    if (!O.HaveFixedArgs && !O.Kbuild) {
      if (!HaveAll) {
        All = DB->getAllCompileCommands();
        HaveAll = true;
      }
      StringSet<> InRun;
      for (const CompileCommand &C : Cmds)
        InRun.insert(sourcePath(C));
      StringSet<> RunDirs;
      for (const auto &E : InRun)
        RunDirs.insert(sys::path::parent_path(E.getKey()));
      for (const CompileCommand &C : All) {
        std::string P = sourcePath(C);
        StringRef Dir = sys::path::parent_path(P);
        if (StringRef(P).ends_with(".c") && RunDirs.count(Dir) && !InRun.count(P))
          Link.Partial.insert(Dir);
      }
    }
    std::vector<size_t> Again;
    for (size_t I = 0; I < Results.size(); ++I)
      if (Results[I].Analysed && Mine[I] &&
          Link.needsSecondPass(Results[I].Exports, Results[I].Findings))
        Again.push_back(I);
    if (!Again.empty()) {
      DriverOptions O2 = O;
      O2.Link = &Link;
      std::vector<CompileCommand> Cmds2;
      for (size_t I : Again)
        Cmds2.push_back(Cmds[I]);
      std::vector<TUResult> R2(Cmds2.size());
      for (size_t K = 0; K < Cmds2.size(); ++K)
        R2[K].File = Cmds2[K].Filename;
      // The second pass is cached too, under the TU's key and everything the
      // link was made of (every TU's exports).
      std::vector<std::string> Keys2(Cmds2.size());
      std::vector<size_t> Miss2;
      std::vector<CompileCommand> MCmds2;
      if (O.Cache) {
        std::string LinkIn;
        for (const TUResult &R : Results)
          if (R.Analysed)
            raw_string_ostream(LinkIn) << json::Value(exportsToJSON(R.Exports)) << "\n";
        std::vector<StringRef> PartialDirs;
        for (const auto &D : Link.Partial)
          PartialDirs.push_back(D.getKey());
        llvm::sort(PartialDirs);
        for (StringRef D : PartialDirs)
          LinkIn += ("partial " + D + "\n").str();
        std::string LinkKey = ResultCache::key({"kdlint-link-1", LinkIn});
        for (size_t K = 0; K < Cmds2.size(); ++K) {
          Keys2[K] = ResultCache::key({"kdlint-tu2-2", Keys[Again[K]], LinkKey});
          std::string Warn;
          if (std::optional<std::string> P = O.Cache->lookup(Keys2[K], Warn)) {
            TUResult R;
            if (decodeResult(*P, R) && R.Analysed) {
              R.File = Cmds2[K].Filename;
              R2[K] = std::move(R);
              continue;
            }
          }
          if (!Warn.empty())
            warning(Warn);
          Miss2.push_back(K);
          MCmds2.push_back(Cmds2[K]);
        }
      } else {
        for (size_t K = 0; K < Cmds2.size(); ++K) {
          Miss2.push_back(K);
          MCmds2.push_back(Cmds2[K]);
        }
      }
      Again1 = Cmds2.size();
      Again2 = Cmds2.size() - MCmds2.size();
      std::vector<TUResult> M2(MCmds2.size());
      for (size_t K = 0; K < MCmds2.size(); ++K)
        M2[K].File = MCmds2[K].Filename;
      if (!O.InProcess)
        runForked(*DB, MCmds2, Configs, O2, M2, Jobs, [](size_t) {}, [] {});
      else
        for (size_t K = 0; K < MCmds2.size(); ++K)
          runOne(*DB, MCmds2[K], Configs, O2, M2[K]);
      for (size_t K = 0; K < MCmds2.size(); ++K) {
        if (O.Cache && M2[K].Analysed)
          O.Cache->store(Keys2[Miss2[K]], M2[K].Deps,
                         encodeResult(M2[K], /*WithDeps=*/false));
        R2[Miss2[K]] = std::move(M2[K]);
      }
      for (size_t K = 0; K < Cmds2.size(); ++K) {
        TUResult &R = Results[Again[K]];
        if (!R2[K].Analysed)
          continue; // the first pass stands
        R.Findings = R2[K].Findings;
        R.Found = std::move(R2[K].Found);
        R.Exported = std::move(R2[K].Exported);
        R.Output = std::move(R2[K].Output);
      }
    }
  }
  if (Defer && O.Format == "text" && O.Output.empty()) {
    for (TUResult &R : Results) {
      outs() << R.Output;
      R.Output.clear();
    }
    outs().flush();
  }

  unsigned Findings = 0, Failed = 0;
  for (const TUResult &R : Results) {
    Findings += R.Findings;
    if (!R.Analysed)
      ++Failed;
  }
  if (O.Cache)
    O.Cache->evict();
  if (O.ShardN) {
    size_t Done = ShardTUs - ShardFailed;
    if (!O.Quiet) {
      errs() << "shard " << O.ShardK << "/" << O.ShardN << ": " << Done
             << " translation unit" << (Done == 1 ? "" : "s") << " in the cache ("
             << Hits << " already there)"
             << (ShardFailed ? ", " + std::to_string(ShardFailed) + " not analysed" : "")
             << ".\n";
      if (Round2)
        errs() << "shard " << O.ShardK << "/" << O.ShardN << ": linked "
               << Results.size() - Failed << " translation units; " << Again1
               << " of this slice analysed again after the link (" << Again2
               << " already there).\n";
    }
    return ShardFailed || Incomplete || Configs.Failed ? ExitIncomplete : ExitClean;
  }
  if (!O.Quiet && O.Cache && Hits)
    errs() << "kdlint: " << Hits << " of " << Results.size() << " translation unit"
           << (Results.size() == 1 ? "" : "s") << " from the cache, "
           << Results.size() - Hits << " analysed\n";
  if (!O.Quiet && O.Cache && Again1)
    errs() << "kdlint: " << Again1 << " translation unit" << (Again1 == 1 ? "" : "s")
           << " analysed again after the link (" << Again2 << " of them cached)\n";
  if (!O.Quiet && (Results.size() > 1 || Failed))
    errs() << Findings << " warning" << (Findings == 1 ? "" : "s") << " in "
           << Results.size() - Failed << " translation unit"
           << (Results.size() - Failed == 1 ? "" : "s") << " analysed"
           << (Failed ? ", " + std::to_string(Failed) + " not analysed" : "")
           << ".\n";
  if (O.Format == "sarif" || !O.Output.empty() || !O.SarifDir.empty()) {
    std::vector<Finding> All;
    std::string Text;
    for (TUResult &R : Results)
      All.insert(All.end(), R.Found.begin(), R.Found.end());
    if (O.Format == "text")
      for (TUResult &R : Results)
        Text += R.Output;
    else
      Text = sarifText(All, O.SrcRoot);
    if ((O.Format == "sarif" || !O.Output.empty()) && !writeOutput(O.Output, Text))
      return ExitUsage;
    if (!O.SarifDir.empty()) {
      // One log per TU, named after its file: a Kbuild run's processes never
      // write the same file.
      std::error_code EC = sys::fs::create_directories(O.SarifDir);
      for (size_t I = 0; I < Results.size() && !EC; ++I) {
        std::string Name = sourcePath(Cmds[I]);
        if (StringRef(Name).starts_with(O.SrcRoot + "/"))
          Name = Name.substr(O.SrcRoot.size() + 1);
        std::replace(Name.begin(), Name.end(), '/', '_');
        if (!writeOutput(O.SarifDir + "/" + Name + ".sarif",
                         sarifText(Results[I].Found, O.SrcRoot)))
          return ExitUsage;
      }
      if (EC) {
        error("cannot create '" + O.SarifDir + "': " + EC.message());
        return ExitUsage;
      }
    }
  }
  if (!O.ExportFixes.empty()) {
    tooling::TranslationUnitDiagnostics TUD;
    for (TUResult &R : Results)
      for (tooling::Diagnostic &D : R.Exported)
        TUD.Diagnostics.push_back(std::move(D));
    std::error_code EC;
    raw_fd_ostream OS(O.ExportFixes, EC, sys::fs::OF_Text);
    if (EC) {
      error("cannot write '" + O.ExportFixes + "': " + EC.message());
      return ExitUsage;
    }
    yaml::Output Y(OS);
    Y << TUD;
  }
  if (Configs.Failed)
    return ExitUsage;
  if (Failed || Incomplete)
    return ExitIncomplete;
  return Findings ? ExitFindings : ExitClean;
}

} // namespace kdlint

//===- Lsp.cpp - kdlint as a Language Server -------------------------------===//
//
// `kdlint --lsp`: JSON-RPC 2.0 over stdin/stdout, framed as the Language Server
// Protocol frames it. One thread: it reads what the client sends, keeps the
// open documents' text, and analyses a document (its unsaved text, in a forked
// worker like any TU) when it is opened or saved, or once edits have paused
// for a while. Findings become diagnostics with the notes as related
// information and the fix-its as quick fixes.
//
//===----------------------------------------------------------------------===//
#include "kdlint/Lsp.h"
#include "kdlint/Driver.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <cerrno>
#include <map>
#include <poll.h>
#include <unistd.h>

using namespace llvm;
using namespace clang::tooling;

namespace kdlint {

namespace {

enum ErrorCode {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  ServerNotInitialized = -32002,
};

/// file:///a%20b/c.c -> /a b/c.c (RFC 8089 for local files); empty if not one.
std::string uriToPath(StringRef Uri) {
  if (!Uri.consume_front("file://"))
    return "";
  std::string Out;
  for (size_t I = 0; I < Uri.size(); ++I) {
    if (Uri[I] == '%' && I + 2 < Uri.size() && isHexDigit(Uri[I + 1]) &&
        isHexDigit(Uri[I + 2])) {
      Out += char(hexFromNibbles(Uri[I + 1], Uri[I + 2]));
      I += 2;
    } else {
      Out += Uri[I];
    }
  }
  return Out.empty() || Out[0] != '/' ? "" : Out;
}

std::string pathToUri(StringRef Path) { return "file://" + uriPathEscape(Path); }

/// LSP counts characters in UTF-16 code units; clang counts bytes.
unsigned utf16Column(StringRef Line, unsigned ByteCol) {
  StringRef Prefix = Line.take_front(ByteCol);
  unsigned N = 0;
  for (size_t I = 0; I < Prefix.size();) {
    unsigned char C = Prefix[I];
    unsigned Len = C < 0x80 ? 1 : C < 0xE0 ? 2 : C < 0xF0 ? 3 : 4;
    N += Len == 4 ? 2 : 1;
    I += Len;
  }
  return N;
}

struct Document {
  std::string Path, Text;
  int64_t Version = 0;
  std::optional<std::chrono::steady_clock::time_point> Due; ///< analyse then
  std::vector<Finding> Findings; ///< of the last analysis (code actions)
  bool Warned = false;           ///< told the user it cannot be analysed
};

class Server {
public:
  Server(const DriverOptions &O, StringRef CDBDir) : O(O), CDBDir(CDBDir.str()) {}

  int run() {
    char Buf[65536];
    for (;;) {
      int Timeout = -1;
      auto Now = std::chrono::steady_clock::now();
      for (auto &[Uri, D] : Docs)
        if (D.Due) {
          auto Ms = std::chrono::duration_cast<std::chrono::milliseconds>(*D.Due - Now)
                        .count();
          Timeout = Timeout < 0 ? std::max<int64_t>(0, Ms)
                                : std::min<int64_t>(Timeout, std::max<int64_t>(0, Ms));
        }
      pollfd P{0, POLLIN, 0};
      int R = ::poll(&P, 1, Timeout);
      if (R < 0 && errno != EINTR)
        return 1;
      if (R > 0) {
        ssize_t N = ::read(0, Buf, sizeof Buf);
        if (N < 0 && errno == EINTR)
          continue;
        if (N <= 0)
          return ShutdownRequested ? 0 : 1; // the client went away
        Reader.feed(StringRef(Buf, N));
        while (std::optional<MessageReader::Message> M = Reader.next()) {
          if (!M->Value) {
            reply(nullptr, ParseError, "malformed message: " + M->Error);
            continue;
          }
          handle(*M->Value);
          if (Exited)
            return ShutdownRequested ? 0 : 1;
        }
      }
      Now = std::chrono::steady_clock::now();
      for (auto &[Uri, D] : Docs)
        if (D.Due && *D.Due <= Now) {
          D.Due.reset();
          analyse(Uri, D);
        }
    }
  }

private:
  void send(const json::Value &V) {
    outs() << frameMessage(V);
    outs().flush();
  }
  void reply(json::Value Id, json::Value Result) {
    send(json::Object{{"jsonrpc", "2.0"}, {"id", std::move(Id)}, {"result", std::move(Result)}});
  }
  void reply(json::Value Id, int Code, const std::string &Message) {
    send(json::Object{{"jsonrpc", "2.0"},
                      {"id", std::move(Id)},
                      {"error", json::Object{{"code", Code}, {"message", Message}}}});
  }
  void notify(StringRef Method, json::Value Params) {
    send(json::Object{{"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}});
  }
  /// window/showMessage: 1 error, 2 warning, 3 info.
  void show(int Type, const std::string &Message) {
    notify("window/showMessage", json::Object{{"type", Type}, {"message", Message}});
  }

  void handle(const json::Value &V) {
    const json::Object *M = V.getAsObject();
    if (!M) {
      reply(nullptr, InvalidRequest, "a JSON-RPC message is an object");
      return;
    }
    const json::Value *Id = M->get("id");
    std::optional<StringRef> Method = M->getString("method");
    if (!Method) {
      if (!Id) // neither a request nor a response to us
        reply(nullptr, InvalidRequest, "message without a method");
      return; // a response to a request of ours: we make none that need one
    }
    const json::Value Null(nullptr);
    const json::Value &Params = M->get("params") ? *M->get("params") : Null;
    if (Id) {
      if (Id->kind() != json::Value::String && Id->kind() != json::Value::Number) {
        reply(nullptr, InvalidRequest, "request id must be a number or a string");
        return;
      }
      request(*Method, *Id, Params);
    } else {
      notification(*Method, Params);
    }
  }

  void request(StringRef Method, const json::Value &Id, const json::Value &Params) {
    if (Method == "initialize") {
      Initialized = true;
      reply(Id, json::Object{
                    {"capabilities",
                     json::Object{{"textDocumentSync",
                                   json::Object{{"openClose", true},
                                                {"change", 1}, // full text
                                                {"save", json::Object{{"includeText", true}}}}},
                                  {"codeActionProvider",
                                   json::Object{{"codeActionKinds", json::Array{"quickfix"}}}}}},
                    {"serverInfo", json::Object{{"name", "kdlint"}, {"version", KDLINT_VERSION}}}});
      return;
    }
    if (!Initialized) {
      reply(Id, ServerNotInitialized, "initialize first");
      return;
    }
    if (Method == "shutdown") {
      ShutdownRequested = true;
      reply(Id, nullptr);
      return;
    }
    if (Method == "textDocument/codeAction") {
      codeAction(Id, Params);
      return;
    }
    reply(Id, MethodNotFound, ("method not supported: " + Method).str());
  }

  void notification(StringRef Method, const json::Value &Params) {
    if (Method == "exit") {
      Exited = true;
      return;
    }
    if (!Initialized)
      return; // notifications before initialize are dropped (LSP 3.17)
    const json::Object *P = Params.getAsObject();
    const json::Object *TD = P ? P->getObject("textDocument") : nullptr;
    std::optional<StringRef> Uri = TD ? TD->getString("uri") : std::nullopt;
    bool IsDoc = Method.starts_with("textDocument/");
    if (IsDoc && !Uri) {
      show(1, ("kdlint: " + Method + " without textDocument.uri").str());
      return;
    }
    auto Now = std::chrono::steady_clock::now();
    std::string U = Uri ? Uri->str() : std::string();
    if (Method == "textDocument/didOpen") {
      std::string Path = uriToPath(*Uri);
      std::optional<StringRef> Text = TD->getString("text");
      if (Path.empty() || !Text) {
        show(1, ("kdlint: cannot open " + *Uri + " (not a file: URI, or no text)").str());
        return;
      }
      Document &D = Docs[U];
      D.Path = Path;
      D.Text = Text->str();
      D.Version = TD->getInteger("version").value_or(0);
      D.Due = Now;
    } else if (Method == "textDocument/didChange") {
      auto It = Docs.find(U);
      const json::Array *Changes = P->getArray("contentChanges");
      if (It == Docs.end() || !Changes)
        return;
      // Full-text sync: the last change holds the whole text.
      for (const json::Value &C : *Changes)
        if (const json::Object *CO = C.getAsObject())
          if (std::optional<StringRef> T = CO->getString("text"); T && !CO->get("range"))
            It->second.Text = T->str();
      It->second.Version = TD->getInteger("version").value_or(It->second.Version);
      It->second.Due = Now + std::chrono::milliseconds(DebounceMs);
    } else if (Method == "textDocument/didSave") {
      auto It = Docs.find(U);
      if (It == Docs.end())
        return;
      if (std::optional<StringRef> T = P->getString("text"))
        It->second.Text = T->str();
      It->second.Due = Now;
    } else if (Method == "textDocument/didClose") {
      Docs.erase(U);
      notify("textDocument/publishDiagnostics",
             json::Object{{"uri", *Uri}, {"diagnostics", json::Array{}}});
    }
    // Anything else ($/cancelRequest, workspace/*, initialized): nothing to do.
  }

  /// The compile db for \p File: --compile-commands-dir, else the nearest
  /// compile_commands.json upwards (also in a build/ beside each directory),
  /// as clangd looks; files not in it borrow a neighbour's command.
  CompilationDatabase *databaseFor(StringRef File, std::string &Where) {
    SmallVector<std::string, 8> Dirs;
    if (!CDBDir.empty()) {
      Dirs.push_back(CDBDir);
    } else {
      for (StringRef D = sys::path::parent_path(File); !D.empty();
           D = sys::path::parent_path(D)) {
        Dirs.push_back(D.str());
        Dirs.push_back((D + "/build").str());
        if (D == "/")
          break;
      }
    }
    for (const std::string &D : Dirs) {
      auto It = DBs.find(D);
      if (It != DBs.end()) {
        if (It->second) {
          Where = D;
          return It->second.get();
        }
        continue;
      }
      std::string Path = D + "/compile_commands.json";
      if (!sys::fs::exists(Path)) {
        if (!CDBDir.empty())
          DBs[D] = nullptr;
        continue;
      }
      std::string Err;
      std::unique_ptr<CompilationDatabase> DB = JSONCompilationDatabase::loadFromFile(
          Path, Err, JSONCommandLineSyntax::AutoDetect);
      if (!DB) {
        show(1, "kdlint: cannot load " + Path + ": " + Err);
        DBs[D] = nullptr;
        continue;
      }
      DBs[D] = inferMissingCompileCommands(std::move(DB));
      Where = D;
      return DBs[D].get();
    }
    return nullptr;
  }

  json::Object range(const Document &D, const SourcePlace &P) {
    unsigned Line = P.Line ? P.Line - 1 : 0, Col = P.Column ? P.Column - 1 : 0;
    unsigned EndCol = Col + 1;
    StringRef LineText;
    if (P.File == D.Path) {
      SmallVector<StringRef, 0> Lines;
      StringRef(D.Text).split(Lines, '\n');
      if (Line < Lines.size()) {
        LineText = Lines[Line];
        // The whole identifier or token start at the position.
        size_t E = Col;
        while (E < LineText.size() && (isAlnum(LineText[E]) || LineText[E] == '_'))
          ++E;
        EndCol = std::max<size_t>(E, Col + 1);
        Col = utf16Column(LineText, Col);
        EndCol = utf16Column(LineText, EndCol) + (EndCol > LineText.size() ? 1 : 0);
      }
    }
    return json::Object{
        {"start", json::Object{{"line", Line}, {"character", Col}}},
        {"end", json::Object{{"line", Line}, {"character", EndCol}}}};
  }

  json::Object diagnostic(const Document &D, const Finding &F) {
    json::Array Related;
    for (const FindingNote &N : F.Notes)
      Related.push_back(json::Object{
          {"location", json::Object{{"uri", pathToUri(N.Place.File)}, {"range", range(D, N.Place)}}},
          {"message", N.Text}});
    return json::Object{
        {"range", range(D, F.Place)},
        {"severity", 2},
        {"code", F.Check},
        {"codeDescription",
         json::Object{{"href", std::string(KDLINT_DOCS_URL) + "checks/" + F.Check + ".md"}}},
        {"source", "kdlint"},
        {"message", F.Message},
        {"relatedInformation", std::move(Related)}};
  }

  void analyse(const std::string &Uri, Document &D) {
    std::string Where;
    CompilationDatabase *DB = databaseFor(D.Path, Where);
    std::vector<CompileCommand> Cmds;
    if (DB)
      Cmds = DB->getCompileCommands(D.Path);
    if (Cmds.empty()) {
      if (!D.Warned)
        show(2, DB ? "kdlint: no compile command for " + D.Path + " in " + Where +
                         "/compile_commands.json"
                   : "kdlint: no compile_commands.json found for " + D.Path +
                         " (looked upwards from its directory and in build/; "
                         "--compile-commands-dir sets it)");
      D.Warned = true;
      publish(Uri, json::Array{});
      return;
    }
    DriverOptions Opts = O;
    StringMap<std::string> Unsaved;
    Unsaved[D.Path] = D.Text;
    Opts.Unsaved = &Unsaved;
    if (Opts.SrcRoot.empty())
      Opts.SrcRoot = Where;
    FileAnalysis A = analyseFile(*DB, Cmds.front(), Opts);
    json::Array Diags;
    if (!A.Analysed) {
      // Compiler errors in this file become diagnostics; the reason is shown.
      SmallVector<StringRef, 16> Lines;
      StringRef(A.Errors).split(Lines, '\n');
      std::string First;
      for (StringRef L : Lines) {
        if (First.empty() && L.contains("error:"))
          First = L.str();
        StringRef Rest = L;
        if (!Rest.consume_front(D.Path) || !Rest.consume_front(":"))
          continue;
        unsigned Line, Col;
        auto [LS, R1] = Rest.split(':');
        auto [CS, R2] = R1.split(':');
        if (LS.getAsInteger(10, Line) || CS.getAsInteger(10, Col) ||
            !R2.trim().starts_with("error:"))
          continue;
        Diags.push_back(json::Object{
            {"range", range(D, SourcePlace{D.Path, Line, Col})},
            {"severity", 1},
            {"source", "kdlint"},
            {"message", R2.trim().drop_front(6).trim().str()}});
      }
      show(1, "kdlint could not analyse " + D.Path + ": " +
                  (First.empty() ? std::string("see the server's log") : First));
      errs() << A.Errors;
      errs().flush();
    }
    D.Findings.clear();
    for (Finding &F : A.Findings)
      if (F.Place.File == D.Path) {
        Diags.push_back(diagnostic(D, F));
        D.Findings.push_back(std::move(F));
      }
    publish(Uri, std::move(Diags), D.Version);
  }

  void publish(const std::string &Uri, json::Array Diags, int64_t Version = -1) {
    json::Object P{{"uri", Uri}, {"diagnostics", std::move(Diags)}};
    if (Version >= 0)
      P["version"] = Version;
    notify("textDocument/publishDiagnostics", std::move(P));
  }

  void codeAction(const json::Value &Id, const json::Value &Params) {
    const json::Object *P = Params.getAsObject();
    const json::Object *TD = P ? P->getObject("textDocument") : nullptr;
    std::optional<StringRef> Uri = TD ? TD->getString("uri") : std::nullopt;
    const json::Object *R = P ? P->getObject("range") : nullptr;
    const json::Object *Start = R ? R->getObject("start") : nullptr;
    const json::Object *End = R ? R->getObject("end") : nullptr;
    if (!Uri || !Start || !End || !Start->getInteger("line") || !End->getInteger("line")) {
      reply(Id, InvalidParams, "codeAction needs textDocument.uri and range");
      return;
    }
    json::Array Actions;
    auto It = Docs.find(Uri->str());
    if (It != Docs.end()) {
      int64_t First = *Start->getInteger("line"), Last = *End->getInteger("line");
      for (const Finding &F : It->second.Findings) {
        int64_t L = int64_t(F.Place.Line) - 1;
        if (F.Fixes.empty() || L < First || L > Last)
          continue;
        json::Object Changes;
        for (const FindingFix &X : F.Fixes) {
          SourcePlace B = X.Begin, E = X.End;
          json::Object Rg = range(It->second, B);
          json::Object ERg = range(It->second, E);
          Rg["end"] = std::move(*ERg.get("start"));
          std::string FU = pathToUri(X.Begin.File);
          if (!Changes.get(FU))
            Changes[FU] = json::Array{};
          Changes.getArray(FU)->push_back(
              json::Object{{"range", std::move(Rg)}, {"newText", X.Text}});
        }
        std::string Title = "kdlint: " + F.Message;
        Actions.push_back(json::Object{
            {"title", Title},
            {"kind", "quickfix"},
            {"isPreferred", true},
            {"diagnostics", json::Array{diagnostic(It->second, F)}},
            {"edit", json::Object{{"changes", std::move(Changes)}}}});
      }
    }
    reply(Id, std::move(Actions));
  }

  const DriverOptions &O;
  std::string CDBDir;
  MessageReader Reader;
  std::map<std::string, Document> Docs;
  std::map<std::string, std::unique_ptr<CompilationDatabase>> DBs;
  bool Initialized = false, ShutdownRequested = false, Exited = false;
  static constexpr int DebounceMs = 300;
};

} // namespace

int runLsp(const DriverOptions &O, StringRef CompileCommandsDir) {
  return Server(O, CompileCommandsDir).run();
}

} // namespace kdlint

//===- Sarif.cpp - SARIF 2.1.0 logs and baselines -------------------------===//
//
// The log follows the OASIS SARIF 2.1.0 standard and the Microsoft SARIF
// multitool's validation rules: paths relative to %SRCROOT%, messages that
// end with a period, one rule per check with its docs, the notes as
// related locations and as a code flow, fix-its as fixes, and a fingerprint
// that does not move with the line.
//
//===----------------------------------------------------------------------===//
#include "kdlint/Sarif.h"
#include "kdlint/Check.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <map>

using namespace llvm;

namespace kdlint {

namespace {
struct CheckDoc {
  const char *Name;
  const char *Markdown;
};
const CheckDoc CheckDocs[] = {
#include "CheckDocs.inc"
};

/// `kernel-sleep-in-atomic` -> `KernelSleepInAtomic` (SARIF's rule name).
std::string pascalCase(StringRef Id) {
  std::string Out;
  bool Up = true;
  for (char C : Id) {
    if (C == '-') {
      Up = true;
      continue;
    }
    Out += Up ? toUpper(C) : C;
    Up = false;
  }
  return Out;
}

std::string sentence(StringRef S) {
  std::string Out = S.trim().str();
  if (!Out.empty() && Out.back() != '.' && Out.back() != '!' && Out.back() != '?')
    Out += '.';
  return Out;
}

/// The first paragraph after the page's title.
std::string firstParagraph(StringRef Md) {
  SmallVector<StringRef, 16> Lines;
  Md.split(Lines, '\n');
  std::string Out;
  for (StringRef L : Lines) {
    if (L.starts_with("#"))
      continue;
    if (L.trim().empty()) {
      if (!Out.empty())
        break;
      continue;
    }
    if (!Out.empty())
      Out += ' ';
    Out += L.trim().str();
  }
  return Out;
}

class LogBuilder {
public:
  LogBuilder(ArrayRef<SarifRule> Rules, const SarifOptions &O) : Rules(Rules), O(O) {
    if (!O.SrcRoot.empty()) {
      Root = O.SrcRoot;
      if (!StringRef(Root).ends_with("/"))
        Root += '/';
    }
  }

  json::Object artifact(StringRef File) const {
    if (!Root.empty() && File.starts_with(Root))
      return json::Object{{"uri", uriPathEscape(File.drop_front(Root.size()))},
                          {"uriBaseId", "%SRCROOT%"}};
    return json::Object{{"uri", "file://" + uriPathEscape(File)}};
  }

  json::Object physical(const SourcePlace &P) const {
    json::Object Region{{"startLine", std::max(1u, P.Line)}};
    if (P.Column)
      Region["startColumn"] = P.Column;
    return json::Object{{"artifactLocation", artifact(P.File)},
                        {"region", std::move(Region)}};
  }

  json::Object location(const SourcePlace &P, StringRef Message) const {
    json::Object L{{"physicalLocation", physical(P)}};
    if (!Message.empty())
      L["message"] = json::Object{{"text", sentence(Message)}};
    return L;
  }

  json::Value result(const Finding &F) const {
    json::Object R{{"ruleId", F.Check},
                   {"level", "warning"},
                   {"message", json::Object{{"text", sentence(F.Message)}}}};
    for (size_t I = 0; I < Rules.size(); ++I)
      if (Rules[I].Id == F.Check)
        R["ruleIndex"] = int64_t(I);
    json::Object Primary{{"physicalLocation", physical(F.Place)}};
    if (!F.Snippet.empty())
      (*Primary.getObject("physicalLocation")->getObject("region"))["snippet"] =
          json::Object{{"text", F.Snippet}};
    if (!F.Function.empty())
      Primary["logicalLocations"] =
          json::Array{json::Object{{"name", F.Function}, {"kind", "function"}}};
    R["locations"] = json::Array{std::move(Primary)};
    if (!F.Notes.empty()) {
      json::Array Related, Flow;
      // The path: the finding, then its explanation in the check's order
      // (where the context was entered or the resource acquired, each
      // branch and call on the way, what sleeps or where it leaks).
      Flow.push_back(json::Object{
          {"location", location(F.Place, F.Message)}, {"nestingLevel", 0}});
      int64_t Id = 1;
      for (const FindingNote &N : F.Notes) {
        json::Object L = location(N.Place, N.Text);
        L["id"] = Id++;
        Related.push_back(json::Object(L));
        Flow.push_back(json::Object{{"location", location(N.Place, N.Text)},
                                    {"nestingLevel", 0}});
      }
      R["relatedLocations"] = std::move(Related);
      R["codeFlows"] = json::Array{json::Object{
          {"threadFlows", json::Array{json::Object{{"locations", std::move(Flow)}}}}}};
    }
    if (!F.Fixes.empty()) {
      // One fix holding every replacement (they are applied together).
      std::map<std::string, json::Array> ByFile;
      for (const FindingFix &X : F.Fixes)
        ByFile[X.Begin.File].push_back(json::Object{
            {"deletedRegion",
             json::Object{{"startLine", X.Begin.Line},
                          {"startColumn", X.Begin.Column},
                          {"endLine", X.End.Line},
                          {"endColumn", X.End.Column}}},
            {"insertedContent", json::Object{{"text", X.Text}}}});
      json::Array Changes;
      for (auto &[File, Reps] : ByFile)
        Changes.push_back(json::Object{{"artifactLocation", artifact(File)},
                                       {"replacements", std::move(Reps)}});
      R["fixes"] = json::Array{json::Object{
          {"description", json::Object{{"text", "Apply kdlint's suggested change."}}},
          {"artifactChanges", std::move(Changes)}}};
    }
    R["partialFingerprints"] = json::Object{{FingerprintKey, F.Fingerprint}};
    return R;
  }

  json::Value rule(const SarifRule &R) const {
    std::string Help = O.DocsUrl + "checks/" + R.Id + ".md";
    std::string Short = firstParagraph(R.Doc);
    if (Short.empty())
      Short = R.Summary;
    json::Object Rule{
        {"id", R.Id},
        {"name", pascalCase(R.Id)},
        {"shortDescription", json::Object{{"text", sentence(Short)}}},
        {"fullDescription", json::Object{{"text", sentence("Kdlint reports " + R.Summary)}}},
        {"helpUri", Help},
        {"defaultConfiguration", json::Object{{"level", "warning"}}},
        {"properties", json::Object{{"tags", json::Array{"linux-kernel", "drivers"}}}}};
    if (!R.Doc.empty())
      Rule["help"] = json::Object{{"text", sentence("See " + Help)}, {"markdown", R.Doc}};
    return Rule;
  }

  json::Value log(ArrayRef<Finding> Findings) const {
    json::Array RuleArr, Results;
    for (const SarifRule &R : Rules)
      RuleArr.push_back(rule(R));
    for (const Finding &F : Findings)
      Results.push_back(result(F));
    json::Object Driver{{"name", "kdlint"},
                        {"fullName", "kdlint " + O.Version},
                        {"version", O.Version},
                        {"semanticVersion", O.Version},
                        {"informationUri", O.DocsUrl + "usage.md"},
                        {"rules", std::move(RuleArr)}};
    json::Object Run{{"tool", json::Object{{"driver", std::move(Driver)}}},
                     {"columnKind", "utf16CodeUnits"},
                     {"results", std::move(Results)}};
    if (!Root.empty())
      Run["originalUriBaseIds"] = json::Object{
          {"%SRCROOT%", json::Object{{"uri", "file://" + uriPathEscape(Root)}}}};
    return json::Object{
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", json::Array{std::move(Run)}}};
  }

private:
  ArrayRef<SarifRule> Rules;
  const SarifOptions &O;
  std::string Root;
};

Expected<json::Value> readJSON(StringRef Path) {
  auto Buf = MemoryBuffer::getFile(Path);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read '%s': %s", Path.str().c_str(),
                             Buf.getError().message().c_str());
  auto V = json::parse((*Buf)->getBuffer());
  if (!V)
    return createStringError(inconvertibleErrorCode(), "'%s' is not JSON: %s",
                             Path.str().c_str(), toString(V.takeError()).c_str());
  return std::move(*V);
}

/// The runs of a SARIF log, or an error naming the file.
Expected<const json::Array *> runsOf(const json::Value &V, StringRef Path) {
  const json::Object *Log = V.getAsObject();
  const json::Array *Runs = Log ? Log->getArray("runs") : nullptr;
  if (!Log || Log->getString("version") != "2.1.0" || !Runs || Runs->empty())
    return createStringError(inconvertibleErrorCode(),
                             "'%s' is not a SARIF 2.1.0 log (no version 2.1.0 and run)",
                             Path.str().c_str());
  return Runs;
}
} // namespace

std::vector<SarifRule> sarifRules() {
  std::vector<SarifRule> Out;
  for (const CheckInfo &C : allChecks()) {
    SarifRule R;
    R.Id = C.Name;
    R.Summary = C.Create()->summary().str();
    for (const CheckDoc &D : CheckDocs)
      if (R.Id == D.Name)
        R.Doc = D.Markdown;
    Out.push_back(std::move(R));
  }
  return Out;
}

json::Value sarifLog(ArrayRef<Finding> Findings, ArrayRef<SarifRule> Rules,
                     const SarifOptions &O) {
  return LogBuilder(Rules, O).log(Findings);
}

Expected<StringSet<>> readBaseline(StringRef Path) {
  auto V = readJSON(Path);
  if (!V)
    return V.takeError();
  auto Runs = runsOf(*V, Path);
  if (!Runs)
    return Runs.takeError();
  StringSet<> Out;
  for (const json::Value &Run : **Runs)
    if (const json::Object *RO = Run.getAsObject())
      if (const json::Array *Results = RO->getArray("results"))
        for (const json::Value &Res : *Results)
          if (const json::Object *R = Res.getAsObject())
            if (const json::Object *FP = R->getObject("partialFingerprints"))
              if (auto S = FP->getString(FingerprintKey))
                Out.insert(*S);
  return Out;
}

Expected<json::Value> mergeSarif(ArrayRef<std::string> Inputs) {
  std::vector<std::string> Files;
  for (const std::string &In : Inputs) {
    if (!sys::fs::is_directory(In)) {
      Files.push_back(In);
      continue;
    }
    std::error_code EC;
    std::vector<std::string> Here;
    for (sys::fs::directory_iterator I(In, EC), E; I != E && !EC; I.increment(EC))
      if (StringRef(I->path()).ends_with(".sarif"))
        Here.push_back(I->path());
    if (EC)
      return createStringError(EC, "cannot list '%s': %s", In.c_str(),
                               EC.message().c_str());
    llvm::sort(Here);
    Files.insert(Files.end(), Here.begin(), Here.end());
  }
  if (Files.empty())
    return createStringError(inconvertibleErrorCode(), "no SARIF logs to merge");
  std::optional<json::Value> Out;
  json::Array Results;
  StringSet<> Seen;
  for (const std::string &F : Files) {
    auto V = readJSON(F);
    if (!V)
      return V.takeError();
    auto Runs = runsOf(*V, F);
    if (!Runs)
      return Runs.takeError();
    for (const json::Value &Run : **Runs) {
      const json::Object *RO = Run.getAsObject();
      const json::Array *Rs = RO ? RO->getArray("results") : nullptr;
      if (!Rs)
        continue;
      for (const json::Value &Res : *Rs) {
        const json::Object *R = Res.getAsObject();
        const json::Object *FP = R ? R->getObject("partialFingerprints") : nullptr;
        auto S = FP ? FP->getString(FingerprintKey) : std::nullopt;
        if (S && !Seen.insert(*S).second)
          continue; // the same finding seen from another TU (a header)
        Results.push_back(Res);
      }
    }
    if (!Out)
      Out = std::move(*V); // the first log gives the tool, rules and base ids
  }
  json::Object *Run = (*Out->getAsObject()->getArray("runs"))[0].getAsObject();
  Run->erase("results");
  (*Run)["results"] = std::move(Results);
  json::Array &Runs = *Out->getAsObject()->getArray("runs");
  while (Runs.size() > 1)
    Runs.pop_back();
  return std::move(*Out);
}

} // namespace kdlint

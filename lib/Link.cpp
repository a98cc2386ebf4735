//===- Link.cpp - The cross-TU link: exports as JSON, the sleep fixpoint -===//
//
// What each TU tells the link (TUExports) travels from the worker to the
// parent as JSON; linkSleeps() closes "may sleep" over every TU's exports,
// the other link functions keep what functions defined once enter or leave.
// Nothing here knows Clang: the exports name functions and places by text.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Analysis.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace kdlint {

static json::Value stepToJSON(const RemoteStep &S) {
  return json::Object{{"file", S.File}, {"line", S.Line}, {"column", S.Column},
                      {"text", S.Text}};
}

static json::Value condToJSON(const ParamCond &C) {
  json::Array Values;
  for (uint64_t V : C.Values)
    Values.push_back(V);
  return json::Object{{"index", C.Index},     {"mask", C.Mask},
                      {"nonzero", C.NonZero}, {"gfp", C.Gfp},
                      {"pointer", C.Pointer}, {"eq", C.Eq},
                      {"values", std::move(Values)}};
}

static bool condFromJSON(const json::Value &V, ParamCond &C) {
  const json::Object *O = V.getAsObject();
  if (!O)
    return false;
  auto I = O->getInteger("index");
  const json::Value *Mask = O->get("mask");
  auto M = Mask ? Mask->getAsUINT64() : std::nullopt;
  auto NZ = O->getBoolean("nonzero"), G = O->getBoolean("gfp"),
       P = O->getBoolean("pointer"), Eq = O->getBoolean("eq");
  const json::Array *Values = O->getArray("values");
  if (!I || *I < 0 || !M || !NZ || !G || !P || !Eq || !Values)
    return false;
  C = ParamCond();
  C.Index = int(*I);
  C.Mask = *M;
  C.NonZero = *NZ;
  C.Gfp = *G;
  C.Pointer = *P;
  C.Eq = *Eq;
  for (const json::Value &X : *Values) {
    auto U = X.getAsUINT64();
    if (!U)
      return false;
    C.Values.push_back(*U);
  }
  return true;
}

static bool stepFromJSON(const json::Value &V, RemoteStep &S) {
  const json::Object *O = V.getAsObject();
  if (!O)
    return false;
  auto F = O->getString("file"), T = O->getString("text");
  auto L = O->getInteger("line"), C = O->getInteger("column");
  if (!F || !T || !L || !C)
    return false;
  S = RemoteStep{F->str(), unsigned(*L), unsigned(*C), T->str()};
  return true;
}

/// Every step of \p A into \p Out; false if one is malformed.
static bool stepsFromJSON(const json::Array &A, std::vector<RemoteStep> &Out) {
  for (const json::Value &S : A) {
    Out.emplace_back();
    if (!stepFromJSON(S, Out.back()))
      return false;
  }
  return true;
}

static bool stringsFromJSON(const json::Array &A, std::vector<std::string> &Out) {
  for (const json::Value &V : A) {
    auto S = V.getAsString();
    if (!S)
      return false;
    Out.push_back(S->str());
  }
  return true;
}

json::Value exportsToJSON(const TUExports &X) {
  json::Array Fns;
  for (const ExportedFunction &F : X.Functions) {
    json::Array Sleeps, Calls;
    for (const RemoteStep &S : F.Sleeps)
      Sleeps.push_back(stepToJSON(S));
    for (const auto &[Name, Path] : F.Calls) {
      json::Array P;
      for (const RemoteStep &S : Path)
        P.push_back(stepToJSON(S));
      Calls.push_back(json::Object{{"name", Name}, {"path", std::move(P)}});
    }
    json::Array Releases;
    for (int C : F.Releases)
      Releases.push_back(C);
    json::Array Acquires;
    for (const ExportedAcquire &A : F.Acquires) {
      json::Array Ev;
      for (const RemoteStep &S : A.Evidence)
        Ev.push_back(stepToJSON(S));
      Acquires.push_back(json::Object{
          {"context", A.Context}, {"key", A.Key}, {"evidence", std::move(Ev)}});
    }
    json::Array CondSleeps;
    for (const ExportedCondSleep &CS : F.CondSleeps) {
      json::Array Also, Chain;
      for (const ParamCond &A : CS.Also)
        Also.push_back(condToJSON(A));
      for (const RemoteStep &S : CS.Chain)
        Chain.push_back(stepToJSON(S));
      CondSleeps.push_back(json::Object{{"cond", condToJSON(CS.Cond)},
                                        {"also", std::move(Also)},
                                        {"unless-interrupt", CS.UnlessInterrupt},
                                        {"chain", std::move(Chain)}});
    }
    Fns.push_back(json::Object{{"name", F.Name},
                               {"file", F.File},
                               {"sleeps", std::move(Sleeps)},
                               {"calls", std::move(Calls)},
                               {"releases", std::move(Releases)},
                               {"acquires", std::move(Acquires)},
                               {"cond-sleeps", std::move(CondSleeps)},
                               {"res-releases", json::Array(F.ResReleases)},
                               {"kept", json::Array(F.Kept)}});
  }
  json::Array Callees, AllCallees, Defines, Registered;
  for (const std::string &C : X.Callees)
    Callees.push_back(C);
  for (const std::string &C : X.AllCallees)
    AllCallees.push_back(C);
  for (const auto &[Name, File] : X.Defines)
    Defines.push_back(json::Object{{"name", Name}, {"file", File}});
  for (const ExportedRegistration &R : X.Registered)
    Registered.push_back(json::Object{{"callback", R.Callback},
                                      {"context", R.Context},
                                      {"site", stepToJSON(R.Site)}});
  json::Array Stores;
  for (const ExportedFieldStore &S : X.FieldStores)
    Stores.push_back(json::Object{{"key", S.Key},
                                  {"family", S.Family},
                                  {"acquirer", S.Acquirer},
                                  {"function", S.Function},
                                  {"order", S.Order},
                                  {"acquired", stepToJSON(S.Acquired)},
                                  {"stored", stepToJSON(S.Stored)},
                                  {"target", S.Target}});
  return json::Object{{"file", X.File},
                      {"module", X.Module},
                      {"field-stores", std::move(Stores)},
                      {"fields-released", json::Array(X.FieldsReleased)},
                      {"fields-released-apart", json::Array(X.FieldsReleasedApart)},
                      {"fields-handed-on", json::Array(X.FieldsHandedOn)},
                      {"functions", std::move(Fns)},
                      {"callees", std::move(Callees)},
                      {"all-callees", std::move(AllCallees)},
                      {"defines", std::move(Defines)},
                      {"registered", std::move(Registered)}};
}

bool exportsFromJSON(const json::Value &V, TUExports &X) {
  const json::Object *O = V.getAsObject();
  const json::Array *Fns = O ? O->getArray("functions") : nullptr;
  const json::Array *Callees = O ? O->getArray("callees") : nullptr;
  const json::Array *AllCallees = O ? O->getArray("all-callees") : nullptr;
  const json::Array *Defines = O ? O->getArray("defines") : nullptr;
  const json::Array *Registered = O ? O->getArray("registered") : nullptr;
  const json::Array *Stores = O ? O->getArray("field-stores") : nullptr;
  const json::Array *Released = O ? O->getArray("fields-released") : nullptr;
  const json::Array *HandedOn = O ? O->getArray("fields-handed-on") : nullptr;
  const json::Array *Apart = O ? O->getArray("fields-released-apart") : nullptr;
  auto File = O ? O->getString("file") : std::nullopt;
  auto Module = O ? O->getString("module") : std::nullopt;
  if (!Fns || !Callees || !AllCallees || !Defines || !Registered || !Stores ||
      !Released || !HandedOn || !Apart || !File ||
      !stringsFromJSON(*Released, X.FieldsReleased) ||
      !stringsFromJSON(*Apart, X.FieldsReleasedApart) ||
      !stringsFromJSON(*HandedOn, X.FieldsHandedOn))
    return false;
  if (!Module)
    return false;
  X.File = File->str();
  X.Module = Module->str();
  for (const json::Value &SV : *Stores) {
    const json::Object *SO = SV.getAsObject();
    auto K = SO ? SO->getString("key") : std::nullopt;
    auto Fam = SO ? SO->getString("family") : std::nullopt;
    auto Acq = SO ? SO->getString("acquirer") : std::nullopt;
    auto Fn = SO ? SO->getString("function") : std::nullopt;
    auto Order = SO ? SO->getInteger("order") : std::nullopt;
    auto Target = SO ? SO->getString("target") : std::nullopt;
    const json::Value *A = SO ? SO->get("acquired") : nullptr;
    const json::Value *St = SO ? SO->get("stored") : nullptr;
    ExportedFieldStore S;
    if (!K || !Fam || !Acq || !Fn || !Order || !Target || !A || !St ||
        !stepFromJSON(*A, S.Acquired) ||
        !stepFromJSON(*St, S.Stored))
      return false;
    S.Key = K->str();
    S.Family = Fam->str();
    S.Acquirer = Acq->str();
    S.Function = Fn->str();
    S.Order = *Order;
    S.Target = Target->str();
    X.FieldStores.push_back(std::move(S));
  }
  for (const json::Value &FV : *Fns) {
    const json::Object *FO = FV.getAsObject();
    if (!FO)
      return false;
    ExportedFunction F;
    auto N = FO->getString("name"), File = FO->getString("file");
    const json::Array *Sleeps = FO->getArray("sleeps"), *Calls = FO->getArray("calls");
    const json::Array *Releases = FO->getArray("releases");
    const json::Array *Acquires = FO->getArray("acquires");
    const json::Array *CondSleeps = FO->getArray("cond-sleeps");
    const json::Array *ResReleases = FO->getArray("res-releases");
    const json::Array *Kept = FO->getArray("kept");
    if (!N || !File || !Sleeps || !Calls || !Releases || !Acquires || !CondSleeps ||
        !ResReleases || !Kept || !stringsFromJSON(*ResReleases, F.ResReleases))
      return false;
    for (const json::Value &KV : *Kept) {
      auto Ix = KV.getAsUINT64();
      if (!Ix || *Ix >= X.FieldStores.size())
        return false;
      F.Kept.push_back(unsigned(*Ix));
    }
    for (const json::Value &CV : *CondSleeps) {
      const json::Object *CO = CV.getAsObject();
      const json::Value *Cond = CO ? CO->get("cond") : nullptr;
      const json::Array *Also = CO ? CO->getArray("also") : nullptr;
      const json::Array *Chain = CO ? CO->getArray("chain") : nullptr;
      auto UI = CO ? CO->getBoolean("unless-interrupt") : std::nullopt;
      ExportedCondSleep CS;
      if (!Cond || !Also || !Chain || !UI || !condFromJSON(*Cond, CS.Cond))
        return false;
      CS.UnlessInterrupt = *UI;
      for (const json::Value &A : *Also) {
        CS.Also.emplace_back();
        if (!condFromJSON(A, CS.Also.back()))
          return false;
      }
      if (!stepsFromJSON(*Chain, CS.Chain))
        return false;
      F.CondSleeps.push_back(std::move(CS));
    }
    for (const json::Value &AV : *Acquires) {
      const json::Object *AO = AV.getAsObject();
      auto C = AO ? AO->getInteger("context") : std::nullopt;
      auto K = AO ? AO->getString("key") : std::nullopt;
      const json::Array *Ev = AO ? AO->getArray("evidence") : nullptr;
      if (!C || !K || !Ev)
        return false;
      ExportedAcquire A{int(*C), K->str(), {}};
      if (!stepsFromJSON(*Ev, A.Evidence))
        return false;
      F.Acquires.push_back(std::move(A));
    }
    for (const json::Value &R : *Releases) {
      std::optional<int64_t> C = R.getAsInteger();
      if (!C)
        return false;
      F.Releases.push_back(int(*C));
    }
    F.Name = N->str();
    F.File = File->str();
    if (!stepsFromJSON(*Sleeps, F.Sleeps))
      return false;
    for (const json::Value &C : *Calls) {
      const json::Object *CO = C.getAsObject();
      const json::Array *Path = CO ? CO->getArray("path") : nullptr;
      auto CN = CO ? CO->getString("name") : std::nullopt;
      if (!Path || !CN)
        return false;
      F.Calls.push_back({CN->str(), {}});
      if (!stepsFromJSON(*Path, F.Calls.back().second))
        return false;
    }
    X.Functions.push_back(std::move(F));
  }
  if (!stringsFromJSON(*Callees, X.Callees) || !stringsFromJSON(*AllCallees, X.AllCallees))
    return false;
  for (const json::Value &D : *Defines) {
    const json::Object *DO = D.getAsObject();
    auto N = DO ? DO->getString("name") : std::nullopt;
    auto F = DO ? DO->getString("file") : std::nullopt;
    if (!N || !F)
      return false;
    X.Defines.push_back({N->str(), F->str()});
  }
  for (const json::Value &R : *Registered) {
    const json::Object *RO = R.getAsObject();
    auto N = RO ? RO->getString("callback") : std::nullopt;
    auto C = RO ? RO->getInteger("context") : std::nullopt;
    const json::Value *Site = RO ? RO->get("site") : nullptr;
    ExportedRegistration Reg;
    if (!N || !C || !Site || !stepFromJSON(*Site, Reg.Site))
      return false;
    Reg.Callback = N->str();
    Reg.Context = int(*C);
    X.Registered.push_back(std::move(Reg));
  }
  return true;
}

/// The names the TUs of the run define in exactly one file.
static StringSet<> definedOnce(ArrayRef<const TUExports *> TUs) {
  StringMap<StringRef> File;
  StringSet<> Ambiguous, Out;
  auto Define = [&](StringRef Name, StringRef Path) {
    auto [It, New] = File.try_emplace(Name, Path);
    if (!New && It->second != Path)
      Ambiguous.insert(Name);
  };
  for (const TUExports *T : TUs) {
    for (const auto &[Name, Path] : T->Defines)
      Define(Name, Path);
    for (const ExportedFunction &F : T->Functions)
      Define(F.Name, F.File);
  }
  for (const auto &E : File)
    if (!Ambiguous.count(E.getKey()))
      Out.insert(E.getKey());
  return Out;
}

ExternalContexts linkContexts(ArrayRef<const TUExports *> TUs) {
  StringSet<> Once = definedOnce(TUs);
  ExternalContexts Out;
  for (const TUExports *T : TUs)
    for (const ExportedRegistration &R : T->Registered) {
      if (!Once.count(R.Callback))
        continue;
      std::vector<ExternalContext> &V = Out[R.Callback];
      if (none_of(V, [&](const ExternalContext &X) { return X.Context == R.Context; }))
        V.push_back({R.Context, R.Site});
    }
  return Out;
}

bool sleepsCross(StringRef Caller, StringRef Callee, size_t ChainSize) {
  return Caller.empty() || Callee.empty() || Caller == Callee || ChainSize <= 1;
}

/// Every function the TUs define, with its TU's module.
static StringMap<std::string> modulesOf(ArrayRef<const TUExports *> TUs) {
  StringMap<std::string> Out;
  for (const TUExports *X : TUs)
    for (const auto &D : X->Defines)
      Out[D.first] = X->Module;
  return Out;
}

ExternalSleeps linkSleeps(ArrayRef<const TUExports *> TUs) {
  // One definition per name; a name two TUs define (two modules' own
  // static-less helpers) is ambiguous and left out.
  StringMap<const ExportedFunction *> Defs;
  StringSet<> Ambiguous;
  for (const TUExports *T : TUs)
    for (const ExportedFunction &F : T->Functions) {
      auto [It, New] = Defs.try_emplace(F.Name, &F);
      if (!New && It->second->File != F.File)
        Ambiguous.insert(F.Name);
    }
  StringSet<> Once = definedOnce(TUs);
  for (const auto &A : Ambiguous)
    Defs.erase(A.getKey());
  for (auto It = Defs.begin(); It != Defs.end();) {
    auto Cur = It++;
    if (!Once.count(Cur->getKey()))
      Defs.erase(Cur);
  }
  StringMap<std::string> Module = modulesOf(TUs);
  ExternalSleeps Out;
  auto FileName = [](StringRef Path) { return sys::path::filename(Path).str(); };
  for (const auto &[Name, F] : Defs)
    if (!F->Sleeps.empty())
      Out[Name] = ExternalSleep{FileName(F->File), F->Sleeps};
  // Callers of sleepers sleep, to a fixpoint (each round adds at least one
  // name, so at most |Defs| rounds).
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto &[Name, F] : Defs) {
      if (Out.count(Name))
        continue;
      for (const auto &[Callee, Path] : F->Calls) {
        auto It = Out.find(Callee);
        if (It == Out.end() || Callee == Name ||
            !sleepsCross(Module.lookup(Name), Module.lookup(Callee), It->second.Chain.size()))
          continue;
        ExternalSleep S{FileName(F->File), Path};
        for (const RemoteStep &St : It->second.Chain)
          if (S.Chain.size() < 16)
            S.Chain.push_back(St);
        Out[Name] = std::move(S);
        Changed = true;
        break;
      }
    }
  }
  return Out;
}

/// What \p Field of each function defined in exactly one TU says, by name.
template <typename T>
static StringMap<T> ofDefinedOnce(ArrayRef<const TUExports *> TUs,
                                  T ExportedFunction::*Field) {
  StringSet<> Once = definedOnce(TUs);
  StringMap<T> Out;
  for (const TUExports *X : TUs)
    for (const ExportedFunction &F : X->Functions)
      if (!(F.*Field).empty() && Once.count(F.Name))
        Out[F.Name] = F.*Field;
  return Out;
}

ExternalReleases linkReleases(ArrayRef<const TUExports *> TUs) {
  return ofDefinedOnce(TUs, &ExportedFunction::Releases);
}

ExternalCondSleeps linkCondSleeps(ArrayRef<const TUExports *> TUs) {
  return ofDefinedOnce(TUs, &ExportedFunction::CondSleeps);
}

ExternalAcquires linkAcquires(ArrayRef<const TUExports *> TUs) {
  return ofDefinedOnce(TUs, &ExportedFunction::Acquires);
}

ExternalResReleases linkResReleases(ArrayRef<const TUExports *> TUs) {
  return ofDefinedOnce(TUs, &ExportedFunction::ResReleases);
}

bool sameDriver(StringRef Store, StringRef Release) {
  return Store != Release &&
         sys::path::parent_path(Store) == sys::path::parent_path(Release);
}

bool sameDriver(StringRef Store, StringRef StoreModule, StringRef Release,
                StringRef ReleaseModule) {
  if (!StoreModule.empty() && !ReleaseModule.empty())
    return Store != Release && StoreModule == ReleaseModule;
  return sameDriver(Store, Release);
}

ExternalFieldStores linkFieldStores(ArrayRef<const TUExports *> TUs) {
  // Only fields some TU releases matter.
  StringSet<> Released;
  for (const TUExports *X : TUs)
    for (const std::string &K : X->FieldsReleased)
      Released.insert(K);
  ExternalFieldStores Out;
  for (const TUExports *X : TUs)
    for (const ExportedFieldStore &S : X->FieldStores)
      if (Released.count(S.Key)) {
        Out[S.Key].push_back(S);
        Out[S.Key].back().Module = X->Module;
      }
  return Out;
}

/// The field of a FieldRef::Key: "foo_priv@/abs/foo.h:table" is "table".
static StringRef fieldName(StringRef Key) { return Key.rsplit(':').second; }

ExternalFieldStores linkKept(ArrayRef<const TUExports *> TUs) {
  // A field released (other than by the unwinding of the function that
  // fills it), or copied into another, by any TU of the run, by the field's
  // name alone (an alias through another structure is released under
  // another record).
  StringSet<> Let;
  for (const TUExports *X : TUs) {
    for (const std::string &K : X->FieldsReleasedApart)
      Let.insert(fieldName(K));
    for (const std::string &K : X->FieldsHandedOn)
      Let.insert(fieldName(K));
  }
  StringSet<> Once = definedOnce(TUs);
  ExternalFieldStores Out;
  for (const TUExports *X : TUs)
    for (const ExportedFunction &F : X->Functions) {
      if (F.Kept.empty() || !Once.count(F.Name))
        continue;
      for (unsigned Ix : F.Kept)
        if (Ix < X->FieldStores.size() && !Let.count(fieldName(X->FieldStores[Ix].Key))) {
          Out[F.Name].push_back(X->FieldStores[Ix]);
          Out[F.Name].back().Module = X->Module;
        }
    }
  return Out;
}

LinkResult linkAll(ArrayRef<const TUExports *> TUs) {
  LinkResult L;
  L.Sleeps = linkSleeps(TUs);
  L.Contexts = linkContexts(TUs);
  L.Releases = linkReleases(TUs);
  L.Acquires = linkAcquires(TUs);
  L.CondSleeps = linkCondSleeps(TUs);
  L.ResReleases = linkResReleases(TUs);
  L.FieldStores = linkFieldStores(TUs);
  L.Kept = linkKept(TUs);
  L.ModuleOf = modulesOf(TUs);
  return L;
}

bool LinkResult::needsSecondPass(const TUExports &X, unsigned Findings) const {
  return any_of(X.Callees,
                [&](const std::string &C) {
                  return Sleeps.count(C) || Releases.count(C) || CondSleeps.count(C);
                }) ||
         any_of(X.AllCallees,
                [&](const std::string &C) {
                  return Acquires.count(C) || (Findings && ResReleases.count(C)) ||
                         Kept.count(C);
                }) ||
         any_of(X.FieldsReleased,
                [&](const std::string &K) {
                  auto It = FieldStores.find(K);
                  return It != FieldStores.end() &&
                         any_of(It->second, [&](const ExportedFieldStore &S) {
                           return sameDriver(S.Stored.File, S.Module, X.File, X.Module);
                         });
                }) ||
         any_of(X.Defines, [&](const auto &D) { return Contexts.count(D.first) != 0; });
}

} // namespace kdlint

//===- FactsIO.cpp - The facts of a TU as JSON, and back ------------------===//
//
// The facts are plain data (IR.h, Facts.h): declarations are entries of the
// TU's tables, places are file indices and offsets, model entities are
// named. Each structure's fields are listed once, in map(), for both
// directions: a Writer turns them into JSON, a Reader fills them from it and
// fails on anything missing or of the wrong type.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Facts.h"
#include "kdlint/Analysis.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include <tuple>
#include <type_traits>

using namespace llvm;

namespace kdlint {
namespace {

// ---- The fields of each structure, for both directions ----------------------

template <class IO> void map(IO &io, SourceLoc &L) {
  io.f("file", L.File);
  io.f("offset", L.Offset);
  io.f("line", L.Line);
  io.f("column", L.Column);
}
template <class IO> void map(IO &io, LocRange &R) {
  io.f("begin", R.Begin);
  io.f("length", R.Length);
}
template <class IO> void map(IO &io, ArgValue &V) {
  io.f("kind", V.Kind);
  io.f("bits", V.Bits);
  io.f("negative", V.Negative);
  io.f("mask", V.Mask);
  io.f("param", V.ParamIndex);
  io.f("fn", V.Fn);
  io.f("text", V.Text);
}
template <class IO> void map(IO &io, ParamCond &C) {
  io.f("index", C.Index);
  io.f("mask", C.Mask);
  io.f("nonzero", C.NonZero);
  io.f("gfp", C.Gfp);
  io.f("handle", C.Handle);
  io.f("pointer", C.Pointer);
  io.f("eq", C.Eq);
  io.f("values", C.Values);
}
template <class IO> void map(IO &io, ArgInfo &A) {
  io.f("value", A.V);
  io.f("key", A.Key);
  io.f("full_key", A.FullKey);
  io.f("text", A.Text);
  io.f("range", A.Range);
  io.f("field", A.Field);
  io.f("record", A.Record);
  io.f("local", A.Local);
  io.f("global", A.Global);
  io.f("lvalue", A.Lvalue);
  io.f("iomem", A.Iomem);
  io.f("decl", A.DeclLoc);
  io.f("addr", A.Addr);
  io.f("addr_why", A.AddrWhy);
  io.f("event", A.Event);
}
template <class IO> void map(IO &io, Event &E) {
  io.f("kind", E.Kind);
  io.f("prim", E.Prim);
  io.f("callee", E.Callee);
  io.f("name", E.Name);
  io.f("name_spelled", E.NameSpelled);
  io.f("external", E.External);
  io.f("external_driver", E.ExternalDriver);
  io.f("loc", E.Loc);
  io.f("key", E.Key);
  io.f("args", E.Args);
  io.f("gfp", E.Gfp);
  io.f("callback", E.Callback);
  io.f("context", E.Context);
  io.f("scope_end", E.ScopeEnd);
  io.f("rargs", E.RArgs);
  io.f("target", E.Target);
  io.f("value", E.Value);
  io.f("how", E.How);
  io.f("sleep_arg", E.SleepArg);
  io.f("releases_keys", E.ReleasesKeys);
  io.f("mixed", E.Mixed);
  io.f("alt_events", E.AltEvents);
  io.f("sets", E.Sets);
  io.f("kills", E.Kills);
}
template <class IO> void map(IO &io, BranchFact &B) {
  io.f("kind", B.Kind);
  io.f("true_means_yes", B.TrueMeansYes);
  io.f("event", B.EventIndex);
  io.f("cond", B.Cond);
  io.f("field", B.Field);
}
template <class IO> void map(IO &io, ResultTest &T) {
  io.f("kind", T.Kind);
  io.f("true_means_yes", T.TrueMeansYes);
  io.f("key", T.Key);
  io.f("other", T.Other);
  io.f("event", T.Event);
  io.f("integer", T.Integer);
}
template <class IO> void map(IO &io, PureCond &C) {
  io.f("key", C.Key);
  io.f("reads", C.Reads);
  io.f("mask_of", C.MaskOf);
  io.f("mask", C.Mask);
  io.f("lvalue", C.Lvalue);
  io.f("cmp_l", C.CmpL);
  io.f("cmp_r", C.CmpR);
  io.f("cmp_true", C.CmpTrue);
}
template <class IO> void map(IO &io, BlockFacts &B) {
  io.f("events", B.Events);
  io.f("succs", B.Succs);
  io.f("preds", B.Preds);
  io.f("branch", B.Branch);
  io.f("test", B.Test);
  io.f("cond_loc", B.CondLoc);
  io.f("cond", B.Cond);
  io.f("cond_on_true", B.CondOnTrue);
  io.f("kills", B.Kills);
  io.f("implied", B.Implied);
  io.f("edge_conds", B.EdgeConds);
}
template <class IO> void map(IO &io, FunctionFacts &F) {
  io.f("fn", F.FD);
  io.f("name", F.Name);
  io.f("loc", F.Loc);
  io.f("begin", F.Begin);
  io.f("end", F.End);
  io.f("events", F.Events);
  io.f("blocks", F.Blocks);
  io.f("entry", F.Entry);
  io.f("exit", F.Exit);
  io.f("order", F.Order);
  io.f("indirect_calls", F.IndirectCalls);
  io.f("field_stores", F.FieldStores);
  io.f("field_copies", F.FieldCopies);
  io.f("pointer_copies", F.PointerCopies);
  io.f("conds", F.Conds);
}
template <class IO> void map(IO &io, GlobalRegistration &R) {
  io.f("callback", R.Callback);
  io.f("context", R.Context);
  io.f("loc", R.Loc);
  io.f("via", R.Via);
}
template <class IO> void map(IO &io, OpsRegistration &O) {
  io.f("probe", O.Probe);
  io.f("remove", O.Remove);
  io.f("record", O.Record);
  io.f("remove_field", O.RemoveField);
  io.f("loc", O.Loc);
}
template <class IO> void map(IO &io, FunctionRef &R) {
  io.f("name", R.Name);
  io.f("usr", R.Usr);
  io.f("defined", R.Defined);
  io.f("externally_visible", R.ExternallyVisible);
  io.f("params", R.Params);
  io.f("returns_pointer", R.ReturnsPointer);
  io.f("returns_integer", R.ReturnsInteger);
  io.f("section", R.Section);
}
template <class IO> void map(IO &io, RecordRef &R) { io.f("name", R.Name); }
template <class IO> void map(IO &io, FieldRef &R) {
  io.f("name", R.Name);
  io.f("parent", R.Parent);
  io.f("key", R.Key);
}

// The summaries (Analysis.h): what a caller needs of a function.
template <class IO> void map(IO &io, Step &S) {
  io.f("loc", S.Loc);
  io.f("text", S.Text);
}
template <class IO> void map(IO &io, Guards &G) { io.f("facts", G.Facts); }
template <class IO> void map(IO &io, Held &H) {
  io.f("origin", H.Origin);
  io.f("context", H.Context);
  io.f("key", H.Key);
  io.f("scope_end", H.ScopeEnd);
  io.f("must", H.Must);
  io.f("retaken", H.Retaken);
  io.f("guards", H.G);
  io.f("evidence", H.Evidence);
}
template <class IO> void map(IO &io, ReleasedLock &R) {
  io.f("context", R.Context);
  io.f("key", R.Key);
  io.f("param", R.Param);
  io.f("suffix", R.Suffix);
}
template <class IO> void map(IO &io, SleepFact &S) {
  io.f("param", S.Param);
  io.f("cond", S.Cond);
  io.f("also", S.Also);
  io.f("unless_interrupt", S.UnlessInterrupt);
  io.f("chain", S.Chain);
  io.f("caller_gfp", S.CallerGfp);
  io.f("released_before", S.ReleasedBefore);
  io.f("unless_flags", S.UnlessFlags);
}
template <class IO> void map(IO &io, FunctionSummary &S) {
  io.f("always", S.Always);
  io.f("by_param", S.ByParam);
  io.f("acquires", S.Acquires);
  io.f("releases", S.Releases);
}

template <class T> struct IsSeq : std::false_type {};
template <class T> struct IsSeq<std::vector<T>> : std::true_type {};
template <class T, unsigned N> struct IsSeq<SmallVector<T, N>> : std::true_type {};

// ---- JSON out ---------------------------------------------------------------

class Writer {
public:
  Writer(const TUFacts &T, const Model &M) : M(M) {
    for (size_t I = 0; I < T.FunctionTable.size(); ++I)
      Fns[T.FunctionTable[I].get()] = int(I);
    for (size_t I = 0; I < T.FieldTable.size(); ++I)
      Fields[T.FieldTable[I].get()] = int(I);
    for (size_t I = 0; I < T.RecordTable.size(); ++I)
      Records[T.RecordTable[I].get()] = int(I);
  }
  template <class T> void f(const char *Key, const T &X) { (*Cur)[Key] = val(X); }

  json::Value val(const std::string &S) { return S; }
  json::Value val(bool B) { return B; }
  template <class T> json::Value val(const T &X) {
    if constexpr (std::is_enum_v<T>)
      return int64_t(X);
    else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>)
      return int64_t(X);
    else if constexpr (std::is_integral_v<T>)
      return uint64_t(X);
    else if constexpr (IsSeq<T>::value) {
      json::Array A;
      for (const auto &E : X)
        A.push_back(val(E));
      return A;
    } else {
      json::Object O;
      json::Object *Saved = std::exchange(Cur, &O);
      map(*this, const_cast<T &>(X));
      Cur = Saved;
      return O;
    }
  }
  template <class T> json::Value val(const std::optional<T> &X) {
    return X ? val(*X) : json::Value(nullptr);
  }
  template <class A, class B> json::Value val(const std::pair<A, B> &X) {
    return json::Array{val(X.first), val(X.second)};
  }
  template <class A, class B, class C> json::Value val(const std::tuple<A, B, C> &X) {
    return json::Array{val(std::get<0>(X)), val(std::get<1>(X)), val(std::get<2>(X))};
  }
  json::Value val(const FunctionRef *P) { return P ? Fns.lookup(P) : -1; }
  json::Value val(const FieldRef *P) { return P ? Fields.lookup(P) : -1; }
  json::Value val(const RecordRef *P) { return P ? Records.lookup(P) : -1; }
  json::Value val(const ContextKind *C) { return C ? M.contextIndex(C) : -1; }
  json::Value val(const Primitive *P) {
    if (!P)
      return nullptr;
    bool Guard = M.lookupGuard(P->Name) == P;
    return json::Object{{"name", P->Name}, {"guard", Guard}};
  }

private:
  const Model &M;
  DenseMap<const FunctionRef *, int> Fns;
  DenseMap<const FieldRef *, int> Fields;
  DenseMap<const RecordRef *, int> Records;
  json::Object *Cur = nullptr;
};

// ---- JSON in ----------------------------------------------------------------

class Reader {
public:
  Reader(const TUFacts &T, const Model &M) : T(T), M(M) {}
  template <class X> void f(const char *Key, X &Out) {
    if (!Error.empty())
      return;
    const json::Value *V = Cur ? Cur->get(Key) : nullptr;
    if (!V) {
      fail(std::string("missing '") + Key + "'");
      return;
    }
    get(*V, Out);
    if (!Error.empty() && Error.find(" in '") == std::string::npos)
      Error += std::string(" in '") + Key + "'";
  }
  std::string Error;

  void get(const json::Value &V, std::string &S) {
    if (auto X = V.getAsString())
      S = X->str();
    else
      fail("not a string");
  }
  void get(const json::Value &V, bool &B) {
    if (auto X = V.getAsBoolean())
      B = *X;
    else
      fail("not a boolean");
  }
  template <class X> void get(const json::Value &V, X &Out) {
    if constexpr (std::is_enum_v<X> || (std::is_integral_v<X> && std::is_signed_v<X>)) {
      if (auto I = V.getAsInteger())
        Out = X(*I);
      else
        fail("not an integer");
    } else if constexpr (std::is_integral_v<X>) {
      if (auto U = V.getAsUINT64())
        Out = X(*U);
      else
        fail("not an unsigned integer");
    } else if constexpr (IsSeq<X>::value) {
      const json::Array *A = V.getAsArray();
      if (!A)
        return fail("not an array");
      Out.clear();
      for (const json::Value &E : *A) {
        Out.emplace_back();
        get(E, Out.back());
        if (!Error.empty())
          return;
      }
    } else {
      const json::Object *O = V.getAsObject();
      if (!O)
        return fail("not an object");
      const json::Object *Saved = std::exchange(Cur, O);
      Out = X();
      map(*this, Out);
      Cur = Saved;
    }
  }
  template <class X> void get(const json::Value &V, std::optional<X> &Out) {
    if (V.getAsNull()) {
      Out.reset();
      return;
    }
    Out.emplace();
    get(V, *Out);
  }
  template <class A, class B> void get(const json::Value &V, std::pair<A, B> &Out) {
    const json::Array *Arr = V.getAsArray();
    if (!Arr || Arr->size() != 2)
      return fail("not a pair");
    get((*Arr)[0], Out.first);
    get((*Arr)[1], Out.second);
  }
  template <class A, class B, class C>
  void get(const json::Value &V, std::tuple<A, B, C> &Out) {
    const json::Array *Arr = V.getAsArray();
    if (!Arr || Arr->size() != 3)
      return fail("not a triple");
    get((*Arr)[0], std::get<0>(Out));
    get((*Arr)[1], std::get<1>(Out));
    get((*Arr)[2], std::get<2>(Out));
  }
  template <class P>
  void entry(const json::Value &V, const std::vector<std::unique_ptr<P>> &Table,
             const P *&Out) {
    auto I = V.getAsInteger();
    if (!I || *I < -1 || *I >= int64_t(Table.size()))
      return fail("not an entry of its table");
    Out = *I < 0 ? nullptr : Table[*I].get();
  }
  void get(const json::Value &V, const FunctionRef *&Out) { entry(V, T.FunctionTable, Out); }
  void get(const json::Value &V, const FieldRef *&Out) { entry(V, T.FieldTable, Out); }
  void get(const json::Value &V, const RecordRef *&Out) { entry(V, T.RecordTable, Out); }
  void get(const json::Value &V, const ContextKind *&Out) {
    auto I = V.getAsInteger();
    Out = I ? M.contextAt(int(*I)) : nullptr;
    if (!I || (*I >= 0 && !Out))
      fail("not a context of the model");
  }
  void get(const json::Value &V, const Primitive *&Out) {
    Out = nullptr;
    if (V.getAsNull())
      return;
    const json::Object *O = V.getAsObject();
    auto Name = O ? O->getString("name") : std::nullopt;
    auto Guard = O ? O->getBoolean("guard") : std::nullopt;
    if (!Name || !Guard)
      return fail("not a primitive");
    Out = *Guard ? M.lookupGuard(*Name) : M.lookup(*Name);
    if (!Out)
      fail(("'" + *Name + "' is not a primitive of the model").str());
  }

private:
  void fail(std::string Why) {
    if (Error.empty())
      Error = std::move(Why);
  }
  const TUFacts &T;
  const Model &M;
  const json::Object *Cur = nullptr;
};

} // namespace

json::Value summaryToJSON(const FunctionSummary &S, const TUFacts &T, const Model &M) {
  Writer W(T, M);
  return W.val(S);
}

Error summaryFromJSON(const json::Value &V, const TUFacts &T, const Model &M,
                      FunctionSummary &S) {
  Reader R(T, M);
  R.get(V, S);
  if (!R.Error.empty())
    return createStringError(inconvertibleErrorCode(), "malformed summary: " + R.Error);
  return Error::success();
}

json::Value factsToJSON(const TUFacts &T, const Model &M) {
  Writer W(T, M);
  json::Array Files;
  for (const std::string &F : T.Files)
    Files.push_back(F);
  json::Array Fns, Fields, Records, Functions, Regs, Ops, Teardowns, Targets;
  for (const auto &R : T.FunctionTable)
    Fns.push_back(W.val(*R));
  for (const auto &R : T.FieldTable)
    Fields.push_back(W.val(*R));
  for (const auto &R : T.RecordTable)
    Records.push_back(W.val(*R));
  for (const auto &F : T.Functions)
    Functions.push_back(W.val(*F));
  for (const GlobalRegistration &R : T.Registrations)
    Regs.push_back(W.val(R));
  for (const OpsRegistration &O : T.Ops)
    Ops.push_back(W.val(O));
  for (const FunctionRef *F : T.Teardowns)
    Teardowns.push_back(W.val(F));
  // By the field's index: the map's order is not the TU's.
  std::vector<std::pair<int64_t, json::Value>> ByField;
  for (const auto &[Fd, List] : T.FieldTargets) {
    json::Array A;
    for (const FunctionRef *F : List)
      A.push_back(W.val(F));
    ByField.push_back({*W.val(Fd).getAsInteger(), std::move(A)});
  }
  llvm::sort(ByField, [](const auto &X, const auto &Y) { return X.first < Y.first; });
  for (auto &[Fd, A] : ByField)
    Targets.push_back(json::Array{Fd, std::move(A)});
  json::Object Constants;
  for (const auto &C : T.Constants.Values)
    Constants[C.getKey()] = C.getValue();
  return json::Object{{"files", std::move(Files)},
                      {"function_table", std::move(Fns)},
                      {"record_table", std::move(Records)},
                      {"field_table", std::move(Fields)},
                      {"functions", std::move(Functions)},
                      {"registrations", std::move(Regs)},
                      {"constants", std::move(Constants)},
                      {"ops", std::move(Ops)},
                      {"teardowns", std::move(Teardowns)},
                      {"field_targets", std::move(Targets)}};
}

Error factsFromJSON(const json::Value &V, const Model &M, TUFacts &T) {
  T = TUFacts();
  auto Fail = [](const Twine &Why) {
    return createStringError(inconvertibleErrorCode(), "malformed facts: " + Why);
  };
  const json::Object *O = V.getAsObject();
  if (!O)
    return Fail("not an object");
  auto Arr = [&](StringRef K) { return O->getArray(K); };
  const json::Array *Files = Arr("files"), *Fns = Arr("function_table"),
                    *Records = Arr("record_table"), *Fields = Arr("field_table"),
                    *Functions = Arr("functions"), *Regs = Arr("registrations"),
                    *Ops = Arr("ops"), *Teardowns = Arr("teardowns"),
                    *Targets = Arr("field_targets");
  const json::Object *Constants = O->getObject("constants");
  if (!Files || !Fns || !Records || !Fields || !Functions || !Regs || !Ops ||
      !Teardowns || !Targets || !Constants)
    return Fail("a table is missing");
  Reader R(T, M);
  T.Files.clear();
  R.get(*O->get("files"), T.Files);
  if (T.Files.empty())
    return Fail("no file table");
  // The tables first: everything else refers to them. Records before
  // fields (a field's parent).
  auto Table = [&](const json::Array &A, auto &Out) {
    using P = typename std::remove_reference_t<decltype(Out)>::value_type::element_type;
    for (size_t I = 0; I < A.size(); ++I)
      Out.push_back(std::make_unique<P>());
    for (size_t I = 0; I < A.size() && R.Error.empty(); ++I)
      R.get(A[I], *Out[I]);
  };
  Table(*Fns, T.FunctionTable);
  Table(*Records, T.RecordTable);
  Table(*Fields, T.FieldTable);
  for (const json::Value &F : *Functions) {
    if (!R.Error.empty())
      break;
    auto FF = std::make_unique<FunctionFacts>();
    R.get(F, *FF);
    T.Functions.push_back(std::move(FF));
  }
  R.get(*O->get("registrations"), T.Registrations);
  R.get(*O->get("ops"), T.Ops);
  R.get(*O->get("teardowns"), T.Teardowns);
  for (const json::Value &X : *Targets) {
    std::pair<const FieldRef *, std::vector<const FunctionRef *>> P;
    R.get(X, P);
    if (!R.Error.empty())
      break;
    T.FieldTargets[P.first].append(P.second.begin(), P.second.end());
  }
  for (const auto &[K, C] : *Constants) {
    auto U = C.getAsUINT64();
    if (!U)
      return Fail("constant '" + K.str() + "' is not an unsigned integer");
    T.Constants.Values[K.str()] = *U;
  }
  if (!R.Error.empty())
    return Fail(R.Error);
  for (const auto &F : T.Functions) {
    if (!F->FD)
      return Fail("a function without its entry");
    T.ByDecl[F->FD] = F.get();
  }
  return Error::success();
}

} // namespace kdlint

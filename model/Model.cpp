//===- Model.cpp - Reading the kernel model with LLVM's YAML I/O ----------===//

#include "kdlint/Model.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/YAMLTraits.h"

using namespace llvm;

namespace {
struct YContext {
  std::string Class, While, What, AlsoLeaves;
  bool Keyed = false, Interrupt = false;
  std::vector<std::string> Enter, Exit, Trylock, Guards;
};
struct YSleeper {
  std::string Reason;
  bool UnlessInterrupt = false;
  int IfNonzero = -1;
  int DropsLock = -1;
  std::string Handle;
  int HandleArg = 0;
  std::vector<std::string> Names, Guards;
};
struct YCreator {
  bool Sleeps = false;
  std::string Why;
  std::vector<std::string> Names;
};
struct YHandle {
  std::string Kind;
  std::vector<YCreator> Creators;
};
struct YAlloc {
  int GfpArg = -1;
  std::string DefaultGfp;
  std::vector<std::string> Names;
};
struct YCallback {
  std::string Context;
  int Arg = -1;
  std::vector<std::string> Names, Fields, UnlessSet;
};
struct YConditions {
  std::vector<std::string> AtomicIfTrue, AtomicIfFalse, InterruptIfTrue,
      InterruptIfFalse, BlockingIfTrue, ErrorPointer, ErrorPointerOrNull;
};
struct YAcquire {
  std::vector<std::string> Names;
  int HandleArg = -1, OrderArg = -1, Order = -1;
  bool Ram = false;
};
struct YFamily {
  std::string Family, What, Class, Success = "nonnull", Gfp = "none";
  bool Managed = false, Iomem = false, Lifo = false;
  std::vector<YAcquire> Acquire;
  std::vector<std::string> ManagedAfter;
};
struct YRelease {
  std::vector<std::string> Names, Frees, PartOf;
  std::string Part;
  int Arg = 0, OrderArg = -1, Order = -1;
  std::string Takes = "handle";
};
struct YAccess {
  std::vector<int> Args;
  std::vector<std::string> Names;
  std::string FromIo, ToIo;
};
struct YOps {
  std::string Record;
  std::vector<std::string> Probe, Remove;
};
struct YPhysical {
  std::vector<std::string> Types, Fields;
};
struct YGfp {
  std::string DirectReclaim, Dma, Dma32, HighMem, NoFail, MaxOrderInclusiveSince;
  std::vector<std::string> Reclaim, Plain, Masks, MaxOrder;
};
struct YSpellings {
  std::optional<std::string> ProfilingSuffix, Iomem, GfpType, Version, VersionHeader,
      Releases, Acquires,
      MustHold, GuardPrefix, GuardSuffix;
};
struct YModel {
  std::vector<std::string> Probes;
  std::optional<YSpellings> Spellings;
  std::optional<YGfp> Gfp;
  std::vector<YContext> Contexts;
  std::vector<YHandle> Handles;
  std::vector<YSleeper> Sleepers;
  std::vector<YAlloc> Allocators;
  std::vector<YCallback> Callbacks;
  YConditions Conditions;
  std::vector<YFamily> Resources;
  std::vector<YRelease> Releases;
  std::vector<YAccess> Mmio, RawMemory;
  std::vector<std::string> PageAddress, PhysToVirt, ErrorValues, ReleaseHelpers, Opaque,
      ConditionWrappers, Teardown, Pure, GfpNoSleep, GfpDropsLock;
  YPhysical Physical;
  std::vector<YOps> Ops;
};
} // namespace

LLVM_YAML_IS_SEQUENCE_VECTOR(YContext)
LLVM_YAML_IS_SEQUENCE_VECTOR(YSleeper)
LLVM_YAML_IS_SEQUENCE_VECTOR(YCreator)
LLVM_YAML_IS_SEQUENCE_VECTOR(YHandle)
LLVM_YAML_IS_SEQUENCE_VECTOR(YAlloc)
LLVM_YAML_IS_SEQUENCE_VECTOR(YCallback)
LLVM_YAML_IS_SEQUENCE_VECTOR(YAcquire)
LLVM_YAML_IS_SEQUENCE_VECTOR(YFamily)
LLVM_YAML_IS_SEQUENCE_VECTOR(YRelease)
LLVM_YAML_IS_SEQUENCE_VECTOR(YAccess)
LLVM_YAML_IS_SEQUENCE_VECTOR(YOps)

namespace llvm {
namespace yaml {
template <> struct MappingTraits<YContext> {
  static void mapping(IO &IO, YContext &C) {
    IO.mapRequired("class", C.Class);
    IO.mapRequired("while", C.While);
    IO.mapOptional("what", C.What);
    IO.mapOptional("keyed", C.Keyed);
    IO.mapOptional("interrupt", C.Interrupt);
    IO.mapOptional("also-leaves", C.AlsoLeaves);
    IO.mapOptional("enter", C.Enter);
    IO.mapOptional("exit", C.Exit);
    IO.mapOptional("trylock", C.Trylock);
    IO.mapOptional("guards", C.Guards);
  }
};
template <> struct MappingTraits<YSleeper> {
  static void mapping(IO &IO, YSleeper &S) {
    IO.mapRequired("reason", S.Reason);
    IO.mapOptional("unless-interrupt", S.UnlessInterrupt);
    IO.mapOptional("if-nonzero", S.IfNonzero);
    IO.mapOptional("drops-lock", S.DropsLock);
    IO.mapOptional("handle", S.Handle);
    IO.mapOptional("handle-arg", S.HandleArg);
    IO.mapOptional("names", S.Names);
    IO.mapOptional("guards", S.Guards);
  }
};
template <> struct MappingTraits<YCreator> {
  static void mapping(IO &IO, YCreator &C) {
    IO.mapRequired("sleeps", C.Sleeps);
    IO.mapRequired("why", C.Why);
    IO.mapRequired("names", C.Names);
  }
};
template <> struct MappingTraits<YHandle> {
  static void mapping(IO &IO, YHandle &H) {
    IO.mapRequired("kind", H.Kind);
    IO.mapRequired("creators", H.Creators);
  }
};
template <> struct MappingTraits<YAlloc> {
  static void mapping(IO &IO, YAlloc &A) {
    IO.mapRequired("gfp-arg", A.GfpArg);
    IO.mapOptional("default-gfp", A.DefaultGfp);
    IO.mapRequired("names", A.Names);
  }
};
template <> struct MappingTraits<YCallback> {
  static void mapping(IO &IO, YCallback &C) {
    IO.mapRequired("context", C.Context);
    IO.mapOptional("arg", C.Arg);
    IO.mapOptional("names", C.Names);
    IO.mapOptional("fields", C.Fields);
    IO.mapOptional("unless-set", C.UnlessSet);
  }
};
template <> struct MappingTraits<YConditions> {
  static void mapping(IO &IO, YConditions &C) {
    IO.mapOptional("atomic-if-true", C.AtomicIfTrue);
    IO.mapOptional("atomic-if-false", C.AtomicIfFalse);
    IO.mapOptional("interrupt-if-true", C.InterruptIfTrue);
    IO.mapOptional("interrupt-if-false", C.InterruptIfFalse);
    IO.mapOptional("blocking-if-true", C.BlockingIfTrue);
    IO.mapOptional("error-pointer-if-true", C.ErrorPointer);
    IO.mapOptional("error-pointer-or-null-if-true", C.ErrorPointerOrNull);
  }
};
template <> struct MappingTraits<YAcquire> {
  static void mapping(IO &IO, YAcquire &A) {
    IO.mapRequired("names", A.Names);
    IO.mapOptional("handle-arg", A.HandleArg);
    IO.mapOptional("order-arg", A.OrderArg);
    IO.mapOptional("order", A.Order);
    IO.mapOptional("ram", A.Ram);
  }
};
template <> struct MappingTraits<YFamily> {
  static void mapping(IO &IO, YFamily &F) {
    IO.mapRequired("family", F.Family);
    IO.mapRequired("class", F.Class);
    IO.mapRequired("what", F.What);
    IO.mapOptional("success", F.Success);
    IO.mapOptional("gfp", F.Gfp);
    IO.mapOptional("managed", F.Managed);
    IO.mapOptional("iomem", F.Iomem);
    IO.mapOptional("lifo", F.Lifo);
    IO.mapRequired("acquire", F.Acquire);
    IO.mapOptional("managed-after", F.ManagedAfter);
  }
};
template <> struct MappingTraits<YRelease> {
  static void mapping(IO &IO, YRelease &R) {
    IO.mapRequired("names", R.Names);
    IO.mapOptional("arg", R.Arg);
    IO.mapOptional("order-arg", R.OrderArg);
    IO.mapOptional("order", R.Order);
    IO.mapOptional("takes", R.Takes);
    IO.mapRequired("frees", R.Frees);
    IO.mapOptional("part-of", R.PartOf);
    IO.mapOptional("part", R.Part);
  }
};
template <> struct MappingTraits<YAccess> {
  static void mapping(IO &IO, YAccess &A) {
    IO.mapRequired("args", A.Args);
    IO.mapRequired("names", A.Names);
    IO.mapOptional("from-io", A.FromIo);
    IO.mapOptional("to-io", A.ToIo);
  }
};
template <> struct MappingTraits<YOps> {
  static void mapping(IO &IO, YOps &O) {
    IO.mapRequired("record", O.Record);
    IO.mapRequired("probe", O.Probe);
    IO.mapRequired("remove", O.Remove);
  }
};
template <> struct MappingTraits<YPhysical> {
  static void mapping(IO &IO, YPhysical &P) {
    IO.mapOptional("types", P.Types);
    IO.mapOptional("fields", P.Fields);
  }
};
template <> struct MappingTraits<YGfp> {
  static void mapping(IO &IO, YGfp &G) {
    IO.mapRequired("direct-reclaim", G.DirectReclaim);
    IO.mapRequired("reclaim", G.Reclaim);
    IO.mapRequired("dma", G.Dma);
    IO.mapRequired("dma32", G.Dma32);
    IO.mapRequired("highmem", G.HighMem);
    IO.mapOptional("plain", G.Plain);
    IO.mapOptional("nofail", G.NoFail);
    IO.mapOptional("masks", G.Masks);
    IO.mapOptional("max-order", G.MaxOrder);
    IO.mapOptional("max-order-inclusive-since", G.MaxOrderInclusiveSince);
  }
};
template <> struct MappingTraits<YSpellings> {
  static void mapping(IO &IO, YSpellings &S) {
    IO.mapOptional("profiling-suffix", S.ProfilingSuffix);
    IO.mapOptional("iomem", S.Iomem);
    IO.mapOptional("gfp-type", S.GfpType);
    IO.mapOptional("version", S.Version);
    IO.mapOptional("version-header", S.VersionHeader);
    IO.mapOptional("releases", S.Releases);
    IO.mapOptional("acquires", S.Acquires);
    IO.mapOptional("must-hold", S.MustHold);
    IO.mapOptional("guard-prefix", S.GuardPrefix);
    IO.mapOptional("guard-suffix", S.GuardSuffix);
  }
};
template <> struct MappingTraits<YModel> {
  static void mapping(IO &IO, YModel &M) {
    IO.mapOptional("probes", M.Probes);
    IO.mapOptional("spellings", M.Spellings);
    IO.mapOptional("gfp", M.Gfp);
    IO.mapOptional("contexts", M.Contexts);
    IO.mapOptional("handles", M.Handles);
    IO.mapOptional("sleepers", M.Sleepers);
    IO.mapOptional("allocators", M.Allocators);
    IO.mapOptional("callbacks", M.Callbacks);
    IO.mapOptional("conditions", M.Conditions);
    IO.mapOptional("resources", M.Resources);
    IO.mapOptional("releases", M.Releases);
    IO.mapOptional("mmio-accessors", M.Mmio);
    IO.mapOptional("raw-memory", M.RawMemory);
    IO.mapOptional("page-address", M.PageAddress);
    IO.mapOptional("phys-to-virt", M.PhysToVirt);
    IO.mapOptional("physical", M.Physical);
    IO.mapOptional("driver-ops", M.Ops);
    IO.mapOptional("error-values", M.ErrorValues);
    IO.mapOptional("release-helpers", M.ReleaseHelpers);
    IO.mapOptional("opaque", M.Opaque);
    IO.mapOptional("condition-wrappers", M.ConditionWrappers);
    IO.mapOptional("pure-functions", M.Pure);
    IO.mapOptional("gfp-no-sleep", M.GfpNoSleep);
    IO.mapOptional("gfp-drops-lock", M.GfpDropsLock);
    IO.mapOptional("teardown-callbacks", M.Teardown);
  }
};
} // namespace yaml
} // namespace llvm

namespace kdlint {

#include "BuiltinModel.inc"

struct ModelBuilder {
  Model &M;
  Primitive &add(StringRef Name, PrimitiveKind K) {
    M.PrimitiveStore.push_back(Primitive());
    Primitive &P = M.PrimitiveStore.back();
    P.Name = Name.str();
    P.Kind = K;
    M.Primitives[Name] = &P; // a later file overrides an earlier entry
    return P;
  }
  /// The primitive named \p Name, created without a context role if new:
  /// resource and access roles add to what a name already is.
  Primitive &role(StringRef Name) {
    auto It = M.Primitives.find(Name);
    if (It != M.Primitives.end())
      return *It->second;
    return add(Name, PrimitiveKind::Resource);
  }
};

bool Releaser::accepts(const Family *F, unsigned Version) const {
  return llvm::any_of(Frees, [&](const Accepts &A) {
    return A.Fam == F && Version >= A.Since;
  });
}

std::string Model::releaseName(const Family *F) const {
  for (const Releaser &R : Releasers)
    if (!R.Frees.empty() && R.Frees.front().Fam == F && !R.Names.empty())
      return R.Names.front();
  for (const Releaser &R : Releasers)
    if (R.accepts(F, 0) && !R.Names.empty())
      return R.Names.front();
  return "";
}

bool Model::isReleaseHelper(StringRef Name) const {
  // "*_unlock": a suffix after a wildcard.
  return llvm::any_of(ReleaseSuffixes, [&](const std::string &P) {
    StringRef Pat(P);
    return Pat.consume_front("*") ? Name.ends_with(Pat) : Name == Pat;
  });
}

std::optional<unsigned> Model::conditionWrapperArg(StringRef Name) const {
  // "WARN_ON" (the first argument) or "drm_WARN_ON:1".
  for (StringRef W : ConditionWrappers) {
    auto [N, Arg] = W.split(':');
    unsigned I = 0;
    if (N == Name && (Arg.empty() || !Arg.getAsInteger(10, I)))
      return I;
  }
  return std::nullopt;
}

bool Model::isPure(StringRef Fn) const {
  return llvm::is_contained(PureFunctions, normalize(Fn));
}

std::optional<std::pair<unsigned, std::string>>
Model::gfpDropsLock(StringRef Fn) const {
  Fn = normalize(Fn);
  for (const std::string &E : GfpDropsLockFunctions) {
    auto [Name, Rest] = StringRef(E).split(':');
    auto [Arg, Suffix] = Rest.split(':');
    unsigned A;
    if (Name == Fn && !Arg.getAsInteger(10, A))
      return std::make_pair(A, Suffix.str());
  }
  return std::nullopt;
}

bool Model::isGfpNoSleep(StringRef Fn) const {
  return llvm::is_contained(GfpNoSleepFunctions, normalize(Fn));
}

bool Model::isErrorValue(StringRef Fn) const {
  return llvm::is_contained(ErrorValues, Fn);
}

const Family *Model::family(StringRef Name) const {
  for (const Family &F : Families)
    if (F.Name == Name)
      return &F;
  return nullptr;
}

const DriverOps *Model::driverOps(StringRef Record) const {
  for (const DriverOps &O : Ops)
    if (O.Record == Record)
      return &O;
  return nullptr;
}

bool Model::isPhysicalType(StringRef Typedef) const {
  return llvm::is_contained(PhysTypes, Typedef);
}

bool Model::isTeardownField(StringRef Record, StringRef Field) const {
  return llvm::is_contained(TeardownFields, (Record + "." + Field).str());
}

bool Model::isPhysicalField(StringRef Record, StringRef Field) const {
  return llvm::is_contained(PhysFields, (Record + "." + Field).str());
}

StringRef Model::normalize(StringRef Name) const {
  if (!Spell.ProfilingSuffix.empty())
    Name.consume_back(Spell.ProfilingSuffix);
  return Name;
}

const Primitive *Model::lookup(StringRef Name) const {
  auto It = Primitives.find(normalize(Name));
  return It == Primitives.end() ? nullptr : It->second;
}

const Primitive *Model::lookupGuard(StringRef GuardName) const {
  auto It = Guards.find(GuardName);
  return It == Guards.end() ? nullptr : It->second;
}

int Model::contextIndex(const ContextKind *C) const {
  for (size_t I = 0; I < Contexts.size(); ++I)
    if (&Contexts[I] == C)
      return int(I);
  return -1;
}

const ContextKind *Model::contextAt(int Index) const {
  return Index >= 0 && size_t(Index) < Contexts.size() ? &Contexts[Index] : nullptr;
}

const FieldCallback *Model::lookupField(StringRef Record,
                                        StringRef Field) const {
  for (const FieldCallback &F : Fields)
    if (F.Record == Record && F.Field == Field)
      return &F;
  return nullptr;
}

Error Model::addYAML(StringRef Text, StringRef Source) {
  YModel Y;
  std::string Diag;
  SourceMgr::DiagHandlerTy Handler = [](const SMDiagnostic &D, void *Ctx) {
    raw_string_ostream OS(*static_cast<std::string *>(Ctx));
    D.print(nullptr, OS, /*ShowColors=*/false);
  };
  yaml::Input In(Text, nullptr, Handler, &Diag);
  In >> Y;
  if (In.error())
    return createStringError(In.error(), "%s", Diag.empty()
                                               ? ("invalid model " + Source).str().c_str()
                                               : Diag.c_str());
  ModelBuilder B{*this};
  for (const YContext &C : Y.Contexts) {
    Contexts.push_back(ContextKind{C.Class, C.While, C.What.empty() ? C.Class : C.What,
                                   C.Keyed, C.Interrupt, C.AlsoLeaves});
    const ContextKind *K = &Contexts.back();
    ContextByName[C.Class] = K; // callbacks name contexts by class
    for (const std::string &N : C.Enter)
      B.add(N, PrimitiveKind::Enter).Context = K;
    for (const std::string &N : C.Exit)
      B.add(N, PrimitiveKind::Exit).Context = K;
    for (const std::string &N : C.Trylock)
      B.add(N, PrimitiveKind::TryEnter).Context = K;
    for (const std::string &N : C.Guards) {
      PrimitiveStore.push_back(Primitive{N, PrimitiveKind::Enter, K});
      Guards[N] = &PrimitiveStore.back();
    }
  }
  auto HandleByName = [&](StringRef Kind) -> HandleKind * {
    for (HandleKind &H : Handles)
      if (H.Name == Kind)
        return &H;
    return nullptr;
  };
  for (const YHandle &H : Y.Handles) {
    HandleKind *K = HandleByName(H.Kind);
    if (!K) {
      Handles.push_back(HandleKind{H.Kind});
      K = &Handles.back();
    }
    for (const YCreator &C : H.Creators)
      for (const std::string &N : C.Names) {
        Primitive &P = B.role(N);
        P.Creates = K;
        P.CreatesSleeping = C.Sleeps;
        P.CreatesWhy = C.Why;
      }
  }
  for (const YSleeper &S : Y.Sleepers) {
    const HandleKind *H = nullptr;
    if (!S.Handle.empty() && !(H = HandleByName(S.Handle)))
      return createStringError(inconvertibleErrorCode(),
                               "%s: sleeper handle '%s' is not a handle kind",
                               Source.str().c_str(), S.Handle.c_str());
    for (const std::string &N : S.Names) {
      Primitive &P = B.add(N, PrimitiveKind::Sleep);
      P.Reason = S.Reason;
      P.UnlessInterrupt = S.UnlessInterrupt;
      P.SleepIfArg = S.IfNonzero;
      P.DropsLockArg = S.DropsLock;
      P.Handle = H;
      P.HandleArg = S.HandleArg;
    }
    for (const std::string &N : S.Guards) {
      PrimitiveStore.push_back(Primitive{N, PrimitiveKind::Sleep});
      PrimitiveStore.back().Reason = S.Reason;
      Guards[N] = &PrimitiveStore.back();
    }
  }
  for (const YAlloc &A : Y.Allocators)
    for (const std::string &N : A.Names) {
      Primitive &P = B.add(N, PrimitiveKind::Alloc);
      P.Arg = A.GfpArg;
      P.DefaultGfp = A.DefaultGfp;
    }
  for (const YCallback &C : Y.Callbacks) {
    auto It = ContextByName.find(C.Context);
    if (It == ContextByName.end())
      return createStringError(inconvertibleErrorCode(),
                               "%s: callback context '%s' is not a context class",
                               Source.str().c_str(), C.Context.c_str());
    for (const std::string &N : C.Names) {
      if (C.Arg < 0)
        return createStringError(inconvertibleErrorCode(),
                                 "%s: callback registration '%s' needs 'arg'",
                                 Source.str().c_str(), N.c_str());
      Primitive &P = B.add(N, PrimitiveKind::Register);
      P.Context = It->second;
      P.Arg = C.Arg;
    }
    for (const std::string &F : C.Fields) {
      auto [Rec, Field] = StringRef(F).split('.');
      if (Field.empty())
        return createStringError(inconvertibleErrorCode(),
                                 "%s: callback field '%s' must be 'struct.field'",
                                 Source.str().c_str(), F.c_str());
      Fields.push_back(FieldCallback{Rec.str(), Field.str(), It->second, C.UnlessSet});
    }
  }
  for (const std::string &N : Y.Conditions.AtomicIfTrue)
    B.add(N, PrimitiveKind::AtomicTest);
  for (const std::string &N : Y.Conditions.AtomicIfFalse)
    B.add(N, PrimitiveKind::NonAtomicTest);
  for (const std::string &N : Y.Conditions.InterruptIfTrue)
    B.add(N, PrimitiveKind::InterruptTest);
  for (const std::string &N : Y.Conditions.InterruptIfFalse)
    B.add(N, PrimitiveKind::NonInterruptTest);
  for (const std::string &N : Y.Conditions.BlockingIfTrue)
    B.add(N, PrimitiveKind::BlockingTest).Arg = 0;
  for (const std::string &N : Y.Conditions.ErrorPointer)
    B.add(N, PrimitiveKind::ErrTest);
  for (const std::string &N : Y.Conditions.ErrorPointerOrNull)
    B.add(N, PrimitiveKind::ErrOrNullTest);
  auto Fail = [&](const Twine &Msg) {
    return createStringError(inconvertibleErrorCode(), "%s: %s",
                             Source.str().c_str(), Msg.str().c_str());
  };
  for (const YFamily &YF : Y.Resources) {
    Family F;
    F.Name = YF.Family;
    F.What = YF.What;
    F.Managed = YF.Managed;
    F.Iomem = YF.Iomem;
    F.Lifo = YF.Lifo;
    F.ManagedAfter = YF.ManagedAfter;
    for (const std::string &N : YF.ManagedAfter)
      B.role(N); // an event wherever it is called
    static const std::pair<const char *, ResourceClass> Classes[] = {
        {"memory", ResourceClass::Memory}, {"pages", ResourceClass::Pages},
        {"mapping", ResourceClass::Mapping}, {"region", ResourceClass::Region},
        {"kmap", ResourceClass::Kmap}};
    static const std::pair<const char *, SuccessTest> Tests[] = {
        {"nonnull", SuccessTest::NonNull}, {"errptr", SuccessTest::ErrPtr},
        {"zero", SuccessTest::Zero}};
    static const std::pair<const char *, GfpUse> Uses[] = {
        {"none", GfpUse::None}, {"slab", GfpUse::Slab},
        {"page-address", GfpUse::PageAddress}, {"pages", GfpUse::Pages},
        {"kvmalloc", GfpUse::Kvmalloc}, {"vmalloc", GfpUse::Vmalloc}};
    auto Pick = [&](auto &Table, StringRef V, auto &Out, StringRef What) {
      for (auto &[N, K] : Table)
        if (V == N) {
          Out = K;
          return true;
        }
      return false;
    };
    if (!Pick(Classes, YF.Class, F.Class, "class"))
      return Fail("family '" + YF.Family + "': unknown class '" + YF.Class + "'");
    if (!Pick(Tests, YF.Success, F.Success, "success"))
      return Fail("family '" + YF.Family + "': unknown success test '" + YF.Success + "'");
    if (!Pick(Uses, YF.Gfp, F.Gfp, "gfp"))
      return Fail("family '" + YF.Family + "': unknown gfp use '" + YF.Gfp + "'");
    Families.push_back(std::move(F));
    const Family *FP = &Families.back();
    for (const YAcquire &A : YF.Acquire) {
      Acquirers.push_back(Acquirer{FP, A.HandleArg, A.OrderArg, A.Order, A.Ram});
      for (const std::string &N : A.Names)
        B.role(N).Acq = &Acquirers.back();
    }
  }
  for (const YRelease &YR : Y.Releases) {
    Releaser R;
    R.Arg = YR.Arg;
    R.OrderArg = YR.OrderArg;
    R.Order = YR.Order;
    if (YR.Takes != "handle" && YR.Takes != "acquire-arg")
      return Fail("release '" + YR.Names.front() + "': 'takes' is handle or acquire-arg");
    R.TakesAcquireArg = YR.Takes == "acquire-arg";
    for (StringRef Spec : YR.Frees) {
      // "kmem_cache>=6.4": accepted from that kernel version on.
      auto [Name, Ver] = Spec.split(">=");
      unsigned Since = 0;
      if (!Ver.empty()) {
        auto [Maj, Min] = Ver.split('.');
        unsigned A = 0, Bv = 0;
        if (Maj.getAsInteger(10, A) || Min.getAsInteger(10, Bv))
          return Fail("release frees '" + Spec + "': expected family>=MAJOR.MINOR");
        Since = (A << 16) | (Bv << 8);
      }
      const Family *FP = family(Name.trim());
      if (!FP)
        return Fail("release frees unknown family '" + Name + "'");
      R.Frees.push_back({FP, Since});
    }
    for (StringRef Name : YR.PartOf) {
      const Family *FP = family(Name.trim());
      if (!FP)
        return Fail("release part-of unknown family '" + Name + "'");
      R.PartOf.push_back(FP);
    }
    if (!YR.PartOf.empty() && YR.Part.empty())
      return Fail("release '" + YR.Names.front() + "': 'part-of' needs 'part'");
    R.Part = YR.Part;
    R.Names = YR.Names;
    Releasers.push_back(std::move(R));
    for (const std::string &N : YR.Names)
      B.role(N).Rel = &Releasers.back();
  }
  auto Access = [&](const std::vector<YAccess> &List, AccessRole Role) {
    for (const YAccess &A : List)
      for (const std::string &N : A.Names) {
        Primitive &P = B.role(N);
        P.Role = Role;
        P.AddrArgs = A.Args;
        P.FromIo = A.FromIo;
        P.ToIo = A.ToIo;
      }
  };
  Access(Y.Mmio, AccessRole::Mmio);
  Access(Y.RawMemory, AccessRole::RawMemory);
  for (const std::string &N : Y.PageAddress) {
    Primitive &P = B.role(N);
    P.Role = AccessRole::PageAddress;
    P.AddrArgs = {0};
  }
  for (const std::string &N : Y.PhysToVirt) {
    Primitive &P = B.role(N);
    P.Role = AccessRole::PhysToVirt;
    P.AddrArgs = {0};
  }
  PhysTypes.insert(PhysTypes.end(), Y.Physical.Types.begin(), Y.Physical.Types.end());
  PhysFields.insert(PhysFields.end(), Y.Physical.Fields.begin(), Y.Physical.Fields.end());
  TeardownFields.insert(TeardownFields.end(), Y.Teardown.begin(), Y.Teardown.end());
  ErrorValues.insert(ErrorValues.end(), Y.ErrorValues.begin(), Y.ErrorValues.end());
  ConditionWrappers.insert(ConditionWrappers.end(), Y.ConditionWrappers.begin(),
                           Y.ConditionWrappers.end());
  PureFunctions.insert(PureFunctions.end(), Y.Pure.begin(), Y.Pure.end());
  GfpNoSleepFunctions.insert(GfpNoSleepFunctions.end(), Y.GfpNoSleep.begin(),
                             Y.GfpNoSleep.end());
  for (const std::string &E : Y.GfpDropsLock) {
    unsigned A;
    if (E.find(':') == std::string::npos ||
        StringRef(E).split(':').second.split(':').first.getAsInteger(10, A))
      return createStringError(inconvertibleErrorCode(),
                               "%s: gfp-drops-lock entry '%s' is not name:argument:suffix",
                               Source.str().c_str(), E.c_str());
    GfpDropsLockFunctions.push_back(E);
  }
  for (const std::string &N : Y.Opaque)
    B.add(N, PrimitiveKind::Resource); // one event, no effect
  ReleaseSuffixes.insert(ReleaseSuffixes.end(), Y.ReleaseHelpers.begin(),
                         Y.ReleaseHelpers.end());
  for (const YOps &O : Y.Ops)
    Ops.push_back(DriverOps{O.Record, O.Probe, O.Remove});
  if (Y.Gfp) {
    const YGfp &G = *Y.Gfp;
    unsigned Maj = 0, Min = 0;
    StringRef Since = G.MaxOrderInclusiveSince;
    if (!Since.empty() && (Since.split('.').first.getAsInteger(10, Maj) ||
                           Since.split('.').second.getAsInteger(10, Min)))
      return createStringError(inconvertibleErrorCode(),
                               "%s: gfp: max-order-inclusive-since '%s' is not a "
                               "kernel version such as 6.4",
                               Source.str().c_str(), G.MaxOrderInclusiveSince.c_str());
    Gfp = GfpNames{G.DirectReclaim, G.Reclaim, G.Dma,   G.Dma32,   G.HighMem,
                   G.Plain,         G.NoFail,  G.Masks, G.MaxOrder,
                   Since.empty() ? 0u : (Maj << 16) | (Min << 8)};
  }
  if (Y.Spellings) {
    // A later file overrides what it names, and only that.
    const YSpellings &S = *Y.Spellings;
    for (auto [From, To] :
         {std::pair{&S.ProfilingSuffix, &Spell.ProfilingSuffix}, {&S.Iomem, &Spell.Iomem},
          {&S.GfpType, &Spell.GfpType}, {&S.Version, &Spell.Version},
          {&S.VersionHeader, &Spell.VersionHeader},
          {&S.Releases, &Spell.Releases}, {&S.Acquires, &Spell.Acquires},
          {&S.MustHold, &Spell.MustHold}, {&S.GuardPrefix, &Spell.GuardPrefix},
          {&S.GuardSuffix, &Spell.GuardSuffix}})
      if (*From)
        *To = **From;
  }
  // The frontend asks each TU for every name the GFP rules use.
  std::vector<std::string> Wanted = Y.Probes;
  Wanted.push_back(Spell.Version);
  if (Y.Gfp)
    for (const std::vector<std::string> &L :
         {std::vector<std::string>{Gfp.DirectReclaim, Gfp.Dma, Gfp.Dma32, Gfp.HighMem,
                                   Gfp.NoFail},
          Gfp.Reclaim, Gfp.Plain, Gfp.Masks, Gfp.MaxOrder})
      Wanted.insert(Wanted.end(), L.begin(), L.end());
  for (const std::string &P : Wanted)
    if (!P.empty() && std::find(Probes.begin(), Probes.end(), P) == Probes.end())
      Probes.push_back(P);
  return Error::success();
}

Error Model::addFile(StringRef Path) {
  auto Buf = MemoryBuffer::getFile(Path);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read model file '%s': %s",
                             Path.str().c_str(), Buf.getError().message().c_str());
  return addYAML((*Buf)->getBuffer(), Path);
}

Expected<Model> Model::builtin() {
  Model M;
  if (Error E = M.addYAML(BuiltinModelYAML, "<builtin model/kernel.yaml>"))
    return std::move(E);
  return std::move(M);
}

} // namespace kdlint

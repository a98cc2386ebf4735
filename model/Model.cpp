//===- Model.cpp - Reading the kernel model with LLVM's YAML I/O ----------===//

#include "kdlint/Model.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/YAMLTraits.h"

using namespace llvm;

namespace {
struct YContext {
  std::string Class, While, What;
  bool Keyed = false, Interrupt = false;
  std::vector<std::string> Enter, Exit, Trylock, Guards;
};
struct YSleeper {
  std::string Reason;
  bool UnlessInterrupt = false;
  std::vector<std::string> Names, Guards;
};
struct YAlloc {
  int GfpArg = -1;
  std::string DefaultGfp;
  std::vector<std::string> Names;
};
struct YCallback {
  std::string Context;
  int Arg = -1;
  std::vector<std::string> Names, Fields;
};
struct YConditions {
  std::vector<std::string> AtomicIfTrue, AtomicIfFalse, InterruptIfTrue,
      InterruptIfFalse, BlockingIfTrue;
};
struct YModel {
  std::vector<std::string> Probes;
  std::vector<YContext> Contexts;
  std::vector<YSleeper> Sleepers;
  std::vector<YAlloc> Allocators;
  std::vector<YCallback> Callbacks;
  YConditions Conditions;
};
} // namespace

LLVM_YAML_IS_SEQUENCE_VECTOR(YContext)
LLVM_YAML_IS_SEQUENCE_VECTOR(YSleeper)
LLVM_YAML_IS_SEQUENCE_VECTOR(YAlloc)
LLVM_YAML_IS_SEQUENCE_VECTOR(YCallback)

namespace llvm {
namespace yaml {
template <> struct MappingTraits<YContext> {
  static void mapping(IO &IO, YContext &C) {
    IO.mapRequired("class", C.Class);
    IO.mapRequired("while", C.While);
    IO.mapOptional("what", C.What);
    IO.mapOptional("keyed", C.Keyed);
    IO.mapOptional("interrupt", C.Interrupt);
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
    IO.mapOptional("names", S.Names);
    IO.mapOptional("guards", S.Guards);
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
  }
};
template <> struct MappingTraits<YConditions> {
  static void mapping(IO &IO, YConditions &C) {
    IO.mapOptional("atomic-if-true", C.AtomicIfTrue);
    IO.mapOptional("atomic-if-false", C.AtomicIfFalse);
    IO.mapOptional("interrupt-if-true", C.InterruptIfTrue);
    IO.mapOptional("interrupt-if-false", C.InterruptIfFalse);
    IO.mapOptional("blocking-if-true", C.BlockingIfTrue);
  }
};
template <> struct MappingTraits<YModel> {
  static void mapping(IO &IO, YModel &M) {
    IO.mapOptional("probes", M.Probes);
    IO.mapOptional("contexts", M.Contexts);
    IO.mapOptional("sleepers", M.Sleepers);
    IO.mapOptional("allocators", M.Allocators);
    IO.mapOptional("callbacks", M.Callbacks);
    IO.mapOptional("conditions", M.Conditions);
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
};

StringRef Model::normalize(StringRef Name) {
  Name.consume_back("_noprof");
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
                                   C.Keyed, C.Interrupt});
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
  for (const YSleeper &S : Y.Sleepers) {
    for (const std::string &N : S.Names) {
      Primitive &P = B.add(N, PrimitiveKind::Sleep);
      P.Reason = S.Reason;
      P.UnlessInterrupt = S.UnlessInterrupt;
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
      Fields.push_back(FieldCallback{Rec.str(), Field.str(), It->second});
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
  for (const std::string &P : Y.Probes)
    if (std::find(Probes.begin(), Probes.end(), P) == Probes.end())
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

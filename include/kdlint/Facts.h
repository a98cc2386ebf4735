//===- Facts.h - What one CFG walk per function records -------------------===//
//
// For every function defined in the main file, kdlint walks Clang's CFG once
// and records a compact program: blocks of events (calls, context enter/exit,
// callback registrations) with their successors and the branch facts the
// analyses need (trylock success, run-time context tests, GFP blocking tests).
// Everything after this layer (summaries, dataflow, checks) reads these facts,
// never the AST: they hold no Clang type (declarations are IR.h entries,
// places SourceLocs), and factsToJSON() / factsFromJSON() carry them whole.
// The frontend that makes them is Frontend.h.
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_FACTS_H
#define KDLINT_FACTS_H

#include "kdlint/IR.h"
#include "kdlint/Model.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>


namespace kdlint {

/// Values of the macros the model asks for (model probes:), read from the TU.
struct TUConstants {
  llvm::StringMap<uint64_t> Values;
  std::optional<uint64_t> get(llvm::StringRef Name) const {
    auto It = Values.find(Name);
    if (It == Values.end())
      return std::nullopt;
    return It->second;
  }
};

/// An argument as far as the analyses care: a constant, (a parameter of the
/// enclosing function & Mask) | Bits, a function, or unknown.
struct ArgValue {
  /// NonNull: an address (&x, a string, an array) whose value is unknown but
  /// never zero.
  enum KindTy { Unknown, Const, Param, Function, NonNull } Kind = Unknown;
  uint64_t Bits = 0;
  bool Negative = false; ///< Const: a negative value (-ENOMEM)
  uint64_t Mask = ~0ull;
  int ParamIndex = -1;
  const FunctionRef *Fn = nullptr;
  std::string Text; ///< as spelled in the source
};

/// A condition on a parameter of the enclosing function: (param & Mask) != 0
/// when NonZero, == 0 otherwise; or, for Handle, that the handle the parameter
/// holds was created by a sleeping constructor (a regmap over I2C). The GFP
/// rule is the bit condition on __GFP_DIRECT_RECLAIM, with Gfp set: a mask of
/// unknown value is taken as not blocking (kmalloc(n, flags) with flags from
/// nowhere is not evidence of a sleep).
struct ParamCond {
  int Index = -1;
  uint64_t Mask = ~0ull;
  bool NonZero = true;
  bool Gfp = false;
  bool Handle = false;
  bool Pointer = false; ///< the parameter is a pointer (a NULL test)
  /// param is one of Values (NonZero) or is not the one of Values
  /// (!NonZero, a single value), not a bit test:
  /// if (action_code == WLAN_TDLS_SETUP_CONFIRM || action_code == ..._TEARDOWN)
  bool Eq = false;
  llvm::SmallVector<uint64_t, 2> Values;
  bool operator==(const ParamCond &O) const {
    return Index == O.Index && Mask == O.Mask && NonZero == O.NonZero &&
           Gfp == O.Gfp && Handle == O.Handle && Eq == O.Eq && Values == O.Values;
  }
  bool operator!=(const ParamCond &O) const { return !(*this == O); }
};

/// Whether \p Path is a header the kernel declares for every driver (under
/// an include/ directory), not one of a driver's own files.
inline bool kernelWidePath(llvm::StringRef Path) { return Path.contains("/include/"); }

/// One piece of evidence, printed as a note.
struct Step {
  SourceLoc Loc;
  std::string Text;
};

/// An address argument that cannot be a mapping (kernel-mmio-unmapped).
enum class Unmapped { No, Constant, Physical, LinearMap };

/// What the resource analyses know about one argument (or assigned,
/// returned, dereferenced value): its base with casts and offsets peeled.
struct ArgInfo {
  ArgValue V;                ///< the whole argument, evaluated
  std::string Key;           ///< normalized text of the base ("priv->regs")
  std::string FullKey;       ///< normalized text of the whole value (a start)
  std::string Text;          ///< the base as written
  LocRange Range;            ///< the base's characters (fix-its)
  const FieldRef *Field = nullptr; ///< the base is this member
  /// The value points to a struct of this type (ddb_unmap(dev): a struct
  /// ddb; kref_put(&a->kref, ...) is given a struct kref).
  const RecordRef *Record = nullptr;
  bool Local = false;        ///< the base is a local variable
  bool Global = false;       ///< the base is a file-scope variable
  /// The whole value is an lvalue read (a variable, a field, a macro such as
  /// pci_resource_start(pdev, 0) that expands to one): a copy of it aliases it.
  bool Lvalue = false;
  bool Iomem = false;        ///< declared __iomem (variable, field, result)
  SourceLoc DeclLoc; ///< Iomem: where it is declared
  Unmapped Addr = Unmapped::No;
  std::string AddrWhy;       ///< why it is not a mapping, for the message
  int Event = -1;            ///< the base is the result of this event (call)
};

enum class EventKind {
  Call,     ///< a call (to a model primitive and/or a function of this TU)
  Enter,    ///< enters an atomic context
  Exit,     ///< leaves one
  TryEnter, ///< enters on the success edge only (see BranchFact)
  Register, ///< registers Callback to run in Prim->Context
  Assign,   ///< Target = Value (a store: alias, escape or rebinding)
  Return,   ///< return Value
  Deref,    ///< Target's memory accessed directly (*p, p[i], p->f)
  Update,   ///< Target changed in place (x += n, x |= F, x++): not a new value
};

struct Event {
  EventKind Kind = EventKind::Call;
  const Primitive *Prim = nullptr;         ///< model entry, if any
  const FunctionRef *Callee = nullptr; ///< callee with a body in this TU
  std::string Name;       ///< as the driver wrote it (macro or function name)
  /// Name is spelled at Loc (a fix that renames the call replaces it).
  bool NameSpelled = false;
  /// A call to a function with no body in this TU and no model entry: its
  /// name, for the cross-TU link (another file of the run may define it).
  std::string External;
  /// External: declared outside any include/ directory (the driver's own
  /// header or file), so a function of the driver.
  bool ExternalDriver = false;
  SourceLoc Loc; ///< file location of the call / macro use
  std::string Key;        ///< keyed contexts: the lock, normalized ("p->lock")
  llvm::SmallVector<ArgValue, 4> Args; ///< Call: arguments of the callee
  std::optional<ArgValue> Gfp;         ///< Alloc: the GFP mask argument
  const FunctionRef *Callback = nullptr; ///< Register
  const ContextKind *Context = nullptr; ///< Register, Enter/Exit: the context
  SourceLoc ScopeEnd; ///< cleanup.h guards: released past here
  /// Resource and access primitives, external calls: every argument.
  llvm::SmallVector<ArgInfo, 3> RArgs;
  /// Assign: the target; Deref: the pointer accessed.
  ArgInfo Target;
  /// Assign, Return: the value stored or returned.
  ArgInfo Value;
  std::string How; ///< Deref: "dereferenced", "indexed", "'->f' accessed"
  /// Sleep primitives with a condition: the value of the argument that
  /// decides (readl_poll_timeout's sleep_us).
  std::optional<ArgValue> SleepArg;
  /// Functions (with or without a body here) annotated __releases(x), and
  /// unknown *_unlock() helpers: the lock expressions they release, in the
  /// caller's terms.
  llvm::SmallVector<std::string, 1> ReleasesKeys;
  /// Assign: other pointers combined into the value with | or + (a mapping
  /// stored with flag bits: cache->vaddr = flags | (unsigned long)vaddr).
  llvm::SmallVector<std::string, 1> Mixed;
  /// Assign: the calls either arm of a ?: value comes from
  /// (bar = wc ? pci_ioremap_wc_bar(...) : pci_ioremap_bar(...)).
  llvm::SmallVector<int, 2> AltEvents;
  /// Assign of a constant to a pure condition's variable (locked = true,
  /// flags = 0, flags |= F): the conditions and the values they now have.
  llvm::SmallVector<std::pair<unsigned, bool>, 1> Sets;
  /// Pure conditions this store changes without setting them (p = kzalloc()).
  llvm::SmallVector<unsigned, 1> Kills;
};

/// What the two-way branch at the end of a block tells the analyses.
struct BranchFact {
  /// FlagTest: a flag field of a struct (if (db->in_timeout)), Field.
  enum KindTy { None, TryLock, AtomicTest, InterruptTest, ParamTest, FlagTest } Kind = None;
  bool TrueMeansYes = true; ///< false when the condition is negated
  unsigned EventIndex = 0;  ///< TryLock: the TryEnter event
  /// ParamTest: what holds on the true edge (if (gfpflags_allow_blocking(gfp)),
  /// if (can_sleep), if (flags & FOO_ATOMIC)); its negation on the false edge.
  ParamCond Cond;
  const FieldRef *Field = nullptr; ///< FlagTest: the flag
};

/// A branch on the outcome of an acquisition or on a status variable:
/// if (!base), if (IS_ERR(p)), if (err), if (!request_region(...)).
struct ResultTest {
  /// Same: Key == Other, two pointer variables (if (mem != res)).
  enum KindTy { None, Truthy, IsErr, IsErrOrNull, Negative, Same } Kind = None;
  bool TrueMeansYes = true; ///< false when negated (!p, p == NULL)
  std::string Key;          ///< the tested value
  std::string Other;        ///< Same: the pointer it is compared with
  int Event = -1;           ///< or the event whose result is tested
  bool Integer = false;     ///< the tested value is an integer (an error code)
};

/// A branch condition without side effects (no call, no store, no volatile
/// read), by its text. Tested again with none of the lvalues it reads
/// written in between, it has the same value: a path that took
/// `if (mem[idx])` true cannot take it false at the error label.
struct PureCond {
  std::string Key;                         ///< "mem[idx]", "io->flags&F"
  llvm::SmallVector<std::string, 3> Reads; ///< "mem[idx]", "mem", "idx"
  /// `V & C` with C a constant: V as written, and C (flag |= C sets it).
  std::string MaskOf;
  uint64_t Mask = 0;
  bool Lvalue = false; ///< the condition is an lvalue (a flag: locked)
  /// A comparison `L op R`: its operands as written, and the orderings of L
  /// and R it allows when true (Less = 1, Equal = 2, Greater = 4).
  std::string CmpL, CmpR;
  unsigned CmpTrue = 0;
};

/// What a path has established about the function's pure conditions:
/// (condition, value) pairs. Analyses keep one set per state (true on every
/// path to the point) and one per tracked instance (a held lock, a live
/// mapping: true on every path on which that instance exists).
struct Guards {
  llvm::SmallVector<std::pair<unsigned, bool>, 2> Facts;
  /// Adds Cond == Value; false when the set says the opposite (the edge is
  /// infeasible for whatever carries this set).
  bool assume(unsigned Cond, bool Value) {
    for (auto &[C, V] : Facts)
      if (C == Cond)
        return V == Value;
    Facts.push_back({Cond, Value});
    return true;
  }
  /// Cond now has Value, whatever it had (locked = true).
  void set(unsigned Cond, bool Value) {
    kill(Cond);
    Facts.push_back({Cond, Value});
  }
  /// Forgets conditions whose variables were written.
  void kill(llvm::ArrayRef<unsigned> Conds) {
    if (!Conds.empty())
      llvm::erase_if(Facts, [&](const std::pair<unsigned, bool> &F) {
        return llvm::is_contained(Conds, F.first);
      });
  }
  /// Keeps what both sets say (a join of two paths).
  void meet(const Guards &O) {
    llvm::erase_if(Facts, [&](const std::pair<unsigned, bool> &F) {
      return !llvm::is_contained(O.Facts, F);
    });
  }
  bool operator==(const Guards &O) const { return Facts == O.Facts; }
};

struct BlockFacts {
  std::vector<unsigned> Events;  ///< indices into FunctionFacts::Events
  std::vector<int> Succs;        ///< -1 for an unreachable successor
  std::vector<int> Preds;
  BranchFact Branch;             ///< meaningful when Succs.size() == 2
  ResultTest Test;               ///< meaningful when Succs.size() == 2
  SourceLoc CondLoc; ///< the branch condition, for path notes
  int Cond = -1;         ///< a pure condition tested here (FunctionFacts::Conds)
  bool CondOnTrue = true; ///< its value on the true edge (Succs[0])
  /// Pure conditions whose lvalues this block writes (x = ..., x++, &x).
  llvm::SmallVector<unsigned, 1> Kills;
  /// What Cond's value on each edge decides of other comparisons of the
  /// same operands: i < N true makes i == N false. {edge value, cond, value}.
  llvm::SmallVector<std::tuple<bool, unsigned, bool>, 1> Implied;
  /// A switch over a pure value: what each edge decides of the function's
  /// comparisons of that value with an enumerator (case efch: x == efch
  /// true; the default of a switch that leaves only efch_mmio out:
  /// x == efch_mmio true). {successor index, cond, value}.
  llvm::SmallVector<std::tuple<unsigned, unsigned, bool>, 0> EdgeConds;
};

/// The guard rules both dataflows apply, to a state's guards and to those of
/// each instance it tracks (a held lock, a live resource: anything with a G).
namespace guards {
/// Entering block \p B: forget what its writes change.
template <class Items> void enterBlock(const BlockFacts &B, Guards &G, Items &Is) {
  if (B.Kills.empty())
    return;
  G.kill(B.Kills);
  for (auto &I : Is)
    I.G.kill(B.Kills);
}
/// After event \p E: the conditions its stores decide (locked = true).
template <class Items> void afterEvent(const Event &E, Guards &G, Items &Is) {
  // p = NULL; p = kzalloc(...) in one block: the second store ends what the
  // first one set.
  if (!E.Kills.empty()) {
    G.kill(E.Kills);
    for (auto &I : Is)
      I.G.kill(E.Kills);
  }
  for (auto [C, V] : E.Sets) {
    G.set(C, V);
    for (auto &I : Is)
      I.G.set(C, V);
  }
}
/// On edge \p SuccIdx of \p B: false when the state's guards contradict
/// it (no path takes it); instances whose guards do are dropped.
template <class Items>
bool onEdge(const BlockFacts &B, unsigned SuccIdx, Guards &G, Items &Is) {
  bool TwoWay = B.Succs.size() == 2 && B.Cond >= 0;
  if (!TwoWay && B.EdgeConds.empty())
    return true;
  bool V = (SuccIdx == 0) == B.CondOnTrue;
  // A switch's edges carry their decisions in EdgeConds; a two-way branch
  // decides its condition and what that implies.
  auto Assume = [&](Guards &X) {
    for (auto [Succ, C, CV] : B.EdgeConds)
      if (Succ == SuccIdx && !X.assume(C, CV))
        return false;
    if (!TwoWay)
      return true;
    if (!X.assume(B.Cond, V))
      return false;
    for (auto [On, C, CV] : B.Implied)
      if (On == V && !X.assume(C, CV))
        return false;
    return true;
  };
  if (!Assume(G))
    return false;
  llvm::erase_if(Is, [&](auto &I) { return !Assume(I.G); });
  return true;
}
} // namespace guards

struct FunctionFacts {
  const FunctionRef *FD = nullptr;
  std::string Name;
  SourceLoc Loc;
  /// The definition's extent (expansion locations): NOLINT scopes, baselines.
  SourceLoc Begin, End;
  std::vector<Event> Events;
  std::vector<BlockFacts> Blocks;
  int Entry = 0, Exit = 0;
  std::vector<int> Order; ///< blocks in reverse post-order
  /// Function-pointer fields this function calls through (cinfo->unmap(info)),
  /// and the functions it stores into such fields (cinfo->unmap = fn).
  std::vector<const FieldRef *> IndirectCalls;
  std::vector<std::pair<const FieldRef *, const FunctionRef *>> FieldStores;
  /// Function-pointer fields copied from another (map->exit = info->exit):
  /// {destination, source}.
  std::vector<std::pair<const FieldRef *, const FieldRef *>> FieldCopies;
  /// Data-pointer fields copied from another, offsets allowed
  /// (info->screen_base = sfb->lfb, sfb->lfb = sfb->dp_regs + 0x200000):
  /// {destination, source}. What one holds, the other points into.
  std::vector<std::pair<const FieldRef *, const FieldRef *>> PointerCopies;
  /// Pure conditions tested more than once, or stored to as a flag.
  std::vector<PureCond> Conds;
};

/// The assignments of a local variable in \p F (x = ..., and its
/// initializer), in event order.
inline llvm::SmallVector<const Event *, 2> assignmentsOf(const FunctionFacts &F,
                                                         llvm::StringRef Local) {
  llvm::SmallVector<const Event *, 2> Out;
  if (!Local.empty())
    for (const Event &E : F.Events)
      if (E.Kind == EventKind::Assign && E.Target.Local && E.Target.Key == Local)
        Out.push_back(&E);
  return Out;
}

/// A callback registration found outside function bodies (a static
/// initializer such as DECLARE_TASKLET or an ops table).
struct GlobalRegistration {
  const FunctionRef *Callback;
  const ContextKind *Context;
  SourceLoc Loc;
  std::string Via;
};

/// A driver ops structure (.probe / .remove of a platform_driver, ...).
struct OpsRegistration {
  const FunctionRef *Probe = nullptr, *Remove = nullptr;
  std::string Record, RemoveField;
  SourceLoc Loc;
};

/// All facts of one translation unit.
struct TUFacts {
  /// The files SourceLoc::File indexes: absolute paths, dots removed; [0] is "".
  std::vector<std::string> Files{""};
  /// The TU's main file (the first place extracted).
  const std::string &mainFile() const { return Files[Files.size() > 1 ? 1 : 0]; }
  /// The file of \p L ("" for none).
  const std::string &fileOf(SourceLoc L) const {
    return Files[L.File < Files.size() ? L.File : 0];
  }
  /// The declarations the facts name, one entry per canonical declaration,
  /// at stable addresses (see IR.h).
  std::vector<std::unique_ptr<FunctionRef>> FunctionTable;
  std::vector<std::unique_ptr<FieldRef>> FieldTable;
  std::vector<std::unique_ptr<RecordRef>> RecordTable;
  std::vector<std::unique_ptr<FunctionFacts>> Functions;
  llvm::DenseMap<const FunctionRef *, FunctionFacts *> ByDecl;
  std::vector<GlobalRegistration> Registrations;
  TUConstants Constants;
  std::vector<OpsRegistration> Ops;
  /// Functions stored in a teardown field of an ops structure.
  std::vector<const FunctionRef *> Teardowns;
  /// The functions the TU stores into each function-pointer field, in a
  /// function body or a static initializer: what a call through the field
  /// may call.
  llvm::DenseMap<const FieldRef *, llvm::SmallVector<const FunctionRef *, 2>>
      FieldTargets;
};

/// The facts as JSON (lib/FactsIO.cpp): tables of declarations and files,
/// model entities by name, no Clang type.
llvm::json::Value factsToJSON(const TUFacts &T, const Model &M);
/// Facts from factsToJSON()'s output, with \p M the model it was made with;
/// an error names what is missing or malformed.
llvm::Error factsFromJSON(const llvm::json::Value &V, const Model &M, TUFacts &T);

} // namespace kdlint

#endif

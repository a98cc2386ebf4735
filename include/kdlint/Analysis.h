//===- Analysis.h - Context dataflow, summaries, the TU fixpoint ----------===//
//
// Reads the facts of a TU and computes, to a fixpoint over its call graph:
//  - per event, the atomic contexts that may be held there (a forward dataflow
//    over the fact blocks: locks, irq/bh/preempt/RCU, kmap_atomic, cleanup.h
//    guards, trylock success edges, contexts a callee enters or leaves, and the
//    context a registered callback runs in);
//  - per function, a summary a caller needs: may it sleep, always or only when
//    a GFP parameter allows blocking, and its net context effect.
// Summaries name things by file location and are plain data, so a cross-TU
// link can serialize and merge them.
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_ANALYSIS_H
#define KDLINT_ANALYSIS_H

#include "kdlint/Facts.h"
#include "kdlint/Finding.h"
#include "kdlint/Resources.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"
#include <functional>

namespace kdlint {


/// An atomic context that may be active at a program point.
struct Held {
  static constexpr unsigned FromEntry = ~0u;
  unsigned Origin = FromEntry; ///< event that entered it; FromEntry: callback
  const ContextKind *Context = nullptr;
  std::string Key;
  SourceLoc ScopeEnd; ///< cleanup.h guard: released past here
  bool Must = true;               ///< held on every path to here
  bool Retaken = false;           ///< a caller's lock this function left and took again
  Guards G;                       ///< pure conditions on every path it is held on
  std::vector<Step> Evidence;     ///< where it was entered (and how)
};

/// A caller's context a function leaves (an unlock of a lock it did not
/// take), with the lock's key in the function's terms: Param and Suffix when
/// the key is reached through a parameter ("p->lock" of parameter p).
struct ReleasedLock {
  const ContextKind *Context = nullptr;
  std::string Key;
  int Param = -1;
  std::string Suffix;
  bool operator==(const ReleasedLock &O) const {
    return Context == O.Context && Key == O.Key;
  }
};

/// Where a handle (a regmap) came from, as far as the TU shows.
struct HandleOrigin {
  enum KindTy { Unknown, NoSleep, Sleeps, Param } Kind = Unknown;
  int ParamIndex = -1;
  Step Why; ///< Sleeps: where it was made, and why its users sleep
};

struct CtxState {
  bool Reachable = false;
  llvm::SmallVector<Held, 2> HeldList;
  bool NotAtomic = false; ///< a run-time test (in_atomic()...) said "no"
  bool NotInterrupt = false; ///< in_interrupt() and friends said "no"
  /// Conditions on parameters that hold on every path to here (the branches
  /// of if (gfpflags_allow_blocking(gfp)), if (can_sleep), ...).
  llvm::SmallVector<ParamCond, 2> Known;
  llvm::SmallVector<const ContextKind *, 2> Released; ///< left a caller's context
  /// Caller's locks left on every path to here (an unlock of a lock this
  /// function did not take).
  llvm::SmallVector<ReleasedLock, 1> ReleasedMust;
  Guards G; ///< pure conditions on every path to here
  /// Flag fields (of any object of their struct) known zero, and known set
  /// by a store of a nonzero constant, on every path to here: the
  /// in_timeout = 1 a driver sets before calling code that tests it.
  llvm::SmallVector<const FieldRef *, 1> FlagsZero, FlagsSet;

  bool atomic() const { return Reachable && !HeldList.empty() && !NotAtomic; }
  bool interrupt() const;
  /// The context to name in a message: the innermost one.
  const Held &innermost() const { return HeldList.back(); }
};

/// Why a call may sleep.
struct SleepFact {
  int Param = -1; ///< -1: always; else only when Cond holds of this parameter
  ParamCond Cond;
  /// More conditions on parameters that must hold too (a conjunction with
  /// Cond): `if (bit_state != RESET && ...) return; ... if (may_sleep) msleep()`.
  llvm::SmallVector<ParamCond, 2> Also;
  bool UnlessInterrupt = false; ///< does not sleep in interrupt context
  std::vector<Step> Chain; ///< from the site down to the sleeping primitive
  std::string CallerGfp;   ///< the mask this call passes that makes it sleep
  /// The caller's locks the callee leaves before it sleeps: not held then.
  std::vector<ReleasedLock> ReleasedBefore;
  /// Does not sleep while one of these flag fields is set: the sleep is on
  /// the branch where they were tested zero (if (db->in_suspend ||
  /// db->in_timeout) mdelay(); else msleep();).
  llvm::SmallVector<const FieldRef *, 2> UnlessFlags;
  bool stoppedBy(llvm::ArrayRef<const FieldRef *> Set) const {
    return llvm::any_of(UnlessFlags, [&](const FieldRef *F) {
      return llvm::is_contained(Set, F);
    });
  }
};

struct FunctionSummary {
  std::optional<SleepFact> Always;
  /// Sleeps that happen only when a condition on a parameter holds, one per
  /// distinct (parameter, condition), at most MaxByParam.
  std::vector<SleepFact> ByParam;
  static constexpr unsigned MaxByParam = 8;
  /// Conditions kept besides the first on one sleep (SleepFact::Also).
  static constexpr unsigned MaxAlso = 3;
  std::vector<Held> Acquires;                 ///< held on return
  std::vector<const ContextKind *> Releases;  ///< caller's contexts it leaves
  bool sameAs(const FunctionSummary &O) const;
};


/// A summary as JSON, its declarations and places those of \p T (the facts it
/// was computed from: lib/FactsIO.cpp), and back.
llvm::json::Value summaryToJSON(const FunctionSummary &S, const TUFacts &T,
                                const Model &M);
llvm::Error summaryFromJSON(const llvm::json::Value &V, const TUFacts &T,
                            const Model &M, FunctionSummary &S);

/// A place in any file of the run, for evidence found in another TU.
struct RemoteStep {
  std::string File; ///< absolute path
  unsigned Line = 0, Column = 0;
  std::string Text;
};

/// A function of another TU of the run that may sleep (the cross-TU link):
/// where it is defined and the way down to what sleeps.
struct ExternalSleep {
  std::string DefinedIn;
  std::vector<RemoteStep> Chain;
};
using ExternalSleeps = llvm::StringMap<ExternalSleep>;

/// A context a function of another TU enters and returns holding: the
/// model's index, the key in the function's own terms, and where it was
/// entered (down to the primitive).
struct ExportedAcquire {
  int Context = -1;
  std::string Key;
  std::vector<RemoteStep> Evidence;
};

/// A sleep of a function of another TU that happens only when a condition
/// on its parameters holds (`if (wait) msleep()`, a GFP mask it allocates
/// with): the condition, any others that must hold with it, and the way
/// down to what sleeps.
struct ExportedCondSleep {
  ParamCond Cond;
  llvm::SmallVector<ParamCond, 2> Also;
  bool UnlessInterrupt = false;
  std::vector<RemoteStep> Chain;
};

/// What one TU tells the link about its externally visible functions: which
/// sleep unconditionally on their own, and which call functions it does not
/// define outside any atomic context (they sleep if those do).
struct ExportedFunction {
  std::string Name, File;
  std::vector<RemoteStep> Sleeps; ///< empty: no sleep of its own
  /// Each with the way there: the call in this function, then those in the
  /// functions of its TU it calls on the way (a static helper's call).
  std::vector<std::pair<std::string, std::vector<RemoteStep>>> Calls;
  /// Contexts of its caller it leaves (model indices): an unlock helper.
  std::vector<int> Releases;
  /// Contexts it enters and holds on every return: a lock helper.
  std::vector<ExportedAcquire> Acquires;
  /// Sleeps under a condition on its parameters.
  std::vector<ExportedCondSleep> CondSleeps;
  /// The release primitives (the model's names) it calls, itself or through
  /// the functions of its TU: a cleanup helper (foo_cleanup(pdev) calling
  /// pci_release_regions()).
  std::vector<std::string> ResReleases;
  /// The mappings and regions (not managed ones) it stores into fields,
  /// itself or through the functions of its TU: indices into
  /// TUExports::FieldStores. What a probe that calls it keeps.
  std::vector<unsigned> Kept;
};
/// A callback this TU registers (an IRQ handler, an ops-table entry) that
/// another TU defines: it runs in Context (the model's index) there.
struct ExportedRegistration {
  std::string Callback;
  int Context = -1;
  RemoteStep Site; ///< where, with the note's text
};
/// An acquisition a TU stores into a struct field, for the field's releases
/// in other files (vmalloc() memory stored in priv->table by one file and
/// given to kfree() by another).
struct ExportedFieldStore {
  std::string Key;      ///< the field: FieldRef::Key
  std::string Family;   ///< the model's name
  std::string Acquirer; ///< "vmalloc"
  std::string Function; ///< the function that acquired it
  int64_t Order = -1;   ///< pages: the order allocated, when known
  RemoteStep Acquired;  ///< where (no text)
  RemoteStep Stored;    ///< where, with the note's text
  std::string Target;   ///< the field as the driver wrote it ("hw->sram")
  /// The module of the TU that stores (set by the link, not exported).
  std::string Module;
};
struct TUExports {
  std::string File; ///< the TU's main file
  /// The module it is built into (KBUILD_MODNAME), empty if not known.
  std::string Module;
  std::vector<ExportedFieldStore> FieldStores;
  /// Keys of the fields this TU releases something from.
  std::vector<std::string> FieldsReleased;
  /// Of those, the fields a function releases that does not store into
  /// them (not the unwinding of the error path of the one that fills it).
  std::vector<std::string> FieldsReleasedApart;
  /// Keys of the fields this TU copies into another field (which is then
  /// released instead).
  std::vector<std::string> FieldsHandedOn;
  std::vector<ExportedFunction> Functions;
  /// The external functions it calls where their sleeping or releasing
  /// would change a finding here: in atomic context, or in a function an
  /// atomic context of this TU reaches.
  std::vector<std::string> Callees;
  /// Every external function it calls (a lock helper's call matters wherever
  /// it is made: what follows may sleep under the lock).
  std::vector<std::string> AllCallees;
  /// Every external function it defines: name and file.
  std::vector<std::pair<std::string, std::string>> Defines;
  std::vector<ExportedRegistration> Registered;
};

/// The contexts a function of the run starts in because another TU
/// registered it as a callback (the cross-TU link).
struct ExternalContext {
  int Context = -1;
  RemoteStep Site;
};
using ExternalContexts = llvm::StringMap<std::vector<ExternalContext>>;
/// The caller's contexts functions of other TUs leave (model indices).
using ExternalReleases = llvm::StringMap<std::vector<int>>;
/// The contexts functions of other TUs enter and return holding.
using ExternalAcquires = llvm::StringMap<std::vector<ExportedAcquire>>;
/// The sleeps of functions of other TUs that depend on their arguments.
using ExternalCondSleeps = llvm::StringMap<std::vector<ExportedCondSleep>>;
/// The release primitives functions of other TUs call (model names).
using ExternalResReleases = llvm::StringMap<std::vector<std::string>>;
/// The acquisitions every TU stores into each field, by FieldRef::Key.
using ExternalFieldStores = llvm::StringMap<std::vector<ExportedFieldStore>>;

/// The link: which functions of the run sleep, from every TU's exports
/// (a name defined in more than one TU is left out). lib/Link.cpp.
ExternalSleeps linkSleeps(llvm::ArrayRef<const TUExports *> TUs);
/// The link: the callbacks one TU registers and exactly one other defines,
/// with the contexts they run in.
ExternalContexts linkContexts(llvm::ArrayRef<const TUExports *> TUs);
/// The link: what the functions defined in exactly one TU leave of their
/// callers' contexts.
ExternalReleases linkReleases(llvm::ArrayRef<const TUExports *> TUs);
/// The link: what the functions defined in exactly one TU enter and return
/// holding.
ExternalAcquires linkAcquires(llvm::ArrayRef<const TUExports *> TUs);
/// The link: the conditional sleeps of the functions defined in exactly one
/// TU (not closed over calls: a caller's own conditional sleep through one
/// crosses again only if that caller is in the TU that calls it).
ExternalCondSleeps linkCondSleeps(llvm::ArrayRef<const TUExports *> TUs);
/// The link: the release primitives of the functions defined in exactly one
/// TU (not closed over calls between other TUs).
ExternalResReleases linkResReleases(llvm::ArrayRef<const TUExports *> TUs);
/// Whether a store in \p Store's file pairs with a release in \p Release's
/// (another file of the same directory): fields of the kernel's own structs
/// (struct device, fb_info) are shared by every driver, and one driver's
/// store says nothing about another's release.
bool sameDriver(llvm::StringRef Store, llvm::StringRef Release);
/// The same, by module when both TUs' modules (KBUILD_MODNAME) are known:
/// drivers/scsi/ holds a hundred modules, and one module may span
/// directories.
bool sameDriver(llvm::StringRef Store, llvm::StringRef StoreModule,
                llvm::StringRef Release, llvm::StringRef ReleaseModule);
/// Whether a call from a TU of module \p Caller may take a sleep of a
/// function of module \p Callee whose evidence is \p ChainSize steps: the
/// same module, or either unknown, or a function that sleeps itself (its
/// chain is the primitive: might_sleep(), a mutex). A subsystem's core (libata, in another module) sleeps through
/// its own helpers by the object it is given (a host link or a port
/// multiplier's), which a caller's file cannot see.
bool sleepsCross(llvm::StringRef Caller, llvm::StringRef Callee, size_t ChainSize);
/// The link: the acquisitions stored into each field by every TU.
ExternalFieldStores linkFieldStores(llvm::ArrayRef<const TUExports *> TUs);
/// The link: by function defined once, the mappings and regions it stores
/// into fields whose name no TU releases or copies into another field.
ExternalFieldStores linkKept(llvm::ArrayRef<const TUExports *> TUs);

/// Everything the link learns from the TUs of a run, for their second pass.
struct LinkResult {
  ExternalSleeps Sleeps;
  ExternalContexts Contexts;
  ExternalReleases Releases;
  ExternalAcquires Acquires;
  ExternalCondSleeps CondSleeps;
  ExternalResReleases ResReleases;
  ExternalFieldStores FieldStores;
  /// By function: the mappings and regions it stores into fields that no
  /// TU of the run releases (nor copies into another field), by name.
  ExternalFieldStores Kept;
  /// Every function some TU of the run defines, with the module
  /// (KBUILD_MODNAME, empty if not known) of the TU that defines it.
  llvm::StringMap<std::string> ModuleOf;
  /// Directories the run does not cover whole (a TU of the compilation
  /// database there is not in the run, or did not parse): what no file
  /// there releases is not known. Empty: every directory is whole.
  llvm::StringSet<> Partial;
  /// Whether the TU with exports \p X (and \p Findings from its first
  /// pass) must be analysed again knowing this: it calls a sleeper, an
  /// unlock helper or a conditional sleeper where that matters, a lock
  /// helper anywhere, a cleanup helper where it had findings (a release can
  /// only remove one), releases a field another file stores into, or defines
  /// a callback another TU registers, or calls a function that keeps a
  /// mapping nothing releases (its probe may be the one that keeps it).
  bool needsSecondPass(const TUExports &X, unsigned Findings) const;
};
LinkResult linkAll(llvm::ArrayRef<const TUExports *> TUs);

/// A TU's exports as JSON (worker to parent), and back; false if malformed.
llvm::json::Value exportsToJSON(const TUExports &X);
bool exportsFromJSON(const llvm::json::Value &V, TUExports &X);

class TUAnalysis {
public:
  TUAnalysis(const TUFacts &Facts, const Model &M);
  void run();
  /// What the link learned from the other TUs of the run (before run());
  /// \p Locate turns a place in another file into a location notes can
  /// point at.
  void setLink(const LinkResult *L,
               std::function<SourceLoc(const RemoteStep &)> Locate);
  /// What the link needs from this TU (after run()).
  TUExports exports() const;
  /// The module the TU is built into (KBUILD_MODNAME): stores of another
  /// TU pair with this one's releases only within one module.
  void setModule(std::string Name) { Module = std::move(Name); }

  const TUFacts &facts() const { return Facts; }
  const Model &model() const { return M; }
  const FunctionSummary *summary(const FunctionRef *FD) const;
  const ResourceAnalysis &resources() const { return Res; }
  /// What other files of the run store into \p Fd (the link; empty without).
  llvm::SmallVector<const ExportedFieldStore *, 2>
  externalStores(const FieldRef *Fd) const;
  /// The mappings and regions function \p Fn of another file of this TU's
  /// driver (ofThisDriver()) stores into fields that nothing in the run
  /// releases; none when this TU's directory is partial.
  llvm::SmallVector<const ExportedFieldStore *, 2> keptBy(llvm::StringRef Fn) const;
  /// Whether some TU of the run defines \p Fn (false without the link).
  bool definedInRun(llvm::StringRef Fn) const { return Link && Link->ModuleOf.count(Fn); }
  /// A place in another file of the run as a location (invalid if unknown).
  SourceLoc locate(const RemoteStep &St) const {
    return Locate ? Locate(St) : SourceLoc();
  }
  /// The state just before each event of \p F.
  const std::vector<CtxState> &states(const FunctionFacts &F) const;
  /// Whether event \p I of \p F may sleep in state \p S, and why.
  std::optional<SleepFact> sleepAt(const FunctionFacts &F, unsigned I,
                                   const CtxState &S) const;
  /// A GFP mask as a name the driver would write (GFP_KERNEL), or its text.
  std::string gfpName(const ArgValue &V) const;
  /// The contexts of \p S still held when the sleep \p SF happens (a callee
  /// may leave the caller's lock before it sleeps).
  llvm::SmallVector<const Held *, 2> heldDuring(const CtxState &S,
                                                const SleepFact &SF) const;
  /// Where the handle \p A (a regmap) in \p F was made.
  HandleOrigin originOf(const ArgInfo &A, const FunctionFacts &F,
                        unsigned Depth = 0) const;

private:
  void analyze(const FunctionFacts &F, FunctionSummary &Out,
               std::vector<CtxState> *States) const;
  enum class Tri { No, Yes, Maybe };
  /// Whether \p C, a condition on a callee's parameter, holds for the
  /// argument \p V (\p AI for handles) of a call made in state \p S of \p F;
  /// Maybe with \p Out, a condition on \p F's own parameter.
  Tri evalCond(const ParamCond &C, const ArgValue &V, const ArgInfo *AI,
               const FunctionFacts &F, const CtxState &S, ParamCond &Out,
               std::optional<Step> &Why) const;
  void computeOrigins();

  RemoteStep remote(SourceLoc L, std::string Text) const;
  /// Appends \p Steps of other files to \p Out as notes can show them
  /// (those Locate finds), up to the chain's bound.
  void appendRemote(std::vector<Step> &Out, llvm::ArrayRef<RemoteStep> Steps) const;

  const TUFacts &Facts;
  const Model &M;
  // The link's tables (null without one).
  const ExternalSleeps *External = nullptr;
  const ExternalContexts *ExternalCtx = nullptr;
  const ExternalReleases *ExternalRel = nullptr;
  const ExternalAcquires *ExternalAcq = nullptr;
  const ExternalCondSleeps *ExternalCond = nullptr;
  const ExternalFieldStores *ExternalStores = nullptr;
  const ExternalFieldStores *ExternalKept = nullptr;
  const LinkResult *Link = nullptr;
  std::string Module;
  /// Of \p Stores (made by other TUs), those of this TU's driver: the same
  /// module when both are known, else another file of the same directory;
  /// never a field of a structure the kernel declares for every driver.
  llvm::SmallVector<const ExportedFieldStore *, 2>
  ofThisDriver(llvm::ArrayRef<ExportedFieldStore> Stores) const;
  /// Whether sleep \p S (null: a conditional one) of \p Fn, defined in
  /// another TU, applies to a call of it here (sleepsCross()).
  bool crossesHere(llvm::StringRef Fn, const ExternalSleep *S) const;
  std::function<SourceLoc(const RemoteStep &)> Locate;
  ResourceAnalysis Res;
  std::optional<uint64_t> DirectReclaim;
  llvm::DenseMap<const FunctionRef *, FunctionSummary> Summaries;
  llvm::DenseMap<const FunctionRef *, std::vector<Held>> EntryContexts;
  llvm::DenseMap<const FunctionFacts *, std::vector<CtxState>> EventStates;
  llvm::DenseMap<const FieldRef *, HandleOrigin> FieldOrigins;
  llvm::DenseMap<const FunctionRef *, HandleOrigin> ReturnOrigins;
};

} // namespace kdlint

#endif

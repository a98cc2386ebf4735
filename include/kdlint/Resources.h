//===- Resources.h - Acquisitions, releases and their paths ---------------===//
//
// A forward may-dataflow over the facts of each function that follows every
// acquisition of a model resource family (kmalloc, vmalloc, pages, ioremap,
// request_region, kmap, ...) through the names it is known by: the variable
// or field it is stored in, aliases, the status variable of an int-returning
// request. Branches on the acquisition's outcome (if (!base), IS_ERR(p),
// if (err)) drop it on the failure edge. Per TU it also records which struct
// fields receive which families and which fields are released where, so a
// check can pair an allocation in probe with the free in remove.
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_RESOURCES_H
#define KDLINT_RESOURCES_H

#include "kdlint/Facts.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

namespace kdlint {

/// One acquisition that may be live at a program point.
struct ResInst {
  enum : uint8_t { Held = 1, Escaped = 2, Released = 4 };
  unsigned Acq = 0;                  ///< the acquiring event
  const Acquirer *A = nullptr;
  llvm::SmallVector<std::string, 2> Keys; ///< names of the handle
  std::string ArgKey, ArgText;       ///< the acquirer's first argument
  /// Other names of that argument where it was acquired (page =
  /// rdev->gart.pages[p]; kmap(page) ... kunmap(rdev->gart.pages[p])).
  llvm::SmallVector<std::string, 1> ArgAliases;
  /// Whether \p K names the acquirer's argument.
  bool byArg(llvm::StringRef K) const {
    return !K.empty() && (ArgKey == K || llvm::is_contained(ArgAliases, K));
  }
  std::string Status;                ///< status variable (err = request(...))
  std::string HandleText;            ///< the first name, as written
  uint8_t May = Held;                ///< what it may be here
  unsigned ReleaseEv = ~0u;          ///< a release that reaches here
  /// The names it had when it was released, minus those rebound since
  /// (iounmap(p->reg); p->reg = ioremap(...): p->reg names the new one).
  llvm::SmallVector<std::string, 2> GoneKeys;
  const FieldRef *StoredIn = nullptr; ///< the last field stored in
  /// Every field it was stored in (priv->hcr_base, and priv->ssr_base for
  /// hcr_base + 0x100).
  llvm::SmallVector<const FieldRef *, 2> Fields;
  unsigned StoreEv = ~0u;
  Guards G; ///< pure conditions on every path on which it exists
  const Family *family() const { return A->Fam; }
  bool named(const ArgInfo &V) const;
  /// Released by event \p Ev, under the names it has now.
  void release(unsigned Ev) {
    May = Released;
    ReleaseEv = Ev;
    GoneKeys.assign(Keys.begin(), Keys.end());
  }
};

struct ResState {
  bool Reachable = false;
  llvm::SmallVector<ResInst, 1> Insts;
  llvm::SmallVector<std::string, 1> NonZero; ///< keys known nonzero (errors)
  /// x = y of two plain lvalues on every path to here, not written since
  /// (priv->pdev = pdev before pci_request_regions(pdev)).
  llvm::SmallVector<std::pair<std::string, std::string>, 1> Aliases;
  Guards G; ///< pure conditions on every path to here
  const ResInst *find(const ArgInfo &V) const;
};

/// An acquisition still held (or, from a probe callback, only stored in a
/// field) on a path out of the function.
struct Leak {
  unsigned Acq = 0;
  bool ErrorExit = false;     ///< the path returns an error
  bool StoredOnly = false;    ///< stored in a field, probe fails afterwards
  SourceLoc Exit; ///< the return (or the closing brace)
  std::vector<Step> Path;     ///< branches taken on the way
  unsigned Blocks = 0;        ///< blocks on the way (the shortest is shown)
};

/// The order a page allocation or release uses, when known: the fixed order
/// (\p Fixed: free_page() is 0) or a constant at argument \p OrderArg.
std::optional<uint64_t> orderOf(const Event &E, int OrderArg, int Fixed);
/// The order of the acquisition \p Acq, when known.
std::optional<uint64_t> acquiredOrder(const Event &Acq);

/// A store of an acquisition into a struct field, or a release of one.
struct FieldUse {
  const FunctionFacts *F = nullptr;
  unsigned Event = 0;
  const Family *Fam = nullptr;      ///< stores
  const Releaser *Rel = nullptr;    ///< releases
  unsigned Acq = 0;                 ///< stores: the acquiring event
  /// Stores: a pointer into the object, not the object (vbuf->resp_buf =
  /// (void *)vbuf->buf + size): never what a release of the field frees.
  bool Interior = false;
};

class ResourceAnalysis {
public:
  ResourceAnalysis(const TUFacts &Facts, const Model &M);
  void run();
  /// What functions of other TUs release (the cross-TU link; before run()).
  void setExternalReleases(const llvm::StringMap<std::vector<std::string>> *X) {
    External = X;
  }
  /// The releasers \p FD calls, itself or through functions of this TU.
  llvm::ArrayRef<const Releaser *> calleeReleases(const FunctionRef *FD) const;
  /// The releasers the call \p E reaches: a function of this TU that
  /// releases (itself or through its callees), or one of another TU the
  /// link knows.
  llvm::SmallVector<const Releaser *, 2> releasersOf(const Event &E) const;

  /// State just before each event of \p F.
  const std::vector<ResState> &states(const FunctionFacts &F) const;
  const std::vector<Leak> &leaks(const FunctionFacts &F) const;
  /// KERNEL_VERSION of the TU (0 when unknown).
  unsigned version() const { return Version; }
  const llvm::DenseMap<const FieldRef *, std::vector<FieldUse>> &
  fieldStores() const { return Stores; }
  const llvm::DenseMap<const FieldRef *, std::vector<FieldUse>> &
  fieldReleases() const { return FieldReleases; }
  /// Functions reachable from \p FD through calls in this TU (itself too).
  llvm::DenseSet<const FunctionFacts *> reachable(const FunctionRef *FD) const;
  /// The field a TU function returns (get_hwbase(dev) returns np->base).
  const FieldRef *returnedField(const FunctionRef *FD) const;
  /// The field \p A names, directly or through such a function.
  const FieldRef *fieldOf(const FunctionFacts &F, const ArgInfo &A) const;
  /// Whether \p Fam is released by the driver core in this TU: a devm_
  /// family, or one a call of this TU made managed (pcim_enable_device()).
  bool managed(const Family *Fam) const {
    return Fam->Managed || ManagedHere.count(Fam);
  }
  /// \p Fd and the pointer fields what it holds is copied into by some
  /// function of this TU, offsets allowed, transitively (sfb->lfb, then
  /// info->screen_base = sfb->lfb): releasing any of them releases it.
  llvm::SmallVector<const FieldRef *, 4>
  fieldAliases(const FieldRef *Fd) const;
  /// Whether \p Fd, or a field it is copied into, is \p Got (by name).
  bool reachesField(const FieldRef *Fd, const FieldRef *Got) const;
  /// Whether \p F is the probe callback of a driver ops structure.
  bool isProbe(const FunctionFacts &F) const;
  /// Functions the teardown callbacks of this TU's ops structures reach
  /// (fb_destroy, host_stop, ...): the framework runs them on unbind.
  const llvm::DenseSet<const FunctionFacts *> &teardown() const { return Teardown; }

private:
  struct ParamFacts {
    std::vector<const Releaser *> Releases;
    std::vector<bool> Escapes;
  };
  void analyze(const FunctionFacts &F);
  void transfer(const FunctionFacts &F, unsigned I, ResState &S) const;
  /// Runs block \p B's events over \p S (recording the state before each
  /// one in \p Rec when given).
  void block(const FunctionFacts &F, int B, ResState &S,
             std::vector<ResState> *Rec) const;
  void edge(const FunctionFacts &F, int From, unsigned SuccIdx,
            ResState &S) const;
  bool viaResource(const ResInst &R, const ArgInfo &A) const;
  bool errorReturn(const FunctionFacts &F, const Event &E,
                   const ResState &S) const;
  void computeParams();

  const TUFacts &Facts;
  const Model &M;
  const llvm::StringMap<std::vector<std::string>> *External = nullptr;
  unsigned Version = 0;
  llvm::DenseMap<const FunctionFacts *, std::vector<ResState>> States;
  llvm::DenseMap<const FunctionFacts *, std::vector<Leak>> Leaks;
  llvm::DenseMap<const FunctionRef *, ParamFacts> Params;
  llvm::DenseMap<const FieldRef *, std::vector<FieldUse>> Stores;
  llvm::DenseMap<const FieldRef *, std::vector<FieldUse>> FieldReleases;
  /// Pointer fields copied into others: source -> destinations.
  llvm::DenseMap<const FieldRef *, llvm::SmallVector<const FieldRef *, 2>>
      PointerFlows;
  llvm::DenseSet<const FunctionRef *> Probes;
  llvm::DenseSet<const Family *> ManagedHere;
  llvm::DenseSet<const FunctionFacts *> Teardown;
  /// File-scope variables the module's exit function (__exit) releases, by
  /// name: what a probe keeps in one is the module's to release.
  llvm::StringSet<> ExitReleased;
  /// Functions some function of this TU calls directly.
  llvm::DenseSet<const FunctionRef *> Called;
  /// Whether a teardown callback releases field \p Fd (of family \p Fam).
  bool releasedByTeardown(const FieldRef *Fd, const Family *Fam) const;
  /// Whether a region recorded in \p R's field is released by some function
  /// of this TU (FieldReleases: release_io() releasing hw->cfg.start): the
  /// object's owner releases it, not the helper that failed.
  bool ownedByObject(const ResInst &R) const;
  /// Whether a caller in this TU of \p F, which passed the region's handle
  /// in (gxfb_map_video_memory(info, pdev)), releases that region itself
  /// (pci_release_region(pdev, 3) on its error path).
  bool callerReleases(const FunctionFacts &F, const ResInst &R) const;
  bool releasedAfter(const FunctionFacts &G, unsigned Call, llvm::StringRef Arg,
                     const Family *Fam) const;
  /// Releasers a TU function calls, itself or through its callees.
  llvm::DenseMap<const FunctionRef *, llvm::SmallVector<const Releaser *, 2>>
      CalleeReleases;
  /// Fields a TU function releases, itself or through its callees.
  llvm::DenseMap<const FunctionRef *,
                 llvm::SmallVector<std::pair<const FieldRef *, const Releaser *>, 2>>
      CalleeFieldReleases;
};

} // namespace kdlint

#endif

//===- Model.h - The kernel model: primitives kdlint knows by name --------===//
//
// The model is data (model/kernel.yaml, plus any --model files): which kernel
// functions and macros sleep, allocate with a GFP mask, enter or leave atomic
// context, register callbacks that run atomic, or test the context at run time.
// This header is the in-memory form; Model.cpp reads it with LLVM's YAML I/O.
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_MODEL_H
#define KDLINT_MODEL_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <deque>
#include <string>
#include <vector>

namespace kdlint {

/// An atomic context: a lock class, irq-off, bh-off, preempt-off, RCU, or the
/// context a registered callback runs in.
struct ContextKind {
  std::string Class;     ///< pairs enter with exit ("spinlock", "irq", ...)
  std::string While;     ///< "a spinlock is held": completes "... sleeps while %0"
  std::string What;      ///< noun for notes: "spinlock", "interrupts disabled"
  bool Keyed = false;    ///< enter/exit are paired by their first argument
  bool Interrupt = false; ///< in_interrupt() is true while in this context
  /// Leaving this context also leaves one of that class when the instance
  /// left was not entered by this kind itself: spin_unlock_bh() of a lock
  /// taken with spin_lock() (or by another function) enables the bottom
  /// halves a local_bh_disable() disabled ("bh").
  std::string AlsoLeaves;
};

enum class PrimitiveKind {
  Sleep,        ///< always may sleep (msleep, mutex_lock, ...)
  Alloc,        ///< sleeps iff its GFP argument allows direct reclaim
  Enter,        ///< enters an atomic context
  Exit,         ///< leaves it
  TryEnter,     ///< enters it on the success branch only (spin_trylock)
  Register,     ///< registers a callback that runs in an atomic context
  AtomicTest,   ///< run-time test: true when atomic (in_interrupt, in_atomic)
  NonAtomicTest,///< run-time test: true when not atomic (preemptible)
  InterruptTest,    ///< true in interrupt context (in_interrupt, in_irq)
  NonInterruptTest, ///< true in task context (in_task)
  BlockingTest, ///< true when its GFP argument allows blocking
  ErrTest,      ///< IS_ERR(p): true when p is an error pointer
  ErrOrNullTest,///< IS_ERR_OR_NULL(p)
  Resource,     ///< none of the above: only a resource or access role
};

/// What kind of thing a resource family is; selects the check that reports
/// its leaks and misuse.
enum class ResourceClass { Memory, Pages, Mapping, Region, Kmap };

/// How an acquisition reports failure.
enum class SuccessTest { NonNull, ErrPtr, Zero };

/// What the GFP rules need to know about a family's allocator.
enum class GfpUse { None, Slab, PageAddress, Pages, Kvmalloc, Vmalloc };

/// A family of acquisitions released by the same functions (kmalloc,
/// vmalloc, ioremap, request_region, kmap_local, ...).
struct Family {
  std::string Name;       ///< "kmalloc"
  std::string What;       ///< noun for messages: "kmalloc() memory"
  ResourceClass Class = ResourceClass::Memory;
  SuccessTest Success = SuccessTest::NonNull;
  GfpUse Gfp = GfpUse::None;
  bool Managed = false;   ///< devm_/pcim_: released by the driver core
  bool Iomem = false;     ///< the result is __iomem (only MMIO accessors)
  bool Lifo = false;      ///< kmap_local: unmapped in reverse order
  /// Calls that make this family managed in the TU that makes them
  /// (pcim_enable_device(): pci_request_regions() becomes devres-managed).
  std::vector<std::string> ManagedAfter;
};

/// A function or macro that acquires a member of a family.
struct Acquirer {
  const Family *Fam = nullptr;
  int HandleArg = -1; ///< -1: the result is the handle; else this argument
  int OrderArg = -1;  ///< pages: the allocation order argument
  int Order = -1;     ///< pages: a fixed order (__get_free_page: 0)
  /// A cacheable or write-combined mapping (ioremap_cache, ioremap_wc):
  /// drivers map RAM shared with firmware this way and use it as memory.
  bool Ram = false;
};

/// A function or macro that releases members of some families.
struct Releaser {
  int Arg = 0;         ///< the argument that names what is released
  int OrderArg = -1;   ///< pages: the order argument
  int Order = -1;      ///< pages: a fixed order (free_page: 0)
  bool TakesAcquireArg = false; ///< kunmap(page): the acquirer's argument
  struct Accepts {
    const Family *Fam;
    unsigned Since; ///< KERNEL_VERSION it is accepted from (0: always)
  };
  std::vector<Accepts> Frees;
  /// Families it releases only a part of (pci_release_mem_regions() of
  /// pci_request_regions(): the memory BARs), and which part, for messages.
  std::vector<const Family *> PartOf;
  std::string Part;
  std::vector<std::string> Names;
  /// Whether this releaser accepts \p F in a kernel of version \p Version.
  bool accepts(const Family *F, unsigned Version) const;
};

/// What an access primitive does with its address arguments.
enum class AccessRole {
  None,
  Mmio,        ///< readl/writel/ioread32/memcpy_fromio: needs an I/O mapping
  RawMemory,   ///< memcpy/memset/strcpy: must not be given I/O memory
  PageAddress, ///< page_address(): needs a lowmem page
  PhysToVirt,  ///< phys_to_virt()/__va(): a kernel virtual address of RAM
};

/// A kind of handle whose users sleep or not depending on how it was made: a
/// regmap sleeps when its bus does (I2C, SPI, ...), never over MMIO/syscon.
struct HandleKind {
  std::string Name;
};

struct Primitive {
  std::string Name;
  PrimitiveKind Kind;
  const ContextKind *Context = nullptr; ///< Enter/Exit/TryEnter/Register
  int Arg = -1;            ///< Alloc: GFP argument; Register: callback argument
  std::string DefaultGfp;  ///< Alloc: mask assumed when the GFP argument is absent
  std::string Reason;      ///< Sleep: why ("sleeps", "waits for a completion")
  bool UnlessInterrupt = false; ///< Sleep: only sleeps outside interrupt context
  /// Sleep: only when this argument is nonzero (readl_poll_timeout's
  /// sleep_us: might_sleep_if(sleep_us) in include/linux/iopoll.h).
  int SleepIfArg = -1;
  /// Sleep: the argument naming a lock it releases before it sleeps and takes
  /// again after (wait_event_lock_irq(wq, cond, lock)), or -1.
  int DropsLockArg = -1;
  /// Sleep: only when the handle in argument HandleArg sleeps (regmap_write).
  const HandleKind *Handle = nullptr;
  int HandleArg = 0;
  /// Creates a handle of this kind (devm_regmap_init_i2c); whether its users
  /// sleep, and why ("I2C transfers sleep").
  const HandleKind *Creates = nullptr;
  bool CreatesSleeping = false;
  std::string CreatesWhy;
  // Resource and access roles (any kind may also have them: kmalloc is an
  // Alloc and acquires kmalloc memory; kmap_atomic enters a context and maps).
  const Acquirer *Acq = nullptr;
  const Releaser *Rel = nullptr;
  AccessRole Role = AccessRole::None;
  std::vector<int> AddrArgs; ///< Role: the arguments that are addresses
  /// RawMemory: the I/O variant when only the source (FromIo) or only the
  /// destination (ToIo) is I/O memory (memcpy -> memcpy_fromio/memcpy_toio).
  std::string FromIo, ToIo;
};

/// A driver ops structure whose probe callback's acquisitions its remove
/// callback must release (platform_driver.probe / .remove).
struct DriverOps {
  std::string Record;
  std::vector<std::string> Probe, Remove;
};

/// A struct field that, when a function is stored into it, registers a callback.
struct FieldCallback {
  std::string Record, Field;
  const ContextKind *Context = nullptr;
  /// Fields of the same record that, set in the same initializer, mean the
  /// callback does not run in Context (an irq_chip with .irq_bus_lock: a
  /// slow-bus chip whose callbacks only update a cache).
  std::vector<std::string> UnlessSet;
};

/// The GFP flags and limits the rules are about, by role, as the kernel names
/// them (the model's `gfp:` section; their values are asked of each TU).
struct GfpNames {
  std::string DirectReclaim; ///< the bit without which an allocation never sleeps
  std::vector<std::string> Reclaim; ///< bits that make a mask more than a zone
  std::string Dma, Dma32, HighMem;  ///< the zone modifiers
  std::vector<std::string> Plain;   ///< modifiers a zone-only mask may carry
  std::string NoFail;
  std::vector<std::string> Masks;   ///< named masks, for messages (GFP_KERNEL)
  /// The largest allocation order: the first of these the tree defines.
  std::vector<std::string> MaxOrder;
  /// MAX_ORDER (the last of MaxOrder) was one past the largest order before
  /// this KERNEL_VERSION (6.4).
  unsigned MaxOrderInclusiveSince = 0;
};

/// How the kernel spells what the frontend reads that is not a primitive
/// (the model's `spellings:` section).
struct Spellings {
  /// Allocation profiling's suffix (6.10+: kmalloc() calls kmalloc_noprof()).
  std::string ProfilingSuffix;
  /// sparse's I/O address-space qualifier, which clang builds expand away.
  std::string Iomem;
  /// The type of a GFP mask parameter.
  std::string GfpType;
  /// The macro that holds the tree's KERNEL_VERSION, and the header that
  /// defines it.
  std::string Version, VersionHeader;
  /// sparse's context annotations on prototypes.
  std::string Releases, Acquires, MustHold;
  /// cleanup.h: guard(name)(...) declares a variable initialized by
  /// <GuardPrefix>name<GuardSuffix>(...).
  std::string GuardPrefix, GuardSuffix;
};

class Model {
public:
  /// The model compiled into kdlint from model/kernel.yaml.
  static llvm::Expected<Model> builtin();
  /// Adds the primitives of a YAML document; \p Source names it in errors.
  llvm::Error addYAML(llvm::StringRef Text, llvm::StringRef Source);
  llvm::Error addFile(llvm::StringRef Path);

  /// The primitive a call or macro named \p Name is, or null. Names are
  /// normalized first: 6.10+ allocation profiling renames kmalloc() to
  /// kmalloc_noprof() behind an alloc_hooks() macro.
  const Primitive *lookup(llvm::StringRef Name) const;
  llvm::StringRef normalize(llvm::StringRef Name) const;
  const Spellings &spellings() const { return Spell; }

  /// Contexts by position in the model, for the link to name them across
  /// TUs of one run (all load the same model): -1 if \p C is not one.
  int contextIndex(const ContextKind *C) const;
  const ContextKind *contextAt(int Index) const;

  const FieldCallback *lookupField(llvm::StringRef Record,
                                   llvm::StringRef Field) const;
  /// A cleanup.h guard class (guard(spinlock)(&l)) by its name.
  const Primitive *lookupGuard(llvm::StringRef GuardName) const;
  /// Whether a function the model does not know, named \p Name, releases the
  /// locks reached through its arguments (foo_unlock(priv): release-helpers).
  bool isReleaseHelper(llvm::StringRef Name) const;
  /// Macros whose truth value is one argument's (WARN_ON(!p): the first;
  /// drm_WARN_ON(drm, !p): the second): that argument's index.
  std::optional<unsigned> conditionWrapperArg(llvm::StringRef Name) const;
  /// Macros whose values the frontend asks the TU for (GFP bits, MAX_ORDER).
  const std::vector<std::string> &probes() const { return Probes; }
  /// The GFP flags and limits the rules are about, as the kernel names them.
  const GfpNames &gfp() const { return Gfp; }

  const Family *family(llvm::StringRef Name) const;
  const std::deque<Family> &families() const { return Families; }
  const DriverOps *driverOps(llvm::StringRef Record) const;
  /// Typedefs that hold physical addresses (phys_addr_t, resource_size_t).
  bool isPhysicalType(llvm::StringRef Typedef) const;
  /// Fields that hold physical addresses (resource.start).
  bool isPhysicalField(llvm::StringRef Record, llvm::StringRef Field) const;
  /// Ops fields whose callback the framework runs when it tears the object
  /// down (fb_ops.fb_destroy, ata_port_operations.host_stop).
  bool isTeardownField(llvm::StringRef Record, llvm::StringRef Field) const;
  /// Functions whose result depends only on their arguments and what those
  /// point to, and that change nothing (skb_is_nonlinear, platform_get_resource):
  /// called again with the same arguments, they return the same value.
  bool isPure(llvm::StringRef Fn) const;
  /// Functions given a GFP mask that never sleep with it (they compute on the
  /// mask, or store it for later): gfp_zone(), current_gfp_context().
  bool isGfpNoSleep(llvm::StringRef Fn) const;
  /// Functions called with a lock held that, given a blocking mask, drop that
  /// lock to allocate and take it again (__xa_insert() and xa_lock): the
  /// argument that names the lock's owner and the suffix that reaches it.
  std::optional<std::pair<unsigned, std::string>> gfpDropsLock(llvm::StringRef Fn) const;
  /// Functions whose result is an error code (PTR_ERR, dev_err_probe).
  bool isErrorValue(llvm::StringRef Fn) const;
  /// The function that releases \p F ("iounmap" for ioremap).
  std::string releaseName(const Family *F) const;

  size_t size() const { return Primitives.size(); }

private:
  std::deque<ContextKind> Contexts;
  std::deque<HandleKind> Handles;
  std::deque<Primitive> PrimitiveStore;
  llvm::StringMap<Primitive *> Primitives;
  llvm::StringMap<const Primitive *> Guards;
  std::vector<FieldCallback> Fields;
  std::vector<std::string> Probes;
  GfpNames Gfp;
  Spellings Spell;
  llvm::StringMap<const ContextKind *> ContextByName;
  std::deque<Family> Families;
  std::deque<Acquirer> Acquirers;
  std::deque<Releaser> Releasers;
  std::vector<DriverOps> Ops;
  std::vector<std::string> PhysTypes, PhysFields, ErrorValues, ReleaseSuffixes,
      ConditionWrappers, TeardownFields, PureFunctions, GfpNoSleepFunctions,
      GfpDropsLockFunctions;
  friend struct ModelBuilder;
};

} // namespace kdlint

#endif

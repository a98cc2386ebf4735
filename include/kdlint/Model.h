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
};

struct Primitive {
  std::string Name;
  PrimitiveKind Kind;
  const ContextKind *Context = nullptr; ///< Enter/Exit/TryEnter/Register
  int Arg = -1;            ///< Alloc: GFP argument; Register: callback argument
  std::string DefaultGfp;  ///< Alloc: mask assumed when the GFP argument is absent
  std::string Reason;      ///< Sleep: why ("sleeps", "waits for a completion")
  bool UnlessInterrupt = false; ///< Sleep: only sleeps outside interrupt context
};

/// A struct field that, when a function is stored into it, registers a callback.
struct FieldCallback {
  std::string Record, Field;
  const ContextKind *Context = nullptr;
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
  static llvm::StringRef normalize(llvm::StringRef Name);

  const FieldCallback *lookupField(llvm::StringRef Record,
                                   llvm::StringRef Field) const;
  /// A cleanup.h guard class (guard(spinlock)(&l)) by its name.
  const Primitive *lookupGuard(llvm::StringRef GuardName) const;
  /// Macros whose values the frontend asks the TU for (GFP bits, MAX_ORDER).
  const std::vector<std::string> &probes() const { return Probes; }

  size_t size() const { return Primitives.size(); }

private:
  std::deque<ContextKind> Contexts;
  std::deque<Primitive> PrimitiveStore;
  llvm::StringMap<const Primitive *> Primitives;
  llvm::StringMap<const Primitive *> Guards;
  std::vector<FieldCallback> Fields;
  std::vector<std::string> Probes;
  llvm::StringMap<const ContextKind *> ContextByName;
  friend struct ModelBuilder;
};

} // namespace kdlint

#endif

//===- Check.h - A check: a small rule over facts and summaries -----------===//
#ifndef KDLINT_CHECK_H
#define KDLINT_CHECK_H

#include "kdlint/Analysis.h"
#include "llvm/ADT/StringMap.h"
#include <functional>
#include <memory>

namespace kdlint {

struct Note {
  SourceLoc Loc;
  std::string Text;
};

/// A replacement the check is certain of (exported with --export-fixes).
struct FixIt {
  LocRange Range;
  std::string Text;
};

/// Where checks send their findings (the reporter applies NOLINT, formats
/// them as clang does and counts them).
class DiagnosticSink {
public:
  virtual ~DiagnosticSink() = default;
  virtual void report(llvm::StringRef Check, SourceLoc Loc,
                      const std::string &Message,
                      const std::vector<Note> &Notes,
                      const std::vector<FixIt> &Fixes = {}) = 0;
};

/// Options as `<check-name>.<option>: value` from the config file.
using CheckOptions = llvm::StringMap<std::string>;

class Check {
public:
  virtual ~Check() = default;
  virtual llvm::StringRef name() const = 0;
  virtual llvm::StringRef summary() const = 0;
  virtual void configure(const CheckOptions &Opts) {}
  virtual void run(const TUAnalysis &A, DiagnosticSink &Out) = 0;

protected:
  /// The option `<name>.<Key>` or \p Default.
  std::string option(const CheckOptions &Opts, llvm::StringRef Key,
                     llvm::StringRef Default) const;
};

struct CheckInfo {
  const char *Name;
  std::function<std::unique_ptr<Check>()> Create;
};
/// Helpers the resource checks share.
namespace checkutil {
/// Indices of \p F's events in source order.
std::vector<unsigned> sourceOrder(const FunctionFacts &F);
/// How a driver would name a handle: 'priv->regs', or the acquirer's call.
std::string handleName(const ResInst &R, const FunctionFacts &F);
/// The callee's name at an event (for renaming fix-its); invalid when the
/// name is not spelled there.
LocRange calleeRange(const Event &E);
/// Acquisitions of class \p C still held on a path out of their function
/// (only on error exits when \p ErrorExitsOnly: regions are kept on success).
void reportLeaks(const TUAnalysis &A, DiagnosticSink &Out, llvm::StringRef Check,
                 ResourceClass C, bool ErrorExitsOnly);
/// Releases that do not accept what reaches them: a devm_ acquisition
/// released by hand, iounmap of a pci_iomap cookie.
void reportBadReleases(const TUAnalysis &A, DiagnosticSink &Out,
                       llvm::StringRef Check, ResourceClass C);
/// What a driver's probe keeps (in fields, or held regions) that its remove
/// callback never releases.
void reportProbeRemove(const TUAnalysis &A, DiagnosticSink &Out,
                       llvm::StringRef Check, ResourceClass C);
/// Direct accesses to I/O memory (dereference, index, memcpy/memset/str*):
/// those through RAM-like mappings (ioremap_wc/ioremap_cache) when \p Ram,
/// all others otherwise.
void reportIomemAccesses(const TUAnalysis &A, DiagnosticSink &Out,
                         llvm::StringRef Check, bool Ram);
/// What is stored into field \p Fd that a release of it could be given: the
/// acquisitions this TU stores there (not pointers into an object), and
/// those other files of the run store there (the link), with their families.
struct FieldStoresOf {
  llvm::SmallVector<FieldUse, 2> Here;
  llvm::SmallVector<std::pair<const ExportedFieldStore *, const Family *>, 2> There;
  bool empty() const { return Here.empty() && There.empty(); }
};
FieldStoresOf fieldStoresOf(const TUAnalysis &A, const FieldRef *Fd);
} // namespace checkutil

/// Every check kdlint has, in a stable order.
const std::vector<CheckInfo> &allChecks();

} // namespace kdlint

#endif

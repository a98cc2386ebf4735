//===- IoremapLeakCheck.cpp - kernel-ioremap-leak -------------------------===//
//
// Rule: every I/O mapping (ioremap*, of_iomap, pci_iomap, memremap) is
// unmapped with its own release on every path out of the function unless
// it is returned or stored where it outlives the function; a mapping probe
// stores must be unmapped by remove (or on probe's own error paths, since
// remove never runs after a failed probe). devm_/pcim_ mappings are released
// by the driver core and must not be unmapped by hand.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Check.h"

namespace kdlint {
namespace {

class IoremapLeakCheck : public Check {
public:
  llvm::StringRef name() const override { return "kernel-ioremap-leak"; }
  llvm::StringRef summary() const override {
    return "an I/O mapping not unmapped on some path, kept by probe but never "
           "unmapped by remove, or a managed mapping unmapped by hand";
  }
  void run(const TUAnalysis &A, DiagnosticSink &Out) override {
    checkutil::reportLeaks(A, Out, name(), ResourceClass::Mapping, false);
    checkutil::reportBadReleases(A, Out, name(), ResourceClass::Mapping);
    checkutil::reportProbeRemove(A, Out, name(), ResourceClass::Mapping);
  }
};

} // namespace

std::unique_ptr<Check> createIoremapLeakCheck() {
  return std::make_unique<IoremapLeakCheck>();
}

} // namespace kdlint

//===- IomemDerefRamCheck.cpp - kernel-iomem-deref-ram --------------------===//
//
// Rule: memory mapped with ioremap_wc()/ioremap_cache()/ioremap_wt() (or their
// pci_/devm_ variants) is still __iomem, and touching it directly is what
// kernel-iomem-deref reports. Drivers use these mappings for RAM shared with
// firmware or another processor and access it as memory on purpose; on the
// architectures they run on that works, and the kernel's own advice for RAM is
// memremap() (Documentation/driver-api/device-io.rst, kernel/iomem.c). So
// these accesses are a portability and annotation issue rather than a bug:
// reported by this check, which is off by default.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Check.h"

namespace kdlint {
namespace {

class IomemDerefRamCheck : public Check {
public:
  llvm::StringRef name() const override { return "kernel-iomem-deref-ram"; }
  llvm::StringRef summary() const override {
    return "a cacheable or write-combined I/O mapping (RAM shared with "
           "firmware) used as memory; off by default";
  }
  void run(const TUAnalysis &A, DiagnosticSink &Out) override {
    checkutil::reportIomemAccesses(A, Out, name(), /*Ram=*/true);
  }
};

} // namespace

std::unique_ptr<Check> createIomemDerefRamCheck() {
  return std::make_unique<IomemDerefRamCheck>();
}

} // namespace kdlint

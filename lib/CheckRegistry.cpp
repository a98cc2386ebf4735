//===- CheckRegistry.cpp - Every check kdlint has -------------------------===//

#include "kdlint/Check.h"

namespace kdlint {

std::unique_ptr<Check> createAllocFreeMismatchCheck();
std::unique_ptr<Check> createGfpFlagsCheck();
std::unique_ptr<Check> createHighmemAddressCheck();
std::unique_ptr<Check> createIomemDerefCheck();
std::unique_ptr<Check> createIomemDerefRamCheck();
std::unique_ptr<Check> createIoremapLeakCheck();
std::unique_ptr<Check> createKmapLeakCheck();
std::unique_ptr<Check> createMmioUnmappedCheck();
std::unique_ptr<Check> createRegionLeakCheck();
std::unique_ptr<Check> createSleepInAtomicCheck();

std::string Check::option(const CheckOptions &Opts, llvm::StringRef Key,
                          llvm::StringRef Default) const {
  auto It = Opts.find((name() + "." + Key).str());
  return It == Opts.end() ? Default.str() : It->second;
}

const std::vector<CheckInfo> &allChecks() {
  static const std::vector<CheckInfo> Checks = {
      {"kernel-alloc-free-mismatch", createAllocFreeMismatchCheck},
      {"kernel-gfp-flags", createGfpFlagsCheck},
      {"kernel-highmem-address", createHighmemAddressCheck},
      {"kernel-iomem-deref", createIomemDerefCheck},
      {"kernel-iomem-deref-ram", createIomemDerefRamCheck},
      {"kernel-ioremap-leak", createIoremapLeakCheck},
      {"kernel-kmap-leak", createKmapLeakCheck},
      {"kernel-mmio-unmapped", createMmioUnmappedCheck},
      {"kernel-region-leak", createRegionLeakCheck},
      {"kernel-sleep-in-atomic", createSleepInAtomicCheck},
  };
  return Checks;
}

} // namespace kdlint

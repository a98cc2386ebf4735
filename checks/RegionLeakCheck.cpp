//===- RegionLeakCheck.cpp - kernel-region-leak ---------------------------===//
//
// Rule: an I/O port or memory region (request_region, request_mem_region,
// pci_request_region(s), __request_region) is released when the function
// that requested it fails; a region probe keeps must be released by remove.
// A region's handle is its start address, not a pointer the driver stores,
// so a region held when a function returns success is taken as kept on
// purpose; one held on an error return leaks. devm_ regions are managed and
// must not be released by hand.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Check.h"

namespace kdlint {
namespace {

class RegionLeakCheck : public Check {
public:
  llvm::StringRef name() const override { return "kernel-region-leak"; }
  llvm::StringRef summary() const override {
    return "an I/O region not released on an error path, kept by probe but "
           "never released by remove, or released by the wrong function";
  }
  void run(const TUAnalysis &A, DiagnosticSink &Out) override {
    checkutil::reportLeaks(A, Out, name(), ResourceClass::Region, true);
    checkutil::reportBadReleases(A, Out, name(), ResourceClass::Region);
    checkutil::reportProbeRemove(A, Out, name(), ResourceClass::Region);
  }
};

} // namespace

std::unique_ptr<Check> createRegionLeakCheck() {
  return std::make_unique<RegionLeakCheck>();
}

} // namespace kdlint

//===- IomemDerefCheck.cpp - kernel-iomem-deref ---------------------------===//
//
// Rule (Documentation/driver-api/device-io.rst): I/O memory is only touched
// through the accessors (readl/writel, ioread*/iowrite*, memcpy_fromio,
// memcpy_toio, memset_io), never by dereferencing, indexing or passing it to
// the string and memory functions of ordinary RAM. A pointer is I/O memory
// when it was declared __iomem (recovered from where the qualifier's macro
// expanded: clang never sees it) or when it holds the result of an I/O
// mapping.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Check.h"

namespace kdlint {
namespace {

class IomemDerefCheck : public Check {
public:
  llvm::StringRef name() const override { return "kernel-iomem-deref"; }
  llvm::StringRef summary() const override {
    return "I/O memory dereferenced, indexed or passed to memcpy/memset/str* "
           "instead of the MMIO accessors";
  }

  void run(const TUAnalysis &A, DiagnosticSink &Out) override {
    checkutil::reportIomemAccesses(A, Out, name(), /*Ram=*/false);
  }
};

} // namespace

std::unique_ptr<Check> createIomemDerefCheck() {
  return std::make_unique<IomemDerefCheck>();
}

} // namespace kdlint

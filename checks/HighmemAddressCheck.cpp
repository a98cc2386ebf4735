//===- HighmemAddressCheck.cpp - kernel-highmem-address -------------------===//
//
// Rule (Documentation/mm/highmem.rst): page_address() is only valid for a
// page with a permanent kernel mapping; a page allocated with __GFP_HIGHMEM
// (GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE) may have none on 32-bit kernels, and
// must be mapped with kmap_local_page() instead.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Check.h"

namespace kdlint {
namespace {

class HighmemAddressCheck : public Check {
public:
  llvm::StringRef name() const override { return "kernel-highmem-address"; }
  llvm::StringRef summary() const override {
    return "page_address() of a page that may come from highmem";
  }

  void run(const TUAnalysis &A, DiagnosticSink &Out) override {
    std::optional<uint64_t> High = A.facts().Constants.get(A.model().gfp().HighMem);
    if (!High)
      return;
    const ResourceAnalysis &RA = A.resources();
    for (const auto &F : A.facts().Functions) {
      const std::vector<ResState> &States = RA.states(*F);
      for (unsigned I : checkutil::sourceOrder(*F)) {
        const Event &E = F->Events[I];
        if (!E.Prim || E.Prim->Role != AccessRole::PageAddress || E.RArgs.empty())
          continue;
        for (const ResInst &R : States[I].Insts) {
          if (R.family()->Gfp != GfpUse::Pages || !R.named(E.RArgs[0]))
            continue;
          const Event &Acq = F->Events[R.Acq];
          if (!Acq.Gfp || Acq.Gfp->Kind == ArgValue::Unknown ||
              Acq.Gfp->Kind == ArgValue::Function || !(Acq.Gfp->Bits & *High))
            continue;
          std::string G = A.gfpName(*Acq.Gfp);
          Out.report(name(), E.Loc,
                     "'" + E.Name + "' of a page that may be in highmem, where it "
                                    "has no kernel address; use kmap_local_page()",
                     {{Acq.Loc, "allocated here by '" + Acq.Name + "' with " + G +
                                    ", which includes __GFP_HIGHMEM"}});
          break;
        }
      }
    }
  }
};

} // namespace

std::unique_ptr<Check> createHighmemAddressCheck() {
  return std::make_unique<HighmemAddressCheck>();
}

} // namespace kdlint

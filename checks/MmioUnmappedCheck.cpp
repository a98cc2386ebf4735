//===- MmioUnmappedCheck.cpp - kernel-mmio-unmapped -----------------------===//
//
// Rule: MMIO accessors take the cookie ioremap()/pci_iomap() returned.
// A physical address (resource->start, pci_resource_start(), a phys_addr_t
// or resource_size_t value), an integer constant, or phys_to_virt() of
// device memory cast to a pointer is not mapped: the access faults or hits
// RAM. A mapping used after its iounmap() on the same path is the same bug.
// An integer constant is reported only with the option ConstantAddresses:
// drivers that use one are written for an architecture that maps it for
// good (SH's P2/P4 segments, MIPS's KSEG1) and reach x86 only through
// COMPILE_TEST, where the constant is not known to be physical.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Check.h"

namespace kdlint {
namespace {

class MmioUnmappedCheck : public Check {
public:
  llvm::StringRef name() const override { return "kernel-mmio-unmapped"; }
  llvm::StringRef summary() const override {
    return "an MMIO accessor given a physical address, a constant, a linear-map "
           "address, or a mapping after its iounmap";
  }

  void configure(const CheckOptions &Opts) override {
    ConstantAddresses = option(Opts, "ConstantAddresses", "false") == "true";
  }

  void run(const TUAnalysis &A, DiagnosticSink &Out) override {
    const ResourceAnalysis &RA = A.resources();
    for (const auto &F : A.facts().Functions) {
      const std::vector<ResState> &States = RA.states(*F);
      for (unsigned I : checkutil::sourceOrder(*F)) {
        const Event &E = F->Events[I];
        if (!E.Prim || E.Prim->Role != AccessRole::Mmio)
          continue;
        for (int J : E.Prim->AddrArgs) {
          if (unsigned(J) >= E.RArgs.size())
            continue;
          const ArgInfo &Arg = E.RArgs[J];
          if (Arg.Addr == Unmapped::Constant && !ConstantAddresses)
            continue;
          if (Arg.Addr != Unmapped::No) {
            Out.report(name(), E.Loc,
                       "'" + E.Name + "' is given " + Arg.AddrWhy +
                           ", which is not an I/O mapping; map it with ioremap() "
                           "(or devm_ioremap_resource()) and pass the result",
                       {});
            break;
          }
          const ResInst *Gone = nullptr;
          for (const ResInst &R : States[I].Insts)
            // Named by what it was called when unmapped (a name bound to a
            // new mapping since then names that one).
            if (R.family()->Class == ResourceClass::Mapping && !Arg.Key.empty() &&
                llvm::is_contained(R.GoneKeys, Arg.Key) &&
                (R.May & ResInst::Released) && R.ReleaseEv != ~0u)
              Gone = &R;
          if (!Gone)
            continue;
          const Event &Rel = F->Events[Gone->ReleaseEv];
          const Event &Acq = F->Events[Gone->Acq];
          Out.report(name(), E.Loc,
                     "'" + E.Name + "' uses '" + Arg.Text + "' after '" + Rel.Name +
                         "' unmapped it",
                     {{Acq.Loc, "mapped here by '" + Acq.Name + "'"},
                      {Rel.Loc, "unmapped here by '" + Rel.Name + "'"}});
          break;
        }
      }
    }
  }

private:
  bool ConstantAddresses = false;
};

} // namespace

std::unique_ptr<Check> createMmioUnmappedCheck() {
  return std::make_unique<MmioUnmappedCheck>();
}

} // namespace kdlint

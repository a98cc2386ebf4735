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
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"

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
    const ResourceAnalysis &RA = A.resources();
    for (const auto &F : A.facts().Functions) {
      const std::vector<ResState> &States = RA.states(*F);
      for (unsigned I : checkutil::sourceOrder(*F, A.sourceManager())) {
        const Event &E = F->Events[I];
        if (E.Kind == EventKind::Deref) {
          std::vector<Note> Notes;
          if (!why(*F, E.Target, States[I], Notes))
            continue;
          Out.report(name(), E.Loc,
                     "I/O memory '" + E.Target.Text + "' " + E.How +
                         " directly; use readl()/writel() or ioread32()/iowrite32()",
                     Notes);
          continue;
        }
        if (!E.Prim || E.Prim->Role != AccessRole::RawMemory)
          continue;
        std::vector<bool> Io(E.RArgs.size(), false);
        std::vector<Note> Notes;
        int First = -1;
        for (int J : E.Prim->AddrArgs)
          if (unsigned(J) < E.RArgs.size() && why(*F, E.RArgs[J], States[I], Notes)) {
            Io[J] = true;
            if (First < 0)
              First = J;
          }
        if (First < 0)
          continue;
        std::string Io0 = E.RArgs[First].Text;
        // The model's drop-in I/O variant, when exactly one side is I/O.
        std::string Fix;
        const std::vector<int> &AA = E.Prim->AddrArgs;
        auto IsIo = [&](unsigned K) { return K < AA.size() && Io[AA[K]]; };
        bool Dst = IsIo(0), Src = IsIo(1);
        if (Dst && !Src)
          Fix = E.Prim->ToIo;
        else if (Src && !Dst)
          Fix = E.Prim->FromIo;
        std::vector<FixIt> Fixes;
        if (!Fix.empty())
          if (clang::CharSourceRange R = checkutil::calleeRange(E, A.sourceManager());
              R.isValid())
            Fixes.push_back({R, Fix});
        Out.report(name(), E.Loc,
                   "'" + E.Name + "' on I/O memory '" + Io0 + "'; use " +
                       (Fix.empty() ? std::string("memcpy_fromio()/memcpy_toio()/"
                                                  "memset_io() or the MMIO accessors")
                                    : "'" + Fix + "'"),
                   Notes, Fixes);
      }
    }
  }

private:
  static bool why(const FunctionFacts &F, const ArgInfo &V, const ResState &S,
                  std::vector<Note> &Notes) {
    if (V.Iomem) {
      Notes.push_back({V.DeclLoc, "'" + V.Text + "' is declared __iomem here"});
      return true;
    }
    for (const ResInst &R : S.Insts)
      if (R.family()->Iomem && R.named(V) && R.May != ResInst::Released) {
        const Event &Acq = F.Events[R.Acq];
        Notes.push_back({Acq.Loc, "'" + V.Text + "' is an I/O mapping from '" +
                                      Acq.Name + "' here"});
        return true;
      }
    return false;
  }
};

} // namespace

std::unique_ptr<Check> createIomemDerefCheck() {
  return std::make_unique<IomemDerefCheck>();
}

} // namespace kdlint

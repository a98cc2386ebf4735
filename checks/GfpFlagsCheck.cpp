//===- GfpFlagsCheck.cpp - kernel-gfp-flags -------------------------------===//
//
// Rule: a GFP mask must name at most one zone, and the zone must be one the
// allocator can serve: slab (kmalloc, kmem_cache) has no highmem or DMA32
// caches, __get_free_pages() returns a kernel address a highmem page does
// not have, a zone modifier alone has no reclaim bits, kvmalloc() with a
// non-blocking mask never falls back to vmalloc, __GFP_NOFAIL needs direct
// reclaim (mm/page_alloc.c warns and fails the allocation), and the allocation order
// must not exceed the tree's MAX_ORDER / MAX_PAGE_ORDER. Flag values come
// from the TU's own macros (probes), so the rule holds across versions.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Check.h"
#include "llvm/ADT/StringExtras.h"

namespace kdlint {
namespace {

class GfpFlagsCheck : public Check {
public:
  llvm::StringRef name() const override { return "kernel-gfp-flags"; }
  llvm::StringRef summary() const override {
    return "GFP masks the kernel rejects or an allocator cannot serve: two zones, "
           "highmem/DMA32 to slab, highmem to __get_free_pages, a zone alone, "
           "atomic kvmalloc, an order beyond MAX_ORDER";
  }

  void run(const TUAnalysis &A, DiagnosticSink &Out) override {
    const TUConstants &K = A.facts().Constants;
    const GfpNames &N = A.model().gfp();
    auto Bit = [&](const std::string &Name) { return K.get(Name).value_or(0); };
    uint64_t Dma = Bit(N.Dma), Dma32 = Bit(N.Dma32), High = Bit(N.HighMem);
    uint64_t Reclaim = 0;
    for (const std::string &R : N.Reclaim)
      Reclaim |= Bit(R);
    if (!Dma32 || !High || !Reclaim)
      return; // the TU does not include gfp.h (or the model names no GFP bits)
    for (const auto &F : A.facts().Functions)
      for (unsigned I : checkutil::sourceOrder(*F)) {
        const Event &E = F->Events[I];
        if (!E.Prim)
          continue;
        if (E.Gfp && E.Gfp->Kind == ArgValue::Const)
          checkMask(A, E, E.Gfp->Bits, Dma, Dma32, High, Reclaim, Out);
        if (E.Prim->Acq)
          checkOrder(A, E, Out);
      }
  }

private:
  static std::string zones(const GfpNames &N, uint64_t Bits, uint64_t Dma,
                           uint64_t Dma32, uint64_t High) {
    std::vector<std::string> Z;
    if (Bits & Dma)
      Z.push_back(N.Dma);
    if (Bits & Dma32)
      Z.push_back(N.Dma32);
    if (Bits & High)
      Z.push_back(N.HighMem);
    return llvm::join(Z, " | ");
  }

  void checkMask(const TUAnalysis &A, const Event &E, uint64_t Bits,
                 uint64_t Dma, uint64_t Dma32, uint64_t High, uint64_t Reclaim,
                 DiagnosticSink &Out) {
    const GfpNames &N = A.model().gfp();
    std::string G = A.gfpName(*E.Gfp);
    std::string Hex = "0x" + llvm::utohexstr(Bits, true);
    auto Explain = [&](const std::string &What) {
      return std::vector<Note>{{E.Loc, G + " is " + Hex + " in this tree, which " + What}};
    };
    GfpUse Use = E.Prim->Acq ? E.Prim->Acq->Fam->Gfp : GfpUse::None;
    uint64_t Zone = Bits & (Dma | Dma32 | High);
    if (Zone && (Zone & (Zone - 1))) {
      Out.report(name(), E.Loc,
                 "'" + E.Name + "' with " + G + " names two zones (" +
                     zones(N, Bits, Dma, Dma32, High) +
                     "): the page allocator rejects this combination (GFP_ZONE_BAD)",
                 Explain("sets " + zones(N, Bits, Dma, Dma32, High)));
      return;
    }
    if (Use == GfpUse::Slab && (Bits & (High | Dma32))) {
      bool H = Bits & High;
      Out.report(name(), E.Loc,
                 "'" + E.Name + "' with " + G + ": slab allocators cannot serve " +
                     (H ? N.HighMem + " (slab memory needs a permanent kernel "
                                      "mapping)"
                        : N.Dma32 + " (there are no DMA32 slab caches)") +
                     "; the flag is stripped with a warning",
                 Explain("includes " + (H ? N.HighMem : N.Dma32)));
      return;
    }
    if (Use == GfpUse::PageAddress && (Bits & High)) {
      Out.report(name(), E.Loc,
                 "'" + E.Name + "' with " + G +
                     ": it returns a kernel virtual address, which a highmem page "
                     "does not have; use alloc_pages() and kmap_local_page()",
                 Explain("includes " + N.HighMem));
      return;
    }
    // Only a zone modifier on its own (kmalloc(n, GFP_DMA)) is the mistake; a
    // mask that also sets other modifiers (__GFP_NOWARN, __GFP_NORETRY, ...)
    // leaves out reclaim on purpose.
    uint64_t Plain = Dma | Dma32 | High;
    for (const std::string &P : N.Plain)
      Plain |= A.facts().Constants.get(P).value_or(0);
    if (Zone && !(Bits & Reclaim) && !(Bits & ~Plain)) {
      Out.report(name(), E.Loc,
                 "'" + E.Name + "' with " + G +
                     " alone: a zone modifier without reclaim, I/O or FS bits "
                     "neither sleeps nor wakes kswapd; combine it with GFP_KERNEL "
                     "or GFP_ATOMIC",
                 Explain("sets only " + zones(N, Bits, Dma, Dma32, High) +
                         " of the zone, reclaim, I/O and FS bits"));
      return;
    }
    uint64_t Direct = A.facts().Constants.get(N.DirectReclaim).value_or(0);
    // __alloc_pages_slowpath(): "All existing users of the __GFP_NOFAIL are
    // blockable, so warn of any new users that actually require GFP_NOWAIT":
    // WARN_ON_ONCE_GFP(!can_direct_reclaim) and the allocation fails, the one
    // thing the caller asked it never to do.
    uint64_t NoFail = A.facts().Constants.get(N.NoFail).value_or(0);
    if (NoFail && Direct && (Bits & NoFail) && !(Bits & Direct)) {
      Out.report(name(), E.Loc,
                 "'" + E.Name + "' with " + G +
                     ": " + N.NoFail + " without " + N.DirectReclaim +
                     " cannot wait for memory; the page allocator warns and fails "
                     "the allocation. Handle the failure without " + N.NoFail +
                     ", or allocate where sleeping is allowed",
                 Explain("sets " + N.NoFail + " and lacks " + N.DirectReclaim));
      return;
    }
    if (Use == GfpUse::Kvmalloc && Direct && !(Bits & Direct)) {
      Out.report(name(), E.Loc,
                 "'" + E.Name + "' with " + G +
                     " never falls back to vmalloc (vmalloc may sleep): this is a "
                     "kmalloc that fails for large sizes; use kmalloc() or a "
                     "blocking mask",
                 Explain("lacks " + N.DirectReclaim));
    }
  }

  void checkOrder(const TUAnalysis &A, const Event &E, DiagnosticSink &Out) {
    std::optional<uint64_t> Order =
        orderOf(E, E.Prim->Acq->OrderArg, -1);
    if (!Order)
      return;
    const TUConstants &K = A.facts().Constants;
    // The largest valid order: the first the tree defines of the model's
    // names (MAX_PAGE_ORDER from 6.8, MAX_ORDER from 6.4); before
    // max-order-inclusive-since the last (MAX_ORDER) was one past it.
    const GfpNames &N = A.model().gfp();
    std::optional<uint64_t> Max;
    std::string Name;
    for (const std::string &M : N.MaxOrder)
      if ((Max = K.get(M))) {
        Name = M;
        break;
      }
    if (Max && !N.MaxOrder.empty() && Name == N.MaxOrder.back() &&
        N.MaxOrderInclusiveSince) {
      unsigned V = A.resources().version();
      if (V && V < N.MaxOrderInclusiveSince) {
        if (*Max == 0)
          return;
        *Max -= 1;
        Name += " - 1";
      }
    }
    if (!Max || *Order <= *Max)
      return;
    Out.report(name(), E.Loc,
               "'" + E.Name + "' of order " + std::to_string(*Order) +
                   " always fails: the largest order this tree allocates is " +
                   std::to_string(*Max) + " (" + Name + ")",
               {});
  }
};

} // namespace

std::unique_ptr<Check> createGfpFlagsCheck() {
  return std::make_unique<GfpFlagsCheck>();
}

} // namespace kdlint

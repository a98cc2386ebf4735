//===- ModelTest.cpp - Unit tests: model loader, facts, GFP evaluation ----===//

#include "kdlint/Analysis.h"
#include "kdlint/Frontend.h"
#include "kdlint/Model.h"
#include "clang/AST/ASTContext.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace kdlint;

TEST(Model, BuiltinLoads) {
  llvm::Expected<Model> M = Model::builtin();
  ASSERT_TRUE(static_cast<bool>(M)) << llvm::toString(M.takeError());
  const Primitive *P = M->lookup("kmalloc_noprof"); // 6.10+ spelling
  ASSERT_NE(P, nullptr);
  EXPECT_EQ(P->Kind, PrimitiveKind::Alloc);
  EXPECT_EQ(P->Arg, 1);
  ASSERT_NE(M->lookup("spin_lock_irqsave"), nullptr);
  EXPECT_EQ(M->lookup("spin_lock_irqsave")->Kind, PrimitiveKind::Enter);
  EXPECT_TRUE(M->lookup("spin_lock_bh")->Context->Interrupt);
  EXPECT_FALSE(M->lookup("spin_lock")->Context->Interrupt);
  EXPECT_EQ(M->lookup("spin_trylock")->Kind, PrimitiveKind::TryEnter);
  EXPECT_EQ(M->lookup("request_threaded_irq")->Kind, PrimitiveKind::Register);
  EXPECT_EQ(M->lookup("request_threaded_irq")->Arg, 1);
  EXPECT_EQ(M->lookup("preemptible")->Kind, PrimitiveKind::NonAtomicTest);
  EXPECT_TRUE(M->lookup("vfree")->UnlessInterrupt);
  EXPECT_NE(M->lookupGuard("spinlock_irqsave"), nullptr);
  EXPECT_NE(M->lookupField("hrtimer", "function"), nullptr);
  EXPECT_EQ(M->lookup("printk"), nullptr);
}

TEST(Model, UserFileOverridesAndExtends) {
  Model M = llvm::cantFail(Model::builtin());
  llvm::Error E = M.addYAML(R"(
sleepers:
  - reason: waits for the firmware mailbox
    names: [foo_mbox_wait]
contexts:
  - class: foo_hwlock
    while: "the foo hardware lock is held"
    enter: [foo_hw_lock]
    exit: [foo_hw_unlock]
)", "test");
  ASSERT_FALSE(static_cast<bool>(E)) << llvm::toString(std::move(E));
  EXPECT_EQ(M.lookup("foo_mbox_wait")->Kind, PrimitiveKind::Sleep);
  EXPECT_EQ(M.lookup("foo_hw_lock")->Context->While, "the foo hardware lock is held");
}

TEST(Model, GfpNamesAreModelData) {
  Model M = llvm::cantFail(Model::builtin());
  EXPECT_EQ(M.gfp().DirectReclaim, "__GFP_DIRECT_RECLAIM");
  EXPECT_EQ(M.gfp().HighMem, "__GFP_HIGHMEM");
  ASSERT_EQ(M.gfp().MaxOrder.size(), 2u);
  EXPECT_EQ(M.gfp().MaxOrder.front(), "MAX_PAGE_ORDER");
  EXPECT_EQ(M.gfp().MaxOrderInclusiveSince, (6u << 16) | (4u << 8));
  // Every name the GFP rules use is asked of the TU.
  for (const char *N : {"__GFP_DIRECT_RECLAIM", "__GFP_NOFAIL", "GFP_KERNEL", "MAX_ORDER",
                        "__GFP_ZERO", "LINUX_VERSION_CODE"})
    EXPECT_TRUE(llvm::is_contained(M.probes(), N)) << N;
  // A tree that spells them otherwise says so in a model file.
  llvm::Error E = M.addYAML(R"(
gfp:
  direct-reclaim: __GFP_RECLAIM_NOW
  reclaim: [__GFP_RECLAIM_NOW]
  dma: __GFP_DMA
  dma32: __GFP_DMA32
  highmem: __GFP_HIGHMEM
)", "renamed.yaml");
  ASSERT_FALSE(static_cast<bool>(E)) << llvm::toString(std::move(E));
  EXPECT_EQ(M.gfp().DirectReclaim, "__GFP_RECLAIM_NOW");
  EXPECT_TRUE(llvm::is_contained(M.probes(), "__GFP_RECLAIM_NOW"));
  llvm::Error Bad = M.addYAML(R"(
gfp:
  direct-reclaim: X
  reclaim: [X]
  dma: A
  dma32: B
  highmem: C
  max-order-inclusive-since: soon
)", "bad-gfp.yaml");
  ASSERT_TRUE(static_cast<bool>(Bad));
  EXPECT_NE(llvm::toString(std::move(Bad)).find("max-order-inclusive-since"),
            std::string::npos);
}

TEST(Model, KernelSpellingsAreModelData) {
  Model M = llvm::cantFail(Model::builtin());
  const Spellings &S = M.spellings();
  EXPECT_EQ(S.ProfilingSuffix, "_noprof");
  EXPECT_EQ(S.Iomem, "__iomem");
  EXPECT_EQ(S.GfpType, "gfp_t");
  EXPECT_EQ(S.Releases, "__releases");
  EXPECT_EQ(S.GuardPrefix, "class_");
  EXPECT_EQ(S.GuardSuffix, "_constructor");
  EXPECT_EQ(M.lookup("kmalloc_noprof"), M.lookup("kmalloc"));
  EXPECT_TRUE(llvm::is_contained(M.probes(), "LINUX_VERSION_CODE"));
  // Another suffix, from a model file: only what the file names changes.
  llvm::Error E = M.addYAML(R"(
spellings:
  profiling-suffix: _untracked
  version: KDLINT_TEST_VERSION
)", "spell.yaml");
  ASSERT_FALSE(static_cast<bool>(E)) << llvm::toString(std::move(E));
  EXPECT_EQ(M.lookup("kmalloc_untracked"), M.lookup("kmalloc"));
  EXPECT_EQ(M.lookup("kmalloc_noprof"), nullptr);
  EXPECT_EQ(M.spellings().Iomem, "__iomem");
  EXPECT_TRUE(llvm::is_contained(M.probes(), "KDLINT_TEST_VERSION"));
  EXPECT_NE(probeSource(M).find("#include <linux/version.h>"), std::string::npos);
}

TEST(Model, BadYAMLIsAnError) {
  Model M = llvm::cantFail(Model::builtin());
  llvm::Error E = M.addYAML("sleepers: [ {reason: x, names: [a] }\n", "bad.yaml");
  EXPECT_TRUE(static_cast<bool>(E));
  llvm::consumeError(std::move(E));
  llvm::Error E2 = M.addYAML("callbacks:\n  - { context: nosuch, arg: 1, names: [f] }\n",
                             "bad2.yaml");
  ASSERT_TRUE(static_cast<bool>(E2));
  EXPECT_NE(llvm::toString(std::move(E2)).find("nosuch"), std::string::npos);
}

// GFP evaluation uses the TU's own macro values: here bit 7 is direct reclaim,
// which is no kernel's layout, so a hard-coded table would fail this test.
static const char *GfpCode = R"(
typedef unsigned int gfp_t;
#define __GFP_DIRECT_RECLAIM ((gfp_t)0x80u)
#define __GFP_IO ((gfp_t)0x1u)
#define GFP_KERNEL (__GFP_DIRECT_RECLAIM | __GFP_IO)
#define GFP_ATOMIC ((gfp_t)0x400u)
void *kmalloc(unsigned long size, gfp_t flags);
void *helper(unsigned long n, gfp_t gfp) { return kmalloc(n, gfp | __GFP_IO); }
void *masked(unsigned long n, gfp_t gfp) { return kmalloc(n, gfp & ~__GFP_DIRECT_RECLAIM); }
void use(void) { kmalloc(1, GFP_KERNEL); kmalloc(2, GFP_ATOMIC); helper(3, GFP_ATOMIC); helper(4, GFP_KERNEL); }
)";

TEST(Gfp, EvaluatedFromTheTUsOwnMacros) {
  Model M = llvm::cantFail(Model::builtin());
  std::string Code = std::string(GfpCode) + probeSource(M);
  std::unique_ptr<clang::ASTUnit> AST =
      clang::tooling::buildASTFromCodeWithArgs(Code, {"-std=gnu11", "-w"}, "t.c");
  ASSERT_NE(AST, nullptr);
  TUFacts F = extractFacts(AST->getASTContext(), M);
  EXPECT_EQ(F.Constants.get("__GFP_DIRECT_RECLAIM"), std::optional<uint64_t>(0x80));
  TUAnalysis A(F, M);
  A.run();
  const FunctionFacts *Use = nullptr, *Helper = nullptr, *Masked = nullptr;
  for (const auto &Fn : F.Functions) {
    if (Fn->Name == "use") Use = Fn.get();
    if (Fn->Name == "helper") Helper = Fn.get();
    if (Fn->Name == "masked") Masked = Fn.get();
  }
  ASSERT_TRUE(Use && Helper && Masked);
  // helper sleeps only when its parameter 1 allows blocking; masked never does.
  const FunctionSummary *HS = A.summary(Helper->FD);
  ASSERT_NE(HS, nullptr);
  EXPECT_FALSE(HS->Always.has_value());
  EXPECT_EQ(llvm::count_if(HS->ByParam, [](const SleepFact &F) { return F.Param == 1; }), 1);
  const FunctionSummary *MS = A.summary(Masked->FD);
  EXPECT_FALSE(MS->Always.has_value());
  EXPECT_TRUE(MS->ByParam.empty());
  // In use(): kmalloc(GFP_KERNEL) sleeps, kmalloc(GFP_ATOMIC) does not,
  // helper(GFP_ATOMIC) does not, helper(GFP_KERNEL) does.
  std::vector<bool> Sleeps;
  const std::vector<CtxState> &S = A.states(*Use);
  for (unsigned I = 0; I < Use->Events.size(); ++I)
    Sleeps.push_back(A.sleepAt(*Use, I, S[I]).has_value());
  EXPECT_EQ(Sleeps, (std::vector<bool>{true, false, false, true}));
}

TEST(ModelTest, ResourceFamiliesAndReleases) {
  llvm::Expected<Model> M = Model::builtin();
  ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
  const Primitive *Kfree = M->lookup("kfree");
  const Primitive *Kvfree = M->lookup("kvfree");
  const Primitive *Kmalloc = M->lookup("kmalloc_noprof"); // 6.10+ spelling
  const Primitive *Cache = M->lookup("kmem_cache_alloc");
  const Primitive *Kunmap = M->lookup("kunmap");
  ASSERT_TRUE(Kfree && Kfree->Rel && Kvfree && Kvfree->Rel && Kmalloc &&
              Kmalloc->Acq && Cache && Cache->Acq && Kunmap && Kunmap->Rel);
  // kmalloc is both an allocator (sleeps per its mask) and an acquirer.
  EXPECT_EQ(Kmalloc->Kind, PrimitiveKind::Alloc);
  EXPECT_TRUE(Kfree->Rel->accepts(Kmalloc->Acq->Fam, 0x060100));
  // kfree of kmem_cache objects: documented as allowed from 6.4 on.
  EXPECT_FALSE(Kfree->Rel->accepts(Cache->Acq->Fam, 0x060100));
  EXPECT_TRUE(Kfree->Rel->accepts(Cache->Acq->Fam, 0x060C00));
  EXPECT_TRUE(Kvfree->Rel->accepts(M->family("vmalloc"), 0x060100));
  EXPECT_FALSE(Kfree->Rel->accepts(M->family("kvmalloc"), 0x060C00));
  EXPECT_EQ(M->releaseName(M->family("kvmalloc")), "kvfree");
  EXPECT_TRUE(Kunmap->Rel->TakesAcquireArg);
  EXPECT_TRUE(M->family("devm_ioremap")->Managed);
  EXPECT_EQ(M->lookup("readl")->Role, AccessRole::Mmio);
  EXPECT_TRUE(M->isPhysicalField("resource", "start"));
  // pci_release_mem_regions() gives back part of pci_request_regions().
  const Primitive *MemRel = M->lookup("pci_release_mem_regions");
  const Primitive *AllReq = M->lookup("pci_request_regions");
  ASSERT_TRUE(MemRel && MemRel->Rel && AllReq && AllReq->Acq);
  EXPECT_FALSE(MemRel->Rel->accepts(AllReq->Acq->Fam, 0));
  EXPECT_TRUE(llvm::is_contained(MemRel->Rel->PartOf, AllReq->Acq->Fam));
  EXPECT_EQ(MemRel->Rel->Part, "the memory BARs");
  EXPECT_EQ(M->releaseName(M->family("pci_mem_regions")), "pci_release_mem_regions");
}

TEST(ModelTest, BadResourceModelIsAnError) {
  Model M;
  llvm::Error E = M.addYAML("releases:\n  - { names: [my_free], frees: [nosuch] }\n", "bad.yaml");
  ASSERT_TRUE(bool(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("unknown family 'nosuch'"), std::string::npos);
  Model P;
  llvm::Error E2 = P.addYAML("resources:\n  - { family: f, class: memory, what: x, "
                             "acquire: [ { names: [f_get] } ] }\n"
                             "releases:\n  - { names: [f_put], frees: [f], part-of: [f] }\n",
                             "part.yaml");
  ASSERT_TRUE(bool(E2));
  EXPECT_NE(llvm::toString(std::move(E2)).find("'part-of' needs 'part'"), std::string::npos);
}

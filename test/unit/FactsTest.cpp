//===- FactsTest.cpp - Unit tests: facts extraction on real-header snippets -===//
//
// extractFacts() on small functions compiled against the real prepared tree
// (see KernelTU.h): the events, keys, GFP values and branch facts everything
// after the facts layer relies on. 6.12 and 6.1 reach the same facts through
// different paths (6.12's kmalloc() is a macro over kmalloc_noprof(), 6.1's an
// inline function), so the same expectations hold on both trees.
//
//===----------------------------------------------------------------------===//

#include "KernelTU.h"
#include "clang/AST/Decl.h"
#include "gtest/gtest.h"

using namespace kdlint;
using namespace kdlint::test;

namespace {

const char *FactsSnippet = R"c(
#include <linux/spinlock.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/interrupt.h>

struct kdu_priv {
	spinlock_t lock;
	int irq;
	void *buf;
};

void kdu_lock_sleep(struct kdu_priv *priv)
{
	spin_lock(&priv->lock);
	msleep(10);
	spin_unlock(&priv->lock);
}

void kdu_irqsave(struct kdu_priv *priv)
{
	unsigned long flags;

	spin_lock_irqsave(&priv->lock, flags);
	might_sleep();
	spin_unlock_irqrestore(&priv->lock, flags);
}

void *kdu_alloc_kernel(void)
{
	return kmalloc(64, GFP_KERNEL);
}

void *kdu_alloc_atomic(void)
{
	return kzalloc(64, GFP_ATOMIC);
}

void *kdu_alloc_param(size_t n, gfp_t gfp)
{
	return kmalloc(n, gfp);
}

void *kdu_alloc_masked(gfp_t gfp)
{
	return kmalloc(64, gfp & ~__GFP_DIRECT_RECLAIM);
}

int kdu_trylock(struct kdu_priv *priv)
{
	if (spin_trylock(&priv->lock)) {
		priv->buf = NULL;
		spin_unlock(&priv->lock);
		return 0;
	}
	return -EBUSY;
}

int kdu_not_trylock(struct kdu_priv *priv)
{
	if (!spin_trylock(&priv->lock))
		return -EBUSY;
	spin_unlock(&priv->lock);
	return 0;
}

int kdu_trylock_irqsave(struct kdu_priv *priv)
{
	unsigned long flags;

	if (!spin_trylock_irqsave(&priv->lock, flags))
		return -EBUSY;
	spin_unlock_irqrestore(&priv->lock, flags);
	return 0;
}

static irqreturn_t kdu_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

int kdu_register(struct kdu_priv *priv)
{
	return request_irq(priv->irq, kdu_isr, 0, "kdu", priv);
}
)c";

class Facts : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    TU = parseKernelTU(FactsSnippet, Skip).release();
  }
  static void TearDownTestSuite() {
    delete TU;
    TU = nullptr;
  }
  void SetUp() override {
    if (!TU)
      GTEST_SKIP() << Skip;
    ASSERT_TRUE(TU->Errors.empty()) << "linux-" << TU->Version << ": " << TU->Errors;
  }
  /// The events of \p Fn of the given kinds, in source order.
  static std::vector<const Event *> events(const FunctionFacts &F,
                                           std::initializer_list<EventKind> Kinds) {
    std::vector<const Event *> Out;
    for (const Event &E : F.Events)
      for (EventKind K : Kinds)
        if (E.Kind == K)
          Out.push_back(&E);
    std::stable_sort(Out.begin(), Out.end(), [&](const Event *A, const Event *B) {
      return A->Loc < B->Loc;
    });
    return Out;
  }
  /// The one allocation event of \p Name.
  static const Event *alloc(llvm::StringRef Name) {
    const FunctionFacts *F = TU->fn(Name);
    if (!F)
      return nullptr;
    const Event *Found = nullptr;
    for (const Event &E : F->Events)
      if (E.Prim && E.Prim->Kind == PrimitiveKind::Alloc) {
        if (Found)
          return nullptr; // more than one
        Found = &E;
      }
    return Found;
  }
  static const BranchFact *tryLockBranch(const FunctionFacts &F) {
    for (const BlockFacts &B : F.Blocks)
      if (B.Succs.size() == 2 && B.Branch.Kind == BranchFact::TryLock)
        return &B.Branch;
    return nullptr;
  }
  static KernelTU *TU;
  static std::string Skip;
};
KernelTU *Facts::TU = nullptr;
std::string Facts::Skip;

TEST_F(Facts, EveryFunctionOfTheMainFileAndNoOther) {
  for (const char *N : {"kdu_lock_sleep", "kdu_irqsave", "kdu_alloc_kernel",
                        "kdu_alloc_atomic", "kdu_alloc_param", "kdu_alloc_masked",
                        "kdu_trylock", "kdu_not_trylock", "kdu_trylock_irqsave",
                        "kdu_isr", "kdu_register"})
    EXPECT_NE(TU->fn(N), nullptr) << N;
  // Header functions (spin_lock() is an inline function on both trees) are
  // described by the model, never walked.
  EXPECT_EQ(TU->Facts.Functions.size(), 11u);
  EXPECT_EQ(TU->fn("spin_lock"), nullptr);
}

TEST_F(Facts, SpinLockSleepUnlockIsEnterCallExitOnTheLock) {
  const FunctionFacts *F = TU->fn("kdu_lock_sleep");
  ASSERT_NE(F, nullptr);
  std::vector<const Event *> E =
      events(*F, {EventKind::Enter, EventKind::Exit, EventKind::Call});
  ASSERT_EQ(E.size(), 3u);
  EXPECT_EQ(E[0]->Kind, EventKind::Enter);
  EXPECT_EQ(E[0]->Name, "spin_lock");
  EXPECT_EQ(E[0]->Key, "priv->lock");
  ASSERT_NE(E[0]->Context, nullptr);
  EXPECT_EQ(E[0]->Context->Class, "spinlock");
  EXPECT_EQ(TU->line(E[0]->Loc), 15u);
  EXPECT_EQ(E[1]->Kind, EventKind::Call);
  EXPECT_EQ(E[1]->Name, "msleep");
  ASSERT_NE(E[1]->Prim, nullptr);
  EXPECT_EQ(E[1]->Prim->Kind, PrimitiveKind::Sleep);
  EXPECT_EQ(TU->line(E[1]->Loc), 16u);
  EXPECT_EQ(E[2]->Kind, EventKind::Exit);
  EXPECT_EQ(E[2]->Name, "spin_unlock");
  EXPECT_EQ(E[2]->Key, "priv->lock");
  EXPECT_EQ(E[2]->Context, E[0]->Context);
}

TEST_F(Facts, IrqsaveMacroIsOneEventKeyedByItsFirstArgument) {
  // spin_lock_irqsave() is a macro expanding to several statements: one Enter;
  // might_sleep() one sleep, whatever it expands to.
  const FunctionFacts *F = TU->fn("kdu_irqsave");
  ASSERT_NE(F, nullptr);
  std::vector<const Event *> E =
      events(*F, {EventKind::Enter, EventKind::Exit, EventKind::Call});
  ASSERT_EQ(E.size(), 3u);
  EXPECT_EQ(E[0]->Kind, EventKind::Enter);
  EXPECT_EQ(E[0]->Name, "spin_lock_irqsave");
  EXPECT_EQ(E[0]->Key, "priv->lock");
  EXPECT_EQ(E[1]->Kind, EventKind::Call);
  EXPECT_EQ(E[1]->Name, "might_sleep");
  ASSERT_NE(E[1]->Prim, nullptr);
  EXPECT_EQ(E[1]->Prim->Kind, PrimitiveKind::Sleep);
  EXPECT_EQ(E[2]->Kind, EventKind::Exit);
  EXPECT_EQ(E[2]->Name, "spin_unlock_irqrestore");
  EXPECT_EQ(E[2]->Key, "priv->lock");
}

TEST_F(Facts, KmallocWithGfpKernelIsAnAllocWithTheTUsConstant) {
  const Event *E = alloc("kdu_alloc_kernel");
  ASSERT_NE(E, nullptr);
  EXPECT_EQ(E->Name, "kmalloc");
  ASSERT_TRUE(E->Gfp.has_value());
  EXPECT_EQ(E->Gfp->Kind, ArgValue::Const);
  // The probe appended to the TU evaluated GFP_KERNEL with its own headers.
  std::optional<uint64_t> Kernel = TU->Facts.Constants.get("GFP_KERNEL");
  std::optional<uint64_t> Reclaim = TU->Facts.Constants.get("__GFP_DIRECT_RECLAIM");
  ASSERT_TRUE(Kernel && Reclaim);
  EXPECT_EQ(E->Gfp->Bits, *Kernel);
  EXPECT_NE(E->Gfp->Bits & *Reclaim, 0u);
  EXPECT_EQ(E->Gfp->Text, "GFP_KERNEL");
  // And kmalloc memory is acquired (the resource role of the same event).
  ASSERT_NE(E->Prim->Acq, nullptr);
  EXPECT_EQ(E->Prim->Acq->Fam->Name, "kmalloc");
}

TEST_F(Facts, KzallocWithGfpAtomicDoesNotReclaim) {
  const Event *E = alloc("kdu_alloc_atomic");
  ASSERT_NE(E, nullptr);
  EXPECT_EQ(E->Name, "kzalloc");
  ASSERT_TRUE(E->Gfp.has_value());
  EXPECT_EQ(E->Gfp->Kind, ArgValue::Const);
  std::optional<uint64_t> Atomic = TU->Facts.Constants.get("GFP_ATOMIC");
  std::optional<uint64_t> Reclaim = TU->Facts.Constants.get("__GFP_DIRECT_RECLAIM");
  ASSERT_TRUE(Atomic && Reclaim);
  // kzalloc() adds __GFP_ZERO to the caller's mask.
  EXPECT_EQ(E->Gfp->Bits & *Atomic, *Atomic);
  EXPECT_EQ(E->Gfp->Bits & *Reclaim, 0u);
}

TEST_F(Facts, GfpParameterIsAParamValue) {
  const Event *E = alloc("kdu_alloc_param");
  ASSERT_NE(E, nullptr);
  ASSERT_TRUE(E->Gfp.has_value());
  EXPECT_EQ(E->Gfp->Kind, ArgValue::Param);
  EXPECT_EQ(E->Gfp->ParamIndex, 1);
  EXPECT_EQ(E->Gfp->Mask, ~0ull);
  EXPECT_EQ(E->Gfp->Bits, 0u);
  // The summary: sleeps only when parameter 1 allows blocking.
  const FunctionSummary *S = TU->Analysis->summary(TU->fn("kdu_alloc_param")->FD);
  ASSERT_NE(S, nullptr);
  EXPECT_FALSE(S->Always.has_value());
  EXPECT_EQ(llvm::count_if(S->ByParam, [](const SleepFact &F) { return F.Param == 1; }), 1);
}

TEST_F(Facts, MaskedGfpParameterKeepsTheMask) {
  const Event *E = alloc("kdu_alloc_masked");
  ASSERT_NE(E, nullptr);
  ASSERT_TRUE(E->Gfp.has_value());
  EXPECT_EQ(E->Gfp->Kind, ArgValue::Param);
  EXPECT_EQ(E->Gfp->ParamIndex, 0);
  std::optional<uint64_t> Reclaim = TU->Facts.Constants.get("__GFP_DIRECT_RECLAIM");
  std::optional<uint64_t> Io = TU->Facts.Constants.get("__GFP_IO");
  ASSERT_TRUE(Reclaim && Io);
  EXPECT_EQ(E->Gfp->Mask & *Reclaim, 0u) << "the mask clears direct reclaim";
  EXPECT_EQ(E->Gfp->Mask & *Io, *Io) << "and keeps the other bits";
  // Never sleeps, whatever the caller passes.
  const FunctionSummary *S = TU->Analysis->summary(TU->fn("kdu_alloc_masked")->FD);
  ASSERT_NE(S, nullptr);
  EXPECT_FALSE(S->Always.has_value());
  EXPECT_TRUE(S->ByParam.empty());
}

TEST_F(Facts, TrylockConditionIsATryLockBranch) {
  const FunctionFacts *F = TU->fn("kdu_trylock");
  ASSERT_NE(F, nullptr);
  const BranchFact *B = tryLockBranch(*F);
  ASSERT_NE(B, nullptr);
  EXPECT_TRUE(B->TrueMeansYes);
  ASSERT_LT(B->EventIndex, F->Events.size());
  const Event &T = F->Events[B->EventIndex];
  EXPECT_EQ(T.Kind, EventKind::TryEnter);
  EXPECT_EQ(T.Name, "spin_trylock");
  EXPECT_EQ(T.Key, "priv->lock");
  // The lock is held on the success edge only: inside the if, not after it.
  const std::vector<CtxState> &S = TU->Analysis->states(*F);
  for (unsigned I = 0; I < F->Events.size(); ++I) {
    const Event &E = F->Events[I];
    if (E.Kind == EventKind::Exit)
      EXPECT_TRUE(S[I].atomic()) << "spin_unlock() inside the if runs locked";
    if (E.Kind == EventKind::Return && E.Value.V.Kind == ArgValue::Const &&
        E.Value.V.Negative)
      EXPECT_FALSE(S[I].atomic()) << "return -EBUSY runs unlocked";
  }
}

TEST_F(Facts, NegatedTrylockIsATryLockBranchTrueMeaningNo) {
  const FunctionFacts *F = TU->fn("kdu_not_trylock");
  ASSERT_NE(F, nullptr);
  const BranchFact *B = tryLockBranch(*F);
  ASSERT_NE(B, nullptr);
  EXPECT_FALSE(B->TrueMeansYes);
  EXPECT_EQ(F->Events[B->EventIndex].Key, "priv->lock");
}

TEST_F(Facts, TrylockIrqsaveMacroIsATryLockBranch) {
  const FunctionFacts *F = TU->fn("kdu_trylock_irqsave");
  ASSERT_NE(F, nullptr);
  const BranchFact *B = tryLockBranch(*F);
  ASSERT_NE(B, nullptr);
  EXPECT_FALSE(B->TrueMeansYes);
  const Event &T = F->Events[B->EventIndex];
  EXPECT_EQ(T.Kind, EventKind::TryEnter);
  EXPECT_EQ(T.Name, "spin_trylock_irqsave");
  EXPECT_EQ(T.Key, "priv->lock");
}

TEST_F(Facts, RequestIrqRegistersTheHandlerInHardIrqContext) {
  const FunctionFacts *F = TU->fn("kdu_register");
  ASSERT_NE(F, nullptr);
  std::vector<const Event *> E = events(*F, {EventKind::Register});
  ASSERT_EQ(E.size(), 1u);
  ASSERT_NE(E[0]->Callback, nullptr);
  EXPECT_EQ(E[0]->Callback->Name, "kdu_isr");
  // The IR names it as the definition's facts do (one entry per function),
  // and by a USR that names the file of a static function.
  const FunctionFacts *Isr = TU->fn("kdu_isr");
  ASSERT_NE(Isr, nullptr);
  EXPECT_EQ(E[0]->Callback, Isr->FD);
  EXPECT_TRUE(llvm::StringRef(Isr->FD->Usr).ends_with("@F@kdu_isr")) << Isr->FD->Usr;
  EXPECT_NE(Isr->FD->Usr, "c:@F@kdu_isr");
  EXPECT_TRUE(Isr->FD->Defined);
  EXPECT_FALSE(Isr->FD->ExternallyVisible);
  EXPECT_EQ(Isr->FD->Params, (std::vector<std::string>{"irq", "data"}));
  EXPECT_EQ(F->FD->Usr, "c:@F@kdu_register");
  EXPECT_TRUE(F->FD->ExternallyVisible);
  ASSERT_NE(E[0]->Context, nullptr);
  EXPECT_EQ(E[0]->Context->Class, "hardirq");
  EXPECT_TRUE(E[0]->Context->Interrupt);
}

} // namespace

// The IR: the facts' JSON round trip says the same thing (the whole suite also
// runs on round-tripped facts: lit --param facts_roundtrip=1), and malformed
// input is an error that says what is wrong.
TEST_F(Facts, JsonRoundTripIsTheSameFacts) {
  llvm::json::Value J = factsToJSON(TU->Facts, TU->M);
  std::string Text;
  llvm::raw_string_ostream(Text) << J;
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
  ASSERT_TRUE(bool(V)) << llvm::toString(V.takeError());
  TUFacts Copy;
  llvm::Error E = factsFromJSON(*V, TU->M, Copy);
  ASSERT_FALSE(bool(E)) << llvm::toString(std::move(E));
  EXPECT_EQ(factsToJSON(Copy, TU->M), J);
  ASSERT_EQ(Copy.Functions.size(), TU->Facts.Functions.size());
  // Names, places and model entities survive; pointers are into the copy.
  const FunctionFacts *Reg = nullptr;
  for (const auto &F : Copy.Functions)
    if (F->Name == "kdu_register")
      Reg = F.get();
  ASSERT_NE(Reg, nullptr);
  EXPECT_EQ(Copy.ByDecl.lookup(Reg->FD), Reg);
  EXPECT_EQ(Reg->FD->Usr, "c:@F@kdu_register");
  std::vector<const Event *> R = events(*Reg, {EventKind::Register});
  ASSERT_EQ(R.size(), 1u);
  ASSERT_NE(R[0]->Callback, nullptr);
  EXPECT_EQ(R[0]->Callback->Name, "kdu_isr");
  EXPECT_TRUE(Copy.ByDecl.count(R[0]->Callback));
  ASSERT_NE(R[0]->Context, nullptr);
  EXPECT_EQ(R[0]->Context->Class, "hardirq");
  ASSERT_NE(R[0]->Prim, nullptr);
  EXPECT_EQ(R[0]->Prim, TU->M.lookup(R[0]->Prim->Name));
  EXPECT_EQ(Copy.fileOf(R[0]->Loc), TU->Facts.mainFile());
  std::vector<const Event *> Orig = events(*TU->fn("kdu_register"), {EventKind::Register});
  ASSERT_EQ(Orig.size(), 1u);
  EXPECT_EQ(R[0]->Loc, Orig[0]->Loc);
  EXPECT_EQ(R[0]->Loc.Line, Orig[0]->Loc.Line);
  EXPECT_EQ(R[0]->Loc.Column, Orig[0]->Loc.Column);
}

TEST_F(Facts, MalformedJsonFactsAreAnError) {
  llvm::json::Value J = factsToJSON(TU->Facts, TU->M);
  auto Expect = [&](llvm::json::Value Bad, llvm::StringRef Why) {
    TUFacts Copy;
    llvm::Error E = factsFromJSON(Bad, TU->M, Copy);
    ASSERT_TRUE(bool(E));
    EXPECT_NE(llvm::toString(std::move(E)).find(Why.str()), std::string::npos) << Why.str();
  };
  Expect(llvm::json::Array{}, "not an object");
  llvm::json::Value NoTable = J;
  NoTable.getAsObject()->erase("field_table");
  Expect(std::move(NoTable), "a table is missing");
  // A callee outside the function table.
  llvm::json::Value Bad = J;
  llvm::json::Object &F0 = *(*Bad.getAsObject()->getArray("functions"))[0].getAsObject();
  F0["fn"] = 100000;
  Expect(std::move(Bad), "not an entry of its table in 'fn'");
  // A primitive the model does not have.
  llvm::json::Value Prim = J;
  for (llvm::json::Value &F : *Prim.getAsObject()->getArray("functions"))
    for (llvm::json::Value &Ev : *F.getAsObject()->getArray("events"))
      if (Ev.getAsObject()->getObject("prim"))
        (*Ev.getAsObject())["prim"] = llvm::json::Object{{"name", "no_such_fn"}, {"guard", false}};
  Expect(std::move(Prim), "'no_such_fn' is not a primitive of the model");
}

// Summaries are IR too: what a caller needs of each function (sleeps always,
// under a condition on a parameter, contexts entered and left) round-trips
// through JSON to the same summary.
TEST(Summaries, JsonRoundTripIsTheSameSummary) {
  std::string Skip;
  std::unique_ptr<KernelTU> TU = parseKernelTU(R"c(
#include <linux/spinlock.h>
#include <linux/delay.h>
#include <linux/slab.h>

struct sum_priv {
	spinlock_t lock;
	int busy;
	void *buf;
};

static void sum_wait(struct sum_priv *p)
{
	if (!p->busy)
		msleep(1);
	else
		msleep(2);
}

void *sum_alloc(size_t n, gfp_t gfp)
{
	return kmalloc(n, gfp);
}

void sum_lock(struct sum_priv *p)
{
	spin_lock(&p->lock);
}

void sum_unlock(struct sum_priv *p)
{
	spin_unlock(&p->lock);
}

void sum_reset(struct sum_priv *p, int wait)
{
	if (wait)
		sum_wait(p);
}
)c", Skip);
  if (!TU)
    GTEST_SKIP() << Skip;
  ASSERT_TRUE(TU->Errors.empty()) << TU->Errors;
  unsigned Always = 0, ByParam = 0, Acquires = 0, Releases = 0;
  for (const auto &F : TU->Facts.Functions) {
    const FunctionSummary *S = TU->Analysis->summary(F->FD);
    ASSERT_NE(S, nullptr) << F->Name;
    Always += S->Always.has_value();
    ByParam += S->ByParam.size();
    Acquires += S->Acquires.size();
    Releases += S->Releases.size();
    llvm::json::Value J = summaryToJSON(*S, TU->Facts, TU->M);
    std::string Text;
    llvm::raw_string_ostream(Text) << J;
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
    ASSERT_TRUE(bool(V)) << llvm::toString(V.takeError());
    FunctionSummary Copy;
    llvm::Error E = summaryFromJSON(*V, TU->Facts, TU->M, Copy);
    ASSERT_FALSE(bool(E)) << F->Name << ": " << llvm::toString(std::move(E));
    EXPECT_EQ(summaryToJSON(Copy, TU->Facts, TU->M), J) << F->Name;
    EXPECT_TRUE(Copy.sameAs(*S)) << F->Name;
    if (S->Always) {
      ASSERT_EQ(Copy.Always->Chain.size(), S->Always->Chain.size());
      EXPECT_EQ(Copy.Always->Chain.back().Loc, S->Always->Chain.back().Loc);
      EXPECT_EQ(Copy.Always->Chain.back().Text, S->Always->Chain.back().Text);
    }
  }
  // sum_wait sleeps; sum_alloc and sum_reset only under a condition on a
  // parameter; sum_lock returns holding a spinlock, sum_unlock leaves one.
  EXPECT_EQ(Always, 1u);
  EXPECT_EQ(ByParam, 2u);
  EXPECT_EQ(Acquires, 1u);
  EXPECT_EQ(Releases, 1u);
  FunctionSummary Bad;
  EXPECT_TRUE(bool(llvm::errorToBool(
      summaryFromJSON(llvm::json::Object{{"always", nullptr}}, TU->Facts, TU->M, Bad))));
}

//===- ResourcesTest.cpp - Unit tests: the resource dataflow ---------------===//
//
// lib/Resources.cpp's join and escape rules on small functions compiled
// against the real prepared tree (see KernelTU.h). Each rule has a control: the
// same function without the store / the second release / the non-const
// parameter, where the mapping must still be held and leak.
//
//===----------------------------------------------------------------------===//

#include "KernelTU.h"
#include "clang/AST/Decl.h"
#include "gtest/gtest.h"

using namespace kdlint;
using namespace kdlint::test;

namespace {

const char *ResourcesSnippet = R"c(
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/errno.h>

struct kdr_priv {
	void __iomem *base;
	void *buf;
};

void kdr_keep(void __iomem *p);		/* unknown: may store what it is given */
void kdr_peek(const void __iomem *p);	/* unknown, but cannot keep it */

int kdr_lost(resource_size_t start)
{
	void __iomem *b = ioremap(start, 0x100);

	if (!b)
		return -ENOMEM;
	return 0;
}

int kdr_stored(struct kdr_priv *priv, resource_size_t start)
{
	void __iomem *b = ioremap(start, 0x100);

	if (!b)
		return -ENOMEM;
	priv->base = b;
	return 0;
}

void __iomem *kdr_returned(resource_size_t start)
{
	void __iomem *b = ioremap(start, 0x100);

	return b;
}

int kdr_one_branch(resource_size_t start, int cond)
{
	void __iomem *b = ioremap(start, 0x100);

	if (!b)
		return -ENOMEM;
	if (cond)
		iounmap(b);
	return 0;
}

int kdr_both_branches(resource_size_t start, int cond)
{
	void __iomem *b = ioremap(start, 0x100);

	if (!b)
		return -ENOMEM;
	if (cond)
		iounmap(b);
	else
		iounmap(b);
	return 0;
}

int kdr_passed(resource_size_t start)
{
	void __iomem *b = ioremap(start, 0x100);

	if (!b)
		return -ENOMEM;
	kdr_keep(b);
	return 0;
}

int kdr_peeked(resource_size_t start)
{
	void __iomem *b = ioremap(start, 0x100);

	if (!b)
		return -ENOMEM;
	kdr_peek(b);
	return 0;
}

static void kdr_unmap(void __iomem *p)
{
	iounmap(p);
}

int kdr_helper_releases(resource_size_t start)
{
	void __iomem *b = ioremap(start, 0x100);

	if (!b)
		return -ENOMEM;
	kdr_unmap(b);
	return 0;
}

int kdr_alias(resource_size_t start)
{
	void __iomem *b = ioremap(start, 0x100);
	void __iomem *c;

	if (!b)
		return -ENOMEM;
	c = b;
	iounmap(c);
	return 0;
}
)c";

class Resources : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    TU = parseKernelTU(ResourcesSnippet, Skip).release();
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
  const ResourceAnalysis &res() const { return TU->Analysis->resources(); }

  /// What one function's ioremap() became, as the analysis saw it.
  struct Outcome {
    const FunctionFacts *F = nullptr;
    int Acq = -1;            ///< the ioremap event
    const ResInst *AtOk = nullptr;   ///< the mapping just before `return 0`
    bool OkReachable = false;
    const ResInst *AtErr = nullptr;  ///< ... just before `return -ENOMEM`
    bool ErrReachable = false;
    std::vector<const Leak *> Leaks;
  };
  Outcome outcome(llvm::StringRef Name) const {
    Outcome O;
    O.F = TU->fn(Name);
    if (!O.F)
      return O;
    for (unsigned I = 0; I < O.F->Events.size(); ++I) {
      const Event &E = O.F->Events[I];
      if (E.Prim && E.Prim->Acq && E.Prim->Acq->Fam->Name == "ioremap")
        O.Acq = I;
    }
    const std::vector<ResState> &S = res().states(*O.F);
    auto Find = [&](const ResState &St) -> const ResInst * {
      for (const ResInst &R : St.Insts)
        if (int(R.Acq) == O.Acq)
          return &R;
      return nullptr;
    };
    for (unsigned I = 0; I < O.F->Events.size(); ++I) {
      const Event &E = O.F->Events[I];
      if (E.Kind != EventKind::Return || E.Value.V.Kind != ArgValue::Const)
        continue;
      if (E.Value.V.Bits == 0) {
        O.OkReachable = S[I].Reachable;
        O.AtOk = Find(S[I]);
      } else if (E.Value.V.Negative) {
        O.ErrReachable = S[I].Reachable;
        O.AtErr = Find(S[I]);
      }
    }
    for (const Leak &L : res().leaks(*O.F))
      O.Leaks.push_back(&L);
    return O;
  }
  static KernelTU *TU;
  static std::string Skip;
};
KernelTU *Resources::TU = nullptr;
std::string Resources::Skip;

TEST_F(Resources, ControlUnreleasedMappingIsHeldAndLeaks) {
  Outcome O = outcome("kdr_lost");
  ASSERT_NE(O.F, nullptr);
  ASSERT_GE(O.Acq, 0) << "ioremap() is an acquisition of the ioremap family";
  ASSERT_TRUE(O.OkReachable);
  ASSERT_NE(O.AtOk, nullptr);
  EXPECT_EQ(O.AtOk->May, ResInst::Held);
  EXPECT_TRUE(is_contained(O.AtOk->Keys, "b"));
  EXPECT_EQ(O.AtOk->Status, "b");
  // The failure branch of `if (!b)` drops it: nothing is held there.
  ASSERT_TRUE(O.ErrReachable);
  EXPECT_EQ(O.AtErr, nullptr);
  ASSERT_EQ(O.Leaks.size(), 1u);
  EXPECT_EQ(int(O.Leaks[0]->Acq), O.Acq);
  EXPECT_FALSE(O.Leaks[0]->ErrorExit);
  EXPECT_FALSE(O.Leaks[0]->StoredOnly);
}

TEST_F(Resources, MappingStoredIntoAFieldEscapes) {
  Outcome O = outcome("kdr_stored");
  ASSERT_NE(O.F, nullptr);
  ASSERT_NE(O.AtOk, nullptr);
  EXPECT_EQ(O.AtOk->May, ResInst::Escaped);
  ASSERT_NE(O.AtOk->StoredIn, nullptr);
  EXPECT_EQ(O.AtOk->StoredIn->Name, "base");
  // A field is named by its record, never by its name alone.
  ASSERT_NE(O.AtOk->StoredIn->Parent, nullptr);
  EXPECT_FALSE(O.AtOk->StoredIn->Parent->Name.empty());
  EXPECT_TRUE(llvm::StringRef(O.AtOk->StoredIn->Key)
                  .starts_with(O.AtOk->StoredIn->Parent->Name + "@"));
  EXPECT_TRUE(llvm::StringRef(O.AtOk->StoredIn->Key).ends_with(":base"));
  EXPECT_TRUE(is_contained(O.AtOk->Keys, "priv->base"));
  EXPECT_TRUE(O.Leaks.empty());
  // The TU-wide record pairs the field with the family stored into it.
  auto It = res().fieldStores().find(O.AtOk->StoredIn);
  ASSERT_NE(It, res().fieldStores().end());
  ASSERT_EQ(It->second.size(), 1u);
  EXPECT_EQ(It->second[0].Fam->Name, "ioremap");
  EXPECT_EQ(It->second[0].F, O.F);
}

TEST_F(Resources, MappingReturnedEscapes) {
  const FunctionFacts *F = TU->fn("kdr_returned");
  ASSERT_NE(F, nullptr);
  EXPECT_TRUE(res().leaks(*F).empty());
}

TEST_F(Resources, ReleasedOnOneBranchOnlyIsStillHeldOnTheOther) {
  Outcome O = outcome("kdr_one_branch");
  ASSERT_NE(O.F, nullptr);
  ASSERT_NE(O.AtOk, nullptr);
  // The join of the two branches: released on one, held on the other.
  EXPECT_EQ(O.AtOk->May, ResInst::Held | ResInst::Released);
  EXPECT_NE(O.AtOk->ReleaseEv, ~0u);
  ASSERT_EQ(O.Leaks.size(), 1u);
  EXPECT_EQ(int(O.Leaks[0]->Acq), O.Acq);
  // The leak's path starts with the success branch of `if (!b)`.
  ASSERT_FALSE(O.Leaks[0]->Path.empty());
  EXPECT_EQ(TU->line(O.Leaks[0]->Path.front().Loc), 44u);
  EXPECT_EQ(O.Leaks[0]->Path.front().Text, "taking the false branch here");
  // Known bug (not asserted): the walk back from the exit follows any
  // predecessor where the instance exists, released or not, so the next note
  // says "taking the true branch" of `if (cond)`, the branch that unmaps.
}

TEST_F(Resources, ControlReleasedOnBothBranchesIsReleased) {
  Outcome O = outcome("kdr_both_branches");
  ASSERT_NE(O.F, nullptr);
  ASSERT_NE(O.AtOk, nullptr);
  EXPECT_EQ(O.AtOk->May, ResInst::Released);
  EXPECT_TRUE(O.Leaks.empty());
}

TEST_F(Resources, PassedToAnUnknownFunctionThroughANonConstPointerEscapes) {
  Outcome O = outcome("kdr_passed");
  ASSERT_NE(O.F, nullptr);
  ASSERT_NE(O.AtOk, nullptr);
  EXPECT_EQ(O.AtOk->May, ResInst::Escaped);
  EXPECT_TRUE(O.Leaks.empty());
}

TEST_F(Resources, ControlPassedThroughAConstPointerIsStillHeld) {
  Outcome O = outcome("kdr_peeked");
  ASSERT_NE(O.F, nullptr);
  ASSERT_NE(O.AtOk, nullptr);
  EXPECT_EQ(O.AtOk->May, ResInst::Held);
  ASSERT_EQ(O.Leaks.size(), 1u);
}

TEST_F(Resources, HelperOfTheFileReleasesThroughItsParameter) {
  Outcome O = outcome("kdr_helper_releases");
  ASSERT_NE(O.F, nullptr);
  ASSERT_NE(O.AtOk, nullptr);
  EXPECT_EQ(O.AtOk->May, ResInst::Released);
  EXPECT_TRUE(O.Leaks.empty());
}

TEST_F(Resources, AliasNamesTheSameMapping) {
  Outcome O = outcome("kdr_alias");
  ASSERT_NE(O.F, nullptr);
  ASSERT_NE(O.AtOk, nullptr);
  EXPECT_TRUE(is_contained(O.AtOk->Keys, "c"));
  EXPECT_EQ(O.AtOk->May, ResInst::Released);
  EXPECT_TRUE(O.Leaks.empty());
}

} // namespace

//===- LinkTest.cpp - The cross-TU link: JSON round trip, fixpoint --------===//

#include "kdlint/Analysis.h"
#include "gtest/gtest.h"

using namespace kdlint;

namespace {

RemoteStep step(const char *File, unsigned Line, const char *Text) {
  return RemoteStep{File, Line, 2, Text};
}

ExportedFunction fn(const char *Name, const char *File,
                    std::vector<RemoteStep> Sleeps,
                    std::vector<std::pair<std::string, RemoteStep>> Calls) {
  ExportedFunction F;
  F.Name = Name;
  F.File = File;
  F.Sleeps = std::move(Sleeps);
  for (auto &[Name, Site] : Calls)
    F.Calls.push_back({Name, {Site}});
  return F;
}

bool sameStep(const RemoteStep &A, const RemoteStep &B) {
  return A.File == B.File && A.Line == B.Line && A.Column == B.Column &&
         A.Text == B.Text;
}

/// \p X through JSON text into \p Back, as a worker sends it.
bool roundTrip(const TUExports &X, TUExports &Back) {
  std::string Text;
  llvm::raw_string_ostream(Text) << exportsToJSON(X);
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
  if (!V) {
    llvm::consumeError(V.takeError());
    return false;
  }
  return exportsFromJSON(*V, Back);
}

} // namespace

TEST(Link, ExportsRoundTrip) {
  TUExports X;
  X.Functions.push_back(fn("xf_mbox_send", "/d/xf_mbox.c",
                           {step("/d/xf_mbox.c", 15, "'mutex_lock' may sleep \"here\"")},
                           {}));
  X.Functions.push_back(fn("xf_hw_ack", "/d/xf_hw.c", {},
                           {{"xf_mbox_send", step("/d/xf_hw.c", 14, "calls")}}));
  // A call through a static helper of its file: two steps.
  X.Functions[1].Calls.push_back(
      {"xf_fw_wait", {step("/d/xf_hw.c", 20, "'xf_hw_ack' calls 'xf_hw_poke' here"),
                      step("/d/xf_hw.c", 9, "'xf_hw_poke' calls 'xf_fw_wait' here")}});
  X.Callees = {"xf_mbox_send", "readl_helper"};
  X.AllCallees = {"xf_mbox_send", "readl_helper", "xf_lock"};
  X.Defines = {{"xf_mbox_send", "/d/xf_mbox.c"}, {"xf_hw_ack", "/d/xf_hw.c"}};
  X.Registered.push_back({"xf_isr", 11, step("/d/xf_main.c", 40, "'xf_isr' runs as ...")});
  llvm::json::Value V = exportsToJSON(X);
  // Through text, as the worker sends it.
  std::string Text;
  llvm::raw_string_ostream(Text) << V;
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse(Text);
  ASSERT_TRUE(bool(Parsed));
  TUExports Y;
  ASSERT_TRUE(exportsFromJSON(*Parsed, Y));
  ASSERT_EQ(Y.Functions.size(), 2u);
  EXPECT_EQ(Y.Functions[0].Name, "xf_mbox_send");
  EXPECT_EQ(Y.Functions[0].File, "/d/xf_mbox.c");
  ASSERT_EQ(Y.Functions[0].Sleeps.size(), 1u);
  EXPECT_TRUE(sameStep(Y.Functions[0].Sleeps[0], X.Functions[0].Sleeps[0]));
  ASSERT_EQ(Y.Functions[1].Calls.size(), 2u);
  for (unsigned I = 0; I < 2; ++I) {
    const auto &[YN, YP] = Y.Functions[1].Calls[I];
    const auto &[XN, XP] = X.Functions[1].Calls[I];
    EXPECT_EQ(YN, XN);
    ASSERT_EQ(YP.size(), XP.size());
    for (unsigned K = 0; K < XP.size(); ++K)
      EXPECT_TRUE(sameStep(YP[K], XP[K]));
  }
  EXPECT_EQ(Y.Callees, X.Callees);
  EXPECT_EQ(Y.AllCallees, X.AllCallees);
  EXPECT_EQ(Y.Defines, X.Defines);
  ASSERT_EQ(Y.Registered.size(), 1u);
  EXPECT_EQ(Y.Registered[0].Callback, "xf_isr");
  EXPECT_EQ(Y.Registered[0].Context, 11);
  EXPECT_TRUE(sameStep(Y.Registered[0].Site, X.Registered[0].Site));
}

TEST(Link, MalformedExportsAreRejected) {
  TUExports Y;
  EXPECT_FALSE(exportsFromJSON(llvm::json::Value(42), Y));
  EXPECT_FALSE(exportsFromJSON(llvm::json::Object{{"functions", llvm::json::Array{}}}, Y));
  llvm::json::Value BadStep = llvm::json::Object{
      {"functions",
       llvm::json::Array{llvm::json::Object{{"name", "f"},
                                            {"file", "/a.c"},
                                            {"sleeps", llvm::json::Array{llvm::json::Object{
                                                           {"file", "/a.c"}}}},
                                            {"calls", llvm::json::Array{}}}}},
      {"callees", llvm::json::Array{}}};
  EXPECT_FALSE(exportsFromJSON(BadStep, Y));
}

TEST(Link, SleepsCloseOverCallsAcrossTUs) {
  // a.c: top() calls mid(); b.c: mid() calls leaf(); c.c: leaf() sleeps.
  // d.c: quiet() calls nothing that sleeps; cyc1/cyc2 call each other only.
  TUExports A, B, C, D;
  A.Functions.push_back(fn("top", "/a.c", {}, {{"mid", step("/a.c", 3, "'top' calls 'mid' here")}}));
  B.Functions.push_back(fn("mid", "/b.c", {}, {{"leaf", step("/b.c", 5, "'mid' calls 'leaf' here")}}));
  C.Functions.push_back(fn("leaf", "/c.c", {step("/c.c", 9, "'msleep' sleeps")}, {}));
  D.Functions.push_back(fn("quiet", "/d.c", {}, {{"nosuch", step("/d.c", 1, "x")}}));
  D.Functions.push_back(fn("cyc1", "/d.c", {}, {{"cyc2", step("/d.c", 2, "x")}}));
  D.Functions.push_back(fn("cyc2", "/d.c", {}, {{"cyc1", step("/d.c", 3, "x")}}));
  ExternalSleeps S = linkSleeps({&A, &B, &C, &D});
  ASSERT_TRUE(S.count("leaf"));
  ASSERT_TRUE(S.count("mid"));
  ASSERT_TRUE(S.count("top"));
  EXPECT_FALSE(S.count("quiet"));
  EXPECT_FALSE(S.count("cyc1"));
  EXPECT_FALSE(S.count("cyc2"));
  // top's evidence: its own call, mid's call, then the sleep in c.c.
  const ExternalSleep &T = S.find("top")->second;
  EXPECT_EQ(T.DefinedIn, "a.c");
  ASSERT_EQ(T.Chain.size(), 3u);
  EXPECT_EQ(T.Chain[0].File, "/a.c");
  EXPECT_EQ(T.Chain[1].File, "/b.c");
  EXPECT_EQ(T.Chain[2].Text, "'msleep' sleeps");
}

TEST(Link, NameDefinedInTwoTUsIsLeftOut) {
  // Two modules each define a non-static probe helper of the same name.
  TUExports A, B, C;
  A.Functions.push_back(fn("helper", "/m1/a.c", {step("/m1/a.c", 4, "sleeps")}, {}));
  B.Functions.push_back(fn("helper", "/m2/b.c", {}, {}));
  C.Functions.push_back(fn("user", "/m2/c.c", {}, {{"helper", step("/m2/c.c", 7, "x")}}));
  ExternalSleeps S = linkSleeps({&A, &B, &C});
  EXPECT_FALSE(S.count("helper"));
  EXPECT_FALSE(S.count("user"));
}

TEST(Link, ContextsGoToTheOneTUThatDefinesTheCallback) {
  // main.c registers isr (hard IRQ) and xmit (an ops table) and dup;
  // irq.c defines isr and dup, tx.c defines xmit and dup too.
  TUExports Main, Irq, Tx;
  Main.Registered.push_back({"isr", 11, step("/d/main.c", 17, "'isr' runs as ...")});
  Main.Registered.push_back({"isr", 11, step("/d/main.c", 30, "again")});
  Main.Registered.push_back({"xmit", 17, step("/d/main.c", 8, "'xmit' runs as ...")});
  Main.Registered.push_back({"dup", 11, step("/d/main.c", 24, "x")});
  Main.Registered.push_back({"nowhere", 11, step("/d/main.c", 25, "x")});
  Irq.Defines = {{"isr", "/d/irq.c"}, {"dup", "/d/irq.c"}};
  Tx.Defines = {{"xmit", "/d/tx.c"}, {"dup", "/d/tx.c"}};
  ExternalContexts C = linkContexts({&Main, &Irq, &Tx});
  ASSERT_TRUE(C.count("isr"));
  ASSERT_EQ(C.find("isr")->second.size(), 1u); // one per context
  EXPECT_EQ(C.find("isr")->second[0].Context, 11);
  EXPECT_EQ(C.find("isr")->second[0].Site.Line, 17u);
  ASSERT_TRUE(C.count("xmit"));
  EXPECT_EQ(C.find("xmit")->second[0].Context, 17);
  EXPECT_FALSE(C.count("dup"));     // two definitions: ambiguous
  EXPECT_FALSE(C.count("nowhere")); // no definition in the run
  // The same name defined in two files also stops a sleep from linking.
  TUExports S;
  S.Functions.push_back(fn("dup", "/d/irq.c", {step("/d/irq.c", 3, "sleeps")}, {}));
  EXPECT_FALSE(linkSleeps({&S, &Tx}).count("dup"));
  EXPECT_TRUE(linkSleeps({&S}).count("dup"));
}

TEST(Link, ReleasesOfAFunctionDefinedOnce) {
  TUExports Trans, Other;
  ExportedFunction Rel = fn("release_nic_access", "/d/trans.c", {}, {});
  Rel.Releases = {1};
  Trans.Functions.push_back(Rel);
  // Through JSON and back, as workers send it.
  TUExports Back;
  ASSERT_TRUE(roundTrip(Trans, Back));
  ASSERT_EQ(Back.Functions.size(), 1u);
  EXPECT_EQ(Back.Functions[0].Releases, std::vector<int>{1});
  ExternalReleases R = linkReleases({&Back});
  ASSERT_TRUE(R.count("release_nic_access"));
  EXPECT_EQ(R.find("release_nic_access")->second, std::vector<int>{1});
  // Defined again in another file: left out.
  Other.Defines = {{"release_nic_access", "/e/trans.c"}};
  EXPECT_FALSE(linkReleases({&Back, &Other}).count("release_nic_access"));
}

TEST(Link, AcquiresOfAFunctionDefinedOnce) {
  TUExports Hw, Other;
  ExportedFunction Lock = fn("hw_lock", "/d/hw.c", {}, {});
  Lock.Acquires.push_back(
      {2, "hw->reg_lock", {step("/d/hw.c", 6, "spinlock 'hw->reg_lock' acquired here")}});
  Hw.Functions.push_back(Lock);
  TUExports Back;
  ASSERT_TRUE(roundTrip(Hw, Back));
  ASSERT_EQ(Back.Functions.size(), 1u);
  ASSERT_EQ(Back.Functions[0].Acquires.size(), 1u);
  const ExportedAcquire &A = Back.Functions[0].Acquires[0];
  EXPECT_EQ(A.Context, 2);
  EXPECT_EQ(A.Key, "hw->reg_lock");
  ASSERT_EQ(A.Evidence.size(), 1u);
  EXPECT_EQ(A.Evidence[0].File, "/d/hw.c");
  EXPECT_EQ(A.Evidence[0].Line, 6u);
  ExternalAcquires L = linkAcquires({&Back});
  ASSERT_TRUE(L.count("hw_lock"));
  EXPECT_EQ(L.find("hw_lock")->second.size(), 1u);
  Other.Defines = {{"hw_lock", "/e/hw.c"}};
  EXPECT_FALSE(linkAcquires({&Back, &Other}).count("hw_lock"));
  // An acquire without its key is malformed.
  llvm::json::Value Bad = exportsToJSON(Hw);
  (*(*Bad.getAsObject()->getArray("functions"))[0].getAsObject()->getArray("acquires"))[0]
      .getAsObject()->erase("key");
  TUExports Drop;
  EXPECT_FALSE(exportsFromJSON(Bad, Drop));
}

TEST(Link, ConditionalSleepsOfAFunctionDefinedOnce) {
  TUExports Fw, Other;
  ExportedFunction Cmd = fn("fw_cmd", "/d/fw.c", {}, {});
  ExportedCondSleep CS;
  CS.Cond.Index = 2; // if (wait): any bit of the whole value
  CS.Also.push_back(ParamCond());
  CS.Also.back().Index = 1;
  CS.Also.back().Eq = true;
  CS.Also.back().Values = {7, ~0ull - 1};
  CS.UnlessInterrupt = true;
  CS.Chain = {step("/d/fw.c", 7, "'msleep' sleeps")};
  Cmd.CondSleeps.push_back(CS);
  Fw.Functions.push_back(Cmd);
  TUExports Back;
  ASSERT_TRUE(roundTrip(Fw, Back));
  ASSERT_EQ(Back.Functions.size(), 1u);
  ASSERT_EQ(Back.Functions[0].CondSleeps.size(), 1u);
  const ExportedCondSleep &B = Back.Functions[0].CondSleeps[0];
  EXPECT_EQ(B.Cond, CS.Cond);
  EXPECT_EQ(B.Cond.Mask, ~0ull);
  ASSERT_EQ(B.Also.size(), 1u);
  EXPECT_EQ(B.Also[0], CS.Also[0]);
  EXPECT_TRUE(B.UnlessInterrupt);
  ASSERT_EQ(B.Chain.size(), 1u);
  EXPECT_EQ(B.Chain[0].Line, 7u);
  EXPECT_TRUE(linkCondSleeps({&Back}).count("fw_cmd"));
  Other.Defines = {{"fw_cmd", "/e/fw.c"}};
  EXPECT_FALSE(linkCondSleeps({&Back, &Other}).count("fw_cmd"));
}

TEST(Link, CleanupHelpersAndWhoIsAnalysedAgain) {
  // hw.c: hw_cleanup() releases the regions (through a static helper of its
  // file), hw_lock() returns holding a spinlock, hw_sync() sleeps.
  TUExports Hw, Main;
  ExportedFunction Cleanup = fn("hw_cleanup", "/d/hw.c", {}, {});
  Cleanup.ResReleases = {"pci_release_regions"};
  Hw.Functions.push_back(Cleanup);
  ExportedFunction Lock = fn("hw_lock", "/d/hw.c", {}, {});
  Lock.Acquires.push_back({2, "hw->lock", {step("/d/hw.c", 4, "x")}});
  Hw.Functions.push_back(Lock);
  Hw.Functions.push_back(fn("hw_sync", "/d/hw.c", {step("/d/hw.c", 9, "'msleep' sleeps")}, {}));
  Hw.Defines = {{"hw_cleanup", "/d/hw.c"}, {"hw_lock", "/d/hw.c"}, {"hw_sync", "/d/hw.c"}};
  TUExports Back;
  ASSERT_TRUE(roundTrip(Hw, Back));
  ASSERT_EQ(Back.Functions.size(), 3u);
  EXPECT_EQ(Back.Functions[0].ResReleases, Cleanup.ResReleases);
  LinkResult L = linkAll({&Back, &Main});
  ASSERT_TRUE(L.ResReleases.count("hw_cleanup"));
  EXPECT_EQ(L.ResReleases.find("hw_cleanup")->second, Cleanup.ResReleases);
  // A caller of the cleanup helper is analysed again only if it had
  // findings (a release can only remove one).
  Main.AllCallees = {"hw_cleanup"};
  EXPECT_FALSE(L.needsSecondPass(Main, 0));
  EXPECT_TRUE(L.needsSecondPass(Main, 1));
  // A sleeper matters where it is called in atomic context (Callees), a
  // lock helper wherever it is called.
  Main.AllCallees = {"hw_sync"};
  EXPECT_FALSE(L.needsSecondPass(Main, 1));
  Main.Callees = {"hw_sync"};
  EXPECT_TRUE(L.needsSecondPass(Main, 0));
  Main.Callees.clear();
  Main.AllCallees = {"hw_lock"};
  EXPECT_TRUE(L.needsSecondPass(Main, 0));
  // Without the list, the export is malformed.
  llvm::json::Value Bad = exportsToJSON(Hw);
  (*Bad.getAsObject()->getArray("functions"))[0].getAsObject()->erase("res-releases");
  TUExports Drop;
  EXPECT_FALSE(exportsFromJSON(Bad, Drop));
}

TEST(Link, FieldStoresPairWithinOneDriver) {
  // main.c stores vmalloc() memory into foo_priv::table; hw.c, in the same
  // directory, frees that field; other/x.c, another driver, frees it too.
  TUExports Main, Hw, Other;
  Main.File = "/d/foo/main.c";
  Main.FieldStores.push_back({"foo_priv@/d/foo/foo.h:table", "vmalloc", "vmalloc",
                              "foo_alloc", -1, step("/d/foo/main.c", 9, ""),
                              step("/d/foo/main.c", 9, "stored in 'priv->table' here")});
  Main.FieldStores.push_back({"foo_priv@/d/foo/foo.h:ring", "kmalloc", "kzalloc",
                              "foo_alloc", -1, step("/d/foo/main.c", 12, ""),
                              step("/d/foo/main.c", 12, "stored in 'priv->ring' here")});
  Main.FieldStores.push_back({"foo_priv@/d/foo/foo.h:pages", "page_address",
                              "__get_free_pages", "foo_alloc", 2,
                              step("/d/foo/main.c", 14, ""),
                              step("/d/foo/main.c", 14, "stored in 'priv->pages' here")});
  Hw.File = "/d/foo/hw.c";
  Hw.FieldsReleased = {"foo_priv@/d/foo/foo.h:table"};
  Other.File = "/d/bar/x.c";
  Other.FieldsReleased = {"foo_priv@/d/foo/foo.h:table"};
  TUExports Back;
  ASSERT_TRUE(roundTrip(Main, Back));
  ASSERT_EQ(Back.FieldStores.size(), 3u);
  EXPECT_EQ(Back.FieldStores[0].Order, -1);
  EXPECT_EQ(Back.FieldStores[2].Order, 2);
  EXPECT_EQ(Back.File, Main.File);
  EXPECT_EQ(Back.FieldStores[0].Key, Main.FieldStores[0].Key);
  EXPECT_EQ(Back.FieldStores[0].Family, "vmalloc");
  EXPECT_EQ(Back.FieldStores[0].Function, "foo_alloc");
  EXPECT_TRUE(sameStep(Back.FieldStores[0].Stored, Main.FieldStores[0].Stored));
  TUExports HwBack;
  ASSERT_TRUE(roundTrip(Hw, HwBack));
  EXPECT_EQ(HwBack.FieldsReleased, Hw.FieldsReleased);
  LinkResult L = linkAll({&Back, &HwBack, &Other});
  // Only fields some TU releases are kept.
  EXPECT_TRUE(L.FieldStores.count("foo_priv@/d/foo/foo.h:table"));
  EXPECT_FALSE(L.FieldStores.count("foo_priv@/d/foo/foo.h:ring"));
  EXPECT_TRUE(L.needsSecondPass(HwBack, 0));
  EXPECT_FALSE(L.needsSecondPass(Other, 0));
  EXPECT_FALSE(L.needsSecondPass(Back, 0));
  EXPECT_TRUE(sameDriver("/d/foo/main.c", "/d/foo/hw.c"));
  EXPECT_FALSE(sameDriver("/d/foo/main.c", "/d/foo/main.c"));
  EXPECT_FALSE(sameDriver("/d/foo/main.c", "/d/bar/x.c"));
}

TEST(Link, KeptIsWhatNoFileReleases) {
  // hw.c's foo_hw_map() ioremap()s into foo_hw::regs, ::sram and ::bar; its
  // own error path releases sram (not a release for remove). main.c's
  // remove path releases regs through foo_hw_unmap() (hw.c); util.c copies
  // bar into another field. Only sram is kept.
  TUExports Hw, Main, Util;
  Hw.File = "/d/foo/hw.c";
  auto Store = [&](const char *Field, unsigned Line) {
    std::string Target = std::string("stored in 'hw->") + Field + "' here";
    Hw.FieldStores.push_back({std::string("foo_hw@/d/foo/foo.h:") + Field, "ioremap",
                              "ioremap", "foo_hw_map", -1, step("/d/foo/hw.c", Line, ""),
                              step("/d/foo/hw.c", Line, Target.c_str())});
    Hw.FieldStores.back().Target = std::string("hw->") + Field;
  };
  Store("regs", 10);
  Store("sram", 12);
  Store("bar", 14);
  ExportedFunction Map = fn("foo_hw_map", "/d/foo/hw.c", {}, {});
  Map.Kept = {0, 1, 2};
  Hw.Functions.push_back(Map);
  Hw.Defines = {{"foo_hw_map", "/d/foo/hw.c"}, {"foo_hw_unmap", "/d/foo/hw.c"}};
  Hw.FieldsReleased = {"foo_hw@/d/foo/foo.h:regs", "foo_hw@/d/foo/foo.h:sram"};
  Hw.FieldsReleasedApart = {"foo_hw@/d/foo/foo.h:regs"};
  Util.File = "/d/foo/util.c";
  Util.FieldsHandedOn = {"foo_hw@/d/foo/foo.h:bar"};
  Main.File = "/d/foo/main.c";
  Main.AllCallees = {"foo_hw_map", "foo_hw_unmap"};
  TUExports HwBack, UtilBack;
  ASSERT_TRUE(roundTrip(Hw, HwBack));
  ASSERT_TRUE(roundTrip(Util, UtilBack));
  ASSERT_EQ(HwBack.Functions.size(), 1u);
  EXPECT_EQ(HwBack.Functions[0].Kept, Map.Kept);
  EXPECT_EQ(HwBack.FieldsReleasedApart, Hw.FieldsReleasedApart);
  EXPECT_EQ(UtilBack.FieldsHandedOn, Util.FieldsHandedOn);
  LinkResult L = linkAll({&HwBack, &Main, &UtilBack});
  ASSERT_EQ(L.Kept.count("foo_hw_map"), 1u);
  ASSERT_EQ(L.Kept["foo_hw_map"].size(), 1u);
  EXPECT_EQ(L.Kept["foo_hw_map"][0].Key, "foo_hw@/d/foo/foo.h:sram");
  EXPECT_EQ(L.Kept["foo_hw_map"][0].Target, "hw->sram");
  EXPECT_TRUE(L.ModuleOf.count("foo_hw_unmap"));
  EXPECT_TRUE(L.needsSecondPass(Main, 0));
  EXPECT_FALSE(L.needsSecondPass(UtilBack, 0));
  // A kept index past the stores is a malformed export.
  TUExports Bad = Hw, BadBack;
  Bad.Functions[0].Kept.push_back(7);
  EXPECT_FALSE(roundTrip(Bad, BadBack));
}

//===- SharedPrefixTest.cpp - Leading directives and prefix groups --------===//

#include "SharedPrefix.h"
#include "gtest/gtest.h"

using namespace kdlint;
using namespace llvm;
using clang::tooling::CompileCommand;

namespace {

std::vector<std::string> keys(StringRef Source) {
  std::vector<std::string> Out;
  for (const LeadingDirective &D : leadingDirectives(Source))
    Out.push_back(D.Key);
  return Out;
}

TEST(SharedPrefix, LeadingDirectivesStopAtTheFirstOther) {
  std::string S = "// SPDX-License-Identifier: GPL-2.0\n"
                  "/* e1000e */\n"
                  "#define pr_fmt(fmt) KBUILD_MODNAME \": \" fmt\n"
                  "#include \"e1000.h\"\n"
                  "#  include <linux/pci.h>   /* the bus */\n"
                  "#include <linux/delay.h>\n"
                  "#ifdef CONFIG_PM\n"
                  "#include <linux/pm.h>\n"
                  "#endif\n";
  // Keys are the tokens one space apart (the `(` of a function-like macro
  // glued to its name), whatever the spacing and comments as written.
  EXPECT_EQ(keys(S), (std::vector<std::string>{
                         "#define pr_fmt( fmt ) KBUILD_MODNAME \": \" fmt",
                         "#include \"e1000.h\"", "#include <linux/pci.h>",
                         "#include <linux/delay.h>"}));
  EXPECT_EQ(leadingDirectives(S)[2].Text, "#  include <linux/pci.h>");
  EXPECT_TRUE(leadingDirectives(S)[1].Quoted);
  EXPECT_FALSE(leadingDirectives(S)[2].Quoted);
  // Code ends the prefix; so does an include by macro; trailing definitions
  // are the file's own.
  EXPECT_EQ(keys("#include <a.h>\nstatic int x;\n#include <b.h>\n"),
            (std::vector<std::string>{"#include <a.h>"}));
  EXPECT_EQ(keys("#include <a.h>\n#include HDR\n#include <b.h>\n"),
            (std::vector<std::string>{"#include <a.h>"}));
  EXPECT_EQ(keys("#include <a.h>\n#define DRV \"x\"\nint y;\n"),
            (std::vector<std::string>{"#include <a.h>"}));
  // `F(x)` and `F (x)` are different macros; so are "a  b" and "a b". The
  // spacing between other tokens does not matter.
  EXPECT_NE(keys("#define F(x) x\n#include <a.h>\n"),
            keys("#define F (x) x\n#include <a.h>\n"));
  EXPECT_NE(keys("#define S \"a  b\"\n#include <a.h>\n"),
            keys("#define S \"a b\"\n#include <a.h>\n"));
  EXPECT_EQ(keys("#define G(x)  ((x) + 1)\n#include <a.h>\n"),
            keys("#define G(x) ( (x)  +  1 )\n#include <a.h>\n"));
}

CompileCommand cmd(StringRef File, StringRef Base) {
  return CompileCommand("/k", File,
                        {"clang", "-nostdinc", "-DMODULE",
                         ("-DKBUILD_BASENAME=\"" + Base + "\"").str(),
                         "-DKBUILD_MODNAME=\"drv\"", "-c", "-o",
                         (Base + ".o").str(), File.str()},
                        (Base + ".o").str());
}

TEST(SharedPrefix, GroupsByFlagsAndDeepestSharedPrefix) {
  std::map<std::string, std::string> Files = {
      {"/k/d/a.c", "#include \"drv.h\"\n#include <linux/pci.h>\nint a;\n"},
      {"/k/d/b.c", "#include \"drv.h\"\n#include <linux/pci.h>\nint b;\n"},
      {"/k/d/c.c", "#include \"drv.h\"\n#include <linux/pci.h>\nint c;\n"},
      {"/k/d/d.c", "#include \"drv.h\"\n#include <linux/usb.h>\nint d;\n"},
      {"/k/d/e.c", "#include <linux/module.h>\nint e;\n"},
      {"/k/x/f.c", "#include \"drv.h\"\n#include <linux/pci.h>\nint f;\n"},
  };
  std::vector<CompileCommand> Cmds;
  for (StringRef F : {"d/a.c", "d/b.c", "d/c.c", "d/d.c", "d/e.c", "x/f.c"})
    Cmds.push_back(cmd(F, F.substr(2, 1)));
  auto Read = [&](const std::string &P, std::string &T) {
    auto It = Files.find(P);
    if (It == Files.end())
      return false;
    T = It->second;
    return true;
  };
  PrefixPlan Plan = planPrefixes(Cmds, 3, Read);
  // a, b and c share both lines; d shares only the first, and a prefix of
  // its own would have one member; e shares nothing; f is another directory.
  ASSERT_EQ(Plan.Groups.size(), 1u);
  EXPECT_EQ(Plan.Groups[0].Lines,
            (std::vector<std::string>{"#include \"drv.h\"", "#include <linux/pci.h>"}));
  EXPECT_EQ(Plan.Groups[0].Members, (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(Plan.Groups[0].Dir, "/k/d");
  EXPECT_EQ(Plan.GroupOf, (std::vector<int>{0, 0, 0, -1, -1, -1}));
  // With a fourth member in mind, d joins a shorter prefix the four share.
  Plan = planPrefixes(Cmds, 4, Read);
  ASSERT_EQ(Plan.Groups.size(), 1u);
  EXPECT_EQ(Plan.Groups[0].Lines, (std::vector<std::string>{"#include \"drv.h\""}));
  EXPECT_EQ(Plan.GroupOf, (std::vector<int>{0, 0, 0, 0, -1, -1}));
  // Kernel headers alone are not shared: the three files of e's kind.
  {
    std::vector<CompileCommand> K = {cmd("d/e.c", "e"), cmd("d/e.c", "f"),
                                     cmd("d/e.c", "g")};
    EXPECT_TRUE(planPrefixes(K, 3, Read).Groups.empty());
  }
  // Other flags (not the file's own name) are another group: b leaves, and
  // a, c and d share the first line.
  Cmds[1].CommandLine.insert(Cmds[1].CommandLine.begin() + 1, "-DDEBUG");
  Plan = planPrefixes(Cmds, 3, Read);
  ASSERT_EQ(Plan.Groups.size(), 1u);
  EXPECT_EQ(Plan.GroupOf, (std::vector<int>{0, -1, 0, 0, -1, -1}));
  // The file may be named as the command's directory sees it.
  Cmds[1] = cmd("d/b.c", "b");
  Cmds[1].Filename = "/k/d/b.c";
  Plan = planPrefixes(Cmds, 3, Read);
  EXPECT_EQ(Plan.GroupOf, (std::vector<int>{0, 0, 0, -1, -1, -1}));
  // The precompiling command: the flags without the file, its output and
  // Kbuild's names for it, quoted includes looked up in the members' directory.
  Cmds[1] = cmd("d/b.c", "b");
  Plan = planPrefixes(Cmds, 3, Read);
  ASSERT_EQ(Plan.Groups.size(), 1u);
  EXPECT_EQ(prefixCommandLine(Plan.Groups[0], "/tmp/p.h"),
            (std::vector<std::string>{"clang", "-nostdinc", "-DMODULE", "-iquote",
                                      "/k/d", "-x", "c-header", "/tmp/p.h"}));
  // Modules of one directory (KBUILD_MODNAME) share too: a member defines its
  // own names.
  Cmds[1].CommandLine[4] = "-DKBUILD_MODNAME=\"other\"";
  Cmds[2].CommandLine.insert(Cmds[2].CommandLine.begin() + 4,
                             {"-D", "KBUILD_MODFILE=\"d/c\""});
  Plan = planPrefixes(Cmds, 3, Read);
  EXPECT_EQ(Plan.GroupOf, (std::vector<int>{0, 0, 0, -1, -1, -1}));
}

} // namespace

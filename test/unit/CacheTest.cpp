//===- CacheTest.cpp - The result cache: hits, misses, corruption, eviction ===//

#include "kdlint/Cache.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/MemoryBuffer.h"
#include "gtest/gtest.h"
#include <unistd.h>

using namespace kdlint;
using namespace llvm;

namespace {

struct TempDir {
  SmallString<128> Path;
  TempDir() { EXPECT_FALSE(sys::fs::createUniqueDirectory("kdlint-cache", Path)); }
  ~TempDir() { sys::fs::remove_directories(Path); }
  std::string file(StringRef Name, StringRef Text) const {
    SmallString<128> P(Path);
    sys::path::append(P, Name);
    std::error_code EC;
    raw_fd_ostream(P, EC) << Text;
    EXPECT_FALSE(EC);
    return std::string(P);
  }
};

std::vector<std::string> entries(StringRef Dir) {
  std::vector<std::string> Out;
  std::error_code EC;
  for (sys::fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (StringRef(It->path()).ends_with(".kdc"))
      Out.push_back(It->path());
  return Out;
}

} // namespace

TEST(Cache, ParseSize) {
  EXPECT_EQ(ResultCache::parseSize("0"), 0u);
  EXPECT_EQ(ResultCache::parseSize("123"), 123u);
  EXPECT_EQ(ResultCache::parseSize("64K"), 64u << 10);
  EXPECT_EQ(ResultCache::parseSize("500m"), 500ull << 20);
  EXPECT_EQ(ResultCache::parseSize("2G"), 2ull << 30);
  EXPECT_FALSE(ResultCache::parseSize("lots"));
  EXPECT_FALSE(ResultCache::parseSize(""));
  EXPECT_FALSE(ResultCache::parseSize("G"));
}

TEST(Cache, KeysSeparateTheirParts) {
  EXPECT_NE(ResultCache::key({"ab", "c"}), ResultCache::key({"a", "bc"}));
  EXPECT_EQ(ResultCache::key({"a", "bc"}), ResultCache::key({"a", "bc"}));
}

TEST(Cache, HitUntilADependencyChanges) {
  TempDir Src, Dir;
  std::string H = Src.file("a.h", "int x;\n"), C = Src.file("a.c", "#include \"a.h\"\n");
  std::string K = ResultCache::key({"tu", C});
  std::string Warn;
  {
    ResultCache Cache(std::string(Dir.Path), 0);
    EXPECT_FALSE(Cache.lookup(K, Warn));
    ASSERT_TRUE(Cache.store(K, {C, H}, std::string("payload\0with nul", 16)));
  }
  {
    ResultCache Cache(std::string(Dir.Path), 0); // a new run
    std::optional<std::string> P = Cache.lookup(K, Warn);
    ASSERT_TRUE(P);
    EXPECT_EQ(*P, std::string("payload\0with nul", 16));
    EXPECT_TRUE(Warn.empty());
  }
  Src.file("a.h", "int y;\n");
  {
    ResultCache Cache(std::string(Dir.Path), 0);
    EXPECT_FALSE(Cache.lookup(K, Warn));
    EXPECT_TRUE(Warn.empty()); // a miss, not corruption
  }
  // A dependency that is gone: a miss too.
  sys::fs::remove(H);
  {
    ResultCache Cache(std::string(Dir.Path), 0);
    EXPECT_FALSE(Cache.lookup(K, Warn));
  }
}

TEST(Cache, CorruptEntriesAreReportedAndRemoved) {
  TempDir Src, Dir;
  std::string C = Src.file("a.c", "int main;\n");
  ResultCache Cache(std::string(Dir.Path), 0);
  std::string K = ResultCache::key({"tu", C});
  ASSERT_TRUE(Cache.store(K, {C}, "result"));
  std::vector<std::string> E = entries(Dir.Path);
  ASSERT_EQ(E.size(), 1u);
  // One byte of the payload flipped: the checksum no longer matches.
  {
    auto B = MemoryBuffer::getFile(E[0]);
    ASSERT_TRUE(bool(B));
    std::string Text = (*B)->getBuffer().str();
    Text.back() ^= 1;
    std::error_code EC;
    raw_fd_ostream(E[0], EC) << Text;
  }
  std::string Warn;
  EXPECT_FALSE(Cache.lookup(K, Warn));
  EXPECT_NE(Warn.find("is corrupt"), std::string::npos);
  EXPECT_TRUE(entries(Dir.Path).empty());
}

TEST(Cache, EvictsLeastRecentlyUsedFirst) {
  TempDir Src, Dir;
  std::string C = Src.file("a.c", "int main;\n");
  ResultCache Cache(std::string(Dir.Path), 0);
  // Incompressible (entries are compressed): a pseudo-random payload.
  std::string Big(4000, '\0');
  uint32_t X = 12345;
  for (char &Ch : Big)
    Ch = char((X = X * 1103515245u + 12345u) >> 24);
  for (const char *N : {"old", "mid", "new"})
    ASSERT_TRUE(Cache.store(ResultCache::key({N}), {C}, Big));
  // Ages by modification time: old < mid < new; then "old" is used again.
  auto Age = [&](const char *N, int SecondsAgo) {
    for (const std::string &P : entries(Dir.Path))
      if (StringRef(P).contains(ResultCache::key({N}).substr(2))) {
        int Fd;
        ASSERT_FALSE(sys::fs::openFileForWrite(P, Fd, sys::fs::CD_OpenExisting,
                                               sys::fs::OF_Append));
        sys::fs::setLastAccessAndModificationTime(
            Fd, std::chrono::system_clock::now() - std::chrono::seconds(SecondsAgo));
        ::close(Fd);
      }
  };
  Age("old", 300);
  Age("mid", 200);
  Age("new", 100);
  std::string Warn;
  ASSERT_TRUE(Cache.lookup(ResultCache::key({"old"}), Warn)); // touched: now newest
  ResultCache Bounded(std::string(Dir.Path), 9000);             // room for two
  EXPECT_EQ(Bounded.evict(), 1u);
  EXPECT_FALSE(Bounded.lookup(ResultCache::key({"mid"}), Warn));
  EXPECT_TRUE(Bounded.lookup(ResultCache::key({"old"}), Warn));
  EXPECT_TRUE(Bounded.lookup(ResultCache::key({"new"}), Warn));
}

//===- PrefixStore.cpp - Shared prefixes learned across calls -------------===//
//
// The directory holds, per directory and flags (a hash of prefixFlagsKey):
//   <K>.files            one line per file seen: its path, a tab, and the
//                        hashes of its first directives' keys
//   <K>-<P>.pch / .h     the prefix whose directive keys hash to <P>
//   <K>-<P>.building     being precompiled (by one call; the others parse
//                        whole meanwhile)
//   <K>-<P>.failed       not precompiled (not include-guarded, ...)
// and `lock`, held while these are read and written (not while building).
//
//===----------------------------------------------------------------------===//
#include "PrefixStore.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include <fcntl.h>
#include <sys/file.h>
#include <sys/time.h>
#include <unistd.h>

using namespace llvm;
using clang::tooling::CompileCommand;

namespace kdlint {

namespace {

std::string hex(StringRef S) { return utohexstr(xxh3_64bits(S), /*LowerCase=*/true); }

/// The hash naming the prefix of \p Keys' first \p D keys.
std::string prefixHash(ArrayRef<std::string> Keys, size_t D) {
  std::string S;
  for (size_t I = 0; I < D; ++I)
    S += Keys[I] + "\n";
  return hex(S);
}

/// Holds the store's lock while it lives.
class StoreLock {
public:
  explicit StoreLock(StringRef Dir) {
    Fd = ::open((Dir + "/lock").str().c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (Fd >= 0)
      while (::flock(Fd, LOCK_EX) != 0 && errno == EINTR)
        ;
  }
  ~StoreLock() {
    if (Fd >= 0)
      ::close(Fd);
  }
  bool held() const { return Fd >= 0; }

private:
  int Fd = -1;
};

/// Removes the precompiled prefixes used longest ago beyond the bound (a
/// call about to use one parses whole instead).
void evict(StringRef Dir) {
  std::vector<std::pair<sys::TimePoint<>, std::string>> Pchs;
  std::error_code EC;
  for (sys::fs::directory_iterator I(Dir, EC), E; I != E && !EC; I.increment(EC)) {
    sys::fs::file_status St;
    if (StringRef(I->path()).ends_with(".pch") && !sys::fs::status(I->path(), St))
      Pchs.emplace_back(St.getLastModificationTime(), I->path());
  }
  if (Pchs.size() <= MaxLearnedPrefixes)
    return;
  llvm::sort(Pchs);
  for (size_t K = 0; K + MaxLearnedPrefixes < Pchs.size(); ++K) {
    sys::fs::remove(Pchs[K].second);
    sys::fs::remove(StringRef(Pchs[K].second).drop_back(4) + ".h");
  }
}

} // namespace

void forgetPrefix(StringRef Dir, const LearnedPrefix &P) {
  StoreLock L(Dir);
  sys::fs::remove(P.Pch);
}

LearnedPrefix learnPrefix(StringRef Dir, const CompileCommand &Cmd, StringRef Text,
                          unsigned MinMembers, PrefixBuilder Build) {
  LearnedPrefix Out;
  std::vector<LeadingDirective> Lead = leadingDirectives(Text);
  if (Lead.empty() || MinMembers < 2)
    return Out;
  // Each key by its hash: what the files list keeps.
  std::vector<std::string> Keys;
  for (const LeadingDirective &L : Lead)
    Keys.push_back(hex(L.Key));
  std::string Path = sourcePath(Cmd);
  std::string Base = (Dir + "/" + hex(prefixFlagsKey(Cmd))).str();
  auto Name = [&](size_t D, StringRef Ext) {
    return Base + "-" + prefixHash(Keys, D) + Ext.str();
  };
  size_t Build0 = 0;
  {
    StoreLock L(Dir);
    if (!L.held())
      return Out;
    // The longest prefix of it already precompiled.
    for (size_t D = Lead.size(); D; --D)
      if (sys::fs::exists(Name(D, ".pch"))) {
        Out.Pch = Name(D, ".pch");
        Out.Header = Name(D, ".h");
        Out.Lines = D;
        ::utimes(Out.Pch.c_str(), nullptr); // used last: kept longest
        break;
      }
    // The files before it; it joins them.
    std::vector<std::vector<std::string>> Earlier;
    bool Seen = false;
    if (auto B = MemoryBuffer::getFile(Base + ".files")) {
      SmallVector<StringRef, 64> Lines;
      (*B)->getBuffer().split(Lines, '\n', -1, false);
      for (StringRef Line : Lines) {
        auto [File, Hashes] = Line.split('\t');
        if (File == Path) {
          Seen = true;
          continue;
        }
        SmallVector<StringRef, 16> H;
        Hashes.split(H, ' ', -1, false);
        Earlier.emplace_back(H.begin(), H.end());
      }
    }
    if (!Seen) {
      std::error_code EC;
      raw_fd_ostream F(Base + ".files", EC, sys::fs::OF_Append);
      if (!EC)
        F << Path << "\t" << join(Keys, " ") << "\n";
    }
    if (!Out.Pch.empty())
      return Out;
    // The hashed keys stand for the keys when the depth is compared.
    std::vector<LeadingDirective> Hashed = Lead;
    for (size_t I = 0; I < Hashed.size(); ++I)
      Hashed[I].Key = Keys[I];
    size_t D = sharedDepth(Hashed, Earlier, MinMembers);
    if (!D || sys::fs::exists(Name(D, ".failed")))
      return Out;
    int Fd = ::open(Name(D, ".building").c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
                    0600);
    if (Fd < 0)
      return Out; // another call precompiles it
    ::close(Fd);
    Build0 = D;
  }
  PrefixGroup G;
  G.Dir = std::string(sys::path::parent_path(Path));
  for (size_t I = 0; I < Build0; ++I)
    G.Lines.push_back(Lead[I].Text);
  G.Cmd = Cmd;
  std::string Tmp = Name(Build0, ".pch.tmp");
  bool Built = Build(G, Name(Build0, ".h"), Tmp);
  StoreLock L(Dir);
  if (Built && !sys::fs::rename(Tmp, Name(Build0, ".pch"))) {
    Out.Pch = Name(Build0, ".pch");
    Out.Header = Name(Build0, ".h");
    Out.Lines = Build0;
    Out.BuiltNow = true;
    evict(Dir);
  } else {
    sys::fs::remove(Tmp);
    std::error_code EC;
    raw_fd_ostream F(Name(Build0, ".failed"), EC);
  }
  sys::fs::remove(Name(Build0, ".building"));
  return Out;
}

} // namespace kdlint

//===- Cache.cpp - Per-TU results under a content hash -------------------===//
//
// Entry layout (all integers little-endian 64-bit):
//   "KDLC2\n" checksum rest
//   rest = flags raw-size body     (flags 1: body is zlib-compressed)
//   body = count (path-length path content-hash size mtime)* payload-length payload
// checksum is xxh3 of rest. See Cache.h.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Cache.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/Compression.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/xxhash.h"
#include <algorithm>
#include <chrono>
#include <cstring>
#include <unistd.h>

using namespace llvm;

namespace kdlint {

static constexpr StringLiteral Magic = "KDLC2\n";

static void putU64(std::string &B, uint64_t V) {
  for (int I = 0; I < 8; ++I)
    B.push_back(char((V >> (8 * I)) & 0xff));
}
static void putStr(std::string &B, StringRef S) {
  putU64(B, S.size());
  B.append(S.data(), S.size());
}
static bool getU64(StringRef &B, uint64_t &V) {
  if (B.size() < 8)
    return false;
  V = 0;
  for (int I = 0; I < 8; ++I)
    V |= uint64_t(uint8_t(B[I])) << (8 * I);
  B = B.drop_front(8);
  return true;
}
static bool getStr(StringRef &B, StringRef &S) {
  uint64_t N;
  if (!getU64(B, N) || B.size() < N)
    return false;
  S = B.take_front(N);
  B = B.drop_front(N);
  return true;
}

ResultCache::ResultCache(std::string Dir, uint64_t MaxBytes)
    : Dir(std::move(Dir)), MaxBytes(MaxBytes) {}

std::string ResultCache::defaultDir() {
  SmallString<256> P;
  if (std::optional<std::string> X = sys::Process::GetEnv("XDG_CACHE_HOME");
      X && !X->empty())
    P = *X;
  else if (!sys::path::cache_directory(P))
    sys::path::system_temp_directory(true, P);
  sys::path::append(P, "kdlint");
  return std::string(P);
}

std::optional<uint64_t> ResultCache::parseSize(StringRef S) {
  S = S.trim();
  uint64_t Mult = 1;
  if (!S.empty()) {
    switch (toLower(S.back())) {
    case 'k': Mult = 1ull << 10; break;
    case 'm': Mult = 1ull << 20; break;
    case 'g': Mult = 1ull << 30; break;
    case 't': Mult = 1ull << 40; break;
    default: break;
    }
    if (Mult != 1)
      S = S.drop_back();
  }
  uint64_t N;
  if (S.empty() || S.getAsInteger(10, N))
    return std::nullopt;
  return N * Mult;
}

std::string ResultCache::key(ArrayRef<StringRef> Parts) {
  BLAKE3 H;
  for (StringRef P : Parts) {
    std::string Len;
    putU64(Len, P.size());
    H.update(Len);
    H.update(P);
  }
  return toHex(H.final<16>(), /*LowerCase=*/true);
}

std::string ResultCache::pathOf(StringRef Key) const {
  SmallString<256> P(Dir);
  sys::path::append(P, Key.take_front(2), Key.drop_front(2) + ".kdc");
  return std::string(P);
}

std::optional<uint64_t> ResultCache::fileHash(StringRef Path) {
  {
    std::lock_guard<std::mutex> L(Mu);
    if (auto It = Hashes.find(Path); It != Hashes.end())
      return It->second;
  }
  std::optional<uint64_t> H;
  if (ErrorOr<std::unique_ptr<MemoryBuffer>> B =
          MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false))
    H = xxh3_64bits(arrayRefFromStringRef((*B)->getBuffer()));
  std::lock_guard<std::mutex> L(Mu);
  Hashes[Path] = H;
  return H;
}

std::optional<ResultCache::FileStat> ResultCache::fileStat(StringRef Path) {
  {
    std::lock_guard<std::mutex> L(Mu);
    if (auto It = Stats.find(Path); It != Stats.end())
      return It->second;
  }
  std::optional<FileStat> R;
  sys::fs::file_status St;
  if (!sys::fs::status(Path, St))
    R = FileStat{St.getSize(),
                 uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                              St.getLastModificationTime().time_since_epoch())
                              .count())};
  std::lock_guard<std::mutex> L(Mu);
  Stats[Path] = R;
  return R;
}

std::optional<std::string> ResultCache::lookup(StringRef Key, std::string &Warn) {
  std::string Path = pathOf(Key);
  ErrorOr<std::unique_ptr<MemoryBuffer>> BOr =
      MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!BOr)
    return std::nullopt;
  StringRef B = (*BOr)->getBuffer();
  uint64_t Sum, Flags, Raw, N;
  auto Corrupt = [&]() -> std::optional<std::string> {
    Warn = "cache entry '" + Path + "' is corrupt (checksum or format); recomputing it";
    sys::fs::remove(Path);
    return std::nullopt;
  };
  if (!B.consume_front(Magic)) {
    if (B.size() >= Magic.size() && B.starts_with("KDLC"))
      return std::nullopt; // another format's entry: a miss, replaced on store
    return Corrupt();
  }
  if (!getU64(B, Sum) || xxh3_64bits(arrayRefFromStringRef(B)) != Sum ||
      !getU64(B, Flags) || !getU64(B, Raw) || Flags > 1)
    return Corrupt();
  SmallVector<uint8_t, 0> Unpacked;
  if (Flags == 1) {
    if (!compression::zlib::isAvailable())
      return std::nullopt;
    if (Error E = compression::zlib::decompress(arrayRefFromStringRef(B), Unpacked, Raw)) {
      consumeError(std::move(E));
      return Corrupt();
    }
    B = toStringRef(Unpacked);
  }
  if (B.size() != Raw || !getU64(B, N))
    return Corrupt();
  for (uint64_t I = 0; I < N; ++I) {
    StringRef File;
    uint64_t H, Size, MTime;
    if (!getStr(B, File) || !getU64(B, H) || !getU64(B, Size) || !getU64(B, MTime))
      return Corrupt();
    // Same size and modification time: taken as unchanged without reading
    // it (as make and ninja do); otherwise its content decides (touch alone
    // changes nothing).
    std::optional<FileStat> St = fileStat(File);
    if (!St)
      return std::nullopt;
    if (St->Size == Size && St->MTime == MTime)
      continue;
    std::optional<uint64_t> Now = fileHash(File);
    if (!Now || *Now != H)
      return std::nullopt; // a file it read changed: a miss
  }
  StringRef Payload;
  if (!getStr(B, Payload) || !B.empty())
    return Corrupt();
  // Used now: the last to be evicted.
  if (int Fd; !sys::fs::openFileForWrite(Path, Fd, sys::fs::CD_OpenExisting,
                                          sys::fs::OF_Append)) {
    sys::fs::setLastAccessAndModificationTime(Fd, std::chrono::system_clock::now());
    sys::Process::SafelyCloseFileDescriptor(Fd);
  }
  return Payload.str();
}

bool ResultCache::store(StringRef Key, ArrayRef<std::string> Deps, StringRef Payload) {
  std::string Body;
  const uint64_t Racy = 3'000'000'000ull; // ns
  const uint64_t Now = uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count());
  putU64(Body, Deps.size());
  for (const std::string &D : Deps) {
    std::optional<uint64_t> H = fileHash(D);
    std::optional<FileStat> St = fileStat(D);
    if (!H || !St)
      return false; // a file it read is gone already: nothing to vouch for
    putStr(Body, D);
    putU64(Body, *H);
    putU64(Body, St->Size);
    // Modified in the last few seconds: it may change again within the
    // file system's timestamp granularity and keep the same time ("racily
    // clean" in git's terms), so later runs compare its content (time 0).
    putU64(Body, St->MTime + Racy < Now ? St->MTime : 0);
  }
  putStr(Body, Payload);
  std::string Rest;
  SmallVector<uint8_t, 0> Packed;
  bool Zip = compression::zlib::isAvailable();
  if (Zip)
    compression::zlib::compress(arrayRefFromStringRef(StringRef(Body)), Packed,
                                compression::zlib::BestSpeedCompression);
  putU64(Rest, Zip ? 1 : 0);
  putU64(Rest, Body.size());
  Rest += Zip ? toStringRef(Packed) : StringRef(Body);
  std::string Entry(Magic);
  putU64(Entry, xxh3_64bits(arrayRefFromStringRef(StringRef(Rest))));
  Entry += Rest;
  std::string Path = pathOf(Key);
  if (sys::fs::create_directories(sys::path::parent_path(Path)))
    return false;
  // Written whole under a temporary name, then renamed over the entry: a
  // concurrent reader sees the old entry or the new one, never half of one.
  SmallString<256> Tmp;
  int Fd;
  if (sys::fs::createUniqueFile(Path + ".tmp-%%%%%%%%", Fd, Tmp))
    return false;
  bool Ok = true;
  for (StringRef W = Entry; !W.empty();) {
    ssize_t K = ::write(Fd, W.data(), W.size());
    if (K < 0 && errno == EINTR)
      continue;
    if (K <= 0) {
      Ok = false;
      break;
    }
    W = W.drop_front(K);
  }
  Ok = !sys::Process::SafelyCloseFileDescriptor(Fd) && Ok;
  if (!Ok || sys::fs::rename(Tmp, Path)) {
    sys::fs::remove(Tmp);
    return false;
  }
  return true;
}

unsigned ResultCache::evict() {
  if (!MaxBytes)
    return 0;
  struct Ent {
    std::string Path;
    uint64_t Size;
    sys::TimePoint<> Used;
  };
  std::vector<Ent> All;
  uint64_t Total = 0;
  std::error_code EC;
  for (sys::fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC)) {
    if (!StringRef(It->path()).ends_with(".kdc"))
      continue;
    sys::fs::file_status St;
    if (sys::fs::status(It->path(), St))
      continue;
    All.push_back({It->path(), St.getSize(), St.getLastModificationTime()});
    Total += St.getSize();
  }
  std::sort(All.begin(), All.end(),
            [](const Ent &A, const Ent &B) { return A.Used < B.Used; });
  unsigned Removed = 0;
  for (const Ent &E : All) {
    if (Total <= MaxBytes)
      break;
    if (!sys::fs::remove(E.Path)) {
      Total -= E.Size;
      ++Removed;
    }
  }
  return Removed;
}

} // namespace kdlint

//===- Cache.h - Per-TU results under a content hash ---------------------===//
//
// A directory of entries, one per translation unit and run configuration:
// the worker's encoded result (findings, output, the link's exports) and the
// files the preprocessor read, each with a hash of its content and its size
// and modification time. An entry answers a later run only if every one of
// those files still has that content (a file whose size and modification
// time are unchanged is not read again). Entries are zlib-compressed and
// carry a checksum (a torn or corrupt entry is detected, reported once and
// recomputed), are written under a temporary name and
// renamed (concurrent runs never read half an entry), and are touched when
// used, so a size bound evicts the least recently used first.
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_CACHE_H
#define KDLINT_CACHE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kdlint {

class ResultCache {
public:
  /// \p MaxBytes: evict down to this size in evict() (0: no bound).
  ResultCache(std::string Dir, uint64_t MaxBytes);

  /// $XDG_CACHE_HOME/kdlint, else ~/.cache/kdlint.
  static std::string defaultDir();
  /// "123", "64K", "500M", "2G" in bytes; nullopt if malformed.
  static std::optional<uint64_t> parseSize(llvm::StringRef S);

  /// The key of a TU: a hash of everything but the files it reads.
  static std::string key(llvm::ArrayRef<llvm::StringRef> Parts);

  /// The cached payload of \p Key if every file it read is unchanged.
  /// A corrupt entry is removed and reported through \p Warn once.
  std::optional<std::string> lookup(llvm::StringRef Key, std::string &Warn);
  /// Stores \p Payload under \p Key with the files \p Deps (absolute paths)
  /// and their current contents. Failures are silent (the cache is an
  /// optimization); returns whether it was stored.
  bool store(llvm::StringRef Key, llvm::ArrayRef<std::string> Deps,
             llvm::StringRef Payload);
  /// Removes the least recently used entries until the directory holds at
  /// most MaxBytes. Returns how many were removed.
  unsigned evict();

  const std::string &dir() const { return Dir; }

private:
  std::string pathOf(llvm::StringRef Key) const;
  /// The hash of a file's content, memoized for the run (files do not change
  /// under a run); nullopt if it cannot be read.
  std::optional<uint64_t> fileHash(llvm::StringRef Path);
  struct FileStat {
    uint64_t Size, MTime; ///< bytes; nanoseconds since the epoch
  };
  /// Size and modification time, memoized for the run.
  std::optional<FileStat> fileStat(llvm::StringRef Path);

  std::string Dir;
  uint64_t MaxBytes;
  std::mutex Mu;
  llvm::StringMap<std::optional<uint64_t>> Hashes;
  llvm::StringMap<std::optional<FileStat>> Stats;
};

} // namespace kdlint

#endif

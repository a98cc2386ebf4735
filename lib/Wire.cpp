//===- Wire.cpp - Between kdlint's processes ------------------------------===//
#include "Wire.h"
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <malloc.h>
#include <unistd.h>

using namespace llvm;

namespace kdlint {

void putU64(std::string &B, uint64_t V) { B.append(reinterpret_cast<char *>(&V), 8); }

void putStr(std::string &B, StringRef S) {
  putU64(B, S.size());
  B.append(S.data(), S.size());
}

bool getU64(StringRef &B, uint64_t &V) {
  if (B.size() < 8)
    return false;
  memcpy(&V, B.data(), 8);
  B = B.drop_front(8);
  return true;
}

bool getStr(StringRef &B, std::string &S) {
  uint64_t N;
  if (!getU64(B, N) || B.size() < N)
    return false;
  S = B.take_front(N).str();
  B = B.drop_front(N);
  return true;
}

void putStrs(std::string &B, ArrayRef<const char *> V) {
  putU64(B, V.size());
  for (const char *S : V)
    putStr(B, S);
}

bool getStrs(StringRef &B, std::vector<std::string> &V) {
  uint64_t N;
  if (!getU64(B, N) || N > B.size() / 8) // each string takes 8 bytes at least
    return false;
  V.resize(N);
  for (std::string &S : V)
    if (!getStr(B, S))
      return false;
  return true;
}

bool writeAll(int Fd, StringRef B) {
  while (!B.empty()) {
    ssize_t N = ::write(Fd, B.data(), B.size());
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    B = B.drop_front(N);
  }
  return true;
}

bool readAll(int Fd, void *Data, size_t Size) {
  char *P = static_cast<char *>(Data);
  while (Size) {
    ssize_t N = ::read(Fd, P, Size);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    P += N;
    Size -= N;
  }
  return true;
}

uint64_t residentBytes() {
  unsigned long Pages = 0, Resident = 0;
  if (FILE *F = fopen("/proc/self/statm", "r")) {
    if (fscanf(F, "%lu %lu", &Pages, &Resident) != 2)
      Resident = 0;
    fclose(F);
  }
  return uint64_t(Resident) * uint64_t(sysconf(_SC_PAGESIZE));
}

void keepFreedMemory() {
#ifdef M_TRIM_THRESHOLD
  ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

} // namespace kdlint

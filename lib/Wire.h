//===- Wire.h - Between kdlint's processes ----------------------*- C++ -*-===//
//
// What the driver and its forked workers, and the server and its clients,
// send each other: little-endian-as-the-host u64s and length-prefixed
// strings, over pipes and sockets, read and written whole; and what their
// workers share.
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_LIB_WIRE_H
#define KDLINT_LIB_WIRE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kdlint {

void putU64(std::string &B, uint64_t V);
void putStr(std::string &B, llvm::StringRef S);
/// Take a u64 / a string off the front of \p B; false if \p B is too short.
bool getU64(llvm::StringRef &B, uint64_t &V);
bool getStr(llvm::StringRef &B, std::string &S);

/// A list of strings: its count, then each string.
void putStrs(std::string &B, llvm::ArrayRef<const char *> V);
bool getStrs(llvm::StringRef &B, std::vector<std::string> &V);

/// write() / read() until all of it is done (EINTR retried); false on an
/// error or, for readAll, an end of file first.
bool writeAll(int Fd, llvm::StringRef B);
bool readAll(int Fd, void *Data, size_t Size);

/// This process's resident set, in bytes (0 where /proc is not).
uint64_t residentBytes();

/// For a worker that runs job after job: malloc keeps what a job freed for
/// the next one, rather than give it back to the system and fault it in
/// again.
void keepFreedMemory();

} // namespace kdlint

#endif

//===- Lsp.h - The Language Server's message framing ----------*- C++ -*-===//
#ifndef KDLINT_LSP_H
#define KDLINT_LSP_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <optional>
#include <string>

namespace kdlint {

/// Splits a byte stream into JSON-RPC messages framed as the Language Server
/// Protocol frames them (`Content-Length: N\r\n` headers, an empty line, N
/// bytes of JSON). Bytes are fed as they arrive; next() returns each complete
/// message. A malformed header or body yields an error and the reader
/// resynchronises at the next header; it never reads past what it was given.
class MessageReader {
public:
  struct Message {
    std::optional<llvm::json::Value> Value; ///< set if the body parsed
    std::string Error;                      ///< why not, otherwise
  };

  void feed(llvm::StringRef Bytes) { Buf.append(Bytes.data(), Bytes.size()); }
  /// The next complete message, or nothing until more bytes arrive.
  std::optional<Message> next();
  /// Bodies larger than this are refused (and skipped).
  static constexpr size_t MaxBody = 64 << 20;

private:
  std::string Buf;
  size_t Skip = 0; ///< bytes of an oversized body still to drop
};

/// `Content-Length: N\r\n\r\n` and the JSON text of \p V.
std::string frameMessage(const llvm::json::Value &V);

} // namespace kdlint

#endif

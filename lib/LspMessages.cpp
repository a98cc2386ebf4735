//===- LspMessages.cpp - LSP message framing -------------------------------===//
//
// Kept apart from the server (and from Clang) so that the fuzzer
// (test/fuzz/MessageReaderFuzzer.cpp) links this file and LLVM Support only.
//
//===----------------------------------------------------------------------===//
#include "kdlint/Lsp.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace kdlint {

std::optional<MessageReader::Message> MessageReader::next() {
  for (;;) {
    if (Skip) {
      size_t N = std::min(Skip, Buf.size());
      Buf.erase(0, N);
      Skip -= N;
      if (Skip)
        return std::nullopt;
    }
    size_t End = Buf.find("\r\n\r\n");
    if (End == std::string::npos) {
      if (Buf.size() > 65536) { // no header ends: not LSP framing at all
        Buf.clear();
        return Message{std::nullopt, "header section longer than 64 KiB"};
      }
      return std::nullopt;
    }
    StringRef Header(Buf.data(), End);
    std::optional<uint64_t> Length;
    bool Bad = false;
    SmallVector<StringRef, 4> Lines;
    Header.split(Lines, "\r\n");
    for (StringRef L : Lines) {
      auto [Name, Value] = L.split(':');
      if (Name.trim().equals_insensitive("content-length")) {
        uint64_t N;
        if (Value.trim().getAsInteger(10, N))
          Bad = true;
        else
          Length = N;
      }
    }
    if (Bad || !Length) {
      Buf.erase(0, End + 4);
      return Message{std::nullopt, Bad ? "bad Content-Length header"
                                       : "message without a Content-Length header"};
    }
    if (*Length > MaxBody) {
      Buf.erase(0, End + 4);
      Skip = *Length;
      return Message{std::nullopt, "message larger than 64 MiB"};
    }
    if (Buf.size() < End + 4 + *Length)
      return std::nullopt;
    Message M;
    Expected<json::Value> V = json::parse(StringRef(Buf.data() + End + 4, *Length));
    if (V)
      M.Value = std::move(*V);
    else
      M.Error = toString(V.takeError());
    Buf.erase(0, End + 4 + *Length);
    return M;
  }
}

std::string frameMessage(const json::Value &V) {
  std::string Body;
  raw_string_ostream(Body) << V;
  return "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" + Body;
}

} // namespace kdlint

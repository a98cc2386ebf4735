//===- MessageReaderFuzzer.cpp - libFuzzer target for LSP framing ---------===//
//
// Whatever bytes a client sends, in whatever pieces: the reader never crashes,
// never reads out of bounds (AddressSanitizer), never loops, and re-framing
// what it yields runs too.
//
//===----------------------------------------------------------------------===//
#include "kdlint/Lsp.h"
#include <cstdint>
#include <cstdlib>

using namespace kdlint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef In(reinterpret_cast<const char *>(Data), Size);
  // The first byte chooses where the stream is cut in two.
  size_t Cut = Size ? Data[0] % (Size + 1) : 0;
  MessageReader R;
  unsigned Messages = 0;
  R.feed(In.take_front(Cut));
  while (std::optional<MessageReader::Message> M = R.next())
    if (++Messages > Size + 1)
      abort(); // more messages than bytes: a loop
  R.feed(In.drop_front(Cut));
  while (std::optional<MessageReader::Message> M = R.next()) {
    if (++Messages > Size + 1)
      abort();
    // Re-framing runs too (whether the text parses again is LLVM JSON's
    // business: an out-of-range number prints as inf).
    if (M->Value) {
      MessageReader Again;
      Again.feed(frameMessage(*M->Value));
      (void)Again.next();
    }
  }
  return 0;
}

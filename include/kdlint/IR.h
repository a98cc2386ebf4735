//===- IR.h - The declarations facts name, without Clang types ------------===//
//
// Facts, summaries and checks name functions, struct fields and records
// through these plain entries, never through Clang's declarations: the
// frontend interns one entry per canonical declaration (TUFacts owns them,
// at stable addresses, so a pointer is an identity) with what the analyses
// ask of it. Functions are named by USR (a static function's USR names its
// file), fields by their record and name (FieldRef::Key across TUs).
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_IR_H
#define KDLINT_IR_H

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace kdlint {

/// A place in a file the TU read: the file's index in the TU's table
/// (TUFacts::Files; 0: no place), the byte offset in it, and the 1-based
/// line and column findings and the link's exports print.
struct SourceLoc {
  uint32_t File = 0, Offset = 0, Line = 0, Column = 0;
  bool isValid() const { return File != 0; }
  bool isInvalid() const { return File == 0; }
  bool operator==(const SourceLoc &O) const { return File == O.File && Offset == O.Offset; }
  bool operator!=(const SourceLoc &O) const { return !(*this == O); }
  /// Source order within a file (a function's events, a scope's end);
  /// files by their index, the main file first.
  bool operator<(const SourceLoc &O) const {
    return std::tie(File, Offset) < std::tie(O.File, O.Offset);
  }
};

/// The characters [Begin, Begin + Length) of one file (what a fix replaces).
struct LocRange {
  SourceLoc Begin;
  uint32_t Length = 0;
  bool isValid() const { return Begin.isValid(); }
  bool isInvalid() const { return !isValid(); }
};

/// A struct or union: its name as written (empty for an anonymous one).
struct RecordRef {
  std::string Name;
};

/// A struct field: its record and its name, and the key that names it across
/// the TUs of a run (record, the file that defines it, field;
/// empty for a field of an unnamed record).
struct FieldRef {
  std::string Name;
  const RecordRef *Parent = nullptr;
  std::string Key;
};

/// A function the TU declares or defines.
struct FunctionRef {
  std::string Name;
  /// Clang's USR: "c:@F@foo", and for a static function "c:foo.c@F@foo".
  std::string Usr;
  /// The TU has its definition (possibly a header's, whose body was skipped).
  bool Defined = false;
  bool ExternallyVisible = false;
  /// The parameters' names, in order ("" for an unnamed one).
  std::vector<std::string> Params;
  bool ReturnsPointer = false, ReturnsInteger = false;
  /// The section it is placed in (__init: ".init.text"), or empty.
  std::string Section;
  unsigned numParams() const { return static_cast<unsigned>(Params.size()); }
  /// This function when the TU defines it, else null (Clang's getDefinition()).
  const FunctionRef *definition() const { return Defined ? this : nullptr; }
};

} // namespace kdlint

#endif

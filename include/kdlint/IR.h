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

#include <string>
#include <vector>

namespace kdlint {

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

//===- Check.h - A check: a small rule over facts and summaries -----------===//
#ifndef KDLINT_CHECK_H
#define KDLINT_CHECK_H

#include "kdlint/Analysis.h"
#include "llvm/ADT/StringMap.h"
#include <functional>
#include <memory>

namespace kdlint {

struct Note {
  clang::SourceLocation Loc;
  std::string Text;
};

/// Where checks send their findings (the reporter applies NOLINT, formats
/// them as clang does and counts them).
class DiagnosticSink {
public:
  virtual ~DiagnosticSink() = default;
  virtual void report(llvm::StringRef Check, clang::SourceLocation Loc,
                      const std::string &Message,
                      const std::vector<Note> &Notes) = 0;
};

/// Options as `<check-name>.<option>: value` from the config file.
using CheckOptions = llvm::StringMap<std::string>;

class Check {
public:
  virtual ~Check() = default;
  virtual llvm::StringRef name() const = 0;
  virtual llvm::StringRef summary() const = 0;
  virtual void configure(const CheckOptions &Opts) {}
  virtual void run(const TUAnalysis &A, DiagnosticSink &Out) = 0;

protected:
  /// The option `<name>.<Key>` or \p Default.
  std::string option(const CheckOptions &Opts, llvm::StringRef Key,
                     llvm::StringRef Default) const;
};

struct CheckInfo {
  const char *Name;
  std::function<std::unique_ptr<Check>()> Create;
};
/// Every check kdlint has, in a stable order.
const std::vector<CheckInfo> &allChecks();

} // namespace kdlint

#endif

//===- CheckRegistry.cpp - The list of checks -----------------------------===//

#include "kdlint/Check.h"

namespace kdlint {

std::unique_ptr<Check> createSleepInAtomicCheck();

std::string Check::option(const CheckOptions &Opts, llvm::StringRef Key,
                          llvm::StringRef Default) const {
  auto It = Opts.find((name() + "." + Key).str());
  return It == Opts.end() ? Default.str() : It->second;
}

const std::vector<CheckInfo> &allChecks() {
  static const std::vector<CheckInfo> Checks = {
      {"kernel-sleep-in-atomic", createSleepInAtomicCheck},
  };
  return Checks;
}

} // namespace kdlint

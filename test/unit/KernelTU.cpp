//===- KernelTU.cpp - Unit-test snippets parsed against a real kernel tree -===//

#include "KernelTU.h"
#include "kdlint/Driver.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>

#ifndef KDLINT_DEFAULT_CACHE
#define KDLINT_DEFAULT_CACHE "/var/cache/kdlint"
#endif

namespace kdlint {
namespace test {

const FunctionFacts *KernelTU::fn(llvm::StringRef Name) const {
  for (const auto &F : Facts.Functions)
    if (F->Name == Name)
      return F.get();
  return nullptr;
}


std::string unitKernelVersion() {
  const char *V = std::getenv("KDLINT_UNIT_KERNEL");
  return V && *V ? V : "6.12";
}

std::unique_ptr<KernelTU> parseKernelTU(llvm::StringRef Code, std::string &Skip) {
  const char *Cache = std::getenv("KDLINT_CACHE");
  std::string Dir = Cache && *Cache ? Cache : KDLINT_DEFAULT_CACHE;
  std::string Version = unitKernelVersion();
  std::string FlagsFile = Dir + "/kbuild-" + Version + ".flags";
  auto Buf = llvm::MemoryBuffer::getFile(FlagsFile);
  if (!Buf) {
    Skip = FlagsFile + " is missing (run scripts/prepare-kernels.sh " + Version +
           "): the snippets of this test compile against a real kernel tree";
    return nullptr;
  }
  auto TU = std::make_unique<KernelTU>();
  TU->Version = Version;
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  (*Buf)->getBuffer().split(Lines, '\n', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Args{"clang"};
  for (llvm::StringRef L : Lines) {
    L = L.trim();
    if (L.empty())
      continue;
    if (TU->KernelDir.empty())
      TU->KernelDir = L.str();
    else
      Args.push_back(L.str());
  }
  // As the driver does: drop what clang cannot take, add -w.
  Args = sanitizeArgs(Args);
  Args.erase(Args.begin()); // buildASTFromCodeWithArgs adds the tool name

  llvm::Expected<Model> M = Model::builtin();
  if (!M) {
    TU->Errors = llvm::toString(M.takeError());
    return TU;
  }
  TU->M = std::move(*M);
  // The probe source makes the TU evaluate GFP_KERNEL and friends itself.
  std::string Source = Code.str() + probeSource(TU->M);

  // Kbuild's flags are relative to the kernel dir (-I./include, -include
  // ./include/linux/kconfig.h): a one-command database run from there, on a
  // file system of its own (the process-wide one would chdir()).
  std::string File = TU->KernelDir + "/kdlint-unit-snippet.c";
  clang::tooling::FixedCompilationDatabase DB(TU->KernelDir, Args);
  clang::tooling::ClangTool Tool(DB, {File},
                                 std::make_shared<clang::PCHContainerOperations>(),
                                 llvm::vfs::createPhysicalFileSystem());
  Tool.mapVirtualFile(File, Source);
  TU->ErrOS = std::make_unique<llvm::raw_string_ostream>(TU->Errors);
  TU->Printer = std::make_unique<clang::TextDiagnosticPrinter>(
      *TU->ErrOS, new clang::DiagnosticOptions());
  Tool.setDiagnosticConsumer(TU->Printer.get());
  Tool.setPrintErrorMessage(false);
  std::vector<std::unique_ptr<clang::ASTUnit>> ASTs;
  Tool.buildASTs(ASTs);
  if (ASTs.size() == 1)
    TU->AST = std::move(ASTs.front());
  TU->ErrOS->flush();
  if (!TU->AST) {
    if (TU->Errors.empty())
      TU->Errors = "the snippet did not parse";
    return TU;
  }
  if (TU->AST->getDiagnostics().hasErrorOccurred()) {
    if (TU->Errors.empty())
      TU->Errors = "the snippet has errors";
    return TU;
  }
  TU->Facts = extractFacts(TU->AST->getASTContext(), TU->M);
  TU->Analysis = std::make_unique<TUAnalysis>(TU->Facts, TU->M);
  TU->Analysis->run();
  return TU;
}

} // namespace test
} // namespace kdlint

//===- Frontend.h - From a parsed TU to its facts -------------*- C++ -*-===//
//
// The only layer that sees Clang: what declarations say that clang drops
// (__iomem, sparse's context annotations), the CFG walk that turns every
// function of the main file into facts (Facts.h, IR.h), and the table that turns the
// facts' places back into Clang's locations for the diagnostics printer.
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_FRONTEND_H
#define KDLINT_FRONTEND_H

#include "kdlint/Facts.h"
#include "kdlint/Finding.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include <deque>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Decl;
class FunctionDecl;
class SourceManager;
} // namespace clang

namespace kdlint {

/// Which declarations are __iomem: sparse's I/O address-space qualifier,
/// which clang builds expand to nothing, so the declaration's text says it
/// (raw lexing; also for one read from a precompiled header prefix).
class IomemIndex {
public:
  /// \p Spelling: the model's (spellings: iomem).
  explicit IomemIndex(std::string Spelling) : Spelling(std::move(Spelling)) {}
  /// Whether \p D is declared with the qualifier before its name.
  bool declares(const clang::Decl *D, const clang::SourceManager &SM) const;

private:
  std::string Spelling;
  mutable llvm::DenseMap<const clang::Decl *, bool> Cache;
};

/// sparse's context annotations on a function's declarations (__releases(x),
/// __acquires(x), __must_hold(x)): clang builds expand them to nothing, so
/// they are read from the declarations' text with their arguments as written.
class AnnotationIndex {
public:
  /// \p Names: the model's (spellings: releases, acquires, must-hold).
  explicit AnnotationIndex(std::vector<std::string> Names) : Names(std::move(Names)) {}
  struct Entry {
    clang::SourceLocation Loc;
    std::string Macro; ///< "__releases"
    std::string Arg;   ///< "&priv->lock"
  };
  /// The annotations written inside \p D's declarations (any redeclaration).
  std::vector<const Entry *> of(const clang::FunctionDecl *D,
                                const clang::SourceManager &SM) const;

private:
  std::vector<const Entry *> inDeclaration(const clang::FunctionDecl *R,
                                           const clang::SourceManager &SM) const;
  std::vector<std::string> Names;
  mutable std::deque<Entry> Found; ///< stable addresses
  mutable llvm::DenseMap<const clang::FunctionDecl *, std::vector<const Entry *>> Of;
};

/// Where \p L is, as a file (absolute, dots removed), line and column: what
/// findings and the link's exports record.
SourcePlace placeOf(const clang::SourceManager &SM, clang::SourceLocation L);

/// \p Name (a file the TU read) absolute, with dots removed: how facts,
/// findings, exports and the cache name files.
std::string absolutePath(const clang::SourceManager &SM, llvm::StringRef Name);

/// The files of a TU's facts as Clang knows them: SourceLoc <-> SourceLocation.
class SourceFiles {
public:
  SourceFiles(const clang::SourceManager &SM, TUFacts &T) : SM(SM), T(&T) {}
  /// Files added from now on go to \p Other's table instead (a copy of the
  /// facts, whose table is the same so far: KDLINT_FACTS_ROUNDTRIP).
  void attach(TUFacts &Other) { T = &Other; }
  /// \p L's file location as a place of the facts (its file added to the
  /// table on first use).
  SourceLoc place(clang::SourceLocation L);
  /// The characters [B, E) as a range of the facts (file locations of one
  /// file; invalid otherwise).
  LocRange range(clang::SourceLocation B, clang::SourceLocation E);
  /// A place of the facts as a Clang location (invalid if unknown).
  clang::SourceLocation location(SourceLoc L) const;
  /// Line \p Line, column \p Column of \p FID (a file loaded for another TU's
  /// evidence) as a place of the facts.
  SourceLoc place(clang::FileID FID, unsigned Line, unsigned Column);

private:
  const clang::SourceManager &SM;
  TUFacts *T;
  std::vector<clang::FileID> IDs{clang::FileID()};
  llvm::DenseMap<clang::FileID, unsigned> Index;
  unsigned indexOf(clang::FileID FID);
};

/// Extracts the facts of every function defined in the main file.
/// Into \p T, whose places \p Files (made for T) turns back into Clang's.
void extractFacts(clang::ASTContext &Ctx, const Model &M, TUFacts &T,
                  SourceFiles &Files, const IomemIndex *Iomem = nullptr,
                  const AnnotationIndex *Annotations = nullptr);
/// The same, for a caller that never needs Clang's locations back.
TUFacts extractFacts(clang::ASTContext &Ctx, const Model &M,
                     const IomemIndex *Iomem = nullptr,
                     const AnnotationIndex *Annotations = nullptr);

/// The C source appended to the main file so the TU evaluates the model's
/// probe macros with its own definitions (see docs/design.md).
std::string probeSource(const Model &M);

} // namespace kdlint

#endif

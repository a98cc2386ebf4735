#!/bin/sh
# The IR layer is Clang-free (issue 10): facts, summaries, analyses, the link
# and the checks name no Clang type and include no Clang header; only the
# frontend (Frontend.h, Facts.cpp, the walker) and the driver see Clang.
# Prints each offending line; fails if there is one.
cd "$(dirname "$0")/../.." || exit 2
files="include/kdlint/IR.h include/kdlint/Facts.h include/kdlint/Analysis.h
       include/kdlint/Resources.h include/kdlint/Check.h include/kdlint/Dataflow.h
       include/kdlint/Finding.h include/kdlint/Model.h
       lib/Analysis.cpp lib/Resources.cpp lib/Link.cpp lib/FactsIO.cpp
       lib/CheckRegistry.cpp checks/*.cpp"
if grep -n -E '#include "clang/|clang::|using namespace clang' $files; then
  echo "layering: the lines above bring Clang into the IR layer"
  exit 1
fi
echo "layering: $(echo $files | wc -w) files of the IR layer, no Clang"

//===- Server.h - Warm workers for one-file-per-call runs -------*- C++ -*-===//
//
// `make C=1 CHECK=kdlint` starts kdlint once per file. Each start reads the
// kernel headers and faults in a fresh heap; within one run over a tree, a
// worker's heap serves TU after TU. `kdlint --server` gives one-file calls
// the same: the call hands its command line, working directory, environment
// and standard streams to a server for this kdlint binary (started on the
// first call, gone after --server-idle seconds without work), whose worker
// processes run call after call, and exits with the worker's exit code.
//
// The server listens on a Unix socket in a directory only its user can open:
// $KDLINT_SERVER_DIR, else $XDG_RUNTIME_DIR/kdlint, else /tmp/kdlint-<uid>.
// Its name is a hash of the binary (path, size, modification time, inode), so a
// rebuilt kdlint starts a server of its own; the model is built into the
// binary, and config and --model files are read at each call.
//
// Nothing is lost when the server cannot serve: if none can be reached or
// started, or its worker ends before it answers (a crash, the time limit),
// the call runs the file itself, with the isolation and the time limit of a
// call without --server.
//
//===----------------------------------------------------------------------===//
#ifndef KDLINT_SERVER_H
#define KDLINT_SERVER_H

#include "llvm/ADT/ArrayRef.h"
#include <functional>
#include <optional>
#include <string>

namespace kdlint {

struct ServerOptions {
  /// --server-idle: the server exits after this many seconds without a call.
  unsigned IdleSeconds = 900;
  /// --server-workers: calls run at once (0: one per CPU).
  unsigned Workers = 0;
};

/// What a worker runs for a call: kdlint's command line, as main() would;
/// \p StateDir is a directory the server keeps for its life (in the system's
/// temporary directory; the shared prefixes its calls learn: PrefixStore.h).
using ServerMain =
    std::function<int(int Argc, const char **Argv, const std::string &StateDir)>;

/// The socket of the server for this binary; empty, with \p Why set, if
/// there is no private directory for it.
std::string serverSocketPath(std::string &Why);

/// Runs \p Args (argv, without the server options) on the server, starting
/// it if none runs. Returns the call's exit code, or std::nullopt, with
/// \p Why set, when the caller must run it itself.
std::optional<int> runOnServer(llvm::ArrayRef<const char *> Args,
                               const ServerOptions &SO, std::string &Why);

/// `--stop-server`: asks the server for this binary to exit. Returns an exit
/// code (0 also when none runs).
int stopServer();

/// The server: serves calls on \p ListenFd, a listening socket bound to
/// \p Path, until it is stopped or idle; returns an exit code. With
/// \p ListenFd < 0 it binds \p Path itself (`--server-foreground`, for
/// benchmarks that time the server as their child).
int serve(int ListenFd, const std::string &Path, const ServerOptions &SO,
          ServerMain Main);

} // namespace kdlint

#endif

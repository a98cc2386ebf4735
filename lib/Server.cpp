//===- Server.cpp - Warm workers for one-file-per-call runs ---------------===//
//
// The server is a parent that keeps worker processes, each forked from it,
// and each accepting calls on the shared listening socket one after another
// (the parent accepts none). A call is: one byte carrying the caller's
// stdin, stdout and stderr (SCM_RIGHTS), then a frame: the kind of call, the
// command line, the working directory, the environment and the umask. The
// answer is the exit code (a u64). A worker runs the call on those streams,
// in that directory and environment, through the same main() a process of
// its own would run, and tells the parent when it starts and ends one, so
// that the parent knows when it has been idle.
//
//===----------------------------------------------------------------------===//

#include "kdlint/Server.h"
#include "kdlint/Driver.h"
#include "Wire.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

extern char **environ;

using namespace llvm;

namespace kdlint {

namespace {

enum CallKind : uint64_t { CallRun = 0, CallStop = 1 };

/// A worker runs at most this many calls, and none more once it has grown
/// this much: what clang and kdlint keep between TUs only grows.
constexpr unsigned ServerWorkerMaxJobs = 256;
constexpr uint64_t ServerWorkerMaxGrowth = uint64_t(2) << 30;

/// What a worker tells the parent (atomic: smaller than PIPE_BUF).
struct Note {
  char Kind; ///< 'B' a call begins, 'E' it ended, 'S' stop the server
  int32_t Pid;
};

bool trace() { return getenv("KDLINT_TRACE_SERVER"); }

/// The private directory the socket lives in; empty with \p Why set if it
/// cannot be made or is not this user's alone.
std::string socketDir(std::string &Why) {
  std::string Dir;
  if (const char *D = getenv("KDLINT_SERVER_DIR"); D && *D)
    Dir = D;
  else if (const char *R = getenv("XDG_RUNTIME_DIR"); R && *R)
    Dir = std::string(R) + "/kdlint";
  else
    Dir = "/tmp/kdlint-" + std::to_string(::getuid());
  if (::mkdir(Dir.c_str(), 0700) != 0 && errno != EEXIST) {
    Why = "cannot create '" + Dir + "': " + strerror(errno);
    return "";
  }
  struct stat St;
  if (::lstat(Dir.c_str(), &St) != 0 || !S_ISDIR(St.st_mode) || St.st_uid != ::getuid() ||
      (St.st_mode & 077)) {
    Why = "'" + Dir + "' is not a directory of this user's alone";
    return "";
  }
  return Dir;
}

/// \p Path as a socket address; false if it is too long for one.
bool socketAddress(const std::string &Path, sockaddr_un &A) {
  A = {};
  A.sun_family = AF_UNIX;
  if (Path.size() >= sizeof A.sun_path)
    return false;
  memcpy(A.sun_path, Path.c_str(), Path.size() + 1);
  return true;
}

int connectTo(const std::string &Path) {
  sockaddr_un A;
  if (!socketAddress(Path, A))
    return -1;
  int Fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (Fd < 0)
    return -1;
  if (::connect(Fd, reinterpret_cast<sockaddr *>(&A), sizeof A) != 0) {
    ::close(Fd);
    return -1;
  }
  return Fd;
}

int listenOn(const std::string &Path, std::string &Why) {
  sockaddr_un A;
  if (!socketAddress(Path, A)) {
    Why = "socket path too long: '" + Path + "'";
    return -1;
  }
  int Fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (Fd < 0 || ::bind(Fd, reinterpret_cast<sockaddr *>(&A), sizeof A) != 0 ||
      ::listen(Fd, 128) != 0) {
    Why = "cannot listen on '" + Path + "': " + strerror(errno);
    if (Fd >= 0)
      ::close(Fd);
    return -1;
  }
  return Fd;
}

/// A message of one byte, \p Byte, with room for three descriptors.
struct StreamsMessage {
  iovec V;
  alignas(cmsghdr) char Ctl[CMSG_SPACE(3 * sizeof(int))] = {};
  msghdr M = {};
  explicit StreamsMessage(char &Byte) : V{&Byte, 1} {
    M.msg_iov = &V;
    M.msg_iovlen = 1;
    M.msg_control = Ctl;
    M.msg_controllen = sizeof Ctl;
  }
};

/// Sends the call: one byte with the three streams, then the frame.
bool sendCall(int Fd, CallKind Kind, ArrayRef<const char *> Args) {
  std::string P;
  putU64(P, Kind);
  putStrs(P, Args);
  SmallString<256> Cwd;
  if (sys::fs::current_path(Cwd))
    return false;
  putStr(P, Cwd);
  std::vector<const char *> Env;
  for (char **E = environ; E && *E; ++E)
    Env.push_back(*E);
  putStrs(P, Env);
  mode_t Mask = ::umask(0);
  ::umask(Mask);
  putU64(P, Mask);

  int Streams[3];
  int Null = -1;
  for (int I = 0; I < 3; ++I) {
    if (::fcntl(I, F_GETFD) != -1) {
      Streams[I] = I;
      continue;
    }
    if (Null < 0)
      Null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    Streams[I] = Null;
  }
  char Byte = 'K';
  StreamsMessage SM(Byte);
  msghdr &M = SM.M;
  cmsghdr *C = CMSG_FIRSTHDR(&M);
  C->cmsg_level = SOL_SOCKET;
  C->cmsg_type = SCM_RIGHTS;
  C->cmsg_len = CMSG_LEN(sizeof Streams);
  memcpy(CMSG_DATA(C), Streams, sizeof Streams);
  ssize_t N;
  do
    N = ::sendmsg(Fd, &M, MSG_NOSIGNAL);
  while (N < 0 && errno == EINTR);
  if (Null >= 0)
    ::close(Null);
  if (N != 1)
    return false;
  std::string Frame;
  putU64(Frame, P.size());
  Frame += P;
  struct sigaction Ignore = {}, Old;
  Ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &Ignore, &Old); // a server gone: write() fails
  bool Sent = writeAll(Fd, Frame);
  ::sigaction(SIGPIPE, &Old, nullptr);
  return Sent;
}

/// A call as a worker receives it.
struct Call {
  uint64_t Kind = CallRun;
  int Streams[3] = {-1, -1, -1};
  std::vector<std::string> Args, Env;
  std::string Cwd;
  uint64_t Umask = 022;
};

bool receiveCall(int Fd, Call &C) {
  char Byte;
  StreamsMessage SM(Byte);
  msghdr &M = SM.M;
  ssize_t N;
  do
    N = ::recvmsg(Fd, &M, MSG_CMSG_CLOEXEC);
  while (N < 0 && errno == EINTR);
  if (N != 1)
    return false;
  for (cmsghdr *H = CMSG_FIRSTHDR(&M); H; H = CMSG_NXTHDR(&M, H))
    if (H->cmsg_level == SOL_SOCKET && H->cmsg_type == SCM_RIGHTS &&
        H->cmsg_len == CMSG_LEN(sizeof C.Streams))
      memcpy(C.Streams, CMSG_DATA(H), sizeof C.Streams);
  uint64_t Size;
  std::string P;
  if (C.Streams[2] < 0 || !readAll(Fd, &Size, 8) || Size > (uint64_t(1) << 30))
    return false;
  P.resize(Size);
  if (!readAll(Fd, P.data(), Size))
    return false;
  StringRef B = P;
  return getU64(B, C.Kind) && getStrs(B, C.Args) && getStr(B, C.Cwd) &&
         getStrs(B, C.Env) && getU64(B, C.Umask);
}

void closeStreams(Call &C) {
  for (int &Fd : C.Streams)
    if (Fd >= 0) {
      ::close(Fd);
      Fd = -1;
    }
}

/// The call a worker is on: where its exit code goes if it calls exit()
/// (`--help`, `--version`, a fatal error) rather than return from main.
int CallFd = -1;

void answerOnExit(int Status, void *) {
  if (CallFd < 0)
    return;
  outs().flush();
  errs().flush();
  std::string A;
  putU64(A, uint64_t(Status));
  writeAll(CallFd, A);
}

/// Colour is decided per call, by the streams the call brought (LLVM's
/// default remembers what the first stream it asked about was).
bool streamHasColors(const raw_ostream &OS) {
  if (&OS == &errs())
    return sys::Process::FileDescriptorHasColors(2);
  if (&OS == &outs())
    return sys::Process::FileDescriptorHasColors(1);
  return OS.has_colors();
}

/// Runs one call on its streams, in its directory and environment.
int runCall(Call &C, const ServerMain &Main, const std::string &State, unsigned Served) {
  for (int I = 0; I < 3; ++I)
    ::dup2(C.Streams[I], I);
  closeStreams(C);
  std::vector<char *> Env;
  for (std::string &E : C.Env)
    Env.push_back(E.data());
  Env.push_back(nullptr);
  char **ServerEnv = environ;
  environ = Env.data();
  ::umask(mode_t(C.Umask));
  int R;
  if (::chdir(C.Cwd.c_str()) != 0) {
    WithColor::error(errs(), "kdlint")
        << "the server cannot enter '" << C.Cwd << "': " << strerror(errno) << "\n";
    R = ExitUsage;
  } else {
    if (trace())
      errs() << "kdlint: served by worker " << ::getpid() << ", call " << Served << "\n";
    std::vector<const char *> Argv;
    for (const std::string &A : C.Args)
      Argv.push_back(A.c_str());
    Argv.push_back(nullptr);
    cl::ResetAllOptionOccurrences();
    R = Main(int(C.Args.size()), Argv.data(), State);
  }
  outs().flush();
  errs().flush();
  outs().clear_error();
  errs().clear_error();
  // The caller's streams are let go before it is answered.
  int Null = ::open("/dev/null", O_RDWR);
  for (int I = 0; I < 3; ++I)
    ::dup2(Null, I);
  if (Null > 2)
    ::close(Null);
  environ = ServerEnv;
  ::umask(077);
  if (::chdir("/") != 0)
    ::_exit(1);
  return R;
}

void tell(int Fd, char Kind) {
  Note N{Kind, int32_t(::getpid())};
  writeAll(Fd, StringRef(reinterpret_cast<char *>(&N), sizeof N));
}

[[noreturn]] void workerLoop(int ListenFd, int NotesFd, const ServerMain &Main,
                             const std::string &State) {
#ifdef __linux__
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
  keepFreedMemory();
  ::on_exit(answerOnExit, nullptr);
  WithColor::setAutoDetectFunction(streamHasColors);
  const uint64_t Born = residentBytes();
  for (unsigned Served = 1; Served <= ServerWorkerMaxJobs &&
                            residentBytes() <= Born + ServerWorkerMaxGrowth;) {
    int Fd = ::accept4(ListenFd, nullptr, nullptr, SOCK_CLOEXEC);
    if (Fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      ::_exit(1);
    }
    // A caller that connects and sends nothing does not hold a worker.
    timeval T = {10, 0};
    ::setsockopt(Fd, SOL_SOCKET, SO_RCVTIMEO, &T, sizeof T);
    Call C;
    if (!receiveCall(Fd, C)) {
      closeStreams(C);
      ::close(Fd);
      continue;
    }
    int R = 0;
    if (C.Kind == CallRun) {
      tell(NotesFd, 'B');
      CallFd = Fd;
      R = runCall(C, Main, State, Served++);
      CallFd = -1;
    }
    closeStreams(C);
    std::string A;
    putU64(A, uint64_t(R));
    writeAll(Fd, A);
    ::close(Fd);
    // A stop is answered first: the parent ends its workers on it.
    tell(NotesFd, C.Kind == CallStop ? 'S' : 'E');
  }
  ::_exit(0);
}

/// Starts a server on \p Path (this binary again, detached, with the
/// listening socket as fd 3) and returns a connection to it; -1 with \p Why.
int startServer(const std::string &Path, const ServerOptions &SO, std::string &Why) {
  std::string Lock = Path + ".lock";
  int LockFd = ::open(Lock.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (LockFd < 0) {
    Why = "cannot open '" + Lock + "': " + strerror(errno);
    return -1;
  }
  while (::flock(LockFd, LOCK_EX) != 0 && errno == EINTR)
    ;
  // Another call may have started it while this one waited.
  int Fd = connectTo(Path);
  if (Fd >= 0) {
    ::close(LockFd);
    return Fd;
  }
  ::unlink(Path.c_str()); // a server that died without removing it
  int Listen = listenOn(Path, Why);
  if (Listen < 0) {
    ::close(LockFd);
    return -1;
  }
  std::string Exe = sys::fs::getMainExecutable(nullptr, nullptr);
  std::string Idle = "--server-idle=" + std::to_string(SO.IdleSeconds);
  std::string Workers = "--server-workers=" + std::to_string(SO.Workers);
  outs().flush();
  pid_t Pid = ::fork();
  if (Pid == 0) {
    ::setsid();
    if (::fork() != 0)
      ::_exit(0);
    // The server holds none of the caller's files (a pipe held open would
    // keep its reader waiting): /dev/null, the socket as fd 3, nothing else.
    int Null = ::open("/dev/null", O_RDWR);
    for (int I = 0; I < 3; ++I)
      ::dup2(Null, I);
    ::dup2(Listen, 3); // dup2 clears close-on-exec
    for (int F = 4; F < 1024; ++F)
      ::close(F);
    if (::chdir("/") != 0)
      ::_exit(127);
    const char *Argv[] = {"kdlint", "--server-daemon=3", Idle.c_str(), Workers.c_str(),
                          nullptr};
    ::execv(Exe.c_str(), const_cast<char **>(Argv));
    ::_exit(127);
  }
  ::close(Listen);
  if (Pid < 0) {
    Why = std::string("cannot fork: ") + strerror(errno);
    ::close(LockFd);
    return -1;
  }
  int St;
  while (::waitpid(Pid, &St, 0) < 0 && errno == EINTR)
    ;
  Fd = connectTo(Path); // queued until a worker accepts it
  if (Fd < 0)
    Why = "cannot connect to the server just started on '" + Path + "'";
  ::close(LockFd);
  return Fd;
}

} // namespace

std::string serverSocketPath(std::string &Why) {
  std::string Dir = socketDir(Why);
  if (Dir.empty())
    return "";
  std::string Exe = sys::fs::getMainExecutable(nullptr, nullptr);
  struct stat St = {};
  if (::stat(Exe.c_str(), &St) != 0) {
    Why = "cannot stat '" + Exe + "'";
    return "";
  }
  std::string Id = Exe + '\0' + std::to_string(St.st_size) + '\0' +
                   std::to_string(St.st_mtim.tv_sec) + '.' +
                   std::to_string(St.st_mtim.tv_nsec) + '\0' + std::to_string(St.st_ino);
  return Dir + "/server-" + utohexstr(xxh3_64bits(Id), /*LowerCase=*/true) + ".sock";
}

std::optional<int> runOnServer(ArrayRef<const char *> Args, const ServerOptions &SO,
                               std::string &Why) {
  std::string Path = serverSocketPath(Why);
  if (Path.empty())
    return std::nullopt;
  int Fd = connectTo(Path);
  if (Fd < 0)
    Fd = startServer(Path, SO, Why);
  if (Fd < 0)
    return std::nullopt;
  outs().flush();
  if (!sendCall(Fd, CallRun, Args)) {
    Why = "the server on '" + Path + "' did not take the call";
    ::close(Fd);
    return std::nullopt;
  }
  uint64_t R;
  bool Answered = readAll(Fd, &R, 8);
  ::close(Fd);
  if (!Answered) {
    Why = "the server's worker ended before it answered";
    return std::nullopt;
  }
  return int(R);
}

int stopServer() {
  std::string Why;
  std::string Path = serverSocketPath(Why);
  if (Path.empty()) {
    WithColor::error(errs(), "kdlint") << Why << "\n";
    return ExitUsage;
  }
  int Fd = connectTo(Path);
  if (Fd < 0)
    return 0; // none runs
  uint64_t R = 0;
  const char *Args[] = {"kdlint"};
  bool Ok = sendCall(Fd, CallStop, Args) && readAll(Fd, &R, 8);
  ::close(Fd);
  if (!Ok) {
    WithColor::error(errs(), "kdlint") << "the server on '" << Path
                                        << "' did not answer\n";
    return ExitUsage;
  }
  // Gone when its socket is: a call made after this starts a new server.
  for (int I = 0; I < 500 && ::access(Path.c_str(), F_OK) == 0; ++I)
    ::usleep(10000);
  return 0;
}

int serve(int ListenFd, const std::string &Path, const ServerOptions &SO,
          ServerMain Main) {
  using Clock = std::chrono::steady_clock;
  if (ListenFd < 0) {
    std::string Why;
    if (int Fd = connectTo(Path); Fd >= 0) {
      ::close(Fd);
      WithColor::error(errs(), "kdlint") << "a server already runs on '" << Path << "'\n";
      return ExitUsage;
    }
    ::unlink(Path.c_str());
    ListenFd = listenOn(Path, Why);
    if (ListenFd < 0) {
      WithColor::error(errs(), "kdlint") << Why << "\n";
      return ExitUsage;
    }
  }
  struct stat Mine = {};
  ::stat(Path.c_str(), &Mine);
  SmallString<128> StateDir;
  if (sys::fs::createUniqueDirectory("kdlint-server", StateDir))
    StateDir.clear(); // calls learn no prefixes
  std::string State(StateDir);
  struct sigaction Ignore = {};
  Ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &Ignore, nullptr); // a caller gone: write() fails
  int Notes[2];
  if (::pipe2(Notes, O_CLOEXEC) != 0)
    return ExitUsage;
  long Cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  unsigned Want = SO.Workers ? SO.Workers : Cpus > 0 ? unsigned(Cpus) : 1u;
  std::map<pid_t, bool> Workers; // pid -> on a call
  auto Spawn = [&] {
    outs().flush();
    pid_t Pid = ::fork();
    if (Pid == 0) {
      ::close(Notes[0]);
      workerLoop(ListenFd, Notes[1], Main, State);
    }
    if (Pid > 0)
      Workers[Pid] = false;
    return Pid > 0;
  };
  Clock::time_point Last = Clock::now();
  bool Stop = false;
  uint64_t Calls = 0;
  while (!Stop) {
    while (Workers.size() < Want && Spawn())
      ; // (a fork that fails is tried again at the next turn)
    pollfd P = {Notes[0], POLLIN, 0};
    ::poll(&P, 1, 1000);
    if (P.revents & POLLIN) {
      Note N[64];
      ssize_t Got = ::read(Notes[0], N, sizeof N);
      for (ssize_t I = 0; Got > 0 && I < Got / ssize_t(sizeof(Note)); ++I) {
        if (N[I].Kind == 'S')
          Stop = true;
        else if (Workers.count(N[I].Pid)) {
          Workers[N[I].Pid] = N[I].Kind == 'B';
          Calls += N[I].Kind == 'E';
        }
        Last = Clock::now();
      }
    }
    int St;
    for (pid_t Pid; (Pid = ::waitpid(-1, &St, WNOHANG)) > 0;) {
      if (Workers.count(Pid) && Workers[Pid])
        Last = Clock::now(); // died on a call
      Workers.erase(Pid);
    }
    bool Busy = false;
    for (auto &W : Workers)
      Busy |= W.second;
    if (!Busy && Clock::now() - Last > std::chrono::seconds(SO.IdleSeconds))
      Stop = true;
  }
  // Its calls end (their callers run them themselves), then its state, then
  // the socket (if it is still this server's: a call that found nobody
  // listening meanwhile has started another), so the socket is gone only
  // when all of it is.
  ::close(ListenFd);
  for (auto &W : Workers)
    ::kill(W.first, SIGTERM);
  int St;
  while (::wait(&St) > 0 || errno == EINTR)
    ;
  if (!State.empty())
    sys::fs::remove_directories(State);
  struct stat Now = {};
  if (::stat(Path.c_str(), &Now) == 0 && Now.st_ino == Mine.st_ino &&
      Now.st_dev == Mine.st_dev)
    ::unlink(Path.c_str());
  if (trace())
    errs() << "kdlint: server on '" << Path << "' served " << Calls << " calls\n";
  return 0;
}

} // namespace kdlint

#include "host/runner/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <utility>

namespace lotse::runner {
namespace {

std::string error_text(int error) { return std::strerror(error); }

// Closes a descriptor on every path out of spawn.
class unique_fd {
 public:
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int get() const noexcept { return fd_; }
  int release() noexcept { return std::exchange(fd_, -1); }
  void reset(int fd) noexcept {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = fd;
  }

 private:
  int fd_;
};

struct spawn_setup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  bool actions_ready = false;
  bool attributes_ready = false;
  spawn_setup() = default;
  spawn_setup(const spawn_setup&) = delete;
  spawn_setup& operator=(const spawn_setup&) = delete;
  ~spawn_setup() {
    if (actions_ready) {
      posix_spawn_file_actions_destroy(&actions);
    }
    if (attributes_ready) {
      posix_spawnattr_destroy(&attributes);
    }
  }
};

// Milliseconds until deadline for poll(), rounded up so a poll never returns just before it and spins.
int poll_timeout(child_process::clock::time_point deadline) {
  const auto left = deadline - child_process::clock::now();
  if (left <= decltype(left)::zero()) {
    return 0;
  }
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return ms > 60'000 ? 60'000 : static_cast<int>(ms);
}

std::string_view meaning_of_exit(int code) {
  switch (code) {
    case protocol::exit_input_closed:
      return "its input was closed";
    case protocol::exit_failed:
      return "the plugin did not load or the runner failed";
    case protocol::exit_usage:
      return "the runner's command line was not accepted";
    case protocol::exit_out_of_memory:
      return "the plugin used up the runner's memory limit";
    case protocol::exit_parent_gone:
      return "the runner lost its host";
    default:
      return {};
  }
}

}  // namespace

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) {
    const int code = WEXITSTATUS(status);
    std::string text = "exited with status " + std::to_string(code);
    if (const std::string_view meaning = meaning_of_exit(code); !meaning.empty()) {
      text += " (" + std::string(meaning) + ")";
    }
    return text;
  }
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* abbreviation = sigabbrev_np(signal);
    const char* description = strsignal(signal);
    std::string text = "was killed by signal " + std::to_string(signal);
    if (abbreviation != nullptr) {
      text += std::string(" (SIG") + abbreviation + (description != nullptr ? std::string(", ") + description : "") +
              ")";
    }
    return text;
  }
  return "ended with wait status " + std::to_string(status);
}

std::variant<child_process, std::string> child_process::spawn(const std::filesystem::path& executable,
                                                              const std::vector<std::string>& arguments,
                                                              const std::vector<std::string>& environment,
                                                              std::size_t max_line_bytes) {
  const auto failed = [&executable](std::string_view what, int error) {
    return "cannot start the plugin runner " + executable.string() + ": " + std::string(what) + ": " +
           error_text(error);
  };
  std::array<int, 2> ends{-1, -1};
  // Close-on-exec on both ends from the start, so a runner spawned concurrently from another thread cannot inherit
  // this pair. One socket is both the runner's stdin and stdout; a socket rather than two pipes so the host can
  // write with MSG_NOSIGNAL instead of touching the process-wide SIGPIPE disposition.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends.data()) != 0) {
    return failed("socketpair", errno);
  }
  unique_fd host_end(ends[0]);
  unique_fd runner_end(ends[1]);
  // dup2 onto the same number would keep close-on-exec set, so the runner's end must not already be 0 or 1 (as it
  // would be in a host started with stdin closed).
  if (runner_end.get() <= STDERR_FILENO) {
    const int moved = ::fcntl(runner_end.get(), F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    if (moved < 0) {
      return failed("fcntl", errno);
    }
    runner_end.reset(moved);
  }

  spawn_setup setup;
  if (int rc = posix_spawn_file_actions_init(&setup.actions); rc != 0) {
    return failed("posix_spawn_file_actions_init", rc);
  }
  setup.actions_ready = true;
  if (int rc = posix_spawnattr_init(&setup.attributes); rc != 0) {
    return failed("posix_spawnattr_init", rc);
  }
  setup.attributes_ready = true;

  sigset_t no_signals;
  sigemptyset(&no_signals);
  sigset_t all_signals;
  sigfillset(&all_signals);
  int rc = posix_spawn_file_actions_adddup2(&setup.actions, runner_end.get(), STDIN_FILENO);
  if (rc == 0) {
    rc = posix_spawn_file_actions_adddup2(&setup.actions, runner_end.get(), STDOUT_FILENO);
  }
  if (rc == 0) {
    // Descriptors the host opened without O_CLOEXEC (a database, a listening socket) must not reach plugin code.
    rc = posix_spawn_file_actions_addclosefrom_np(&setup.actions, STDERR_FILENO + 1);
  }
  if (rc == 0) {
    // The host's server threads may block signals and ignore SIGPIPE; the runner starts from a clean slate.
    rc = posix_spawnattr_setflags(&setup.attributes,
                                  POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  if (rc == 0) {
    rc = posix_spawnattr_setpgroup(&setup.attributes, 0);
  }
  if (rc == 0) {
    rc = posix_spawnattr_setsigmask(&setup.attributes, &no_signals);
  }
  if (rc == 0) {
    rc = posix_spawnattr_setsigdefault(&setup.attributes, &all_signals);
  }
  if (rc != 0) {
    return failed("posix_spawn setup", rc);
  }

  std::vector<std::string> argv_strings;
  argv_strings.reserve(arguments.size() + 1);
  argv_strings.push_back(executable.string());
  argv_strings.insert(argv_strings.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  argv.reserve(argv_strings.size() + 1);
  for (auto& argument : argv_strings) {
    argv.push_back(argument.data());
  }
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = environment;
  std::vector<char*> envp;
  envp.reserve(env_strings.size() + 1);
  for (auto& entry : env_strings) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);

  pid_t pid = -1;
  // glibc reports a failed exec (e.g. ENOENT) as posix_spawn's result, so no half-started child is left behind.
  rc = posix_spawn(&pid, argv_strings.front().c_str(), &setup.actions, &setup.attributes, argv.data(), envp.data());
  if (rc != 0) {
    return failed("posix_spawn", rc);
  }
  // Only the host's end stays open here: the runner's end closing is what tells the host the runner is gone.
  runner_end.reset(-1);

  const int flags = ::fcntl(host_end.get(), F_GETFL);
  if (flags < 0 || ::fcntl(host_end.get(), F_SETFL, flags | O_NONBLOCK) < 0) {
    const int error = errno;
    child_process orphan(pid, host_end.release(), max_line_bytes);
    orphan.kill_and_reap();
    return failed("fcntl", error);
  }
  return child_process(pid, host_end.release(), max_line_bytes);
}

child_process::child_process(pid_t pid, int fd, std::size_t max_line_bytes)
    : pid_(pid), fd_(fd), lines_(max_line_bytes) {}

child_process::child_process(child_process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      fd_(std::exchange(other.fd_, -1)),
      lines_(std::move(other.lines_)),
      eof_(other.eof_) {}

child_process& child_process::operator=(child_process&& other) noexcept {
  if (this != &other) {
    release();
    pid_ = std::exchange(other.pid_, -1);
    fd_ = std::exchange(other.fd_, -1);
    lines_ = std::move(other.lines_);
    eof_ = other.eof_;
  }
  return *this;
}

child_process::~child_process() { release(); }

void child_process::release() noexcept {
  if (pid_ > 0) {
    try {
      kill_and_reap();
    } catch (...) {
      // Only building the description can throw (bad_alloc); the process is killed and reaped before that.
    }
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

child_process::io_status child_process::write_all(std::string_view bytes, clock::time_point deadline) {
  while (!bytes.empty()) {
    const ssize_t written = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (written >= 0) {
      bytes.remove_prefix(static_cast<std::size_t>(written));
      continue;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return io_status::closed;  // EPIPE, ECONNRESET: the runner is gone
    }
    pollfd entry{fd_, POLLOUT, 0};
    const int ready = ::poll(&entry, 1, poll_timeout(deadline));
    if (ready < 0 && errno != EINTR) {
      return io_status::closed;
    }
    if (ready == 0 && clock::now() >= deadline) {
      return io_status::timed_out;
    }
  }
  return io_status::done;
}

bool child_process::read_available() {
  std::array<char, 64 * 1024> chunk{};
  // Bounded by the splitter: once a line is too long nothing more is buffered.
  while (!eof_ && !lines_.overflowed()) {
    const ssize_t received = ::recv(fd_, chunk.data(), chunk.size(), 0);
    if (received > 0) {
      lines_.append(std::string_view(chunk.data(), static_cast<std::size_t>(received)));
      continue;
    }
    if (received < 0 && errno == EINTR) {
      continue;
    }
    if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      break;
    }
    eof_ = true;  // 0: the runner closed its end; any other error: the connection is unusable
  }
  return !eof_;
}

child_process::line_result child_process::read_line(clock::time_point deadline) {
  for (;;) {
    if (auto line = lines_.next_line()) {
      return {line_result::kind::line, std::move(*line)};
    }
    if (lines_.overflowed()) {
      return {line_result::kind::too_long, {}};
    }
    if (eof_) {
      return {line_result::kind::closed, {}};
    }
    pollfd entry{fd_, POLLIN, 0};
    const int ready = ::poll(&entry, 1, poll_timeout(deadline));
    if (ready < 0 && errno != EINTR) {
      return {line_result::kind::closed, {}};
    }
    if (ready > 0) {
      read_available();
    } else if (clock::now() >= deadline) {
      return {line_result::kind::timed_out, {}};
    }
  }
}

std::string child_process::reap() {
  if (pid_ <= 0) {
    return "was already reaped";
  }
  int status = 0;
  for (;;) {
    if (::waitpid(pid_, &status, 0) == pid_) {
      pid_ = -1;
      return describe_wait_status(status);
    }
    if (errno == EINTR) {
      continue;
    }
    // ECHILD: someone else reaped it (SIGCHLD set to SIG_IGN in the host, or a waitpid(-1) elsewhere).
    pid_ = -1;
    return "ended, but its exit status was collected elsewhere";
  }
}

std::string child_process::kill_and_reap() {
  if (pid_ <= 0) {
    return "was already reaped";
  }
  // The group takes along anything the plugin forked; the pid itself in case the plugin left the group. Safe until
  // reaped: a pid and its group id cannot be reused while the process is a zombie.
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  return reap();
}

std::string child_process::reap_after_close(std::chrono::milliseconds grace) {
  const auto deadline = clock::now() + grace;
  auto pause = std::chrono::microseconds(200);
  while (pid_ > 0) {
    // WNOWAIT leaves the runner a zombie, so its pid, and with it the group id, cannot be reused yet: the group
    // kill in kill_and_reap then reaches only what the plugin forked, and the wait status is still the runner's own.
    siginfo_t info{};
    const int rc = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
    if (rc < 0 && errno == EINTR) {
      continue;
    }
    if (rc < 0 || info.si_pid == pid_) {
      return kill_and_reap();
    }
    if (clock::now() >= deadline) {
      return kill_and_reap() + " after closing its output";
    }
    std::this_thread::sleep_for(pause);
    pause = std::min<std::chrono::microseconds>(pause * 2, std::chrono::milliseconds(10));
  }
  return "was already reaped";
}

}  // namespace lotse::runner

// A runner subprocess as the host sees it: spawned in a process group of its own with one end of a Unix socket pair
// as its stdin and stdout, every read and write bounded by a deadline, and killed and reaped by the destructor so no
// zombie or stray runner outlives its owner. POSIX only.
#pragma once

#include "host/runner/protocol.hpp"

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lotse::runner {

class child_process {
 public:
  using clock = std::chrono::steady_clock;

  // Starts executable with arguments (argv[0] is the executable's path). The child gets the socket as fd 0 and 1,
  // the host's fd 2, no other descriptor, an empty signal mask and default signal dispositions, and is the leader of
  // a new process group (so a terminal's Ctrl-C reaches only the host, and a kill reaches whatever the plugin forks).
  // environment holds "NAME=value" entries. Returns a one-line reason when the process cannot be started.
  static std::variant<child_process, std::string> spawn(const std::filesystem::path& executable,
                                                        const std::vector<std::string>& arguments,
                                                        const std::vector<std::string>& environment,
                                                        std::size_t max_line_bytes);

  child_process(child_process&& other) noexcept;
  child_process& operator=(child_process&& other) noexcept;
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  ~child_process();

  pid_t pid() const { return pid_; }
  // The host's end of the socket, non-blocking, for polling several children at once.
  int fd() const { return fd_; }

  enum class io_status { done, closed, timed_out };
  // Sends all of bytes. closed: the runner is gone (EPIPE/ECONNRESET; SIGPIPE is never raised: MSG_NOSIGNAL).
  io_status write_all(std::string_view bytes, clock::time_point deadline);

  struct line_result {
    enum class kind { line, closed, timed_out, too_long } status;
    std::string text;  // kind::line only
  };
  // The next line the runner wrote, waiting until deadline.
  line_result read_line(clock::time_point deadline);

  // Reads what has arrived without blocking (for a caller that polls fd() itself). False once the peer has closed.
  bool read_available();
  std::optional<std::string> take_line() { return lines_.next_line(); }
  bool too_long() const { return lines_.overflowed(); }
  bool closed() const { return eof_; }

  // For a runner that closed its end: waits up to grace for it to exit on its own (so its exit status or signal is
  // the real one), then kills it. Reaps it and says how it ended, e.g. "was killed by signal 11 (SIGSEGV,
  // Segmentation fault)".
  std::string reap_after_close(std::chrono::milliseconds grace);
  // SIGKILL to the process group and the process, then reaps it. Returns how it ended.
  std::string kill_and_reap();

 private:
  child_process(pid_t pid, int fd, std::size_t max_line_bytes);
  void release() noexcept;
  std::string reap();

  pid_t pid_ = -1;  // -1 once reaped
  int fd_ = -1;
  protocol::line_splitter lines_;
  bool eof_ = false;
};

// How a wait status reads in a reason: "exited with status 3 (the plugin used up its memory limit)", "was killed by
// signal 6 (SIGABRT, Aborted)".
std::string describe_wait_status(int status);

}  // namespace lotse::runner

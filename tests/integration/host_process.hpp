// Runs lotse-host as a child process for integration tests: starts it on an ephemeral port, collects everything it
// logs, and stops it with SIGTERM like an operator would.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace lotse::test {

std::filesystem::path host_binary();          // build/<preset>/host/lotse-host
std::filesystem::path example_plugin_dir();   // build/<preset>/plugins
std::filesystem::path fixture_plugin_dir();   // build/<preset>/tests/fixtures/plugins

// A fresh directory under the system temp dir, removed when the object goes away.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs a lotse-host subcommand (args without the binary, e.g. {"export", FILE}) to completion; returns its exit
// status and, if asked, everything it printed (stdout and stderr, one line each).
int run_command(const std::vector<std::string>& args, std::string* log = nullptr);

// Threads that load a host while a test runs. The destructor stops and joins them, so that a test failing with an
// exception (an ASSERT in a helper, a JSON member missing) unwinds normally instead of hitting std::terminate with
// joinable threads, which would skip host_process's destructor and leave the host running.
class background_threads {
 public:
  background_threads() = default;
  ~background_threads() { stop(); }
  background_threads(const background_threads&) = delete;
  background_threads& operator=(const background_threads&) = delete;

  template <typename Fn>
  void start(Fn&& fn) {
    threads_.emplace_back(std::forward<Fn>(fn));
  }
  bool stopping() const { return stopping_; }
  void stop() {
    stopping_ = true;
    for (auto& thread : threads_) {
      if (thread.joinable()) {
        thread.join();
      }
    }
  }

 private:
  std::atomic<bool> stopping_ = false;
  std::vector<std::thread> threads_;
};

class host_process {
 public:
  // Starts lotse-host with the arguments (plus --port 0 unless wait_for_port is false) and, if wait_for_port, waits
  // up to 20 s for its "listening on http://…" line. Throws std::runtime_error with the log if it does not come.
  explicit host_process(std::vector<std::string> args, bool wait_for_port = true);
  ~host_process();  // SIGKILL if still running
  host_process(const host_process&) = delete;
  host_process& operator=(const host_process&) = delete;

  unsigned short port() const { return port_; }
  int pid() const { return pid_; }
  // Sends SIGTERM and returns the exit status (128+signal if it died of a signal); waits up to `timeout`.
  int stop(std::chrono::seconds timeout = std::chrono::seconds{15});
  // SIGKILL, as a crash or an OOM kill would end it: no draining, no destructors. Returns 128 + 9.
  int kill_now();
  // Waits for the process to exit by itself and returns its status (for commands that are not servers).
  int wait(std::chrono::seconds timeout = std::chrono::seconds{15});

  std::vector<std::string> log_lines() const;
  std::string log() const;
  // Log lines containing `needle`.
  std::vector<std::string> lines_containing(const std::string& needle) const;

 private:
  void read_output(int fd);
  bool wait_for_line(const std::string& needle, std::chrono::milliseconds timeout);

  int pid_ = -1;
  std::optional<int> exit_status_;
  unsigned short port_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  bool output_closed_ = false;
};

}  // namespace lotse::test

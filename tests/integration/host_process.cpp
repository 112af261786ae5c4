#include "tests/integration/host_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <random>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace lotse::test {

std::filesystem::path host_binary() { return std::filesystem::path(LOTSE_BINARY_DIR) / "host" / "lotse-host"; }
std::filesystem::path example_plugin_dir() { return std::filesystem::path(LOTSE_BINARY_DIR) / "plugins"; }
std::filesystem::path fixture_plugin_dir() {
  return std::filesystem::path(LOTSE_BINARY_DIR) / "tests" / "fixtures" / "plugins";
}

temp_dir::temp_dir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() / ("lotse-test-" + std::to_string(::getpid()) + "-" +
                                                    std::to_string(random()));
  std::filesystem::create_directories(path_);
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

host_process::host_process(std::vector<std::string> args, bool wait_for_port) {
  if (wait_for_port) {
    args.insert(args.end(), {"--port", "0"});
  }
  args.insert(args.begin(), host_binary().string());
  std::vector<char*> argv;
  for (auto& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);

  std::array<int, 2> pipe_fds{};
  if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  const int rc = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    throw std::system_error(rc, std::generic_category(), "posix_spawn " + args.front());
  }
  reader_ = std::thread([this, fd = pipe_fds[0]] { read_output(fd); });

  if (!wait_for_port) {
    return;
  }
  const std::string marker = "listening on http://";
  if (!wait_for_line(marker, std::chrono::seconds{20})) {
    throw std::runtime_error("lotse-host did not start listening; its log:\n" + log());
  }
  for (const auto& line : lines_containing(marker)) {
    port_ = static_cast<unsigned short>(std::stoi(line.substr(line.rfind(':') + 1)));
  }
}

host_process::~host_process() {
  if (!exit_status_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (reader_.joinable()) {
    reader_.join();
  }
}

void host_process::read_output(int fd) {
  std::string pending;
  std::array<char, 4096> buffer{};
  for (;;) {
    const auto n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    pending.append(buffer.data(), static_cast<std::size_t>(n));
    std::size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      std::lock_guard lock(mutex_);
      lines_.push_back(pending.substr(0, newline));
      pending.erase(0, newline + 1);
      changed_.notify_all();
    }
  }
  ::close(fd);
  std::lock_guard lock(mutex_);
  if (!pending.empty()) {
    lines_.push_back(pending);
  }
  output_closed_ = true;
  changed_.notify_all();
}

bool host_process::wait_for_line(const std::string& needle, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const auto found = [&] {
    return std::any_of(lines_.begin(), lines_.end(),
                       [&](const std::string& line) { return line.find(needle) != std::string::npos; });
  };
  changed_.wait_for(lock, timeout, [&] { return found() || output_closed_; });
  return found();
}

int host_process::wait(std::chrono::seconds timeout) {
  if (exit_status_) {
    return *exit_status_;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const auto done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      exit_status_ = -1;  // did not exit in time
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  if (reader_.joinable()) {
    reader_.join();
  }
  return *exit_status_;
}

int host_process::kill_now() {
  if (!exit_status_) {
    ::kill(pid_, SIGKILL);
  }
  return wait(std::chrono::seconds{15});
}

int host_process::stop(std::chrono::seconds timeout) {
  if (!exit_status_) {
    ::kill(pid_, SIGTERM);
  }
  return wait(timeout);
}

std::vector<std::string> host_process::log_lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

std::string host_process::log() const {
  std::string out;
  for (const auto& line : log_lines()) {
    out += line + '\n';
  }
  return out;
}

std::vector<std::string> host_process::lines_containing(const std::string& needle) const {
  std::vector<std::string> out;
  for (const auto& line : log_lines()) {
    if (line.find(needle) != std::string::npos) {
      out.push_back(line);
    }
  }
  return out;
}

int run_command(const std::vector<std::string>& args, std::string* log) {
  host_process command(args, false);
  const int status = command.wait();
  if (log != nullptr) {
    *log = command.log();
  }
  return status;
}

}  // namespace lotse::test

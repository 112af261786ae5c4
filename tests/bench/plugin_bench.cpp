// Timing program for the plugin lifecycle targets (docs/performance.md, "Plugins"): start-up of the real lotse-host
// with and without a plugin directory, the quote round trip over HTTP, and the bare runner round trip. Not a Google
// Benchmark: each measured thing is a whole process or one request whose single durations we want (median, p99),
// not an average over a tight loop. scripts/bench_plugins.sh builds it and runs every mode.
//
//   lotse_plugin_bench startup [--runs N] -- HOST_COMMAND...
//       N times: a fresh SQLite database in a temp directory, HOST_COMMAND --db sqlite:DIR/lotse.db --port 0 started
//       and timed from spawn to its "listening on" line ("cold"), stopped with SIGTERM (timed to exit), then started
//       again on the same database ("warm", the catalog already stored) and stopped.
//   lotse_plugin_bench http-quote [--warmup W] [--requests N] [--solution ID] -- HOST_COMMAND...
//       starts the host once, then W + N POST /api/v1/solutions/ID/quote over one keep-alive connection; times the
//       last N one by one on the client, and reads the server's own time per request from its access log.
//   lotse_plugin_bench runner-quote [--warmup W] [--calls N] [--solution ID] HOST_BINARY PLUGIN_FILE
//       starts one runner as the server does (HOST_BINARY plugin-runner PLUGIN_FILE) and times W + N
//       plugin_process::quote calls, the last N one by one.
//
// HOST_COMMAND may start with a wrapper such as `taskset -c 1`; it is looked up in PATH. Pin this program itself with
// taskset from the outside. Output: one line per measured quantity, "name: median … (min …, p90 …, p99 …, max …)".
#include "host/runner/plugin_process.hpp"
#include "tests/support/http_client.hpp"

#include <boost/json.hpp>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace lotse::bench {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using clock_type = std::chrono::steady_clock;

double ms_between(clock_type::time_point from, clock_type::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

void report(const std::string& name, std::vector<double> values, const char* unit) {
  std::sort(values.begin(), values.end());
  if (values.empty()) {
    std::printf("%s: no values\n", name.c_str());
    return;
  }
  double sum = 0;
  for (const double v : values) sum += v;
  std::printf("%s: median %.3f %s (n %zu, min %.3f, p90 %.3f, p99 %.3f, max %.3f, mean %.3f)\n", name.c_str(),
              percentile(values, 0.5), unit, values.size(), values.front(), percentile(values, 0.9),
              percentile(values, 0.99), values.back(), sum / static_cast<double>(values.size()));
  std::fflush(stdout);
}

// A directory under the system temp dir, removed with everything in it when the object goes.
class scratch_dir {
 public:
  scratch_dir() {
    std::random_device random;
    for (int attempt = 0; attempt < 100; ++attempt) {
      path_ = fs::temp_directory_path() / ("lotse-plugin-bench-" + std::to_string(random()));
      if (fs::create_directory(path_)) return;
    }
    throw std::runtime_error("cannot create a temporary directory");
  }
  ~scratch_dir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct log_line {
  clock_type::time_point at;
  std::string text;
};

// One lotse-host process with its stdout and stderr in one pipe, read by a thread of ours from the start (the host
// logs every request, and a full pipe would stall it). Records when each line arrived.
class host_run {
 public:
  explicit host_run(const std::vector<std::string>& command) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> argv;
    for (const auto& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    started_ = clock_type::now();
    const int rc = posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
      ::close(fds[0]);
      throw std::runtime_error("cannot start " + command[0] + ": " + std::strerror(rc));
    }
    reader_ = std::thread([this, fd = fds[0]] { read_lines(fd); });
  }

  ~host_run() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (reader_.joinable()) reader_.join();
  }
  host_run(const host_run&) = delete;
  host_run& operator=(const host_run&) = delete;

  clock_type::time_point started() const { return started_; }

  // The first line containing text, waiting at most timeout for it (nullopt if it did not come or the host ended).
  std::optional<log_line> wait_for(const std::string& text, std::chrono::seconds timeout = std::chrono::seconds{60}) {
    std::unique_lock lock(mutex_);
    std::optional<log_line> found;
    changed_.wait_for(lock, timeout, [&] {
      for (const auto& line : lines_) {
        if (line.text.find(text) != std::string::npos) {
          found = line;
          return true;
        }
      }
      return eof_;
    });
    return found;
  }

  std::vector<log_line> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }

  // SIGTERM, then waits for the exit; returns the milliseconds from the signal to the exit.
  double stop() {
    const auto signalled = clock_type::now();
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    const auto ended = clock_type::now();
    pid_ = -1;
    if (reader_.joinable()) reader_.join();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::cerr << "plugin_bench: host ended with status " << status << "\n";
    }
    return ms_between(signalled, ended);
  }

  std::string log() const {
    std::string out;
    for (const auto& line : lines()) out += line.text + "\n";
    return out;
  }

 private:
  void read_lines(int fd) {
    std::string pending;
    char buffer[65536];
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      const auto now = clock_type::now();
      pending.append(buffer, static_cast<std::size_t>(n));
      std::size_t start = 0;
      std::lock_guard lock(mutex_);
      for (std::size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1) {
        lines_.push_back({now, pending.substr(start, end - start)});
      }
      pending.erase(0, start);
      changed_.notify_all();
    }
    ::close(fd);
    std::lock_guard lock(mutex_);
    eof_ = true;
    changed_.notify_all();
  }

  pid_t pid_ = -1;
  clock_type::time_point started_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<log_line> lines_;
  bool eof_ = false;
};

std::vector<std::string> with_database(std::vector<std::string> command, const fs::path& dir) {
  command.insert(command.end(), {"--db", "sqlite:" + (dir / "lotse.db").string(), "--port", "0"});
  return command;
}

// "… 100 plugin(s) loaded from …" -> 100; -1 without such a line.
long plugins_loaded(const host_run& host) {
  for (const auto& line : host.lines()) {
    const auto at = line.text.find(" plugin(s) loaded from ");
    if (at == std::string::npos) continue;
    const auto space = line.text.rfind(' ', at - 1);
    return std::strtol(line.text.c_str() + space + 1, nullptr, 10);
  }
  return -1;
}

// "… catalog has 100 provider(s) and 700 solution(s)" -> "100 provider(s) and 700 solution(s)".
std::string catalog_size(const host_run& host) {
  for (const auto& line : host.lines()) {
    const auto at = line.text.find("catalog has ");
    if (at != std::string::npos) return line.text.substr(at + 12);
  }
  return "unknown catalog size";
}

std::size_t lines_with(const host_run& host, const std::string& text) {
  std::size_t count = 0;
  for (const auto& line : host.lines()) count += line.text.find(text) != std::string::npos ? 1 : 0;
  return count;
}

// One start: milliseconds from spawn to "listening on", to "plugin(s) loaded" (if any), and for the SIGTERM.
struct start_times {
  double listening = 0;
  std::optional<double> plugins_synced;
  double stop = 0;
};

start_times start_once(const std::vector<std::string>& command, const char* label) {
  host_run host(command);
  const auto listening = host.wait_for("listening on");
  if (!listening) {
    throw std::runtime_error(std::string(label) + ": no 'listening on' line; log:\n" + host.log());
  }
  start_times t;
  t.listening = ms_between(host.started(), listening->at);
  if (const auto synced = host.wait_for(" plugin(s) loaded from ", std::chrono::seconds{0})) {
    t.plugins_synced = ms_between(host.started(), synced->at);
  }
  std::printf("  %s: listening after %.1f ms, %ld plugin(s) loaded, catalog %s, %zu refused as 'already belongs to "
              "provider', %zu warning line(s)",
              label, t.listening, plugins_loaded(host), catalog_size(host).c_str(),
              lines_with(host, "already belongs to provider"), lines_with(host, " warning "));
  t.stop = host.stop();
  std::printf(", stopped in %.1f ms\n", t.stop);
  std::fflush(stdout);
  return t;
}

int run_startup(int runs, const std::vector<std::string>& command) {
  std::vector<double> cold, warm, cold_sync, warm_sync, stop_cold, stop_warm;
  for (int run = 1; run <= runs; ++run) {
    const scratch_dir dir;
    const auto command_here = with_database(command, dir.path());
    const auto first = start_once(command_here, ("run " + std::to_string(run) + " cold").c_str());
    const auto second = start_once(command_here, ("run " + std::to_string(run) + " warm").c_str());
    cold.push_back(first.listening);
    warm.push_back(second.listening);
    stop_cold.push_back(first.stop);
    stop_warm.push_back(second.stop);
    if (first.plugins_synced) cold_sync.push_back(*first.plugins_synced);
    if (second.plugins_synced) warm_sync.push_back(*second.plugins_synced);
  }
  report("start-up to 'listening on', fresh database", cold, "ms");
  report("start-up to 'listening on', second start on the same database", warm, "ms");
  if (!cold_sync.empty()) {
    report("start-up to 'plugin(s) loaded', fresh database", cold_sync, "ms");
    report("start-up to 'plugin(s) loaded', second start", warm_sync, "ms");
  }
  report("SIGTERM to exit, after the fresh start", stop_cold, "ms");
  report("SIGTERM to exit, after the second start", stop_warm, "ms");
  return 0;
}

// A municipality of 8,000 inhabitants, as in tests/integration/plugin_isolation_test.cpp.
const char* const quote_body = R"({"profile": {"ags": "07131001", "name": "Testdorf", "population": 8000,
  "maturity": {"stage": "start"}, "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2}}})";

int run_http_quote(int warmup, int requests, const std::string& solution, const std::vector<std::string>& command) {
  const scratch_dir dir;
  host_run host(with_database(command, dir.path()));
  const auto listening = host.wait_for("listening on");
  if (!listening) throw std::runtime_error("no 'listening on' line; log:\n" + host.log());
  const auto port = static_cast<unsigned short>(std::stoi(listening->text.substr(listening->text.rfind(':') + 1)));
  test::http_client client("127.0.0.1", port);
  const std::string target = "/api/v1/solutions/" + solution + "/quote";
  const std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}};
  std::vector<double> client_ms;
  client_ms.reserve(static_cast<std::size_t>(requests));
  for (int i = 0; i < warmup + requests; ++i) {
    const auto before = clock_type::now();
    const auto reply = client.request(boost::beast::http::verb::post, target, quote_body, headers);
    const auto after = clock_type::now();
    if (reply.status != 200) {
      throw std::runtime_error("quote answered " + std::to_string(reply.status) + ": " + reply.body);
    }
    if (i >= warmup) client_ms.push_back(ms_between(before, after));
  }
  const auto connections = client.connections_opened();
  host.stop();
  // The server's own time per request, from its access log: "POST /api/v1/…/quote 200 0.31ms id=…".
  std::vector<double> server_ms;
  for (const auto& line : host.lines()) {
    const auto at = line.text.find("POST " + target + " 200 ");
    if (at == std::string::npos) continue;
    server_ms.push_back(std::strtod(line.text.c_str() + at + target.size() + 10, nullptr));
  }
  if (server_ms.size() > static_cast<std::size_t>(warmup)) {
    server_ms.erase(server_ms.begin(), server_ms.begin() + warmup);
  }
  std::printf("  %d warm-up + %d requests over %zu connection(s)\n", warmup, requests, connections);
  report("quote over HTTP, client round trip", client_ms, "ms");
  report("quote over HTTP, server time (access log)", server_ms, "ms");
  return 0;
}

int run_runner_quote(int warmup, int calls, const std::string& solution, const fs::path& host_binary,
                     const fs::path& plugin) {
  runner::runner_options options;  // the server's defaults (host_runner_options), with the binary named explicitly
  options.executable = host_binary;
  options.arguments = {"plugin-runner"};
  const auto start = clock_type::now();
  auto result = runner::start_plugin(plugin, options);
  const auto started = clock_type::now();
  if (const auto* failure = std::get_if<loader::load_failure>(&result)) {
    throw std::runtime_error("the plugin did not start: " + failure->reason);
  }
  auto& process = *std::get<runner::started_plugin>(result).process;
  std::printf("  runner started in %.1f ms\n", ms_between(start, started));
  const json::object request{{"solution_id", solution},
                             {"profile", json::parse(quote_body).at("profile")}};
  std::vector<double> call_ms;
  call_ms.reserve(static_cast<std::size_t>(calls));
  for (int i = 0; i < warmup + calls; ++i) {
    const auto before = clock_type::now();
    const auto outcome = process.quote(request);
    const auto after = clock_type::now();
    if (!std::holds_alternative<runner::outcome::ok>(outcome)) {
      throw std::runtime_error("quote failed: " + std::string(runner::outcome_message(outcome)));
    }
    if (i >= warmup) call_ms.push_back(ms_between(before, after));
  }
  report("quote through a warm runner (plugin_process::quote)", call_ms, "ms");
  return 0;
}

[[noreturn]] void usage() {
  std::cerr << "usage: lotse_plugin_bench startup [--runs N] -- HOST_COMMAND...\n"
               "       lotse_plugin_bench http-quote [--warmup W] [--requests N] [--solution ID] -- HOST_COMMAND...\n"
               "       lotse_plugin_bench runner-quote [--warmup W] [--calls N] [--solution ID] HOST_BINARY PLUGIN\n";
  std::exit(2);
}

int run(int argc, char** argv) {
  if (argc < 2) usage();
  const std::string mode = argv[1];
  int runs = 5;
  int warmup = 100;
  int count = 2000;
  std::string solution = "luftwerk.pegel-sensoren";
  std::vector<std::string> rest;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&] {
      if (i + 1 >= argc) usage();
      return std::string(argv[++i]);
    };
    if (arg == "--") {
      rest.assign(argv + i + 1, argv + argc);
      break;
    }
    if (arg == "--runs") {
      runs = std::stoi(value());
    } else if (arg == "--warmup") {
      warmup = std::stoi(value());
    } else if (arg == "--requests" || arg == "--calls") {
      count = std::stoi(value());
    } else if (arg == "--solution") {
      solution = value();
    } else if (arg.starts_with("--")) {
      usage();
    } else {
      rest.push_back(arg);
    }
  }
  if (rest.empty()) usage();
  if (mode == "startup") return run_startup(runs, rest);
  if (mode == "http-quote") return run_http_quote(warmup, count, solution, rest);
  if (mode == "runner-quote" && rest.size() == 2) return run_runner_quote(warmup, count, solution, rest[0], rest[1]);
  usage();
}

}  // namespace
}  // namespace lotse::bench

int main(int argc, char** argv) {
  // A host that died must not take this program with it when we write to its pipe (we only read, but be safe).
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return lotse::bench::run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "lotse_plugin_bench: " << error.what() << "\n";
    return 1;
  }
}

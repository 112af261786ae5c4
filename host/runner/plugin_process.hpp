// The host's side of plugin isolation: every plugin runs in a runner subprocess (plugin_runner.hpp), and this is the
// handle the server holds for it. Starting one returns the plugin's description, which the host caches, so matching
// never waits on a runner; dynamic hooks go through call(), whose every outcome is a value (call_outcome.hpp).
// docs/plugin-isolation.md describes the protocol, the limits and what isolation does not protect against.
#pragma once

#include "host/loader/plugin_loader.hpp"
#include "host/runner/call_outcome.hpp"

#include <boost/json/value.hpp>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lotse::runner {

struct runner_options {
  // The runner command is `executable arguments... FILE --memory-limit-mib N`. The server uses its own binary
  // (host_runner_options()); tests use a small executable whose main calls run_plugin_runner.
  std::filesystem::path executable;
  std::vector<std::string> arguments;
  // The runner's environment: the host's, without variables named LOTSE_* (the host's configuration, which may carry
  // database credentials) and without these names.
  std::vector<std::string> removed_environment;
  // Loading a plugin (exec, static initialisers, entry point, describe) must finish within this.
  std::chrono::milliseconds startup_timeout{5000};
  // A hook must answer within this (call() without a timeout).
  std::chrono::milliseconds call_timeout{2000};
  // RLIMIT_AS of each runner; 0: none.
  std::uint64_t memory_limit_mib = 1024;
  // This many failures (crash, timeout, invalid response, failed restart) in a row, all within the window,
  // quarantine the plugin.
  unsigned quarantine_after = 3;
  std::chrono::seconds quarantine_window{600};
  // start_directory starts at most this many runners at once.
  std::size_t parallel_starts = 16;
};

// /proc/self/exe plugin-runner: the running host binary's own subcommand, with the defaults above.
runner_options host_runner_options();

// What a runner reported when the plugin loaded; the host caches it.
struct plugin_info {
  std::filesystem::path file;
  loader::abi_version abi;
  std::string sdk_version;
  std::string description_json;  // exactly the bytes describe() returned, as the in-process loader gives them
  bool has_quote = false;
};

enum class runner_state {
  running,      // a runner process is up
  stopped,      // the last runner was killed after a failure; the next call starts a new one
  quarantined,  // calls are refused until lift_quarantine()
};

struct runner_failure {
  std::chrono::system_clock::time_point at;
  std::string reason;
};

// What a curator sees about a plugin's runner.
struct plugin_health {
  runner_state state = runner_state::stopped;
  std::optional<pid_t> pid;
  unsigned consecutive_failures = 0;
  std::uint64_t restarts = 0;             // runners started after the first
  std::string quarantine_reason;          // set while quarantined
  std::vector<runner_failure> recent_failures;  // the last ones, oldest first
};

class plugin_process;

// A loaded plugin: its description and the live runner that reported it.
struct started_plugin {
  plugin_info info;
  std::unique_ptr<plugin_process> process;
};

using start_result = std::variant<started_plugin, loader::load_failure>;

// Starts a runner for file and waits at most options.startup_timeout for its hello. A plugin that does not load, or
// whose static initialiser aborts or never returns, is a load_failure naming the reason (for a plugin the runner
// could open, the same reason load_plugin gives in-process). Throws only when the host itself fails (bad_alloc).
start_result start_plugin(const std::filesystem::path& file, const runner_options& options);

// start_plugin for every file loader::plugin_files(dir) lists, in that order, with up to options.parallel_starts
// runners starting at once. Logs one warning per failure and one info line per plugin, like loader::load_directory,
// and throws std::runtime_error like it when dir cannot be read.
std::vector<start_result> start_directory(const std::filesystem::path& dir, const runner_options& options);

// One plugin's runner. Thread-safe: any number of threads may call call(), health() and lift_quarantine() at once.
// Calls for one plugin are serialized, one request in flight per runner; a call waits for the runner at most as long
// as its own timeout (then timed_out, which does not count as the plugin's failure). health() and lift_quarantine()
// never wait for a call. The destructor kills and reaps the runner; no call may still be running then.
class plugin_process {
 public:
  plugin_process(const plugin_process&) = delete;
  plugin_process& operator=(const plugin_process&) = delete;
  ~plugin_process();

  const plugin_info& info() const { return info_; }

  // Sends {"method": method, "params": params} to the runner and waits at most timeout for the answer (after
  // waiting at most timeout for earlier calls, and, if the last runner failed, at most startup_timeout for a new
  // one). A crash, timeout or invalid response kills and reaps the runner; the next call starts a new one.
  call_outcome call(std::string_view method, const boost::json::object& params, std::chrono::milliseconds timeout);
  call_outcome call(std::string_view method, const boost::json::object& params);

  // The quote hook: request is {"solution_id": "...", "profile": {...}}.
  call_outcome quote(const boost::json::object& request) { return call("quote", request); }

  plugin_health health() const;
  // For a curator, e.g. after the provider shipped a fix: the next call starts a runner again.
  void lift_quarantine();

 private:
  friend std::vector<start_result> start_plugins(const std::vector<std::filesystem::path>& files,
                                                 const runner_options& options);
  struct child_slot;  // the runner process; defined in the .cpp so child_process stays out of this header

  plugin_process(plugin_info info, runner_options options, std::unique_ptr<child_slot> child);

  call_outcome round_trip(std::string_view method, const boost::json::object& params,
                          std::chrono::milliseconds timeout);
  // Kills and reaps the runner and records the failure; returns outcome for the caller to return.
  call_outcome fail(call_outcome outcome);
  void succeed();
  void set_child(std::unique_ptr<child_slot> child);

  const plugin_info info_;
  const runner_options options_;

  std::timed_mutex call_mutex_;  // held for a whole call: one request per runner
  std::unique_ptr<child_slot> child_;  // guarded by call_mutex_
  std::uint64_t next_id_ = 0;          // guarded by call_mutex_

  mutable std::mutex state_mutex_;  // guards everything below; never held while waiting for the runner
  std::optional<pid_t> pid_;
  unsigned consecutive_failures_ = 0;
  std::deque<std::chrono::steady_clock::time_point> failure_streak_;
  std::deque<runner_failure> recent_failures_;
  std::uint64_t restarts_ = 0;
  bool quarantined_ = false;
  std::string quarantine_reason_;
};

// start_plugin for several files at once; start_directory without the listing and logging.
std::vector<start_result> start_plugins(const std::vector<std::filesystem::path>& files,
                                        const runner_options& options);

}  // namespace lotse::runner

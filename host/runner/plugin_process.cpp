#include "host/runner/plugin_process.hpp"

#include "host/runner/child_process.hpp"
#include "host/runner/protocol.hpp"

#include <spdlog/spdlog.h>

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <system_error>
#include <utility>

namespace lotse::runner {
namespace {

using clock = std::chrono::steady_clock;

// How long a runner that closed its output gets to finish exiting, so its own exit status or signal is reported
// rather than our SIGKILL. A dying process is reaped within microseconds; only one that closed the socket and
// carried on needs the whole grace.
constexpr std::chrono::milliseconds exit_grace{200};

constexpr std::size_t max_recent_failures = 10;

struct ready_runner {
  child_process child;
  protocol::hello_loaded hello;
};

// A runner that said hello with a loaded plugin, or why there is none.
using runner_start = std::variant<ready_runner, std::string>;

std::vector<std::string> runner_arguments(const runner_options& options, const std::filesystem::path& file) {
  std::vector<std::string> arguments = options.arguments;
  arguments.push_back(file.string());
  arguments.emplace_back("--memory-limit-mib");
  arguments.push_back(std::to_string(options.memory_limit_mib));
  return arguments;
}

std::vector<std::string> runner_environment(const runner_options& options) {
  std::vector<std::string> environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string_view name = text.substr(0, text.find('='));
    if (name.starts_with("LOTSE_") ||
        std::find(options.removed_environment.begin(), options.removed_environment.end(), name) !=
            options.removed_environment.end()) {
      continue;
    }
    environment.emplace_back(text);
  }
  return environment;
}

std::string milliseconds_text(std::chrono::milliseconds duration) { return std::to_string(duration.count()) + " ms"; }

int poll_timeout(clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now()).count();
  return static_cast<int>(std::clamp<decltype(left)>(left, 0, 60'000));
}

// What a starting runner has come to, or nothing while it is still loading and has time left.
std::optional<runner_start> settle(child_process& child, bool expired, const runner_options& options) {
  if (auto line = child.take_line()) {
    auto decoded = protocol::decode_hello(*line);
    if (auto* bad = std::get_if<protocol::malformed>(&decoded)) {
      child.kill_and_reap();
      return "the plugin runner did not start properly: " + bad->reason;
    }
    auto& hello = std::get<protocol::hello>(decoded);
    if (auto* failed = std::get_if<protocol::hello_failed>(&hello)) {
      child.kill_and_reap();
      return std::move(failed->reason);
    }
    return ready_runner{std::move(child), std::get<protocol::hello_loaded>(std::move(hello))};
  }
  if (child.too_long()) {
    child.kill_and_reap();
    return std::string("the plugin runner's first line is longer than the limit of 16 MiB");
  }
  if (child.closed()) {
    return "the plugin runner " + child.reap_after_close(exit_grace) +
           " before the plugin finished loading (in its static initialisers, its entry point or describe)";
  }
  if (expired) {
    child.kill_and_reap();
    return "the plugin did not finish loading within " + milliseconds_text(options.startup_timeout) +
           " (a static initialiser, its entry point or describe did not return); its runner was killed";
  }
  return std::nullopt;
}

// Starts runners for files, at most options.parallel_starts at a time, and waits for their hellos together: the
// time to load a directory is then about the slowest plugin's, not the sum.
std::vector<runner_start> start_runners(const std::vector<std::filesystem::path>& files,
                                        const runner_options& options) {
  struct starting {
    std::size_t index;
    child_process child;
    clock::time_point deadline;
  };
  std::vector<std::optional<runner_start>> results(files.size());
  std::vector<starting> pending;
  std::vector<pollfd> polled;
  const std::size_t parallel = std::max<std::size_t>(1, options.parallel_starts);
  const std::vector<std::string> environment = runner_environment(options);
  std::size_t next = 0;
  while (next < files.size() || !pending.empty()) {
    while (pending.size() < parallel && next < files.size()) {
      auto spawned = child_process::spawn(options.executable, runner_arguments(options, files[next]), environment,
                                          protocol::max_line_bytes);
      if (auto* reason = std::get_if<std::string>(&spawned)) {
        results[next] = std::move(*reason);
      } else {
        pending.push_back({next, std::get<child_process>(std::move(spawned)), clock::now() + options.startup_timeout});
      }
      ++next;
    }
    if (pending.empty()) {
      continue;
    }
    polled.clear();
    clock::time_point earliest = pending.front().deadline;
    for (const auto& entry : pending) {
      polled.push_back({entry.child.fd(), POLLIN, 0});
      earliest = std::min(earliest, entry.deadline);
    }
    const int ready = ::poll(polled.data(), polled.size(), poll_timeout(earliest));
    if (ready < 0 && errno != EINTR) {
      throw std::system_error(errno, std::generic_category(), "poll on starting plugin runners");
    }
    const auto now = clock::now();
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (ready > 0 && polled[i].revents != 0) {
        pending[i].child.read_available();
      }
      if (auto settled = settle(pending[i].child, now >= pending[i].deadline, options)) {
        results[pending[i].index] = std::move(*settled);
      }
    }
    std::erase_if(pending, [&results](const starting& entry) { return results[entry.index].has_value(); });
  }
  std::vector<runner_start> out;
  out.reserve(results.size());
  for (auto& result : results) {
    out.push_back(std::move(*result));
  }
  return out;
}

plugin_info info_from(const std::filesystem::path& file, const protocol::hello_loaded& hello) {
  return {file, hello.abi, hello.sdk_version, hello.description_json, hello.has_quote};
}

}  // namespace

struct plugin_process::child_slot {
  child_process process;
};

runner_options host_runner_options() {
  runner_options options;
  options.executable = "/proc/self/exe";
  options.arguments = {"plugin-runner"};
  return options;
}

std::vector<start_result> start_plugins(const std::vector<std::filesystem::path>& files,
                                        const runner_options& options) {
  std::vector<runner_start> runners = start_runners(files, options);
  std::vector<start_result> results;
  results.reserve(runners.size());
  for (std::size_t i = 0; i < runners.size(); ++i) {
    if (auto* reason = std::get_if<std::string>(&runners[i])) {
      results.emplace_back(loader::load_failure{files[i], std::move(*reason)});
      continue;
    }
    auto& ready = std::get<ready_runner>(runners[i]);
    plugin_info info = info_from(files[i], ready.hello);
    std::unique_ptr<plugin_process> process(new plugin_process(
        info, options, std::make_unique<plugin_process::child_slot>(plugin_process::child_slot{std::move(ready.child)})));
    results.emplace_back(started_plugin{std::move(info), std::move(process)});
  }
  return results;
}

start_result start_plugin(const std::filesystem::path& file, const runner_options& options) {
  return std::move(start_plugins({file}, options).front());
}

std::vector<start_result> start_directory(const std::filesystem::path& dir, const runner_options& options) {
  std::vector<start_result> results = start_plugins(loader::plugin_files(dir), options);
  for (const auto& result : results) {
    if (const auto* failure = std::get_if<loader::load_failure>(&result)) {
      spdlog::warn("plugin {} skipped: {}", failure->file.string(), failure->reason);
    } else {
      const auto& started = std::get<started_plugin>(result);
      spdlog::info("plugin {} loaded in runner {} (ABI {}.{}, SDK {}, description {} bytes)",
                   started.info.file.string(), started.process->health().pid.value_or(-1), started.info.abi.major,
                   started.info.abi.minor, started.info.sdk_version, started.info.description_json.size());
    }
  }
  return results;
}

plugin_process::plugin_process(plugin_info info, runner_options options, std::unique_ptr<child_slot> child)
    : info_(std::move(info)), options_(std::move(options)) {
  set_child(std::move(child));
}

plugin_process::~plugin_process() = default;

void plugin_process::set_child(std::unique_ptr<child_slot> child) {
  child_ = std::move(child);
  const std::lock_guard lock(state_mutex_);
  pid_ = child_ ? std::optional<pid_t>(child_->process.pid()) : std::nullopt;
}

call_outcome plugin_process::call(std::string_view method, const boost::json::object& params) {
  return call(method, params, options_.call_timeout);
}

call_outcome plugin_process::call(std::string_view method, const boost::json::object& params,
                                  std::chrono::milliseconds timeout) {
  std::unique_lock lock(call_mutex_, std::defer_lock);
  if (!lock.try_lock_for(timeout)) {
    // Not the plugin's failure as such, and no runner is killed: the call in flight has its own deadline.
    return outcome::timed_out{"the plugin's runner stayed busy with earlier calls for " + milliseconds_text(timeout)};
  }
  {
    const std::lock_guard state(state_mutex_);
    if (quarantined_) {
      return outcome::quarantined{quarantine_reason_};
    }
  }
  if (!child_) {
    std::vector<runner_start> started = start_runners({info_.file}, options_);
    if (auto* reason = std::get_if<std::string>(&started.front())) {
      return fail(outcome::crashed{"the plugin runner could not be restarted: " + *reason});
    }
    auto& ready = std::get<ready_runner>(started.front());
    if (ready.hello.description_json != info_.description_json) {
      spdlog::warn("plugin {} describes itself differently since it was loaded (the file changed?); its hooks now "
                   "run the new code while the catalog keeps the old description until it is reloaded",
                   info_.file.string());
    }
    set_child(std::make_unique<child_slot>(child_slot{std::move(ready.child)}));
    const std::lock_guard state(state_mutex_);
    ++restarts_;
  }
  return round_trip(method, params, timeout);
}

call_outcome plugin_process::round_trip(std::string_view method, const boost::json::object& params,
                                        std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  const std::uint64_t id = ++next_id_;
  child_process& child = child_->process;
  const std::string name(method);

  switch (child.write_all(protocol::encode_request({id, name, params}), deadline)) {
    case child_process::io_status::done:
      break;
    case child_process::io_status::closed:
      return fail(outcome::crashed{"the plugin runner " + child.reap_after_close(exit_grace) + " before " + name +
                                   " could be sent"});
    case child_process::io_status::timed_out:
      return fail(outcome::timed_out{name + " could not even be sent within " + milliseconds_text(timeout) +
                                     "; the runner was killed"});
  }

  child_process::line_result line = child.read_line(deadline);
  switch (line.status) {
    case child_process::line_result::kind::line:
      break;
    case child_process::line_result::kind::closed:
      return fail(outcome::crashed{"the plugin runner " + child.reap_after_close(exit_grace) + " during " + name});
    case child_process::line_result::kind::timed_out:
      return fail(outcome::timed_out{name + " did not answer within " + milliseconds_text(timeout) +
                                     "; the runner was killed"});
    case child_process::line_result::kind::too_long:
      return fail(outcome::invalid_response{"the runner's answer to " + name + " is longer than the limit of 16 MiB"});
  }

  auto decoded = protocol::decode_response(line.text);
  if (auto* bad = std::get_if<protocol::malformed>(&decoded)) {
    return fail(outcome::invalid_response{"the runner's answer to " + name + " is an " + bad->reason});
  }
  auto& response = std::get<protocol::response>(decoded);
  if (response.id != id) {
    // Only one request is ever in flight, so this is a runner (or a plugin writing to its socket) out of step.
    return fail(outcome::invalid_response{"the runner answered another request than " + name + " #" +
                                          std::to_string(id)});
  }
  switch (response.status) {
    case protocol::status::ok:
      succeed();
      return outcome::ok{std::move(response.result)};
    case protocol::status::error:
      succeed();
      return outcome::plugin_error{std::move(response.message)};
    case protocol::status::bad_request:
      succeed();
      return outcome::bad_request{std::move(response.message)};
    case protocol::status::not_supported:
      succeed();
      return outcome::not_supported{std::move(response.message)};
    case protocol::status::invalid_response:
      return fail(outcome::invalid_response{std::move(response.message)});
    case protocol::status::fatal: {
      const std::string ended = child.reap_after_close(exit_grace);
      return fail(outcome::crashed{response.message + "; the runner " + ended});
    }
  }
  return fail(outcome::invalid_response{"the runner answered with an unknown status"});
}

call_outcome plugin_process::fail(call_outcome result) {
  // Whatever state the runner is in, it is not trusted with another request.
  set_child(nullptr);
  const std::string reason(outcome_message(result));
  const auto now = clock::now();
  bool quarantined_now = false;
  {
    const std::lock_guard state(state_mutex_);
    ++consecutive_failures_;
    failure_streak_.push_back(now);
    while (failure_streak_.size() > std::max(1U, options_.quarantine_after)) {
      failure_streak_.pop_front();
    }
    recent_failures_.push_back({std::chrono::system_clock::now(), reason});
    while (recent_failures_.size() > max_recent_failures) {
      recent_failures_.pop_front();
    }
    if (options_.quarantine_after > 0 && failure_streak_.size() >= options_.quarantine_after &&
        failure_streak_.back() - failure_streak_.front() <= options_.quarantine_window) {
      quarantined_ = true;
      quarantined_now = true;
      quarantine_reason_ = "quarantined after " + std::to_string(options_.quarantine_after) +
                           " failures in a row within " + std::to_string(options_.quarantine_window.count()) +
                           " s; the last: " + reason;
    }
  }
  spdlog::warn("plugin {}: {}: {}", info_.file.string(), outcome_name(result), reason);
  if (quarantined_now) {
    spdlog::error("plugin {} is quarantined after {} failures in a row; its hooks are refused until a curator lifts "
                  "the quarantine",
                  info_.file.string(), options_.quarantine_after);
  }
  return result;
}

void plugin_process::succeed() {
  const std::lock_guard state(state_mutex_);
  consecutive_failures_ = 0;
  failure_streak_.clear();
}

plugin_health plugin_process::health() const {
  const std::lock_guard state(state_mutex_);
  plugin_health health;
  health.state = quarantined_ ? runner_state::quarantined : pid_ ? runner_state::running : runner_state::stopped;
  health.pid = pid_;
  health.consecutive_failures = consecutive_failures_;
  health.restarts = restarts_;
  health.quarantine_reason = quarantine_reason_;
  health.recent_failures.assign(recent_failures_.begin(), recent_failures_.end());
  return health;
}

void plugin_process::lift_quarantine() {
  const std::lock_guard state(state_mutex_);
  if (quarantined_) {
    spdlog::info("plugin {}: quarantine lifted", info_.file.string());
  }
  quarantined_ = false;
  quarantine_reason_.clear();
  consecutive_failures_ = 0;
  failure_streak_.clear();
}

}  // namespace lotse::runner

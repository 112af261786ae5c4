#include "host/runner/plugin_runner.hpp"

#include "host/loader/plugin_loader.hpp"
#include "host/runner/protocol.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <new>
#include <ostream>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <variant>

namespace lotse::runner {
namespace {

namespace json = boost::json;

struct runner_arguments {
  std::filesystem::path file;
  std::uint64_t memory_limit_mib = default_memory_limit_mib;
};

// 1 TiB: more is a typo, and the shift to bytes must not overflow.
constexpr std::uint64_t max_memory_limit_mib = std::uint64_t{1} << 20;

std::variant<runner_arguments, std::string> parse_arguments(std::span<const std::string> args) {
  runner_arguments parsed;
  bool have_file = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--memory-limit-mib") {
      if (i + 1 == args.size()) {
        return std::string("--memory-limit-mib needs a value");
      }
      const std::string& value = args[++i];
      std::uint64_t mib = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), mib);
      if (ec != std::errc() || end != value.data() + value.size() || mib > max_memory_limit_mib) {
        return "--memory-limit-mib takes a whole number of MiB up to " + std::to_string(max_memory_limit_mib) +
               " (0: no limit), not \"" + value + "\"";
      }
      parsed.memory_limit_mib = mib;
    } else if (arg.size() > 1 && arg.front() == '-') {
      return "unknown option " + arg;
    } else if (have_file) {
      return std::string("only one plugin FILE can be given");
    } else {
      parsed.file = arg;
      have_file = true;
    }
  }
  if (!have_file) {
    return std::string("the plugin FILE is missing");
  }
  return parsed;
}

struct protocol_fds {
  int in;
  int out;
};

// Moves the protocol off fds 0 and 1 before any plugin code runs: a plugin's printf or std::cout then lands on
// stderr (the host's log), a plugin reading stdin reads /dev/null, and neither can interleave bytes with a response.
// The copies are close-on-exec, so nothing the plugin starts inherits them.
std::variant<protocol_fds, std::string> take_over_stdio(std::ostream& out) {
  out.flush();
  std::fflush(stdout);
  const int in = ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  const int protocol_out = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  if (in < 0 || protocol_out < 0) {
    return std::string("cannot duplicate stdin and stdout: ") + std::strerror(errno);
  }
  const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null < 0 || ::dup2(null, STDIN_FILENO) < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    return std::string("cannot redirect stdin and stdout: ") + std::strerror(errno);
  }
  ::close(null);
  return protocol_fds{in, protocol_out};
}

// The memory limit actually in force (the hard limit may have been lower than asked), in bytes; 0 for none.
std::uint64_t apply_limits(std::uint64_t memory_limit_mib, std::ostream& err) {
  // A crashing plugin must not fill the disk with cores of a process that may hold municipalities' data.
  const rlimit no_core{0, 0};
  if (::setrlimit(RLIMIT_CORE, &no_core) != 0) {
    err << "plugin-runner: cannot disable core dumps: " << std::strerror(errno) << '\n';
  }
  if (memory_limit_mib == 0) {
    return 0;
  }
  rlimit current{};
  ::getrlimit(RLIMIT_AS, &current);
  rlim_t bytes = static_cast<rlim_t>(memory_limit_mib) << 20;
  if (current.rlim_max != RLIM_INFINITY && current.rlim_max < bytes) {
    bytes = current.rlim_max;
  }
  // Soft and hard: the plugin must not be able to raise its own limit.
  const rlimit limit{bytes, bytes};
  if (::setrlimit(RLIMIT_AS, &limit) != 0) {
    err << "plugin-runner: cannot limit the address space: " << std::strerror(errno) << '\n';
    return 0;
  }
  return bytes;
}

// The runner's address space (VmSize), which is what RLIMIT_AS bounds; 0 if /proc cannot tell.
std::uint64_t address_space_bytes() {
  const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return 0;
  }
  std::array<char, 128> text{};
  const ssize_t size = ::read(fd, text.data(), text.size() - 1);
  ::close(fd);
  if (size <= 0) {
    return 0;
  }
  std::uint64_t pages = 0;
  std::from_chars(text.data(), text.data() + size, pages);
  return pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

// Without this a runner whose hook hangs would outlive a host that was killed: nobody would ever close its stdin.
// getppid, not PR_SET_PDEATHSIG, because the latter fires when the *thread* that spawned the runner ends.
void watch_parent(std::ostream& err) {
  const pid_t parent = ::getppid();
  try {
    std::thread([parent] {
      for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        if (::getppid() != parent) {
          std::_Exit(protocol::exit_parent_gone);
        }
      }
    }).detach();
  } catch (const std::system_error& e) {
    err << "plugin-runner: cannot watch the host process: " << e.what() << '\n';
  }
}

class runner {
 public:
  runner(protocol_fds fds, std::filesystem::path file, std::uint64_t memory_limit_bytes, std::ostream& err)
      : fds_(fds), file_(std::move(file)), memory_limit_bytes_(memory_limit_bytes), err_(err) {}

  [[noreturn]] void serve() {
    try {
      const loader::loaded_plugin* plugin = load();
      protocol::line_splitter lines;
      std::array<char, 64 * 1024> chunk{};
      for (;;) {
        while (auto line = lines.next_line()) {
          answer(*plugin, *line);
        }
        if (lines.overflowed()) {
          send(protocol::response{std::nullopt, protocol::status::bad_request, {},
                                  "a request line is longer than the limit of 16 MiB"});
          finish(protocol::exit_failed);
        }
        const ssize_t size = ::read(fds_.in, chunk.data(), chunk.size());
        if (size < 0 && errno == EINTR) {
          continue;
        }
        if (size == 0) {
          finish(protocol::exit_input_closed);
        }
        if (size < 0) {
          err_ << "plugin-runner " << file_.string() << ": cannot read requests: " << std::strerror(errno) << '\n';
          finish(protocol::exit_failed);
        }
        lines.append(std::string_view(chunk.data(), static_cast<std::size_t>(size)));
      }
    } catch (const std::bad_alloc&) {
      // The plugin may have left too little memory for even an answer; the host reads the exit status instead.
      finish(protocol::exit_out_of_memory);
    } catch (const std::exception& e) {
      err_ << "plugin-runner " << file_.string() << ": " << e.what() << '\n';
      finish(protocol::exit_failed);
    }
  }

 private:
  // Opens the plugin and sends the hello. Returns only for a loaded plugin.
  const loader::loaded_plugin* load() {
    loader::load_result result = loader::load_failure{file_, "not loaded"};
    try {
      result = loader::load_plugin(file_);
    } catch (const std::exception& e) {
      result = loader::load_failure{file_, std::string("the plugin runner failed while loading: ") + e.what()};
    }
    if (const auto* failure = std::get_if<loader::load_failure>(&result)) {
      send(protocol::hello_failed{failure->reason});
      finish(protocol::exit_failed);
    }
    plugin_ = std::get<loader::loaded_plugin>(std::move(result));
    send(protocol::hello_loaded{
        .abi = plugin_.abi,
        .sdk_version = plugin_.sdk_version,
        .description_json = plugin_.description_json,
        .has_quote = plugin_.api->quote != nullptr,
    });
    return &plugin_;
  }

  void answer(const loader::loaded_plugin& plugin, std::string_view line) {
    auto decoded = protocol::decode_request(line);
    if (const auto* bad = std::get_if<protocol::malformed>(&decoded)) {
      send(protocol::response{bad->id, protocol::status::bad_request, {}, bad->reason});
      return;
    }
    auto& request = std::get<protocol::request>(decoded);
    if (request.method != "quote") {
      send(protocol::response{request.id, protocol::status::not_supported, {},
                              "the plugin runner does not know the method \"" + request.method + "\""});
      return;
    }
    protocol::response response = call_quote(plugin, request);
    // A hook that ran the runner to its address-space limit leaves it unable to serve more (allocations fail
    // everywhere, also in the runner), and a leak would never end: say so and exit, the host starts a fresh runner.
    if (memory_limit_bytes_ > 0 && address_space_bytes() > memory_limit_bytes_ / 10 * 9) {
      std::string message = "quote used up the runner's memory limit of " +
                            std::to_string(memory_limit_bytes_ >> 20) + " MiB";
      if (response.status != protocol::status::ok) {
        message += " (the plugin answered " + std::string(protocol::status_name(response.status)) + ": " +
                   response.message + ")";
      }
      send(protocol::response{request.id, protocol::status::fatal, {}, std::move(message)});
      finish(protocol::exit_out_of_memory);
    }
    send(response);
  }

  static protocol::response call_quote(const loader::loaded_plugin& plugin, const protocol::request& request) {
    using kind = loader::hook_answer::kind;
    loader::hook_answer answer = loader::call_quote(plugin, json::serialize(request.params));
    switch (answer.status) {
      case kind::ok: {
        json::error_code ec;
        json::value result = json::parse(answer.text, ec);
        if (ec) {  // the loader checked it already; kept so a disagreement between parsers is not a crash
          return {request.id, protocol::status::invalid_response, {}, "the quote is not JSON: " + ec.message()};
        }
        return {request.id, protocol::status::ok, std::move(result), {}};
      }
      case kind::error:
        return {request.id, protocol::status::error, {}, std::move(answer.text)};
      case kind::bad_request:
        return {request.id, protocol::status::bad_request, {}, std::move(answer.text)};
      case kind::not_supported:
        return {request.id, protocol::status::not_supported, {}, std::move(answer.text)};
      case kind::invalid:
        break;
    }
    return {request.id, protocol::status::invalid_response, {}, std::move(answer.text)};
  }

  void send(const protocol::hello& message) { write_line(protocol::encode_hello(message)); }
  void send(const protocol::response& message) { write_line(protocol::encode_response(message)); }

  void write_line(std::string_view line) {
    while (!line.empty()) {
      const ssize_t written = ::write(fds_.out, line.data(), line.size());
      if (written < 0 && errno == EINTR) {
        continue;
      }
      if (written <= 0) {
        finish(protocol::exit_input_closed);  // the host is gone (EPIPE: SIGPIPE is ignored here)
      }
      line.remove_prefix(static_cast<std::size_t>(written));
    }
  }

  // No return and no exit(): static destructors and atexit handlers would run plugin code after the runner is done.
  [[noreturn]] void finish(int code) {
    err_.flush();
    std::fflush(stderr);
    std::_Exit(code);
  }

  protocol_fds fds_;
  std::filesystem::path file_;
  std::uint64_t memory_limit_bytes_;
  std::ostream& err_;
  loader::loaded_plugin plugin_{};
};

}  // namespace

int run_plugin_runner(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") {
      out << "Usage: lotse-host plugin-runner " << runner_usage << "\n  " << runner_summary
          << "\n  --memory-limit-mib N  address-space limit of the runner (default " << default_memory_limit_mib
          << ", 0: none)\n";
      return 0;
    }
  }
  auto parsed = parse_arguments(args);
  if (const auto* message = std::get_if<std::string>(&parsed)) {
    err << "plugin-runner: " << *message << "\nUsage: lotse-host plugin-runner " << runner_usage << '\n';
    return protocol::exit_usage;
  }
  auto& arguments = std::get<runner_arguments>(parsed);

  auto fds = take_over_stdio(out);
  if (const auto* message = std::get_if<std::string>(&fds)) {
    err << "plugin-runner: " << *message << '\n';
    return protocol::exit_failed;
  }
  // The runner is a process of its own, so the process-wide disposition is its to choose: a host that went away
  // ends the runner through a failed write, not through a signal.
  std::signal(SIGPIPE, SIG_IGN);
  watch_parent(err);
  const std::uint64_t memory_limit_bytes = apply_limits(arguments.memory_limit_mib, err);
  runner(std::get<protocol_fds>(fds), std::move(arguments.file), memory_limit_bytes, err).serve();
}

}  // namespace lotse::runner

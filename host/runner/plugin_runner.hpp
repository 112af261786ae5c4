// The plugin runner: the process that loads one plugin and serves its hooks, so that no plugin code runs in the
// server (docs/plugin-isolation.md). lotse-host runs it as `lotse-host plugin-runner FILE [--memory-limit-mib N]`;
// plugin_process spawns it. It is the only place besides the loader's own tests that runs plugin code.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

namespace lotse::runner {

inline constexpr std::string_view runner_usage = "FILE [--memory-limit-mib N]";
inline constexpr std::string_view runner_summary =
    "load one plugin and serve its hooks as JSON lines on stdin/stdout (started by the host, not by hand)";

// The runner's default address-space limit (RLIMIT_AS); 0 means none.
inline constexpr std::uint64_t default_memory_limit_mib = 1024;

// The body of the `plugin-runner` subcommand; args are the words after it. Loads FILE with lotse::loader::load_plugin
// and speaks the protocol of protocol.hpp on the process's stdin and stdout: one hello, then one response per request
// until stdin closes.
//
// It takes over the whole process, so it is only for a process of its own:
//  - the protocol keeps stdin and stdout on descriptors above 2 before the plugin is opened; fd 0 becomes /dev/null
//    and fd 1 a copy of fd 2, so a plugin that prints or reads cannot corrupt the protocol. `out` is therefore only
//    used for --help, and `err` (normally stderr) for the runner's own diagnostics;
//  - it sets RLIMIT_CORE to 0 and RLIMIT_AS to the memory limit (soft and hard), ignores SIGPIPE, and starts a
//    thread that ends the process when its parent changes (the host died while a hook hangs);
//  - once the plugin is opened it ends the process with _Exit instead of returning, so the plugin's static
//    destructors and atexit handlers never run: they could hang or crash a runner that is done.
// Returns 0 after --help, 2 for a bad command line (after writing the usage to err) and 1 when stdin and stdout cannot
// be taken over. Once they are, it never returns; the exit statuses are protocol::exit_code.
int run_plugin_runner(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace lotse::runner

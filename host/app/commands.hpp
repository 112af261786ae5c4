// lotse-host's subcommands besides serving: `lotse-host <command> [arguments]`. Each command is a function from
// its arguments to an exit status, so tests can call it without a process; main() only dispatches.
#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

namespace lotse::app {

struct command {
  std::string_view name;     // one or two words as typed: "export", "plugin check"
  std::string_view usage;    // arguments after the name, for help: "FILE [--db URL]"
  std::string_view summary;  // one line
  // args: everything after the command's name. Returns 0 on success, 1 when the work failed, 2 for bad usage.
  int (*run)(std::span<const std::string> args, std::ostream& out, std::ostream& err);
};

// Every command, in the order `lotse-host --help` lists them.
std::span<const command> commands();

// The command argv names (matching two words before one), or nullptr when argv[1] is an option or absent (then
// the server runs). `consumed` is set to the number of words the name took.
const command* find_command(int argc, const char* const* argv, int& consumed);

// Writes "Commands:" and one line per command, for --help and for an unknown command.
void print_commands(std::ostream& out);

}  // namespace lotse::app

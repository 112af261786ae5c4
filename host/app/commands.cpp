#include "host/app/commands.hpp"

#include "host/app/transfer_commands.hpp"

#include <array>
#include <ostream>

namespace lotse::app {
namespace {

// One line per command; each command lives in its own file beside this one.
const std::array command_table = {
    command{"export", "FILE [--db URL]",
            "write the whole catalog, profiles and curation state to FILE as JSON ('-' for stdout)", &run_export},
    command{"import", "FILE [--db URL]", "load an export into an empty database (e.g. to move to PostgreSQL)",
            &run_import},
};

}  // namespace

std::span<const command> commands() { return command_table; }

const command* find_command(int argc, const char* const* argv, int& consumed) {
  if (argc < 2 || argv[1][0] == '-') {
    return nullptr;
  }
  const std::string first = argv[1];
  const std::string two = argc >= 3 ? first + " " + argv[2] : std::string();
  for (const auto& candidate : command_table) {
    if (!two.empty() && candidate.name == two) {
      consumed = 2;
      return &candidate;
    }
  }
  for (const auto& candidate : command_table) {
    if (candidate.name == first) {
      consumed = 1;
      return &candidate;
    }
  }
  return nullptr;
}

void print_commands(std::ostream& out) {
  out << "Commands (lotse-host <command> --help for details; without a command lotse-host serves HTTP):\n";
  for (const auto& entry : command_table) {
    out << "  " << entry.name << ' ' << entry.usage << "\n      " << entry.summary << '\n';
  }
}

}  // namespace lotse::app

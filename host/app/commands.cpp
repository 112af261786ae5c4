#include "host/app/commands.hpp"

#include "host/app/transfer_commands.hpp"
#include "host/auth/token_commands.hpp"
#include "host/plugin_check/plugin_check.hpp"
#include "host/publishing/bundle.hpp"
#include "host/runner/plugin_runner.hpp"
#include "host/signing/signing_commands.hpp"

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
    command{"plugin check", "FILE [--db URL]",
            "validate a plugin's description and print every error with its JSON pointer (exit 0 valid, 1 not)",
            &plugin_check::run_plugin_check},
    command{"plugin sign", "--key SECRET_KEY_FILE FILE [--out SIG]",
            "write FILE.sig, an Ed25519 signature over the plugin file and its description", &signing::run_plugin_sign},
    command{"plugin bundle", "FILE [--signature SIG] [--out OUT]",
            "pack a signed plugin and its signature into one upload for POST /api/v1/plugins",
            &publishing::run_plugin_bundle},
    command{"keys generate", "--out DIR [--name NAME]", "create a publisher's Ed25519 key pair (docs/plugin-signing.md)",
            &signing::run_keys_generate},
    command{"token create", "--role ROLE [--org ID] [--name NAME] [--label TEXT] [--valid-days N] [--db URL]",
            "issue an API bearer token; prints it once, on the first line", &auth::run_token_create},
    command{"token revoke", "ID [--db URL]", "revoke a token (every host refuses it within 5 s)",
            &auth::run_token_revoke},
    command{"token list", "[--db URL]", "list tokens: id, role, organisation, label, dates (never the token)",
            &auth::run_token_list},
    command{"plugin-runner", runner::runner_usage, runner::runner_summary, &runner::run_plugin_runner},
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

// lotse-host's configuration: command line first, then LOTSE_* environment variables, then defaults.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <variant>

namespace lotse::app {

struct config {
  std::string bind_address = "127.0.0.1";
  unsigned short port = 8080;
  std::string db = "sqlite:lotse.db";
  std::filesystem::path plugins_dir;  // empty: no plugins
  unsigned threads = 2;
  unsigned db_pool = 0;  // database connections; 0 = threads + 2 (one per HTTP thread, the catalog watcher, one spare)
  unsigned catalog_poll_ms = 500;
  unsigned plugin_timeout_ms = 2000;  // deadline of one dynamic hook call (a quote) in a plugin's runner
  unsigned plugin_memory_mib = 1024;  // address-space limit of each plugin runner
  // Plugins in plugins_dir must carry a FILE.sig made with one of the public keys in trusted_keys_dir; this lets
  // unsigned ones load too (development only; uploaded plugins are always verified).
  bool allow_unsigned_plugins = false;
  std::filesystem::path trusted_keys_dir;  // *.public.json files; empty: none
  unsigned demand_flush_ms = 10000;        // how often match counts go to the database
  std::string log_level = "info";
};

// What parse_config decided: run with a config, or exit now with a status after printing help/errors.
struct exit_now {
  int status;
};
using config_result = std::variant<config, exit_now>;

// Parses argv and the environment (a map from LOTSE_* names to values is read through getenv); writes --help and
// any error to `out`/`err`.
config_result parse_config(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace lotse::app

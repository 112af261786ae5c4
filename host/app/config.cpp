#include "host/app/config.hpp"

#include <boost/program_options.hpp>

#include <array>
#include <ostream>

namespace lotse::app {
namespace po = boost::program_options;

namespace {

constexpr std::array<std::string_view, 7> log_levels = {"trace", "debug", "info", "warn", "error", "critical", "off"};

// LOTSE_LOG_LEVEL -> log-level; anything not ours maps to "" and is ignored.
std::string environment_name_to_option(const std::string& variable) {
  static const std::array<std::pair<std::string_view, std::string_view>, 10> names = {{
      {"LOTSE_BIND", "bind"},
      {"LOTSE_PORT", "port"},
      {"LOTSE_DB", "db"},
      {"LOTSE_PLUGINS", "plugins"},
      {"LOTSE_THREADS", "threads"},
      {"LOTSE_DB_POOL", "db-pool"},
      {"LOTSE_CATALOG_POLL_MS", "catalog-poll-ms"},
      {"LOTSE_PLUGIN_TIMEOUT_MS", "plugin-timeout-ms"},
      {"LOTSE_PLUGIN_MEMORY_MIB", "plugin-memory-mib"},
      {"LOTSE_LOG_LEVEL", "log-level"},
  }};
  for (const auto& [env, option] : names) {
    if (variable == env) {
      return std::string(option);
    }
  }
  return {};
}

}  // namespace

config_result parse_config(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  config cfg;
  std::string plugins;
  std::string trusted_keys;
  unsigned port = cfg.port;
  po::options_description options(
      "lotse-host: serves Lotse, the marketplace and matching engine for digital solutions of small municipalities.\n"
      "Every option can also be set as an environment variable LOTSE_<OPTION> (e.g. LOTSE_PORT=9090);\n"
      "the command line wins.\n\nOptions");
  options.add_options()
      ("help,h", "show this help and exit")
      ("bind", po::value(&cfg.bind_address)->default_value(cfg.bind_address), "address to listen on (LOTSE_BIND)")
      ("port", po::value(&port)->default_value(port), "TCP port; 0 picks a free one (LOTSE_PORT)")
      ("db", po::value(&cfg.db)->default_value(cfg.db),
       "catalog database: sqlite:PATH, or postgresql://USER@HOST:PORT/DBNAME (a libpq URI) (LOTSE_DB)")
      ("db-pool", po::value(&cfg.db_pool)->default_value(cfg.db_pool),
       "database connections, 1-256; 0 means threads + 2 (LOTSE_DB_POOL)")
      ("catalog-poll-ms", po::value(&cfg.catalog_poll_ms)->default_value(cfg.catalog_poll_ms),
       "how often to check for catalog changes made by other hosts, 50-60000 ms (LOTSE_CATALOG_POLL_MS)")
      ("plugin-timeout-ms", po::value(&cfg.plugin_timeout_ms)->default_value(cfg.plugin_timeout_ms),
       "deadline of a plugin's dynamic hook (a quote), 50-60000 ms (LOTSE_PLUGIN_TIMEOUT_MS)")
      ("plugin-memory-mib", po::value(&cfg.plugin_memory_mib)->default_value(cfg.plugin_memory_mib),
       "memory limit of each plugin runner process, 64-65536 MiB (LOTSE_PLUGIN_MEMORY_MIB)")
      ("plugins", po::value(&plugins), "directory of provider plugins (*.so) to load (LOTSE_PLUGINS)")
      ("trusted-keys", po::value(&trusted_keys),
       "directory of publisher public keys (*.public.json) whose signatures the plugins directory may carry "
       "(LOTSE_TRUSTED_KEYS)")
      ("allow-unsigned-plugins", po::bool_switch(&cfg.allow_unsigned_plugins),
       "development only: also load plugins of the plugins directory that carry no signature; effective at start-up "
       "only, uploads are always verified (LOTSE_ALLOW_UNSIGNED_PLUGINS=true)")
      ("demand-flush-ms", po::value(&cfg.demand_flush_ms)->default_value(cfg.demand_flush_ms),
       "how often publishers' demand counts are written to the database, 100-600000 ms (LOTSE_DEMAND_FLUSH_MS)")
      ("threads", po::value(&cfg.threads)->default_value(cfg.threads), "HTTP worker threads, 1-64 (LOTSE_THREADS)")
      ("log-level", po::value(&cfg.log_level)->default_value(cfg.log_level),
       "trace, debug, info, warn, error, critical or off (LOTSE_LOG_LEVEL)");

  po::variables_map vm;
  try {
    // The first value stored wins in program_options, so the command line goes in before the environment.
    po::store(po::parse_command_line(argc, argv, options), vm);
    po::store(po::parse_environment(options, environment_name_to_option), vm);
    if (vm.count("help") != 0) {
      out << options << '\n';
      return exit_now{0};
    }
    po::notify(vm);
  } catch (const po::error& e) {
    err << "lotse-host: " << e.what() << "\nTry 'lotse-host --help'.\n";
    return exit_now{2};
  }
  if (port > 65535) {
    err << "lotse-host: --port must be from 0 to 65535, got " << port << "\n";
    return exit_now{2};
  }
  cfg.port = static_cast<unsigned short>(port);
  if (cfg.threads < 1 || cfg.threads > 64) {
    err << "lotse-host: --threads must be from 1 to 64, got " << cfg.threads << "\n";
    return exit_now{2};
  }
  if (cfg.db_pool > 256) {
    err << "lotse-host: --db-pool must be from 0 to 256, got " << cfg.db_pool << "\n";
    return exit_now{2};
  }
  if (cfg.catalog_poll_ms < 50 || cfg.catalog_poll_ms > 60000) {
    err << "lotse-host: --catalog-poll-ms must be from 50 to 60000, got " << cfg.catalog_poll_ms << "\n";
    return exit_now{2};
  }
  if (cfg.plugin_timeout_ms < 50 || cfg.plugin_timeout_ms > 60000) {
    err << "lotse-host: --plugin-timeout-ms must be from 50 to 60000, got " << cfg.plugin_timeout_ms << "\n";
    return exit_now{2};
  }
  if (cfg.plugin_memory_mib < 64 || cfg.plugin_memory_mib > 65536) {
    err << "lotse-host: --plugin-memory-mib must be from 64 to 65536, got " << cfg.plugin_memory_mib << "\n";
    return exit_now{2};
  }
  if (cfg.demand_flush_ms < 100 || cfg.demand_flush_ms > 600000) {
    err << "lotse-host: --demand-flush-ms must be from 100 to 600000, got " << cfg.demand_flush_ms << "\n";
    return exit_now{2};
  }
  if (std::find(log_levels.begin(), log_levels.end(), cfg.log_level) == log_levels.end()) {
    err << "lotse-host: --log-level must be one of trace, debug, info, warn, error, critical, off; got '"
        << cfg.log_level << "'\n";
    return exit_now{2};
  }
  cfg.plugins_dir = plugins;
  cfg.trusted_keys_dir = trusted_keys;
  return cfg;
}

}  // namespace lotse::app

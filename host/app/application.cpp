#include "host/app/application.hpp"

#include "catalog/domain/description_json.hpp"
#include "catalog/store/store.hpp"
#include "host/api/catalog_snapshot.hpp"
#include "host/api/routes.hpp"
#include "host/app/catalog_watcher.hpp"
#include "host/app/commands.hpp"
#include "host/app/config.hpp"
#include "host/http/server.hpp"
#include "host/api/quote_routes.hpp"
#include "host/loader/plugin_loader.hpp"
#include "host/runner/plugin_process.hpp"
#include "host/runner/plugin_registry.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

namespace lotse::app {
namespace {

// A plugin's description failed validation: one log line naming the file, the count and the first errors.
void log_invalid_description(const std::filesystem::path& file, const domain::field_errors& errors) {
  std::string shown;
  for (std::size_t i = 0; i < errors.size() && i < 3; ++i) {
    shown += (i > 0 ? "; " : "") + errors[i].pointer + " " + errors[i].message;
  }
  spdlog::warn("plugin {} skipped: its description has {} schema error(s): {}{}", file.filename().string(),
               errors.size(), shown, errors.size() > 3 ? "; …" : "");
}

// Starts a runner for every plugin of the directory (no plugin code runs in this process) and writes each valid
// description into the store. A plugin that fails keeps its last good description in the store (a broken upgrade
// does not make solutions vanish); a plugin whose file is gone is removed. The runners of the loaded plugins go to
// the registry, for the dynamic hooks.
void sync_plugins(const std::filesystem::path& dir, const runner::runner_options& options, catalog::store& store,
                  runner::plugin_registry& registry) {
  std::vector<std::string> present;
  std::size_t loaded = 0;
  for (auto& result : runner::start_directory(dir, options)) {
    if (const auto* failure = std::get_if<loader::load_failure>(&result)) {
      present.push_back(failure->file.filename().string());
      continue;  // start_directory has logged why
    }
    auto& plugin = std::get<runner::started_plugin>(result);
    const auto file = plugin.info.file.filename().string();
    present.push_back(file);
    auto parsed = domain::parse_provider_description(boost::json::parse(plugin.info.description_json));
    if (!parsed.ok()) {
      log_invalid_description(plugin.info.file, parsed.errors);
      continue;
    }
    try {
      store.replace_provider(parsed.value, file);
      registry.put(parsed.value.provider_info.id, std::move(plugin.process));
      ++loaded;
    } catch (const catalog::store_error& e) {
      spdlog::warn("plugin {} skipped: {}", file, e.what());
    }
  }
  for (const auto& removed : store.remove_providers_except(present)) {
    spdlog::info("provider {} removed: its plugin is no longer in {}", removed, dir.string());
  }
  spdlog::info("{} plugin(s) loaded from {}", loaded, dir.string());
}

}  // namespace

int run(int argc, const char* const* argv) {
  int consumed = 0;
  if (const auto* command = find_command(argc, argv, consumed)) {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::set_level(spdlog::level::warn);  // a command's own output is what counts; the store's info lines are noise
    const std::vector<std::string> args(argv + 1 + consumed, argv + argc);
    return command->run(args, std::cout, std::cerr);
  }
  if (argc >= 2 && argv[1][0] != '-') {
    std::cerr << "lotse-host: unknown command '" << argv[1] << "'\n";
    print_commands(std::cerr);
    return 2;
  }
  const auto parsed = parse_config(argc, argv, std::cout, std::cerr);
  if (const auto* exit = std::get_if<exit_now>(&parsed)) {
    if (exit->status == 0) {
      print_commands(std::cout);  // it was --help
    }
    return exit->status;
  }
  const auto& cfg = std::get<config>(parsed);
  spdlog::set_level(spdlog::level::from_str(cfg.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  try {
    const std::size_t pool = cfg.db_pool != 0 ? cfg.db_pool : cfg.threads + 2;
    auto store = catalog::store::open({cfg.db, pool});
    spdlog::info("catalog {} at schema version {}", cfg.db, store->schema_version());
    runner::plugin_registry plugins;
    if (!cfg.plugins_dir.empty()) {
      auto options = runner::host_runner_options();
      options.call_timeout = std::chrono::milliseconds(cfg.plugin_timeout_ms);
      options.memory_limit_mib = cfg.plugin_memory_mib;
      sync_plugins(cfg.plugins_dir, options, *store, plugins);
    }
    // The revision is read before the catalog, so a change another host makes in between is loaded again by the
    // watcher rather than missed.
    const auto revision = store->catalog_revision();
    api::catalog_holder catalog(std::make_shared<const api::catalog_snapshot>(store->load_catalog()));
    const auto snapshot = catalog.get();
    spdlog::info("catalog has {} provider(s) and {} solution(s)", snapshot->providers().size(),
                 snapshot->solutions().size());
    catalog_watcher watcher(*store, catalog, revision, std::chrono::milliseconds(cfg.catalog_poll_ms));

    http::router router;
    api::api_context context{catalog, *store, [&watcher] { return watcher.database_reachable(); }};
    api::register_routes(router, context);
    api::register_quote_routes(router, context, plugins);

    http::server_options options;
    options.bind_address = cfg.bind_address;
    options.port = cfg.port;
    options.threads = cfg.threads;
    http::server server(options, router);
    // Signals first: a supervisor may send SIGTERM as soon as it reads "listening", and that must drain, not kill.
    server.stop_on_signals();
    server.listen();
    server.run();
    spdlog::info("shutdown complete");
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("lotse-host cannot start: {}", e.what());
    return 1;
  }
}

}  // namespace lotse::app

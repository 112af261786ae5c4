#include "host/app/application.hpp"

#include "catalog/store/account_store.hpp"
#include "catalog/store/curation_store.hpp"
#include "catalog/store/demand_store.hpp"
#include "catalog/store/store.hpp"
#include "host/api/catalog_snapshot.hpp"
#include "host/api/demand_routes.hpp"
#include "host/api/endorsement_routes.hpp"
#include "host/api/key_routes.hpp"
#include "host/api/plugin_routes.hpp"
#include "host/api/routes.hpp"
#include "host/auth/auth.hpp"
#include "host/demand/demand_recorder.hpp"
#include "host/publishing/bundle.hpp"
#include "host/publishing/local_plugins.hpp"
#include "host/publishing/published_plugins.hpp"
#include "host/app/catalog_watcher.hpp"
#include "host/app/commands.hpp"
#include "host/app/config.hpp"
#include "host/http/server.hpp"
#include "host/api/quote_routes.hpp"
#include "host/runner/plugin_process.hpp"
#include "host/runner/plugin_registry.hpp"

#include <spdlog/spdlog.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <system_error>

namespace lotse::app {
namespace {

// The host's private directory for verified plugin copies (signing::copy_into_owned_directory's rules: created
// 0700 by this user). A fresh one per process, removed at exit: the host keeps no state of its own, and every copy in
// it is made again from the plugin directory or the database at the next start.
class private_directory {
 public:
  private_directory() {
    const char* base = std::getenv("TMPDIR");
    const std::filesystem::path parent(base != nullptr && *base != '\0' ? base : "/tmp");
    remove_abandoned(parent);
    std::string pattern = (parent / "lotse-host-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a private directory for plugin copies under " + pattern + ": " +
                               std::strerror(errno));
    }
    path_ = pattern;
    // Who owns it: a host killed with SIGKILL cannot remove its directory, so the next host to start removes it.
    std::ofstream(path_ / "pid") << ::getpid() << '\n';
  }
  ~private_directory() {
    std::error_code ignored;
    // Copies are read-only files in a directory we own: removable.
    std::filesystem::remove_all(path_, ignored);
  }
  private_directory(const private_directory&) = delete;
  private_directory& operator=(const private_directory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  // The directories of hosts that died without cleaning up: ours (same user), with a pid file naming a process that
  // no longer exists. A directory without a pid file may be one being created right now, and is left alone.
  static void remove_abandoned(const std::filesystem::path& parent) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(parent, ec)) {
      const auto name = entry.path().filename().string();
      struct stat status {};
      if (!name.starts_with("lotse-host-") || ::lstat(entry.path().c_str(), &status) != 0 ||
          !S_ISDIR(status.st_mode) || status.st_uid != ::geteuid()) {
        continue;
      }
      std::ifstream pid_file(entry.path() / "pid");
      pid_t pid = 0;
      if (!(pid_file >> pid) || pid <= 0 || ::kill(pid, 0) == 0 || errno != ESRCH) {
        continue;
      }
      std::error_code ignored;
      std::filesystem::remove_all(entry.path(), ignored);
    }
  }

  std::filesystem::path path_;
};

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
    catalog::account_store accounts(*store);
    catalog::curation_store curation(*store);
    catalog::demand_store demand(*store);
    const private_directory owned;
    auto runner_options = runner::host_runner_options();
    runner_options.call_timeout = std::chrono::milliseconds(cfg.plugin_timeout_ms);
    runner_options.memory_limit_mib = cfg.plugin_memory_mib;

    runner::plugin_registry plugins;
    if (!cfg.plugins_dir.empty()) {
      publishing::local_plugin_options local{cfg.plugins_dir, {}, cfg.allow_unsigned_plugins, owned.path() / "local",
                                             runner_options};
      if (!cfg.trusted_keys_dir.empty()) {
        local.trusted_keys = publishing::read_trusted_keys(cfg.trusted_keys_dir);
      }
      publishing::sync_local_plugins(local, *store, plugins);
    }
    publishing::published_plugins published(curation, accounts, plugins, owned.path() / "published", runner_options);
    const auto sync_published = [&published] {
      try {
        published.sync();
      } catch (const std::exception& e) {
        spdlog::error("starting the runners of approved plugins failed (retried at the next catalog change): {}",
                      e.what());
      }
    };
    sync_published();

    // A snapshot is the catalog and the curators' endorsements together, so matching sees both from one revision.
    const auto load_snapshot = [&store, &curation] {
      return std::make_shared<const api::catalog_snapshot>(store->load_catalog(), curation.endorsements());
    };
    // The revision is read before the catalog, so a change another host makes in between is loaded again by the
    // watcher rather than missed.
    const auto revision = store->catalog_revision();
    api::catalog_holder catalog(load_snapshot());
    const auto snapshot = catalog.get();
    spdlog::info("catalog has {} provider(s) and {} solution(s)", snapshot->providers().size(),
                 snapshot->solutions().size());
    catalog_watcher watcher(*store, catalog, revision, std::chrono::milliseconds(cfg.catalog_poll_ms), load_snapshot,
                            sync_published);
    const auth::authenticator authenticator(accounts);
    demand::demand_recorder recorder(demand, std::chrono::milliseconds(cfg.demand_flush_ms));

    http::router router;
    api::api_context context{catalog, *store, [&watcher] { return watcher.database_reachable(); }, &authenticator,
                             &recorder};
    api::register_routes(router, context);
    api::register_quote_routes(router, context, plugins);
    api::register_key_routes(router, context, accounts);
    api::register_demand_routes(router, context, curation, demand);
    const auto refresh = [&watcher] { watcher.refresh_now(); };
    api::publishing_context publishing{curation, accounts, plugins, published, owned.path() / "uploads", runner_options,
                                       refresh};
    api::register_plugin_routes(router, context, publishing);
    api::register_endorsement_routes(router, context, curation, refresh);

    http::server_options options;
    options.bind_address = cfg.bind_address;
    options.port = cfg.port;
    options.threads = cfg.threads;
    // Plugin bundles carry a library; every other body stays within the default limit.
    options.body_limits = {{boost::beast::http::verb::post, "/api/v1/plugins", publishing::max_bundle_bytes}};
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

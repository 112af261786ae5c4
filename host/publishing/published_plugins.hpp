// Every host runs the approved uploads itself: after each catalog change it compares the approved submissions in
// the database with the runners it has, and for a new one fetches the library, writes it into its own directory,
// verifies the publisher's signature there again (the database is not trusted more than an upload), starts the
// verified copy in a runner and puts it into the registry; runners of withdrawn or superseded versions are stopped.
// The descriptions themselves reach matching through the catalog snapshot, so matching never waits for this.
#pragma once

#include "catalog/store/account_store.hpp"
#include "catalog/store/curation_store.hpp"
#include "host/runner/plugin_process.hpp"
#include "host/runner/plugin_registry.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace lotse::publishing {

class published_plugins {
 public:
  published_plugins(const catalog::curation_store& curation, const catalog::account_store& accounts,
                    runner::plugin_registry& registry, std::filesystem::path owned_dir, runner::runner_options options);

  // Brings the registry in step with the approved submissions. Failures to start one plugin are logged and retried
  // at the next sync; store errors propagate (the caller retries later). Thread-safe (syncs are serialized).
  void sync();

  // The submission whose runner serves the provider on this host, if an upload does.
  std::optional<std::int64_t> running_submission(const std::string& provider_id) const;

 private:
  const catalog::curation_store& curation_;
  const catalog::account_store& accounts_;
  runner::plugin_registry& registry_;
  std::filesystem::path owned_dir_;
  runner::runner_options options_;
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t> running_;  // provider id -> submission id
  std::map<std::int64_t, std::string> failed_;   // submission id -> why it does not run (logged once)
};

}  // namespace lotse::publishing

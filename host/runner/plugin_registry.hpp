// The runners of the plugins this host loaded, by provider id, so an API route can reach a provider's dynamic hooks.
// Filled at start-up (and by reloads); read by request threads.
#pragma once

#include "host/runner/plugin_process.hpp"

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

namespace lotse::runner {

class plugin_registry {
 public:
  // Replaces the provider's runner; the old one (if any) is destroyed once no caller holds it any more.
  void put(const std::string& provider_id, std::shared_ptr<plugin_process> process);
  void remove(const std::string& provider_id);
  // nullptr when this host runs no plugin for the provider.
  std::shared_ptr<plugin_process> find(const std::string& provider_id) const;
  // Every provider's runner, sorted by provider id (for curators: which runners are up, which quarantined).
  std::vector<std::pair<std::string, std::shared_ptr<plugin_process>>> list() const;

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<plugin_process>, std::less<>> processes_;
};

}  // namespace lotse::runner

#include "host/runner/plugin_registry.hpp"

#include <mutex>

namespace lotse::runner {

void plugin_registry::put(const std::string& provider_id, std::shared_ptr<plugin_process> process) {
  std::unique_lock lock(mutex_);
  processes_[provider_id] = std::move(process);
}

void plugin_registry::remove(const std::string& provider_id) {
  std::unique_lock lock(mutex_);
  processes_.erase(provider_id);
}

std::shared_ptr<plugin_process> plugin_registry::find(const std::string& provider_id) const {
  std::shared_lock lock(mutex_);
  const auto found = processes_.find(provider_id);
  return found == processes_.end() ? nullptr : found->second;
}

}  // namespace lotse::runner

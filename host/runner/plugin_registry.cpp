#include "host/runner/plugin_registry.hpp"

#include <mutex>

namespace lotse::runner {

// The replaced runner is released after the lock: stopping it waits for the process, and lookups should not.
void plugin_registry::put(const std::string& provider_id, std::shared_ptr<plugin_process> process) {
  std::unique_lock lock(mutex_);
  std::swap(processes_[provider_id], process);
}

void plugin_registry::remove(const std::string& provider_id) {
  std::shared_ptr<plugin_process> released;
  std::unique_lock lock(mutex_);
  if (const auto found = processes_.find(provider_id); found != processes_.end()) {
    released = std::move(found->second);
    processes_.erase(found);
  }
  lock.unlock();
}

std::vector<std::pair<std::string, std::shared_ptr<plugin_process>>> plugin_registry::list() const {
  std::shared_lock lock(mutex_);
  return {processes_.begin(), processes_.end()};
}

std::shared_ptr<plugin_process> plugin_registry::find(const std::string& provider_id) const {
  std::shared_lock lock(mutex_);
  const auto found = processes_.find(provider_id);
  return found == processes_.end() ? nullptr : found->second;
}

}  // namespace lotse::runner

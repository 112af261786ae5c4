#include "host/app/catalog_watcher.hpp"

#include <spdlog/spdlog.h>

namespace lotse::app {

catalog_watcher::catalog_watcher(catalog::store& store, api::catalog_holder& catalog, std::int64_t revision,
                                 std::chrono::milliseconds interval, snapshot_loader load, change_listener on_change)
    : store_(store),
      catalog_(catalog),
      load_(std::move(load)),
      on_change_(std::move(on_change)),
      revision_(revision),
      interval_(interval),
      thread_([this] { loop(); }) {}

void catalog_watcher::refresh_now() { poll(); }

catalog_watcher::~catalog_watcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool catalog_watcher::database_reachable() const {
  std::lock_guard lock(mutex_);
  return reachable_;
}

void catalog_watcher::loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    poll();
    lock.lock();
  }
}

void catalog_watcher::poll() {
  std::lock_guard polling(poll_mutex_);
  bool reachable = true;
  try {
    const auto revision = store_.catalog_revision();
    if (revision != revision_) {
      // Read the revision first and the catalog second: a change committed in between is then loaded now and
      // noticed once more at the next poll, never missed.
      auto snapshot = load_();
      spdlog::info("catalog changed (revision {} -> {}): now {} provider(s) and {} solution(s)", revision_, revision,
                   snapshot->providers().size(), snapshot->solutions().size());
      catalog_.replace(std::move(snapshot));
      revision_ = revision;
      if (on_change_) {
        on_change_();
      }
    }
  } catch (const catalog::store_unavailable&) {
    reachable = false;  // the store has logged why
  } catch (const std::exception& e) {
    // A corrupted document, say: keep serving the snapshot we have rather than none, and keep saying so.
    spdlog::error("catalog reload failed, still serving revision {}: {}", revision_, e.what());
  }
  std::lock_guard lock(mutex_);
  if (reachable != reachable_) {
    if (reachable) {
      spdlog::info("database reachable again");
    } else {
      spdlog::warn("database not reachable: serving the catalog from memory; writes answer 503 until it is back");
    }
  }
  reachable_ = reachable;
}

}  // namespace lotse::app

// Keeps this host's in-memory catalog snapshot in step with the database that several hosts may share: it polls
// the store's catalog revision and, when another host (or an import, or curation) changed the catalog, loads it
// again and swaps the snapshot in. Requests in flight keep the snapshot they started with.
//
// Why polling and not PostgreSQL's LISTEN/NOTIFY: the revision is one indexed single-row read, so polling every
// 500 ms costs a host two tiny queries a second; it works the same on SQLite (several processes on one file) and
// PostgreSQL; and it cannot miss a change, whereas notifications sent while a host is reconnecting are lost and
// would need this poll as a fallback anyway. A change is therefore visible everywhere within one interval plus the
// reload time (docs/operations.md has the measurements).
#pragma once

#include "catalog/store/store.hpp"
#include "host/api/catalog_snapshot.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace lotse::app {

class catalog_watcher {
 public:
  // Reads the catalog (and whatever else a snapshot holds) from the store.
  using snapshot_loader = std::function<std::shared_ptr<const api::catalog_snapshot>()>;
  // Called after each swap, on the thread that swapped (e.g. to start the runners of newly approved plugins).
  using change_listener = std::function<void()>;

  // `revision` is the revision the holder's current snapshot was loaded at. Starts polling at once.
  catalog_watcher(catalog::store& store, api::catalog_holder& catalog, std::int64_t revision,
                  std::chrono::milliseconds interval, snapshot_loader load, change_listener on_change = {});
  ~catalog_watcher();  // stops and joins
  catalog_watcher(const catalog_watcher&) = delete;
  catalog_watcher& operator=(const catalog_watcher&) = delete;

  // Polls now, on the calling thread, and returns once a change made before the call is in the snapshot: for a
  // request that changed the catalog itself and should see the change in its own answer and the next request's.
  void refresh_now();

  // Whether the last poll reached the database (for /healthz).
  bool database_reachable() const;

 private:
  void loop();
  void poll();

  catalog::store& store_;
  api::catalog_holder& catalog_;
  snapshot_loader load_;
  change_listener on_change_;
  std::mutex poll_mutex_;  // one poll at a time: the loop's and refresh_now's
  std::int64_t revision_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool reachable_ = true;
  std::thread thread_;
};

}  // namespace lotse::app

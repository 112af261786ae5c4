// Counting what matches show and exclude, for publishers' demand signals (catalog/store/demand_store.hpp). A match
// only adds to counters in memory; a background thread adds them to the database every flush interval, so a match
// never waits on the database and a database outage loses no count (they wait for the next flush).
//
// What is counted is what the match reported: its results (at most top_k) as "shown", and its reported exclusions
// (match_outcome::excluded, at most max_excluded, the most relevant ones) as "excluded". A solution excluded beyond
// max_excluded is not counted, so "excluded" reads "excluded although it was among the solutions serving the
// municipality's stated needs best": the signal a publisher can act on. It also keeps counting one match bounded
// however large the catalog grows.
//
// Memory is bounded: at most max_pending_keys distinct (solution, event, reason) keys wait in memory. During a long
// database outage new keys beyond that are dropped (with one warning per outage), while counts of keys already
// pending keep growing, so nothing is lost for the solutions already seen.
#pragma once

#include "catalog/store/demand_store.hpp"
#include "host/matching/engine.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>

namespace lotse::demand {

class demand_recorder {
 public:
  static constexpr std::size_t default_max_pending_keys = 100'000;

  // Starts the flushing thread. Throws std::invalid_argument for an interval that is not positive.
  demand_recorder(catalog::demand_store& store, std::chrono::milliseconds flush_interval,
                  std::size_t max_pending_keys = default_max_pending_keys);
  ~demand_recorder();  // stops the thread and flushes once more (a failure is logged: those counts are lost)
  demand_recorder(const demand_recorder&) = delete;
  demand_recorder& operator=(const demand_recorder&) = delete;

  // Counts each result as ("shown", ""), and each reported exclusion once as ("excluded", "") and once more per
  // constraint it violated as ("excluded", code); a solution missing two capabilities counts once under
  // "missing_capability". Thread-safe; no I/O.
  void record(const matching::match_outcome& outcome);

  // Adds the pending counts to the store now; returns how many (solution, event, reason) rows it wrote. When the
  // store fails, the counts stay pending for the next flush and the exception propagates.
  std::size_t flush();

 private:
  using key = std::tuple<std::string, std::string, std::string>;  // solution, event, reason
  void loop();

  catalog::demand_store& store_;
  std::chrono::milliseconds interval_;
  std::size_t max_pending_keys_;
  std::mutex pending_mutex_;
  std::map<key, std::int64_t> pending_;
  bool dropping_ = false;  // a key was dropped since the last successful flush (guarded by pending_mutex_)
  std::mutex flush_mutex_;  // one flush at a time
  std::mutex thread_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lotse::demand

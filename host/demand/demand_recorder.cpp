#include "host/demand/demand_recorder.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace lotse::demand {

demand_recorder::demand_recorder(catalog::demand_store& store, std::chrono::milliseconds flush_interval,
                                 std::size_t max_pending_keys)
    : store_(store), interval_(flush_interval), max_pending_keys_(max_pending_keys) {
  if (interval_.count() <= 0) {
    throw std::invalid_argument("demand signals: the flush interval must be positive, not " +
                                std::to_string(interval_.count()) + " ms");
  }
  // Started last: the thread uses every other member.
  thread_ = std::thread([this] { loop(); });
}

demand_recorder::~demand_recorder() {
  {
    std::lock_guard lock(thread_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  try {
    flush();
  } catch (const std::exception& e) {
    std::size_t lost = 0;
    {
      std::lock_guard lock(pending_mutex_);
      lost = pending_.size();
    }
    spdlog::error("demand signals: the last flush at shutdown failed; {} count(s) are lost: {}", lost, e.what());
  }
}

void demand_recorder::record(const matching::match_outcome& outcome) {
  // The keys are built before taking the lock, so concurrent matches hold it only for the map updates.
  std::vector<key> keys;
  keys.reserve(outcome.results.size() + 2 * outcome.excluded.size());
  for (const auto& result : outcome.results) {
    if (result.solution != nullptr) {
      keys.emplace_back(result.solution->id, catalog::demand_event::shown, "");
    }
  }
  for (const auto& excluded : outcome.excluded) {
    if (excluded.solution == nullptr) {
      continue;
    }
    keys.emplace_back(excluded.solution->id, catalog::demand_event::excluded, "");
    // A constraint violated several times (one violation per missing capability) still excluded the solution once.
    std::set<std::string_view> codes;
    for (const auto& reason : excluded.reasons) {
      if (codes.insert(reason.constraint).second) {
        keys.emplace_back(excluded.solution->id, catalog::demand_event::excluded, std::string(reason.constraint));
      }
    }
  }

  bool warn = false;
  std::size_t pending_keys = 0;
  {
    std::lock_guard lock(pending_mutex_);
    for (auto& k : keys) {
      if (auto found = pending_.find(k); found != pending_.end()) {
        ++found->second;
      } else if (pending_.size() < max_pending_keys_) {
        pending_.emplace(std::move(k), 1);
      } else if (!dropping_) {
        dropping_ = true;
        warn = true;
        pending_keys = pending_.size();
      }
    }
  }
  if (warn) {
    spdlog::warn("demand signals: {} counts are waiting to be written (is the database reachable?); counts of "
                 "further solutions are dropped until a flush succeeds",
                 pending_keys);
  }
}

std::size_t demand_recorder::flush() {
  std::lock_guard flushing(flush_mutex_);
  std::map<key, std::int64_t> batch;
  {
    std::lock_guard lock(pending_mutex_);
    batch.swap(pending_);
  }
  if (batch.empty()) {
    return 0;
  }
  std::vector<catalog::demand_count> increments;
  increments.reserve(batch.size());
  for (const auto& [k, n] : batch) {
    increments.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), n});
  }
  try {
    store_.add(increments);
  } catch (...) {
    // add() writes all or nothing, so every count of the batch goes back, beside what was recorded meanwhile. This
    // may take pending beyond max_pending_keys: those counts were accepted, and dropping them now would lose them.
    std::lock_guard lock(pending_mutex_);
    if (batch.size() > pending_.size()) {
      batch.swap(pending_);  // merge the smaller map into the larger one
    }
    for (auto& [k, n] : batch) {
      pending_[k] += n;
    }
    throw;
  }
  std::lock_guard lock(pending_mutex_);
  dropping_ = false;
  return increments.size();
}

void demand_recorder::loop() {
  bool failing = false;  // one warning per outage, not one per interval
  std::unique_lock lock(thread_mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      flush();
      if (failing) {
        spdlog::info("demand signals: writing counts works again");
        failing = false;
      }
    } catch (const std::exception& e) {
      if (!failing) {
        spdlog::warn("demand signals: writing counts failed; they are kept and retried every {} ms: {}",
                     interval_.count(), e.what());
        failing = true;
      }
    }
    lock.lock();
  }
}

}  // namespace lotse::demand

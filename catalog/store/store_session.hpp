// The store's connection handling, shared by every part of lotse_store (store.cpp, account_store.cpp,
// curation_store.cpp, demand_store.cpp): the pool with its reconnect bookkeeping, leasing a connection, and run(),
// which turns SOCI's errors into store_error / store_unavailable. Internal to lotse_store: it pulls in SOCI.
#pragma once

#include "catalog/store/store.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lotse::catalog {

struct detail::store_state {
  std::unique_ptr<soci::connection_pool> pool;  // soci::connection_pool can be neither copied nor moved
  bool sqlite = false;
  std::string display;
  // Incremented whenever a lost PostgreSQL connection is noticed. A pooled connection opened before the latest
  // outage is reconnected when next leased: after a server restart every connection of the pool is dead, and
  // finding that out one failed request at a time would fail as many requests as the pool has connections.
  std::atomic<std::uint64_t> outage_epoch{0};
  std::vector<std::uint64_t> slot_epoch;  // per pool position; touched only by the position's leaseholder
  // One warning per outage, not one per attempt: the catalog watcher alone retries twice a second.
  std::atomic<bool> outage_reported{false};
};

namespace detail {

// libpq's messages span several lines; a store_error message is one.
inline std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') {
    text.pop_back();
  }
  return text;
}

// What of a database error message may reach a store_error: its first line. PostgreSQL goes on with "LINE 1: …"
// quoting the statement, and statements stay in the log.
inline std::string first_line(const std::string& text) { return one_line(text.substr(0, text.find('\n'))); }

inline constexpr int sqlite_busy = 5;    // SQLITE_BUSY: another connection holds the lock past busy_timeout
inline constexpr int sqlite_locked = 6;  // SQLITE_LOCKED

// One round trip on the connection. Used after an error (the transaction has been rolled back by then, so a plain
// SELECT is allowed) and before writes.
inline bool answers(soci::session& sql) noexcept {
  try {
    int one = 0;
    sql << "SELECT 1", soci::into(one);
    return one == 1;
  } catch (...) {
    return false;
  }
}

// Whether an error means "the database is not reachable now" rather than "this operation is wrong". For
// PostgreSQL the connection is asked directly, because a dropped connection does not always come with an SQLSTATE.
inline bool is_outage(const soci::soci_error& error, soci::session& sql, bool sqlite) {
  if (sqlite) {
    const auto* sqlite_error = dynamic_cast<const soci::sqlite3_soci_error*>(&error);
    return sqlite_error != nullptr &&
           (sqlite_error->result() == sqlite_busy || sqlite_error->result() == sqlite_locked);
  }
  return error.get_error_category() == soci::soci_error::connection_error || !answers(sql);
}

// One pooled connection for the duration of one store operation. For PostgreSQL it makes sure the connection is
// usable first: reconnecting it if an outage was noticed since it was opened, and for writes also pinging it, so a
// write is never sent over a connection that died while idle (its failure could not tell whether it committed).
class leased_session {
 public:
  leased_session(detail::store_state& state, bool verify) : state_(state), position_(state.pool->lease()) {
    try {
      prepare(verify);
    } catch (...) {
      state_.pool->give_back(position_);
      throw;
    }
  }
  ~leased_session() { state_.pool->give_back(position_); }
  leased_session(const leased_session&) = delete;
  leased_session& operator=(const leased_session&) = delete;

  soci::session& sql() { return state_.pool->at(position_); }

 private:
  void prepare(bool verify) {
    if (state_.sqlite) {
      return;
    }
    const auto epoch = state_.outage_epoch.load();
    auto& sql = state_.pool->at(position_);
    if (state_.slot_epoch[position_] == epoch && (!verify || answers(sql))) {
      return;
    }
    // A failed reconnect leaves the session without a backend; the slot stays marked stale (never_connected), so
    // the next lease reconnects before anything touches it.
    state_.slot_epoch[position_] = never_connected;
    try {
      sql.reconnect();
    } catch (const soci::soci_error& e) {
      if (!state_.outage_reported.exchange(true)) {
        spdlog::warn("catalog store: reconnecting to {} failed (retrying on every use): {}", state_.display,
                     one_line(e.what()));
      }
      throw store_unavailable("catalog store: " + state_.display + " is not reachable: " +
                              one_line(e.get_error_message()));
    }
    state_.slot_epoch[position_] = epoch;
    if (state_.outage_reported.exchange(false)) {
      spdlog::info("catalog store: reconnected to {}", state_.display);
    }
  }

  static constexpr std::uint64_t never_connected = ~std::uint64_t{0};

  detail::store_state& state_;
  std::size_t position_;
};

enum class access { read, write };

// Runs one store operation on a leased connection, turning SOCI's errors into store_error (or store_unavailable
// for an outage). The full SOCI message (which names the SQL statement) goes to the log only; the exception
// carries the database's own message without the statement. A read that meets a lost connection is retried once
// on a fresh connection; a write is not, because its commit may have reached the server before the connection
// broke, and repeating it could apply it twice.
template <typename Fn>
auto run(detail::store_state& state, access kind, const std::string& operation, Fn&& fn) -> decltype(fn(std::declval<soci::session&>())) {
  for (int attempt = 0;; ++attempt) {
    leased_session lease(state, kind == access::write);
    try {
      return fn(lease.sql());
    } catch (const soci::soci_error& e) {
      if (!is_outage(e, lease.sql(), state.sqlite)) {
        // SOCI's message quotes the statement and its bound values, which can be a whole uploaded library: the log
        // gets the first 2,000 characters.
        const std::string_view full = e.what();
        spdlog::error("catalog store: {} failed: {}{}", operation, full.substr(0, 2000), full.size() > 2000 ? " …" : "");
        throw store_error("catalog store: " + operation + " failed: " + first_line(e.get_error_message()));
      }
      if (!state.sqlite) {
        state.outage_epoch.fetch_add(1);
      }
      if (kind == access::write || attempt > 0 || state.sqlite) {
        spdlog::warn("catalog store: {} failed, the database is not reachable: {}", operation, one_line(e.what()));
        throw store_unavailable("catalog store: " + operation + " failed: " + state.display +
                                " is not reachable: " + one_line(e.get_error_message()));
      }
      spdlog::warn("catalog store: {} lost its connection; retrying once on a fresh one", operation);
    }
  }
}

// Catalog writes shared by store.cpp and curation_store.cpp; all run inside the caller's transaction.
void bump_catalog_revision(soci::session& sql);
// Writes one provider and its solutions; throws store_error for a solution id owned by another provider. Returns
// false when the stored provider was exactly this one already (nothing written).
bool write_provider(soci::session& sql, const domain::provider_description& description, const std::string& file);
void delete_provider(soci::session& sql, const std::string& provider_id);

}  // namespace detail

}  // namespace lotse::catalog

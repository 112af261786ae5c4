#include "catalog/store/demand_store.hpp"

#include "catalog/store/sql_support.hpp"
#include "catalog/store/store_session.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace lotse::catalog {

using detail::access;
using detail::run;

namespace {

using count_key = std::tuple<std::string, std::string, std::string>;  // solution, event, reason

void check_increment(const demand_count& increment) {
  const auto refuse = [&](const std::string& why) {
    throw std::invalid_argument("catalog store: demand count for solution '" + increment.solution_id + "' (" +
                                increment.event + ", '" + increment.reason + "'): " + why);
  };
  if (increment.solution_id.empty()) {
    refuse("the solution id is empty");
  }
  if (increment.event != demand_event::shown && increment.event != demand_event::excluded) {
    refuse("the event must be 'shown' or 'excluded'");
  }
  if (increment.event == demand_event::shown && !increment.reason.empty()) {
    refuse("a 'shown' count has no reason");
  }
  if (increment.count <= 0) {
    refuse("the count must be positive, not " + std::to_string(increment.count));
  }
}

bool by_key(const demand_count& a, const demand_count& b) {
  return std::tie(a.solution_id, a.event, a.reason) < std::tie(b.solution_id, b.event, b.reason);
}

}  // namespace

demand_store::demand_store(const store& s) : store_(s) {}

void demand_store::add(const std::vector<demand_count>& increments) {
  // Merged and in key order: on PostgreSQL every upsert locks its row until commit, and two hosts locking the same
  // rows in different orders would deadlock (one of them would fail). std::map orders by bytes, the same on every
  // host.
  std::map<count_key, long long> merged;
  for (const auto& increment : increments) {
    check_increment(increment);
    auto& sum = merged[{increment.solution_id, increment.event, increment.reason}];
    if (sum > std::numeric_limits<long long>::max() - increment.count) {
      throw std::invalid_argument("catalog store: demand counts for solution '" + increment.solution_id +
                                  "' add up beyond the range of a count");
    }
    sum += increment.count;
  }
  if (merged.empty()) {
    return;
  }
  run(detail::state_of(store_), access::write, "adding demand counts", [&](soci::session& sql) {
    detail::write_transaction transaction(sql);
    std::string solution_id;
    std::string event;
    std::string reason;
    long long count = 0;
    soci::statement upsert =
        (sql.prepare << "INSERT INTO demand_counts (solution_id, event, reason, count)"
                        " VALUES (:solution_id, :event, :reason, :count)"
                        " ON CONFLICT (solution_id, event, reason) DO UPDATE SET count = demand_counts.count + excluded.count",
         soci::use(solution_id), soci::use(event), soci::use(reason), soci::use(count));
    for (const auto& [key, n] : merged) {
      std::tie(solution_id, event, reason) = key;
      count = n;
      upsert.execute(true);
    }
    transaction.commit();
  });
}

std::vector<demand_count> demand_store::counts(const std::vector<std::string>& solution_ids) const {
  auto rows = run(detail::state_of(store_), access::read, "reading demand counts", [&](soci::session& sql) {
    std::vector<demand_count> found;
    std::string solution_id;
    std::string event;
    std::string reason;
    long long count = 0;
    if (solution_ids.empty()) {
      soci::statement select = (sql.prepare << "SELECT solution_id, event, reason, count FROM demand_counts",
                                soci::into(solution_id), soci::into(event), soci::into(reason), soci::into(count));
      select.execute();
      while (select.fetch()) {
        found.push_back({solution_id, event, reason, count});
      }
      return found;
    }
    // One execution per id of one prepared statement: the ids stay bind variables however many there are.
    std::string wanted;
    soci::statement select =
        (sql.prepare << "SELECT event, reason, count FROM demand_counts WHERE solution_id = :solution_id",
         soci::use(wanted), soci::into(event), soci::into(reason), soci::into(count));
    for (const auto& id : std::set<std::string>(solution_ids.begin(), solution_ids.end())) {
      wanted = id;
      select.execute();
      while (select.fetch()) {
        found.push_back({id, event, reason, count});
      }
    }
    return found;
  });
  // Sorted here, not in SQL: PostgreSQL would order TEXT by the database's collation, SQLite by bytes.
  std::sort(rows.begin(), rows.end(), by_key);
  return rows;
}

}  // namespace lotse::catalog

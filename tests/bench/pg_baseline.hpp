// The PostgreSQL variant of the SQL baseline (sql_baseline.hpp): the same table, the same hard constraints and the
// same four-criteria score as ONE query with bind variables, prepared once per connection and executed per match:
//   SELECT id, score FROM solution WHERE <hard constraints> ORDER BY score DESC, id LIMIT $top_k
// Every number is float8 (double precision) and the operations come in the same order as in criteria.cpp, so it
// ranks exactly as match() and as the SQLite baseline do; pg_baseline_test.cpp checks that against the engine.
//
// It talks libpq directly (no SOCI in between), text parameters written with std::to_chars (shortest round-trip, so
// PostgreSQL reads back the very double the engine compares with), ids ordered with COLLATE "C" (byte order, as the
// engine's std::string comparison and SQLite's BINARY collation), whatever the database's locale is.
#pragma once

#include "catalog/domain/model.hpp"
#include "host/matching/criteria.hpp"
#include "tests/bench/sql_baseline.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <vector>

struct pg_conn;

namespace lotse::bench {

class pg_baseline {
 public:
  // Connects to url (a libpq URI), creates a schema of its own in that database (so several instances, and parallel
  // test processes, can share one database), loads the solutions with COPY, ANALYZEs and prepares the query. A
  // solution may have at most max_generated_bands population bands. Throws std::runtime_error on any error.
  pg_baseline(const std::string& url, std::span<const domain::solution> catalog);
  ~pg_baseline();  // drops the schema and disconnects
  pg_baseline(const pg_baseline&) = delete;
  pg_baseline& operator=(const pg_baseline&) = delete;

  // The best top_k solutions passing every hard constraint, best first, ties by id. Throws std::invalid_argument
  // if a criterion the query does not model has a weight, std::runtime_error if the server fails.
  std::vector<sql_hit> match(const domain::profile& profile, const matching::criterion_weights& weights,
                             std::size_t top_k);

  // Runs one statement on this instance's connection (e.g. "SET jit = off") and returns its rows, one line per
  // row with tab-separated columns: for EXPLAIN and session settings in benchmarks and docs.
  std::vector<std::string> run(const std::string& sql);
  // EXPLAIN (ANALYZE, …) of the prepared query for one profile, one line per plan line.
  std::vector<std::string> explain(const domain::profile& profile, const matching::criterion_weights& weights,
                                   std::size_t top_k, const std::string& options = "ANALYZE, BUFFERS");

  // The query text with $n placeholders, for the docs.
  static const std::string& query_text();

 private:
  std::vector<std::string> parameter_values(const domain::profile& profile,
                                            const matching::criterion_weights& weights, std::size_t top_k) const;

  pg_conn* conn_ = nullptr;
  std::string schema_;
};

}  // namespace lotse::bench

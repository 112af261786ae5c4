// The baseline a team would otherwise write: the catalog in SQLite (in memory) and the matching engine's hard
// constraints and soft score as ONE SQL query with bind variables, prepared once and executed per match:
//   SELECT id, score FROM solution WHERE <hard constraints> ORDER BY score DESC, id LIMIT :top_k
// It mirrors host/matching/constraints.cpp and criteria.cpp formula for formula (same tolerances, same order of
// floating-point operations), so it returns the same ranking as match() — sql_baseline_test.cpp checks that.
// It models the four criteria need_fit, maturity_fit, affordability and effort_fit (the engine's original four; the
// engine may score more, which then must weigh 0 for a comparison: four_criteria_weights()). It does less than
// match(): no explanations, no excluded solutions with reasons, no counts.
#pragma once

#include "catalog/domain/model.hpp"
#include "host/matching/criteria.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace lotse::bench {

struct sql_hit {
  std::string id;
  double score = 0;
};

// need_fit 0.55, maturity_fit 0.15, affordability 0.15, effort_fit 0.15, every other criterion 0: the weights under
// which the engine and this baseline rank identically.
matching::criterion_weights four_criteria_weights();

class sql_baseline {
 public:
  // Loads the solutions into a fresh in-memory database and prepares the query. A solution may have at most
  // max_generated_bands population bands (stored as columns). Throws std::runtime_error on any SQLite error.
  explicit sql_baseline(std::span<const domain::solution> catalog);
  ~sql_baseline();
  sql_baseline(const sql_baseline&) = delete;
  sql_baseline& operator=(const sql_baseline&) = delete;

  // The best top_k solutions passing every hard constraint, best first, ties by id. Throws std::invalid_argument
  // if a criterion the query does not model has a weight.
  std::vector<sql_hit> match(const domain::profile& profile, const matching::criterion_weights& weights,
                             std::size_t top_k);

  // The query text, for the docs and for EXPLAIN QUERY PLAN.
  static const std::string& query_text();

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* query_ = nullptr;
};

}  // namespace lotse::bench

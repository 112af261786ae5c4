#include "tests/bench/sql_baseline.hpp"

#include "tests/bench/catalog_generator.hpp"

#include <sqlite3.h>

#include <array>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace lotse::bench {
namespace {

// The engine's tolerances (constraints.cpp): a budget of exactly the cost fits. Bound as numbers, not written as SQL
// literals, so the limits are the very doubles the engine compares with.
constexpr double eur_tolerance = 0.005;
constexpr double fte_tolerance = 1e-9;

std::string build_query() {
  // need_fit: the largest weight among the profile's needs that the solution's categories serve, else 0.
  std::string need = "max(0.0";
  for (std::size_t i = 0; i < domain::need_category_count; ++i) {
    need += ", CASE WHEN category_mask & " + std::to_string(1u << i) + " THEN :need" + std::to_string(i) +
            " ELSE 0.0 END";
  }
  need += ")";
  // maturity_fit: half how targeted the stage range is (1 − (width − 1) / 8), half the share of the expected
  // maturity levels the municipality has (1 − missing / required; 1 if nothing is required).
  std::string missing = "(";
  for (std::size_t i = 0; i < domain::dimension_count; ++i) {
    missing += (i == 0 ? "" : " + ") + std::string("max(0, level") + std::to_string(i) + " - :level" +
               std::to_string(i) + ")";
  }
  missing += ")";
  const std::string maturity = "0.5 * (1.0 - (stage_max - stage_min) / 8.0) + 0.5 * (CASE WHEN required_levels = 0"
                               " THEN 1.0 ELSE 1.0 - CAST(" + missing + " AS REAL) / required_levels END)";
  // headroom(cost, budget) of criteria.cpp.
  const auto headroom = [](const std::string& cost, const std::string& budget) {
    return "CASE WHEN " + cost + " <= 0 THEN 1.0 WHEN " + budget + " <= 0 THEN 0.0 ELSE max(0.0, min(1.0, 1.0 - " +
           cost + " / " + budget + ")) END";
  };
  // annual cost (cost_model.cpp): the first band covering the population, else base + per inhabitant × population.
  const std::string annual =
      "CASE WHEN :population <= band1_max THEN band1_eur"
      " WHEN :population <= band2_max THEN band2_eur"
      " WHEN :population <= band3_max THEN band3_eur"
      " ELSE annual_base_eur + annual_per_inhabitant_eur * :population END";
  const std::string affordability = "0.5 * (" + headroom("setup_eur", ":budget_once") + ") + 0.5 * (" +
                                    headroom("annual_eur", ":budget_annual") + ")";
  const std::string effort = headroom("max(rollout_fte, ongoing_fte)", ":staff_fte");

  return "SELECT id, :w_need * need_fit + :w_maturity * maturity_fit + :w_affordability * affordability"
         " + :w_effort * effort_fit AS score FROM ("
         " SELECT id, " + need + " AS need_fit, " + maturity + " AS maturity_fit, " + affordability +
         " AS affordability, " + effort + " AS effort_fit FROM ("
         "  SELECT s.*, " + annual + " AS annual_eur FROM solution AS s"
         "  WHERE setup_eur <= :budget_once_limit"
         "   AND rollout_fte <= :staff_limit AND ongoing_fte <= :staff_limit"
         "   AND (requires_mask & ~:has_mask) = 0"
         "   AND (has_service_providers = 0 OR :service_provider = ''"
         "        OR EXISTS (SELECT 1 FROM solution_service_provider AS p"
         "                   WHERE p.solution = s.rowid AND p.provider = :service_provider))"
         "   AND (:accepted_hosting = 0 OR hosting_mask = 0 OR (hosting_mask & :accepted_hosting) <> 0)"
         "   AND :population >= population_min AND (population_max IS NULL OR :population <= population_max)"
         "   AND :stage BETWEEN stage_min AND stage_max"
         "   AND (:open_source_required = 0 OR open_source = 1)"
         " ) WHERE annual_eur <= :budget_annual_limit"
         ") ORDER BY score DESC, id LIMIT :top_k";
}

constexpr const char* schema = R"sql(
CREATE TABLE solution (
  id TEXT NOT NULL UNIQUE,
  setup_eur REAL NOT NULL,
  annual_base_eur REAL NOT NULL,
  annual_per_inhabitant_eur REAL NOT NULL,
  band1_max INTEGER, band1_eur REAL,
  band2_max INTEGER, band2_eur REAL,
  band3_max INTEGER, band3_eur REAL,
  rollout_fte REAL NOT NULL,
  ongoing_fte REAL NOT NULL,
  requires_mask INTEGER NOT NULL,
  has_service_providers INTEGER NOT NULL,
  hosting_mask INTEGER NOT NULL,
  population_min INTEGER NOT NULL,
  population_max INTEGER,
  stage_min INTEGER NOT NULL,
  stage_max INTEGER NOT NULL,
  category_mask INTEGER NOT NULL,
  level0 INTEGER NOT NULL, level1 INTEGER NOT NULL, level2 INTEGER NOT NULL, level3 INTEGER NOT NULL,
  level4 INTEGER NOT NULL, level5 INTEGER NOT NULL, level6 INTEGER NOT NULL,
  required_levels INTEGER NOT NULL,
  open_source INTEGER NOT NULL
);
CREATE TABLE solution_service_provider (
  solution INTEGER NOT NULL,
  provider TEXT NOT NULL,
  PRIMARY KEY (solution, provider)
) WITHOUT ROWID;
)sql";

bool is_modelled(matching::criterion which) {
  return which == matching::criterion::need_fit || which == matching::criterion::maturity_fit ||
         which == matching::criterion::affordability || which == matching::criterion::effort_fit;
}

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw std::runtime_error("sql_baseline: " + what + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) fail(db, what);
}

class statement {
 public:
  statement(sqlite3* db, const std::string& sql, unsigned flags = 0) {
    check(db, sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), flags, &stmt_, nullptr), "prepare");
  }
  ~statement() { sqlite3_finalize(stmt_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }
  sqlite3_stmt* release() { return std::exchange(stmt_, nullptr); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

int index_of(sqlite3_stmt* stmt, const char* name) {
  const int index = sqlite3_bind_parameter_index(stmt, name);
  if (index == 0) throw std::runtime_error(std::string("sql_baseline: no parameter ") + name);
  return index;
}

void bind(sqlite3* db, sqlite3_stmt* stmt, const char* name, double value) {
  check(db, sqlite3_bind_double(stmt, index_of(stmt, name), value), name);
}
void bind(sqlite3* db, sqlite3_stmt* stmt, const char* name, std::int64_t value) {
  check(db, sqlite3_bind_int64(stmt, index_of(stmt, name), value), name);
}

}  // namespace

matching::criterion_weights four_criteria_weights() {
  matching::criterion_weights weights;
  weights.values.fill(0);
  weights[matching::criterion::need_fit] = 0.55;
  weights[matching::criterion::maturity_fit] = 0.15;
  weights[matching::criterion::affordability] = 0.15;
  weights[matching::criterion::effort_fit] = 0.15;
  return weights;
}

const std::string& sql_baseline::query_text() {
  static const std::string text = build_query();
  return text;
}

sql_baseline::sql_baseline(std::span<const domain::solution> catalog) {
  if (sqlite3_open_v2(":memory:", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    fail(db_, "open");
  }
  try {
    check(db_, sqlite3_exec(db_, schema, nullptr, nullptr, nullptr), "schema");
    check(db_, sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr), "begin");
    {
      statement insert(db_,
                       "INSERT INTO solution VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                       "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)");
      statement insert_provider(db_, "INSERT OR IGNORE INTO solution_service_provider VALUES (?1, ?2)");
      for (const auto& s : catalog) {
        if (s.cost.population_bands.size() > max_generated_bands) {
          throw std::runtime_error("sql_baseline: solution " + s.id + " has more than 3 population bands");
        }
        auto* st = insert.get();
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        sqlite3_bind_text(st, 1, s.id.c_str(), static_cast<int>(s.id.size()), SQLITE_TRANSIENT);
        sqlite3_bind_double(st, 2, s.cost.setup_eur);
        sqlite3_bind_double(st, 3, s.cost.annual_base_eur);
        sqlite3_bind_double(st, 4, s.cost.annual_per_inhabitant_eur);
        for (std::size_t b = 0; b < s.cost.population_bands.size(); ++b) {
          sqlite3_bind_int64(st, 5 + 2 * static_cast<int>(b), s.cost.population_bands[b].max_population);
          sqlite3_bind_double(st, 6 + 2 * static_cast<int>(b), s.cost.population_bands[b].annual_eur);
        }
        sqlite3_bind_double(st, 11, s.effort.rollout_fte);
        sqlite3_bind_double(st, 12, s.effort.ongoing_fte);
        sqlite3_bind_int64(st, 13, static_cast<std::int64_t>(s.requires_capabilities.to_ulong()));
        sqlite3_bind_int(st, 14, s.compatible_service_providers.empty() ? 0 : 1);
        sqlite3_bind_int64(st, 15, static_cast<std::int64_t>(s.hosting_options.to_ulong()));
        sqlite3_bind_int64(st, 16, s.populations.min);
        if (s.populations.max) sqlite3_bind_int64(st, 17, *s.populations.max);
        sqlite3_bind_int(st, 18, static_cast<int>(s.stages.min));
        sqlite3_bind_int(st, 19, static_cast<int>(s.stages.max));
        sqlite3_bind_int64(st, 20, static_cast<std::int64_t>(s.categories.to_ulong()));
        int required = 0;
        for (std::size_t d = 0; d < domain::dimension_count; ++d) {
          sqlite3_bind_int(st, 21 + static_cast<int>(d), s.min_levels[d]);
          required += s.min_levels[d];
        }
        sqlite3_bind_int(st, 28, required);
        sqlite3_bind_int(st, 29, s.open_source ? 1 : 0);
        check(db_, sqlite3_step(st), "insert solution");
        const auto rowid = sqlite3_last_insert_rowid(db_);
        for (const auto& provider : s.compatible_service_providers) {
          auto* sp = insert_provider.get();
          sqlite3_reset(sp);
          sqlite3_bind_int64(sp, 1, rowid);
          sqlite3_bind_text(sp, 2, provider.c_str(), static_cast<int>(provider.size()), SQLITE_TRANSIENT);
          check(db_, sqlite3_step(sp), "insert service provider");
        }
      }
    }
    check(db_, sqlite3_exec(db_, "COMMIT; ANALYZE;", nullptr, nullptr, nullptr), "commit");
    statement query(db_, query_text(), SQLITE_PREPARE_PERSISTENT);
    query_ = query.release();
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

sql_baseline::~sql_baseline() {
  sqlite3_finalize(query_);
  sqlite3_close(db_);
}

std::vector<sql_hit> sql_baseline::match(const domain::profile& profile, const matching::criterion_weights& weights,
                                         std::size_t top_k) {
  auto* q = query_;
  sqlite3_reset(q);
  const auto& res = profile.resources_info;

  // Normalised exactly as the engine does (engine.cpp): divide by the sum, accumulated in criterion order.
  const double total = std::accumulate(weights.values.begin(), weights.values.end(), 0.0);
  std::array<double, matching::criterion_count> w{};
  for (std::size_t i = 0; i < w.size(); ++i) {
    w[i] = total > 0 ? weights.values[i] / total : 1.0 / matching::criterion_count;
    if (!is_modelled(static_cast<matching::criterion>(i)) && w[i] != 0) {
      throw std::invalid_argument("sql_baseline: only need_fit, maturity_fit, affordability and effort_fit may have "
                                  "a weight; " + std::string(matching::name_of(static_cast<matching::criterion>(i))) +
                                  " has one");
    }
  }
  bind(db_, q, ":w_need", w[static_cast<std::size_t>(matching::criterion::need_fit)]);
  bind(db_, q, ":w_maturity", w[static_cast<std::size_t>(matching::criterion::maturity_fit)]);
  bind(db_, q, ":w_affordability", w[static_cast<std::size_t>(matching::criterion::affordability)]);
  bind(db_, q, ":w_effort", w[static_cast<std::size_t>(matching::criterion::effort_fit)]);

  std::array<double, domain::need_category_count> need_weight{};
  for (const auto& n : profile.needs) {
    need_weight[static_cast<std::size_t>(n.category)] = n.weight;
  }
  for (std::size_t i = 0; i < need_weight.size(); ++i) {
    bind(db_, q, (":need" + std::to_string(i)).c_str(), need_weight[i]);
  }
  for (std::size_t i = 0; i < domain::dimension_count; ++i) {
    bind(db_, q, (":level" + std::to_string(i)).c_str(), static_cast<std::int64_t>(profile.maturity_info.levels[i]));
  }
  bind(db_, q, ":budget_once", res.budget_once_eur);
  bind(db_, q, ":budget_annual", res.budget_annual_eur);
  bind(db_, q, ":staff_fte", res.staff_fte);
  bind(db_, q, ":budget_once_limit", res.budget_once_eur + eur_tolerance);
  bind(db_, q, ":budget_annual_limit", res.budget_annual_eur + eur_tolerance);
  bind(db_, q, ":staff_limit", res.staff_fte + fte_tolerance);
  bind(db_, q, ":has_mask", static_cast<std::int64_t>(profile.it.capabilities.to_ulong()));
  const auto& provider = profile.it.service_provider;
  check(db_, sqlite3_bind_text(q, index_of(q, ":service_provider"), provider.c_str(), static_cast<int>(provider.size()),
                               SQLITE_TRANSIENT),
        "service_provider");
  bind(db_, q, ":accepted_hosting", static_cast<std::int64_t>(profile.it.accepted_hosting.to_ulong()));
  bind(db_, q, ":population", profile.population);
  bind(db_, q, ":stage", static_cast<std::int64_t>(profile.maturity_info.current_stage));
  bind(db_, q, ":open_source_required", static_cast<std::int64_t>(profile.it.open_source_required ? 1 : 0));
  bind(db_, q, ":top_k", static_cast<std::int64_t>(top_k));

  std::vector<sql_hit> out;
  out.reserve(top_k);
  int rc = 0;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    out.push_back({std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(q, 0))), sqlite3_column_double(q, 1)});
  }
  check(db_, rc, "match");
  sqlite3_reset(q);
  return out;
}

}  // namespace lotse::bench

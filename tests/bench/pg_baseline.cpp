#include "tests/bench/pg_baseline.hpp"

#include "tests/bench/catalog_generator.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>
#include <system_error>

namespace lotse::bench {
namespace {

// The engine's tolerances (constraints.cpp), bound as numbers like the SQLite baseline does.
constexpr double eur_tolerance = 0.005;
constexpr double fte_tolerance = 1e-9;

// PostgreSQL type OIDs (pg_type.h is a server header; these values are fixed since forever).
constexpr Oid int8_oid = 20;
constexpr Oid text_oid = 25;
constexpr Oid float8_oid = 701;

struct parameter {
  std::string name;
  Oid type;
};

// Every bind variable of the query, in $n order. The names are those of the SQLite query (sql_baseline.cpp), so the
// two texts can be read side by side; parameter_values() fills them in this order.
const std::vector<parameter>& parameters() {
  static const std::vector<parameter> list = [] {
    std::vector<parameter> out = {{"w_need", float8_oid}, {"w_maturity", float8_oid},
                                  {"w_affordability", float8_oid}, {"w_effort", float8_oid}};
    for (std::size_t i = 0; i < domain::need_category_count; ++i) {
      out.push_back({"need" + std::to_string(i), float8_oid});
    }
    for (std::size_t i = 0; i < domain::dimension_count; ++i) {
      out.push_back({"level" + std::to_string(i), int8_oid});
    }
    for (const char* name : {"budget_once", "budget_annual", "staff_fte", "budget_once_limit", "budget_annual_limit",
                             "staff_limit"}) {
      out.push_back({name, float8_oid});
    }
    out.push_back({"has_mask", int8_oid});
    out.push_back({"service_provider", text_oid});
    for (const char* name : {"accepted_hosting", "population", "stage", "open_source_required", "top_k"}) {
      out.push_back({name, int8_oid});
    }
    return out;
  }();
  return list;
}

// "$n" for a parameter name; a typo is a bug in this file, so it throws at the first query build.
std::string p(const std::string& name) {
  const auto& list = parameters();
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].name == name) return "$" + std::to_string(i + 1);
  }
  throw std::logic_error("pg_baseline: no parameter " + name);
}

// A float8 literal. PostgreSQL reads 0.5 as numeric, and numeric arithmetic rounds differently from the engine's
// doubles, so every constant is cast explicitly.
std::string f(const char* literal) { return std::string(literal) + "::float8"; }

std::string build_query() {
  static_assert(domain::need_category_count < 63, "category bits must fit a bigint");
  // need_fit: the largest weight among the profile's needs that the solution's categories serve, else 0.
  std::string need = "GREATEST(" + f("0.0");
  for (std::size_t i = 0; i < domain::need_category_count; ++i) {
    need += ", CASE WHEN (category_mask & " + std::to_string(std::uint64_t{1} << i) + ") <> 0 THEN " +
            p("need" + std::to_string(i)) + " ELSE " + f("0.0") + " END";
  }
  need += ")";
  // maturity_fit: half how targeted the stage range is, half the share of the expected maturity levels present.
  std::string missing = "(";
  for (std::size_t i = 0; i < domain::dimension_count; ++i) {
    missing += (i == 0 ? "" : " + ") + std::string("GREATEST(0, level") + std::to_string(i) + " - " +
               p("level" + std::to_string(i)) + ")";
  }
  missing += ")";
  const std::string maturity = f("0.5") + " * (" + f("1.0") + " - CAST(stage_max - stage_min AS float8) / " +
                               f("8.0") + ") + " + f("0.5") + " * (CASE WHEN required_levels = 0 THEN " + f("1.0") +
                               " ELSE " + f("1.0") + " - CAST(" + missing + " AS float8) / required_levels END)";
  // headroom(cost, budget) of criteria.cpp.
  const auto headroom = [](const std::string& cost, const std::string& budget) {
    return "CASE WHEN " + cost + " <= 0 THEN " + f("1.0") + " WHEN " + budget + " <= 0 THEN " + f("0.0") +
           " ELSE GREATEST(" + f("0.0") + ", LEAST(" + f("1.0") + ", " + f("1.0") + " - " + cost + " / " + budget +
           ")) END";
  };
  // annual cost (cost_model.cpp): the first band covering the population, else base + per inhabitant × population.
  const std::string population = p("population");
  const std::string annual = "CASE WHEN " + population + " <= band1_max THEN band1_eur WHEN " + population +
                             " <= band2_max THEN band2_eur WHEN " + population +
                             " <= band3_max THEN band3_eur ELSE annual_base_eur + annual_per_inhabitant_eur * CAST(" +
                             population + " AS float8) END";
  const std::string affordability = f("0.5") + " * (" + headroom("setup_eur", p("budget_once")) + ") + " + f("0.5") +
                                    " * (" + headroom("annual_eur", p("budget_annual")) + ")";
  const std::string effort = headroom("GREATEST(rollout_fte, ongoing_fte)", p("staff_fte"));
  const std::string provider = p("service_provider");

  return "SELECT id, " + p("w_need") + " * need_fit + " + p("w_maturity") + " * maturity_fit + " +
         p("w_affordability") + " * affordability + " + p("w_effort") + " * effort_fit AS score FROM ("
         " SELECT id, " + need + " AS need_fit, " + maturity + " AS maturity_fit, " + affordability +
         " AS affordability, " + effort + " AS effort_fit FROM ("
         "  SELECT s.*, " + annual + " AS annual_eur FROM solution AS s"
         "  WHERE setup_eur <= " + p("budget_once_limit") +
         "   AND rollout_fte <= " + p("staff_limit") + " AND ongoing_fte <= " + p("staff_limit") +
         "   AND (requires_mask & ~" + p("has_mask") + ") = 0"
         "   AND (NOT has_service_providers OR " + provider + " = ''"
         "        OR EXISTS (SELECT 1 FROM solution_service_provider AS p"
         "                   WHERE p.solution = s.row_id AND p.provider = " + provider + "))"
         "   AND (" + p("accepted_hosting") + " = 0 OR hosting_mask = 0 OR (hosting_mask & " + p("accepted_hosting") +
         ") <> 0)"
         "   AND " + population + " >= population_min AND (population_max IS NULL OR " + population +
         " <= population_max)"
         "   AND " + p("stage") + " BETWEEN stage_min AND stage_max"
         "   AND (" + p("open_source_required") + " = 0 OR open_source)"
         " ) AS fitting WHERE annual_eur <= " + p("budget_annual_limit") +
         ") AS scored ORDER BY score DESC, id COLLATE \"C\" LIMIT " + p("top_k");
}

// Columns as in the SQLite baseline; row_id stands in for SQLite's rowid. Booleans are booleans here.
constexpr const char* schema_sql = R"sql(
CREATE TABLE solution (
  row_id integer PRIMARY KEY,
  id text NOT NULL UNIQUE,
  setup_eur float8 NOT NULL,
  annual_base_eur float8 NOT NULL,
  annual_per_inhabitant_eur float8 NOT NULL,
  band1_max bigint, band1_eur float8,
  band2_max bigint, band2_eur float8,
  band3_max bigint, band3_eur float8,
  rollout_fte float8 NOT NULL,
  ongoing_fte float8 NOT NULL,
  requires_mask bigint NOT NULL,
  has_service_providers boolean NOT NULL,
  hosting_mask bigint NOT NULL,
  population_min bigint NOT NULL,
  population_max bigint,
  stage_min integer NOT NULL,
  stage_max integer NOT NULL,
  category_mask bigint NOT NULL,
  level0 integer NOT NULL, level1 integer NOT NULL, level2 integer NOT NULL, level3 integer NOT NULL,
  level4 integer NOT NULL, level5 integer NOT NULL, level6 integer NOT NULL,
  required_levels integer NOT NULL,
  open_source boolean NOT NULL
);
CREATE TABLE solution_service_provider (
  solution integer NOT NULL,
  provider text NOT NULL,
  PRIMARY KEY (solution, provider)
);
)sql";

bool is_modelled(matching::criterion which) {
  return which == matching::criterion::need_fit || which == matching::criterion::maturity_fit ||
         which == matching::criterion::affordability || which == matching::criterion::effort_fit;
}

[[noreturn]] void fail(PGconn* conn, const std::string& what) {
  std::string message = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
  while (!message.empty() && message.back() == '\n') message.pop_back();
  throw std::runtime_error("pg_baseline: " + what + ": " + message);
}

// Owns one PGresult.
class result {
 public:
  explicit result(PGresult* r) : r_(r) {}
  ~result() { PQclear(r_); }
  result(const result&) = delete;
  result& operator=(const result&) = delete;
  PGresult* get() const { return r_; }

 private:
  PGresult* r_;
};

void expect(PGconn* conn, const result& r, ExecStatusType wanted, const std::string& what) {
  if (PQresultStatus(r.get()) != wanted) {
    std::string message = PQresultErrorMessage(r.get());
    if (message.empty()) message = PQerrorMessage(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw std::runtime_error("pg_baseline: " + what + ": " + message);
  }
}

void exec(PGconn* conn, const std::string& sql) {
  const result r(PQexec(conn, sql.c_str()));
  expect(conn, r, PGRES_COMMAND_OK, sql.substr(0, 60));
}

// Shortest text that reads back as exactly the same value.
template <typename Number>
std::string text_of(Number value) {
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (ec != std::errc{}) throw std::runtime_error("pg_baseline: cannot format a number");
  return std::string(buffer.data(), end);
}

// A text value for COPY's text format.
void append_copy_text(std::string& line, const std::string& value) {
  for (const char c : value) {
    switch (c) {
      case '\\': line += "\\\\"; break;
      case '\t': line += "\\t"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      default: line += c;
    }
  }
}

class copy_writer {
 public:
  copy_writer(PGconn* conn, const std::string& sql) : conn_(conn) {
    const result r(PQexec(conn, sql.c_str()));
    expect(conn, r, PGRES_COPY_IN, "start " + sql);
  }
  // Columns added with field() and ended with end_row().
  template <typename Number>
  void field(Number value) {
    separate();
    line_ += text_of(value);
  }
  void field(const std::string& value) {
    separate();
    append_copy_text(line_, value);
  }
  void field(bool value) {
    separate();
    line_ += value ? "t" : "f";
  }
  void null() {
    separate();
    line_ += "\\N";
  }
  void end_row() {
    line_ += '\n';
    first_ = true;
    if (line_.size() > 1 << 16) flush();
  }
  void finish() {
    flush();
    if (PQputCopyEnd(conn_, nullptr) != 1) fail(conn_, "end COPY");
    const result r(PQgetResult(conn_));
    expect(conn_, r, PGRES_COMMAND_OK, "COPY");
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
  }

 private:
  void separate() {
    if (!first_) line_ += '\t';
    first_ = false;
  }
  void flush() {
    if (!line_.empty() && PQputCopyData(conn_, line_.data(), static_cast<int>(line_.size())) != 1) {
      fail(conn_, "COPY data");
    }
    line_.clear();
  }

  PGconn* conn_;
  std::string line_;
  bool first_ = true;
};

// Unique per process and instance, so parallel test processes and several catalogs can share one database.
std::string unique_schema_name() {
  static std::atomic<int> counter{0};
  std::random_device random;
  return "lotse_bench_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(random() % 100000);
}

void load(PGconn* conn, std::span<const domain::solution> catalog) {
  // COPY instead of row-by-row INSERTs: loading 100,000 rows is set-up, not what is measured, and COPY carries
  // data only, never SQL text, so nothing is interpolated into a statement.
  copy_writer solutions(conn, "COPY solution FROM STDIN");
  std::int32_t row_id = 0;
  std::vector<std::pair<std::int32_t, std::string>> providers;
  for (const auto& s : catalog) {
    if (s.cost.population_bands.size() > max_generated_bands) {
      throw std::runtime_error("pg_baseline: solution " + s.id + " has more than 3 population bands");
    }
    ++row_id;
    solutions.field(row_id);
    solutions.field(s.id);
    solutions.field(s.cost.setup_eur);
    solutions.field(s.cost.annual_base_eur);
    solutions.field(s.cost.annual_per_inhabitant_eur);
    for (std::size_t b = 0; b < max_generated_bands; ++b) {
      if (b < s.cost.population_bands.size()) {
        solutions.field(s.cost.population_bands[b].max_population);
        solutions.field(s.cost.population_bands[b].annual_eur);
      } else {
        solutions.null();
        solutions.null();
      }
    }
    solutions.field(s.effort.rollout_fte);
    solutions.field(s.effort.ongoing_fte);
    solutions.field(static_cast<std::int64_t>(s.requires_capabilities.to_ulong()));
    solutions.field(!s.compatible_service_providers.empty());
    solutions.field(static_cast<std::int64_t>(s.hosting_options.to_ulong()));
    solutions.field(s.populations.min);
    if (s.populations.max) {
      solutions.field(*s.populations.max);
    } else {
      solutions.null();
    }
    solutions.field(static_cast<int>(s.stages.min));
    solutions.field(static_cast<int>(s.stages.max));
    solutions.field(static_cast<std::int64_t>(s.categories.to_ulong()));
    int required = 0;
    for (std::size_t d = 0; d < domain::dimension_count; ++d) {
      solutions.field(static_cast<int>(s.min_levels[d]));
      required += s.min_levels[d];
    }
    solutions.field(required);
    solutions.field(s.open_source);
    solutions.end_row();
    // The SQLite baseline inserts these with OR IGNORE; COPY has no such thing, so duplicates go here.
    for (const auto& provider : std::set<std::string>(s.compatible_service_providers.begin(),
                                                      s.compatible_service_providers.end())) {
      providers.emplace_back(row_id, provider);
    }
  }
  solutions.finish();
  copy_writer links(conn, "COPY solution_service_provider FROM STDIN");
  for (const auto& [row, provider] : providers) {
    links.field(row);
    links.field(provider);
    links.end_row();
  }
  links.finish();
}

}  // namespace

const std::string& pg_baseline::query_text() {
  static const std::string text = build_query();
  return text;
}

pg_baseline::pg_baseline(const std::string& url, std::span<const domain::solution> catalog)
    : schema_(unique_schema_name()) {
  conn_ = PQconnectdb(url.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
    PQfinish(conn_);
    throw std::runtime_error("pg_baseline: cannot connect: " + message);
  }
  try {
    // The schema name is ours (letters, digits, underscores), never input; identifiers cannot be bound.
    // DROP SCHEMA … CASCADE in the destructor would print a NOTICE per table into the benchmark's output.
    exec(conn_, "SET client_min_messages TO warning");
    exec(conn_, "CREATE SCHEMA " + schema_);
    exec(conn_, "SET search_path TO " + schema_);
    // The test clusters run with synchronous_commit=off. Then the load's commit record may not be on disk yet when
    // VACUUM runs, VACUUM may not set the hint bits, and the pages stay out of the visibility map until a later
    // VACUUM. Committing synchronously makes the VACUUM below effective whatever the cluster's setting.
    exec(conn_, "SET synchronous_commit TO on");
    exec(conn_, "BEGIN");
    exec(conn_, schema_sql);
    load(conn_, catalog);
    exec(conn_, "COMMIT");
    // Statistics and the visibility map before preparing, so the planner sees the tables as on a server that has
    // run a while. Otherwise autovacuum VACUUMs the freshly loaded tables about a minute in, in the middle of a
    // measurement, and the plan changes then: the service-provider check becomes an index-only scan without heap
    // fetches, and at 100,000 rows the estimated cost falls from ≈ 838,000 to ≈ 438,000, below the thresholds for
    // JIT inlining and optimisation (pg_baseline_bench.cpp).
    exec(conn_, "VACUUM ANALYZE solution");
    exec(conn_, "VACUUM ANALYZE solution_service_provider");
    std::vector<Oid> types;
    for (const auto& parameter : parameters()) types.push_back(parameter.type);
    const result prepared(PQprepare(conn_, "match", query_text().c_str(), static_cast<int>(types.size()),
                                    types.data()));
    expect(conn_, prepared, PGRES_COMMAND_OK, "prepare");
  } catch (...) {
    PQclear(PQexec(conn_, ("ROLLBACK; DROP SCHEMA IF EXISTS " + schema_ + " CASCADE").c_str()));
    PQfinish(conn_);
    throw;
  }
}

pg_baseline::~pg_baseline() {
  PQclear(PQexec(conn_, ("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE").c_str()));
  PQfinish(conn_);
}

std::vector<std::string> pg_baseline::parameter_values(const domain::profile& profile,
                                                       const matching::criterion_weights& weights,
                                                       std::size_t top_k) const {
  // Normalised exactly as the engine does (engine.cpp): divide by the sum, accumulated in criterion order.
  const double total = std::accumulate(weights.values.begin(), weights.values.end(), 0.0);
  std::array<double, matching::criterion_count> w{};
  for (std::size_t i = 0; i < w.size(); ++i) {
    w[i] = total > 0 ? weights.values[i] / total : 1.0 / matching::criterion_count;
    if (!is_modelled(static_cast<matching::criterion>(i)) && w[i] != 0) {
      throw std::invalid_argument("pg_baseline: only need_fit, maturity_fit, affordability and effort_fit may have "
                                  "a weight; " + std::string(matching::name_of(static_cast<matching::criterion>(i))) +
                                  " has one");
    }
  }
  const auto weight = [&w](matching::criterion c) { return w[static_cast<std::size_t>(c)]; };
  std::vector<std::string> values;
  values.reserve(parameters().size());
  values.push_back(text_of(weight(matching::criterion::need_fit)));
  values.push_back(text_of(weight(matching::criterion::maturity_fit)));
  values.push_back(text_of(weight(matching::criterion::affordability)));
  values.push_back(text_of(weight(matching::criterion::effort_fit)));
  std::array<double, domain::need_category_count> need_weight{};
  for (const auto& n : profile.needs) {
    need_weight[static_cast<std::size_t>(n.category)] = n.weight;
  }
  for (const double need : need_weight) values.push_back(text_of(need));
  for (const auto level : profile.maturity_info.levels) values.push_back(text_of(static_cast<std::int64_t>(level)));
  const auto& res = profile.resources_info;
  values.push_back(text_of(res.budget_once_eur));
  values.push_back(text_of(res.budget_annual_eur));
  values.push_back(text_of(res.staff_fte));
  values.push_back(text_of(res.budget_once_eur + eur_tolerance));
  values.push_back(text_of(res.budget_annual_eur + eur_tolerance));
  values.push_back(text_of(res.staff_fte + fte_tolerance));
  values.push_back(text_of(static_cast<std::int64_t>(profile.it.capabilities.to_ulong())));
  values.push_back(profile.it.service_provider);
  values.push_back(text_of(static_cast<std::int64_t>(profile.it.accepted_hosting.to_ulong())));
  values.push_back(text_of(profile.population));
  values.push_back(text_of(static_cast<std::int64_t>(profile.maturity_info.current_stage)));
  values.push_back(profile.it.open_source_required ? "1" : "0");
  values.push_back(text_of(static_cast<std::int64_t>(top_k)));
  if (values.size() != parameters().size()) throw std::logic_error("pg_baseline: parameter count mismatch");
  return values;
}

std::vector<sql_hit> pg_baseline::match(const domain::profile& profile, const matching::criterion_weights& weights,
                                        std::size_t top_k) {
  const auto values = parameter_values(profile, weights, top_k);
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& value : values) pointers.push_back(value.c_str());
  const result r(PQexecPrepared(conn_, "match", static_cast<int>(pointers.size()), pointers.data(), nullptr, nullptr,
                                0));
  expect(conn_, r, PGRES_TUPLES_OK, "match");
  std::vector<sql_hit> out;
  const int rows = PQntuples(r.get());
  out.reserve(static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    sql_hit hit;
    hit.id.assign(PQgetvalue(r.get(), i, 0), static_cast<std::size_t>(PQgetlength(r.get(), i, 0)));
    // float8 output is the shortest exact text since PostgreSQL 12 (extra_float_digits 1), so this is the double.
    const char* score = PQgetvalue(r.get(), i, 1);
    const auto [end, ec] = std::from_chars(score, score + PQgetlength(r.get(), i, 1), hit.score);
    if (ec != std::errc{}) throw std::runtime_error("pg_baseline: unreadable score '" + std::string(score) + "'");
    out.push_back(std::move(hit));
  }
  return out;
}

std::vector<std::string> pg_baseline::run(const std::string& sql) {
  const result r(PQexec(conn_, sql.c_str()));
  const auto status = PQresultStatus(r.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    expect(conn_, r, PGRES_TUPLES_OK, sql.substr(0, 60));
  }
  std::vector<std::string> lines;
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    std::string line;
    for (int c = 0; c < PQnfields(r.get()); ++c) {
      if (c > 0) line += '\t';
      line += PQgetvalue(r.get(), i, c);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<std::string> pg_baseline::explain(const domain::profile& profile,
                                              const matching::criterion_weights& weights, std::size_t top_k,
                                              const std::string& options) {
  const auto values = parameter_values(profile, weights, top_k);
  std::vector<const char*> pointers;
  for (const auto& value : values) pointers.push_back(value.c_str());
  std::vector<Oid> types;
  for (const auto& parameter : parameters()) types.push_back(parameter.type);
  // The same text with the same typed parameters, so the plan is the one a custom plan of the prepared query gets.
  const std::string sql = "EXPLAIN (" + options + ") " + query_text();
  const result r(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), types.data(), pointers.data(),
                              nullptr, nullptr, 0));
  expect(conn_, r, PGRES_TUPLES_OK, "explain");
  std::vector<std::string> lines;
  for (int i = 0; i < PQntuples(r.get()); ++i) lines.emplace_back(PQgetvalue(r.get(), i, 0));
  return lines;
}

}  // namespace lotse::bench

// Keeps the PostgreSQL baseline honest, as sql_baseline_test.cpp does for SQLite: it must rank exactly as the engine
// does (same ids, same scores, same ties). Runs against the test cluster named by LOTSE_TEST_POSTGRES_URL (in a
// database of its own); skips without it, fails without it under scripts/test.sh (LOTSE_TEST_POSTGRES_REQUIRED=1).
#include "tests/bench/baseline_checks.hpp"
#include "tests/bench/catalog_generator.hpp"
#include "tests/bench/pg_baseline.hpp"
#include "tests/support/test_database.hpp"

#include "host/matching/engine.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace lotse::bench {
namespace {

using test::backend;


// Parameterised over the one backend it needs, so its name ends in /postgresql and CTest labels it "postgres".
class postgresql_baseline : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override {
    LOTSE_REQUIRE_BACKEND(GetParam());
    database_.emplace(GetParam());
  }
  const std::string& url() const { return database_->url(); }

 private:
  std::optional<test::test_database> database_;
};

TEST_P(postgresql_baseline, top_10_equals_the_engines_on_a_500_solution_catalog) {
  const auto catalog = generate_solutions(500);
  pg_baseline sql(url(), catalog);
  std::size_t full_pages = 0;
  for (const auto& profile : generate_profiles(60)) {
    if (expect_same_ranking(profile, catalog, sql, four_criteria(), score_match::exact) >= 10) {
      ++full_pages;
    }
  }
  EXPECT_GE(full_pages, 30u);  // not vacuous: most profiles have more than ten fitting solutions to order
}

TEST_P(postgresql_baseline, agrees_with_other_weights_and_edge_profiles) {
  const auto catalog = generate_solutions(500, 7);
  pg_baseline sql(url(), catalog);
  for (const auto& profile : edge_profiles()) {
    for (const auto& options : edge_weightings()) {
      expect_same_ranking(profile, catalog, sql, options, score_match::exact);
    }
  }
}

TEST_P(postgresql_baseline, agrees_for_real_municipalities) {
  const auto path = gemeinden_csv_path();
  if (!path) {
    GTEST_SKIP() << "gemeinden-2011.csv not found (set LOTSE_SHARED_DATA to the shared data directory)";
  }
  const auto rows = read_gemeinden_csv(*path);
  const auto catalog = generate_solutions(500);
  pg_baseline sql(url(), catalog);
  for (std::size_t i = 0; i < rows.size(); i += 500) {  // 23 municipalities across all states and sizes
    expect_same_ranking(make_profile(rows[i]), catalog, sql, four_criteria(), score_match::exact);
  }
}

TEST_P(postgresql_baseline, refuses_weights_for_criteria_it_does_not_model) {
  const auto catalog = generate_solutions(20);
  pg_baseline sql(url(), catalog);
  const auto profile = generate_profiles(1)[0];
  EXPECT_NO_THROW(sql.match(profile, four_criteria_weights(), 10));
  if (matching::criterion_count > 4) {
    EXPECT_THROW(sql.match(profile, matching::criterion_weights{}, 10), std::invalid_argument);
  }
}

INSTANTIATE_TEST_SUITE_P(, postgresql_baseline, ::testing::Values(backend::postgresql), test::backend_name);

}  // namespace
}  // namespace lotse::bench

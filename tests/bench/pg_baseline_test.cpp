// Keeps the PostgreSQL baseline honest, as sql_baseline_test.cpp does for SQLite: it must rank exactly as the engine
// does (same ids, same scores, same ties). Runs against the test cluster named by LOTSE_TEST_POSTGRES_URL (in a
// database of its own); skips without it, fails without it under scripts/test.sh (LOTSE_TEST_POSTGRES_REQUIRED=1).
#include "tests/bench/catalog_generator.hpp"
#include "tests/bench/pg_baseline.hpp"
#include "tests/support/test_database.hpp"

#include "host/matching/engine.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace lotse::bench {
namespace {

using test::backend;

matching::match_options four_criteria(std::size_t top_k = 10) {
  matching::match_options options;
  options.top_k = top_k;
  options.weights = four_criteria_weights();
  return options;
}

// Compares the PostgreSQL top k with the engine's; returns the engine's fitting count.
std::size_t expect_same_ranking(const domain::profile& profile, std::span<const domain::solution> catalog,
                                pg_baseline& sql, const matching::match_options& options) {
  const auto engine = matching::match(profile, catalog, options);
  const auto hits = sql.match(profile, options.weights, options.top_k);
  EXPECT_EQ(hits.size(), engine.results.size()) << "profile " << profile.ags;
  for (std::size_t i = 0; i < std::min(hits.size(), engine.results.size()); ++i) {
    EXPECT_EQ(hits[i].id, engine.results[i].solution->id) << "profile " << profile.ags << ", rank " << i;
    // Exactly equal, not within 4 ulps: the same doubles in the same order of operations give the same bits.
    EXPECT_EQ(hits[i].score, engine.results[i].score) << "profile " << profile.ags << ", rank " << i;
  }
  return engine.fitting_count;
}

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
    if (expect_same_ranking(profile, catalog, sql, four_criteria()) >= 10) {
      ++full_pages;
    }
  }
  EXPECT_GE(full_pages, 30u);  // not vacuous: most profiles have more than ten fitting solutions to order
}

TEST_P(postgresql_baseline, agrees_with_other_weights_and_edge_profiles) {
  const auto catalog = generate_solutions(500, 7);
  pg_baseline sql(url(), catalog);
  auto profiles = generate_profiles(20, 7);
  profiles[0].needs.clear();                         // need fit 0 everywhere: ties break by id
  profiles[1].it.service_provider.clear();           // no service provider: compatibility lists do not apply
  profiles[2].it.accepted_hosting.reset();           // no hosting restriction
  profiles[3].resources_info.budget_annual_eur = 0;  // only solutions without running cost
  profiles[4].resources_info.staff_fte = 2;          // plenty of staff
  profiles[5].maturity_info.levels.fill(4);
  profiles[6].it.open_source_required = true;        // only open-source solutions
  auto affordability_first = four_criteria();
  affordability_first.weights[matching::criterion::need_fit] = 1;
  affordability_first.weights[matching::criterion::maturity_fit] = 0;
  affordability_first.weights[matching::criterion::affordability] = 3;
  affordability_first.weights[matching::criterion::effort_fit] = 1;
  const auto top_25 = four_criteria(25);
  for (const auto& profile : profiles) {
    expect_same_ranking(profile, catalog, sql, four_criteria());
    expect_same_ranking(profile, catalog, sql, affordability_first);
    expect_same_ranking(profile, catalog, sql, top_25);
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
    expect_same_ranking(make_profile(rows[i]), catalog, sql, four_criteria());
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

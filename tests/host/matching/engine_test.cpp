#include "host/matching/engine.hpp"

#include "matching_fixtures.hpp"

#include <gtest/gtest.h>

#include <random>

namespace lotse::matching {
namespace {

using test::caps;
using test::make_solution;
using test::small_village;

std::vector<domain::solution> village_catalog() {
  std::vector<domain::solution> catalog;
  catalog.push_back(make_solution("zukunftsbild-workshop", domain::need_category::strategy_vision, 2500, 0, 0.05, 0));
  catalog.push_back(make_solution("dms-basis", domain::need_category::administration_documents, 4000, 2500, 0.2, 0.1));
  auto e_file = make_solution("e-akte", domain::need_category::administration_documents, 3000, 1500, 0.1, 0.05);
  e_file.requires_capabilities = caps({domain::capability::dms});
  catalog.push_back(e_file);
  catalog.push_back(make_solution("ki-protokoll", domain::need_category::administration_council, 15000, 6000, 0.5, 0.2));
  catalog.push_back(make_solution("winterdienst", domain::need_category::operations_winter_service, 1000, 500, 0.1, 0.1));
  return catalog;
}

TEST(engine, ranks_by_need_and_explains_every_criterion) {
  const auto catalog = village_catalog();
  const auto outcome = match(small_village(), catalog, {});
  ASSERT_EQ(outcome.results.size(), 3u);
  EXPECT_EQ(outcome.results[0].solution->id, "zukunftsbild-workshop");
  EXPECT_EQ(outcome.results[1].solution->id, "dms-basis");
  EXPECT_EQ(outcome.results[2].solution->id, "winterdienst");
  for (const auto& r : outcome.results) {
    ASSERT_EQ(r.criteria.size(), criterion_count);
    double sum = 0;
    double weights = 0;
    for (const auto& c : r.criteria) {
      EXPECT_DOUBLE_EQ(c.contribution, c.weight * c.value);
      EXPECT_GE(c.value, 0);
      EXPECT_LE(c.value, 1);
      EXPECT_FALSE(c.reason.empty());
      sum += c.contribution;
      weights += c.weight;
    }
    EXPECT_DOUBLE_EQ(sum, r.score);
    EXPECT_DOUBLE_EQ(weights, 1.0);
  }
}

TEST(engine, excluded_solutions_carry_their_reasons_most_relevant_first) {
  const auto catalog = village_catalog();
  const auto outcome = match(small_village(), catalog, {});
  ASSERT_EQ(outcome.excluded.size(), 2u);
  EXPECT_EQ(outcome.excluded[0].solution->id, "e-akte");  // serves a stated need
  ASSERT_EQ(outcome.excluded[0].reasons.size(), 1u);
  EXPECT_EQ(outcome.excluded[0].reasons[0].constraint, constraint::missing_capability);
  EXPECT_EQ(outcome.excluded[1].solution->id, "ki-protokoll");
  EXPECT_EQ(outcome.excluded_count, 2u);
  EXPECT_EQ(outcome.fitting_count, 3u);
}

TEST(engine, top_k_and_max_excluded_bound_the_answer) {
  const auto catalog = village_catalog();
  match_options options;
  options.top_k = 1;
  options.max_excluded = 1;
  const auto outcome = match(small_village(), catalog, options);
  ASSERT_EQ(outcome.results.size(), 1u);
  EXPECT_EQ(outcome.results[0].solution->id, "zukunftsbild-workshop");
  EXPECT_EQ(outcome.excluded.size(), 1u);
  EXPECT_EQ(outcome.fitting_count, 3u);
  EXPECT_EQ(outcome.excluded_count, 2u);
}

TEST(engine, weights_can_be_overridden) {
  const auto catalog = village_catalog();
  match_options options;
  options.weights.values.fill(0);
  options.weights[criterion::affordability] = 1;  // affordability only
  const auto outcome = match(small_village(), catalog, options);
  ASSERT_FALSE(outcome.results.empty());
  EXPECT_EQ(outcome.results[0].solution->id, "winterdienst");  // the cheapest
  EXPECT_DOUBLE_EQ(outcome.results[0].criteria[static_cast<std::size_t>(criterion::affordability)].weight, 1.0);
}

TEST(engine, ties_break_by_solution_id) {
  std::vector<domain::solution> catalog = {
      make_solution("b", domain::need_category::strategy_vision, 0, 0, 0, 0),
      make_solution("a", domain::need_category::strategy_vision, 0, 0, 0, 0),
      make_solution("c", domain::need_category::strategy_vision, 0, 0, 0, 0)};
  const auto outcome = match(small_village(), catalog, {});
  ASSERT_EQ(outcome.results.size(), 3u);
  EXPECT_EQ(outcome.results[0].score, outcome.results[2].score);
  EXPECT_EQ(outcome.results[0].solution->id, "a");
  EXPECT_EQ(outcome.results[1].solution->id, "b");
  EXPECT_EQ(outcome.results[2].solution->id, "c");
}

// Properties over generated catalogs: more budget or staff never excludes what fitted; adding a capability never
// removes a fit; the same input gives the same output.
class engine_properties : public ::testing::TestWithParam<unsigned> {};

std::vector<domain::solution> random_catalog(std::mt19937& rng, std::size_t size) {
  std::uniform_real_distribution<double> money(0, 20000);
  std::uniform_real_distribution<double> fte(0, 1);
  std::uniform_int_distribution<int> category(0, static_cast<int>(domain::need_category_count) - 1);
  std::uniform_int_distribution<int> capability(0, static_cast<int>(domain::capability_count) - 1);
  std::bernoulli_distribution coin(0.3);
  std::vector<domain::solution> catalog;
  for (std::size_t i = 0; i < size; ++i) {
    auto s = make_solution("s" + std::to_string(i), static_cast<domain::need_category>(category(rng)), money(rng),
                           money(rng) / 4, fte(rng), fte(rng) / 2);
    if (coin(rng)) {
      s.requires_capabilities.set(static_cast<std::size_t>(capability(rng)));
    }
    catalog.push_back(std::move(s));
  }
  return catalog;
}

std::vector<std::string> fitting_ids(const domain::profile& p, const std::vector<domain::solution>& catalog) {
  match_options options;
  options.top_k = catalog.size();
  std::vector<std::string> out;
  for (const auto& r : match(p, catalog, options).results) {
    out.push_back(r.solution->id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool includes(const std::vector<std::string>& superset, const std::vector<std::string>& subset) {
  return std::includes(superset.begin(), superset.end(), subset.begin(), subset.end());
}

TEST_P(engine_properties, monotone_in_resources_and_capabilities_and_deterministic) {
  std::mt19937 rng(GetParam());
  const auto catalog = random_catalog(rng, 200);
  auto profile = small_village();
  profile.resources_info = {8000, 3000, 0.4, domain::it_skill::basic};
  const auto base = fitting_ids(profile, catalog);

  auto richer = profile;
  richer.resources_info.budget_once_eur *= 2;
  richer.resources_info.budget_annual_eur *= 2;
  EXPECT_TRUE(includes(fitting_ids(richer, catalog), base));

  auto more_staff = profile;
  more_staff.resources_info.staff_fte += 0.5;
  EXPECT_TRUE(includes(fitting_ids(more_staff, catalog), base));

  auto with_capability = profile;
  with_capability.it.capabilities.set(static_cast<std::size_t>(domain::capability::dms));
  EXPECT_TRUE(includes(fitting_ids(with_capability, catalog), base));

  const auto first = match(profile, catalog, {});
  const auto second = match(profile, catalog, {});
  ASSERT_EQ(first.results.size(), second.results.size());
  for (std::size_t i = 0; i < first.results.size(); ++i) {
    EXPECT_EQ(first.results[i].solution, second.results[i].solution);
    EXPECT_EQ(first.results[i].score, second.results[i].score);
  }
}

INSTANTIATE_TEST_SUITE_P(seeds, engine_properties, ::testing::Values(1u, 2u, 3u, 42u, 2026u));

}  // namespace
}  // namespace lotse::matching

#include "host/matching/relaxation.hpp"

#include "matching_fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

namespace lotse::matching {
namespace {

using test::caps;
using test::make_solution;
using test::small_village;
using ::testing::HasSubstr;

std::vector<change_kind> kinds(const relaxation& r) {
  std::vector<change_kind> out;
  for (const auto& c : r.changes) {
    out.push_back(c.kind);
  }
  return out;
}

bool fits_after(const domain::profile& profile, const relaxation& r, std::span<const profile_change> changes) {
  const auto relaxed = apply_changes(profile, *r.solution, changes);
  return check_constraints(relaxed.profile, relaxed.solution).empty();
}

std::vector<relaxation> relax_all(const domain::profile& profile, const std::vector<domain::solution>& catalog,
                                  relaxation_options options = {}) {
  const compiled_catalog compiled(catalog);
  match_options match_opts;
  const auto outcome = match(profile, compiled, match_opts);
  return find_relaxations(profile, compiled, outcome, match_opts, options);
}

TEST(relaxation, a_missing_prerequisite_names_the_offering_that_provides_it) {
  std::vector<domain::solution> catalog;
  auto dms = make_solution("dms-basis", domain::need_category::administration_documents, 2000, 1000, 0.1, 0.05);
  dms.provides_capabilities = caps({domain::capability::dms});
  catalog.push_back(dms);
  auto e_file = make_solution("e-akte", domain::need_category::administration_documents, 1000, 500, 0.1, 0.05);
  e_file.requires_capabilities = caps({domain::capability::dms});
  catalog.push_back(e_file);

  const auto relaxations = relax_all(small_village(), catalog);
  ASSERT_EQ(relaxations.size(), 1u);
  const auto& r = relaxations[0];
  EXPECT_EQ(r.solution->id, "e-akte");
  ASSERT_EQ(kinds(r), std::vector<change_kind>{change_kind::add_capability});
  EXPECT_EQ(r.changes[0].capability, domain::capability::dms);
  ASSERT_FALSE(r.changes[0].offered_by.empty());
  EXPECT_EQ(r.changes[0].offered_by[0]->id, "dms-basis");
  EXPECT_THAT(r.message, HasSubstr("Dokumentenmanagementsystem (DMS)"));
  EXPECT_THAT(r.message, HasSubstr("dms-basis"));
}

TEST(relaxation, cooperation_comes_before_a_budget_raise) {
  auto shared = make_solution("geteilt", domain::need_category::strategy_vision, 4000, 5000, 0.1, 0.1);
  shared.cost.shared_operation_discount = 0.2;
  const auto relaxations = relax_all(small_village(), {shared});
  ASSERT_EQ(relaxations.size(), 2u);
  EXPECT_EQ(kinds(relaxations[0]), std::vector<change_kind>{change_kind::joint_operation});
  EXPECT_EQ(kinds(relaxations[1]), std::vector<change_kind>{change_kind::raise_budget_annual});
  EXPECT_DOUBLE_EQ(relaxations[1].changes[0].amount, 2000);
  EXPECT_THAT(relaxations[1].message, HasSubstr("+2.000 € Jahresbudget"));
}

TEST(relaxation, unrepairable_exclusions_get_none) {
  auto big_town = make_solution("stadt", domain::need_category::strategy_vision, 0, 0, 0, 0);
  big_town.populations = {20000, std::nullopt};
  auto past = make_solution("vorbei", domain::need_category::strategy_vision, 0, 0, 0, 0);
  past.stages = {domain::stage::start, domain::stage::start};
  auto profile = small_village();
  profile.maturity_info.current_stage = domain::stage::implementation;
  EXPECT_TRUE(relax_all(profile, {big_town, past}).empty());
}

TEST(relaxation, solutions_without_a_stated_need_are_relaxed_only_when_too_few_fit) {
  auto unneeded = make_solution("winterdienst", domain::need_category::operations_winter_service, 9000, 0, 0, 0);
  std::vector<domain::solution> catalog = {unneeded};
  EXPECT_EQ(relax_all(small_village(), catalog).size(), 1u);  // nothing fits, so it is worth relaxing
  for (int i = 0; i < 10; ++i) {
    catalog.push_back(make_solution("fits-" + std::to_string(i), domain::need_category::strategy_vision, 0, 0, 0, 0));
  }
  EXPECT_TRUE(relax_all(small_village(), catalog).empty());  // top_k fit; an unneeded solution is not pushed
}

// Properties over generated catalogs: every relaxation applied to the profile makes its solution fit, and
// dropping any one of its changes does not (no proper subset suffices, since every change is needed).
class relaxation_properties : public ::testing::TestWithParam<unsigned> {};

TEST_P(relaxation_properties, every_relaxation_works_and_is_minimal) {
  std::mt19937 rng(GetParam());
  std::uniform_real_distribution<double> money(0, 15000);
  std::uniform_real_distribution<double> fte(0, 0.6);
  std::uniform_int_distribution<int> category(0, static_cast<int>(domain::need_category_count) - 1);
  std::uniform_int_distribution<int> capability(0, static_cast<int>(domain::capability_count) - 1);
  std::uniform_int_distribution<int> stage(1, 5);
  std::bernoulli_distribution coin(0.4);
  std::vector<domain::solution> catalog;
  for (int i = 0; i < 300; ++i) {
    auto s = make_solution("s" + std::to_string(i), static_cast<domain::need_category>(category(rng)), money(rng),
                           money(rng) / 3, fte(rng), fte(rng) / 2);
    if (coin(rng)) {
      s.requires_capabilities.set(static_cast<std::size_t>(capability(rng)));
    }
    if (coin(rng)) {
      s.provides_capabilities.set(static_cast<std::size_t>(capability(rng)));
    }
    if (coin(rng)) {
      s.cost.shared_operation_discount = 0.25;
    }
    if (coin(rng)) {
      const auto a = static_cast<domain::stage>(stage(rng));
      const auto b = static_cast<domain::stage>(stage(rng));
      s.stages = {std::min(a, b), std::max(a, b)};
    }
    if (coin(rng)) {
      s.hosting_options.set(static_cast<std::size_t>(domain::hosting::any_eu_cloud));
    }
    catalog.push_back(std::move(s));
  }
  auto profile = small_village();
  profile.it.accepted_hosting.set(static_cast<std::size_t>(domain::hosting::provider_datacenter));
  for (std::size_t c = 0; c < domain::need_category_count; c += 3) {
    profile.needs.push_back({static_cast<domain::need_category>(c), 0.5});
  }
  relaxation_options options;
  options.max_solutions = 50;
  options.max_alternatives = 4;
  const auto relaxations = relax_all(profile, catalog, options);
  ASSERT_FALSE(relaxations.empty());
  for (const auto& r : relaxations) {
    ASSERT_FALSE(r.changes.empty());
    EXPECT_TRUE(fits_after(profile, r, r.changes)) << r.solution->id << ": " << r.message;
    for (std::size_t drop = 0; drop < r.changes.size(); ++drop) {
      auto fewer = r.changes;
      fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(drop));
      EXPECT_FALSE(fits_after(profile, r, fewer)) << r.solution->id << " still fits without change " << drop << ": "
                                                  << r.message;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(seeds, relaxation_properties, ::testing::Values(1u, 7u, 99u, 2026u));

}  // namespace
}  // namespace lotse::matching

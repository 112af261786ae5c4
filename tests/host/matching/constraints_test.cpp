#include "host/matching/constraints.hpp"

#include "matching_fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lotse::matching {
namespace {

using test::caps;
using test::make_solution;
using test::small_village;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

std::vector<std::string_view> codes(const std::vector<violation>& violations) {
  std::vector<std::string_view> out;
  for (const auto& v : violations) {
    out.push_back(v.constraint);
  }
  return out;
}

TEST(constraints, an_affordable_solution_fits) {
  const auto s = make_solution("ok", domain::need_category::strategy_vision, 3000, 500, 0.1, 0.0);
  EXPECT_TRUE(check_constraints(small_village(), s).empty());
}

TEST(constraints, exactly_the_budget_fits) {
  const auto s = make_solution("edge", domain::need_category::strategy_vision, 5000, 3000, 0.2, 0.2);
  EXPECT_TRUE(check_constraints(small_village(), s).empty());
}

TEST(constraints, budget_and_staff_violations_are_named_with_amounts) {
  const auto s = make_solution("dear", domain::need_category::strategy_vision, 12000, 9000, 0.5, 0.3);
  const auto v = check_constraints(small_village(), s);
  EXPECT_THAT(codes(v), ElementsAre(constraint::budget_once, constraint::budget_annual, constraint::staff_rollout,
                                    constraint::staff_ongoing));
  EXPECT_EQ(v[0].message, "Die Einmalkosten von 12.000 € übersteigen das einmalige Budget von 5.000 €.");
  EXPECT_THAT(v[1].message, HasSubstr("9.000 €"));
  EXPECT_THAT(v[2].message, HasSubstr("0,5 VZÄ"));
  EXPECT_THAT(v[2].message_en, HasSubstr("0.2 FTE"));
}

TEST(constraints, each_missing_capability_is_its_own_reason) {
  auto s = make_solution("e-akte", domain::need_category::administration_documents, 0, 0, 0, 0);
  s.requires_capabilities = caps({domain::capability::dms, domain::capability::e_file});
  auto profile = small_village();
  const auto v = check_constraints(profile, s);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].constraint, constraint::missing_capability);
  EXPECT_EQ(v[0].message, "Voraussetzung fehlt: Dokumentenmanagementsystem (DMS).");
  profile.it.capabilities = caps({domain::capability::dms, domain::capability::e_file});
  EXPECT_TRUE(check_constraints(profile, s).empty());
}

TEST(constraints, service_provider_hosting_population_and_stage) {
  auto s = make_solution("x", domain::need_category::strategy_vision, 0, 0, 0, 0);
  s.compatible_service_providers = {"other-provider"};
  s.hosting_options.set(static_cast<std::size_t>(domain::hosting::any_eu_cloud));
  s.populations = {1000, 50000};
  s.stages = {domain::stage::implementation, domain::stage::consolidation};
  auto profile = small_village();
  profile.it.service_provider = "kommunal-it-sued";
  profile.it.accepted_hosting.set(static_cast<std::size_t>(domain::hosting::provider_datacenter));
  EXPECT_THAT(codes(check_constraints(profile, s)),
              ElementsAre(constraint::service_provider, constraint::hosting, constraint::population_range,
                          constraint::stage_range));
  // A municipality without a stated provider or hosting restriction is not excluded for them.
  profile.it.service_provider.clear();
  profile.it.accepted_hosting.reset();
  EXPECT_THAT(codes(check_constraints(profile, s)),
              ElementsAre(constraint::population_range, constraint::stage_range));
}

TEST(constraints, an_open_source_requirement_excludes_closed_solutions_only) {
  auto closed = make_solution("closed", domain::need_category::strategy_vision, 0, 0, 0, 0);
  auto open = closed;
  open.id = "open";
  open.open_source = true;
  auto profile = small_village();
  profile.it.open_source_preferred = true;  // a preference alone excludes nothing
  EXPECT_TRUE(check_constraints(profile, closed).empty());
  profile.it.open_source_required = true;
  EXPECT_THAT(codes(check_constraints(profile, closed)), ElementsAre(constraint::open_source));
  EXPECT_TRUE(check_constraints(profile, open).empty());
}

}  // namespace
}  // namespace lotse::matching

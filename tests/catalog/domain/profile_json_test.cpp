#include "catalog/domain/profile_json.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lotse::domain {
namespace {

using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;

boost::json::value small_village() {
  return boost::json::parse(R"json({
    "ags": "08226028", "name": "Heddesheim", "state": "Baden-Württemberg", "population": 11589,
    "maturity": {"stage": "implementation", "levels": {"strategy": 2, "organisation": 3}},
    "resources": {"budget_once_eur": 20000, "budget_annual_eur": 8000, "staff_fte": 1.5, "it_skill": "intermediate"},
    "it": {"service_provider": "kommunal-it-sued", "capabilities": ["dms", "digital_pilots"],
           "hosting": ["provider_datacenter"], "open_source_preferred": true, "standards": ["XÖV"]},
    "needs": {"administration.documents": 0.9, "participation.citizens": 0.4},
    "cooperation": {"open_to_cooperation": true, "memberships": ["GVV Heddesheim"]}
  })json");
}

TEST(profile_json, parses_every_field) {
  const auto result = parse_profile(small_village());
  ASSERT_TRUE(result.ok()) << result.errors.front().pointer << ": " << result.errors.front().message;
  const auto& p = result.value;
  EXPECT_EQ(p.ags, "08226028");
  EXPECT_EQ(p.district_ags, "08226");  // derived from the AGS
  EXPECT_EQ(p.population, 11589);
  EXPECT_EQ(p.maturity_info.current_stage, stage::implementation);
  EXPECT_EQ(p.maturity_info.levels[static_cast<std::size_t>(dimension::organisation)], 3);
  EXPECT_EQ(p.maturity_info.levels[static_cast<std::size_t>(dimension::data)], 0);
  EXPECT_DOUBLE_EQ(p.resources_info.staff_fte, 1.5);
  EXPECT_EQ(p.resources_info.skill, it_skill::intermediate);
  EXPECT_TRUE(p.it.capabilities.test(static_cast<std::size_t>(capability::dms)));
  EXPECT_FALSE(p.it.capabilities.test(static_cast<std::size_t>(capability::e_file)));
  EXPECT_EQ(p.it.service_provider, "kommunal-it-sued");
  ASSERT_EQ(p.needs.size(), 2u);
  EXPECT_EQ(p.needs[0].category, need_category::administration_documents);
  EXPECT_DOUBLE_EQ(p.needs[0].weight, 0.9);
  EXPECT_TRUE(p.cooperation_info.open_to_cooperation);
}

TEST(profile_json, round_trips_through_to_json) {
  const auto first = parse_profile(small_village());
  ASSERT_TRUE(first.ok());
  const auto json = to_json(first.value);
  const auto second = parse_profile(json);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(to_json(second.value), json);
}

TEST(profile_json, reports_every_bad_field_with_its_pointer) {
  const auto result = parse_profile(boost::json::parse(R"json({
    "ags": "0822602", "population": -5,
    "maturity": {"stage": "advanced", "levels": {"strategy": 7, "vision": 1}},
    "resources": {"budget_once_eur": "viel", "budget_annual_eur": -1},
    "it": {"capabilities": ["dms", "typewriter", "dms"]},
    "needs": {"administration.documents": 1.5, "coffee": 0.3},
    "budget": 5
  })json"));
  ASSERT_FALSE(result.ok());
  const auto has = [&](std::string pointer) {
    return Contains(Field(&field_error::pointer, pointer));
  };
  EXPECT_THAT(result.errors, has("/ags"));
  EXPECT_THAT(result.errors, has("/name"));
  EXPECT_THAT(result.errors, has("/population"));
  EXPECT_THAT(result.errors, has("/maturity/stage"));
  EXPECT_THAT(result.errors, has("/maturity/levels/strategy"));
  EXPECT_THAT(result.errors, has("/maturity/levels/vision"));
  EXPECT_THAT(result.errors, has("/resources/budget_once_eur"));
  EXPECT_THAT(result.errors, has("/resources/budget_annual_eur"));
  EXPECT_THAT(result.errors, has("/resources/staff_fte"));
  EXPECT_THAT(result.errors, has("/it/capabilities/1"));
  EXPECT_THAT(result.errors, has("/it/capabilities/2"));
  EXPECT_THAT(result.errors, has("/needs/administration.documents"));
  EXPECT_THAT(result.errors, has("/needs/coffee"));
  EXPECT_THAT(result.errors, has("/budget"));
  EXPECT_EQ(result.errors.size(), 14u);
}

TEST(profile_json, messages_say_what_is_expected) {
  const auto result = parse_profile(boost::json::parse(
      R"json({"ags": "08226028", "name": "X", "population": 800, "maturity": {"stage": "start"},
          "resources": {"budget_once_eur": -1, "budget_annual_eur": 3000, "staff_fte": 0.2}})json"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].pointer, "/resources/budget_once_eur");
  EXPECT_EQ(result.errors[0].message, "must be a number ≥ 0");
}

TEST(profile_json, district_must_match_the_ags) {
  auto json = small_village();
  json.as_object()["district_ags"] = "09162";
  const auto result = parse_profile(json);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].pointer, "/district_ags");
  EXPECT_THAT(result.errors[0].message, HasSubstr("08226"));
}

TEST(profile_json, a_document_that_is_not_an_object_is_one_error) {
  const auto result = parse_profile(boost::json::parse("[1,2]"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].pointer, "");
}

TEST(profile_json, pointer_tokens_are_escaped) {
  const auto result = parse_profile(boost::json::parse(
      R"json({"ags": "08226028", "name": "X", "population": 800, "maturity": {"stage": "start"},
          "resources": {"budget_once_eur": 0, "budget_annual_eur": 0, "staff_fte": 0}, "needs": {"a/b~c": 1}})json"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].pointer, "/needs/a~1b~0c");
}

}  // namespace
}  // namespace lotse::domain

#include "catalog/domain/description_json.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lotse::domain {
namespace {

using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;

boost::json::value description() {
  return boost::json::parse(R"json({
    "provider": {"id": "luftwerk-sensorik", "name": "Luftwerk (fiktiv)", "kind": "startup",
                 "website": "https://luftwerk.example", "contact": "hallo@luftwerk.example"},
    "solutions": [
      {"id": "luftwerk.pegel", "name": "Pegelsensoren", "summary": "Misst Wasserstände.", "kind": "iot",
       "categories": ["environment.water_level"], "stages": {"min": "orientation", "max": "consolidation"},
       "min_levels": {"infrastructure": 1},
       "cost": {"setup_eur": 4500, "annual_base_eur": 600, "annual_per_inhabitant_eur": 0.05,
                "population_bands": [{"max_population": 5000, "annual_eur": 700}, {"max_population": 20000, "annual_eur": 1400}],
                "shared_operation_discount": 0.25},
       "effort": {"rollout_fte": 0.1, "ongoing_fte": 0.02, "rollout_months": 3},
       "required_skill": "basic", "requires": ["lorawan_network"], "provides": [],
       "compatible_service_providers": ["kommunal-it-sued"], "standards": ["LoRaWAN 1.0.4"],
       "hosting": ["german_cloud"], "operating_models": ["saas", "intermunicipal_shared"], "open_source": true,
       "population_range": {"min": 500, "max": 50000}, "references": ["08226028"]},
      {"id": "luftwerk.gateway", "name": "LoRaWAN-Gateway", "summary": "Ein Funknetz.", "kind": "iot",
       "categories": ["infrastructure.iot_network"], "stages": {"min": "start", "max": "consolidation"},
       "cost": {"setup_eur": 2000, "annual_base_eur": 300},
       "effort": {"rollout_fte": 0.05, "ongoing_fte": 0.01, "rollout_months": 1},
       "required_skill": "none", "provides": ["lorawan_network"]}
    ]})json");
}

TEST(description_json, parses_provider_and_solutions) {
  const auto result = parse_provider_description(description());
  ASSERT_TRUE(result.ok()) << result.errors.front().pointer << ": " << result.errors.front().message;
  const auto& d = result.value;
  EXPECT_EQ(d.provider_info.id, "luftwerk-sensorik");
  EXPECT_EQ(d.provider_info.kind, provider_kind::startup);
  ASSERT_EQ(d.solutions.size(), 2u);
  const auto& pegel = d.solutions[0];
  EXPECT_EQ(pegel.provider_id, "luftwerk-sensorik");
  EXPECT_EQ(pegel.stages.min, stage::orientation);
  EXPECT_DOUBLE_EQ(pegel.cost.annual_per_inhabitant_eur, 0.05);
  ASSERT_EQ(pegel.cost.population_bands.size(), 2u);
  EXPECT_EQ(pegel.cost.population_bands[1].max_population, 20000);
  EXPECT_EQ(pegel.cost.shared_operation_discount, 0.25);
  EXPECT_TRUE(pegel.requires_capabilities.test(static_cast<std::size_t>(capability::lorawan_network)));
  EXPECT_EQ(pegel.populations.max, 50000);
  EXPECT_TRUE(pegel.open_source);
  EXPECT_FALSE(d.solutions[1].populations.max.has_value());
  EXPECT_TRUE(d.solutions[1].provides_capabilities.test(static_cast<std::size_t>(capability::lorawan_network)));
}

TEST(description_json, round_trips_through_to_json) {
  const auto first = parse_provider_description(description());
  ASSERT_TRUE(first.ok());
  const auto json = to_json(first.value);
  const auto second = parse_provider_description(json);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(to_json(second.value), json);
}

TEST(description_json, reports_every_schema_error_at_once_with_pointers) {
  auto json = description();
  auto& solutions = json.as_object()["solutions"].as_array();
  auto& pegel = solutions[0].as_object();
  pegel["cost"].as_object()["setup_eur"] = -1;
  pegel["categories"] = boost::json::array{"environment.noise"};
  pegel["stages"] = boost::json::object{{"min", "consolidation"}, {"max", "start"}};
  pegel["requires"] = boost::json::array{"telepathy"};
  pegel["cost"].as_object()["population_bands"].as_array()[1].as_object()["max_population"] = 100;
  solutions[1].as_object()["id"] = "luftwerk.pegel";
  solutions[1].as_object().erase("effort");
  json.as_object()["provider"].as_object()["kind"] = "bank";

  const auto result = parse_provider_description(json);
  const auto has = [&](std::string pointer) { return Contains(Field(&field_error::pointer, pointer)); };
  EXPECT_THAT(result.errors, has("/solutions/0/cost/setup_eur"));
  EXPECT_THAT(result.errors, has("/solutions/0/categories/0"));
  EXPECT_THAT(result.errors, has("/solutions/0/stages/min"));
  EXPECT_THAT(result.errors, has("/solutions/0/requires/0"));
  EXPECT_THAT(result.errors, has("/solutions/0/cost/population_bands/1/max_population"));
  EXPECT_THAT(result.errors, has("/solutions/1/id"));
  EXPECT_THAT(result.errors, has("/solutions/1/effort"));
  EXPECT_THAT(result.errors, has("/provider/kind"));
  EXPECT_EQ(result.errors.size(), 8u);
  for (const auto& error : result.errors) {
    if (error.pointer == "/solutions/0/cost/setup_eur") {
      EXPECT_EQ(error.message, "must be a number ≥ 0");
    }
    if (error.pointer == "/solutions/1/id") {
      EXPECT_THAT(error.message, HasSubstr("/solutions/0"));
    }
  }
}

TEST(description_json, unknown_fields_are_errors) {
  auto json = description();
  json.as_object()["solutions"].as_array()[1].as_object()["prize"] = 5;
  const auto result = parse_provider_description(json);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].pointer, "/solutions/1/prize");
  EXPECT_EQ(result.errors[0].message, "is not a known field");
}

TEST(description_json, identifiers_are_restricted) {
  auto json = description();
  json.as_object()["provider"].as_object()["id"] = "Luftwerk GmbH";
  const auto result = parse_provider_description(json);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].pointer, "/provider/id");
}

TEST(description_json, empty_solution_list_is_rejected) {
  auto json = description();
  json.as_object()["solutions"] = boost::json::array{};
  const auto result = parse_provider_description(json);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].pointer, "/solutions");
}

TEST(description_json, unknown_words_and_duplicate_ids_point_at_the_offending_element) {
  auto json = description();
  auto& solutions = json.as_object()["solutions"].as_array();
  solutions[0].as_object()["categories"] = boost::json::array{"environment.water_level", "environment.noise"};
  solutions[0].as_object()["provides"] = boost::json::array{"gis", "telepathy", "gis"};
  solutions[1].as_object()["id"] = "luftwerk.pegel";
  const auto result = parse_provider_description(json);
  const auto category_names = std::string(all_names<need_category>());
  const auto capability_names = std::string(all_names<capability>());
  EXPECT_EQ(result.errors, (field_errors{
                               {"/solutions/0/categories/1", "must be one of: " + category_names},
                               {"/solutions/0/provides/1", "must be one of: " + capability_names},
                               {"/solutions/0/provides/2", "is listed twice"},
                               {"/solutions/1/id", "duplicates the id of /solutions/0"},
                           }));
}

provider_description parsed_description(boost::json::value json) {
  auto result = parse_provider_description(json);
  EXPECT_TRUE(result.ok());
  return std::move(result.value);
}

TEST(description_json, id_clashes_name_the_solution_and_the_other_provider) {
  const auto mine = parsed_description(description());
  auto other_json = description();
  other_json.as_object()["provider"].as_object()["id"] = "andere-firma";
  other_json.as_object()["solutions"].as_array()[0].as_object()["id"] = "andere.loesung";
  const auto other = parsed_description(other_json);  // its second solution is luftwerk.gateway, like mine

  EXPECT_EQ(check_id_clashes(mine, {other}),
            (field_errors{{"/solutions/1/id", "is already the id of a solution of provider andere-firma"}}));
}

TEST(description_json, the_providers_own_previous_version_is_no_clash) {
  const auto mine = parsed_description(description());
  EXPECT_THAT(check_id_clashes(mine, {mine}), ::testing::IsEmpty());
  EXPECT_THAT(check_id_clashes(mine, {}), ::testing::IsEmpty());
}

}  // namespace
}  // namespace lotse::domain

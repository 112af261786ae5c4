// Scenario tests written from the seeds, against the real host and the example plugins: what a village, a
// Heddesheim-like municipality and a municipality bound to its IT service provider see.
#include "tests/integration/host_fixture.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lotse::test {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;
using ::testing::HasSubstr;

class matching_scenarios : public host_fixture {
 protected:
  json::object match(const std::string& body) {
    const auto reply = client_->request(verb::post, "/api/v1/match", body, {{"Content-Type", "application/json"}});
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return json::parse(reply.body).as_object();
  }

  static std::vector<std::string> ids(const json::array& items) {
    std::vector<std::string> out;
    for (const auto& item : items) {
      out.emplace_back(item.at("solution_id").as_string());
    }
    return out;
  }
};

LOTSE_INSTANTIATE_HOST_SUITE(matching_scenarios);

// An 800-inhabitant village at stage start with 0.2 FTE, €3,000 a year and no DMS.
const char* const village = R"json({"profile": {
  "ags": "07131001", "name": "Testdorf", "population": 800,
  "maturity": {"stage": "start"},
  "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2, "it_skill": "basic"},
  "needs": {"strategy.vision": 0.9, "administration.documents": 0.8, "skills.training": 0.5, "administration.council": 0.4}},
  "top_k": 5})json";

TEST_P(matching_scenarios, a_start_village_gets_strategy_building_blocks_first) {
  const auto body = match(village);
  const auto results = ids(body.at("results").as_array());
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results[0], "wegweiser.zukunftsbild");
  for (const auto& item : body.at("results").as_array()) {
    // Everything shown is carriable: within €5,000 once, €3,000 a year and 0.2 FTE.
    EXPECT_LE(item.at("cost").at("setup_eur").to_number<double>(), 5000);
    EXPECT_LE(item.at("cost").at("annual_eur").to_number<double>(), 3000);
  }
  // AI council minutes are not shown first: they are excluded with reasons.
  EXPECT_THAT(results, ::testing::Not(::testing::Contains("kits.ki-protokoll")));
}

TEST_P(matching_scenarios, a_solution_requiring_a_dms_is_excluded_and_relaxed_with_a_dms_offering) {
  const auto body = match(village);
  bool excluded_for_dms = false;
  for (const auto& item : body.at("excluded").as_array()) {
    if (item.at("solution_id") != "kits.e-akte") {
      continue;
    }
    for (const auto& reason : item.at("reasons").as_array()) {
      if (reason.at("constraint") == "missing_capability" &&
          std::string(reason.at("message").as_string()).find("DMS") != std::string::npos) {
        excluded_for_dms = true;
      }
    }
  }
  EXPECT_TRUE(excluded_for_dms);
  bool relaxed_with_offer = false;
  for (const auto& item : body.at("relaxations").as_array()) {
    if (item.at("solution_id") != "kits.e-akte") {
      continue;
    }
    for (const auto& change : item.at("changes").as_array()) {
      if (change.at("kind") == "add_capability" && change.at("capability") == "dms") {
        ASSERT_FALSE(change.at("offered_by").as_array().empty());
        EXPECT_EQ(change.at("offered_by").as_array()[0].at("solution_id"), "kits.dms");
        relaxed_with_offer = true;
      }
    }
  }
  EXPECT_TRUE(relaxed_with_offer) << json::serialize(body.at("relaxations"));
}

TEST_P(matching_scenarios, a_heddesheim_like_municipality_sees_implementation_and_administration_solutions) {
  const auto body = match(R"json({"profile": {
    "ags": "08226028", "name": "Heddesheim", "population": 11589,
    "maturity": {"stage": "implementation",
                 "levels": {"strategy": 3, "leadership": 3, "organisation": 4, "skills": 3, "infrastructure": 2,
                            "data": 2, "participation": 2}},
    "resources": {"budget_once_eur": 40000, "budget_annual_eur": 25000, "staff_fte": 2.0, "it_skill": "intermediate"},
    "it": {"service_provider": "kommunal-it-sued",
           "capabilities": ["digital_strategy", "lead_responsibility", "digital_pilots", "dms", "broadband_admin_sites"]},
    "needs": {"administration.documents": 0.9, "administration.council": 0.7, "organisation.governance": 0.6,
              "strategy.vision": 0.2}},
    "top_k": 5})json");
  const auto results = ids(body.at("results").as_array());
  ASSERT_GE(results.size(), 3u);
  EXPECT_EQ(results[0], "kits.e-akte");  // the next administration step after its DMS
  EXPECT_THAT(results, ::testing::Contains("kits.ratsinfo"));
  // The strategy workshop for beginners does not lead the list of a municipality in the middle of implementation.
  EXPECT_NE(results[0], "wegweiser.zukunftsbild");
}

TEST_P(matching_scenarios, the_service_providers_own_solutions_show_in_the_dependency_criterion) {
  const auto body = match(R"json({"profile": {
    "ags": "08226028", "name": "Heddesheim", "population": 11589,
    "maturity": {"stage": "implementation"},
    "resources": {"budget_once_eur": 40000, "budget_annual_eur": 25000, "staff_fte": 2.0, "it_skill": "intermediate"},
    "it": {"service_provider": "kommunal-it-sued", "capabilities": ["dms"]},
    "needs": {"administration.documents": 0.9}}, "top_k": 10})json");
  bool seen = false;
  for (const auto& result : body.at("results").as_array()) {
    if (result.at("provider_id") != "kommunal-it-sued") {
      continue;
    }
    for (const auto& c : result.at("criteria").as_array()) {
      if (c.at("criterion") == "dependency_fit") {
        EXPECT_DOUBLE_EQ(c.at("value").to_number<double>(), 1.0);
        EXPECT_THAT(std::string(c.at("reason").as_string()), HasSubstr("IT-Dienstleister betreibt"));
        seen = true;
      }
    }
  }
  EXPECT_TRUE(seen);
}

TEST_P(matching_scenarios, weights_in_the_request_change_the_ranking) {
  const auto body = match(R"json({"profile": {
    "ags": "07131001", "name": "Testdorf", "population": 800, "maturity": {"stage": "start"},
    "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2},
    "needs": {"strategy.vision": 0.9}}, "top_k": 3,
    "weights": {"need_fit": 0, "maturity_fit": 0, "affordability": 1, "effort_fit": 0, "skill_fit": 0,
                "dependency_fit": 0, "references": 0, "cooperation": 0}})json");
  double previous = 2;
  for (const auto& result : body.at("results").as_array()) {
    for (const auto& c : result.at("criteria").as_array()) {
      if (c.at("criterion") == "affordability") {
        EXPECT_DOUBLE_EQ(c.at("weight").to_number<double>(), 1.0);
        EXPECT_LE(c.at("value").to_number<double>(), previous);
        previous = c.at("value").to_number<double>();
      }
    }
  }
}

}  // namespace
}  // namespace lotse::test

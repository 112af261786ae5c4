// POST /api/v1/roadmap against the real lotse-host with the three example plugins.
#include "tests/integration/host_fixture.hpp"
#include "tests/support/http_client.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

namespace lotse::test {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::map<std::string, std::string> json_headers = {{"Content-Type", "application/json"}};

// The seeds' typical case: a stage-start village of 800 inhabitants, €5,000 once and €3,000 a year, 0.2 FTE.
const char* const village_profile = R"json({
  "ags": "07131001", "name": "Testdorf", "population": 800,
  "maturity": {"stage": "start"},
  "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2, "it_skill": "basic"},
  "needs": {"strategy.vision": 0.9, "administration.documents": 0.7, "skills.training": 0.5}})json";

json::value village_request(int start_year) {
  return json::object{{"profile", json::parse(village_profile)}, {"start_year", start_year}};
}

double number(const json::value& v) { return v.to_number<double>(); }

class roadmap_http : public host_fixture {
 protected:
  http_reply post(const json::value& body) {
    return client_->request(verb::post, "/api/v1/roadmap", json::serialize(body), json_headers);
  }
};

LOTSE_INSTANTIATE_HOST_SUITE(roadmap_http);

TEST_P(roadmap_http, a_village_starts_with_the_strategy_building_blocks_and_stays_within_budget) {
  const auto reply = post(village_request(2026));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  const auto body = json::parse(reply.body);
  EXPECT_EQ(body.at("start_year").as_int64(), 2026);
  const auto& steps = body.at("steps").as_array();
  ASSERT_GE(steps.size(), 4u) << reply.body;

  // The seeds' minimum building blocks first, in their order.
  const std::vector<std::string> blocks = {"wegweiser.zukunftsbild", "wegweiser.ziele-und-massnahmen",
                                           "wegweiser.buergerwerkstatt", "wegweiser.kommunikation"};
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_EQ(steps[i].at("solution_id"), blocks[i].c_str()) << reply.body;
    EXPECT_EQ(steps[i].at("provider_id"), "wegweiser-beratung");
    EXPECT_THAT(std::string(steps[i].at("why_now").as_string()),
                StartsWith("Baustein " + std::to_string(i + 1) + " der Strategie"));
    EXPECT_FALSE(steps[i].at("why_now_en").as_string().empty());
  }
  EXPECT_EQ(steps[0].at("year").as_int64(), 2026);
  EXPECT_EQ(steps[0].at("quarter").as_int64(), 1);
  EXPECT_EQ(number(steps[0].at("cost_in_year_eur")), 2900);
  EXPECT_EQ(steps[0].at("enables"), json::array{"wegweiser.ziele-und-massnahmen"});

  // Every year within both budgets, and the totals add up from the steps.
  const auto& years = body.at("years").as_array();
  ASSERT_EQ(years.size(), 5u);
  std::map<std::int64_t, double> investment;
  std::map<std::int64_t, double> running;
  std::int64_t previous = 0;
  for (const auto& step : steps) {
    const auto year = step.at("year").as_int64();
    const auto quarter = step.at("quarter").as_int64();
    EXPECT_GE(year * 4 + quarter, previous) << "steps are in time order";
    previous = year * 4 + quarter;
    const double annual = number(step.at("annual_cost_eur"));
    investment[year] += number(step.at("setup_eur"));
    EXPECT_NEAR(number(step.at("cost_in_year_eur")),
                number(step.at("setup_eur")) + annual * static_cast<double>(5 - quarter) / 4.0, 0.01);
    for (std::int64_t y = year; y < 2026 + 5; ++y) {
      running[y] += y == year ? annual * static_cast<double>(5 - quarter) / 4.0 : annual;
    }
  }
  for (const auto& entry : years) {
    const auto year = entry.at("year").as_int64();
    const double inv = number(entry.at("investment_eur"));
    const double run = number(entry.at("running_eur"));
    EXPECT_EQ(number(entry.at("budget_once_eur")), 5000);
    EXPECT_EQ(number(entry.at("budget_annual_eur")), 3000);
    EXPECT_LE(inv, 5000) << year;
    EXPECT_LE(run, 3000) << year;
    EXPECT_NEAR(number(entry.at("total_eur")), inv + run, 0.01) << year;
    EXPECT_NEAR(inv, investment[year], 0.01) << year;
    EXPECT_NEAR(run, running[year], 0.01) << year;
  }

  // The example DMS costs €8,000 to set up: more than the village can invest in any year, and it says so.
  bool documents_reported = false;
  for (const auto& issue : body.at("issues").as_array()) {
    EXPECT_FALSE(issue.at("message").as_string().empty());
    EXPECT_FALSE(issue.at("message_en").as_string().empty());
    if (issue.at("need") == "administration.documents") {
      documents_reported = true;
      EXPECT_EQ(issue.at("code"), "not_affordable_within_horizon") << issue;
    }
  }
  EXPECT_TRUE(documents_reported) << reply.body;
  EXPECT_EQ(body.at("final_stage"), "implementation");
}

TEST_P(roadmap_http, a_stored_profile_plans_like_the_same_profile_inline_and_an_unknown_ags_is_404) {
  ASSERT_EQ(client_->request(verb::put, "/api/v1/municipalities/07131001", village_profile, json_headers).status, 201u);
  const auto by_ags = post(json::object{{"ags", "07131001"}, {"start_year", 2026}});
  const auto inline_profile = post(village_request(2026));
  ASSERT_EQ(by_ags.status, 200u) << by_ags.body;
  EXPECT_EQ(json::parse(by_ags.body), json::parse(inline_profile.body));
  const auto unknown = post(json::object{{"ags", "09999999"}});
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.header("Content-Type"), "application/problem+json");
}

TEST_P(roadmap_http, the_start_year_defaults_to_the_current_year_and_years_sets_the_horizon) {
  const auto year_now = [] {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return static_cast<std::int64_t>(static_cast<int>(std::chrono::year_month_day(today).year()));
  };
  const auto before = year_now();
  const auto reply = post(json::object{{"profile", json::parse(village_profile)}, {"years", 3}});
  const auto after = year_now();
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const auto body = json::parse(reply.body);
  const auto start = body.at("start_year").as_int64();
  EXPECT_TRUE(start == before || start == after) << start;
  const auto& years = body.at("years").as_array();
  ASSERT_EQ(years.size(), 3u);
  EXPECT_EQ(years[0].at("year").as_int64(), start);
  EXPECT_EQ(years[2].at("year").as_int64(), start + 2);
}

TEST_P(roadmap_http, invalid_requests_are_problems_listing_every_field) {
  const auto malformed = client_->request(verb::post, "/api/v1/roadmap", "{\"profile\": ", json_headers);
  EXPECT_EQ(malformed.status, 400u);
  EXPECT_EQ(malformed.header("Content-Type"), "application/problem+json");

  const auto reply = client_->request(
      verb::post, "/api/v1/roadmap",
      R"json({"profile": {"ags": "123", "population": -1, "maturity": {"stage": "dreaming"},
              "resources": {"budget_once_eur": 100, "budget_annual_eur": 100, "staff_fte": 0.1}},
              "start_year": "soon", "years": 11, "max_steps": 0, "colour": "blue"})json",
      json_headers);
  ASSERT_EQ(reply.status, 422u) << reply.body;
  EXPECT_EQ(reply.header("Content-Type"), "application/problem+json");
  const auto body = json::parse(reply.body);
  std::set<std::string> pointers;
  for (const auto& error : body.at("errors").as_array()) {
    pointers.insert(std::string(error.at("pointer").as_string()));
  }
  EXPECT_EQ(pointers, (std::set<std::string>{"/colour", "/profile/ags", "/profile/name", "/profile/population",
                                             "/profile/maturity/stage", "/start_year", "/years", "/max_steps"}));

  const auto neither = post(json::object{{"years", 2}});
  EXPECT_EQ(neither.status, 422u);
  EXPECT_THAT(neither.body, HasSubstr("either"));
  const auto wrong_method = client_->request(verb::get, "/api/v1/roadmap");
  EXPECT_EQ(wrong_method.status, 405u);
}

}  // namespace
}  // namespace lotse::test

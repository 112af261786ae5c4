// The self-assessment as a clerk's browser meets it: fetch the questionnaire, send the answers, save the result into
// the municipality's profile, all over real HTTP against the real lotse-host.
#include "tests/integration/host_fixture.hpp"
#include "tests/support/http_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <memory>
#include <set>

namespace lotse::test {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;
using ::testing::HasSubstr;

const std::map<std::string, std::string> json_headers = {{"Content-Type", "application/json"}};

// Heddesheim-like answers: Digitallotsen in every department, a lead responsibility, a DMS, transformation under way.
const char* const heddesheim_answers = R"json({"answers": {
  "zukunftsbild": "written", "current_position": "in_transformation", "implementation_help": "some_help",
  "citizen_support": "supported", "staff_effectiveness": "one_of_several", "goals_and_measures": "goals",
  "leadership_commitment": "chefsache", "lead_responsibility": "named_lead", "digital_pilots": "all_trained",
  "staff_skills": "confident", "it_provider": "joint_planning", "broadband": "fast_town_hall", "records": "dms",
  "online_services": "portal_some", "digital_data": "evaluated", "geodata": "gis_shared",
  "citizen_participation": "consulted"}})json";

// The questionnaire needs no catalog: a host without plugins.
class assessment_http : public host_fixture {
 public:
  assessment_http() : host_fixture(false) {}
};

LOTSE_INSTANTIATE_HOST_SUITE(assessment_http);

TEST_P(assessment_http, serves_the_questionnaire) {
  const auto reply = client_->request(verb::get, "/api/v1/assessment");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  const auto body = json::parse(reply.body);
  EXPECT_EQ(body.at("version").as_int64(), 1);
  const auto& questions = body.at("questions").as_array();
  EXPECT_GE(questions.size(), 15u);
  std::set<std::string> dimensions;
  std::set<std::string> stages;
  for (const auto& q : questions) {
    EXPECT_FALSE(q.at("text_de").as_string().empty());
    EXPECT_FALSE(q.at("text_en").as_string().empty());
    EXPECT_GE(q.at("options").as_array().size(), 3u) << q.at("id");
    if (const auto* d = q.as_object().if_contains("dimension")) {
      dimensions.insert(std::string(d->as_string()));
    }
    if (const auto* s = q.as_object().if_contains("stage")) {
      stages.insert(std::string(s->as_string()));
    }
  }
  EXPECT_EQ(dimensions.size(), 7u);
  EXPECT_EQ(stages, (std::set<std::string>{"start", "orientation", "implementation", "acceptance", "consolidation"}));
}

// Answer every question with its first option (what a village without anything would click), then save the result.
TEST_P(assessment_http, answers_round_trip_into_a_saved_profile) {
  const auto questionnaire = json::parse(client_->request(verb::get, "/api/v1/assessment").body);
  json::object first_options;
  for (const auto& q : questionnaire.at("questions").as_array()) {
    first_options[q.at("id").as_string()] = q.at("options").as_array()[0].at("id");
  }
  const auto village = client_->request(verb::post, "/api/v1/assessment",
                                        json::serialize(json::object{{"answers", first_options}}), json_headers);
  ASSERT_EQ(village.status, 200u) << village.body;
  EXPECT_EQ(json::parse(village.body).at("stage"), "start");

  const auto reply = client_->request(verb::post, "/api/v1/assessment", heddesheim_answers, json_headers);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const auto result = json::parse(reply.body);
  EXPECT_EQ(result.at("stage"), "implementation");
  EXPECT_GE(result.at("levels").at("organisation").as_int64(), 3);
  EXPECT_THAT(std::string(result.at("explanation").at("stage").at("de").as_string()), HasSubstr("Umsetzung"));
  EXPECT_THAT(std::string(result.at("explanation").at("levels").at("organisation").at("de").as_string()),
              HasSubstr("Digitallotsen"));

  // The patch is ready to merge: this profile lists no capabilities yet, so the patch's `it` can stand as it is.
  auto profile = json::parse(R"json({"ags": "08226028", "name": "Heddesheim", "population": 11589,
      "maturity": {"stage": "start"},
      "resources": {"budget_once_eur": 50000, "budget_annual_eur": 20000, "staff_fte": 1.5}})json");
  const auto& patch = result.at("profile_patch");
  profile.as_object()["maturity"] = patch.at("maturity");
  profile.as_object()["it"] = patch.at("it");
  const auto put =
      client_->request(verb::put, "/api/v1/municipalities/08226028", json::serialize(profile), json_headers);
  ASSERT_EQ(put.status, 201u) << put.body;
  const auto stored = json::parse(client_->request(verb::get, "/api/v1/municipalities/08226028").body);
  EXPECT_EQ(stored.at("maturity").at("stage"), "implementation");
  EXPECT_EQ(stored.at("maturity").at("levels"), result.at("levels"));
  EXPECT_EQ(stored.at("it").at("capabilities"), result.at("capabilities"));
}

TEST_P(assessment_http, invalid_answers_are_a_422_listing_every_problem) {
  auto request = json::parse(heddesheim_answers);
  auto& answers = request.at("answers").as_object();
  answers.erase("records");
  answers["broadband"] = "carrier_pigeon";
  answers["coffee"] = "black";
  answers["geodata"] = 2;
  const auto reply = client_->request(verb::post, "/api/v1/assessment", json::serialize(request), json_headers);
  ASSERT_EQ(reply.status, 422u) << reply.body;
  EXPECT_EQ(reply.header("Content-Type"), "application/problem+json");
  const auto body = json::parse(reply.body);
  EXPECT_EQ(body.at("status").as_int64(), 422);
  EXPECT_EQ(body.at("type"), "urn:lotse:problem:validation");
  std::set<std::string> pointers;
  for (const auto& error : body.at("errors").as_array()) {
    pointers.insert(std::string(error.at("pointer").as_string()));
    EXPECT_FALSE(error.at("message").as_string().empty());
  }
  EXPECT_EQ(pointers,
            (std::set<std::string>{"/answers/records", "/answers/broadband", "/answers/coffee", "/answers/geodata"}));
  EXPECT_THAT(std::string(body.at("detail").as_string()), HasSubstr("4 invalid fields"));
}

TEST_P(assessment_http, malformed_json_is_a_400) {
  const auto reply = client_->request(verb::post, "/api/v1/assessment", R"({"answers": {"records": })", json_headers);
  EXPECT_EQ(reply.status, 400u) << reply.body;
  EXPECT_EQ(reply.header("Content-Type"), "application/problem+json");
  const auto wrong_method = client_->request(verb::delete_, "/api/v1/assessment");
  EXPECT_EQ(wrong_method.status, 405u);
}

}  // namespace
}  // namespace lotse::test

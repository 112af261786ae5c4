#include "host/assessment/assessment_json.hpp"

#include "catalog/domain/profile_json.hpp"
#include "host/assessment/questionnaire.hpp"
#include "tests/host/assessment/assessment_fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <set>

namespace lotse::assessment {
namespace {

namespace json = boost::json;
using test::heddesheim_like;
using ::testing::HasSubstr;

json::value request_of(const answers& given) {
  json::object answers_json;
  for (const auto& [question, option] : given) {
    answers_json[question] = option;
  }
  return json::object{{"answers", std::move(answers_json)}};
}

std::set<std::string> pointers_of(const domain::field_errors& errors) {
  std::set<std::string> out;
  for (const auto& e : errors) {
    out.insert(e.pointer);
  }
  return out;
}

TEST(assessment_json, the_questionnaire_lists_every_question_with_its_options) {
  const auto body = questionnaire_to_json();
  EXPECT_EQ(body.at("version").as_int64(), 1);
  const auto& questions = body.at("questions").as_array();
  ASSERT_EQ(questions.size(), questionnaire().size());
  std::size_t stage_questions = 0;
  for (const auto& item : questions) {
    const auto& q = item.as_object();
    EXPECT_TRUE(q.at("required").as_bool());
    EXPECT_FALSE(q.at("text_de").as_string().empty());
    EXPECT_GE(q.at("options").as_array().size(), 3u);
    EXPECT_TRUE(q.contains("stage") || q.contains("dimension")) << q.at("id");
    stage_questions += q.contains("stage") ? 1 : 0;
    for (const auto& option : q.at("options").as_array()) {
      EXPECT_EQ(option.as_object().size(), 3u) << "points and findings stay server-side: " << option;
    }
  }
  EXPECT_EQ(stage_questions, 5u);
  EXPECT_EQ(questions[0].at("stage"), "start");
  EXPECT_EQ(questions[0].at("dimension"), "strategy");
}

TEST(assessment_json, a_result_has_every_level_explained_and_a_profile_patch) {
  const auto outcome = assess(request_of(heddesheim_like()));
  ASSERT_TRUE(outcome.ok());
  const auto body = to_json(outcome.value);
  EXPECT_EQ(body.at("stage"), "implementation");
  const auto& levels = body.at("levels").as_object();
  const auto& explained = body.at("explanation").at("levels").as_object();
  ASSERT_EQ(levels.size(), domain::dimension_count);
  for (const auto& [name, level] : levels) {
    EXPECT_EQ(explained.at(name).at("level"), level) << name;
    EXPECT_THAT(std::string(explained.at(name).at("de").as_string()), HasSubstr("Stufe"));
    EXPECT_THAT(std::string(explained.at(name).at("en").as_string()), HasSubstr("Level"));
  }
  EXPECT_EQ(levels.at("organisation").as_int64(), 4);
  EXPECT_EQ(body.at("explanation").at("stage").at("decided_by").as_array()[0], "implementation_help");
  EXPECT_EQ(body.at("profile_patch").at("maturity").at("levels"), body.at("levels"));
  EXPECT_EQ(body.at("profile_patch").at("it").at("capabilities"), body.at("capabilities"));
  EXPECT_EQ(body.at("capabilities"), (json::array{"digital_strategy", "lead_responsibility", "digital_pilots", "dms",
                                                  "citizen_portal", "gis", "broadband_admin_sites"}));
}

TEST(assessment_json, the_profile_patch_merges_into_a_valid_profile) {
  auto profile = json::parse(R"json({"ags": "08226028", "name": "Heddesheim", "population": 11589,
      "maturity": {"stage": "start"},
      "resources": {"budget_once_eur": 50000, "budget_annual_eur": 20000, "staff_fte": 1.5},
      "it": {"capabilities": ["council_information_system"], "hosting": ["german_cloud"]}})json");
  const auto outcome = assess(request_of(heddesheim_like()));
  ASSERT_TRUE(outcome.ok());
  const auto patch = to_json(outcome.value).at("profile_patch");
  profile.as_object()["maturity"] = patch.at("maturity");
  profile.at("it").as_object()["capabilities"] = patch.at("it").at("capabilities");
  const auto parsed = domain::parse_profile(profile);
  ASSERT_TRUE(parsed.ok()) << parsed.errors[0].pointer << " " << parsed.errors[0].message;
  EXPECT_EQ(parsed.value.maturity_info.current_stage, outcome.value.stage);
  EXPECT_EQ(parsed.value.maturity_info.levels, outcome.value.levels);
  EXPECT_EQ(parsed.value.it.capabilities, outcome.value.capabilities);
}

TEST(assessment_json, reports_the_documents_shape) {
  EXPECT_EQ(pointers_of(assess(json::array{}).errors), (std::set<std::string>{""}));
  EXPECT_EQ(pointers_of(assess(json::object{}).errors), (std::set<std::string>{"/answers"}));
  EXPECT_EQ(pointers_of(assess(json::object{{"answers", "all good"}}).errors), (std::set<std::string>{"/answers"}));

  auto request = request_of(heddesheim_like());
  request.as_object()["version"] = 2;
  request.as_object()["comment"] = "from the clerk";
  request.as_object()["we/ird"] = 1;
  EXPECT_EQ(pointers_of(assess(request).errors), (std::set<std::string>{"/version", "/comment", "/we~1ird"}));
  request.as_object()["version"] = 1;
  request.as_object().erase("comment");
  request.as_object().erase("we/ird");
  EXPECT_TRUE(assess(request).ok());
}

TEST(assessment_json, a_non_string_answer_is_one_error_and_null_counts_as_missing) {
  auto request = request_of(heddesheim_like());
  request.at("answers").as_object()["records"] = 3;
  request.at("answers").as_object()["broadband"] = nullptr;
  const auto outcome = assess(request);
  ASSERT_EQ(outcome.errors.size(), 2u);
  EXPECT_EQ(outcome.errors[0].pointer, "/answers/records");
  EXPECT_THAT(outcome.errors[0].message, HasSubstr("must be a string"));
  EXPECT_EQ(outcome.errors[1].pointer, "/answers/broadband");
  EXPECT_THAT(outcome.errors[1].message, HasSubstr("is required"));
}

TEST(assessment_json, member_order_does_not_change_the_answer) {
  const auto forward = request_of(heddesheim_like());
  json::object reversed_answers;
  const auto& answers_json = forward.at("answers").as_object();
  for (auto it = answers_json.end(); it != answers_json.begin();) {
    --it;
    reversed_answers[it->key()] = it->value();
  }
  const auto a = assess(forward);
  const auto b = assess(json::object{{"answers", std::move(reversed_answers)}});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(json::serialize(to_json(a.value)), json::serialize(to_json(b.value)));
}

}  // namespace
}  // namespace lotse::assessment

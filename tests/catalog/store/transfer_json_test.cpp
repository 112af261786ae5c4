#include "catalog/store/transfer_json.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace lotse::catalog {
namespace {

using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;

const char* const valid_export = R"({
  "format": "lotse-export", "format_version": 1,
  "providers": [{"plugin_file": "a.so",
                 "provider": {"id": "anbieter-a", "name": "Anbieter A", "kind": "startup"},
                 "solutions": [{"id": "a.workshop", "name": "Workshop", "summary": "Ein Tag Zukunftsbild.",
                                "kind": "training", "categories": ["strategy.vision"],
                                "stages": {"min": "start", "max": "orientation"},
                                "cost": {"setup_eur": 2500, "annual_base_eur": 0},
                                "effort": {"rollout_fte": 0.1, "ongoing_fte": 0, "rollout_months": 1},
                                "required_skill": "none"}]}],
  "municipalities": [{"version": 3, "profile": {"ags": "07131001", "name": "Testdorf", "population": 800,
                       "maturity": {"stage": "start"},
                       "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2}}}]
})";

domain::field_errors errors_of(const std::string& text) {
  return parse_store_contents(boost::json::parse(text)).errors;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(transfer_json, a_valid_export_parses_and_writes_back_identically) {
  const auto parsed = parse_store_contents(boost::json::parse(valid_export));
  ASSERT_TRUE(parsed.ok()) << parsed.errors.front().pointer << ": " << parsed.errors.front().message;
  ASSERT_EQ(parsed.value.providers.size(), 1U);
  EXPECT_EQ(parsed.value.providers[0].plugin_file, "a.so");
  ASSERT_EQ(parsed.value.profiles.size(), 1U);
  EXPECT_EQ(parsed.value.profiles[0].version, 3);
  const auto again = parse_store_contents(to_json(parsed.value));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(boost::json::serialize(to_json(again.value)), boost::json::serialize(to_json(parsed.value)));
}

TEST(transfer_json, every_problem_is_reported_with_its_pointer) {
  auto text = replaced(valid_export, R"("version": 3)", R"("version": 0)");
  text = replaced(text, R"("population": 800)", R"("population": -5)");
  text = replaced(text, R"("setup_eur": 2500)", R"("setup_eur": "viel")");
  text = replaced(text, R"("plugin_file": "a.so")", R"("plugin_file": "")");
  const auto errors = errors_of(text);
  EXPECT_THAT(errors, Contains(Field(&domain::field_error::pointer, "/municipalities/0/version")));
  EXPECT_THAT(errors, Contains(Field(&domain::field_error::pointer, "/municipalities/0/profile/population")));
  EXPECT_THAT(errors, Contains(Field(&domain::field_error::pointer, "/providers/0/solutions/0/cost/setup_eur")));
  EXPECT_THAT(errors, Contains(Field(&domain::field_error::pointer, "/providers/0/plugin_file")));
}

TEST(transfer_json, refuses_other_files_newer_formats_and_duplicates) {
  EXPECT_THAT(errors_of(R"({"providers": []})"),
              Contains(Field(&domain::field_error::message, HasSubstr("not a Lotse export"))));
  EXPECT_THAT(errors_of(replaced(valid_export, R"("format_version": 1)", R"("format_version": 2)")),
              Contains(Field(&domain::field_error::message, HasSubstr("newer"))));
  // The same AGS twice.
  auto twice = replaced(valid_export, R"("municipalities": [)",
                        R"("municipalities": [{"version": 1, "profile": {"ags": "07131001", "name": "Doppelt",
                           "population": 10, "maturity": {"stage": "start"},
                           "resources": {"budget_once_eur": 0, "budget_annual_eur": 0, "staff_fte": 0}}},)");
  EXPECT_THAT(errors_of(twice), Contains(Field(&domain::field_error::pointer, "/municipalities/1/profile/ags")));
  EXPECT_THAT(errors_of(replaced(valid_export, R"("format": "lotse-export",)", R"("format": "lotse-export", "extra": 1,)")),
              Contains(Field(&domain::field_error::pointer, "/extra")));
}

}  // namespace
}  // namespace lotse::catalog

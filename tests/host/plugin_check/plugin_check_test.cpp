#include "host/plugin_check/plugin_check.hpp"

#include "catalog/domain/description_json.hpp"
#include "catalog/domain/vocabulary.hpp"
#include "catalog/store/store.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace lotse::plugin_check {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
namespace fs = std::filesystem;

const fs::path fixture_dir{LOTSE_FIXTURE_PLUGIN_DIR};

std::string fixture(std::string_view name) { return (fixture_dir / (std::string(name) + ".so")).string(); }

struct run_result {
  int status;
  std::string out;
  std::string err;
};

run_result check(std::vector<std::string> args) {
  std::ostringstream out;
  std::ostringstream err;
  const int status = run_plugin_check(args, out, err);
  return {status, out.str(), err.str()};
}

TEST(plugin_check, a_valid_plugin_passes_with_status_0) {
  const auto result = check({fixture("valid_fixture")});
  EXPECT_EQ(result.status, 0) << result.out << result.err;
  EXPECT_EQ(result.out,
            fixture("valid_fixture") + ": the description is valid (provider fixture-provider, 1 solution)\n");
  EXPECT_THAT(result.err, IsEmpty());
}

TEST(plugin_check, prints_every_error_with_its_pointer_and_fails_with_status_1) {
  const auto result = check({fixture("schema_violations")});
  EXPECT_EQ(result.status, 1);
  const std::string categories(domain::all_names<domain::need_category>());
  const std::string capabilities(domain::all_names<domain::capability>());
  EXPECT_EQ(result.out,
            "/provider/kind: must be one of: startup, it_service_provider, consultancy, other\n"
            "/solutions/0/categories/1: must be one of: " + categories + "\n"
            "/solutions/0/requires/0: must be one of: " + capabilities + "\n"
            "/solutions/0/provides/1: is listed twice\n"
            "/solutions/1/summary: is required\n"
            "/solutions/1/prize: is not a known field\n"
            "/solutions/1/id: duplicates the id of /solutions/0\n"
            "/solutions/2/cost/setup_eur: must be a number ≥ 0\n"
            "/solutions/2/effort/rollout_months: must be a number from 0 to 120\n" +
                fixture("schema_violations") + ": 9 errors in the description\n");
  EXPECT_THAT(result.err, IsEmpty());
}

TEST(plugin_check, a_plugin_that_does_not_load_fails_with_the_loaders_reason) {
  const auto result = check({fixture("abi_major_mismatch")});
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.out, HasSubstr(fixture("abi_major_mismatch") + ": the plugin does not load: ABI major version"));
}

TEST(plugin_check, bad_usage_is_status_2_and_help_is_0) {
  EXPECT_EQ(check({}).status, 2);
  EXPECT_EQ(check({fixture("valid_fixture"), fixture("valid_fixture")}).status, 2);
  EXPECT_EQ(check({"--strict", fixture("valid_fixture")}).status, 2);
  EXPECT_EQ(check({fixture("valid_fixture"), "--d", "sqlite::memory:"}).status, 2);  // no guessing of --db
  const auto help = check({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_THAT(help.out, HasSubstr("Usage: lotse-host plugin check FILE [--db URL]"));
}

TEST(plugin_check, check_description_reports_text_that_is_not_json_at_the_document) {
  EXPECT_EQ(check_description("{"), (domain::field_errors{{"", "is not valid JSON: incomplete JSON"}}));
}

// A SQLite catalog in a fresh directory, removed at the end of the test.
class catalog_database : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir_ = fs::temp_directory_path() / ("lotse-plugin-check-" + std::to_string(random()) + std::to_string(random()));
    fs::create_directory(dir_);
    url_ = "sqlite:" + (dir_ / "catalog.db").string();
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Stores a provider other than the fixture's that owns a solution with the fixture solution's id.
  void store_other_provider_with(std::string_view solution_id) {
    auto json = boost::json::parse(R"json({
      "provider": {"id": "other-provider", "name": "Other", "kind": "consultancy"},
      "solutions": [{"id": "x", "name": "Taken", "summary": "Has the id first.", "kind": "service",
        "categories": ["skills.training"], "stages": {"min": "start", "max": "consolidation"},
        "cost": {"setup_eur": 0, "annual_base_eur": 0},
        "effort": {"rollout_fte": 0, "ongoing_fte": 0, "rollout_months": 0}, "required_skill": "none"}]})json");
    json.at_pointer("/solutions/0").as_object()["id"] = solution_id;
    const auto description = domain::parse_provider_description(json);
    ASSERT_TRUE(description.ok());
    catalog::store::open({.url = url_})->replace_provider(description.value, "other.so");
  }

  fs::path dir_;
  std::string url_;
};

TEST_F(catalog_database, a_solution_id_of_another_provider_is_reported) {
  store_other_provider_with("fixture.solution");
  const auto result = check({fixture("valid_fixture"), "--db", url_});
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_EQ(result.out, "/solutions/0/id: is already the id of a solution of provider other-provider\n" +
                            fixture("valid_fixture") + ": 1 error in the description\n");
}

TEST_F(catalog_database, without_clashes_the_plugin_passes) {
  store_other_provider_with("other.solution");
  const auto result = check({fixture("valid_fixture"), "--db", url_});
  EXPECT_EQ(result.status, 0) << result.out << result.err;
  EXPECT_THAT(result.out, HasSubstr("no id clashes with 1 provider in the catalog"));
}

TEST_F(catalog_database, an_unusable_database_is_a_failure_on_stderr) {
  const auto result = check({fixture("valid_fixture"), "--db", "mysql://nowhere"});
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.err, HasSubstr("cannot read the catalog from mysql://nowhere"));
  EXPECT_THAT(result.out, IsEmpty());
}

}  // namespace
}  // namespace lotse::plugin_check

// lotse-host as a user meets it: a real process, real plugins, a real SQLite file, real HTTP on an ephemeral port.
#include "tests/integration/host_fixture.hpp"
#include "tests/support/http_client.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace lotse::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using boost::beast::http::verb;
using ::testing::HasSubstr;

const std::map<std::string, std::string> json_headers = {{"Content-Type", "application/json"}};

// A stage-start village of 800 inhabitants with 0.2 FTE and €3,000 a year, no DMS (the seeds' typical case).
const char* const small_village_match = R"json({
  "profile": {"ags": "07131001", "name": "Testdorf", "population": 800,
              "maturity": {"stage": "start"},
              "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2, "it_skill": "basic"},
              "needs": {"strategy.vision": 0.9, "administration.documents": 0.7, "skills.training": 0.5}},
  "top_k": 5})json";

class host_http : public host_fixture {
 protected:
  json::value get_json(const std::string& target, unsigned expected_status = 200) {
    const auto reply = client_->request(verb::get, target);
    EXPECT_EQ(reply.status, expected_status) << target << ": " << reply.body;
    return json::parse(reply.body);
  }
};

LOTSE_INSTANTIATE_HOST_SUITE(host_http);

TEST_P(host_http, healthz_answers_ok) {
  const auto body = get_json("/healthz");
  EXPECT_EQ(body.at("status"), "ok");
  EXPECT_GE(body.at("solutions").as_int64(), 3);
}

TEST_P(host_http, lists_solutions_from_the_three_example_plugins) {
  const auto providers = get_json("/api/v1/providers");
  EXPECT_EQ(providers.at("total").as_int64(), 3);
  const auto all = get_json("/api/v1/solutions?per_page=100");
  std::set<std::string> provider_ids;
  for (const auto& item : all.at("items").as_array()) {
    provider_ids.insert(std::string(item.at("provider_id").as_string()));
  }
  EXPECT_EQ(provider_ids, (std::set<std::string>{"kommunal-it-sued", "luftwerk-sensorik", "wegweiser-beratung"}));
  EXPECT_EQ(all.at("total").as_int64(), static_cast<std::int64_t>(all.at("items").as_array().size()));
}

TEST_P(host_http, filters_and_paginates_solutions) {
  const auto dms = get_json("/api/v1/solutions?category=administration.documents");
  ASSERT_GE(dms.at("total").as_int64(), 1);
  for (const auto& item : dms.at("items").as_array()) {
    const auto& categories = item.at("categories").as_array();
    EXPECT_NE(std::find(categories.begin(), categories.end(), json::value("administration.documents")),
              categories.end());
  }
  const auto by_provider = get_json("/api/v1/solutions?provider=wegweiser-beratung");
  for (const auto& item : by_provider.at("items").as_array()) {
    EXPECT_EQ(item.at("provider_id"), "wegweiser-beratung");
  }
  const auto searched = get_json("/api/v1/solutions?q=zukunftsbild");
  ASSERT_GE(searched.at("total").as_int64(), 1);

  const auto all = get_json("/api/v1/solutions?per_page=100");
  const auto total = all.at("total").as_int64();
  const auto page1 = get_json("/api/v1/solutions?per_page=2&page=1");
  const auto page2 = get_json("/api/v1/solutions?per_page=2&page=2");
  ASSERT_EQ(page1.at("items").as_array().size(), 2u);
  EXPECT_EQ(page1.at("total").as_int64(), total);
  EXPECT_EQ(page1.at("items").as_array()[0], all.at("items").as_array()[0]);
  EXPECT_EQ(page2.at("items").as_array()[0], all.at("items").as_array()[2]);
  const auto beyond = get_json("/api/v1/solutions?per_page=100&page=2");
  EXPECT_TRUE(beyond.at("items").as_array().empty());

  const auto bad = client_->request(verb::get, "/api/v1/solutions?category=coffee&per_page=1000");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.header("Content-Type"), "application/problem+json");
  EXPECT_THAT(bad.body, HasSubstr("per_page"));
  EXPECT_THAT(bad.body, HasSubstr("category"));
}

TEST_P(host_http, returns_one_solution_or_404) {
  const auto first = get_json("/api/v1/solutions?per_page=1").at("items").as_array()[0];
  const std::string id(first.at("id").as_string());
  EXPECT_EQ(get_json("/api/v1/solutions/" + id), first);
  const auto missing = client_->request(verb::get, "/api/v1/solutions/no-such-solution");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.header("Content-Type"), "application/problem+json");
}

TEST_P(host_http, matches_a_small_village_with_explained_results_and_exclusions) {
  const auto reply = client_->request(verb::post, "/api/v1/match", small_village_match, json_headers);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const auto body = json::parse(reply.body);
  const auto& results = body.at("results").as_array();
  ASSERT_FALSE(results.empty());
  EXPECT_LE(results.size(), 5u);
  double previous = 2;
  for (const auto& result : results) {
    const double score = result.at("score").to_number<double>();
    EXPECT_LE(score, previous);
    previous = score;
    double sum = 0;
    for (const auto& c : result.at("criteria").as_array()) {
      sum += c.at("contribution").to_number<double>();
      EXPECT_FALSE(c.at("reason").as_string().empty());
    }
    EXPECT_NEAR(sum, score, 1e-9) << result.at("solution_id");
  }
  // The seeds' point: a stage-start village sees the strategy building blocks first.
  EXPECT_EQ(results[0].at("provider_id"), "wegweiser-beratung");
  const auto& excluded = body.at("excluded").as_array();
  ASSERT_FALSE(excluded.empty());
  for (const auto& item : excluded) {
    ASSERT_FALSE(item.at("reasons").as_array().empty()) << item.at("solution_id");
    for (const auto& reason : item.at("reasons").as_array()) {
      EXPECT_FALSE(reason.at("constraint").as_string().empty());
      EXPECT_FALSE(reason.at("message").as_string().empty());
    }
  }
}

TEST_P(host_http, malformed_json_is_a_400_problem_naming_where) {
  const auto reply = client_->request(verb::post, "/api/v1/match", "{\"profile\": {\"ags\": \n  \"x\" \"y\"}}",
                                      json_headers);
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(reply.header("Content-Type"), "application/problem+json");
  const auto body = json::parse(reply.body);
  EXPECT_EQ(body.at("status").as_int64(), 400);
  EXPECT_THAT(std::string(body.at("detail").as_string()), HasSubstr("line 2"));
}

TEST_P(host_http, an_invalid_profile_is_a_422_listing_every_bad_field) {
  const auto reply = client_->request(
      verb::post, "/api/v1/match",
      R"json({"profile": {"ags": "123", "population": -1, "maturity": {"stage": "dreaming"},
              "resources": {"budget_once_eur": -5, "budget_annual_eur": 100, "staff_fte": "much"},
              "needs": {"administration.documents": 2}}})json",
      json_headers);
  ASSERT_EQ(reply.status, 422u) << reply.body;
  EXPECT_EQ(reply.header("Content-Type"), "application/problem+json");
  const auto body = json::parse(reply.body);
  std::set<std::string> pointers;
  for (const auto& error : body.at("errors").as_array()) {
    pointers.insert(std::string(error.at("pointer").as_string()));
  }
  EXPECT_EQ(pointers, (std::set<std::string>{"/profile/ags", "/profile/name", "/profile/population",
                                             "/profile/maturity/stage", "/profile/resources/budget_once_eur",
                                             "/profile/resources/staff_fte",
                                             "/profile/needs/administration.documents"}));
}

TEST_P(host_http, unknown_routes_and_methods_are_problems) {
  const auto missing = client_->request(verb::get, "/api/v1/nothing");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.header("Content-Type"), "application/problem+json");
  const auto wrong = client_->request(verb::delete_, "/api/v1/match");
  EXPECT_EQ(wrong.status, 405u);
  EXPECT_EQ(wrong.header("Allow"), "POST");
}

TEST_P(host_http, stored_profiles_are_matched_by_ags) {
  const auto profile = json::parse(small_village_match).at("profile");
  const auto put = client_->request(verb::put, "/api/v1/municipalities/07131001", json::serialize(profile), json_headers);
  ASSERT_EQ(put.status, 201u) << put.body;
  EXPECT_EQ(json::parse(client_->request(verb::get, "/api/v1/municipalities/07131001").body).at("name"), "Testdorf");
  const auto by_ags = client_->request(verb::post, "/api/v1/match", R"({"ags": "07131001", "top_k": 5})", json_headers);
  const auto inline_profile = client_->request(verb::post, "/api/v1/match", small_village_match, json_headers);
  ASSERT_EQ(by_ags.status, 200u) << by_ags.body;
  EXPECT_EQ(json::parse(by_ags.body), json::parse(inline_profile.body));
  const auto unknown = client_->request(verb::post, "/api/v1/match", R"({"ags": "09999999"})", json_headers);
  EXPECT_EQ(unknown.status, 404u);
  const auto mismatch = client_->request(verb::put, "/api/v1/municipalities/09162000", json::serialize(profile),
                                         json_headers);
  EXPECT_EQ(mismatch.status, 422u);
  // POST creates only: a second POST for the same AGS is a conflict, and the stored profile is unchanged.
  auto other = profile;
  other.as_object()["ags"] = "07131002";
  EXPECT_EQ(client_->request(verb::post, "/api/v1/municipalities/07131002", json::serialize(other), json_headers).status,
            201u);
  other.as_object()["name"] = "Anderer Name";
  const auto again = client_->request(verb::post, "/api/v1/municipalities/07131002", json::serialize(other), json_headers);
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(again.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(json::parse(client_->request(verb::get, "/api/v1/municipalities/07131002").body).at("name"), "Testdorf");
}

TEST(host_http_restart, a_saved_profile_survives_a_restart) {
  temp_dir dir;
  const std::vector<std::string> args = {"--db", "sqlite:" + (dir.path() / "lotse.db").string()};
  const auto profile = json::parse(small_village_match).at("profile");
  {
    host_process host(args);
    http_client client("127.0.0.1", host.port());
    ASSERT_EQ(client.request(verb::put, "/api/v1/municipalities/07131001", json::serialize(profile), json_headers).status,
              201u);
    EXPECT_EQ(host.stop(), 0);
  }
  host_process host(args);
  http_client client("127.0.0.1", host.port());
  const auto reply = client.request(verb::get, "/api/v1/municipalities/07131001");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(json::parse(reply.body).at("population").as_int64(), 800);
}

// A garbage file named x.so and a plugin with a wrong ABI major beside the good plugins: one clear log line each,
// and the host serves the rest.
TEST(host_http_plugins, broken_plugins_are_skipped_with_one_line_each) {
  temp_dir dir;
  const auto plugins = dir.path() / "plugins";
  fs::create_directories(plugins);
  for (const auto& entry : fs::directory_iterator(example_plugin_dir())) {
    if (entry.path().extension() == ".so") {
      fs::copy_file(entry.path(), plugins / entry.path().filename());
    }
  }
  fs::copy_file(fixture_plugin_dir() / "not_an_elf.so", plugins / "x.so");
  fs::copy_file(fixture_plugin_dir() / "abi_major_mismatch.so", plugins / "abi_major_mismatch.so");

  host_process host({"--db", "sqlite:" + (dir.path() / "lotse.db").string(), "--allow-unsigned-plugins", "--plugins", plugins.string()});
  const auto garbage = host.lines_containing("x.so");
  ASSERT_EQ(garbage.size(), 1u) << host.log();
  EXPECT_THAT(garbage[0], HasSubstr("skipped"));
  EXPECT_THAT(garbage[0], HasSubstr("not a loadable shared library"));
  const auto abi = host.lines_containing("abi_major_mismatch.so");
  ASSERT_EQ(abi.size(), 1u) << host.log();
  EXPECT_THAT(abi[0], HasSubstr("ABI major"));
  EXPECT_THAT(abi[0], HasSubstr("host ABI 1.0"));
  EXPECT_THAT(abi[0], HasSubstr("plugin ABI 2.0"));

  http_client client("127.0.0.1", host.port());
  const auto providers = json::parse(client.request(verb::get, "/api/v1/providers").body);
  EXPECT_EQ(providers.at("total").as_int64(), 3);
  EXPECT_EQ(host.stop(), 0);
}

// SIGTERM while a client holds a keep-alive connection: the host drains and exits 0.
TEST(host_http_shutdown, sigterm_stops_gracefully) {
  temp_dir dir;
  host_process host({"--db", "sqlite:" + (dir.path() / "lotse.db").string()});
  http_client client("127.0.0.1", host.port());
  EXPECT_EQ(client.request(verb::get, "/healthz").status, 200u);
  EXPECT_EQ(host.stop(), 0) << host.log();
  EXPECT_EQ(host.lines_containing("all connections drained").size(), 1u) << host.log();
}

}  // namespace
}  // namespace lotse::test

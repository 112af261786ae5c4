// The broken-plugin corpus against the real host: every plugin runs in a runner subprocess, so a hook that throws,
// crashes, hangs, allocates without bound or answers nonsense costs that one request a problem answer (502/503/504),
// and a plugin whose static initialiser aborts or loops costs nothing but a log line, while match requests running
// at the same time never see an error.
#include "tests/integration/host_process.hpp"
#include "tests/support/http_client.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

namespace lotse::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using boost::beast::http::verb;
using ::testing::HasSubstr;

const std::map<std::string, std::string> json_headers = {{"Content-Type", "application/json"}};

const char* const quote_request = R"({"profile": {"ags": "07131001", "name": "Testdorf", "population": 8000,
  "maturity": {"stage": "start"}, "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2}}})";

const char* const match_request = R"({"profile": {"ags": "07131001", "name": "Testdorf", "population": 800,
  "maturity": {"stage": "start"}, "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2},
  "needs": {"strategy.vision": 0.9}}, "top_k": 5})";

fs::path isolation_fixture_dir() { return fixture_plugin_dir() / "isolation"; }

// The first solution id of a fixture plugin's provider, from the served catalog.
std::string solution_of(http_client& client, const std::string& provider) {
  const auto list = json::parse(client.request(verb::get, "/api/v1/solutions?provider=" + provider).body);
  const auto& items = list.at("items").as_array();
  return items.empty() ? std::string() : std::string(items[0].at("id").as_string());
}

TEST(plugin_isolation, every_broken_hook_answers_a_problem_while_matches_go_on) {
  temp_dir dir;
  const auto plugins = dir.path() / "plugins";
  fs::create_directories(plugins);
  for (const auto& entry : fs::directory_iterator(example_plugin_dir())) {
    if (entry.path().extension() == ".so") {
      fs::copy_file(entry.path(), plugins / entry.path().filename());
    }
  }
  for (const char* fixture : {"quote_fixture", "quote_throws", "quote_segfaults", "quote_hangs", "quote_allocates",
                              "quote_invalid_json", "init_aborts", "init_loops"}) {
    fs::copy_file(isolation_fixture_dir() / (std::string(fixture) + ".so"), plugins / (std::string(fixture) + ".so"));
  }
  const auto db = "sqlite:" + (dir.path() / "lotse.db").string();
  std::string token_log;
  ASSERT_EQ(run_command({"token", "create", "--role", "curator", "--org", "kommunal-it", "--db", db}, &token_log), 0)
      << token_log;
  const auto curator_token = token_log.substr(token_log.find("lotse_"), token_log.find('\n', token_log.find("lotse_")) -
                                                                           token_log.find("lotse_"));
  host_process host({"--db", db, "--allow-unsigned-plugins", "--plugins", plugins.string(),
                     "--plugin-timeout-ms", "500", "--plugin-memory-mib", "256"});

  // The initialisers that abort or loop cost one log line each; everything else was loaded.
  const auto aborts = host.lines_containing("init_aborts.so");
  ASSERT_EQ(aborts.size(), 1u) << host.log();
  EXPECT_THAT(aborts[0], AllOf(HasSubstr("skipped"), HasSubstr("SIGABRT")));
  const auto loops = host.lines_containing("init_loops.so");
  ASSERT_EQ(loops.size(), 1u) << host.log();
  EXPECT_THAT(loops[0], AllOf(HasSubstr("skipped"), HasSubstr("did not finish loading")));

  // Match load for the whole test: no request may fail.
  std::atomic<int> matches_ok = 0;
  std::atomic<int> matches_failed = 0;
  background_threads load;
  load.start([&] {
    http_client client("127.0.0.1", host.port());
    while (!load.stopping()) {
      (client.request(verb::post, "/api/v1/match", match_request, json_headers).status == 200 ? matches_ok
                                                                                              : matches_failed) += 1;
    }
  });

  http_client client("127.0.0.1", host.port());
  const auto quote = [&](const std::string& provider) {
    const auto id = solution_of(client, provider);
    EXPECT_FALSE(id.empty()) << "no solution of provider " << provider;
    return client.request(verb::post, "/api/v1/solutions/" + id + "/quote", quote_request, json_headers);
  };
  const auto outcome_of = [](const http_reply& reply) {
    return std::string(json::parse(reply.body).at("outcome").as_string());
  };

  const auto ok = client.request(verb::post, "/api/v1/solutions/luftwerk.pegel-sensoren/quote", quote_request,
                                 json_headers);
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(json::parse(ok.body).at("quote").at("setup_eur").as_int64(), 6000);
  EXPECT_EQ(quote("quote-fixture").status, 200u);

  const auto throws = quote("quote-throws");
  EXPECT_EQ(throws.status, 502u) << throws.body;
  EXPECT_EQ(outcome_of(throws), "plugin_error");
  const auto invalid = quote("quote-invalid-json");
  EXPECT_EQ(invalid.status, 502u) << invalid.body;
  EXPECT_EQ(outcome_of(invalid), "invalid_response");
  const auto hangs = quote("quote-hangs");
  EXPECT_EQ(hangs.status, 504u) << hangs.body;
  EXPECT_EQ(outcome_of(hangs), "timed_out");
  const auto allocates = quote("quote-allocates");
  EXPECT_EQ(allocates.status, 502u) << allocates.body;
  EXPECT_EQ(outcome_of(allocates), "crashed");
  // A crash costs one request; the runner is restarted for the next. Three crashes in a row quarantine the plugin.
  const auto crash_id = solution_of(client, "quote-segfaults");
  ASSERT_EQ(crash_id, "quote-segfaults.crash");
  const auto crash = quote("quote-segfaults");
  EXPECT_EQ(crash.status, 502u) << crash.body;
  EXPECT_THAT(crash.body, HasSubstr("SIGSEGV"));
  EXPECT_EQ(quote("quote-segfaults").status, 502u);
  EXPECT_EQ(quote("quote-segfaults").status, 502u);
  const auto quarantined = quote("quote-segfaults");
  EXPECT_EQ(quarantined.status, 503u) << quarantined.body;
  EXPECT_EQ(outcome_of(quarantined), "quarantined");
  // The curator sees the quarantine on this host's runners and can lift it; the next crash counts afresh.
  const auto curator = std::map<std::string, std::string>{{"Authorization", "Bearer " + curator_token}};
  const auto runners = json::parse(client.request(verb::get, "/api/v1/runners", "", curator).body);
  const json::value* segfaults = nullptr;
  for (const auto& runner : runners.at("runners").as_array()) {
    if (runner.at("provider_id") == "quote-segfaults") {
      segfaults = &runner;
    }
  }
  ASSERT_NE(segfaults, nullptr) << runners;
  EXPECT_EQ(segfaults->at("state"), "quarantined") << runners;
  EXPECT_THAT(std::string(segfaults->at("quarantine_reason").as_string()), HasSubstr("SIGSEGV")) << runners;
  EXPECT_EQ(segfaults->at("source"), "plugin_directory");
  EXPECT_EQ(client.request(verb::get, "/api/v1/runners").status, 401u);
  const auto lifted = client.request(verb::post, "/api/v1/runners/quote-segfaults/lift-quarantine", "", curator);
  ASSERT_EQ(lifted.status, 200u) << lifted.body;
  EXPECT_NE(json::parse(lifted.body).at("state"), "quarantined") << lifted.body;
  EXPECT_EQ(quote("quote-segfaults").status, 502u) << "lifted: the plugin runs (and crashes) again";
  // The healthy plugins are unaffected.
  EXPECT_EQ(quote("quote-fixture").status, 200u);
  // A solution without a quote hook, and one that does not exist.
  EXPECT_EQ(client.request(verb::post, "/api/v1/solutions/wegweiser.zukunftsbild/quote", quote_request, json_headers)
                .status,
            404u);
  EXPECT_EQ(client.request(verb::post, "/api/v1/solutions/no.such/quote", quote_request, json_headers).status, 404u);

  load.stop();
  EXPECT_GT(matches_ok, 0);
  EXPECT_EQ(matches_failed, 0);
  std::cout << matches_ok << " matches answered during the corpus, " << matches_failed << " failed\n";
  EXPECT_EQ(host.stop(), 0) << host.log();
}

}  // namespace
}  // namespace lotse::test

// `lotse-host export` and `lotse-host import`: an instance moves from the embedded SQLite file to another database
// (PostgreSQL in production) and comes out identical.
#include "tests/integration/host_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace lotse::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using boost::beast::http::verb;
using ::testing::HasSubstr;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class transfer_cli : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override { LOTSE_REQUIRE_BACKEND(GetParam()); }
};

INSTANTIATE_TEST_SUITE_P(, transfer_cli, all_backends, backend_name);

TEST_P(transfer_cli, an_instance_moves_from_sqlite_to_another_database_unchanged) {
  test_database source(backend::sqlite);
  test_database target(GetParam());
  const auto first_export = source.scratch() / "first.json";
  const auto second_export = source.scratch() / "second.json";
  {
    host_process host({"--db", source.url(), "--allow-unsigned-plugins", "--plugins", example_plugin_dir().string()});
    http_client client("127.0.0.1", host.port());
    const std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}};
    for (const char* ags : {"07131001", "08226028"}) {
      const auto body = json::serialize(json::object{
          {"ags", ags},
          {"name", "Gemeinde " + std::string(ags)},
          {"population", 800},
          {"maturity", json::object{{"stage", "start"}}},
          {"resources", json::object{{"budget_once_eur", 5000}, {"budget_annual_eur", 3000}, {"staff_fte", 0.2}}}});
      ASSERT_EQ(client.request(verb::put, std::string("/api/v1/municipalities/") + ags, body, headers).status, 201u);
    }
    // A second version of one profile: versions must survive the move, or ETags held by clients would lie.
    auto headers_v1 = headers;
    headers_v1["If-Match"] = "\"1\"";
    const auto body = client.request(verb::get, "/api/v1/municipalities/07131001").body;
    ASSERT_EQ(client.request(verb::put, "/api/v1/municipalities/07131001", body, headers_v1).status, 200u);
    EXPECT_EQ(host.stop(), 0);
  }

  // A publisher's token: only its hash is stored, and it must open the API of the moved instance all the same.
  std::string log;
  ASSERT_EQ(run_command({"token", "create", "--role", "publisher", "--org", "startup-a", "--db", source.url()}, &log),
            0)
      << log;
  const auto token_start = log.find("lotse_");
  ASSERT_NE(token_start, std::string::npos) << log;
  const auto token = log.substr(token_start, log.find('\n', token_start) - token_start);

  ASSERT_EQ(run_command({"export", first_export.string(), "--db", source.url()}, &log), 0) << log;
  EXPECT_THAT(log, HasSubstr("3 provider(s) with 21 solution(s) and 2 municipality profile(s); 1 organisation(s), "
                             "1 token(s)"));
  // It holds the token's hash: as private as the database.
  EXPECT_EQ(fs::status(first_export).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
  ASSERT_EQ(run_command({"import", first_export.string(), "--db", target.url()}, &log), 0) << log;
  ASSERT_EQ(run_command({"export", second_export.string(), "--db", target.url()}, &log), 0) << log;
  EXPECT_EQ(read_file(second_export), read_file(first_export));

  // The imported instance serves: the catalog, the profiles and their versions.
  host_process moved({"--db", target.url()});
  http_client client("127.0.0.1", moved.port());
  EXPECT_EQ(json::parse(client.request(verb::get, "/api/v1/solutions?limit=1").body).at("total").as_int64(), 21);
  EXPECT_EQ(client.request(verb::get, "/api/v1/municipalities/07131001").header("ETag"), "\"2\"");
  EXPECT_EQ(client.request(verb::get, "/api/v1/plugins", "", {{"Authorization", "Bearer " + token}}).status, 200u);
  EXPECT_EQ(client.request(verb::get, "/api/v1/plugins", "", {{"Authorization", "Bearer " + token + "x"}}).status,
            401u);
  EXPECT_EQ(moved.stop(), 0);

  // Importing again is refused: the target is not empty, and nothing changes.
  EXPECT_EQ(run_command({"import", first_export.string(), "--db", target.url()}, &log), 1);
  EXPECT_THAT(log, HasSubstr("needs an empty database"));
}

TEST(transfer_cli_errors, a_broken_file_is_refused_with_every_problem_and_nothing_is_imported) {
  test_database target(backend::sqlite);
  const auto file = target.scratch() / "broken.json";
  std::ofstream(file) << R"({"format": "lotse-export", "format_version": 1, "providers": [],
    "municipalities": [{"version": 0, "profile": {"ags": "123", "name": "X", "population": 1,
      "maturity": {"stage": "start"}, "resources": {"budget_once_eur": 0, "budget_annual_eur": 0, "staff_fte": 0}}}]})";
  std::string log;
  EXPECT_EQ(run_command({"import", file.string(), "--db", target.url()}, &log), 1);
  EXPECT_THAT(log, HasSubstr("/municipalities/0/version"));
  EXPECT_THAT(log, HasSubstr("/municipalities/0/profile/ags"));
  EXPECT_THAT(log, HasSubstr("nothing was imported"));
  std::ofstream(file) << "{not json";
  EXPECT_EQ(run_command({"import", file.string(), "--db", target.url()}, &log), 1);
  EXPECT_THAT(log, HasSubstr("not valid JSON"));
  EXPECT_EQ(run_command({"import", "--db", target.url()}, &log), 2);
  EXPECT_THAT(log, HasSubstr("FILE is missing"));
  EXPECT_EQ(run_command({"no-such-command"}, &log), 2);
  EXPECT_THAT(log, AllOf(HasSubstr("unknown command 'no-such-command'"), HasSubstr("export")));
}

}  // namespace
}  // namespace lotse::test

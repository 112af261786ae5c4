#include "host/auth/token_commands.hpp"

#include "catalog/store/account_store.hpp"
#include "catalog/store/store.hpp"
#include "host/auth/auth.hpp"
#include "tests/support/test_database.hpp"

#include <boost/beast/http/field.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace lotse::auth {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

struct run_result {
  int status = -1;
  std::string out;
  std::string err;
};

using command_function = int (*)(std::span<const std::string>, std::ostream&, std::ostream&);

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::string utc_date(std::chrono::system_clock::time_point at) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}

class token_commands_test : public ::testing::Test {
 protected:
  void SetUp() override { database_ = std::make_unique<test::test_database>(test::backend::sqlite); }

  run_result run(command_function command, std::vector<std::string> args, bool with_db = true) const {
    if (with_db) {
      args.push_back("--db");
      args.push_back(database_->url());
    }
    std::ostringstream out;
    std::ostringstream err;
    const int status = command(args, out, err);
    return {status, out.str(), err.str()};
  }

  // The store the commands wrote to, opened independently of them.
  std::unique_ptr<catalog::store> open_store() const { return catalog::store::open({database_->url(), 1}); }

  // What the server would say about a request carrying this token.
  auth_result authenticate(const std::string& token) const {
    auto store = open_store();
    catalog::account_store accounts(*store);
    const authenticator auth(accounts, std::chrono::milliseconds(0));
    http::request req{boost::beast::http::verb::get, "/", 11};
    req.set(boost::beast::http::field::authorization, "Bearer " + token);
    return auth.authenticate(req);
  }

  std::vector<catalog::token_record> stored_tokens() const {
    auto store = open_store();
    return catalog::account_store(*store).list_tokens();
  }

 private:
  std::unique_ptr<test::test_database> database_;
};

TEST_F(token_commands_test, create_prints_the_token_first_and_it_authenticates) {
  const auto result = run(&run_token_create, {"--role", "publisher", "--org", "acme", "--name", "ACME GmbH", "--label",
                                              "CI uploads"});
  ASSERT_EQ(result.status, 0) << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_GE(lines.size(), 5U);
  EXPECT_THAT(lines[0], MatchesRegex("lotse_[A-Za-z0-9_-]{43}"));
  EXPECT_THAT(lines[1], MatchesRegex("id: tok_[0-9a-f]{12}"));
  EXPECT_THAT(result.out, AllOf(HasSubstr("role: publisher"), HasSubstr("organisation: acme"), HasSubstr("expires: "),
                                HasSubstr("only this once")));

  const auto answer = authenticate(lines[0]);
  const auto* who = std::get_if<std::optional<principal>>(&answer);
  ASSERT_TRUE(who != nullptr && who->has_value());
  EXPECT_EQ((*who)->caller_role, role::publisher);
  EXPECT_EQ((*who)->organisation, "acme");
  EXPECT_EQ("id: " + (*who)->token_id, lines[1]);

  auto store = open_store();
  const auto org = catalog::account_store(*store).find_organisation("acme");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->name, "ACME GmbH");
  const auto tokens = stored_tokens();
  ASSERT_EQ(tokens.size(), 1U);
  EXPECT_EQ(tokens[0].label, "CI uploads");
}

TEST_F(token_commands_test, create_defaults_to_90_days_and_honours_valid_days) {
  const auto now = std::chrono::system_clock::now();
  ASSERT_EQ(run(&run_token_create, {"--role", "admin"}).status, 0);
  ASSERT_EQ(run(&run_token_create, {"--role", "curator", "--org", "komm-it", "--valid-days", "1"}).status, 0);
  ASSERT_EQ(run(&run_token_create, {"--role", "municipality", "--org", "08226028", "--valid-days", "3650"}).status, 0);
  const auto tokens = stored_tokens();
  ASSERT_EQ(tokens.size(), 3U);
  std::vector<std::string> expiry_dates;
  for (const auto& token : tokens) {
    expiry_dates.push_back(token.expires_at.substr(0, 10));
  }
  using days = std::chrono::duration<int, std::ratio<86400>>;
  // A date boundary may pass while the test runs; the day after is allowed too.
  EXPECT_THAT(expiry_dates, ::testing::UnorderedElementsAre(
                                ::testing::AnyOf(utc_date(now + days(90)), utc_date(now + days(91))),
                                ::testing::AnyOf(utc_date(now + days(1)), utc_date(now + days(2))),
                                ::testing::AnyOf(utc_date(now + days(3650)), utc_date(now + days(3651)))));
}

TEST_F(token_commands_test, create_refuses_bad_usage_with_status_2_and_stores_nothing) {
  const std::vector<std::vector<std::string>> bad = {
      {},                                                        // no role
      {"--role", "wizard", "--org", "acme"},                     // unknown role
      {"--role", "publisher"},                                   // no organisation
      {"--role", "municipality"},                                //
      {"--role", "admin", "--org", "acme"},                      // admin has none
      {"--role", "publisher", "--org", "ACME"},                  // not a valid id
      {"--role", "municipality", "--org", "heddesheim"},         // not an AGS
      {"--role", "publisher", "--org", "acme", "--valid-days", "0"},
      {"--role", "publisher", "--org", "acme", "--valid-days", "3651"},
      {"--role", "publisher", "--org", "acme", "--valid-days", "many"},
      {"--role", "publisher", "--org", "acme", "--unknown"},
  };
  for (const auto& args : bad) {
    const auto result = run(&run_token_create, args);
    EXPECT_EQ(result.status, 2) << ::testing::PrintToString(args);
    EXPECT_THAT(result.err, StartsWith("error: ")) << ::testing::PrintToString(args);
    EXPECT_EQ(result.out, "") << ::testing::PrintToString(args);
  }
  EXPECT_TRUE(stored_tokens().empty());
}

TEST_F(token_commands_test, create_fails_with_status_1_when_the_store_refuses) {
  ASSERT_EQ(run(&run_token_create, {"--role", "curator", "--org", "komm-it"}).status, 0);
  const auto clash = run(&run_token_create, {"--role", "publisher", "--org", "komm-it"});
  EXPECT_EQ(clash.status, 1);
  EXPECT_THAT(clash.err, AllOf(HasSubstr("token create failed"), HasSubstr("komm-it"), HasSubstr("curator")));
  EXPECT_EQ(clash.out, "");

  const auto unopenable =
      run(&run_token_create, {"--role", "admin", "--db", "sqlite:/nonexistent-lotse-dir/lotse.db"}, false);
  EXPECT_EQ(unopenable.status, 1);
  EXPECT_THAT(unopenable.err, HasSubstr("token create failed"));
  EXPECT_EQ(stored_tokens().size(), 1U);
}

TEST_F(token_commands_test, revoke_stops_the_token_and_unknown_ids_fail) {
  const auto created = run(&run_token_create, {"--role", "publisher", "--org", "acme"});
  ASSERT_EQ(created.status, 0);
  const auto lines = lines_of(created.out);
  const auto token = lines[0];
  const auto id = lines[1].substr(std::string("id: ").size());
  ASSERT_TRUE(std::holds_alternative<std::optional<principal>>(authenticate(token)));

  const auto revoked = run(&run_token_revoke, {id});
  EXPECT_EQ(revoked.status, 0) << revoked.err;
  EXPECT_THAT(revoked.out, HasSubstr(id));
  EXPECT_TRUE(std::holds_alternative<auth_failure>(authenticate(token)));

  const auto unknown = run(&run_token_revoke, {"tok_ffffffffffff"});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_THAT(unknown.err, HasSubstr("'tok_ffffffffffff'"));

  EXPECT_EQ(run(&run_token_revoke, {}).status, 2);
  EXPECT_EQ(run(&run_token_revoke, {id, "tok_000000000000"}).status, 2);
}

TEST_F(token_commands_test, list_shows_every_token_but_never_its_text) {
  const auto empty = run(&run_token_list, {});
  EXPECT_EQ(empty.status, 0);
  EXPECT_EQ(empty.out, "no tokens\n");

  const auto admin = run(&run_token_create, {"--role", "admin", "--label", "operator on call"});
  const auto publisher = run(&run_token_create, {"--role", "publisher", "--org", "acme"});
  ASSERT_EQ(admin.status, 0);
  ASSERT_EQ(publisher.status, 0);
  const auto admin_lines = lines_of(admin.out);
  const auto publisher_lines = lines_of(publisher.out);
  const auto publisher_id = publisher_lines[1].substr(4);
  ASSERT_EQ(run(&run_token_revoke, {publisher_id}).status, 0);

  const auto listed = run(&run_token_list, {});
  ASSERT_EQ(listed.status, 0) << listed.err;
  const auto lines = lines_of(listed.out);
  ASSERT_EQ(lines.size(), 3U) << listed.out;
  EXPECT_THAT(lines[0], AllOf(StartsWith("id"), HasSubstr("role"), HasSubstr("organisation"), HasSubstr("label"),
                              HasSubstr("created"), HasSubstr("expires"), HasSubstr("revoked")));
  const auto row_of = [&](const std::string& id) {
    for (const auto& line : lines) {
      if (line.starts_with(id)) {
        return line;
      }
    }
    return std::string();
  };
  const auto admin_row = row_of(admin_lines[1].substr(4));
  const auto publisher_row = row_of(publisher_id);
  EXPECT_THAT(admin_row, AllOf(HasSubstr("admin"), HasSubstr("operator on call")));
  EXPECT_THAT(admin_row, MatchesRegex(".*Z +-$"));  // not revoked
  EXPECT_THAT(publisher_row, AllOf(HasSubstr("publisher"), HasSubstr("acme")));
  EXPECT_THAT(publisher_row, MatchesRegex(".*[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"));  // revoked at
  EXPECT_THAT(listed.out, AllOf(Not(HasSubstr(admin_lines[0])), Not(HasSubstr(publisher_lines[0])),
                                Not(HasSubstr("lotse_"))));
}

TEST_F(token_commands_test, help_exits_0_and_unknown_options_exit_2) {
  for (const auto command : {&run_token_create, &run_token_revoke, &run_token_list}) {
    const auto help = run(command, {"--help"}, false);
    EXPECT_EQ(help.status, 0);
    EXPECT_THAT(help.out, AllOf(HasSubstr("Usage: lotse-host token"), HasSubstr("--db")));
    EXPECT_EQ(run(command, {"--bogus"}).status, 2);
  }
}

}  // namespace
}  // namespace lotse::auth

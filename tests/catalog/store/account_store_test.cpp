#include "catalog/store/account_store.hpp"

#include "tests/support/raw_session.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lotse::catalog {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

constexpr const char* timestamp_pattern = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z";

token_record token(std::string id, std::string sha256, std::string created_at = "2025-01-01T00:00:00Z") {
  return {std::move(id), std::move(sha256), role::publisher, "acme", "CI uploads", std::move(created_at),
          "2025-04-01T00:00:00Z", std::nullopt};
}

publisher_key_record key(std::string key_id, std::string organisation, std::string document = "{\"k\":1}") {
  return {std::move(key_id), std::move(organisation), std::move(document), "", std::nullopt};
}

std::vector<std::string> ids_of(const std::vector<token_record>& tokens) {
  std::vector<std::string> ids;
  for (const auto& t : tokens) {
    ids.push_back(t.id);
  }
  return ids;
}

std::vector<std::string> key_ids_of(const std::vector<publisher_key_record>& keys) {
  std::vector<std::string> ids;
  for (const auto& k : keys) {
    ids.push_back(k.key_id);
  }
  return ids;
}

TEST(account_roles, every_role_has_a_name_that_parses_back_and_nothing_else_parses) {
  for (const auto r : {role::municipality, role::publisher, role::curator, role::admin}) {
    EXPECT_EQ(parse_role(name_of(r)), r) << name_of(r);
  }
  EXPECT_EQ(name_of(role::municipality), "municipality");
  EXPECT_EQ(name_of(role::admin), "admin");
  EXPECT_EQ(parse_role("Admin"), std::nullopt);
  EXPECT_EQ(parse_role(""), std::nullopt);
  EXPECT_EQ(parse_role("anonymous"), std::nullopt);
}

// Every test runs on SQLite and on PostgreSQL (…/sqlite, …/postgresql).
class account_store_test : public ::testing::TestWithParam<test::backend> {
 protected:
  void SetUp() override {
    LOTSE_REQUIRE_BACKEND(GetParam());
    database_ = std::make_unique<test::test_database>(GetParam());
    store_ = store::open({database_->url(), 4});
    accounts_ = std::make_unique<account_store>(*store_);
  }

  account_store& accounts() { return *accounts_; }
  // A connection of the test's own, to look at and tamper with what the store wrote.
  soci::session raw() const { return test::raw_session(*database_); }

 private:
  std::unique_ptr<test::test_database> database_;
  std::unique_ptr<store> store_;
  std::unique_ptr<account_store> accounts_;
};

INSTANTIATE_TEST_SUITE_P(, account_store_test, test::all_backends, test::backend_name);

TEST_P(account_store_test, ensure_organisation_creates_it_once_and_keeps_the_first_name) {
  EXPECT_EQ(accounts().find_organisation("acme"), std::nullopt);
  accounts().ensure_organisation({"acme", role::publisher, "ACME GmbH"});
  accounts().ensure_organisation({"acme", role::publisher, "Another name"});
  const auto found = accounts().find_organisation("acme");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, "acme");
  EXPECT_EQ(found->org_role, role::publisher);
  EXPECT_EQ(found->name, "ACME GmbH");

  accounts().ensure_organisation({"08226028", role::municipality, "Heddesheim"});
  ASSERT_TRUE(accounts().find_organisation("08226028"));
  EXPECT_EQ(accounts().find_organisation("08226028")->org_role, role::municipality);

  auto sql = raw();
  long long rows = 0;
  std::string created_at;
  sql << "SELECT COUNT(*) FROM organisations", soci::into(rows);
  sql << "SELECT created_at FROM organisations WHERE id = 'acme'", soci::into(created_at);
  EXPECT_EQ(rows, 2);
  EXPECT_THAT(created_at, MatchesRegex(timestamp_pattern));
}

TEST_P(account_store_test, an_organisation_id_names_one_role_only) {
  accounts().ensure_organisation({"komm-it", role::curator, "Kommunale IT"});
  try {
    accounts().ensure_organisation({"komm-it", role::publisher, "Kommunale IT"});
    FAIL() << "an existing curator became a publisher";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("'komm-it'"), HasSubstr("curator"), HasSubstr("publisher")));
  }
  EXPECT_EQ(accounts().find_organisation("komm-it")->org_role, role::curator);
}

TEST_P(account_store_test, malformed_organisation_ids_are_refused_before_writing) {
  const std::vector<organisation> refused = {
      {"ACME", role::publisher, "upper case"},
      {"", role::publisher, "empty"},
      {"a b", role::curator, "space"},
      {"acme.gmbh", role::publisher, "dot"},
      {std::string(65, 'a'), role::publisher, "too long"},
      {"0822602", role::municipality, "seven digits"},
      {"082260281", role::municipality, "nine digits"},
      {"heddesheim", role::municipality, "not an AGS"},
      {"operator", role::admin, "admins have no organisation"},
  };
  for (const auto& org : refused) {
    EXPECT_THROW(accounts().ensure_organisation(org), std::invalid_argument) << org.name;
  }
  auto sql = raw();
  long long rows = -1;
  sql << "SELECT COUNT(*) FROM organisations", soci::into(rows);
  EXPECT_EQ(rows, 0);

  accounts().ensure_organisation({std::string(64, 'a'), role::publisher, "longest"});
  accounts().ensure_organisation({"acme_gmbh-2", role::publisher, "every allowed character"});
  EXPECT_TRUE(accounts().find_organisation("acme_gmbh-2"));
}

TEST_P(account_store_test, tokens_round_trip_every_field_and_are_found_by_hash) {
  auto active = token("tok_000000000001", std::string(64, 'a'));
  auto revoked = token("tok_000000000002", std::string(64, 'b'));
  revoked.token_role = role::admin;
  revoked.organisation = "";
  revoked.label = "Betrieb – \"Notfall\"";
  revoked.revoked_at = "2025-02-01T12:00:00Z";
  accounts().add_token(active);
  accounts().add_token(revoked);

  const auto found_active = accounts().find_token_by_sha256(std::string(64, 'a'));
  ASSERT_TRUE(found_active);
  EXPECT_EQ(found_active->id, active.id);
  EXPECT_EQ(found_active->token_sha256, active.token_sha256);
  EXPECT_EQ(found_active->token_role, role::publisher);
  EXPECT_EQ(found_active->organisation, "acme");
  EXPECT_EQ(found_active->label, "CI uploads");
  EXPECT_EQ(found_active->created_at, active.created_at);
  EXPECT_EQ(found_active->expires_at, active.expires_at);
  EXPECT_EQ(found_active->revoked_at, std::nullopt);

  const auto found_revoked = accounts().find_token_by_sha256(std::string(64, 'b'));
  ASSERT_TRUE(found_revoked);
  EXPECT_EQ(found_revoked->id, revoked.id);
  EXPECT_EQ(found_revoked->token_role, role::admin);
  EXPECT_EQ(found_revoked->organisation, "");
  EXPECT_EQ(found_revoked->label, revoked.label);
  EXPECT_EQ(found_revoked->revoked_at, revoked.revoked_at);

  EXPECT_EQ(accounts().find_token_by_sha256(std::string(64, 'c')), std::nullopt);
  EXPECT_EQ(accounts().find_token_by_sha256(""), std::nullopt);
}

TEST_P(account_store_test, a_token_id_or_hash_that_exists_already_is_a_store_error) {
  accounts().add_token(token("tok_000000000001", std::string(64, 'a')));
  EXPECT_THROW(accounts().add_token(token("tok_000000000001", std::string(64, 'b'))), store_error);
  EXPECT_THROW(accounts().add_token(token("tok_000000000002", std::string(64, 'a'))), store_error);
  EXPECT_THAT(ids_of(accounts().list_tokens()), ElementsAre("tok_000000000001"));
  // The store still works after the refused writes (no transaction left open, no connection marked dead).
  accounts().add_token(token("tok_000000000003", std::string(64, 'c')));
  EXPECT_EQ(accounts().list_tokens().size(), 2U);
}

TEST_P(account_store_test, list_tokens_sorts_by_creation_then_id_in_byte_order) {
  EXPECT_THAT(accounts().list_tokens(), IsEmpty());
  // "tok_B" < "tok_a" in byte order; a natural-language collation (PostgreSQL's) would put them the other way.
  accounts().add_token(token("tok_a", std::string(64, '1'), "2025-01-02T00:00:00Z"));
  accounts().add_token(token("tok_c", std::string(64, '2'), "2025-01-01T00:00:00Z"));
  accounts().add_token(token("tok_B", std::string(64, '3'), "2025-01-02T00:00:00Z"));
  accounts().add_token(token("tok_d", std::string(64, '4'), "2025-01-03T00:00:00Z"));
  EXPECT_THAT(ids_of(accounts().list_tokens()), ElementsAre("tok_c", "tok_B", "tok_a", "tok_d"));
}

TEST_P(account_store_test, revoking_a_token_sets_the_time_once_and_unknown_ids_say_so) {
  accounts().add_token(token("tok_000000000001", std::string(64, 'a')));
  accounts().add_token(token("tok_000000000002", std::string(64, 'b')));
  EXPECT_TRUE(accounts().revoke_token("tok_000000000001"));
  const auto revoked = accounts().find_token_by_sha256(std::string(64, 'a'));
  ASSERT_TRUE(revoked && revoked->revoked_at);
  EXPECT_THAT(*revoked->revoked_at, MatchesRegex(timestamp_pattern));
  EXPECT_EQ(accounts().find_token_by_sha256(std::string(64, 'b'))->revoked_at, std::nullopt);

  {
    auto sql = raw();
    sql << "UPDATE api_tokens SET revoked_at = '2020-01-01T00:00:00Z' WHERE id = 'tok_000000000001'";
  }
  EXPECT_TRUE(accounts().revoke_token("tok_000000000001"));
  EXPECT_EQ(accounts().find_token_by_sha256(std::string(64, 'a'))->revoked_at, "2020-01-01T00:00:00Z");

  EXPECT_FALSE(accounts().revoke_token("tok_ffffffffffff"));
  EXPECT_FALSE(accounts().revoke_token(""));
}

TEST_P(account_store_test, a_corrupted_role_is_reported_with_its_row) {
  accounts().add_token(token("tok_000000000001", std::string(64, 'a')));
  {
    auto sql = raw();
    sql << "UPDATE api_tokens SET role = 'wizard'";
  }
  try {
    accounts().find_token_by_sha256(std::string(64, 'a'));
    FAIL() << "a token with an unknown role was read";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("corrupted"), HasSubstr("tok_000000000001"), HasSubstr("wizard")));
  }
  EXPECT_THROW(accounts().list_tokens(), store_error);
}

TEST_P(account_store_test, a_publisher_key_belongs_to_the_first_organisation_that_registers_it) {
  EXPECT_EQ(accounts().add_publisher_key(key("00000000000000bb", "acme")), key_registration::added);
  EXPECT_EQ(accounts().add_publisher_key(key("00000000000000bb", "acme", "{\"other\":2}")),
            key_registration::already_registered);
  EXPECT_EQ(accounts().add_publisher_key(key("00000000000000bb", "rival")), key_registration::owned_by_other);

  const auto keys = accounts().publisher_keys("acme");
  ASSERT_EQ(keys.size(), 1U);
  EXPECT_EQ(keys[0].key_id, "00000000000000bb");
  EXPECT_EQ(keys[0].organisation, "acme");
  EXPECT_EQ(keys[0].document, "{\"k\":1}");  // the second registration changed nothing
  EXPECT_THAT(keys[0].registered_at, MatchesRegex(timestamp_pattern));
  EXPECT_EQ(keys[0].revoked_at, std::nullopt);
  EXPECT_THAT(accounts().publisher_keys("rival"), IsEmpty());
}

TEST_P(account_store_test, publisher_keys_lists_only_the_organisations_own_sorted_by_key_id) {
  auto dated = key("00000000000000cc", "acme");
  dated.registered_at = "2024-06-01T08:00:00Z";
  ASSERT_EQ(accounts().add_publisher_key(dated), key_registration::added);
  ASSERT_EQ(accounts().add_publisher_key(key("00000000000000aa", "acme")), key_registration::added);
  ASSERT_EQ(accounts().add_publisher_key(key("00000000000000bb", "rival")), key_registration::added);
  ASSERT_EQ(accounts().add_publisher_key(key("00000000000000AB", "acme")), key_registration::added);

  const auto keys = accounts().publisher_keys("acme");
  EXPECT_THAT(key_ids_of(keys), ElementsAre("00000000000000AB", "00000000000000aa", "00000000000000cc"));
  EXPECT_EQ(keys.back().registered_at, "2024-06-01T08:00:00Z");
  EXPECT_THAT(key_ids_of(accounts().publisher_keys("rival")), ElementsAre("00000000000000bb"));
  EXPECT_THAT(accounts().publisher_keys("nobody"), IsEmpty());
}

TEST_P(account_store_test, only_the_owner_revokes_a_publisher_key_and_the_first_time_stays) {
  ASSERT_EQ(accounts().add_publisher_key(key("00000000000000aa", "acme")), key_registration::added);
  EXPECT_FALSE(accounts().revoke_publisher_key("rival", "00000000000000aa"));
  EXPECT_EQ(accounts().publisher_keys("acme")[0].revoked_at, std::nullopt);
  EXPECT_FALSE(accounts().revoke_publisher_key("acme", "00000000000000ff"));

  EXPECT_TRUE(accounts().revoke_publisher_key("acme", "00000000000000aa"));
  const auto revoked_at = accounts().publisher_keys("acme")[0].revoked_at;
  ASSERT_TRUE(revoked_at);
  EXPECT_THAT(*revoked_at, MatchesRegex(timestamp_pattern));
  {
    auto sql = raw();
    sql << "UPDATE publisher_keys SET revoked_at = '2020-01-01T00:00:00Z'";
  }
  EXPECT_TRUE(accounts().revoke_publisher_key("acme", "00000000000000aa"));
  EXPECT_EQ(accounts().publisher_keys("acme")[0].revoked_at, "2020-01-01T00:00:00Z");

  // Registering a revoked key again does not bring it back.
  EXPECT_EQ(accounts().add_publisher_key(key("00000000000000aa", "acme")), key_registration::already_registered);
  EXPECT_EQ(accounts().publisher_keys("acme")[0].revoked_at, "2020-01-01T00:00:00Z");
}

TEST_P(account_store_test, organisations_racing_for_one_key_leave_exactly_one_owner) {
  constexpr int threads = 6;
  std::atomic<int> added{0};
  std::atomic<int> owned_by_other{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        const auto outcome = accounts().add_publisher_key(key("00000000000000aa", "org-" + std::to_string(t)));
        (outcome == key_registration::added ? added : owned_by_other).fetch_add(1);
      } catch (const std::exception& e) {
        const std::lock_guard lock(failures_mutex);
        failures.emplace_back(e.what());
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  EXPECT_THAT(failures, IsEmpty());
  EXPECT_EQ(added.load(), 1);
  EXPECT_EQ(owned_by_other.load(), threads - 1);
  auto sql = raw();
  long long rows = -1;
  sql << "SELECT COUNT(*) FROM publisher_keys", soci::into(rows);
  EXPECT_EQ(rows, 1);
}

TEST_P(account_store_test, concurrent_ensure_organisation_calls_all_succeed) {
  constexpr int threads = 6;
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      try {
        accounts().ensure_organisation({"acme", role::publisher, "ACME"});
      } catch (const std::exception& e) {
        const std::lock_guard lock(failures_mutex);
        failures.emplace_back(e.what());
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  EXPECT_THAT(failures, IsEmpty());
  EXPECT_EQ(accounts().find_organisation("acme")->org_role, role::publisher);
}

}  // namespace
}  // namespace lotse::catalog

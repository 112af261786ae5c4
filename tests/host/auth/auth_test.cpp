#include "host/auth/auth.hpp"

#include "catalog/domain/timestamp.hpp"
#include "tests/support/raw_session.hpp"

#include <boost/beast/http/field.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <sodium.h>

#include <array>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace lotse::auth {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr const char* invalid_token_sentence = "The token is not valid (unknown, expired or revoked).";

// Computed here with libsodium directly, independently of auth.cpp.
std::string sha256_hex(const std::string& text) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

http::request request_with(std::optional<std::string> authorization) {
  http::request req{boost::beast::http::verb::get, "/api/v1/publisher-keys", 11};
  if (authorization) {
    req.set(boost::beast::http::field::authorization, *authorization);
  }
  return req;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class auth_test : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    database_ = std::make_unique<test::test_database>(test::backend::sqlite);
    store_ = catalog::store::open({database_->url(), 2});
    accounts_ = std::make_unique<catalog::account_store>(*store_);
  }

  catalog::account_store& accounts() { return *accounts_; }
  soci::session raw() const { return test::raw_session(*database_); }
  const test::test_database& database() const { return *database_; }

  issued_token publisher_token(std::string_view organisation = "acme") {
    return issue_token(accounts(), role::publisher, organisation, "ACME GmbH", "CI", 24h);
  }

  // The principal, failing the test for anything else.
  static principal accepted(const auth_result& result) {
    const auto* answer = std::get_if<std::optional<principal>>(&result);
    if (answer == nullptr) {
      ADD_FAILURE() << "refused: " << std::get<auth_failure>(result).reason;
      return {};
    }
    if (!*answer) {
      ADD_FAILURE() << "anonymous";
      return {};
    }
    return **answer;
  }

  // The refusal's sentence, or "" (with a test failure) when it was not refused.
  static std::string refused(const auth_result& result) {
    const auto* failure = std::get_if<auth_failure>(&result);
    if (failure == nullptr) {
      ADD_FAILURE() << "accepted";
      return "";
    }
    return failure->reason;
  }

 private:
  std::unique_ptr<test::test_database> database_;
  std::unique_ptr<catalog::store> store_;
  std::unique_ptr<catalog::account_store> accounts_;
};

TEST_F(auth_test, issued_tokens_have_the_documented_form_and_never_repeat) {
  std::set<std::string> tokens;
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    const auto issued = publisher_token();
    EXPECT_EQ(issued.token.size(), 49U);
    EXPECT_THAT(issued.token, MatchesRegex("lotse_[A-Za-z0-9_-]{43}"));
    EXPECT_THAT(issued.record.id, MatchesRegex("tok_[0-9a-f]{12}"));
    EXPECT_EQ(issued.record.token_sha256, sha256_hex(issued.token));
    tokens.insert(issued.token);
    ids.insert(issued.record.id);
  }
  EXPECT_EQ(tokens.size(), 50U);
  EXPECT_EQ(ids.size(), 50U);
  EXPECT_EQ(accounts().list_tokens().size(), 50U);
}

TEST_F(auth_test, an_issued_token_records_role_organisation_label_and_its_validity) {
  const auto before = std::chrono::system_clock::now();
  const auto issued = issue_token(accounts(), role::curator, "komm-it", "Kommunale IT", "portal", 48h);
  const auto after = std::chrono::system_clock::now();
  const auto& record = issued.record;
  EXPECT_EQ(record.token_role, role::curator);
  EXPECT_EQ(record.organisation, "komm-it");
  EXPECT_EQ(record.label, "portal");
  EXPECT_EQ(record.revoked_at, std::nullopt);
  EXPECT_GE(record.created_at, domain::iso_utc(before));
  EXPECT_LE(record.created_at, domain::iso_utc(after));
  EXPECT_GE(record.expires_at, domain::iso_utc(before + 48h));
  EXPECT_LE(record.expires_at, domain::iso_utc(after + 48h));

  const auto org = accounts().find_organisation("komm-it");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->org_role, role::curator);
  EXPECT_EQ(org->name, "Kommunale IT");

  issue_token(accounts(), role::publisher, "unnamed", "", "", 1h);
  EXPECT_EQ(accounts().find_organisation("unnamed")->name, "unnamed");  // the id stands in for a missing name
}

TEST_F(auth_test, only_the_hash_is_stored_the_token_text_appears_nowhere_in_the_database) {
  const auto issued = publisher_token();
  const std::string secret_part = issued.token.substr(std::string("lotse_").size());
  {
    auto sql = raw();
    std::string id, hash, role_text, organisation, label, created_at, expires_at;
    sql << "SELECT id, token_sha256, role, organisation, label, created_at, expires_at FROM api_tokens",
        soci::into(id), soci::into(hash), soci::into(role_text), soci::into(organisation), soci::into(label),
        soci::into(created_at), soci::into(expires_at);
    EXPECT_EQ(hash, sha256_hex(issued.token));
    for (const auto& column : {id, hash, role_text, organisation, label, created_at, expires_at}) {
      EXPECT_THAT(column, Not(HasSubstr(secret_part)));
    }
  }
  // Every byte SQLite wrote, in the database file and its write-ahead log.
  const std::string path = database().url().substr(std::string("sqlite:").size());
  const std::string bytes = read_file(path) + read_file(path + "-wal");
  ASSERT_THAT(bytes, HasSubstr(issued.record.token_sha256));  // proves the files were read
  EXPECT_THAT(bytes, Not(HasSubstr(secret_part)));
}

TEST_F(auth_test, issue_token_refuses_organisations_the_role_does_not_allow_and_writes_nothing) {
  EXPECT_THROW(issue_token(accounts(), role::admin, "acme", "", "", 1h), std::invalid_argument);
  EXPECT_THROW(issue_token(accounts(), role::publisher, "", "", "", 1h), std::invalid_argument);
  EXPECT_THROW(issue_token(accounts(), role::curator, "Komm IT", "", "", 1h), std::invalid_argument);
  EXPECT_THROW(issue_token(accounts(), role::municipality, "heddesheim", "", "", 1h), std::invalid_argument);
  EXPECT_THROW(issue_token(accounts(), role::publisher, "acme", "", "", 0h), std::invalid_argument);
  EXPECT_TRUE(accounts().list_tokens().empty());
  EXPECT_EQ(accounts().find_organisation("acme"), std::nullopt);

  const auto admin = issue_token(accounts(), role::admin, "", "", "operator", 1h);
  EXPECT_EQ(admin.record.organisation, "");
  const auto municipality = issue_token(accounts(), role::municipality, "08226028", "Heddesheim", "", 1h);
  EXPECT_EQ(municipality.record.organisation, "08226028");
}

TEST_F(auth_test, a_request_without_authorization_is_anonymous) {
  const authenticator auth(accounts());
  const auto result = auth.authenticate(request_with(std::nullopt));
  const auto* answer = std::get_if<std::optional<principal>>(&result);
  ASSERT_NE(answer, nullptr);
  EXPECT_EQ(*answer, std::nullopt);
}

TEST_F(auth_test, a_valid_token_names_its_role_organisation_and_id) {
  const authenticator auth(accounts());
  const auto publisher = publisher_token();
  const auto who = accepted(auth.authenticate(request_with("Bearer " + publisher.token)));
  EXPECT_EQ(who.caller_role, role::publisher);
  EXPECT_EQ(who.organisation, "acme");
  EXPECT_EQ(who.token_id, publisher.record.id);

  const auto admin = issue_token(accounts(), role::admin, "", "", "operator", 1h);
  const auto admin_who = accepted(auth.authenticate(request_with("Bearer " + admin.token)));
  EXPECT_EQ(admin_who.caller_role, role::admin);
  EXPECT_EQ(admin_who.organisation, "");

  // The scheme is case-insensitive, and extra blanks around the token do no harm.
  EXPECT_EQ(accepted(auth.authenticate(request_with("bearer " + publisher.token))).token_id, publisher.record.id);
  EXPECT_EQ(accepted(auth.authenticate(request_with("BEARER   " + publisher.token + " "))).token_id,
            publisher.record.id);
}

TEST_F(auth_test, a_malformed_header_is_refused_with_its_own_sentence) {
  const authenticator auth(accounts());
  const auto token = publisher_token().token;
  for (const std::string& header : {std::string(""), std::string("Bearer"), std::string("Bearer "),
                                   "Basic " + token, token, "Bearer " + token + " extra", "Bearer" + token}) {
    const auto reason = refused(auth.authenticate(request_with(header)));
    EXPECT_THAT(reason, HasSubstr("Authorization header")) << "'" << header << "'";
    EXPECT_NE(reason, invalid_token_sentence);
  }
}

TEST_F(auth_test, unknown_expired_and_revoked_tokens_get_one_and_the_same_answer) {
  const authenticator auth(accounts(), 0ms);

  // Unknown: well-formed but never issued, and not even shaped like a token.
  EXPECT_EQ(refused(auth.authenticate(request_with("Bearer lotse_" + std::string(43, 'A')))), invalid_token_sentence);
  EXPECT_EQ(refused(auth.authenticate(request_with("Bearer xyz"))), invalid_token_sentence);

  // Expired: a token whose record says it ran out in the past.
  const std::string expired_token = "lotse_" + std::string(43, 'e');
  accounts().add_token({"tok_00000000000e", sha256_hex(expired_token), role::publisher, "acme", "", "1999-01-01T00:00:00Z",
                        "2000-01-01T00:00:00Z", std::nullopt});
  EXPECT_EQ(refused(auth.authenticate(request_with("Bearer " + expired_token))), invalid_token_sentence);

  // Revoked.
  const auto revoked = publisher_token();
  accepted(auth.authenticate(request_with("Bearer " + revoked.token)));
  ASSERT_TRUE(accounts().revoke_token(revoked.record.id));
  EXPECT_EQ(refused(auth.authenticate(request_with("Bearer " + revoked.token))), invalid_token_sentence);
}

TEST_F(auth_test, a_token_expiring_in_the_future_is_accepted_until_then) {
  const authenticator auth(accounts(), 0ms);
  const std::string token = "lotse_" + std::string(43, 'f');
  const auto now = std::chrono::system_clock::now();
  accounts().add_token({"tok_00000000000f", sha256_hex(token), role::publisher, "acme", "", domain::iso_utc(now),
                        domain::iso_utc(now + 2s), std::nullopt});
  accepted(auth.authenticate(request_with("Bearer " + token)));
  std::this_thread::sleep_for(2100ms);
  EXPECT_EQ(refused(auth.authenticate(request_with("Bearer " + token))), invalid_token_sentence);
}

TEST_F(auth_test, answers_are_cached_for_the_ttl_and_a_revocation_shows_after_it) {
  const auto issued = publisher_token();
  const auto header = "Bearer " + issued.token;
  const authenticator short_ttl(accounts(), 50ms);
  const authenticator long_ttl(accounts(), 1h);
  accepted(short_ttl.authenticate(request_with(header)));
  accepted(long_ttl.authenticate(request_with(header)));

  ASSERT_TRUE(accounts().revoke_token(issued.record.id));
  // Within its TTL the cached answer stands (that is what saves the database a read per request)…
  accepted(long_ttl.authenticate(request_with(header)));
  // …and once the TTL has passed, the revocation is seen.
  std::this_thread::sleep_for(80ms);
  EXPECT_EQ(refused(short_ttl.authenticate(request_with(header))), invalid_token_sentence);
}

TEST_F(auth_test, unknown_tokens_are_cached_too) {
  const std::string token = "lotse_" + std::string(43, 'u');
  const std::string header = "Bearer " + token;
  const authenticator short_ttl(accounts(), 50ms);
  const authenticator long_ttl(accounts(), 1h);
  EXPECT_EQ(refused(short_ttl.authenticate(request_with(header))), invalid_token_sentence);
  EXPECT_EQ(refused(long_ttl.authenticate(request_with(header))), invalid_token_sentence);

  accounts().add_token({"tok_00000000000u", sha256_hex(token), role::publisher, "acme", "", "2000-01-01T00:00:00Z",
                        "2999-01-01T00:00:00Z", std::nullopt});
  EXPECT_EQ(refused(long_ttl.authenticate(request_with(header))), invalid_token_sentence);
  std::this_thread::sleep_for(80ms);
  accepted(short_ttl.authenticate(request_with(header)));
}

TEST_F(auth_test, the_cache_is_bounded_so_random_tokens_cannot_grow_it) {
  const auto issued = publisher_token();
  const auto header = "Bearer " + issued.token;
  const authenticator auth(accounts(), 1h);
  accepted(auth.authenticate(request_with(header)));
  ASSERT_TRUE(accounts().revoke_token(issued.record.id));
  accepted(auth.authenticate(request_with(header)));  // cached

  // 10,000 distinct well-formed unknown tokens overflow the bound; the cache is emptied, so the revoked token is
  // read again although its TTL has not passed.
  std::array<unsigned char, 32> random{};
  std::string encoded(sodium_base64_ENCODED_LEN(random.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  for (int i = 0; i < 10'000; ++i) {
    randombytes_buf(random.data(), random.size());
    sodium_bin2base64(encoded.data(), encoded.size(), random.data(), random.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    const auto result = auth.authenticate(request_with("Bearer lotse_" + std::string(encoded.c_str())));
    ASSERT_TRUE(std::holds_alternative<auth_failure>(result));
  }
  EXPECT_EQ(refused(auth.authenticate(request_with(header))), invalid_token_sentence);
}

}  // namespace
}  // namespace lotse::auth

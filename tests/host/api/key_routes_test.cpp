#include "host/api/key_routes.hpp"

#include "catalog/store/account_store.hpp"
#include "host/api/catalog_snapshot.hpp"
#include "host/api/routes.hpp"
#include "host/auth/auth.hpp"
#include "host/http/router.hpp"
#include "host/signing/signing.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace lotse::api {
namespace {

namespace json = boost::json;
using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;
using catalog::role;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr const char* timestamp_pattern = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z";

class key_routes_test : public ::testing::Test {
 protected:
  key_routes_test()
      : store_(catalog::store::open({"sqlite::memory:", 1})),
        accounts_(*store_),
        // A TTL of 0: every request reads the store, so a test never sees an answer cached by an earlier step.
        authenticator_(accounts_, std::chrono::milliseconds(0)),
        catalog_(std::make_shared<const catalog_snapshot>(std::vector<domain::provider_description>{})),
        context_{catalog_, *store_, {}, &authenticator_, nullptr} {
    register_key_routes(router_, context_, accounts_);
    acme_ = token(role::publisher, "acme");
    rival_ = token(role::publisher, "rival");
    curator_ = token(role::curator, "komm-it");
    admin_ = token(role::admin, "");
  }

  std::string token(role r, std::string_view organisation) {
    return auth::issue_token(accounts_, r, organisation, "", "test", std::chrono::hours(1)).token;
  }

  http::response send(verb method, const std::string& target, const std::optional<std::string>& bearer,
                      std::optional<std::string> body = std::nullopt) const {
    http::request req{method, target, 11};
    if (bearer) {
      req.set(field::authorization, "Bearer " + *bearer);
    }
    if (body) {
      req.set(field::content_type, "application/json");
      req.body() = std::move(*body);
    }
    req.prepare_payload();
    return router_.dispatch(req, "test-id");
  }

  http::response post_key(const std::string& bearer, const signing::public_key& key) const {
    return send(verb::post, "/api/v1/publisher-keys", bearer, signing::public_key_json(key));
  }

  static json::object body_of(const http::response& res) { return json::parse(res.body()).as_object(); }

  static signing::public_key new_key() { return signing::secret_key::generate().public_part(); }

  std::unique_ptr<catalog::store> store_;
  catalog::account_store accounts_;
  auth::authenticator authenticator_;
  catalog_holder catalog_;
  api_context context_;
  http::router router_;
  std::string acme_;
  std::string rival_;
  std::string curator_;
  std::string admin_;
};

TEST_F(key_routes_test, registering_a_key_answers_201_with_location_then_200_for_the_same_organisation) {
  const auto key = new_key();
  const auto created = post_key(acme_, key);
  ASSERT_EQ(created.result(), status::created) << created.body();
  EXPECT_EQ(created[field::location], "/api/v1/publisher-keys/" + key.key_id);
  const auto body = body_of(created);
  EXPECT_EQ(body.at("key_id").as_string(), key.key_id);
  EXPECT_EQ(body.at("organisation").as_string(), "acme");
  EXPECT_THAT(std::string(body.at("registered_at").as_string()), MatchesRegex(timestamp_pattern));
  EXPECT_TRUE(body.at("revoked_at").is_null());

  const auto again = post_key(acme_, key);
  ASSERT_EQ(again.result(), status::ok) << again.body();
  EXPECT_EQ(body_of(again).at("registered_at"), body.at("registered_at"));  // the first registration's time
  EXPECT_EQ(accounts_.publisher_keys("acme").size(), 1U);
  EXPECT_EQ(accounts_.publisher_keys("acme")[0].document, signing::public_key_json(key));
}

TEST_F(key_routes_test, a_key_another_organisation_registered_is_a_409) {
  const auto key = new_key();
  ASSERT_EQ(post_key(acme_, key).result(), status::created);
  const auto taken = post_key(rival_, key);
  EXPECT_EQ(taken.result(), status::conflict);
  EXPECT_EQ(taken[field::content_type], "application/problem+json");
  EXPECT_THAT(std::string(body_of(taken).at("detail").as_string()), HasSubstr(key.key_id));
  EXPECT_TRUE(accounts_.publisher_keys("rival").empty());
}

TEST_F(key_routes_test, an_invalid_key_file_is_a_422_naming_the_problem) {
  auto document = json::parse(signing::public_key_json(new_key())).as_object();
  document["key_id"] = "0000000000000000";  // not this key's id
  const std::vector<std::string> bodies = {
      json::serialize(document),
      R"({"format":"lotse-secret-key-v1"})",
      R"([1, 2, 3])",
  };
  for (const auto& body : bodies) {
    const auto res = send(verb::post, "/api/v1/publisher-keys", acme_, body);
    ASSERT_EQ(res.result(), status::unprocessable_entity) << body;
    const auto problem = body_of(res);
    const auto& errors = problem.at("errors").as_array();
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].at("pointer").as_string(), "");
    EXPECT_FALSE(errors[0].at("message").as_string().empty());
  }
  EXPECT_EQ(send(verb::post, "/api/v1/publisher-keys", acme_, "not json").result(), status::bad_request);
  EXPECT_TRUE(accounts_.publisher_keys("acme").empty());
}

TEST_F(key_routes_test, without_a_valid_token_every_route_answers_401) {
  const auto key = new_key();
  const auto key_path = "/api/v1/publisher-keys/" + key.key_id;
  for (const auto& bearer : {std::optional<std::string>{}, std::optional<std::string>{"lotse_" + std::string(43, 'x')},
                             std::optional<std::string>{"garbage"}}) {
    for (const auto& res : {send(verb::post, "/api/v1/publisher-keys", bearer, signing::public_key_json(key)),
                            send(verb::get, "/api/v1/publisher-keys", bearer), send(verb::delete_, key_path, bearer)}) {
      EXPECT_EQ(res.result(), status::unauthorized) << bearer.value_or("(none)");
      EXPECT_THAT(std::string(res[field::www_authenticate]), HasSubstr("Bearer"));
    }
  }
  EXPECT_TRUE(accounts_.publisher_keys("acme").empty());
}

TEST_F(key_routes_test, curator_and_admin_tokens_are_403) {
  const auto key = new_key();
  const auto by_curator = post_key(curator_, key);
  EXPECT_EQ(by_curator.result(), status::forbidden);
  EXPECT_THAT(std::string(body_of(by_curator).at("detail").as_string()), HasSubstr("publisher"));
  EXPECT_EQ(send(verb::get, "/api/v1/publisher-keys", curator_).result(), status::forbidden);

  for (const auto& res : {post_key(admin_, key), send(verb::get, "/api/v1/publisher-keys", admin_),
                          send(verb::delete_, "/api/v1/publisher-keys/" + key.key_id, admin_)}) {
    EXPECT_EQ(res.result(), status::forbidden);
    EXPECT_THAT(std::string(body_of(res).at("detail").as_string()), HasSubstr("use a publisher token"));
  }
  EXPECT_TRUE(accounts_.publisher_keys("").empty());
  EXPECT_TRUE(accounts_.publisher_keys("komm-it").empty());
}

TEST_F(key_routes_test, get_lists_only_the_callers_keys_with_their_documents) {
  const auto first = new_key();
  const auto second = new_key();
  const auto theirs = new_key();
  ASSERT_EQ(post_key(acme_, first).result(), status::created);
  ASSERT_EQ(post_key(acme_, second).result(), status::created);
  ASSERT_EQ(post_key(rival_, theirs).result(), status::created);

  const auto listed = send(verb::get, "/api/v1/publisher-keys", acme_);
  ASSERT_EQ(listed.result(), status::ok) << listed.body();
  EXPECT_EQ(listed[field::content_type], "application/json");
  const auto listed_body = body_of(listed);
  const auto& keys = listed_body.at("keys").as_array();
  std::vector<std::string> ids;
  for (const auto& item : keys) {
    const auto& entry = item.as_object();
    ids.emplace_back(entry.at("key_id").as_string());
    EXPECT_THAT(std::string(entry.at("registered_at").as_string()), MatchesRegex(timestamp_pattern));
    EXPECT_TRUE(entry.at("revoked_at").is_null());
    // The document is the key file itself, so a client can read the key back out of it.
    const auto parsed = signing::parse_public_key(json::serialize(entry.at("public_key")));
    ASSERT_TRUE(std::holds_alternative<signing::public_key>(parsed));
    EXPECT_EQ(std::get<signing::public_key>(parsed).key_id, entry.at("key_id").as_string());
  }
  auto expected = std::vector<std::string>{first.key_id, second.key_id};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ids, expected);

  const auto rivals = body_of(send(verb::get, "/api/v1/publisher-keys", rival_)).at("keys").as_array();
  ASSERT_EQ(rivals.size(), 1U);
  EXPECT_EQ(rivals[0].at("key_id").as_string(), theirs.key_id);
}

TEST_F(key_routes_test, delete_revokes_the_callers_key_and_answers_404_for_anyone_elses) {
  const auto key = new_key();
  ASSERT_EQ(post_key(acme_, key).result(), status::created);
  const auto path = "/api/v1/publisher-keys/" + key.key_id;

  const auto by_rival = send(verb::delete_, path, rival_);
  EXPECT_EQ(by_rival.result(), status::not_found);
  EXPECT_EQ(accounts_.publisher_keys("acme")[0].revoked_at, std::nullopt);
  // Exactly the answer a key nobody registered gets, apart from the id, so ids cannot be probed.
  const auto unknown = send(verb::delete_, "/api/v1/publisher-keys/ffffffffffffffff", rival_);
  EXPECT_EQ(unknown.result(), status::not_found);
  EXPECT_EQ(body_of(by_rival).at("title"), body_of(unknown).at("title"));

  const auto revoked = send(verb::delete_, path, acme_);
  EXPECT_EQ(revoked.result(), status::no_content);
  EXPECT_TRUE(revoked.body().empty());
  const auto listed = body_of(send(verb::get, "/api/v1/publisher-keys", acme_)).at("keys").as_array();
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_THAT(std::string(listed[0].at("revoked_at").as_string()), MatchesRegex(timestamp_pattern));

  // Registering it again does not bring it back: 200, still revoked.
  const auto again = post_key(acme_, key);
  EXPECT_EQ(again.result(), status::ok);
  EXPECT_FALSE(body_of(again).at("revoked_at").is_null());
}

}  // namespace
}  // namespace lotse::api

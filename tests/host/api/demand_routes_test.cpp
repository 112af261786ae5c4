#include "host/api/demand_routes.hpp"

#include "catalog/store/account_store.hpp"
#include "catalog/store/curation_store.hpp"
#include "catalog/store/demand_store.hpp"
#include "host/api/catalog_snapshot.hpp"
#include "host/api/routes.hpp"
#include "host/auth/auth.hpp"
#include "host/demand/demand_recorder.hpp"
#include "host/http/router.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace lotse::api {
namespace {

namespace json = boost::json;
using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;
using catalog::role;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// For the village of match_body(): a start-stage municipality with €5,000 once, €3,000 a year and 0.2 FTE.
domain::solution solution(std::string id, double setup_eur, domain::stage first_stage) {
  domain::solution value;
  value.id = std::move(id);
  value.name = "Lösung " + value.id;
  value.summary = "Eine Lösung für die Tests der Nachfragesignale.";
  value.kind = domain::solution_kind::training;
  value.categories.set(static_cast<std::size_t>(domain::need_category::strategy_vision));
  value.stages = {first_stage, domain::stage::consolidation};
  value.cost.setup_eur = setup_eur;
  value.cost.annual_base_eur = 0;
  value.effort = {0.1, 0, 1};
  return value;
}

domain::provider_description provider(std::string id, std::vector<domain::solution> solutions) {
  domain::provider_description value;
  value.provider_info = {id, "Anbieter " + id, domain::provider_kind::startup, "https://" + id + ".example",
                         "kontakt@" + id + ".example"};
  for (auto& s : solutions) {
    s.provider_id = id;
    value.solutions.push_back(std::move(s));
  }
  return value;
}

constexpr std::string_view village_ags = "07131001";
constexpr std::string_view village_name = "Testdorf-Unterhalb";

std::string match_body() {
  return json::serialize(json::object{
      {"profile",
       json::object{{"ags", village_ags},
                    {"name", village_name},
                    {"population", 800},
                    {"maturity", json::object{{"stage", "start"}}},
                    {"resources", json::object{{"budget_once_eur", 5000}, {"budget_annual_eur", 3000}, {"staff_fte", 0.2}}},
                    {"needs", json::object{{"strategy.vision", 0.9}}}}},
      {"top_k", 5}});
}

class demand_routes_test : public ::testing::Test {
 protected:
  demand_routes_test()
      : store_(catalog::store::open({"sqlite::memory:", 1})),
        accounts_(*store_),
        curation_(*store_),
        demand_(*store_),
        authenticator_(accounts_, std::chrono::milliseconds(0)) {
    // A host's own plugin (no publisher owns it) and two publishers' approved uploads.
    store_->replace_provider(provider("rathaus-it", {solution("rathaus-dms", 1000, domain::stage::start)}),
                             "rathaus-it.so");
    approve("startup-a", provider("startup-a-tools", {solution("a-workshop", 2500, domain::stage::start),
                                                      solution("a-portal", 8000, domain::stage::start),
                                                      solution("a-platform", 9000, domain::stage::implementation)}));
    approve("startup-b", provider("startup-b-tools", {solution("b-app", 1500, domain::stage::start)}));
    holder_ = std::make_unique<catalog_holder>(std::make_shared<const catalog_snapshot>(store_->load_catalog()));
    context_ = std::make_unique<api_context>(api_context{*holder_, *store_, {}, &authenticator_, nullptr});
    register_routes(router_, *context_);
    register_demand_routes(router_, *context_, curation_, demand_);
  }

  void approve(const std::string& organisation, const domain::provider_description& description) {
    catalog::new_submission submission;
    submission.organisation = organisation;
    submission.provider_id = description.provider_info.id;
    submission.file_name = description.provider_info.id + ".so";
    submission.file_sha256 = std::string(64, '0');
    submission.size_bytes = 1;
    submission.key_id = "key-" + organisation;
    submission.library_base64 = "AA==";
    submission.signature_json = "{}";
    submission.description_json = "{}";
    submission.report_json = "{}";
    const auto id = curation_.add_submission(submission);
    const auto result = curation_.approve(id, description, "admin", "");
    ASSERT_EQ(result.outcome, catalog::transition_outcome::done) << result.message;
  }

  std::string token(role r, std::string_view organisation) {
    return auth::issue_token(accounts_, r, organisation, "", "demand routes test", std::chrono::hours(1)).token;
  }

  http::response get(const std::string& target, const std::string& bearer = "") const {
    http::request req{verb::get, target, 11};
    if (!bearer.empty()) {
      req.set(field::authorization, "Bearer " + bearer);
    }
    return router_.dispatch(req, "test");
  }

  http::response match() const {
    http::request req{verb::post, "/api/v1/match", 11};
    req.set(field::content_type, "application/json");
    req.body() = match_body();
    req.prepare_payload();
    return router_.dispatch(req, "test");
  }

  static json::object body_of(const http::response& res) { return json::parse(res.body()).as_object(); }

  static std::vector<std::string> solution_ids(const http::response& res) {
    std::vector<std::string> ids;
    const auto body = body_of(res);
    for (const auto& item : body.at("solutions").as_array()) {
      ids.emplace_back(item.as_object().at("solution_id").as_string());
    }
    return ids;
  }

  static json::object entry(const http::response& res, std::string_view id) {
    const auto body = body_of(res);
    for (const auto& item : body.at("solutions").as_array()) {
      if (item.as_object().at("solution_id").as_string() == id) {
        return item.as_object();
      }
    }
    ADD_FAILURE() << "no entry for " << id << " in " << res.body();
    return {};
  }

  std::unique_ptr<catalog::store> store_;
  catalog::account_store accounts_;
  catalog::curation_store curation_;
  catalog::demand_store demand_;
  auth::authenticator authenticator_;
  std::unique_ptr<catalog_holder> holder_;
  std::unique_ptr<api_context> context_;
  http::router router_;
};

TEST_F(demand_routes_test, without_a_token_the_answer_is_401) {
  const auto res = get("/api/v1/demand");
  EXPECT_EQ(res.result(), status::unauthorized);
  EXPECT_THAT(std::string(res[field::www_authenticate]), HasSubstr("Bearer"));
  EXPECT_THAT(res.body(), Not(HasSubstr("solution_id")));
}

TEST_F(demand_routes_test, a_municipality_gets_403) {
  const auto res = get("/api/v1/demand", token(role::municipality, village_ags));
  EXPECT_EQ(res.result(), status::forbidden);
  EXPECT_THAT(res.body(), Not(HasSubstr("solution_id")));
}

TEST_F(demand_routes_test, a_publisher_sees_only_the_solutions_of_its_own_providers_with_zero_counts) {
  const auto res = get("/api/v1/demand", token(role::publisher, "startup-a"));
  ASSERT_EQ(res.result(), status::ok) << res.body();
  EXPECT_THAT(solution_ids(res), ElementsAre("a-platform", "a-portal", "a-workshop"));
  const auto workshop = entry(res, "a-workshop");
  EXPECT_EQ(workshop.at("name"), "Lösung a-workshop");
  EXPECT_EQ(workshop.at("provider_id"), "startup-a-tools");
  EXPECT_EQ(workshop.at("shown"), 0);
  EXPECT_EQ(workshop.at("excluded"), 0);
  EXPECT_EQ(workshop.at("excluded_by_constraint"), json::object{});
  EXPECT_THAT(std::string(body_of(res).at("note").as_string()), HasSubstr("every few seconds"));
}

TEST_F(demand_routes_test, a_publisher_without_providers_sees_no_solutions) {
  const auto res = get("/api/v1/demand", token(role::publisher, "startup-c"));
  ASSERT_EQ(res.result(), status::ok) << res.body();
  EXPECT_THAT(solution_ids(res), IsEmpty());
}

TEST_F(demand_routes_test, a_publisher_asking_for_a_provider_it_does_not_own_gets_404) {
  const auto publisher = token(role::publisher, "startup-a");
  const auto own = get("/api/v1/demand?provider=startup-a-tools", publisher);
  ASSERT_EQ(own.result(), status::ok) << own.body();
  EXPECT_THAT(solution_ids(own), ElementsAre("a-platform", "a-portal", "a-workshop"));
  // Another publisher's provider, a host's own plugin and an unknown id answer alike.
  for (const auto* other : {"startup-b-tools", "rathaus-it", "no-such-provider"}) {
    const auto res = get(std::string("/api/v1/demand?provider=") + other, publisher);
    EXPECT_EQ(res.result(), status::not_found) << other;
    EXPECT_THAT(res.body(), Not(HasSubstr("solution_id"))) << other;
  }
  EXPECT_EQ(get("/api/v1/demand?provider=", publisher).result(), status::bad_request);
}

TEST_F(demand_routes_test, curators_and_admins_see_every_solution) {
  for (const auto& bearer : {token(role::curator, "komm-one"), token(role::admin, "")}) {
    const auto res = get("/api/v1/demand", bearer);
    ASSERT_EQ(res.result(), status::ok) << res.body();
    EXPECT_THAT(solution_ids(res), ElementsAre("a-platform", "a-portal", "a-workshop", "b-app", "rathaus-dms"));
    const auto filtered = get("/api/v1/demand?provider=rathaus-it", bearer);
    ASSERT_EQ(filtered.result(), status::ok) << filtered.body();
    EXPECT_THAT(solution_ids(filtered), ElementsAre("rathaus-dms"));
    EXPECT_EQ(get("/api/v1/demand?provider=no-such-provider", bearer).result(), status::not_found);
  }
}

TEST_F(demand_routes_test, counts_reflect_recorded_matches_once_flushed_and_never_name_the_municipality) {
  demand::demand_recorder recorder(demand_, std::chrono::hours(1));
  context_->demand = &recorder;
  ASSERT_EQ(match().result(), status::ok);
  ASSERT_EQ(match().result(), status::ok);
  const auto publisher = token(role::publisher, "startup-a");
  EXPECT_EQ(entry(get("/api/v1/demand", publisher), "a-workshop").at("shown"), 0);  // not flushed yet
  recorder.flush();

  const auto res = get("/api/v1/demand", publisher);
  ASSERT_EQ(res.result(), status::ok) << res.body();
  const auto workshop = entry(res, "a-workshop");
  EXPECT_EQ(workshop.at("shown"), 2);
  EXPECT_EQ(workshop.at("excluded"), 0);
  const auto portal = entry(res, "a-portal");  // too expensive once
  EXPECT_EQ(portal.at("shown"), 0);
  EXPECT_EQ(portal.at("excluded"), 2);
  EXPECT_EQ(portal.at("excluded_by_constraint"), (json::object{{"budget_once", 2}}));
  const auto platform = entry(res, "a-platform");  // too expensive, and for a later stage
  EXPECT_EQ(platform.at("excluded"), 2);
  EXPECT_EQ(platform.at("excluded_by_constraint"), (json::object{{"budget_once", 2}, {"stage_range", 2}}));
  EXPECT_THAT(res.body(), AllOf(Not(HasSubstr(village_ags)), Not(HasSubstr(village_name)), Not(HasSubstr("ags")),
                                Not(HasSubstr("b-app")), Not(HasSubstr("rathaus-dms"))));

  const auto all = get("/api/v1/demand", token(role::curator, "komm-one"));
  EXPECT_EQ(entry(all, "b-app").at("shown"), 2);
  EXPECT_EQ(entry(all, "rathaus-dms").at("shown"), 2);
  EXPECT_THAT(all.body(), AllOf(Not(HasSubstr(village_ags)), Not(HasSubstr(village_name))));
  context_->demand = nullptr;
}

}  // namespace
}  // namespace lotse::api

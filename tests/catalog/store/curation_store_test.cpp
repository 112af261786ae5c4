#include "catalog/store/curation_store.hpp"

#include "catalog/domain/description_json.hpp"
#include "tests/support/raw_session.hpp"

#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <set>
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

std::string catalog_text(const std::vector<domain::provider_description>& catalog) {
  std::string text;
  for (const auto& description : catalog) {
    text += boost::json::serialize(domain::to_json(description)) + "\n";
  }
  return text;
}

domain::solution workshop(std::string id, std::string provider_id) {
  using namespace domain;
  solution value;
  value.id = std::move(id);
  value.provider_id = std::move(provider_id);
  value.name = "Workshop Zukunftsbild";
  value.summary = "Ein Tag mit Gemeinderat und Verwaltung: vom ersten Impuls zum Zukunftsbild.";
  value.kind = solution_kind::training;
  value.categories.set(static_cast<std::size_t>(need_category::strategy_vision));
  value.stages = {stage::start, stage::orientation};
  value.cost.setup_eur = 2500;
  value.effort = {0.1, 0, 1};
  return value;
}

domain::provider_description provider(const std::string& id, const std::vector<std::string>& solution_ids) {
  domain::provider_description value;
  value.provider_info.id = id;
  value.provider_info.name = "Anbieter " + id;
  value.provider_info.kind = domain::provider_kind::startup;
  value.provider_info.website = "https://" + id + ".example";
  value.provider_info.contact = "kontakt@" + id + ".example";
  for (const auto& solution_id : solution_ids) {
    value.solutions.push_back(workshop(solution_id, id));
  }
  return value;
}

new_submission upload(const std::string& organisation, const std::string& provider_id, const std::string& tag = "v1") {
  new_submission value;
  value.organisation = organisation;
  value.provider_id = provider_id;
  value.file_name = "lib" + provider_id + "-" + tag + ".so";
  value.file_sha256 = std::string(64, tag.back());
  value.size_bytes = 4096;
  value.key_id = organisation + "-key";
  value.library_base64 = "f0VMRgIBAQ==" + tag;
  value.signature_json = R"({"key_id":")" + organisation + R"(-key","signature":")" + tag + R"("})";
  value.description_json = R"({"provider":{"id":")" + provider_id + R"("},"tag":")" + tag + R"("})";
  value.report_json = R"({"ok":true,"tag":")" + tag + R"("})";
  return value;
}

std::vector<std::int64_t> ids_of(const std::vector<submission_summary>& list) {
  std::vector<std::int64_t> ids;
  for (const auto& entry : list) {
    ids.push_back(entry.id);
  }
  return ids;
}

std::vector<submission_status> statuses_of(const submission& s) {
  std::vector<submission_status> statuses;
  for (const auto& event : s.history) {
    statuses.push_back(event.status);
  }
  return statuses;
}

TEST(curation_store_statuses, every_status_has_a_name_that_parses_back_and_nothing_else_parses) {
  for (const auto status : {submission_status::pending, submission_status::approved, submission_status::rejected,
                            submission_status::superseded, submission_status::withdrawn}) {
    EXPECT_EQ(parse_submission_status(name_of(status)), status) << name_of(status);
  }
  EXPECT_EQ(name_of(submission_status::superseded), "superseded");
  EXPECT_EQ(parse_submission_status("Approved"), std::nullopt);
  EXPECT_EQ(parse_submission_status(""), std::nullopt);
}

// Every test runs on SQLite and on PostgreSQL (…/sqlite, …/postgresql).
class curation_store_test : public ::testing::TestWithParam<test::backend> {
 protected:
  void SetUp() override {
    LOTSE_REQUIRE_BACKEND(GetParam());
    database_ = std::make_unique<test::test_database>(GetParam());
    store_ = open_store();
    curation_ = std::make_unique<curation_store>(*store_);
  }

  std::unique_ptr<store> open_store() const { return store::open({database_->url(), 4}); }
  store& catalog() { return *store_; }
  curation_store& curation() { return *curation_; }
  // A connection of the test's own, to look at what the store wrote.
  soci::session raw() const { return test::raw_session(*database_); }

  std::string plugin_file_of(const std::string& provider_id) const {
    auto sql = raw();
    std::string file;
    sql << "SELECT plugin_file FROM providers WHERE id = :id", soci::use(provider_id), soci::into(file);
    return sql.got_data() ? file : "(none)";
  }

  long long solution_rows() const {
    auto sql = raw();
    long long rows = -1;
    sql << "SELECT COUNT(*) FROM solutions", soci::into(rows);
    return rows;
  }

  submission_status status_of(std::int64_t id) {
    const auto found = curation().find_submission(id);
    EXPECT_TRUE(found.has_value()) << "submission " << id;
    return found ? found->status : submission_status::pending;
  }

  // Adds and approves a submission; fails the test unless the approval is done.
  std::int64_t approved(const new_submission& s, const domain::provider_description& description) {
    const auto id = curation().add_submission(s);
    const auto result = curation().approve(id, description, "admin", "");
    EXPECT_EQ(result.outcome, transition_outcome::done) << result.message;
    return id;
  }

 private:
  std::unique_ptr<test::test_database> database_;
  std::unique_ptr<store> store_;
  std::unique_ptr<curation_store> curation_;
};

INSTANTIATE_TEST_SUITE_P(, curation_store_test, test::all_backends, test::backend_name);

TEST_P(curation_store_test, add_submission_numbers_from_one_and_records_a_pending_event) {
  const auto revision = catalog().catalog_revision();

  EXPECT_EQ(curation().add_submission(upload("acme", "acme-tools")), 1);
  EXPECT_EQ(curation().add_submission(upload("acme", "acme-tools", "v2")), 2);
  EXPECT_EQ(curation().add_submission(upload("beta", "beta-apps")), 3);

  const auto first = curation().find_submission(1);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, submission_status::pending);
  ASSERT_EQ(first->history.size(), 1U);
  EXPECT_EQ(first->history[0].status, submission_status::pending);
  EXPECT_EQ(first->history[0].actor, "acme");
  EXPECT_EQ(first->history[0].reason, "");
  EXPECT_THAT(first->history[0].at, MatchesRegex(timestamp_pattern));
  // Nothing reaches the catalog before a curator approves.
  EXPECT_TRUE(catalog().load_catalog().empty());
  EXPECT_EQ(catalog().catalog_revision(), revision);
}

TEST_P(curation_store_test, find_submission_returns_every_field_the_report_and_the_history) {
  const auto sent = upload("acme", "acme-tools");
  const auto id = curation().add_submission(sent);
  curation().add_submission(upload("beta", "beta-apps"));

  const auto found = curation().find_submission(id);

  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->organisation, "acme");
  EXPECT_EQ(found->provider_id, "acme-tools");
  EXPECT_EQ(found->file_name, sent.file_name);
  EXPECT_EQ(found->file_sha256, sent.file_sha256);
  EXPECT_EQ(found->size_bytes, 4096);
  EXPECT_EQ(found->key_id, "acme-key");
  EXPECT_EQ(found->status, submission_status::pending);
  EXPECT_THAT(found->submitted_at, MatchesRegex(timestamp_pattern));
  EXPECT_EQ(found->updated_at, found->submitted_at);
  EXPECT_EQ(found->description_json, sent.description_json);
  EXPECT_EQ(found->report_json, sent.report_json);
  ASSERT_EQ(found->history.size(), 1U);
  EXPECT_EQ(curation().find_submission(99), std::nullopt);
}

TEST_P(curation_store_test, list_submissions_is_newest_first_and_filters_by_organisation_and_status) {
  curation().add_submission(upload("acme", "acme-tools"));           // 1
  curation().add_submission(upload("beta", "beta-apps"));            // 2
  curation().add_submission(upload("acme", "acme-tools", "v2"));     // 3
  curation().add_submission(upload("acme", "acme-more"));            // 4
  ASSERT_EQ(curation().reject(3, "admin", "unsigned").outcome, transition_outcome::done);

  EXPECT_THAT(ids_of(curation().list_submissions()), ElementsAre(4, 3, 2, 1));
  EXPECT_THAT(ids_of(curation().list_submissions("acme")), ElementsAre(4, 3, 1));
  EXPECT_THAT(ids_of(curation().list_submissions(std::nullopt, submission_status::pending)), ElementsAre(4, 2, 1));
  EXPECT_THAT(ids_of(curation().list_submissions("acme", submission_status::pending)), ElementsAre(4, 1));
  EXPECT_THAT(ids_of(curation().list_submissions("acme", submission_status::rejected)), ElementsAre(3));
  EXPECT_THAT(ids_of(curation().list_submissions("nobody")), IsEmpty());
  const auto list = curation().list_submissions("beta");
  ASSERT_EQ(list.size(), 1U);
  EXPECT_EQ(list[0].provider_id, "beta-apps");
  EXPECT_EQ(list[0].key_id, "beta-key");
  EXPECT_EQ(list[0].status, submission_status::pending);
}

TEST_P(curation_store_test, approve_writes_the_provider_claims_it_and_moves_the_revision) {
  const auto description = provider("acme-tools", {"acme-tools.portal", "acme-tools.workshop"});
  const auto id = curation().add_submission(upload("acme", "acme-tools"));
  const auto before = catalog().catalog_revision();
  EXPECT_EQ(curation().owner_of_provider("acme-tools"), std::nullopt);

  const auto result = curation().approve(id, description, "curator-1", "looks good");

  EXPECT_EQ(result.outcome, transition_outcome::done);
  EXPECT_EQ(result.status, submission_status::approved);
  EXPECT_EQ(catalog_text(catalog().load_catalog()), catalog_text({description}));
  EXPECT_EQ(plugin_file_of("acme-tools"), std::string(submission_file_prefix) + std::to_string(id));
  EXPECT_GT(catalog().catalog_revision(), before);
  EXPECT_EQ(curation().owner_of_provider("acme-tools"), "acme");
  EXPECT_THAT(curation().owned_providers("acme"), ElementsAre("acme-tools"));
  EXPECT_THAT(curation().owned_providers("beta"), IsEmpty());
  const auto found = curation().find_submission(id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, submission_status::approved);
  ASSERT_EQ(found->history.size(), 2U);
  EXPECT_EQ(found->history[1].status, submission_status::approved);
  EXPECT_EQ(found->history[1].actor, "curator-1");
  EXPECT_EQ(found->history[1].reason, "looks good");

  // A second provider of the same publisher: owned_providers is sorted.
  approved(upload("acme", "acme-apps"), provider("acme-apps", {"acme-apps.one"}));
  EXPECT_THAT(curation().owned_providers("acme"), ElementsAre("acme-apps", "acme-tools"));
}

TEST_P(curation_store_test, approving_a_second_version_supersedes_the_first) {
  const auto v1 = approved(upload("acme", "acme-tools"), provider("acme-tools", {"acme-tools.a", "acme-tools.b"}));
  const auto v2_description = provider("acme-tools", {"acme-tools.a", "acme-tools.c"});
  const auto v2 = curation().add_submission(upload("acme", "acme-tools", "v2"));
  const auto before = catalog().catalog_revision();

  const auto result = curation().approve(v2, v2_description, "admin", "");

  EXPECT_EQ(result.outcome, transition_outcome::done);
  EXPECT_EQ(catalog_text(catalog().load_catalog()), catalog_text({v2_description}));
  EXPECT_EQ(solution_rows(), 2);
  EXPECT_EQ(plugin_file_of("acme-tools"), std::string(submission_file_prefix) + std::to_string(v2));
  EXPECT_GT(catalog().catalog_revision(), before);
  const auto old = curation().find_submission(v1);
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->status, submission_status::superseded);
  EXPECT_THAT(statuses_of(*old),
              ElementsAre(submission_status::pending, submission_status::approved, submission_status::superseded));
  EXPECT_EQ(status_of(v2), submission_status::approved);
  EXPECT_THAT(ids_of(curation().approved_submissions()), ElementsAre(v2));
  EXPECT_THAT(curation().owned_providers("acme"), ElementsAre("acme-tools"));
}

TEST_P(curation_store_test, another_publishers_submission_for_an_owned_provider_is_a_conflict_and_changes_nothing) {
  approved(upload("acme", "acme-tools"), provider("acme-tools", {"acme-tools.a"}));
  const auto intruder = curation().add_submission(upload("mallory", "acme-tools", "v9"));
  const auto catalog_before = catalog_text(catalog().load_catalog());
  const auto revision_before = catalog().catalog_revision();

  const auto result = curation().approve(intruder, provider("acme-tools", {"acme-tools.evil"}), "admin", "");

  EXPECT_EQ(result.outcome, transition_outcome::conflict);
  EXPECT_EQ(result.status, submission_status::pending);
  EXPECT_THAT(result.message, HasSubstr("acme-tools"));
  EXPECT_EQ(catalog_text(catalog().load_catalog()), catalog_before);
  EXPECT_EQ(catalog().catalog_revision(), revision_before);
  EXPECT_EQ(curation().owner_of_provider("acme-tools"), "acme");
  EXPECT_THAT(curation().owned_providers("mallory"), IsEmpty());
  const auto found = curation().find_submission(intruder);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, submission_status::pending);
  EXPECT_EQ(found->history.size(), 1U);
}

TEST_P(curation_store_test, a_provider_from_a_plugin_directory_cannot_be_approved) {
  const auto installed = provider("plain", {"plain.one"});
  catalog().replace_provider(installed, "plain.so");
  const auto id = curation().add_submission(upload("acme", "plain"));
  const auto revision_before = catalog().catalog_revision();

  const auto result = curation().approve(id, provider("plain", {"plain.one", "plain.two"}), "admin", "");

  EXPECT_EQ(result.outcome, transition_outcome::conflict);
  EXPECT_EQ(result.status, submission_status::pending);
  EXPECT_THAT(result.message, AllOf(HasSubstr("'plain'"), HasSubstr("plain.so")));
  EXPECT_EQ(catalog_text(catalog().load_catalog()), catalog_text({installed}));
  EXPECT_EQ(plugin_file_of("plain"), "plain.so");
  EXPECT_EQ(catalog().catalog_revision(), revision_before);
  // The claim on the provider id was rolled back with the rest.
  EXPECT_EQ(curation().owner_of_provider("plain"), std::nullopt);
  EXPECT_EQ(status_of(id), submission_status::pending);
}

TEST_P(curation_store_test, a_plugin_directory_can_neither_replace_nor_remove_an_approved_provider) {
  const auto description = provider("acme-tools", {"acme-tools.a"});
  const auto id = approved(upload("acme", "acme-tools"), description);
  catalog().replace_provider(provider("plain", {"plain.one"}), "plain.so");

  try {
    catalog().replace_provider(provider("acme-tools", {"acme-tools.a", "acme-tools.x"}), "dropped-in.so");
    FAIL() << "a plugin file replaced an approved provider";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("'acme-tools'"), HasSubstr("approved upload")));
  }
  EXPECT_EQ(plugin_file_of("acme-tools"), std::string(submission_file_prefix) + std::to_string(id));

  // A host starting with an empty plugin directory removes its own providers, never the curated ones.
  EXPECT_THAT(catalog().remove_providers_except({}), ElementsAre("plain"));
  EXPECT_EQ(catalog_text(catalog().load_catalog()), catalog_text({description}));
}

TEST_P(curation_store_test, only_pending_submissions_can_be_approved_or_rejected) {
  const auto description = provider("acme-tools", {"acme-tools.a"});
  const auto rejected = curation().add_submission(upload("acme", "acme-tools"));
  ASSERT_EQ(curation().reject(rejected, "admin", "broken").outcome, transition_outcome::done);
  const auto withdrawn = curation().add_submission(upload("acme", "acme-tools", "v2"));
  ASSERT_EQ(curation().withdraw(withdrawn, "acme", "").outcome, transition_outcome::done);
  const auto approved_id = approved(upload("acme", "acme-tools", "v3"), description);
  const auto catalog_before = catalog_text(catalog().load_catalog());
  const auto revision_before = catalog().catalog_revision();

  const auto approve_rejected = curation().approve(rejected, description, "admin", "");
  const auto approve_withdrawn = curation().approve(withdrawn, description, "admin", "");
  const auto approve_again = curation().approve(approved_id, description, "admin", "");
  const auto reject_approved = curation().reject(approved_id, "admin", "");
  const auto reject_rejected = curation().reject(rejected, "admin", "");
  const auto withdraw_rejected = curation().withdraw(rejected, "acme", "");

  EXPECT_EQ(approve_rejected.outcome, transition_outcome::wrong_state);
  EXPECT_EQ(approve_rejected.status, submission_status::rejected);
  EXPECT_EQ(approve_withdrawn.outcome, transition_outcome::wrong_state);
  EXPECT_EQ(approve_withdrawn.status, submission_status::withdrawn);
  EXPECT_EQ(approve_again.outcome, transition_outcome::wrong_state);
  EXPECT_EQ(approve_again.status, submission_status::approved);
  EXPECT_EQ(reject_approved.outcome, transition_outcome::wrong_state);
  EXPECT_EQ(reject_rejected.outcome, transition_outcome::wrong_state);
  EXPECT_EQ(withdraw_rejected.outcome, transition_outcome::wrong_state);
  EXPECT_EQ(withdraw_rejected.status, submission_status::rejected);
  EXPECT_EQ(catalog_text(catalog().load_catalog()), catalog_before);
  EXPECT_EQ(catalog().catalog_revision(), revision_before);
  EXPECT_EQ(status_of(rejected), submission_status::rejected);
  EXPECT_EQ(curation().find_submission(rejected)->history.size(), 2U);
  EXPECT_EQ(status_of(approved_id), submission_status::approved);
}

TEST_P(curation_store_test, a_superseded_version_cannot_be_withdrawn) {
  const auto v1 = approved(upload("acme", "acme-tools"), provider("acme-tools", {"acme-tools.a"}));
  const auto v2_description = provider("acme-tools", {"acme-tools.b"});
  approved(upload("acme", "acme-tools", "v2"), v2_description);

  const auto result = curation().withdraw(v1, "acme", "");

  EXPECT_EQ(result.outcome, transition_outcome::wrong_state);
  EXPECT_EQ(result.status, submission_status::superseded);
  EXPECT_EQ(catalog_text(catalog().load_catalog()), catalog_text({v2_description}));
}

TEST_P(curation_store_test, unknown_ids_are_not_found) {
  curation().add_submission(upload("acme", "acme-tools"));

  EXPECT_EQ(curation().approve(42, provider("acme-tools", {"acme-tools.a"}), "admin", "").outcome,
            transition_outcome::not_found);
  EXPECT_EQ(curation().reject(42, "admin", "").outcome, transition_outcome::not_found);
  EXPECT_EQ(curation().withdraw(42, "admin", "").outcome, transition_outcome::not_found);
  EXPECT_EQ(curation().find_bundle(42), std::nullopt);
  EXPECT_TRUE(catalog().load_catalog().empty());
  EXPECT_EQ(curation().owner_of_provider("acme-tools"), std::nullopt);
}

TEST_P(curation_store_test, reject_records_the_reason_and_leaves_the_catalog_alone) {
  const auto id = curation().add_submission(upload("acme", "acme-tools"));
  const auto revision_before = catalog().catalog_revision();

  const auto result = curation().reject(id, "curator-1", "the manifest promises an API it lacks");

  EXPECT_EQ(result.outcome, transition_outcome::done);
  EXPECT_EQ(result.status, submission_status::rejected);
  const auto found = curation().find_submission(id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, submission_status::rejected);
  ASSERT_EQ(found->history.size(), 2U);
  EXPECT_EQ(found->history[1].status, submission_status::rejected);
  EXPECT_EQ(found->history[1].actor, "curator-1");
  EXPECT_EQ(found->history[1].reason, "the manifest promises an API it lacks");
  EXPECT_THAT(found->history[1].at, MatchesRegex(timestamp_pattern));
  EXPECT_EQ(catalog().catalog_revision(), revision_before);
  EXPECT_TRUE(catalog().load_catalog().empty());
  EXPECT_EQ(curation().owner_of_provider("acme-tools"), std::nullopt);
}

TEST_P(curation_store_test, withdrawing_the_approved_version_removes_its_provider_and_moves_the_revision) {
  const auto other = provider("beta-apps", {"beta-apps.one"});
  approved(upload("beta", "beta-apps"), other);
  const auto id = approved(upload("acme", "acme-tools"), provider("acme-tools", {"acme-tools.a", "acme-tools.b"}));
  const auto revision_before = catalog().catalog_revision();

  const auto result = curation().withdraw(id, "acme", "discontinued");

  EXPECT_EQ(result.outcome, transition_outcome::done);
  EXPECT_EQ(result.status, submission_status::withdrawn);
  EXPECT_EQ(catalog_text(catalog().load_catalog()), catalog_text({other}));
  EXPECT_EQ(solution_rows(), 1);
  EXPECT_GT(catalog().catalog_revision(), revision_before);
  const auto found = curation().find_submission(id);
  ASSERT_TRUE(found.has_value());
  EXPECT_THAT(statuses_of(*found),
              ElementsAre(submission_status::pending, submission_status::approved, submission_status::withdrawn));
  EXPECT_EQ(found->history.back().actor, "acme");
  EXPECT_EQ(found->history.back().reason, "discontinued");
  EXPECT_THAT(ids_of(curation().approved_submissions()), ElementsAre(1));
}

TEST_P(curation_store_test, withdrawing_a_pending_submission_leaves_the_catalog_alone) {
  const auto v1_description = provider("acme-tools", {"acme-tools.a"});
  const auto v1 = approved(upload("acme", "acme-tools"), v1_description);
  const auto v2 = curation().add_submission(upload("acme", "acme-tools", "v2"));
  const auto revision_before = catalog().catalog_revision();

  const auto result = curation().withdraw(v2, "acme", "wrong file");

  EXPECT_EQ(result.outcome, transition_outcome::done);
  EXPECT_EQ(status_of(v2), submission_status::withdrawn);
  EXPECT_EQ(status_of(v1), submission_status::approved);
  EXPECT_EQ(catalog_text(catalog().load_catalog()), catalog_text({v1_description}));
  EXPECT_EQ(catalog().catalog_revision(), revision_before);
}

TEST_P(curation_store_test, approved_submissions_and_find_bundle_return_the_stored_bytes) {
  const auto zeta_upload = upload("zeta", "zeta-apps");
  const auto zeta = approved(zeta_upload, provider("zeta-apps", {"zeta-apps.one"}));
  const auto alpha_upload = upload("alpha", "alpha-apps");
  const auto alpha = approved(alpha_upload, provider("alpha-apps", {"alpha-apps.one"}));
  curation().add_submission(upload("beta", "beta-apps"));  // pending: not to be run by any host

  const auto list = curation().approved_submissions();
  ASSERT_EQ(list.size(), 2U);
  EXPECT_EQ(list[0].id, alpha);  // sorted by provider id
  EXPECT_EQ(list[0].provider_id, "alpha-apps");
  EXPECT_EQ(list[0].file_sha256, alpha_upload.file_sha256);
  EXPECT_EQ(list[1].id, zeta);

  const auto bundle = curation().find_bundle(zeta);
  ASSERT_TRUE(bundle.has_value());
  EXPECT_EQ(bundle->id, zeta);
  EXPECT_EQ(bundle->organisation, "zeta");
  EXPECT_EQ(bundle->provider_id, "zeta-apps");
  EXPECT_EQ(bundle->file_name, zeta_upload.file_name);
  EXPECT_EQ(bundle->file_sha256, zeta_upload.file_sha256);
  EXPECT_EQ(bundle->library_base64, zeta_upload.library_base64);
  EXPECT_EQ(bundle->signature_json, zeta_upload.signature_json);
  EXPECT_EQ(bundle->description_json, zeta_upload.description_json);
}

TEST_P(curation_store_test, a_large_library_round_trips_byte_for_byte) {
  // A 20 MiB plugin is about 27 MiB of base64; every byte value of the alphabet appears.
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto big = upload("acme", "acme-tools");
  big.library_base64.clear();
  for (std::size_t i = 0; i < 27U * 1024 * 1024; ++i) {
    big.library_base64 += alphabet[(i * 7 + i / 64) % 64];
  }
  const auto id = curation().add_submission(big);

  const auto bundle = curation().find_bundle(id);

  ASSERT_TRUE(bundle.has_value());
  EXPECT_EQ(bundle->library_base64.size(), big.library_base64.size());
  EXPECT_TRUE(bundle->library_base64 == big.library_base64);  // not EXPECT_EQ: a failure would print 27 MiB
}

TEST_P(curation_store_test, endorsements_are_put_replaced_removed_and_listed) {
  using domain::endorsement_kind;
  curation().put_endorsement({"komm-one", "sol-b", endorsement_kind::operated_by_us});
  curation().put_endorsement({"ekom21", "sol-a", endorsement_kind::compatible_with_our_platform});
  curation().put_endorsement({"komm-one", "sol-a", endorsement_kind::compatible_with_our_platform});

  const auto all = curation().endorsements();
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[0].curator_id, "ekom21");
  EXPECT_EQ(all[1].curator_id, "komm-one");
  EXPECT_EQ(all[1].solution_id, "sol-a");
  EXPECT_EQ(all[2].solution_id, "sol-b");
  EXPECT_EQ(all[2].kind, endorsement_kind::operated_by_us);

  // Another kind from the same curator for the same solution replaces the first.
  curation().put_endorsement({"komm-one", "sol-a", endorsement_kind::operated_by_us});
  const auto komm_one = curation().endorsements("komm-one");
  ASSERT_EQ(komm_one.size(), 2U);
  EXPECT_EQ(komm_one[0].solution_id, "sol-a");
  EXPECT_EQ(komm_one[0].kind, endorsement_kind::operated_by_us);
  EXPECT_EQ(curation().endorsements().size(), 3U);
  EXPECT_THAT(curation().endorsements("nobody"), IsEmpty());

  EXPECT_TRUE(curation().remove_endorsement("komm-one", "sol-a"));
  EXPECT_FALSE(curation().remove_endorsement("komm-one", "sol-a"));
  EXPECT_FALSE(curation().remove_endorsement("ekom21", "sol-b"));
  const auto left = curation().endorsements("komm-one");
  ASSERT_EQ(left.size(), 1U);
  EXPECT_EQ(left[0].solution_id, "sol-b");
  EXPECT_EQ(curation().endorsements("ekom21").size(), 1U);
}

TEST_P(curation_store_test, endorsements_move_the_revision_only_when_they_change) {
  using domain::endorsement_kind;
  auto revision = catalog().catalog_revision();
  const auto moved = [&] {
    const auto now = catalog().catalog_revision();
    const bool changed = now != revision;
    revision = now;
    return changed;
  };

  curation().put_endorsement({"komm-one", "sol-a", endorsement_kind::operated_by_us});
  EXPECT_TRUE(moved()) << "a new endorsement";
  curation().put_endorsement({"komm-one", "sol-a", endorsement_kind::operated_by_us});
  EXPECT_FALSE(moved()) << "the same endorsement again";
  curation().put_endorsement({"komm-one", "sol-a", endorsement_kind::compatible_with_our_platform});
  EXPECT_TRUE(moved()) << "another kind";
  EXPECT_FALSE(curation().remove_endorsement("komm-one", "sol-b"));
  EXPECT_FALSE(moved()) << "removing one that does not exist";
  EXPECT_TRUE(curation().remove_endorsement("komm-one", "sol-a"));
  EXPECT_TRUE(moved()) << "removing one";
}

TEST_P(curation_store_test, two_stores_adding_submissions_at_once_get_distinct_ids) {
  // Two stores on one database stand for two hosts taking uploads at the same time.
  auto second_store = open_store();
  curation_store second(*second_store);
  constexpr int workers_per_store = 3;
  constexpr int uploads_per_worker = 10;
  std::mutex results_mutex;
  std::vector<std::int64_t> ids;
  std::vector<std::string> failures;
  std::vector<std::thread> workers;
  for (auto* target : {&curation(), &second}) {
    for (int w = 0; w < workers_per_store; ++w) {
      workers.emplace_back([&, target, w] {
        for (int i = 0; i < uploads_per_worker; ++i) {
          try {
            const auto id = target->add_submission(upload("org-" + std::to_string(w), "p-" + std::to_string(w)));
            const std::lock_guard lock(results_mutex);
            ids.push_back(id);
          } catch (const std::exception& e) {
            const std::lock_guard lock(results_mutex);
            failures.emplace_back(e.what());
          }
        }
      });
    }
  }
  for (auto& worker : workers) {
    worker.join();
  }

  EXPECT_THAT(failures, IsEmpty());
  constexpr int total = 2 * workers_per_store * uploads_per_worker;
  std::sort(ids.begin(), ids.end());
  std::vector<std::int64_t> expected(total);
  for (int i = 0; i < total; ++i) {
    expected[i] = i + 1;
  }
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(curation().list_submissions().size(), static_cast<std::size_t>(total));
  for (const auto id : {std::int64_t{1}, std::int64_t{total}}) {
    const auto found = second.find_submission(id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->history.size(), 1U) << "submission " << id;
  }
}

}  // namespace
}  // namespace lotse::catalog

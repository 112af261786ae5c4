#include "catalog/store/transfer_json.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lotse::catalog {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

const char* const valid_export = R"({
  "format": "lotse-export", "format_version": 1,
  "providers": [{"plugin_file": "a.so",
                 "provider": {"id": "anbieter-a", "name": "Anbieter A", "kind": "startup"},
                 "solutions": [{"id": "a.workshop", "name": "Workshop", "summary": "Ein Tag Zukunftsbild.",
                                "kind": "training", "categories": ["strategy.vision"],
                                "stages": {"min": "start", "max": "orientation"},
                                "cost": {"setup_eur": 2500, "annual_base_eur": 0},
                                "effort": {"rollout_fte": 0.1, "ongoing_fte": 0, "rollout_months": 1},
                                "required_skill": "none"}]}],
  "municipalities": [{"version": 3, "profile": {"ags": "07131001", "name": "Testdorf", "population": 800,
                       "maturity": {"stage": "start"},
                       "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2}}}]
})";

// Everything version 2 adds, in the order and shape to_json writes it, so that writing it back gives these bytes. It
// goes with a second provider, "anbieter-b", from the approved upload 2. The stored documents are text with
// whitespace and a number ("1.50") that a re-serialisation would change.
const char* const v2_sections = R"(
  "organisations": [{"id": "08226028", "role": "municipality", "name": "Heddesheim", "created_at": "2024-01-01T08:00:00Z"},
                    {"id": "startup-b", "role": "publisher", "name": "Start-up B", "created_at": "2024-01-02T08:00:00Z"}],
  "tokens": [{"id": "tok_000000000001", "token_sha256": "HASH_A", "role": "publisher", "organisation": "startup-b",
              "label": "CI", "created_at": "2024-01-02T09:00:00Z", "expires_at": "2025-01-02T09:00:00Z",
              "revoked_at": "2024-03-01T10:00:00Z"},
             {"id": "tok_000000000002", "token_sha256": "HASH_B", "role": "admin", "organisation": "", "label": "",
              "created_at": "2024-01-03T09:00:00Z", "expires_at": "2025-01-03T09:00:00Z", "revoked_at": null}],
  "publisher_keys": [{"key_id": "key-b1", "organisation": "startup-b",
                      "document": "{ \"key_id\": \"key-b1\",  \"public_key\": \"AAAA\" }",
                      "registered_at": "2024-01-02T10:00:00Z", "revoked_at": null}],
  "submissions": [
    {"id": 1, "organisation": "startup-b", "provider_id": "anbieter-b", "file_name": "libb.so", "file_sha256": "HASH_1",
     "size_bytes": 7, "key_id": "key-b1", "status": "superseded", "submitted_at": "2024-02-01T08:00:00Z",
     "updated_at": "2024-02-03T08:00:00Z",
     "history": [{"at": "2024-02-01T08:00:00Z", "status": "pending", "actor": "startup-b", "reason": ""},
                 {"at": "2024-02-02T08:00:00Z", "status": "approved", "actor": "komm-one", "reason": "passt"},
                 {"at": "2024-02-03T08:00:00Z", "status": "superseded", "actor": "komm-one",
                  "reason": "replaced by version 2"}],
     "description": "{\"provider\": {\"id\": \"anbieter-b\"}, \"n\": 1.50}", "report": "{\"ok\": true}",
     "signature": "{\"key_id\": \"key-b1\"}", "library_base64": "f0VMRgIBAQ=="},
    {"id": 2, "organisation": "startup-b", "provider_id": "anbieter-b", "file_name": "libb.so", "file_sha256": "HASH_2",
     "size_bytes": 8, "key_id": "key-b1", "status": "approved", "submitted_at": "2024-02-03T07:00:00Z",
     "updated_at": "2024-02-03T08:00:00Z",
     "history": [{"at": "2024-02-03T07:00:00Z", "status": "pending", "actor": "startup-b", "reason": ""},
                 {"at": "2024-02-03T08:00:00Z", "status": "approved", "actor": "komm-one", "reason": ""}],
     "description": "{\"provider\": {\"id\": \"anbieter-b\"}, \"n\": 2}", "report": "{\"ok\": true}",
     "signature": "{\"key_id\": \"key-b1\"}", "library_base64": "f0VMRgIBAQI="},
    {"id": 3, "organisation": "startup-b", "provider_id": "anbieter-c", "file_name": "libc.so", "file_sha256": "HASH_3",
     "size_bytes": 0, "key_id": "key-b1", "status": "pending", "submitted_at": "2024-02-04T07:00:00Z",
     "updated_at": "2024-02-04T07:00:00Z",
     "history": [{"at": "2024-02-04T07:00:00Z", "status": "pending", "actor": "startup-b", "reason": ""}],
     "description": "{}", "report": "{}", "signature": "{}", "library_base64": ""}],
  "last_submission_id": 4,
  "provider_owners": [{"provider_id": "anbieter-b", "organisation": "startup-b"}],
  "endorsements": [{"curator": "komm-one", "solution_id": "a.workshop", "kind": "operated_by_us",
                    "created_at": "2024-02-05T08:00:00Z"},
                   {"curator": "komm-one", "solution_id": "b.workshop", "kind": "compatible_with_our_platform",
                    "created_at": "2024-02-05T09:00:00Z"}],
  "demand_counts": [{"solution_id": "a.workshop", "event": "excluded", "reason": "", "count": 3},
                    {"solution_id": "a.workshop", "event": "excluded", "reason": "budget_annual", "count": 2},
                    {"solution_id": "a.workshop", "event": "shown", "reason": "", "count": 5}]
)";

const char* const v2_provider = R"({"plugin_file": "submission:2",
                 "provider": {"id": "anbieter-b", "name": "Anbieter B", "kind": "startup"},
                 "solutions": [{"id": "b.workshop", "name": "Workshop", "summary": "Ein Tag Zukunftsbild.",
                                "kind": "training", "categories": ["strategy.vision"],
                                "stages": {"min": "start", "max": "orientation"},
                                "cost": {"setup_eur": 2500, "annual_base_eur": 0},
                                "effort": {"rollout_fte": 0.1, "ongoing_fte": 0, "rollout_months": 1},
                                "required_skill": "none"}]})";

const std::vector<std::string> v2_keys = {"organisations", "tokens",          "publisher_keys", "submissions",
                                          "last_submission_id", "provider_owners", "endorsements", "demand_counts"};

std::string replaced(std::string text, const std::string& from, const std::string& to);

std::string valid_v2_export() {
  auto text = replaced(valid_export, R"("format_version": 1)", R"("format_version": 2)");
  text = replaced(text, "\"required_skill\": \"none\"}]}]", "\"required_skill\": \"none\"}]}, " +
                                                             std::string(v2_provider) + "]");
  text.insert(text.rfind('}'), std::string(",") + v2_sections);
  for (const auto& [placeholder, digit] :
       {std::pair{"HASH_A", 'a'}, {"HASH_B", 'b'}, {"HASH_1", '1'}, {"HASH_2", '2'}, {"HASH_3", '3'}}) {
    text = replaced(text, placeholder, std::string(64, digit));
  }
  return text;
}

domain::field_errors errors_of(const std::string& text) {
  return parse_store_contents(boost::json::parse(text)).errors;
}

domain::field_errors errors_in(const boost::json::value& json) { return parse_store_contents(json).errors; }

std::string pointers_of(const domain::field_errors& errors) {
  std::string text;
  for (const auto& error : errors) {
    text += error.pointer + ": " + error.message + "\n";
  }
  return text;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(transfer_json, a_version_2_export_parses_every_section_and_writes_it_back_byte_for_byte) {
  const auto document = boost::json::parse(valid_v2_export());
  const auto parsed = parse_store_contents(document);
  ASSERT_TRUE(parsed.ok()) << pointers_of(parsed.errors);
  const auto& contents = parsed.value;
  ASSERT_EQ(contents.providers.size(), 2U);
  EXPECT_EQ(contents.providers[1].plugin_file, "submission:2");
  ASSERT_EQ(contents.organisations.size(), 2U);
  EXPECT_EQ(contents.organisations[0].org_role, role::municipality);
  EXPECT_EQ(contents.organisations[1].created_at, "2024-01-02T08:00:00Z");
  ASSERT_EQ(contents.tokens.size(), 2U);
  EXPECT_EQ(contents.tokens[0].token_sha256, std::string(64, 'a'));
  EXPECT_EQ(contents.tokens[0].revoked_at, std::optional<std::string>("2024-03-01T10:00:00Z"));
  EXPECT_EQ(contents.tokens[1].token_role, role::admin);
  EXPECT_EQ(contents.tokens[1].revoked_at, std::nullopt);
  ASSERT_EQ(contents.publisher_keys.size(), 1U);
  EXPECT_EQ(contents.publisher_keys[0].document, R"({ "key_id": "key-b1",  "public_key": "AAAA" })");
  ASSERT_EQ(contents.submissions.size(), 3U);
  EXPECT_EQ(contents.submissions[0].status, submission_status::superseded);
  ASSERT_EQ(contents.submissions[0].history.size(), 3U);
  EXPECT_EQ(contents.submissions[0].history[1].reason, "passt");
  EXPECT_EQ(contents.submissions[0].description_json, R"({"provider": {"id": "anbieter-b"}, "n": 1.50})");
  EXPECT_EQ(contents.submissions[1].library_base64, "f0VMRgIBAQI=");
  EXPECT_EQ(contents.submissions[2].size_bytes, 0);
  EXPECT_EQ(contents.last_submission_id, 4);
  ASSERT_EQ(contents.provider_owners.size(), 1U);
  ASSERT_EQ(contents.endorsements.size(), 2U);
  EXPECT_EQ(contents.endorsements[1].kind, domain::endorsement_kind::compatible_with_our_platform);
  ASSERT_EQ(contents.demand_counts.size(), 3U);
  EXPECT_EQ(contents.demand_counts[1].reason, "budget_annual");

  const auto written = to_json(contents);
  EXPECT_EQ(written.at("format_version"), 2);
  for (const auto& key : v2_keys) {
    EXPECT_EQ(boost::json::serialize(written.at(key)), boost::json::serialize(document.at(key))) << key;
  }
  const auto again = parse_store_contents(written);
  ASSERT_TRUE(again.ok()) << pointers_of(again.errors);
  EXPECT_EQ(boost::json::serialize(to_json(again.value)), boost::json::serialize(written));
}

TEST(transfer_json, a_version_1_export_still_reads_with_the_new_sections_empty) {
  const auto parsed = parse_store_contents(boost::json::parse(valid_export));
  ASSERT_TRUE(parsed.ok()) << pointers_of(parsed.errors);
  EXPECT_EQ(parsed.value.providers.size(), 1U);
  EXPECT_TRUE(parsed.value.tokens.empty());
  EXPECT_TRUE(parsed.value.submissions.empty());
  EXPECT_EQ(parsed.value.last_submission_id, 0);
  // It is written back as version 2.
  const auto written = to_json(parsed.value);
  EXPECT_EQ(written.at("format_version"), 2);
  for (const auto& key : v2_keys) {
    EXPECT_TRUE(written.as_object().contains(key)) << key;
  }
  // Version 1 knows no other section, and version 2 needs them all.
  EXPECT_THAT(errors_of(replaced(valid_export, R"("providers": [)", R"("tokens": [], "providers": [)")),
              Contains(Field(&domain::field_error::pointer, "/tokens")));
  auto incomplete = boost::json::parse(valid_v2_export());
  incomplete.as_object().erase("tokens");
  incomplete.as_object().erase("last_submission_id");
  const auto errors = errors_in(incomplete);
  EXPECT_THAT(errors, Contains(AllOf(Field(&domain::field_error::pointer, "/tokens"),
                                     Field(&domain::field_error::message, HasSubstr("is required")))));
  EXPECT_THAT(errors, Contains(Field(&domain::field_error::pointer, "/last_submission_id")));
}

TEST(transfer_json, every_problem_in_the_new_sections_is_reported_at_once_with_its_pointer) {
  auto document = boost::json::parse(valid_v2_export());
  document.at_pointer("/organisations/0/role") = "admin";
  document.at_pointer("/organisations/1/created_at") = "2024-01-02 08:00:00";
  document.at_pointer("/organisations/1/id") = "Start-up B";
  document.at_pointer("/tokens/0/token_sha256") = "ABC";
  document.at_pointer("/tokens/0").as_object().erase("label");
  document.at_pointer("/tokens/1/revoked_at") = "yesterday";
  document.at_pointer("/tokens/1/organisation") = "startup-b";
  document.at_pointer("/publisher_keys/0/document") = "not json";
  document.at_pointer("/submissions/0/status") = "approvedd";
  document.at_pointer("/submissions/0").as_object()["extra"] = 1;
  document.at_pointer("/submissions/1/library_base64") = "f0VMRg*BAQI=";
  document.at_pointer("/submissions/1/id") = 1.5;
  document.at_pointer("/submissions/2/size_bytes") = 9;
  document.at_pointer("/submissions/2/history/0/status") = 5;
  document.at_pointer("/submissions/1/description") = "[1, 2]";
  document.at_pointer("/endorsements/0/kind") = "likes";
  document.at_pointer("/demand_counts/0/count") = -1;
  document.at_pointer("/demand_counts/2/reason") = "budget_annual";
  const auto errors = errors_in(document);
  const auto listed = pointers_of(errors);
  for (const char* pointer :
       {"/organisations/0/role", "/organisations/1/created_at", "/organisations/1/id", "/tokens/0/token_sha256",
        "/tokens/0/label", "/tokens/1/revoked_at", "/tokens/1/organisation", "/publisher_keys/0/document",
        "/submissions/0/status", "/submissions/0/extra", "/submissions/1/library_base64", "/submissions/1/id",
        "/submissions/2/history/0/status", "/submissions/1/description", "/endorsements/0/kind",
        "/demand_counts/0/count", "/demand_counts/2/reason"}) {
    EXPECT_THAT(errors, Contains(Field(&domain::field_error::pointer, pointer))) << pointer << "\n" << listed;
  }
  EXPECT_THAT(errors, Contains(domain::field_error{
                          "/submissions/0/status", "must be one of pending, approved, rejected, superseded, withdrawn"}));
  EXPECT_THAT(errors, Contains(domain::field_error{"/organisations/0/role",
                                                   "must be one of municipality, publisher, curator"}));
  // The size is checked against the library only when both read; submission 2's did.
  EXPECT_THAT(errors, Contains(domain::field_error{"/submissions/2/size_bytes",
                                                   "is 9, but library_base64 holds 0 bytes"}));
}

TEST(transfer_json, duplicates_in_the_new_sections_are_refused_where_they_occur) {
  auto document = boost::json::parse(valid_v2_export());
  document.at_pointer("/tokens/1/id") = "tok_000000000001";
  document.at_pointer("/submissions/2/id") = 2;
  document.at_pointer("/endorsements/1/solution_id") = "a.workshop";
  document.at_pointer("/demand_counts/1/reason") = "";
  auto& organisations = document.at_pointer("/organisations").as_array();
  organisations.push_back(organisations[1]);
  const auto errors = errors_in(document);
  const auto listed = pointers_of(errors);
  for (const char* pointer :
       {"/tokens/1/id", "/submissions/2/id", "/endorsements/1/solution_id", "/demand_counts/1/reason",
        "/organisations/2/id"}) {
    EXPECT_THAT(errors, Contains(Field(&domain::field_error::pointer, pointer))) << pointer << "\n" << listed;
  }

  auto same_hash = boost::json::parse(valid_v2_export());
  same_hash.at_pointer("/tokens/1/token_sha256") = std::string(64, 'a');
  EXPECT_THAT(errors_in(same_hash), Contains(domain::field_error{"/tokens/1/token_sha256",
                                                                 "is the hash of token 'tok_000000000001' already"}));
}

TEST(transfer_json, the_counter_and_uploaded_providers_must_agree_with_the_submissions) {
  auto low_counter = boost::json::parse(valid_v2_export());
  low_counter.at_pointer("/last_submission_id") = 2;
  EXPECT_THAT(errors_in(low_counter),
              ElementsAre(AllOf(Field(&domain::field_error::pointer, "/last_submission_id"),
                                Field(&domain::field_error::message, HasSubstr("plugin submission 3")))));

  // The approved upload a provider came from is missing: hosts could not run its plugin, curators not withdraw it.
  auto missing = boost::json::parse(valid_v2_export());
  missing.at_pointer("/submissions").as_array().erase(missing.at_pointer("/submissions").as_array().begin() + 1);
  EXPECT_THAT(errors_in(missing),
              ElementsAre(domain::field_error{"/providers/1/plugin_file",
                                              "names plugin submission 2, which the file does not hold"}));

  auto other_provider = boost::json::parse(valid_v2_export());
  other_provider.at_pointer("/providers/1/plugin_file") = "submission:3";
  EXPECT_THAT(errors_in(other_provider),
              ElementsAre(AllOf(Field(&domain::field_error::pointer, "/providers/1/plugin_file"),
                                Field(&domain::field_error::message, HasSubstr("for provider 'anbieter-c'")))));

  // A version 1 file written before version 2 existed cannot carry the submission; the message says what to do.
  const auto v1_upload = replaced(valid_export, R"("plugin_file": "a.so")", R"("plugin_file": "submission:7")");
  EXPECT_THAT(errors_of(v1_upload),
              ElementsAre(AllOf(Field(&domain::field_error::pointer, "/providers/0/plugin_file"),
                                Field(&domain::field_error::message, HasSubstr("format_version 1")),
                                Field(&domain::field_error::message, HasSubstr("export again")))));
}

TEST(transfer_json, a_valid_export_parses_and_writes_back_identically) {
  const auto parsed = parse_store_contents(boost::json::parse(valid_export));
  ASSERT_TRUE(parsed.ok()) << parsed.errors.front().pointer << ": " << parsed.errors.front().message;
  ASSERT_EQ(parsed.value.providers.size(), 1U);
  EXPECT_EQ(parsed.value.providers[0].plugin_file, "a.so");
  ASSERT_EQ(parsed.value.profiles.size(), 1U);
  EXPECT_EQ(parsed.value.profiles[0].version, 3);
  const auto again = parse_store_contents(to_json(parsed.value));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(boost::json::serialize(to_json(again.value)), boost::json::serialize(to_json(parsed.value)));
}

TEST(transfer_json, every_problem_is_reported_with_its_pointer) {
  auto text = replaced(valid_export, R"("version": 3)", R"("version": 0)");
  text = replaced(text, R"("population": 800)", R"("population": -5)");
  text = replaced(text, R"("setup_eur": 2500)", R"("setup_eur": "viel")");
  text = replaced(text, R"("plugin_file": "a.so")", R"("plugin_file": "")");
  const auto errors = errors_of(text);
  EXPECT_THAT(errors, Contains(Field(&domain::field_error::pointer, "/municipalities/0/version")));
  EXPECT_THAT(errors, Contains(Field(&domain::field_error::pointer, "/municipalities/0/profile/population")));
  EXPECT_THAT(errors, Contains(Field(&domain::field_error::pointer, "/providers/0/solutions/0/cost/setup_eur")));
  EXPECT_THAT(errors, Contains(Field(&domain::field_error::pointer, "/providers/0/plugin_file")));
}

TEST(transfer_json, refuses_other_files_newer_formats_and_duplicates) {
  EXPECT_THAT(errors_of(R"({"providers": []})"),
              Contains(Field(&domain::field_error::message, HasSubstr("not a Lotse export"))));
  EXPECT_THAT(errors_of(replaced(valid_export, R"("format_version": 1)", R"("format_version": 3)")),
              Contains(Field(&domain::field_error::message, HasSubstr("newer"))));
  // The same AGS twice.
  auto twice = replaced(valid_export, R"("municipalities": [)",
                        R"("municipalities": [{"version": 1, "profile": {"ags": "07131001", "name": "Doppelt",
                           "population": 10, "maturity": {"stage": "start"},
                           "resources": {"budget_once_eur": 0, "budget_annual_eur": 0, "staff_fte": 0}}},)");
  EXPECT_THAT(errors_of(twice), Contains(Field(&domain::field_error::pointer, "/municipalities/1/profile/ags")));
  EXPECT_THAT(errors_of(replaced(valid_export, R"("format": "lotse-export",)", R"("format": "lotse-export", "extra": 1,)")),
              Contains(Field(&domain::field_error::pointer, "/extra")));
}

}  // namespace
}  // namespace lotse::catalog

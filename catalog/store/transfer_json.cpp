#include "catalog/store/transfer_json.hpp"

#include "catalog/domain/description_json.hpp"
#include "catalog/domain/profile_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

namespace lotse::catalog {
namespace json = boost::json;

namespace {

constexpr std::string_view format_name = "lotse-export";

void prefix_errors(const std::string& pointer, domain::field_errors&& from, domain::field_errors& into) {
  for (auto& error : from) {
    into.push_back({pointer + error.pointer, std::move(error.message)});
  }
}

const json::array* array_member(const json::object& object, std::string_view key, domain::field_errors& errors) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) {
    errors.push_back({"/" + std::string(key), "is required (an array, possibly empty)"});
    return nullptr;
  }
  if (!value->is_array()) {
    errors.push_back({"/" + std::string(key), "must be an array"});
    return nullptr;
  }
  return &value->get_array();
}

void check_known_keys(const json::object& object, const std::string& pointer,
                      std::initializer_list<std::string_view> known, domain::field_errors& errors) {
  for (const auto& member : object) {
    if (std::find(known.begin(), known.end(), member.key()) == known.end()) {
      errors.push_back({domain::append_pointer(pointer, member.key()), "is not a known field"});
    }
  }
}

void read_provider(const json::value& entry, const std::string& pointer, std::set<std::string>& ids,
                   store_contents& out, domain::field_errors& errors) {
  if (!entry.is_object()) {
    errors.push_back({pointer, "must be an object with plugin_file, provider and solutions"});
    return;
  }
  const auto& object = entry.get_object();
  check_known_keys(object, pointer, {"plugin_file", "provider", "solutions"}, errors);
  stored_provider stored;
  const auto* file = object.if_contains("plugin_file");
  if (file == nullptr || !file->is_string() || file->get_string().empty()) {
    errors.push_back({pointer + "/plugin_file", "must be the plugin's file name (a non-empty string)"});
  } else {
    stored.plugin_file = std::string(file->get_string());
  }
  // The description parser reads {"provider", "solutions"}; plugin_file is ours, so it is left out.
  json::object description;
  for (const auto key : {"provider", "solutions"}) {
    if (const auto* member = object.if_contains(key)) {
      description[key] = *member;
    }
  }
  auto parsed = domain::parse_provider_description(description);
  if (!parsed.ok()) {
    prefix_errors(pointer, std::move(parsed.errors), errors);
    return;
  }
  if (!ids.insert(parsed.value.provider_info.id).second) {
    errors.push_back({pointer + "/provider/id", "names provider '" + parsed.value.provider_info.id +
                                                    "' a second time"});
    return;
  }
  stored.description = std::move(parsed.value);
  out.providers.push_back(std::move(stored));
}

void read_profile(const json::value& entry, const std::string& pointer, std::set<std::string>& ags,
                  store_contents& out, domain::field_errors& errors) {
  if (!entry.is_object()) {
    errors.push_back({pointer, "must be an object with version and profile"});
    return;
  }
  const auto& object = entry.get_object();
  check_known_keys(object, pointer, {"version", "profile"}, errors);
  versioned_profile stored;
  const auto* version = object.if_contains("version");
  json::error_code ec;
  const auto number = version != nullptr && version->is_number() ? version->to_number<std::int64_t>(ec) : 0;
  if (version == nullptr || !version->is_number() || ec || number < 1) {
    errors.push_back({pointer + "/version", "must be a whole number ≥ 1"});
  }
  stored.version = number;
  const auto* profile = object.if_contains("profile");
  if (profile == nullptr) {
    errors.push_back({pointer + "/profile", "is required"});
    return;
  }
  auto parsed = domain::parse_profile(*profile);
  if (!parsed.ok()) {
    prefix_errors(pointer + "/profile", std::move(parsed.errors), errors);
    return;
  }
  if (!ags.insert(parsed.value.ags).second) {
    errors.push_back({pointer + "/profile/ags", "names AGS " + parsed.value.ags + " a second time"});
    return;
  }
  stored.profile = std::move(parsed.value);
  out.profiles.push_back(std::move(stored));
}

// What a string member must look like, with the message for one that does not.
struct text_rule {
  bool (*valid)(std::string_view);
  std::string_view expectation;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "2024-05-01T12:00:00Z", as sql_support's utc_timestamp writes it. Tokens expire by comparing such texts, so a
// time in another shape would compare wrongly rather than fail.
bool is_utc_time(std::string_view text) {
  constexpr std::string_view shape = "0000-00-00T00:00:00Z";
  if (text.size() != shape.size()) {
    return false;
  }
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == '0' ? !is_digit(text[i]) : text[i] != shape[i]) {
      return false;
    }
  }
  return true;
}

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); });
}

bool is_json_object_text(std::string_view text) {
  json::error_code ec;
  const auto parsed = json::parse(text, ec);
  return !ec && parsed.is_object();
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '+' || c == '/';
}

// Where the padding of a base64 text begins.
std::size_t base64_body_size(std::string_view text) {
  const auto last = text.find_last_not_of('=');
  return last == std::string_view::npos ? 0 : last + 1;
}

// Standard base64 with padding, as host/publishing stores uploaded libraries.
bool is_base64(std::string_view text) {
  const auto body = base64_body_size(text);
  return text.size() % 4 == 0 && text.size() - body <= 2 &&
         std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(body), is_base64_char);
}

std::int64_t base64_decoded_size(std::string_view text) {
  return static_cast<std::int64_t>(text.size() / 4 * 3 - (text.size() - base64_body_size(text)));
}

constexpr text_rule any_text{[](std::string_view) { return true; }, "must be a string"};
constexpr text_rule non_empty_text{[](std::string_view text) { return !text.empty(); }, "must be a non-empty string"};
constexpr text_rule utc_time{is_utc_time, "must be a UTC time like \"2024-05-01T12:00:00Z\""};
constexpr text_rule sha256_hex{is_sha256_hex, "must be 64 lowercase hex digits (a SHA-256)"};
constexpr text_rule json_object_text{is_json_object_text, "must be a string holding a JSON object"};
constexpr text_rule base64_text{is_base64, "must be standard base64 (A-Z, a-z, 0-9, '+', '/', padded with '=')"};

// The same rules as account_store::ensure_organisation, so that an imported organisation is one the store could
// have registered.
bool is_organisation_id(std::string_view id, role r) {
  if (r == role::municipality) {
    return id.size() == 8 && std::all_of(id.begin(), id.end(), is_digit);
  }
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-';
  });
}

std::optional<role> parse_organisation_role(std::string_view text) {
  const auto parsed = parse_role(text);
  return parsed == role::admin ? std::nullopt : parsed;
}

std::optional<std::string> parse_demand_event(std::string_view text) {
  if (text == demand_event::shown || text == demand_event::excluded) {
    return std::string(text);
  }
  return std::nullopt;
}

// Reads the members of one object, noting a problem for each member that is missing or malformed (its value is then
// left empty); ok() says whether this object read cleanly, so that the caller keeps only entries that did.
class member_reader {
 public:
  member_reader(const json::object& object, std::string pointer, domain::field_errors& errors)
      : object_(object), pointer_(std::move(pointer)), errors_(errors), errors_before_(errors.size()) {}

  bool ok() const { return errors_.size() == errors_before_; }
  std::string at(std::string_view key) const { return domain::append_pointer(pointer_, key); }
  void problem(std::string_view key, std::string message) { errors_.push_back({at(key), std::move(message)}); }

  std::string text(std::string_view key, const text_rule& rule) {
    const auto* value = object_.if_contains(key);
    if (value == nullptr || !value->is_string() || !rule.valid(value->get_string())) {
      problem(key, std::string(rule.expectation));
      return {};
    }
    return std::string(value->get_string());
  }

  // Present and null, or a UTC time: when a token or key was revoked, if it was.
  std::optional<std::string> optional_time(std::string_view key) {
    const auto* value = object_.if_contains(key);
    if (value != nullptr && value->is_null()) {
      return std::nullopt;
    }
    if (value == nullptr || !value->is_string() || !is_utc_time(value->get_string())) {
      problem(key, "must be null or a UTC time like \"2024-05-01T12:00:00Z\"");
      return std::nullopt;
    }
    return std::string(value->get_string());
  }

  std::int64_t whole(std::string_view key, std::int64_t minimum) {
    const auto* value = object_.if_contains(key);
    json::error_code ec;
    const auto number = value != nullptr && value->is_number() ? value->to_number<std::int64_t>(ec) : 0;
    if (value == nullptr || !value->is_number() || ec || number < minimum) {
      problem(key, "must be a whole number ≥ " + std::to_string(minimum));
      return 0;
    }
    return number;
  }

  // One of a fixed set of names; `names` lists them for the message.
  template <typename Parse>
  auto choice(std::string_view key, Parse&& parse, std::string_view names) -> decltype(parse(std::string_view())) {
    const auto* value = object_.if_contains(key);
    if (value != nullptr && value->is_string()) {
      if (auto parsed = parse(std::string_view(value->get_string()))) {
        return parsed;
      }
    }
    problem(key, "must be one of " + std::string(names));
    return std::nullopt;
  }

 private:
  const json::object& object_;
  std::string pointer_;
  domain::field_errors& errors_;
  std::size_t errors_before_;
};

const json::object* entry_object(const json::value& entry, const std::string& pointer,
                                 std::initializer_list<std::string_view> known, domain::field_errors& errors) {
  if (!entry.is_object()) {
    errors.push_back({pointer, "must be an object"});
    return nullptr;
  }
  check_known_keys(entry.get_object(), pointer, known, errors);
  return &entry.get_object();
}

constexpr std::string_view role_names = "municipality, publisher, curator, admin";
constexpr std::string_view organisation_role_names = "municipality, publisher, curator";
constexpr std::string_view status_names = "pending, approved, rejected, superseded, withdrawn";
constexpr std::string_view demand_event_names = "shown, excluded";

// Keys already seen in one section, so that a duplicate is reported where it occurs.
template <typename Key>
bool first_time(std::set<Key>& seen, Key key) {
  return seen.insert(std::move(key)).second;
}

void read_organisation(const json::value& entry, const std::string& pointer, std::set<std::string>& ids,
                       store_contents& out, domain::field_errors& errors) {
  const auto* object = entry_object(entry, pointer, {"id", "role", "name", "created_at"}, errors);
  if (object == nullptr) {
    return;
  }
  member_reader in(*object, pointer, errors);
  organisation_record row;
  row.id = in.text("id", non_empty_text);
  const auto org_role = in.choice("role", parse_organisation_role, organisation_role_names);
  row.name = in.text("name", any_text);
  row.created_at = in.text("created_at", utc_time);
  if (org_role) {
    row.org_role = *org_role;
    if (!row.id.empty() && !is_organisation_id(row.id, row.org_role)) {
      in.problem("id", row.org_role == role::municipality
                           ? "must be the municipality's 8-digit AGS"
                           : "must be 1 to 64 characters of a-z, 0-9, '_' and '-'");
    }
  }
  if (!in.ok()) {
    return;
  }
  if (!first_time(ids, row.id)) {
    in.problem("id", "names organisation '" + row.id + "' a second time");
    return;
  }
  out.organisations.push_back(std::move(row));
}

void read_token(const json::value& entry, const std::string& pointer, std::set<std::string>& ids,
                std::map<std::string, std::string>& hashes, store_contents& out, domain::field_errors& errors) {
  const auto* object = entry_object(
      entry, pointer,
      {"id", "token_sha256", "role", "organisation", "label", "created_at", "expires_at", "revoked_at"}, errors);
  if (object == nullptr) {
    return;
  }
  member_reader in(*object, pointer, errors);
  token_record row;
  row.id = in.text("id", non_empty_text);
  row.token_sha256 = in.text("token_sha256", sha256_hex);
  const auto token_role = in.choice("role", parse_role, role_names);
  row.organisation = in.text("organisation", any_text);
  row.label = in.text("label", any_text);
  row.created_at = in.text("created_at", utc_time);
  row.expires_at = in.text("expires_at", utc_time);
  row.revoked_at = in.optional_time("revoked_at");
  const auto* organisation = object->if_contains("organisation");
  if (token_role && organisation != nullptr && organisation->is_string()) {
    row.token_role = *token_role;
    // As `lotse-host token create` makes them: requests are attributed to the token's organisation.
    if (row.token_role == role::admin && !row.organisation.empty()) {
      in.problem("organisation", "must be \"\" for an admin token, which belongs to no organisation");
    } else if (row.token_role != role::admin && row.organisation.empty()) {
      in.problem("organisation", "must name the organisation of a " + std::string(name_of(row.token_role)) +
                                     " token");
    }
  }
  if (!in.ok()) {
    return;
  }
  if (!first_time(ids, row.id)) {
    in.problem("id", "names token '" + row.id + "' a second time");
    return;
  }
  if (const auto [other, inserted] = hashes.try_emplace(row.token_sha256, row.id); !inserted) {
    in.problem("token_sha256", "is the hash of token '" + other->second + "' already");
    return;
  }
  out.tokens.push_back(std::move(row));
}

void read_publisher_key(const json::value& entry, const std::string& pointer, std::set<std::string>& ids,
                        store_contents& out, domain::field_errors& errors) {
  const auto* object =
      entry_object(entry, pointer, {"key_id", "organisation", "document", "registered_at", "revoked_at"}, errors);
  if (object == nullptr) {
    return;
  }
  member_reader in(*object, pointer, errors);
  publisher_key_record row;
  row.key_id = in.text("key_id", non_empty_text);
  row.organisation = in.text("organisation", non_empty_text);
  row.document = in.text("document", json_object_text);
  row.registered_at = in.text("registered_at", utc_time);
  row.revoked_at = in.optional_time("revoked_at");
  if (!in.ok()) {
    return;
  }
  if (!first_time(ids, row.key_id)) {
    in.problem("key_id", "names publisher key '" + row.key_id + "' a second time");
    return;
  }
  out.publisher_keys.push_back(std::move(row));
}

std::optional<submission_event> read_event(const json::value& entry, const std::string& pointer,
                                           domain::field_errors& errors) {
  const auto* object = entry_object(entry, pointer, {"at", "status", "actor", "reason"}, errors);
  if (object == nullptr) {
    return std::nullopt;
  }
  member_reader in(*object, pointer, errors);
  submission_event event;
  event.at = in.text("at", utc_time);
  const auto status = in.choice("status", parse_submission_status, status_names);
  event.actor = in.text("actor", any_text);
  event.reason = in.text("reason", any_text);
  if (!in.ok()) {
    return std::nullopt;
  }
  event.status = *status;
  return event;
}

void read_submission(const json::value& entry, const std::string& pointer, std::set<std::int64_t>& ids,
                     store_contents& out, domain::field_errors& errors) {
  const auto* object = entry_object(entry, pointer,
                                    {"id", "organisation", "provider_id", "file_name", "file_sha256", "size_bytes",
                                     "key_id", "status", "submitted_at", "updated_at", "description", "report",
                                     "signature", "library_base64", "history"},
                                    errors);
  if (object == nullptr) {
    return;
  }
  member_reader in(*object, pointer, errors);
  submission_record row;
  row.id = in.whole("id", 1);
  row.organisation = in.text("organisation", non_empty_text);
  row.provider_id = in.text("provider_id", non_empty_text);
  row.file_name = in.text("file_name", non_empty_text);
  row.file_sha256 = in.text("file_sha256", sha256_hex);
  row.size_bytes = in.whole("size_bytes", 0);
  row.key_id = in.text("key_id", non_empty_text);
  const auto status = in.choice("status", parse_submission_status, status_names);
  row.submitted_at = in.text("submitted_at", utc_time);
  row.updated_at = in.text("updated_at", utc_time);
  row.description_json = in.text("description", json_object_text);
  row.report_json = in.text("report", json_object_text);
  row.signature_json = in.text("signature", json_object_text);
  row.library_base64 = in.text("library_base64", base64_text);
  if (status) {
    row.status = *status;
  }
  // The size is what curators and publishers are shown; a library that decodes to another size was cut short.
  if (in.ok() && base64_decoded_size(row.library_base64) != row.size_bytes) {
    in.problem("size_bytes", "is " + std::to_string(row.size_bytes) + ", but library_base64 holds " +
                                 std::to_string(base64_decoded_size(row.library_base64)) + " bytes");
  }
  const auto* history = object->if_contains("history");
  if (history == nullptr || !history->is_array() || history->get_array().empty()) {
    in.problem("history", "must be an array of the submission's events, oldest first (at least the upload)");
  } else {
    const auto history_pointer = in.at("history");
    for (std::size_t i = 0; i < history->get_array().size(); ++i) {
      if (auto event = read_event(history->get_array()[i], domain::append_pointer(history_pointer, i), errors)) {
        row.history.push_back(std::move(*event));
      }
    }
  }
  if (!in.ok()) {
    return;
  }
  if (!first_time(ids, row.id)) {
    in.problem("id", "names plugin submission " + std::to_string(row.id) + " a second time");
    return;
  }
  out.submissions.push_back(std::move(row));
}

void read_provider_owner(const json::value& entry, const std::string& pointer, std::set<std::string>& ids,
                         store_contents& out, domain::field_errors& errors) {
  const auto* object = entry_object(entry, pointer, {"provider_id", "organisation"}, errors);
  if (object == nullptr) {
    return;
  }
  member_reader in(*object, pointer, errors);
  provider_owner row;
  row.provider_id = in.text("provider_id", non_empty_text);
  row.organisation = in.text("organisation", non_empty_text);
  if (!in.ok()) {
    return;
  }
  if (!first_time(ids, row.provider_id)) {
    in.problem("provider_id", "names the owner of provider '" + row.provider_id + "' a second time");
    return;
  }
  out.provider_owners.push_back(std::move(row));
}

void read_endorsement(const json::value& entry, const std::string& pointer,
                      std::set<std::pair<std::string, std::string>>& keys, store_contents& out,
                      domain::field_errors& errors) {
  const auto* object = entry_object(entry, pointer, {"curator", "solution_id", "kind", "created_at"}, errors);
  if (object == nullptr) {
    return;
  }
  member_reader in(*object, pointer, errors);
  endorsement_record row;
  row.curator_id = in.text("curator", non_empty_text);
  row.solution_id = in.text("solution_id", non_empty_text);
  const auto kind = in.choice("kind", domain::parse_name<domain::endorsement_kind>, domain::all_names<domain::endorsement_kind>());
  row.created_at = in.text("created_at", utc_time);
  if (!in.ok()) {
    return;
  }
  row.kind = *kind;
  if (!first_time(keys, std::pair(row.curator_id, row.solution_id))) {
    in.problem("solution_id", "is endorsed by '" + row.curator_id + "' a second time");
    return;
  }
  out.endorsements.push_back(std::move(row));
}

void read_demand_count(const json::value& entry, const std::string& pointer,
                       std::set<std::tuple<std::string, std::string, std::string>>& keys, store_contents& out,
                       domain::field_errors& errors) {
  const auto* object = entry_object(entry, pointer, {"solution_id", "event", "reason", "count"}, errors);
  if (object == nullptr) {
    return;
  }
  member_reader in(*object, pointer, errors);
  demand_count row;
  row.solution_id = in.text("solution_id", non_empty_text);
  const auto event = in.choice("event", parse_demand_event, demand_event_names);
  row.reason = in.text("reason", any_text);
  row.count = in.whole("count", 0);
  if (event) {
    row.event = *event;
    if (row.event == demand_event::shown && !row.reason.empty()) {
      in.problem("reason", "must be \"\" for a shown count; only exclusions have reasons");
    }
  }
  if (!in.ok()) {
    return;
  }
  if (!first_time(keys, std::tuple(row.solution_id, row.event, row.reason))) {
    in.problem("reason", "counts " + row.event + " '" + row.reason + "' of solution '" + row.solution_id +
                             "' a second time");
    return;
  }
  out.demand_counts.push_back(std::move(row));
}

// Reads one of the list sections of version 2; `read` is called with each entry and its pointer.
template <typename Read>
void read_section(const json::object& object, std::string_view key, domain::field_errors& errors, Read&& read) {
  if (const auto* list = array_member(object, key, errors)) {
    const auto pointer = domain::append_pointer("", key);
    for (std::size_t i = 0; i < list->size(); ++i) {
      read((*list)[i], domain::append_pointer(pointer, i));
    }
  }
}

// What only the whole file can tell: the counter against the submissions, and that every provider from an upload
// comes with the submission it was approved from (hosts run such a provider's plugin from that submission).
// Indexes are those of the file, because this runs only when every entry read.
void check_references(const store_contents& contents, std::int64_t format_version, domain::field_errors& errors) {
  std::map<std::int64_t, const submission_record*> submissions;
  for (std::size_t i = 0; i < contents.submissions.size(); ++i) {
    const auto& row = contents.submissions[i];
    submissions.emplace(row.id, &row);
    if (row.id > contents.last_submission_id) {
      errors.push_back({"/last_submission_id", "is " + std::to_string(contents.last_submission_id) +
                                                   ", below the id of plugin submission " + std::to_string(row.id) +
                                                   " (/submissions/" + std::to_string(i) +
                                                   "); new submissions would reuse its id"});
    }
  }
  for (std::size_t p = 0; p < contents.providers.size(); ++p) {
    const auto& stored = contents.providers[p];
    const std::string_view file = stored.plugin_file;
    if (!file.starts_with(submission_file_prefix)) {
      continue;
    }
    const auto pointer = "/providers/" + std::to_string(p) + "/plugin_file";
    const auto number = file.substr(submission_file_prefix.size());
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), id);
    if (number.empty() || ec != std::errc() || end != number.data() + number.size()) {
      errors.push_back({pointer, "names an upload ('" + stored.plugin_file + "') by something that is not a "
                                 "submission id"});
      continue;
    }
    const auto found = submissions.find(id);
    if (found == submissions.end()) {
      errors.push_back({pointer, "names plugin submission " + std::to_string(id) + ", which the file does not hold" +
                                     (format_version < 2 ? std::string("; a format_version 1 file carries no "
                                                                       "submissions, so export again with this "
                                                                       "version of Lotse")
                                                         : std::string())});
    } else if (found->second->provider_id != stored.description.provider_info.id) {
      errors.push_back({pointer, "names plugin submission " + std::to_string(id) + ", which is for provider '" +
                                     found->second->provider_id + "'"});
    }
  }
}

}  // namespace

json::value to_json(const store_contents& contents) {
  json::array providers;
  for (const auto& stored : contents.providers) {
    auto description = domain::to_json(stored.description).as_object();
    json::object entry{{"plugin_file", stored.plugin_file}};
    entry["provider"] = std::move(description["provider"]);
    entry["solutions"] = std::move(description["solutions"]);
    providers.push_back(std::move(entry));
  }
  json::array municipalities;
  for (const auto& stored : contents.profiles) {
    municipalities.push_back(json::object{{"version", stored.version}, {"profile", domain::to_json(stored.profile)}});
  }
  json::array organisations;
  for (const auto& row : contents.organisations) {
    organisations.push_back(json::object{
        {"id", row.id}, {"role", name_of(row.org_role)}, {"name", row.name}, {"created_at", row.created_at}});
  }
  const auto optional_time = [](const std::optional<std::string>& time) {
    return time ? json::value(*time) : json::value(nullptr);
  };
  json::array tokens;
  for (const auto& row : contents.tokens) {
    tokens.push_back(json::object{{"id", row.id},
                                  {"token_sha256", row.token_sha256},
                                  {"role", name_of(row.token_role)},
                                  {"organisation", row.organisation},
                                  {"label", row.label},
                                  {"created_at", row.created_at},
                                  {"expires_at", row.expires_at},
                                  {"revoked_at", optional_time(row.revoked_at)}});
  }
  json::array publisher_keys;
  for (const auto& row : contents.publisher_keys) {
    publisher_keys.push_back(json::object{{"key_id", row.key_id},
                                          {"organisation", row.organisation},
                                          {"document", row.document},
                                          {"registered_at", row.registered_at},
                                          {"revoked_at", optional_time(row.revoked_at)}});
  }
  json::array submissions;
  for (const auto& row : contents.submissions) {
    json::array history;
    for (const auto& event : row.history) {
      history.push_back(json::object{
          {"at", event.at}, {"status", name_of(event.status)}, {"actor", event.actor}, {"reason", event.reason}});
    }
    // The library last: it is by far the longest member, and the others stay readable at the start of the entry.
    submissions.push_back(json::object{{"id", row.id},
                                       {"organisation", row.organisation},
                                       {"provider_id", row.provider_id},
                                       {"file_name", row.file_name},
                                       {"file_sha256", row.file_sha256},
                                       {"size_bytes", row.size_bytes},
                                       {"key_id", row.key_id},
                                       {"status", name_of(row.status)},
                                       {"submitted_at", row.submitted_at},
                                       {"updated_at", row.updated_at},
                                       {"history", std::move(history)},
                                       {"description", row.description_json},
                                       {"report", row.report_json},
                                       {"signature", row.signature_json},
                                       {"library_base64", row.library_base64}});
  }
  json::array provider_owners;
  for (const auto& row : contents.provider_owners) {
    provider_owners.push_back(json::object{{"provider_id", row.provider_id}, {"organisation", row.organisation}});
  }
  json::array endorsements;
  for (const auto& row : contents.endorsements) {
    endorsements.push_back(json::object{{"curator", row.curator_id},
                                        {"solution_id", row.solution_id},
                                        {"kind", domain::name_of(row.kind)},
                                        {"created_at", row.created_at}});
  }
  json::array demand_counts;
  for (const auto& row : contents.demand_counts) {
    demand_counts.push_back(json::object{
        {"solution_id", row.solution_id}, {"event", row.event}, {"reason", row.reason}, {"count", row.count}});
  }
  return json::object{{"format", format_name},
                      {"format_version", transfer_format_version},
                      {"providers", std::move(providers)},
                      {"municipalities", std::move(municipalities)},
                      {"organisations", std::move(organisations)},
                      {"tokens", std::move(tokens)},
                      {"publisher_keys", std::move(publisher_keys)},
                      {"submissions", std::move(submissions)},
                      {"last_submission_id", contents.last_submission_id},
                      {"provider_owners", std::move(provider_owners)},
                      {"endorsements", std::move(endorsements)},
                      {"demand_counts", std::move(demand_counts)}};
}

domain::parsed<store_contents> parse_store_contents(const json::value& json) {
  domain::parsed<store_contents> result;
  auto& errors = result.errors;
  if (!json.is_object()) {
    errors.push_back({"", "must be a JSON object written by lotse-host export"});
    return result;
  }
  const auto& object = json.get_object();
  const auto* format = object.if_contains("format");
  if (format == nullptr || !format->is_string() || format->get_string() != format_name) {
    errors.push_back({"/format", "must be \"lotse-export\"; this is not a Lotse export file"});
    return result;
  }
  const auto* version = object.if_contains("format_version");
  if (version == nullptr || !version->is_int64() || version->get_int64() < 1) {
    errors.push_back({"/format_version", "must be a whole number ≥ 1"});
    return result;
  }
  if (version->get_int64() > transfer_format_version) {
    errors.push_back({"/format_version", "is " + std::to_string(version->get_int64()) +
                                             ", newer than version " + std::to_string(transfer_format_version) +
                                             " which this build reads; use a newer Lotse build"});
    return result;
  }
  const auto format_version = version->get_int64();
  if (format_version == 1) {
    check_known_keys(object, "", {"format", "format_version", "providers", "municipalities"}, errors);
  } else {
    check_known_keys(object, "",
                     {"format", "format_version", "providers", "municipalities", "organisations", "tokens",
                      "publisher_keys", "submissions", "last_submission_id", "provider_owners", "endorsements",
                      "demand_counts"},
                     errors);
  }
  if (const auto* providers = array_member(object, "providers", errors)) {
    std::set<std::string> ids;
    for (std::size_t i = 0; i < providers->size(); ++i) {
      read_provider((*providers)[i], domain::append_pointer("/providers", i), ids, result.value, errors);
    }
  }
  if (const auto* municipalities = array_member(object, "municipalities", errors)) {
    std::set<std::string> ags;
    for (std::size_t i = 0; i < municipalities->size(); ++i) {
      read_profile((*municipalities)[i], domain::append_pointer("/municipalities", i), ags, result.value, errors);
    }
  }
  // Version 1 had nothing else: its other sections stay empty and the counter 0.
  if (format_version >= 2) {
    auto& out = result.value;
    std::set<std::string> organisation_ids;
    read_section(object, "organisations", errors, [&](const json::value& entry, const std::string& pointer) {
      read_organisation(entry, pointer, organisation_ids, out, errors);
    });
    std::set<std::string> token_ids;
    std::map<std::string, std::string> token_hashes;
    read_section(object, "tokens", errors, [&](const json::value& entry, const std::string& pointer) {
      read_token(entry, pointer, token_ids, token_hashes, out, errors);
    });
    std::set<std::string> key_ids;
    read_section(object, "publisher_keys", errors, [&](const json::value& entry, const std::string& pointer) {
      read_publisher_key(entry, pointer, key_ids, out, errors);
    });
    std::set<std::int64_t> submission_ids;
    read_section(object, "submissions", errors, [&](const json::value& entry, const std::string& pointer) {
      read_submission(entry, pointer, submission_ids, out, errors);
    });
    member_reader top(object, "", errors);
    out.last_submission_id = top.whole("last_submission_id", 0);
    std::set<std::string> owned;
    read_section(object, "provider_owners", errors, [&](const json::value& entry, const std::string& pointer) {
      read_provider_owner(entry, pointer, owned, out, errors);
    });
    std::set<std::pair<std::string, std::string>> endorsed;
    read_section(object, "endorsements", errors, [&](const json::value& entry, const std::string& pointer) {
      read_endorsement(entry, pointer, endorsed, out, errors);
    });
    std::set<std::tuple<std::string, std::string, std::string>> counted;
    read_section(object, "demand_counts", errors, [&](const json::value& entry, const std::string& pointer) {
      read_demand_count(entry, pointer, counted, out, errors);
    });
  }
  // A solution id may belong to one provider only; the store would refuse it, but here it gets a pointer. Only
  // when everything else read, so that the indexes below are those of the file.
  if (!errors.empty()) {
    return result;
  }
  check_references(result.value, format_version, errors);
  std::map<std::string, std::string> owners;
  for (std::size_t p = 0; p < result.value.providers.size(); ++p) {
    const auto& description = result.value.providers[p].description;
    for (std::size_t s = 0; s < description.solutions.size(); ++s) {
      const auto& id = description.solutions[s].id;
      const auto [owner, inserted] = owners.try_emplace(id, description.provider_info.id);
      if (!inserted) {
        errors.push_back({"/providers/" + std::to_string(p) + "/solutions/" + std::to_string(s) + "/id",
                          "solution id '" + id + "' belongs to provider '" + owner->second + "' already"});
      }
    }
  }
  return result;
}

}  // namespace lotse::catalog

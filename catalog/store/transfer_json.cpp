#include "catalog/store/transfer_json.hpp"

#include "catalog/domain/description_json.hpp"
#include "catalog/domain/profile_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>

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
  return json::object{{"format", format_name},
                      {"format_version", transfer_format_version},
                      {"providers", std::move(providers)},
                      {"municipalities", std::move(municipalities)}};
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
  check_known_keys(object, "", {"format", "format_version", "providers", "municipalities"}, errors);
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
  // A solution id may belong to one provider only; the store would refuse it, but here it gets a pointer. Only
  // when everything else read, so that the indexes below are those of the file.
  if (!errors.empty()) {
    return result;
  }
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

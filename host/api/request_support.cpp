#include "host/api/request_support.hpp"

#include "catalog/domain/profile_json.hpp"
#include "host/http/problem.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace lotse::api {
namespace json = boost::json;
using boost::beast::http::status;

http::response validation_problem(std::string_view what, const domain::field_errors& errors) {
  constexpr std::size_t shown_in_detail = 5;
  json::array list;
  std::string detail = std::string(what) + " has " + std::to_string(errors.size()) +
                       (errors.size() == 1 ? " invalid field" : " invalid fields") + ": ";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    list.push_back(json::object{{"pointer", errors[i].pointer}, {"message", errors[i].message}});
    if (i < shown_in_detail) {
      detail += (i > 0 ? "; " : "") + (errors[i].pointer.empty() ? std::string("(document)") : errors[i].pointer) +
                " " + errors[i].message;
    }
  }
  if (errors.size() > shown_in_detail) {
    detail += "; …";
  }
  return http::problem(status::unprocessable_entity, "Validation failed", detail,
                       json::object{{"type", "urn:lotse:problem:validation"}, {"errors", std::move(list)}});
}

profile_reference read_profile_reference(const json::value& body, std::initializer_list<std::string_view> other_keys,
                                         domain::field_errors& errors) {
  profile_reference out;
  if (!body.is_object()) {
    errors.push_back({"", "must be an object with \"profile\" or \"ags\""});
    return out;
  }
  const auto& object = body.get_object();
  for (const auto& entry : object) {
    const std::string_view key(entry.key().data(), entry.key().size());
    if (key != "profile" && key != "ags" && std::find(other_keys.begin(), other_keys.end(), key) == other_keys.end()) {
      errors.push_back({"/" + std::string(key), "is not a known field"});
    }
  }
  const auto* profile = object.if_contains("profile");
  const auto* ags = object.if_contains("ags");
  if ((profile == nullptr) == (ags == nullptr)) {
    errors.push_back({"", "must contain either \"profile\" (an inline municipality profile) or \"ags\" (a stored one)"});
  } else if (profile != nullptr) {
    auto parsed = domain::parse_profile(*profile);
    for (auto& error : parsed.errors) {
      errors.push_back({"/profile" + error.pointer, std::move(error.message)});
    }
    out.profile = std::move(parsed.value);
  } else if (!ags->is_string() || ags->get_string().size() != 8 ||
             ags->get_string().find_first_not_of("0123456789") != json::string::npos) {
    errors.push_back({"/ags", "must be exactly 8 digits"});
  } else {
    out.ags = std::string(ags->get_string());
  }
  return out;
}

std::variant<domain::profile, http::response> resolve_profile(profile_reference reference, const catalog::store& store) {
  if (reference.profile) {
    return std::move(*reference.profile);
  }
  auto stored = store.get_profile(reference.ags);
  if (!stored) {
    return http::problem(status::not_found, "Not Found",
                         "There is no stored profile for AGS " + reference.ags +
                             "; save one with PUT /api/v1/municipalities/" + reference.ags +
                             " or send the profile inline.");
  }
  return std::move(stored->profile);
}

std::optional<std::int64_t> read_whole_number(const json::object& object, std::string_view key, std::int64_t min,
                                              std::int64_t max, domain::field_errors& errors) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) {
    return std::nullopt;
  }
  json::error_code ec;
  const auto number = value->is_number() ? value->to_number<std::int64_t>(ec) : min - 1;
  if (!value->is_number() || ec || number < min || number > max) {
    errors.push_back({"/" + std::string(key),
                      "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max)});
    return std::nullopt;
  }
  return number;
}

}  // namespace lotse::api

// What the /api/v1 routes share: the 422 problem for field errors, and requests that name their municipality
// either inline ({"profile": {…}}) or by a stored profile's AGS ({"ags": "…"}), as match and roadmap do.
#pragma once

#include "catalog/domain/model.hpp"
#include "catalog/domain/validation.hpp"
#include "catalog/store/store.hpp"
#include "host/http/message.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace lotse::api {

// 422 application/problem+json listing every field error as {pointer, message}; `what` names the document
// ("The profile", "The match request").
http::response validation_problem(std::string_view what, const domain::field_errors& errors);

struct profile_reference {
  std::optional<domain::profile> profile;  // inline
  std::string ags;                         // or a stored profile's AGS
};

// Reads "profile" or "ags" from a request object (exactly one must be present) and reports keys other than those
// and `other_keys` as unknown. Profile errors carry the prefix "/profile".
profile_reference read_profile_reference(const boost::json::value& body, std::initializer_list<std::string_view> other_keys,
                                         domain::field_errors& errors);

// The inline profile, or the stored one; a 404 problem when the AGS has no stored profile.
std::variant<domain::profile, http::response> resolve_profile(profile_reference reference, const catalog::store& store);

// A whole-number member within [min, max]; nullopt when absent, or with an error entry when out of range.
std::optional<std::int64_t> read_whole_number(const boost::json::object& object, std::string_view key, std::int64_t min,
                                              std::int64_t max, domain::field_errors& errors);

}  // namespace lotse::api

// A municipality profile to and from JSON, with validation of every field (see docs/matching.md).
#pragma once

#include "catalog/domain/model.hpp"
#include "catalog/domain/validation.hpp"

#include <boost/json/value.hpp>

namespace lotse::domain {

parsed<profile> parse_profile(const boost::json::value& json);
boost::json::value to_json(const profile& value);

}  // namespace lotse::domain

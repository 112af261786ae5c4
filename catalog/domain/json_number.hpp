// Boost.JSON 1.81 writes every double in exponent form ("6.5E3"). Valid JSON, but people read our answers with
// curl: amounts that are whole numbers go out as integers ("6500"), everything else stays a double.
#pragma once

#include <boost/json/value.hpp>

#include <cmath>
#include <cstdint>

namespace lotse::domain {

inline boost::json::value json_number(double value) {
  constexpr double exact_integer_limit = 9007199254740992.0;  // 2^53
  if (std::isfinite(value) && std::trunc(value) == value && std::abs(value) < exact_integer_limit) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

}  // namespace lotse::domain

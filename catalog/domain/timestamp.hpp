// The one text form of a point in time that Lotse stores and shows: ISO 8601 in UTC with second precision
// ("2024-01-01T00:00:00Z"). It is the one date type SQLite and PostgreSQL share as TEXT, and it sorts chronologically
// as text, so expiry dates compare as strings.
#pragma once

#include <chrono>
#include <ctime>
#include <string>

namespace lotse::domain {

inline std::string iso_utc(std::chrono::system_clock::time_point at) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[sizeof "2024-01-01T00:00:00Z"];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace lotse::domain

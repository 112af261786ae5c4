#pragma once

#include <string>
#include <string_view>

namespace lotse::http {

// A client-supplied X-Request-Id is kept when it is 1-128 visible ASCII characters (0x21-0x7E); spaces and
// control characters are refused so the id stays a single token in log lines.
bool is_acceptable_request_id(std::string_view candidate) noexcept;

// 16 random lowercase hex characters (64 bits).
std::string generate_request_id();

// The client's id when acceptable, otherwise a fresh one.
std::string choose_request_id(std::string_view client_supplied);

}  // namespace lotse::http

// Results of validating untrusted JSON (a profile from a clerk, a description from a plugin): every problem is
// collected, each with the RFC 6901 JSON pointer of the offending field, so one answer lists all of them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lotse::domain {

struct field_error {
  std::string pointer;  // e.g. "/solutions/2/cost/setup_eur"; "" for the document itself
  std::string message;  // e.g. "must be a number ≥ 0"

  friend bool operator==(const field_error&, const field_error&) = default;
};

using field_errors = std::vector<field_error>;

// Builds RFC 6901 pointers: "~" becomes "~0" and "/" becomes "~1" inside a reference token.
std::string append_pointer(std::string_view base, std::string_view token);
std::string append_pointer(std::string_view base, std::size_t index);

// A parse outcome: invalid input is an expected result, not an exception.
template <typename T>
struct parsed {
  T value{};  // complete only when errors is empty
  field_errors errors;

  bool ok() const { return errors.empty(); }
};

}  // namespace lotse::domain

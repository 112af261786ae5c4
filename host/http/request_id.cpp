#include "host/http/request_id.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

namespace lotse::http {

bool is_acceptable_request_id(std::string_view candidate) noexcept {
  constexpr std::size_t max_length = 128;
  return !candidate.empty() && candidate.size() <= max_length &&
         std::all_of(candidate.begin(), candidate.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

std::string generate_request_id() {
  // One engine per thread: no locking on the request path, and each is seeded independently.
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }()};
  static constexpr char digits[] = "0123456789abcdef";
  std::uint64_t bits = engine();
  std::string id(16, '0');
  for (auto& c : id) {
    c = digits[bits & 0xf];
    bits >>= 4;
  }
  return id;
}

std::string choose_request_id(std::string_view client_supplied) {
  return is_acceptable_request_id(client_supplied) ? std::string{client_supplied} : generate_request_id();
}

}  // namespace lotse::http

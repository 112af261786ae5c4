#include "host/auth/auth.hpp"

#include "catalog/domain/timestamp.hpp"

#include <boost/beast/http/field.hpp>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <stdexcept>
#include <utility>

namespace lotse::auth {
namespace {

constexpr std::string_view token_prefix = "lotse_";
constexpr std::size_t token_random_bytes = 32;
constexpr std::size_t token_text_length = 43;  // unpadded base64 of 32 bytes
constexpr std::size_t token_id_random_bytes = 6;  // 12 hex digits

// Every distinct well-formed token costs one cache entry until the cache is cleared; clearing it when it grows past
// this bound keeps a client sending random tokens from growing memory, at the price of some re-reads.
constexpr std::size_t max_cached_answers = 10'000;

constexpr std::string_view invalid_token = "The token is not valid (unknown, expired or revoked).";
constexpr std::string_view malformed_header =
    "The Authorization header is malformed; send 'Authorization: Bearer <token>'.";

void ensure_sodium() {
  // sodium_init seeds the CSPRNG and picks implementations; it must run before any other libsodium call.
  static const bool ready = sodium_init() >= 0;
  if (!ready) {
    throw std::runtime_error("libsodium could not be initialised");
  }
}

std::string hex_of(const unsigned char* bytes, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, size);
  out.pop_back();  // the terminating NUL
  return out;
}

std::string sha256_hex(std::string_view text) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return hex_of(digest.data(), digest.size());
}

bool is_base64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Whether text can be a token issue_token made. Anything else cannot be in the store, so it is refused without a
// database read and without taking a cache entry.
bool has_token_shape(std::string_view text) {
  return text.size() == token_prefix.size() + token_text_length && text.starts_with(token_prefix) &&
         std::all_of(text.begin() + static_cast<std::ptrdiff_t>(token_prefix.size()), text.end(), is_base64url);
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The token of "Bearer <token>" (RFC 6750: the scheme is case-insensitive, then one or more spaces), or nullopt.
std::optional<std::string_view> bearer_token(std::string_view header) {
  const auto space = header.find_first_of(" \t");
  if (space == std::string_view::npos || !equals_ignoring_case(header.substr(0, space), "bearer")) {
    return std::nullopt;
  }
  auto rest = header.substr(space);
  while (!rest.empty() && is_blank(rest.front())) {
    rest.remove_prefix(1);
  }
  while (!rest.empty() && is_blank(rest.back())) {
    rest.remove_suffix(1);
  }
  if (rest.empty() || std::any_of(rest.begin(), rest.end(), is_blank)) {
    return std::nullopt;
  }
  return rest;
}

}  // namespace

issued_token issue_token(catalog::account_store& accounts, role token_role, std::string_view organisation,
                         std::string_view organisation_name, std::string_view label, std::chrono::hours validity) {
  if (validity <= std::chrono::hours::zero()) {
    throw std::invalid_argument("a token must be valid for a positive time");
  }
  if (token_role == role::admin) {
    if (!organisation.empty()) {
      throw std::invalid_argument("an admin token belongs to no organisation, but '" + std::string(organisation) +
                                  "' was given");
    }
  } else {
    if (organisation.empty()) {
      throw std::invalid_argument("a " + std::string(catalog::name_of(token_role)) + " token needs an organisation");
    }
    accounts.ensure_organisation({std::string(organisation), token_role,
                                  std::string(organisation_name.empty() ? organisation : organisation_name)});
  }

  ensure_sodium();
  std::array<unsigned char, token_random_bytes> secret{};
  randombytes_buf(secret.data(), secret.size());
  std::string encoded(sodium_base64_ENCODED_LEN(secret.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), secret.data(), secret.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(secret.data(), secret.size());
  encoded.resize(token_text_length);  // ENCODED_LEN counts the terminating NUL

  std::array<unsigned char, token_id_random_bytes> id_bytes{};
  randombytes_buf(id_bytes.data(), id_bytes.size());

  issued_token issued;
  issued.token = std::string(token_prefix) + encoded;
  sodium_memzero(encoded.data(), encoded.size());
  const auto now = std::chrono::system_clock::now();
  auto& record = issued.record;
  record.id = "tok_" + hex_of(id_bytes.data(), id_bytes.size());
  record.token_sha256 = sha256_hex(issued.token);
  record.token_role = token_role;
  record.organisation = std::string(organisation);
  record.label = std::string(label);
  record.created_at = domain::iso_utc(now);
  record.expires_at = domain::iso_utc(now + validity);
  accounts.add_token(record);
  return issued;
}

authenticator::authenticator(const catalog::account_store& accounts, std::chrono::milliseconds cache_ttl)
    : accounts_(accounts), cache_ttl_(cache_ttl) {
  ensure_sodium();
}

auth_result authenticator::authenticate(const http::request& req) const {
  const auto header = req.find(boost::beast::http::field::authorization);
  if (header == req.end()) {
    return std::optional<principal>{};
  }
  const auto value = header->value();
  const auto token = bearer_token(std::string_view(value.data(), value.size()));
  if (!token) {
    return auth_failure{std::string(malformed_header)};
  }
  if (!has_token_shape(*token)) {
    return auth_failure{std::string(invalid_token)};
  }

  // Looked up by hash: the store never sees the token, and nothing secret is compared byte by byte here.
  const std::string hash = sha256_hex(*token);
  const auto now = std::chrono::steady_clock::now();
  std::optional<catalog::token_record> record;
  bool cached = false;
  {
    const std::lock_guard lock(mutex_);
    if (const auto found = cache_.find(hash); found != cache_.end() && now - found->second.fetched < cache_ttl_) {
      record = found->second.record;
      cached = true;
    }
  }
  if (!cached) {
    // Read outside the lock, so one slow database read does not hold up every other request. Two requests with the
    // same token may both read; the later answer wins, and both are equally fresh.
    record = accounts_.find_token_by_sha256(hash);
    const std::lock_guard lock(mutex_);
    if (cache_.size() >= max_cached_answers && cache_.find(hash) == cache_.end()) {
      cache_.clear();
    }
    cache_.insert_or_assign(hash, cached_answer{record, now});
  }

  // Expiry is checked on every request, not cached: the record says when, and the clock moves on.
  if (!record || record->revoked_at || record->expires_at <= domain::iso_utc(std::chrono::system_clock::now())) {
    return auth_failure{std::string(invalid_token)};
  }
  return std::optional<principal>{principal{record->token_role, record->organisation, record->id}};
}

}  // namespace lotse::auth

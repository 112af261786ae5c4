// Bearer tokens: issuing them (256 random bits from libsodium, shown once, stored only as their SHA-256) and telling
// who a request comes from. docs/api.md ("Authentication") describes the header and the roles.
//
// Token text: "lotse_" followed by the 43-character unpadded base64url form of 32 random bytes. The prefix lets
// secret scanners and people recognise a leaked token.
#pragma once

#include "catalog/store/account_store.hpp"
#include "host/http/message.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace lotse::auth {

using catalog::role;

// The caller of one request, as its token says.
struct principal {
  role caller_role = role::publisher;
  std::string organisation;  // "" for admin
  std::string token_id;
};

struct issued_token {
  std::string token;  // the secret: shown once, never stored
  catalog::token_record record;
};

// Creates the organisation if needed (account_store::ensure_organisation, named organisation_name or the id) and a
// new token for it, valid for `validity`. Throws std::invalid_argument for an organisation id the role does not
// allow (admin: must be ""; the others: see ensure_organisation), store_error as the store does.
issued_token issue_token(catalog::account_store& accounts, role token_role, std::string_view organisation,
                         std::string_view organisation_name, std::string_view label, std::chrono::hours validity);

// Why a request's credentials were not accepted: one sentence for the 401 problem's detail. Deliberately does not
// say whether an unknown token ever existed.
struct auth_failure {
  std::string reason;
};

// nullopt: the request carries no Authorization header (an anonymous caller).
using auth_result = std::variant<std::optional<principal>, auth_failure>;

// Checks "Authorization: Bearer <token>" against the account store. Answers for a token are cached for at most
// cache_ttl, so a busy client costs one database read per TTL, and a revocation takes effect on every host within
// the TTL. Thread-safe. Throws store_unavailable when the database cannot be asked (the caller answers 503).
class authenticator {
 public:
  explicit authenticator(const catalog::account_store& accounts,
                         std::chrono::milliseconds cache_ttl = std::chrono::seconds(5));

  auth_result authenticate(const http::request& req) const;

 private:
  struct cached_answer {
    std::optional<catalog::token_record> record;
    std::chrono::steady_clock::time_point fetched;
  };

  const catalog::account_store& accounts_;
  std::chrono::milliseconds cache_ttl_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, cached_answer, std::less<>> cache_;  // by token SHA-256; bounded (see auth.cpp)
};

}  // namespace lotse::auth

// Who may use the API: organisations, their bearer tokens and publishers' signing keys, kept in the catalog database
// so that every host sharing it knows them. Tokens are stored only as the SHA-256 of their text: a copy of the
// database does not let anyone call the API. Generating and checking tokens is host/auth's job; this is storage.
//
// Thread-safe, like store: every call leases its own connection. Expected outcomes (an unknown token, a key that
// belongs to someone else) are return values; store_error / store_unavailable as in store.hpp.
#pragma once

#include "catalog/store/store.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::catalog {

// The roles of ../shared/design/domain.md that a token can carry (anonymous is the absence of a token).
enum class role { municipality, publisher, curator, admin };

std::string_view name_of(role r);                      // "municipality", "publisher", "curator", "admin"
std::optional<role> parse_role(std::string_view text);  // nullopt for anything else

// A municipality (id = its 8-digit AGS), a publisher (a start-up or vendor) or a curator (an IT service provider,
// id as in profile.it.service_provider). Admin tokens belong to no organisation (organisation "").
struct organisation {
  std::string id;
  role org_role = role::publisher;
  std::string name;
};

struct token_record {
  std::string id;            // public, for listing and revoking: "tok_" + 12 hex digits
  std::string token_sha256;  // lowercase hex of the SHA-256 of the token text
  role token_role = role::publisher;
  std::string organisation;  // "" for admin
  std::string label;         // who or what it is for, free text
  std::string created_at;    // ISO 8601 UTC, as sql_support's utc_timestamp
  std::string expires_at;
  std::optional<std::string> revoked_at;
};

struct publisher_key_record {
  std::string key_id;        // signing::key_id_of
  std::string organisation;
  std::string document;      // the public key file's JSON (signing::public_key_json)
  std::string registered_at;
  std::optional<std::string> revoked_at;
};

enum class key_registration {
  added,
  already_registered,  // this organisation had registered this key before (revoked or not); nothing changed
  owned_by_other,      // another organisation registered this key; nothing changed
};

class account_store {
 public:
  explicit account_store(const store& s);

  // Creates the organisation, or leaves an existing one with the same role alone (its name too). Throws store_error
  // if it exists with another role (an id names one organisation in one role) and std::invalid_argument for an id
  // that is not [a-z0-9_-]{1,64} (or, for role municipality, not 8 digits) and for role admin, which has no
  // organisation.
  void ensure_organisation(const organisation& org);
  std::optional<organisation> find_organisation(std::string_view id) const;

  // Throws store_error if the id or the hash exists already (the caller generates both at random).
  void add_token(const token_record& token);
  std::optional<token_record> find_token_by_sha256(std::string_view token_sha256) const;
  std::vector<token_record> list_tokens() const;  // sorted by created_at, then id
  // Sets revoked_at; false when no token has this id. Revoking a revoked token keeps the first time.
  bool revoke_token(std::string_view id);

  // An empty registered_at is stored as the current time; read it back with publisher_keys.
  key_registration add_publisher_key(const publisher_key_record& key);
  std::vector<publisher_key_record> publisher_keys(std::string_view organisation) const;  // sorted by key_id
  // Sets revoked_at; false when this organisation has no such key.
  bool revoke_publisher_key(std::string_view organisation, std::string_view key_id);

 private:
  const store& store_;
};

}  // namespace lotse::catalog

#include "catalog/store/account_store.hpp"

#include "catalog/store/sql_support.hpp"
#include "catalog/store/store_session.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace lotse::catalog {
namespace {

using detail::access;
using detail::run;

constexpr std::array<std::pair<role, std::string_view>, 4> role_names = {{
    {role::municipality, "municipality"},
    {role::publisher, "publisher"},
    {role::curator, "curator"},
    {role::admin, "admin"},
}};

role role_from_column(const std::string& text, std::string_view table, const std::string& id) {
  if (const auto parsed = parse_role(text)) {
    return *parsed;
  }
  throw store_error("catalog store: the database is corrupted: " + std::string(table) + " row '" + id +
                    "' has the unknown role '" + text + "'");
}

bool is_municipality_id(std::string_view id) {
  return id.size() == 8 && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Ids appear in URLs, logs and the CLI's tables, so they are kept to characters that need no quoting anywhere.
bool is_organisation_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

void check_organisation_id(const organisation& org) {
  if (org.org_role == role::admin) {
    throw std::invalid_argument("an admin belongs to no organisation; organisation '" + org.id +
                                "' cannot have the role admin");
  }
  if (org.org_role == role::municipality) {
    if (!is_municipality_id(org.id)) {
      throw std::invalid_argument("the organisation id of a municipality must be its 8-digit AGS, not '" + org.id +
                                  "'");
    }
    return;
  }
  if (!is_organisation_id(org.id)) {
    throw std::invalid_argument("the organisation id '" + org.id +
                                "' is not 1 to 64 characters of a-z, 0-9, '_' and '-'");
  }
}

std::optional<std::string> optional_text(const std::string& value, soci::indicator indicator) {
  return indicator == soci::i_ok ? std::optional<std::string>(value) : std::nullopt;
}

// The columns every token read selects, in this order, and the row they are read into.
constexpr std::string_view token_columns =
    "id, token_sha256, role, organisation, label, created_at, expires_at, revoked_at";

struct token_row {
  std::string id;
  std::string token_sha256;
  std::string role_text;
  std::string organisation;
  std::string label;
  std::string created_at;
  std::string expires_at;
  std::string revoked_at;
  soci::indicator revoked_indicator = soci::i_null;

  template <typename Statement>
  void bind(Statement& statement) {
    statement.exchange(soci::into(id));
    statement.exchange(soci::into(token_sha256));
    statement.exchange(soci::into(role_text));
    statement.exchange(soci::into(organisation));
    statement.exchange(soci::into(label));
    statement.exchange(soci::into(created_at));
    statement.exchange(soci::into(expires_at));
    statement.exchange(soci::into(revoked_at, revoked_indicator));
  }

  token_record record() const {
    return {id, token_sha256, role_from_column(role_text, "api_tokens", id), organisation, label, created_at,
            expires_at, optional_text(revoked_at, revoked_indicator)};
  }
};

// Binds row to a SELECT of every token column (with an optional WHERE clause and its one parameter) and executes
// it; the caller fetches. The binding is done by hand because a statement built with `sql.prepare << …` is prepared
// and bound on construction, too early for the row's exchange calls.
void prepare_token_select(soci::statement& select, token_row& row, std::string_view where, const std::string* value) {
  select.alloc();
  row.bind(select);
  if (value != nullptr) {
    select.exchange(soci::use(*value));
  }
  select.prepare("SELECT " + std::string(token_columns) + " FROM api_tokens" + std::string(where));
  select.define_and_bind();
  select.execute();
}

}  // namespace

std::string_view name_of(role r) {
  for (const auto& [value, name] : role_names) {
    if (value == r) {
      return name;
    }
  }
  return "unknown";
}

std::optional<role> parse_role(std::string_view text) {
  for (const auto& [value, name] : role_names) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

account_store::account_store(const store& s) : store_(s) {}

void account_store::ensure_organisation(const organisation& org) {
  check_organisation_id(org);
  const std::string wanted_role(name_of(org.org_role));
  run(detail::state_of(store_), access::write, "registering organisation '" + org.id + "'", [&](soci::session& sql) {
    // Insert-if-absent and then read back, in one transaction: whichever host inserted first decides the role, and
    // everyone else sees that row (ON CONFLICT waits for a concurrent insert to commit).
    detail::write_transaction transaction(sql);
    const std::string created_at = detail::utc_timestamp();
    sql << "INSERT INTO organisations (id, role, name, created_at) VALUES (:id, :role, :name, :created_at)"
           " ON CONFLICT (id) DO NOTHING",
        soci::use(org.id), soci::use(wanted_role), soci::use(org.name), soci::use(created_at);
    std::string stored_role;
    sql << "SELECT role FROM organisations WHERE id = :id", soci::use(org.id), soci::into(stored_role);
    if (stored_role != wanted_role) {
      throw store_error("catalog store: organisation '" + org.id + "' exists with the role " + stored_role +
                        ", not " + wanted_role);
    }
    transaction.commit();
  });
}

std::optional<organisation> account_store::find_organisation(std::string_view id) const {
  const std::string key(id);
  return run(detail::state_of(store_), access::read, "reading organisation '" + key + "'",
             [&](soci::session& sql) -> std::optional<organisation> {
               std::string role_text;
               std::string name;
               sql << "SELECT role, name FROM organisations WHERE id = :id", soci::use(key), soci::into(role_text),
                   soci::into(name);
               if (!sql.got_data()) {
                 return std::nullopt;
               }
               return organisation{key, role_from_column(role_text, "organisations", key), name};
             });
}

void account_store::add_token(const token_record& token) {
  const std::string role_text(name_of(token.token_role));
  const std::string revoked_at = token.revoked_at.value_or("");
  soci::indicator revoked_indicator = token.revoked_at ? soci::i_ok : soci::i_null;
  // The log names the token by its public id only; its hash is as good as the token for a lookup.
  run(detail::state_of(store_), access::write, "adding token '" + token.id + "'", [&](soci::session& sql) {
    sql << "INSERT INTO api_tokens (id, token_sha256, role, organisation, label, created_at, expires_at, revoked_at)"
           " VALUES (:id, :token_sha256, :role, :organisation, :label, :created_at, :expires_at, :revoked_at)",
        soci::use(token.id), soci::use(token.token_sha256), soci::use(role_text), soci::use(token.organisation),
        soci::use(token.label), soci::use(token.created_at), soci::use(token.expires_at),
        soci::use(revoked_at, revoked_indicator);
  });
}

std::optional<token_record> account_store::find_token_by_sha256(std::string_view token_sha256) const {
  const std::string key(token_sha256);
  return run(detail::state_of(store_), access::read, "looking up a token",
             [&](soci::session& sql) -> std::optional<token_record> {
               token_row row;
               soci::statement select(sql);
               prepare_token_select(select, row, " WHERE token_sha256 = :token_sha256", &key);
               if (!select.fetch()) {
                 return std::nullopt;
               }
               return row.record();
             });
}

std::vector<token_record> account_store::list_tokens() const {
  return run(detail::state_of(store_), access::read, "listing tokens", [&](soci::session& sql) {
    token_row row;
    soci::statement select(sql);
    prepare_token_select(select, row, "", nullptr);
    std::vector<token_record> tokens;
    while (select.fetch()) {
      tokens.push_back(row.record());
    }
    // Sorted here, not in SQL: PostgreSQL would order TEXT by the database's collation, SQLite by bytes.
    std::sort(tokens.begin(), tokens.end(), [](const token_record& a, const token_record& b) {
      return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
    });
    return tokens;
  });
}

bool account_store::revoke_token(std::string_view id) {
  const std::string key(id);
  return run(detail::state_of(store_), access::write, "revoking token '" + key + "'", [&](soci::session& sql) {
    const std::string now = detail::utc_timestamp();
    std::string revoked;
    // COALESCE keeps the first revocation time: when a token stopped working is what an audit asks.
    sql << "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, :now) WHERE id = :id RETURNING id",
        soci::use(now), soci::use(key), soci::into(revoked);
    return sql.got_data();
  });
}

key_registration account_store::add_publisher_key(const publisher_key_record& key) {
  const std::string registered_at = key.registered_at.empty() ? detail::utc_timestamp() : key.registered_at;
  const std::string revoked_at = key.revoked_at.value_or("");
  soci::indicator revoked_indicator = key.revoked_at ? soci::i_ok : soci::i_null;
  return run(detail::state_of(store_), access::write, "registering publisher key '" + key.key_id + "'",
             [&](soci::session& sql) {
               // One statement decides, so two organisations registering one key at once cannot both get it.
               std::string inserted;
               sql << "INSERT INTO publisher_keys (key_id, organisation, document, registered_at, revoked_at)"
                      " VALUES (:key_id, :organisation, :document, :registered_at, :revoked_at)"
                      " ON CONFLICT (key_id) DO NOTHING RETURNING key_id",
                   soci::use(key.key_id), soci::use(key.organisation), soci::use(key.document),
                   soci::use(registered_at), soci::use(revoked_at, revoked_indicator), soci::into(inserted);
               if (sql.got_data()) {
                 return key_registration::added;
               }
               // A key's organisation never changes once stored, so this read cannot contradict the insert above.
               std::string owner;
               sql << "SELECT organisation FROM publisher_keys WHERE key_id = :key_id", soci::use(key.key_id),
                   soci::into(owner);
               return owner == key.organisation ? key_registration::already_registered
                                                : key_registration::owned_by_other;
             });
}

std::vector<publisher_key_record> account_store::publisher_keys(std::string_view organisation) const {
  const std::string owner(organisation);
  return run(detail::state_of(store_), access::read, "listing the publisher keys of '" + owner + "'",
             [&](soci::session& sql) {
               std::string key_id;
               std::string document;
               std::string registered_at;
               std::string revoked_at;
               soci::indicator revoked_indicator = soci::i_null;
               soci::statement select =
                   (sql.prepare << "SELECT key_id, document, registered_at, revoked_at FROM publisher_keys"
                                   " WHERE organisation = :organisation",
                    soci::use(owner), soci::into(key_id), soci::into(document), soci::into(registered_at),
                    soci::into(revoked_at, revoked_indicator));
               select.execute();
               std::vector<publisher_key_record> keys;
               while (select.fetch()) {
                 keys.push_back({key_id, owner, document, registered_at, optional_text(revoked_at, revoked_indicator)});
               }
               std::sort(keys.begin(), keys.end(), [](const publisher_key_record& a, const publisher_key_record& b) {
                 return a.key_id < b.key_id;
               });
               return keys;
             });
}

bool account_store::revoke_publisher_key(std::string_view organisation, std::string_view key_id) {
  const std::string owner(organisation);
  const std::string key(key_id);
  return run(detail::state_of(store_), access::write, "revoking publisher key '" + key + "'",
             [&](soci::session& sql) {
               const std::string now = detail::utc_timestamp();
               std::string revoked;
               sql << "UPDATE publisher_keys SET revoked_at = COALESCE(revoked_at, :now)"
                      " WHERE key_id = :key_id AND organisation = :organisation RETURNING key_id",
                   soci::use(now), soci::use(key), soci::use(owner), soci::into(revoked);
               return sql.got_data();
             });
}

}  // namespace lotse::catalog

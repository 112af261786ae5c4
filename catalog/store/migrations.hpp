// The store's schema as a list of versioned migrations, applied when a store opens. Every statement must run
// unchanged on SQLite and PostgreSQL (TEXT, BIGINT, DOUBLE PRECISION; no AUTOINCREMENT, no SERIAL).
#pragma once

#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace lotse::catalog {

struct migration {
  int version = 0;  // > 0, strictly ascending in a list
  std::string_view name;
  std::vector<std::string_view> statements;
};

// The history of the store's schema. Append only: a migration that has shipped never changes (databases in the
// field already ran it); a correction is a new migration.
const std::vector<migration>& store_migrations();

// Applies every migration of `migrations` that the database has not recorded in schema_migrations, in order, each
// in its own transaction together with its record, so a failing migration leaves no trace and the next open retries
// it. Returns the schema version afterwards. Throws store_error if the database records a version newer than the
// newest in `migrations` (written by a newer build: this one would misread it), or if a migration fails.
int apply_migrations(soci::session& sql, const std::vector<migration>& migrations);

// The highest version recorded in schema_migrations, 0 if none is. The table must exist (apply_migrations creates
// it).
int recorded_schema_version(soci::session& sql);

}  // namespace lotse::catalog

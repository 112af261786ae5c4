#include "catalog/store/migrations.hpp"

#include "catalog/store/sql_support.hpp"
#include "catalog/store/store.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace lotse::catalog {

const std::vector<migration>& store_migrations() {
  // Documents are the source of truth; the columns beside them exist to be indexed and filtered on. NOT NULL on
  // the TEXT primary keys because SQLite, unlike PostgreSQL, would otherwise accept NULL there.
  static const std::vector<migration> migrations = {
      {1,
       "catalog",
       {
           "CREATE TABLE providers ("
           " id TEXT NOT NULL PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " kind TEXT NOT NULL,"
           " plugin_file TEXT NOT NULL,"
           " document TEXT NOT NULL,"
           " updated_at TEXT NOT NULL)",
           "CREATE INDEX providers_plugin_file ON providers (plugin_file)",
           "CREATE TABLE solutions ("
           " id TEXT NOT NULL PRIMARY KEY,"
           " provider_id TEXT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,"
           " name TEXT NOT NULL,"
           " document TEXT NOT NULL)",
           "CREATE INDEX solutions_provider_id ON solutions (provider_id)",
       }},
      {2,
       "municipalities",
       {
           "CREATE TABLE municipalities ("
           " ags TEXT NOT NULL PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " district_ags TEXT NOT NULL,"
           " population BIGINT NOT NULL,"
           " document TEXT NOT NULL,"
           " version BIGINT NOT NULL,"
           " updated_at TEXT NOT NULL)",
           "CREATE INDEX municipalities_district_ags ON municipalities (district_ags)",
       }},
      {3,
       "catalog revision",
       {
           // One row counting catalog changes, so that every host sharing the database notices a change made
           // through another (store::catalog_revision).
           "CREATE TABLE catalog_state ("
           " id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),"
           " revision BIGINT NOT NULL)",
           "INSERT INTO catalog_state (id, revision) VALUES (1, 0)",
       }},
      {4,
       "accounts, publishing and curation",
       {
           // Who may call the API: organisations (a publisher, an IT service provider, a municipality by its AGS)
           // and their bearer tokens, of which only the SHA-256 is kept (account_store.hpp).
           "CREATE TABLE organisations ("
           " id TEXT NOT NULL PRIMARY KEY,"
           " role TEXT NOT NULL,"
           " name TEXT NOT NULL,"
           " created_at TEXT NOT NULL)",
           "CREATE TABLE api_tokens ("
           " id TEXT NOT NULL PRIMARY KEY,"
           " token_sha256 TEXT NOT NULL UNIQUE,"
           " role TEXT NOT NULL,"
           " organisation TEXT NOT NULL,"
           " label TEXT NOT NULL,"
           " created_at TEXT NOT NULL,"
           " expires_at TEXT NOT NULL,"
           " revoked_at TEXT)",
           // A publisher's Ed25519 public keys; uploads must be signed by one of its own, unrevoked keys.
           "CREATE TABLE publisher_keys ("
           " key_id TEXT NOT NULL PRIMARY KEY,"
           " organisation TEXT NOT NULL,"
           " document TEXT NOT NULL,"
           " registered_at TEXT NOT NULL,"
           " revoked_at TEXT)",
           "CREATE INDEX publisher_keys_organisation ON publisher_keys (organisation)",
           // Uploaded plugins (curation_store.hpp). The library travels base64-encoded in a TEXT column because
           // that is the one representation SQLite and PostgreSQL bind alike; every host materialises approved
           // plugins from here, so hosts stay stateless.
           "CREATE TABLE plugin_submissions ("
           " id BIGINT NOT NULL PRIMARY KEY,"
           " organisation TEXT NOT NULL,"
           " provider_id TEXT NOT NULL,"
           " file_name TEXT NOT NULL,"
           " file_sha256 TEXT NOT NULL,"
           " size_bytes BIGINT NOT NULL,"
           " key_id TEXT NOT NULL,"
           " status TEXT NOT NULL,"
           " library_base64 TEXT NOT NULL,"
           " signature TEXT NOT NULL,"
           " description TEXT NOT NULL,"
           " report TEXT NOT NULL,"
           " submitted_at TEXT NOT NULL,"
           " updated_at TEXT NOT NULL)",
           "CREATE INDEX plugin_submissions_organisation ON plugin_submissions (organisation)",
           "CREATE INDEX plugin_submissions_status ON plugin_submissions (status)",
           "CREATE TABLE submission_events ("
           " submission_id BIGINT NOT NULL REFERENCES plugin_submissions (id) ON DELETE CASCADE,"
           " seq INTEGER NOT NULL,"
           " at TEXT NOT NULL,"
           " status TEXT NOT NULL,"
           " actor TEXT NOT NULL,"
           " reason TEXT NOT NULL,"
           " PRIMARY KEY (submission_id, seq))",
           // Which publisher owns a provider id: set when its first version is approved, so no other publisher's
           // plugin can take the id over.
           "CREATE TABLE provider_owners ("
           " provider_id TEXT NOT NULL PRIMARY KEY,"
           " organisation TEXT NOT NULL)",
           "CREATE TABLE counters ("
           " name TEXT NOT NULL PRIMARY KEY,"
           " value BIGINT NOT NULL)",
           "INSERT INTO counters (name, value) VALUES ('plugin_submission', 0)",
           // An IT service provider's word on a solution; part of the catalog snapshot (it feeds the engine's
           // IT-dependency criterion), so changing it moves catalog_state.revision.
           "CREATE TABLE endorsements ("
           " curator TEXT NOT NULL,"
           " solution_id TEXT NOT NULL,"
           " kind TEXT NOT NULL,"
           " created_at TEXT NOT NULL,"
           " PRIMARY KEY (curator, solution_id))",
           // Demand signals: how often each solution was shown in match results or excluded, and why; counts only,
           // never which municipality.
           "CREATE TABLE demand_counts ("
           " solution_id TEXT NOT NULL,"
           " event TEXT NOT NULL,"
           " reason TEXT NOT NULL,"
           " count BIGINT NOT NULL,"
           " PRIMARY KEY (solution_id, event, reason))",
       }},
  };
  return migrations;
}

int recorded_schema_version(soci::session& sql) {
  int version = 0;
  soci::indicator version_indicator = soci::i_null;
  sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, version_indicator);
  return version_indicator == soci::i_ok ? version : 0;
}

namespace {

void check_order(const std::vector<migration>& migrations) {
  int previous = 0;
  for (const auto& step : migrations) {
    if (step.version <= previous) {
      throw std::logic_error("catalog store: migration versions must be positive and strictly ascending, found " +
                             std::to_string(step.version) + " after " + std::to_string(previous));
    }
    previous = step.version;
  }
}

bool is_recorded(soci::session& sql, int version) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :version", soci::use(version), soci::into(count);
  return count > 0;
}

void apply_one(soci::session& sql, const migration& step) {
  detail::write_transaction transaction(sql);
  // Checked again inside the transaction: another process opening the same database may have applied it
  // between our first look and taking the write lock.
  if (is_recorded(sql, step.version)) {
    return;
  }
  for (const auto statement : step.statements) {
    sql << std::string(statement);
  }
  const std::string name(step.name);
  const std::string applied_at = detail::utc_timestamp();
  sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:version, :name, :applied_at)",
      soci::use(step.version), soci::use(name), soci::use(applied_at);
  transaction.commit();
  spdlog::info("catalog store: applied migration {} ({})", step.version, step.name);
}

// Several hosts starting at once on one PostgreSQL database would race to create schema_migrations and to apply
// the same step (PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a concurrent one). A session-level
// advisory lock serialises them; SQLite needs none, BEGIN IMMEDIATE already does. The lock is released when this
// object goes away, and by the server if the connection dies.
class migration_lock {
 public:
  explicit migration_lock(soci::session& sql) : sql_(sql), held_(!detail::is_sqlite(sql)) {
    if (held_) {
      // "relation already exists, skipping" from CREATE TABLE IF NOT EXISTS is not worth a line on stderr.
      sql_ << "SET client_min_messages = warning";
      sql_ << "SELECT pg_advisory_lock(:key)", soci::use(key);
    }
  }
  ~migration_lock() {
    if (held_) {
      try {
        sql_ << "SELECT pg_advisory_unlock(:key)", soci::use(key);
      } catch (...) {
        // The connection is gone, and with it the lock.
      }
    }
  }
  migration_lock(const migration_lock&) = delete;
  migration_lock& operator=(const migration_lock&) = delete;

 private:
  static constexpr long long key = 0x4c6f747365;  // "Lotse"
  soci::session& sql_;
  bool held_;
};

}  // namespace

int apply_migrations(soci::session& sql, const std::vector<migration>& migrations) {
  check_order(migrations);
  const int known = migrations.empty() ? 0 : migrations.back().version;
  std::optional<migration_lock> lock;
  try {
    lock.emplace(sql);
  } catch (const soci::soci_error& e) {
    throw store_error("catalog store: taking the migration lock failed: " + e.get_error_message());
  }
  try {
    sql << "CREATE TABLE IF NOT EXISTS schema_migrations ("
           " version INTEGER NOT NULL PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " applied_at TEXT NOT NULL)";
    const int recorded = recorded_schema_version(sql);
    if (recorded > known) {
      throw store_error("catalog store: the database has schema version " + std::to_string(recorded) +
                        ", newer than version " + std::to_string(known) +
                        ", the newest this build of Lotse knows; refusing to open it (use a newer Lotse build)");
    }
  } catch (const soci::soci_error& e) {
    spdlog::error("catalog store: reading the schema version failed: {}", e.what());
    throw store_error("catalog store: reading the schema version failed: " + e.get_error_message());
  }
  for (const auto& step : migrations) {
    try {
      // Looked up outside a transaction first, so that re-opening an up-to-date database takes no write lock.
      if (!is_recorded(sql, step.version)) {
        apply_one(sql, step);
      }
    } catch (const soci::soci_error& e) {
      spdlog::error("catalog store: migration {} ({}) failed: {}", step.version, step.name, e.what());
      throw store_error("catalog store: migration " + std::to_string(step.version) + " (" + std::string(step.name) +
                        ") failed and was rolled back: " + e.get_error_message());
    }
  }
  try {
    return recorded_schema_version(sql);
  } catch (const soci::soci_error& e) {
    throw store_error("catalog store: reading the schema version failed: " + e.get_error_message());
  }
}

}  // namespace lotse::catalog

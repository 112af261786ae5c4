// The persistent catalog (providers and their solutions, as described by plugins) and the municipality profiles.
// Each entity is kept as its JSON document (domain::to_json) beside a few indexed columns; documents are read back
// through the domain parsers, so the store never holds a shape the domain cannot read.
//
// Thread-safe: every call leases its own connection from a pool. Several processes may share one database (that is
// how several hosts run on one PostgreSQL): every write is one transaction, and catalog_revision() tells a process
// that another one changed the catalog.
#pragma once

#include "catalog/domain/model.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::catalog {

class store;

namespace detail {
struct store_state;  // the connection pool and its reconnect bookkeeping (store_session.hpp)
// For the other parts of lotse_store (account_store, curation_store, demand_store), which share the pool.
store_state& state_of(const store& s);
}

// The store could not do what was asked: the database is unreachable or unopenable, its schema is too new, a
// document in it is corrupted, or a write would break an invariant of the catalog. The message is meant for an
// operator's log; it never contains SQL text.
class store_error : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

// The database cannot be reached right now (PostgreSQL is down or restarting, the network is gone, SQLite stayed
// locked past its busy timeout). Nothing was written, or for a write whose commit was interrupted nothing can be
// known, so the caller should say "try again shortly" (HTTP 503 with Retry-After). The store reconnects by itself:
// later calls succeed once the database is back, with no restart.
class store_unavailable : public store_error {
 public:
  using store_error::store_error;
};

// A stored profile and its version: 1 after the first save, incremented by every save. The version is what HTTP
// shows as the ETag, so two clients cannot overwrite each other's changes unknowingly.
struct versioned_profile {
  domain::profile profile;
  std::int64_t version = 0;
};

// What a conditional put_profile did. An expected outcome, so a return value and not an exception.
enum class put_outcome {
  created,              // there was no profile for this AGS; version is 1
  replaced,             // version is the new version
  precondition_failed,  // the stored version was not the expected one; version is the stored one (0: none stored)
};
struct put_result {
  put_outcome outcome;
  std::int64_t version;
};

// One provider as the store keeps it: its description and the plugin file that described it.
struct stored_provider {
  std::string plugin_file;
  domain::provider_description description;
};

// Everything a store holds, for export and import: catalog/store/store_contents.hpp.
struct store_contents;

struct store_options {
  // "sqlite:PATH" (PATH may be ":memory:") or "postgresql://…" / "postgres://…" (a libpq connection URI).
  std::string url;
  std::size_t pool_size = 4;  // connections; forced to 1 for sqlite::memory: (see store.cpp)
};

class store {
 public:
  // Opens the connection pool and applies pending migrations. Throws store_error for an unsupported or malformed
  // URL, a database that cannot be opened, or a schema newer than this build knows.
  static std::unique_ptr<store> open(const store_options& options);

  ~store();
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  int schema_version() const;

  // Replaces one provider and all its solutions atomically, remembering which plugin file described it. Throws
  // store_error, changing nothing, if a solution id already belongs to another provider, or if the provider comes
  // from an approved upload (a plugin directory cannot replace a curated provider). Throws
  // std::invalid_argument for a description that would not read back (the loader validates before this).
  void replace_provider(const domain::provider_description& description, std::string_view plugin_file);

  // Removes the providers (and their solutions) whose plugin file is not in keep_files, in one transaction;
  // returns the removed provider ids, sorted. Providers from approved uploads (curation_store.hpp) are not a host's
  // plugin files and stay.
  std::vector<std::string> remove_providers_except(const std::vector<std::string>& keep_files);

  // Every provider with its solutions; providers sorted by id, solutions by id (byte order of the ids).
  std::vector<domain::provider_description> load_catalog() const;

  // A number that changes whenever the catalog (providers, solutions) changes, in this process or any other sharing
  // the database. Hosts poll it to know when to reload their in-memory snapshot. Writes that change nothing (a
  // plugin described exactly as stored) leave it alone, so hosts restarting do not make the others reload.
  std::int64_t catalog_revision() const;

  // Saves a profile. expected_version: nullopt saves unconditionally; 0 only creates (precondition_failed if one
  // exists); N > 0 only replaces version N (precondition_failed if another version or none is stored).
  // Throws std::invalid_argument for a profile that would not read back.
  put_result put_profile(const domain::profile& profile, std::optional<std::int64_t> expected_version = std::nullopt);
  std::optional<versioned_profile> get_profile(std::string_view ags) const;
  std::size_t profile_count() const;

  // Whether the database answers now (one round trip); for health checks. Never throws.
  bool reachable() const noexcept;

  // The whole contents in one snapshot, and their import into an empty store: no providers, profiles,
  // organisations, tokens, keys, submissions, owners, endorsements or demand counts. import_contents writes
  // everything in one transaction and sets the submission counter to contents.last_submission_id; it throws
  // store_error, changing nothing, for a store that is not empty, and std::invalid_argument for contents that would
  // not read back or whose counter is below one of their submission ids.
  store_contents export_contents() const;
  void import_contents(const store_contents& contents);

 private:
  friend detail::store_state& detail::state_of(const store& s);
  explicit store(std::unique_ptr<detail::store_state> state);

  std::unique_ptr<detail::store_state> impl_;
};

}  // namespace lotse::catalog

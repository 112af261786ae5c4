// The persistent catalog (providers and their solutions, as described by plugins) and the municipality profiles.
// Each entity is kept as its JSON document (domain::to_json) beside a few indexed columns; documents are read back
// through the domain parsers, so the store never holds a shape the domain cannot read.
//
// Thread-safe: every call leases its own connection from a pool.
#pragma once

#include "catalog/domain/model.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::catalog {

// The store could not do what was asked: the database is unreachable or unopenable, its schema is too new, a
// document in it is corrupted, or a write would break an invariant of the catalog. The message is meant for an
// operator's log; it never contains SQL text.
class store_error : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

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
  // store_error, changing nothing, if a solution id already belongs to another provider. Throws
  // std::invalid_argument for a description that would not read back (the loader validates before this).
  void replace_provider(const domain::provider_description& description, std::string_view plugin_file);

  // Removes the providers (and their solutions) whose plugin file is not in keep_files, in one transaction;
  // returns the removed provider ids, sorted.
  std::vector<std::string> remove_providers_except(const std::vector<std::string>& keep_files);

  // Every provider with its solutions; providers sorted by id, solutions by id (byte order of the ids).
  std::vector<domain::provider_description> load_catalog() const;

  // Inserts, or replaces the profile with the same ags; each put increments the profile's stored version.
  // Throws std::invalid_argument for a profile that would not read back.
  void put_profile(const domain::profile& profile);
  std::optional<domain::profile> get_profile(std::string_view ags) const;
  std::size_t profile_count() const;

 private:
  struct impl;
  explicit store(std::unique_ptr<impl> state);

  std::unique_ptr<impl> impl_;
};

}  // namespace lotse::catalog

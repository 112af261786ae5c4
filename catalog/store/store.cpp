#include "catalog/store/store.hpp"

#include "catalog/domain/description_json.hpp"
#include "catalog/domain/profile_json.hpp"
#include "catalog/store/migrations.hpp"
#include "catalog/store/curation_store.hpp"
#include "catalog/store/sql_support.hpp"
#include "catalog/store/store_contents.hpp"
#include "catalog/store/store_session.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace lotse::catalog {

using detail::access;
using detail::first_line;
using detail::one_line;
using detail::run;

detail::store_state& detail::state_of(const store& s) { return *s.impl_; }

namespace {

struct database_target {
  const soci::backend_factory* factory = nullptr;
  std::string connect_string;
  std::string display;
  bool sqlite = false;
  std::size_t pool_size = 1;
};

// Only the host, port and database of a PostgreSQL URL appear in messages: its user info or query may hold a
// password.
std::string redact_postgresql_url(std::string_view url) {
  const auto scheme_end = url.find("://") + 3;
  auto rest = url.substr(scheme_end);
  rest = rest.substr(0, rest.find('?'));
  const auto path_start = rest.find('/');
  const auto at = rest.substr(0, path_start).rfind('@');
  if (at != std::string_view::npos) {
    rest = rest.substr(at + 1);
  }
  return std::string(url.substr(0, scheme_end)) + std::string(rest);
}

// SOCI's PostgreSQL backend reads its connect string as space-separated key=value pairs (to pick out options of its
// own) and mangles a URI, so the URI is taken apart by libpq's own parser and handed on as libpq keywords.
std::string postgresql_keywords(std::string_view url) {
  const std::string text(url);
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(text.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string why = parse_error != nullptr ? one_line(parse_error) : "out of memory";
    PQfreemem(parse_error);
    throw store_error("catalog store: the PostgreSQL URL " + redact_postgresql_url(url) + " is malformed: " + why);
  }
  std::string keywords;
  bool has_timeout = false;
  std::string bad_key;
  for (const auto* option = parsed; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) {
      continue;
    }
    const std::string_view key = option->keyword;
    std::string value = option->val;
    if (value.find_first_of(" \t\n\r\f\v'\\") != std::string::npos) {
      bad_key = std::string(key);  // SOCI would split or mis-read it; no quoting survives its parser
      break;
    }
    has_timeout = has_timeout || key == "connect_timeout";
    keywords += std::string(key) + "=" + value + " ";
  }
  PQconninfoFree(parsed);
  if (!bad_key.empty()) {
    throw store_error("catalog store: the PostgreSQL URL " + redact_postgresql_url(url) + " has a value for '" +
                      bad_key + "' with a space, quote or backslash, which cannot be passed on; for a password, "
                      "use a ~/.pgpass file (PGPASSFILE) instead");
  }
  // Without a timeout, connecting to a host that does not answer hangs as long as TCP retries; reconnecting after
  // an outage must fail fast and try again instead.
  if (!has_timeout) {
    keywords += "connect_timeout=5";
  }
  return keywords;
}

database_target parse_url(const store_options& options) {
  if (options.pool_size == 0) {
    throw store_error("catalog store: pool_size must be at least 1");
  }
  const std::string_view url = options.url;
  if (url.empty()) {
    throw store_error("catalog store: no database URL given; expected sqlite:PATH or postgresql://…");
  }
  if (url.starts_with("sqlite:")) {
    const std::string path(url.substr(std::string_view("sqlite:").size()));
    if (path.empty()) {
      throw store_error("catalog store: the URL 'sqlite:' names no database file; expected sqlite:PATH or "
                        "sqlite::memory:");
    }
    if (path.find('=') != std::string::npos) {
      // SOCI's SQLite backend reads a connect string containing '=' as "key=value" options, not as a path.
      throw store_error("catalog store: the SQLite path '" + path + "' contains '=', which is not supported");
    }
    // Every SQLite connection to ":memory:" opens a database of its own, so a pool of several connections would
    // scatter the data over several empty databases; one connection keeps one database.
    const bool in_memory = path == ":memory:";
    return {&soci::sqlite3, path, "SQLite database '" + path + "'", true, in_memory ? 1 : options.pool_size};
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return {&soci::postgresql, postgresql_keywords(url), "PostgreSQL database " + redact_postgresql_url(url), false,
            options.pool_size};
  }
  // Only the scheme is echoed: the rest of a URL may carry a password.
  const auto colon = url.find(':');
  const std::string scheme(colon == std::string_view::npos ? std::string_view("(none)") : url.substr(0, colon));
  throw store_error("catalog store: unsupported database URL scheme '" + scheme +
                    "'; expected sqlite:PATH or postgresql://…");
}

// Per-connection settings: foreign_keys and busy_timeout belong to the connection, not to the file, so every
// pooled connection needs them. journal_mode=WAL persists in the file; repeating it is cheap and covers a file
// created by someone else.
void configure_sqlite(soci::session& sql, const std::string& display) {
  sql << "PRAGMA foreign_keys = ON";
  int foreign_keys = 0;
  sql << "PRAGMA foreign_keys", soci::into(foreign_keys);
  if (foreign_keys != 1) {
    throw store_error("catalog store: " + display + ": this SQLite library does not enforce foreign keys");
  }
  int busy_timeout_ms = 0;
  sql << "PRAGMA busy_timeout = 5000", soci::into(busy_timeout_ms);
  std::string journal_mode;
  sql << "PRAGMA journal_mode = WAL", soci::into(journal_mode);
  if (journal_mode != "wal" && journal_mode != "memory") {
    spdlog::warn("catalog store: {} stays in journal mode '{}' instead of WAL; readers will block writers",
                 display, journal_mode);
  }
}

std::string first_problem(const domain::field_errors& errors) {
  const auto& first = errors.front();
  std::string text = (first.pointer.empty() ? std::string("document") : first.pointer) + ": " + first.message;
  if (errors.size() > 1) {
    text += " (and " + std::to_string(errors.size() - 1) + " more)";
  }
  return text;
}

// Reads back one stored document. A row that does not parse was not written by this store as it is: the
// database is corrupted (or edited by hand), and nothing sensible can be returned in its place.
template <typename Parse>
auto read_document(std::string_view kind, const std::string& row_id, const std::string& text, Parse&& parse) {
  const auto corrupted = [&](const std::string& why) {
    return store_error("catalog store: the database is corrupted: " + std::string(kind) + " '" + row_id + "' " + why);
  };
  boost::json::error_code ec;
  const auto json = boost::json::parse(text, ec);
  if (ec) {
    throw corrupted("has a document that is not JSON (" + ec.message() + ")");
  }
  auto parsed = parse(json);
  if (!parsed.ok()) {
    throw corrupted("has an invalid document: " + first_problem(parsed.errors));
  }
  return std::move(parsed.value);
}

void check_id(std::string_view kind, const std::string& row_id, const std::string& actual) {
  if (actual != row_id) {
    throw store_error("catalog store: the database is corrupted: " + std::string(kind) + " row '" + row_id +
                      "' holds the document of '" + actual + "'");
  }
}

}  // namespace

store::store(std::unique_ptr<detail::store_state> state) : impl_(std::move(state)) {}

store::~store() = default;

std::unique_ptr<store> store::open(const store_options& options) {
  const auto target = parse_url(options);
  auto state = std::make_unique<detail::store_state>();
  state->pool = std::make_unique<soci::connection_pool>(target.pool_size);
  state->sqlite = target.sqlite;
  state->display = target.display;
  state->slot_epoch.assign(target.pool_size, 0);
  try {
    for (std::size_t i = 0; i < target.pool_size; ++i) {
      auto& sql = state->pool->at(i);
      sql.open(*target.factory, target.connect_string);
      if (target.sqlite) {
        configure_sqlite(sql, target.display);
      }
    }
  } catch (const soci::soci_error& e) {
    spdlog::error("catalog store: cannot open {}: {}", target.display, e.what());
    throw store_error("catalog store: cannot open " + target.display + ": " + one_line(e.get_error_message()));
  }
  int version = 0;
  {
    soci::session sql(*state->pool);
    version = apply_migrations(sql, store_migrations());
  }
  spdlog::info("catalog store: opened {} ({} connection(s), schema version {})", target.display, target.pool_size,
               version);
  return std::unique_ptr<store>(new store(std::move(state)));
}

int store::schema_version() const {
  return run(*impl_, access::read, "reading the schema version",
             [&](soci::session& sql) { return recorded_schema_version(sql); });
}

void detail::bump_catalog_revision(soci::session& sql) {
  sql << "UPDATE catalog_state SET revision = revision + 1 WHERE id = 1";
}

namespace {

struct solution_row {
  std::string id;
  std::string name;
  std::string document;
};

// Whether the stored provider is exactly this one already (same plugin file, same documents), so that a host
// re-reading an unchanged plugin at start-up writes nothing and makes no other host reload.
bool stored_as(soci::session& sql, const std::string& provider_id, const std::string& plugin_file,
               const std::string& provider_document, const std::vector<solution_row>& solutions) {
  std::string stored_file;
  std::string stored_document;
  soci::indicator file_indicator = soci::i_null;
  sql << "SELECT plugin_file, document FROM providers WHERE id = :id", soci::use(provider_id),
      soci::into(stored_file, file_indicator), soci::into(stored_document);
  if (!sql.got_data() || stored_file != plugin_file || stored_document != provider_document) {
    return false;
  }
  std::map<std::string, std::string> stored;
  std::string id;
  std::string document;
  soci::statement select = (sql.prepare << "SELECT id, document FROM solutions WHERE provider_id = :provider_id",
                            soci::use(provider_id), soci::into(id), soci::into(document));
  select.execute();
  while (select.fetch()) {
    stored.emplace(id, document);
  }
  if (stored.size() != solutions.size()) {
    return false;
  }
  return std::all_of(solutions.begin(), solutions.end(), [&](const solution_row& row) {
    const auto found = stored.find(row.id);
    return found != stored.end() && found->second == row.document;
  });
}

}  // namespace

bool detail::write_provider(soci::session& sql, const domain::provider_description& description,
                            const std::string& file) {
  const auto& provider = description.provider_info;
  std::vector<solution_row> solutions;
  for (const auto& solution : description.solutions) {
    solutions.push_back({solution.id, solution.name, boost::json::serialize(domain::to_json(solution))});
  }
  const std::string provider_document = boost::json::serialize(domain::to_json(provider));
  const std::string kind(domain::name_of(provider.kind));

  for (const auto& solution : solutions) {
    std::string owner;
    soci::indicator owner_indicator = soci::i_null;
    sql << "SELECT provider_id FROM solutions WHERE id = :id", soci::use(solution.id),
        soci::into(owner, owner_indicator);
    if (sql.got_data() && owner != provider.id) {
      throw store_error("catalog store: solution id '" + solution.id + "' of provider '" + provider.id +
                        "' (plugin file '" + file + "') already belongs to provider '" + owner + "'; provider '" +
                        provider.id + "' was not stored");
    }
  }
  {
    // A provider comes either from a host's plugin directory or from an approved upload, never both: otherwise a
    // file dropped into a plugin directory could replace a curated provider, or an upload a host's own one.
    std::string stored_file;
    sql << "SELECT plugin_file FROM providers WHERE id = :id", soci::use(provider.id), soci::into(stored_file);
    const auto uploaded = [](std::string_view f) { return f.starts_with(submission_file_prefix); };
    if (sql.got_data() && uploaded(stored_file) != uploaded(file)) {
      throw store_error("catalog store: provider '" + provider.id + "' (from '" + file + "') is already provided by " +
                        (uploaded(stored_file) ? "an approved upload (" + stored_file + ")"
                                               : "the plugin file '" + stored_file + "' of a host's plugin directory") +
                        "; it was not replaced");
    }
  }
  if (stored_as(sql, provider.id, file, provider_document, solutions)) {
    return false;
  }

  const std::string updated_at = detail::utc_timestamp();
  sql << "INSERT INTO providers (id, name, kind, plugin_file, document, updated_at)"
         " VALUES (:id, :name, :kind, :plugin_file, :document, :updated_at)"
         " ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
         " plugin_file = excluded.plugin_file, document = excluded.document, updated_at = excluded.updated_at",
      soci::use(provider.id), soci::use(provider.name), soci::use(kind), soci::use(file),
      soci::use(provider_document), soci::use(updated_at);
  sql << "DELETE FROM solutions WHERE provider_id = :provider_id", soci::use(provider.id);

  std::string id;
  std::string name;
  std::string document;
  soci::statement insert = (sql.prepare << "INSERT INTO solutions (id, provider_id, name, document)"
                                           " VALUES (:id, :provider_id, :name, :document)",
                            soci::use(id), soci::use(provider.id), soci::use(name), soci::use(document));
  for (const auto& solution : solutions) {
    id = solution.id;
    name = solution.name;
    document = solution.document;
    insert.execute(true);
  }
  return true;
}

void detail::delete_provider(soci::session& sql, const std::string& provider_id) {
  // Solutions are deleted explicitly rather than by ON DELETE CASCADE alone, so that removal does not depend on
  // a connection setting (SQLite's foreign_keys pragma) having been applied.
  sql << "DELETE FROM solutions WHERE provider_id = :id", soci::use(provider_id);
  sql << "DELETE FROM providers WHERE id = :id", soci::use(provider_id);
}

namespace {

// Never write what could not be read back: load_catalog would then report the whole catalog as corrupted. The
// validation also rejects duplicate solution ids within the description.
void check_readable(const domain::provider_description& description) {
  if (const auto reread = domain::parse_provider_description(domain::to_json(description)); !reread.ok()) {
    throw std::invalid_argument("catalog store: provider '" + description.provider_info.id +
                                "' does not pass validation: " + first_problem(reread.errors));
  }
}

void check_readable(const domain::profile& profile) {
  if (const auto reread = domain::parse_profile(domain::to_json(profile)); !reread.ok()) {
    throw std::invalid_argument("catalog store: profile '" + profile.ags +
                                "' does not pass validation: " + first_problem(reread.errors));
  }
}

std::map<std::string, stored_provider> read_providers(soci::session& sql) {
  // One statement, so both backends read providers and solutions from one snapshot (two SELECTs under
  // PostgreSQL's READ COMMITTED could see a replace_provider in between). Sorting happens here, not in SQL:
  // PostgreSQL would order TEXT by the database's collation, SQLite by bytes.
  std::string provider_id;
  std::string plugin_file;
  std::string provider_document;
  std::string solution_id;
  std::string solution_document;
  soci::indicator solution_id_indicator = soci::i_null;
  soci::indicator solution_document_indicator = soci::i_null;
  soci::statement select =
      (sql.prepare << "SELECT p.id, p.plugin_file, p.document, s.id, s.document"
                      " FROM providers p LEFT JOIN solutions s ON s.provider_id = p.id",
       soci::into(provider_id), soci::into(plugin_file), soci::into(provider_document),
       soci::into(solution_id, solution_id_indicator), soci::into(solution_document, solution_document_indicator));
  select.execute();

  std::map<std::string, stored_provider> providers;  // std::string orders by bytes
  while (select.fetch()) {
    auto [entry, inserted] = providers.try_emplace(provider_id);
    auto& stored = entry->second;
    if (inserted) {
      stored.plugin_file = plugin_file;
      stored.description.provider_info = read_document("provider", provider_id, provider_document,
                                                       [](const auto& json) { return domain::parse_provider(json); });
      check_id("provider", provider_id, stored.description.provider_info.id);
    }
    if (solution_id_indicator == soci::i_ok && solution_document_indicator == soci::i_ok) {
      auto solution = read_document("solution", solution_id, solution_document, [&](const auto& json) {
        return domain::parse_solution(json, provider_id);
      });
      check_id("solution", solution_id, solution.id);
      stored.description.solutions.push_back(std::move(solution));
    }
  }
  for (auto& [id, stored] : providers) {
    auto& solutions = stored.description.solutions;
    std::sort(solutions.begin(), solutions.end(),
              [](const domain::solution& a, const domain::solution& b) { return a.id < b.id; });
  }
  return providers;
}

versioned_profile read_profile(const std::string& ags, const std::string& document, std::int64_t version) {
  auto profile =
      read_document("municipality", ags, document, [](const auto& json) { return domain::parse_profile(json); });
  check_id("municipality", ags, profile.ags);
  return {std::move(profile), version};
}

void insert_profile(soci::session& sql, const domain::profile& profile, std::int64_t version) {
  const std::string document = boost::json::serialize(domain::to_json(profile));
  const std::int64_t population = profile.population;
  const std::string updated_at = detail::utc_timestamp();
  sql << "INSERT INTO municipalities (ags, name, district_ags, population, document, version, updated_at)"
         " VALUES (:ags, :name, :district_ags, :population, :document, :version, :updated_at)",
      soci::use(profile.ags), soci::use(profile.name), soci::use(profile.district_ags), soci::use(population),
      soci::use(document), soci::use(version), soci::use(updated_at);
}

}  // namespace

void store::replace_provider(const domain::provider_description& description, std::string_view plugin_file) {
  check_readable(description);
  const std::string file(plugin_file);
  run(*impl_, access::write, "replacing provider '" + description.provider_info.id + "'", [&](soci::session& sql) {
    detail::write_transaction transaction(sql);
    if (detail::write_provider(sql, description, file)) {
      detail::bump_catalog_revision(sql);
    }
    transaction.commit();
  });
}

std::vector<std::string> store::remove_providers_except(const std::vector<std::string>& keep_files) {
  auto removed = run(*impl_, access::write, "removing providers", [&](soci::session& sql) {
    const std::set<std::string_view> keep(keep_files.begin(), keep_files.end());
    detail::write_transaction transaction(sql);

    std::vector<std::string> gone;
    {
      std::string id;
      std::string file;
      soci::statement select = (sql.prepare << "SELECT id, plugin_file FROM providers", soci::into(id),
                                soci::into(file));
      select.execute();
      while (select.fetch()) {
        if (!keep.contains(file) && !std::string_view(file).starts_with(submission_file_prefix)) {
          gone.push_back(id);
        }
      }
    }

    std::string id;
    // Solutions are deleted explicitly rather than by ON DELETE CASCADE alone, so that removal does not depend on
    // a connection setting (SQLite's foreign_keys pragma) having been applied.
    soci::statement delete_solutions = (sql.prepare << "DELETE FROM solutions WHERE provider_id = :id", soci::use(id));
    soci::statement delete_provider = (sql.prepare << "DELETE FROM providers WHERE id = :id", soci::use(id));
    for (const auto& provider_id : gone) {
      id = provider_id;
      delete_solutions.execute(true);
      delete_provider.execute(true);
    }
    if (!gone.empty()) {
      detail::bump_catalog_revision(sql);
    }
    transaction.commit();
    return gone;
  });
  std::sort(removed.begin(), removed.end());
  for (const auto& provider_id : removed) {
    spdlog::info("catalog store: removed provider '{}', whose plugin file is gone", provider_id);
  }
  return removed;
}

std::vector<domain::provider_description> store::load_catalog() const {
  return run(*impl_, access::read, "loading the catalog", [&](soci::session& sql) {
    std::vector<domain::provider_description> catalog;
    for (auto& [id, stored] : read_providers(sql)) {
      catalog.push_back(std::move(stored.description));
    }
    return catalog;
  });
}

std::int64_t store::catalog_revision() const {
  return run(*impl_, access::read, "reading the catalog revision", [&](soci::session& sql) {
    long long revision = 0;
    sql << "SELECT revision FROM catalog_state WHERE id = 1", soci::into(revision);
    return static_cast<std::int64_t>(revision);
  });
}

put_result store::put_profile(const domain::profile& profile, std::optional<std::int64_t> expected_version) {
  check_readable(profile);
  const std::string document = boost::json::serialize(domain::to_json(profile));
  const std::int64_t population = profile.population;

  return run(*impl_, access::write, "storing profile '" + profile.ags + "'", [&](soci::session& sql) -> put_result {
    const std::string updated_at = detail::utc_timestamp();
    // Each case is one statement, so its check and its write are atomic on both backends (no read-then-write race
    // between two hosts), and RETURNING says whether it wrote.
    long long version = 0;
    if (!expected_version) {
      sql << "INSERT INTO municipalities (ags, name, district_ags, population, document, version, updated_at)"
             " VALUES (:ags, :name, :district_ags, :population, :document, 1, :updated_at)"
             " ON CONFLICT (ags) DO UPDATE SET name = excluded.name, district_ags = excluded.district_ags,"
             " population = excluded.population, document = excluded.document,"
             " version = municipalities.version + 1, updated_at = excluded.updated_at"
             " RETURNING version",
          soci::use(profile.ags), soci::use(profile.name), soci::use(profile.district_ags), soci::use(population),
          soci::use(document), soci::use(updated_at), soci::into(version);
      return {version == 1 ? put_outcome::created : put_outcome::replaced, version};
    }
    if (*expected_version == 0) {
      sql << "INSERT INTO municipalities (ags, name, district_ags, population, document, version, updated_at)"
             " VALUES (:ags, :name, :district_ags, :population, :document, 1, :updated_at)"
             " ON CONFLICT (ags) DO NOTHING RETURNING version",
          soci::use(profile.ags), soci::use(profile.name), soci::use(profile.district_ags), soci::use(population),
          soci::use(document), soci::use(updated_at), soci::into(version);
    } else {
      const std::int64_t expected = *expected_version;
      sql << "UPDATE municipalities SET name = :name, district_ags = :district_ags, population = :population,"
             " document = :document, version = version + 1, updated_at = :updated_at"
             " WHERE ags = :ags AND version = :expected RETURNING version",
          soci::use(profile.name), soci::use(profile.district_ags), soci::use(population), soci::use(document),
          soci::use(updated_at), soci::use(profile.ags), soci::use(expected), soci::into(version);
    }
    if (sql.got_data()) {
      return {version == 1 ? put_outcome::created : put_outcome::replaced, version};
    }
    long long current = 0;
    sql << "SELECT version FROM municipalities WHERE ags = :ags", soci::use(profile.ags), soci::into(current);
    return {put_outcome::precondition_failed, sql.got_data() ? current : 0};
  });
}

std::optional<versioned_profile> store::get_profile(std::string_view ags) const {
  const std::string key(ags);
  return run(*impl_, access::read, "reading profile '" + key + "'",
             [&](soci::session& sql) -> std::optional<versioned_profile> {
               std::string document;
               long long version = 0;
               sql << "SELECT document, version FROM municipalities WHERE ags = :ags", soci::use(key),
                   soci::into(document), soci::into(version);
               if (!sql.got_data()) {
                 return std::nullopt;
               }
               return read_profile(key, document, version);
             });
}

std::size_t store::profile_count() const {
  return run(*impl_, access::read, "counting profiles", [&](soci::session& sql) {
    long long count = 0;
    sql << "SELECT COUNT(*) FROM municipalities", soci::into(count);
    return static_cast<std::size_t>(count);
  });
}

bool store::reachable() const noexcept {
  try {
    return run(*impl_, access::read, "checking the connection", [&](soci::session& sql) {
      int one = 0;
      sql << "SELECT 1", soci::into(one);
      return one == 1;
    });
  } catch (...) {
    return false;
  }
}

namespace {

[[noreturn]] void corrupted_row(std::string_view table, const std::string& row, const std::string& what) {
  throw store_error("catalog store: the database is corrupted: " + std::string(table) + " row '" + row + "' " + what);
}

std::optional<std::string> nullable_text(const std::string& value, soci::indicator indicator) {
  return indicator == soci::i_ok ? std::optional<std::string>(value) : std::nullopt;
}

role role_column(const std::string& text, std::string_view table, const std::string& row) {
  if (const auto parsed = parse_role(text)) {
    return *parsed;
  }
  corrupted_row(table, row, "has the unknown role '" + text + "'");
}

submission_status status_column(const std::string& text, std::string_view table, const std::string& row) {
  if (const auto parsed = parse_submission_status(text)) {
    return *parsed;
  }
  corrupted_row(table, row, "has the unknown status '" + text + "'");
}

// The export's reads sort in C++, not in SQL: PostgreSQL would order TEXT by the database's collation, SQLite by
// bytes, and two exports of the same contents must be the same bytes whichever database they came from.

std::vector<organisation_record> read_organisations(soci::session& sql) {
  std::string id;
  std::string role_text;
  std::string name;
  std::string created_at;
  soci::statement select = (sql.prepare << "SELECT id, role, name, created_at FROM organisations", soci::into(id),
                            soci::into(role_text), soci::into(name), soci::into(created_at));
  select.execute();
  std::vector<organisation_record> rows;
  while (select.fetch()) {
    organisation_record row;
    row.id = id;
    row.org_role = role_column(role_text, "organisations", id);
    row.name = name;
    row.created_at = created_at;
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return rows;
}

std::vector<token_record> read_tokens(soci::session& sql) {
  token_record row;
  std::string role_text;
  std::string revoked_at;
  soci::indicator revoked_indicator = soci::i_null;
  soci::statement select =
      (sql.prepare << "SELECT id, token_sha256, role, organisation, label, created_at, expires_at, revoked_at"
                      " FROM api_tokens",
       soci::into(row.id), soci::into(row.token_sha256), soci::into(role_text), soci::into(row.organisation),
       soci::into(row.label), soci::into(row.created_at), soci::into(row.expires_at),
       soci::into(revoked_at, revoked_indicator));
  select.execute();
  std::vector<token_record> rows;
  while (select.fetch()) {
    row.token_role = role_column(role_text, "api_tokens", row.id);
    row.revoked_at = nullable_text(revoked_at, revoked_indicator);
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return rows;
}

std::vector<publisher_key_record> read_publisher_keys(soci::session& sql) {
  publisher_key_record row;
  std::string revoked_at;
  soci::indicator revoked_indicator = soci::i_null;
  soci::statement select =
      (sql.prepare << "SELECT key_id, organisation, document, registered_at, revoked_at FROM publisher_keys",
       soci::into(row.key_id), soci::into(row.organisation), soci::into(row.document), soci::into(row.registered_at),
       soci::into(revoked_at, revoked_indicator));
  select.execute();
  std::vector<publisher_key_record> rows;
  while (select.fetch()) {
    row.revoked_at = nullable_text(revoked_at, revoked_indicator);
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.key_id < b.key_id; });
  return rows;
}

std::vector<submission_record> read_submissions(soci::session& sql) {
  std::vector<submission_record> rows;
  {
    submission_record row;
    long long id = 0;
    long long size_bytes = 0;
    std::string status;
    soci::statement select =
        (sql.prepare << "SELECT id, organisation, provider_id, file_name, file_sha256, size_bytes, key_id, status,"
                        " library_base64, signature, description, report, submitted_at, updated_at"
                        " FROM plugin_submissions",
         soci::into(id), soci::into(row.organisation), soci::into(row.provider_id), soci::into(row.file_name),
         soci::into(row.file_sha256), soci::into(size_bytes), soci::into(row.key_id), soci::into(status),
         soci::into(row.library_base64), soci::into(row.signature_json), soci::into(row.description_json),
         soci::into(row.report_json), soci::into(row.submitted_at), soci::into(row.updated_at));
    select.execute();
    while (select.fetch()) {
      row.id = id;
      row.size_bytes = size_bytes;
      row.status = status_column(status, "plugin_submissions", std::to_string(id));
      rows.push_back(row);
    }
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });

  std::map<std::int64_t, std::vector<std::pair<int, submission_event>>> histories;
  long long submission_id = 0;
  int seq = 0;
  std::string at;
  std::string status;
  std::string actor;
  std::string reason;
  soci::statement events =
      (sql.prepare << "SELECT submission_id, seq, at, status, actor, reason FROM submission_events",
       soci::into(submission_id), soci::into(seq), soci::into(at), soci::into(status), soci::into(actor),
       soci::into(reason));
  events.execute();
  while (events.fetch()) {
    const auto row = std::to_string(submission_id) + "/" + std::to_string(seq);
    histories[submission_id].push_back({seq, {at, status_column(status, "submission_events", row), actor, reason}});
  }
  for (auto& row : rows) {
    const auto found = histories.find(row.id);
    if (found == histories.end()) {
      continue;
    }
    auto& history = found->second;
    std::sort(history.begin(), history.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [position, event] : history) {
      row.history.push_back(std::move(event));
    }
    histories.erase(found);
  }
  if (!histories.empty()) {
    // The foreign key forbids it; an export that dropped these events silently would lose history.
    corrupted_row("submission_events", std::to_string(histories.begin()->first) + "/…",
                  "belongs to no plugin submission");
  }
  return rows;
}

std::vector<provider_owner> read_provider_owners(soci::session& sql) {
  provider_owner row;
  soci::statement select = (sql.prepare << "SELECT provider_id, organisation FROM provider_owners",
                            soci::into(row.provider_id), soci::into(row.organisation));
  select.execute();
  std::vector<provider_owner> rows;
  while (select.fetch()) {
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.provider_id < b.provider_id; });
  return rows;
}

std::vector<endorsement_record> read_endorsements(soci::session& sql) {
  std::string curator;
  std::string solution_id;
  std::string kind;
  std::string created_at;
  soci::statement select = (sql.prepare << "SELECT curator, solution_id, kind, created_at FROM endorsements",
                            soci::into(curator), soci::into(solution_id), soci::into(kind), soci::into(created_at));
  select.execute();
  std::vector<endorsement_record> rows;
  while (select.fetch()) {
    const auto parsed = domain::parse_name<domain::endorsement_kind>(kind);
    if (!parsed) {
      corrupted_row("endorsements", curator + "/" + solution_id, "has the unknown kind '" + kind + "'");
    }
    endorsement_record row;
    row.curator_id = curator;
    row.solution_id = solution_id;
    row.kind = *parsed;
    row.created_at = created_at;
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.curator_id, a.solution_id) < std::tie(b.curator_id, b.solution_id);
  });
  return rows;
}

std::vector<demand_count> read_demand_counts(soci::session& sql) {
  demand_count row;
  long long count = 0;
  soci::statement select = (sql.prepare << "SELECT solution_id, event, reason, count FROM demand_counts",
                            soci::into(row.solution_id), soci::into(row.event), soci::into(row.reason),
                            soci::into(count));
  select.execute();
  std::vector<demand_count> rows;
  while (select.fetch()) {
    row.count = count;
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.solution_id, a.event, a.reason) < std::tie(b.solution_id, b.event, b.reason);
  });
  return rows;
}

std::int64_t read_submission_counter(soci::session& sql) {
  long long value = 0;
  sql << "SELECT value FROM counters WHERE name = 'plugin_submission'", soci::into(value);
  if (!sql.got_data()) {
    corrupted_row("counters", "plugin_submission", "is missing");
  }
  return value;
}

// What an import would make unreadable, or what would make the next submission reuse an id.
void check_importable(const store_contents& contents) {
  for (const auto& stored : contents.providers) {
    check_readable(stored.description);
  }
  for (const auto& stored : contents.profiles) {
    check_readable(stored.profile);
    if (stored.version < 1) {
      throw std::invalid_argument("catalog store: profile '" + stored.profile.ags + "' has version " +
                                  std::to_string(stored.version) + "; versions start at 1");
    }
  }
  for (const auto& org : contents.organisations) {
    if (org.org_role == role::admin) {
      throw std::invalid_argument("catalog store: organisation '" + org.id +
                                  "' has the role admin, which belongs to no organisation");
    }
  }
  if (contents.last_submission_id < 0) {
    throw std::invalid_argument("catalog store: the submission counter " +
                                std::to_string(contents.last_submission_id) + " is negative");
  }
  for (const auto& submission : contents.submissions) {
    if (submission.id < 1 || submission.id > contents.last_submission_id) {
      throw std::invalid_argument("catalog store: plugin submission " + std::to_string(submission.id) +
                                  " is not between 1 and the submission counter " +
                                  std::to_string(contents.last_submission_id) +
                                  "; new submissions would reuse its id");
    }
  }
}

// Import needs an empty database: merging two instances' tokens, submissions and counters has no single right
// answer. Each statement is spelled out: table names cannot be bind variables, and SQL is never assembled.
struct table_count {
  const char* statement;
  const char* what;
};
constexpr std::array<table_count, 10> import_blockers = {{
    {"SELECT COUNT(*) FROM providers", "provider(s)"},
    {"SELECT COUNT(*) FROM municipalities", "profile(s)"},
    {"SELECT COUNT(*) FROM organisations", "organisation(s)"},
    {"SELECT COUNT(*) FROM api_tokens", "token(s)"},
    {"SELECT COUNT(*) FROM publisher_keys", "publisher key(s)"},
    {"SELECT COUNT(*) FROM plugin_submissions", "plugin submission(s)"},
    {"SELECT COUNT(*) FROM submission_events", "submission event(s)"},
    {"SELECT COUNT(*) FROM provider_owners", "provider owner(s)"},
    {"SELECT COUNT(*) FROM endorsements", "endorsement(s)"},
    {"SELECT COUNT(*) FROM demand_counts", "demand count(s)"},
}};

// "" when empty, otherwise what the database holds ("2 token(s) and 1 profile(s)").
std::string held_contents(soci::session& sql) {
  std::vector<std::string> held;
  for (const auto& table : import_blockers) {
    long long rows = 0;
    sql << table.statement, soci::into(rows);
    if (rows != 0) {
      held.push_back(std::to_string(rows) + " " + table.what);
    }
  }
  std::string text;
  for (std::size_t i = 0; i < held.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == held.size() ? " and " : ", ") + held[i];
  }
  return text;
}

void insert_organisations(soci::session& sql, const std::vector<organisation_record>& rows) {
  organisation_record row;
  std::string role_text;
  soci::statement insert = (sql.prepare << "INSERT INTO organisations (id, role, name, created_at)"
                                           " VALUES (:id, :role, :name, :created_at)",
                            soci::use(row.id), soci::use(role_text), soci::use(row.name), soci::use(row.created_at));
  for (const auto& each : rows) {
    row = each;
    role_text = name_of(each.org_role);
    insert.execute(true);
  }
}

void insert_tokens(soci::session& sql, const std::vector<token_record>& rows) {
  token_record row;
  std::string role_text;
  std::string revoked_at;
  soci::indicator revoked_indicator = soci::i_null;
  soci::statement insert =
      (sql.prepare << "INSERT INTO api_tokens (id, token_sha256, role, organisation, label, created_at, expires_at,"
                      " revoked_at) VALUES (:id, :token_sha256, :role, :organisation, :label, :created_at,"
                      " :expires_at, :revoked_at)",
       soci::use(row.id), soci::use(row.token_sha256), soci::use(role_text), soci::use(row.organisation),
       soci::use(row.label), soci::use(row.created_at), soci::use(row.expires_at),
       soci::use(revoked_at, revoked_indicator));
  for (const auto& each : rows) {
    row = each;
    role_text = name_of(each.token_role);
    revoked_at = each.revoked_at.value_or("");
    revoked_indicator = each.revoked_at ? soci::i_ok : soci::i_null;
    insert.execute(true);
  }
}

void insert_publisher_keys(soci::session& sql, const std::vector<publisher_key_record>& rows) {
  publisher_key_record row;
  std::string revoked_at;
  soci::indicator revoked_indicator = soci::i_null;
  soci::statement insert =
      (sql.prepare << "INSERT INTO publisher_keys (key_id, organisation, document, registered_at, revoked_at)"
                      " VALUES (:key_id, :organisation, :document, :registered_at, :revoked_at)",
       soci::use(row.key_id), soci::use(row.organisation), soci::use(row.document), soci::use(row.registered_at),
       soci::use(revoked_at, revoked_indicator));
  for (const auto& each : rows) {
    row = each;
    revoked_at = each.revoked_at.value_or("");
    revoked_indicator = each.revoked_at ? soci::i_ok : soci::i_null;
    insert.execute(true);
  }
}

void insert_submissions(soci::session& sql, const std::vector<submission_record>& rows) {
  submission_record row;
  long long id = 0;
  long long size_bytes = 0;
  std::string status;
  soci::statement insert =
      (sql.prepare << "INSERT INTO plugin_submissions (id, organisation, provider_id, file_name, file_sha256,"
                      " size_bytes, key_id, status, library_base64, signature, description, report, submitted_at,"
                      " updated_at) VALUES (:id, :organisation, :provider_id, :file_name, :file_sha256,"
                      " :size_bytes, :key_id, :status, :library, :signature, :description, :report, :submitted_at,"
                      " :updated_at)",
       soci::use(id), soci::use(row.organisation), soci::use(row.provider_id), soci::use(row.file_name),
       soci::use(row.file_sha256), soci::use(size_bytes), soci::use(row.key_id), soci::use(status),
       soci::use(row.library_base64), soci::use(row.signature_json), soci::use(row.description_json),
       soci::use(row.report_json), soci::use(row.submitted_at), soci::use(row.updated_at));
  int seq = 0;
  submission_event event;
  std::string event_status;
  soci::statement insert_event =
      (sql.prepare << "INSERT INTO submission_events (submission_id, seq, at, status, actor, reason)"
                      " VALUES (:id, :seq, :at, :status, :actor, :reason)",
       soci::use(id), soci::use(seq), soci::use(event.at), soci::use(event_status), soci::use(event.actor),
       soci::use(event.reason));
  for (const auto& each : rows) {
    row = each;
    id = each.id;
    size_bytes = each.size_bytes;
    status = name_of(each.status);
    insert.execute(true);
    // Numbered afresh from 1 in history order, as add_event numbers them; only their order is ever read.
    seq = 0;
    for (const auto& each_event : each.history) {
      ++seq;
      event = each_event;
      event_status = name_of(each_event.status);
      insert_event.execute(true);
    }
  }
}

void insert_provider_owners(soci::session& sql, const std::vector<provider_owner>& rows) {
  provider_owner row;
  soci::statement insert = (sql.prepare << "INSERT INTO provider_owners (provider_id, organisation)"
                                           " VALUES (:provider_id, :organisation)",
                            soci::use(row.provider_id), soci::use(row.organisation));
  for (const auto& each : rows) {
    row = each;
    insert.execute(true);
  }
}

void insert_endorsements(soci::session& sql, const std::vector<endorsement_record>& rows) {
  endorsement_record row;
  std::string kind;
  soci::statement insert = (sql.prepare << "INSERT INTO endorsements (curator, solution_id, kind, created_at)"
                                           " VALUES (:curator, :solution_id, :kind, :created_at)",
                            soci::use(row.curator_id), soci::use(row.solution_id), soci::use(kind),
                            soci::use(row.created_at));
  for (const auto& each : rows) {
    row = each;
    kind = domain::name_of(each.kind);
    insert.execute(true);
  }
}

void insert_demand_counts(soci::session& sql, const std::vector<demand_count>& rows) {
  demand_count row;
  long long count = 0;
  soci::statement insert = (sql.prepare << "INSERT INTO demand_counts (solution_id, event, reason, count)"
                                           " VALUES (:solution_id, :event, :reason, :count)",
                            soci::use(row.solution_id), soci::use(row.event), soci::use(row.reason),
                            soci::use(count));
  for (const auto& each : rows) {
    row = each;
    count = each.count;
    insert.execute(true);
  }
}

}  // namespace


store_contents store::export_contents() const {
  return run(*impl_, access::read, "exporting", [&](soci::session& sql) {
    // One read transaction for a consistent snapshot of everything: SQLite's WAL readers and PostgreSQL's
    // REPEATABLE READ both see the database as of the first read, so an approval between two of the reads below
    // cannot leave a provider without its submission in the file.
    soci::transaction transaction(sql);
    if (!impl_->sqlite) {
      sql << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY";
    }
    store_contents contents;
    for (auto& [id, stored] : read_providers(sql)) {
      contents.providers.push_back(std::move(stored));
    }
    std::string ags;
    std::string document;
    long long version = 0;
    soci::statement select = (sql.prepare << "SELECT ags, document, version FROM municipalities", soci::into(ags),
                              soci::into(document), soci::into(version));
    select.execute();
    while (select.fetch()) {
      contents.profiles.push_back(read_profile(ags, document, version));
    }
    std::sort(contents.profiles.begin(), contents.profiles.end(),
              [](const versioned_profile& a, const versioned_profile& b) { return a.profile.ags < b.profile.ags; });
    contents.organisations = read_organisations(sql);
    contents.tokens = read_tokens(sql);
    contents.publisher_keys = read_publisher_keys(sql);
    contents.submissions = read_submissions(sql);
    contents.last_submission_id = read_submission_counter(sql);
    contents.provider_owners = read_provider_owners(sql);
    contents.endorsements = read_endorsements(sql);
    contents.demand_counts = read_demand_counts(sql);
    transaction.commit();
    return contents;
  });
}

void store::import_contents(const store_contents& contents) {
  check_importable(contents);
  run(*impl_, access::write, "importing", [&](soci::session& sql) {
    detail::write_transaction transaction(sql);
    if (const auto held = held_contents(sql); !held.empty()) {
      throw store_error("catalog store: cannot import into " + impl_->display + ": it already holds " + held +
                        "; import needs an empty database");
    }
    std::set<std::string> provider_ids;
    for (const auto& stored : contents.providers) {
      if (!provider_ids.insert(stored.description.provider_info.id).second) {
        throw store_error("catalog store: the import names provider '" + stored.description.provider_info.id +
                          "' twice; nothing was imported");
      }
      detail::write_provider(sql, stored.description, stored.plugin_file);
    }
    std::set<std::string> seen_ags;
    for (const auto& stored : contents.profiles) {
      if (!seen_ags.insert(stored.profile.ags).second) {
        throw store_error("catalog store: the import names the profile of AGS " + stored.profile.ags +
                          " twice; nothing was imported");
      }
      insert_profile(sql, stored.profile, stored.version);
    }
    // Duplicate keys in the rows below break a primary key or UNIQUE constraint, which rolls everything back.
    insert_organisations(sql, contents.organisations);
    insert_tokens(sql, contents.tokens);
    insert_publisher_keys(sql, contents.publisher_keys);
    insert_submissions(sql, contents.submissions);
    insert_provider_owners(sql, contents.provider_owners);
    insert_endorsements(sql, contents.endorsements);
    insert_demand_counts(sql, contents.demand_counts);
    const long long counter = contents.last_submission_id;
    sql << "UPDATE counters SET value = :value WHERE name = 'plugin_submission'", soci::use(counter);
    detail::bump_catalog_revision(sql);
    transaction.commit();
  });
}

}  // namespace lotse::catalog

#include "catalog/store/store.hpp"

#include "catalog/domain/description_json.hpp"
#include "catalog/domain/profile_json.hpp"
#include "catalog/store/migrations.hpp"
#include "catalog/store/sql_support.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <utility>

namespace lotse::catalog {

struct store::impl {
  std::unique_ptr<soci::connection_pool> pool;  // soci::connection_pool can be neither copied nor moved
};

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
    // libpq understands the URI itself; SOCI hands it to PQconnectdb unchanged.
    return {&soci::postgresql, std::string(url), "PostgreSQL database " + redact_postgresql_url(url), false,
            options.pool_size};
  }
  // Only the scheme is echoed: the rest of a URL may carry a password.
  const auto colon = url.find(':');
  const std::string scheme(colon == std::string_view::npos ? std::string_view("(none)") : url.substr(0, colon));
  throw store_error("catalog store: unsupported database URL scheme '" + scheme +
                    "'; expected sqlite:PATH or postgresql://…");
}

// libpq's messages span several lines; a store_error message is one.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') {
    text.pop_back();
  }
  return text;
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

// Runs one store operation, turning SOCI's errors into store_error. The full SOCI message (which names the SQL
// statement) goes to the log only; the exception carries the database's own message without the statement.
template <typename Fn>
auto translate_errors(const std::string& operation, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const soci::soci_error& e) {
    spdlog::error("catalog store: {} failed: {}", operation, e.what());
    throw store_error("catalog store: " + operation + " failed: " + one_line(e.get_error_message()));
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

store::store(std::unique_ptr<impl> state) : impl_(std::move(state)) {}

store::~store() = default;

std::unique_ptr<store> store::open(const store_options& options) {
  const auto target = parse_url(options);
  auto state = std::make_unique<impl>();
  state->pool = std::make_unique<soci::connection_pool>(target.pool_size);
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
  return translate_errors("reading the schema version", [&] {
    soci::session sql(*impl_->pool);
    return recorded_schema_version(sql);
  });
}

void store::replace_provider(const domain::provider_description& description, std::string_view plugin_file) {
  const auto& provider = description.provider_info;
  // Never write what could not be read back: load_catalog would then report the whole catalog as corrupted. The
  // validation also rejects duplicate solution ids within the description.
  if (const auto reread = domain::parse_provider_description(domain::to_json(description)); !reread.ok()) {
    throw std::invalid_argument("catalog store: provider '" + provider.id +
                                "' does not pass validation: " + first_problem(reread.errors));
  }
  struct solution_row {
    const std::string& id;
    const std::string& name;
    std::string document;
  };
  std::vector<solution_row> solutions;
  for (const auto& solution : description.solutions) {
    solutions.push_back({solution.id, solution.name, boost::json::serialize(domain::to_json(solution))});
  }
  const std::string provider_document = boost::json::serialize(domain::to_json(provider));
  const std::string kind(domain::name_of(provider.kind));
  const std::string file(plugin_file);

  translate_errors("replacing provider '" + provider.id + "'", [&] {
    soci::session sql(*impl_->pool);
    detail::write_transaction transaction(sql);

    for (const auto& solution : solutions) {
      std::string owner;
      soci::indicator owner_indicator = soci::i_null;
      sql << "SELECT provider_id FROM solutions WHERE id = :id", soci::use(solution.id),
          soci::into(owner, owner_indicator);
      if (sql.got_data() && owner != provider.id) {
        throw store_error("catalog store: solution id '" + solution.id + "' of provider '" + provider.id +
                          "' (plugin file '" + file + "') already belongs to provider '" + owner +
                          "'; provider '" + provider.id + "' was not stored");
      }
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
    transaction.commit();
  });
}

std::vector<std::string> store::remove_providers_except(const std::vector<std::string>& keep_files) {
  return translate_errors("removing providers", [&] {
    const std::set<std::string_view> keep(keep_files.begin(), keep_files.end());
    soci::session sql(*impl_->pool);
    detail::write_transaction transaction(sql);

    std::vector<std::string> removed;
    {
      std::string id;
      std::string file;
      soci::statement select = (sql.prepare << "SELECT id, plugin_file FROM providers", soci::into(id),
                                soci::into(file));
      select.execute();
      while (select.fetch()) {
        if (!keep.contains(file)) {
          removed.push_back(id);
        }
      }
    }

    std::string id;
    // Solutions are deleted explicitly rather than by ON DELETE CASCADE alone, so that removal does not depend on
    // a connection setting (SQLite's foreign_keys pragma) having been applied.
    soci::statement delete_solutions = (sql.prepare << "DELETE FROM solutions WHERE provider_id = :id", soci::use(id));
    soci::statement delete_provider = (sql.prepare << "DELETE FROM providers WHERE id = :id", soci::use(id));
    for (const auto& provider_id : removed) {
      id = provider_id;
      delete_solutions.execute(true);
      delete_provider.execute(true);
    }
    transaction.commit();

    std::sort(removed.begin(), removed.end());
    for (const auto& provider_id : removed) {
      spdlog::info("catalog store: removed provider '{}', whose plugin file is gone", provider_id);
    }
    return removed;
  });
}

std::vector<domain::provider_description> store::load_catalog() const {
  return translate_errors("loading the catalog", [&] {
    soci::session sql(*impl_->pool);
    // One statement, so both backends read providers and solutions from one snapshot (two SELECTs under
    // PostgreSQL's READ COMMITTED could see a replace_provider in between). Sorting happens below, not in SQL:
    // PostgreSQL would order TEXT by the database's collation, SQLite by bytes.
    std::string provider_id;
    std::string provider_document;
    std::string solution_id;
    std::string solution_document;
    soci::indicator solution_id_indicator = soci::i_null;
    soci::indicator solution_document_indicator = soci::i_null;
    soci::statement select =
        (sql.prepare << "SELECT p.id, p.document, s.id, s.document"
                        " FROM providers p LEFT JOIN solutions s ON s.provider_id = p.id",
         soci::into(provider_id), soci::into(provider_document), soci::into(solution_id, solution_id_indicator),
         soci::into(solution_document, solution_document_indicator));
    select.execute();

    std::map<std::string, domain::provider_description> providers;  // std::string orders by bytes
    while (select.fetch()) {
      auto [entry, inserted] = providers.try_emplace(provider_id);
      auto& description = entry->second;
      if (inserted) {
        description.provider_info = read_document("provider", provider_id, provider_document,
                                                  [](const auto& json) { return domain::parse_provider(json); });
        check_id("provider", provider_id, description.provider_info.id);
      }
      if (solution_id_indicator == soci::i_ok && solution_document_indicator == soci::i_ok) {
        auto solution = read_document("solution", solution_id, solution_document, [&](const auto& json) {
          return domain::parse_solution(json, provider_id);
        });
        check_id("solution", solution_id, solution.id);
        description.solutions.push_back(std::move(solution));
      }
    }

    std::vector<domain::provider_description> catalog;
    catalog.reserve(providers.size());
    for (auto& [id, description] : providers) {
      std::sort(description.solutions.begin(), description.solutions.end(),
                [](const domain::solution& a, const domain::solution& b) { return a.id < b.id; });
      catalog.push_back(std::move(description));
    }
    return catalog;
  });
}

void store::put_profile(const domain::profile& profile) {
  const auto json = domain::to_json(profile);
  if (const auto reread = domain::parse_profile(json); !reread.ok()) {
    throw std::invalid_argument("catalog store: profile '" + profile.ags +
                                "' does not pass validation: " + first_problem(reread.errors));
  }
  const std::string document = boost::json::serialize(json);
  const std::int64_t population = profile.population;

  translate_errors("storing profile '" + profile.ags + "'", [&] {
    soci::session sql(*impl_->pool);
    const std::string updated_at = detail::utc_timestamp();
    // One statement, hence atomic without an explicit transaction; the version counts every put since the first.
    sql << "INSERT INTO municipalities (ags, name, district_ags, population, document, version, updated_at)"
           " VALUES (:ags, :name, :district_ags, :population, :document, 1, :updated_at)"
           " ON CONFLICT (ags) DO UPDATE SET name = excluded.name, district_ags = excluded.district_ags,"
           " population = excluded.population, document = excluded.document,"
           " version = municipalities.version + 1, updated_at = excluded.updated_at",
        soci::use(profile.ags), soci::use(profile.name), soci::use(profile.district_ags), soci::use(population),
        soci::use(document), soci::use(updated_at);
  });
}

std::optional<domain::profile> store::get_profile(std::string_view ags) const {
  const std::string key(ags);
  return translate_errors("reading profile '" + key + "'", [&]() -> std::optional<domain::profile> {
    soci::session sql(*impl_->pool);
    std::string document;
    soci::indicator document_indicator = soci::i_null;
    sql << "SELECT document FROM municipalities WHERE ags = :ags", soci::use(key),
        soci::into(document, document_indicator);
    if (!sql.got_data()) {
      return std::nullopt;
    }
    auto profile = read_document("municipality", key, document,
                                 [](const auto& json) { return domain::parse_profile(json); });
    check_id("municipality", key, profile.ags);
    return profile;
  });
}

std::size_t store::profile_count() const {
  return translate_errors("counting profiles", [&] {
    soci::session sql(*impl_->pool);
    long long count = 0;
    sql << "SELECT COUNT(*) FROM municipalities", soci::into(count);
    return static_cast<std::size_t>(count);
  });
}

}  // namespace lotse::catalog

#include "catalog/store/store.hpp"

#include "catalog/domain/description_json.hpp"
#include "catalog/domain/profile_json.hpp"
#include "catalog/store/account_store.hpp"
#include "catalog/store/curation_store.hpp"
#include "catalog/store/demand_store.hpp"
#include "catalog/store/migrations.hpp"
#include "catalog/store/transfer_json.hpp"
#include "tests/catalog/store/temp_directory.hpp"
#include "tests/support/raw_session.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lotse::catalog {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

template <typename T>
std::string json_text(const T& value) {
  return boost::json::serialize(domain::to_json(value));
}

std::string catalog_text(const std::vector<domain::provider_description>& catalog) {
  std::string text;
  for (const auto& description : catalog) {
    text += json_text(description) + "\n";
  }
  return text;
}

// A solution with every optional field set and values that only survive an exact round trip (0.1 + 0.2 is not
// 0.3 in binary; a store that rounded doubles would show it).
domain::solution rich_solution(std::string id) {
  using namespace domain;
  solution value;
  value.id = std::move(id);
  value.name = "Ratsinformation in der Cloud";
  value.summary = "Sitzungen, Vorlagen und Protokolle für Gemeinderat und Ausschüsse – \"papierlos\" & mobil.";
  value.kind = solution_kind::platform;
  value.categories.set(static_cast<std::size_t>(need_category::administration_council));
  value.categories.set(static_cast<std::size_t>(need_category::administration_documents));
  value.stages = {stage::orientation, stage::acceptance};
  value.min_levels[static_cast<std::size_t>(dimension::infrastructure)] = 2;
  value.min_levels[static_cast<std::size_t>(dimension::skills)] = 1;
  value.cost.setup_eur = 4999.5;
  value.cost.annual_base_eur = 1200.25;
  value.cost.annual_per_inhabitant_eur = 0.1 + 0.2;
  value.cost.population_bands = {{5000, 1800.0}, {20000, 4200.5}};
  value.cost.shared_operation_discount = 0.15;
  value.effort = {0.2, 0.05, 3.5};
  value.required_skill = it_skill::basic;
  value.requires_capabilities.set(static_cast<std::size_t>(capability::dms));
  value.provides_capabilities.set(static_cast<std::size_t>(capability::council_information_system));
  value.compatible_service_providers = {"komm-one", "ekom21"};
  value.standards = {"OParl 1.1", "XRechnung"};
  value.hosting_options.set(static_cast<std::size_t>(hosting::german_cloud));
  value.hosting_options.set(static_cast<std::size_t>(hosting::provider_datacenter));
  value.operating_models.set(static_cast<std::size_t>(operating_model::saas));
  value.operating_models.set(static_cast<std::size_t>(operating_model::intermunicipal_shared));
  value.open_source = true;
  value.populations = {1000, 20000};
  value.references = {"08226028", "08226013"};
  return value;
}

domain::solution plain_solution(std::string id) {
  using namespace domain;
  solution value;
  value.id = std::move(id);
  value.name = "Workshop Zukunftsbild";
  value.summary = "Ein Tag mit Gemeinderat und Verwaltung: vom ersten Impuls zum Zukunftsbild.";
  value.kind = solution_kind::training;
  value.categories.set(static_cast<std::size_t>(need_category::strategy_vision));
  value.stages = {stage::start, stage::start};
  value.cost.setup_eur = 2500;
  value.cost.annual_base_eur = 0;
  value.effort = {0.1, 0, 1};
  return value;
}

domain::provider_description rich_provider(std::string id, std::vector<std::string> solution_ids) {
  domain::provider_description value;
  value.provider_info.id = id;
  value.provider_info.name = "Stadtwerk Digital GmbH";
  value.provider_info.kind = domain::provider_kind::it_service_provider;
  value.provider_info.website = "https://" + id + ".example";
  value.provider_info.contact = "kontakt@" + id + ".example";
  for (auto& solution_id : solution_ids) {
    value.solutions.push_back(value.solutions.empty() ? rich_solution(std::move(solution_id))
                                                      : plain_solution(std::move(solution_id)));
    value.solutions.back().provider_id = id;
  }
  return value;
}

domain::profile heddesheim() {
  using namespace domain;
  profile value;
  value.ags = "08226028";
  value.name = "Heddesheim";
  value.state = "Baden-Württemberg";
  value.district_ags = "08226";
  value.population = 11589;
  value.maturity_info.current_stage = stage::implementation;
  value.maturity_info.levels = {2, 3, 3, 1, 2, 1, 2};
  value.resources_info = {20000.5, 0.1 + 0.7, 1.5, it_skill::intermediate};
  value.it.service_provider = "komm-one";
  value.it.capabilities.set(static_cast<std::size_t>(capability::digital_pilots));
  value.it.capabilities.set(static_cast<std::size_t>(capability::dms));
  value.it.accepted_hosting.set(static_cast<std::size_t>(hosting::german_cloud));
  value.it.open_source_preferred = true;
  value.it.standards = {"XRechnung"};
  value.needs = {{need_category::administration_council, 0.9}, {need_category::participation_citizens, 0.4}};
  value.cooperation_info = {true, {"Verwaltungsgemeinschaft Ladenburg"}};
  return value;
}

// Every test runs on SQLite and on PostgreSQL (…/sqlite, …/postgresql): one store, two backends, same behaviour.
class store_test : public ::testing::TestWithParam<test::backend> {
 protected:
  void SetUp() override {
    LOTSE_REQUIRE_BACKEND(GetParam());
    database_ = std::make_unique<test::test_database>(GetParam());
  }

  bool sqlite() const { return GetParam() == test::backend::sqlite; }
  std::string url() const { return database_->url(); }

  std::unique_ptr<store> open_store(std::size_t pool_size = 4) const { return store::open({url(), pool_size}); }

  // A connection of the test's own, beside the store's, to look at and tamper with what the store wrote.
  soci::session raw() const { return test::raw_session(*database_); }

  static long long solution_rows(soci::session& sql) {
    long long rows = -1;
    sql << "SELECT COUNT(*) FROM solutions", soci::into(rows);
    return rows;
  }

  static long long profile_version(soci::session& sql, const std::string& ags) {
    long long version = -1;
    sql << "SELECT version FROM municipalities WHERE ags = :ags", soci::use(ags), soci::into(version);
    return version;
  }

 private:
  std::unique_ptr<test::test_database> database_;
};

INSTANTIATE_TEST_SUITE_P(, store_test, test::all_backends, test::backend_name);

TEST_P(store_test, open_applies_every_migration_once_and_reopening_applies_nothing) {
  const int newest = store_migrations().back().version;
  {
    auto opened = open_store();
    EXPECT_EQ(opened->schema_version(), newest);
  }
  std::vector<int> versions(10);
  std::vector<std::string> applied_at(10);
  {
    auto sql = raw();
    sql << "SELECT version, applied_at FROM schema_migrations ORDER BY version", soci::into(versions),
        soci::into(applied_at);
    if (sqlite()) {
      std::string journal_mode;
      sql << "PRAGMA journal_mode", soci::into(journal_mode);
      EXPECT_EQ(journal_mode, "wal");
    }
  }
  ASSERT_EQ(versions.size(), store_migrations().size());
  for (std::size_t i = 0; i < versions.size(); ++i) {
    EXPECT_EQ(versions[i], store_migrations()[i].version);
    EXPECT_THAT(applied_at[i], ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
  }

  auto reopened = open_store();
  EXPECT_EQ(reopened->schema_version(), newest);
  auto sql = raw();
  std::vector<int> versions_after(10);
  std::vector<std::string> applied_at_after(10);
  sql << "SELECT version, applied_at FROM schema_migrations ORDER BY version", soci::into(versions_after),
      soci::into(applied_at_after);
  EXPECT_EQ(versions_after, versions);
  EXPECT_EQ(applied_at_after, applied_at);
}

TEST_P(store_test, refuses_a_database_with_a_newer_schema_version) {
  open_store().reset();
  {
    auto sql = raw();
    sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 'x')";
  }
  try {
    open_store();
    FAIL() << "a database at schema version 999 was opened";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("999"), HasSubstr("newer")));
  }
}

TEST_P(store_test, replace_provider_round_trips_every_field) {
  auto opened = open_store();
  const auto description = rich_provider("stadtwerk-digital", {"ratsinfo-cloud", "workshop-zukunftsbild"});
  opened->replace_provider(description, "plugins/libstadtwerk_digital.so");

  const auto catalog = opened->load_catalog();
  ASSERT_EQ(catalog.size(), 1U);
  EXPECT_EQ(json_text(catalog[0]), json_text(description));
  ASSERT_EQ(catalog[0].solutions.size(), 2U);
  for (const auto& solution : catalog[0].solutions) {
    EXPECT_EQ(solution.provider_id, "stadtwerk-digital");
  }
  EXPECT_EQ(catalog[0].solutions[0].cost.annual_per_inhabitant_eur, 0.1 + 0.2);

  auto sql = raw();
  std::string name;
  std::string kind;
  std::string plugin_file;
  sql << "SELECT name, kind, plugin_file FROM providers WHERE id = 'stadtwerk-digital'", soci::into(name),
      soci::into(kind), soci::into(plugin_file);
  EXPECT_EQ(name, "Stadtwerk Digital GmbH");
  EXPECT_EQ(kind, "it_service_provider");
  EXPECT_EQ(plugin_file, "plugins/libstadtwerk_digital.so");
}

TEST_P(store_test, load_catalog_sorts_providers_and_solutions_by_id) {
  auto opened = open_store();
  opened->replace_provider(rich_provider("zeta", {"z-2", "a-1", "m-3"}), "zeta.so");
  opened->replace_provider(rich_provider("alpha", {"b-1"}), "alpha.so");
  opened->replace_provider(rich_provider("mu", {"c-1"}), "mu.so");

  const auto catalog = opened->load_catalog();
  ASSERT_EQ(catalog.size(), 3U);
  EXPECT_EQ(catalog[0].provider_info.id, "alpha");
  EXPECT_EQ(catalog[1].provider_info.id, "mu");
  EXPECT_EQ(catalog[2].provider_info.id, "zeta");
  std::vector<std::string> ids;
  for (const auto& solution : catalog[2].solutions) {
    ids.push_back(solution.id);
  }
  EXPECT_THAT(ids, ElementsAre("a-1", "m-3", "z-2"));
}

TEST_P(store_test, replacing_with_fewer_solutions_removes_the_old_ones) {
  auto opened = open_store();
  opened->replace_provider(rich_provider("stadtwerk-digital", {"ratsinfo-cloud", "workshop-zukunftsbild"}), "a.so");
  auto smaller = rich_provider("stadtwerk-digital", {"ratsinfo-cloud"});
  smaller.provider_info.name = "Stadtwerk Digital AG";
  opened->replace_provider(smaller, "b.so");

  const auto catalog = opened->load_catalog();
  ASSERT_EQ(catalog.size(), 1U);
  EXPECT_EQ(json_text(catalog[0]), json_text(smaller));
  auto sql = raw();
  EXPECT_EQ(solution_rows(sql), 1);
  std::string plugin_file;
  sql << "SELECT plugin_file FROM providers", soci::into(plugin_file);
  EXPECT_EQ(plugin_file, "b.so");
}

TEST_P(store_test, a_solution_id_owned_by_another_provider_is_refused_and_nothing_changes) {
  auto opened = open_store();
  opened->replace_provider(rich_provider("first", {"shared-id"}), "first.so");
  opened->replace_provider(rich_provider("second", {"second-old"}), "second.so");
  const auto before = catalog_text(opened->load_catalog());

  try {
    opened->replace_provider(rich_provider("second", {"second-new", "shared-id"}), "second-v2.so");
    FAIL() << "a solution id of another provider was accepted";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("'shared-id'"), HasSubstr("'first'"), HasSubstr("'second'")));
  }

  EXPECT_EQ(catalog_text(opened->load_catalog()), before);
  auto sql = raw();
  std::string plugin_file;
  sql << "SELECT plugin_file FROM providers WHERE id = 'second'", soci::into(plugin_file);
  EXPECT_EQ(plugin_file, "second.so");
  // The store is still usable: the failed transaction was rolled back, not left open on a pooled connection.
  opened->replace_provider(rich_provider("second", {"second-new"}), "second-v2.so");
  EXPECT_EQ(opened->load_catalog().size(), 2U);
}

TEST_P(store_test, an_invalid_description_is_refused_before_writing) {
  auto opened = open_store();
  auto no_solutions = rich_provider("empty", {});
  EXPECT_THROW(opened->replace_provider(no_solutions, "empty.so"), std::invalid_argument);
  auto duplicate = rich_provider("twice", {"same", "same"});
  EXPECT_THROW(opened->replace_provider(duplicate, "twice.so"), std::invalid_argument);
  EXPECT_TRUE(opened->load_catalog().empty());
}

TEST_P(store_test, remove_providers_except_removes_providers_of_vanished_plugin_files) {
  auto opened = open_store();
  opened->replace_provider(rich_provider("a", {"a-1", "a-2"}), "a.so");
  opened->replace_provider(rich_provider("b", {"b-1", "b-2"}), "b.so");
  opened->replace_provider(rich_provider("c", {"c-1"}), "c.so");
  opened->replace_provider(rich_provider("d", {"d-1"}), "d.so");

  EXPECT_THAT(opened->remove_providers_except({"c.so", "a.so", "unknown.so"}), ElementsAre("b", "d"));
  const auto catalog = opened->load_catalog();
  ASSERT_EQ(catalog.size(), 2U);
  EXPECT_EQ(catalog[0].provider_info.id, "a");
  EXPECT_EQ(catalog[1].provider_info.id, "c");
  {
    auto sql = raw();
    EXPECT_EQ(solution_rows(sql), 3);
  }

  EXPECT_TRUE(opened->remove_providers_except({"a.so", "c.so"}).empty());
  EXPECT_THAT(opened->remove_providers_except({}), ElementsAre("a", "c"));
  EXPECT_TRUE(opened->load_catalog().empty());
  auto sql = raw();
  EXPECT_EQ(solution_rows(sql), 0);
}

TEST_P(store_test, profiles_are_put_replaced_and_versioned) {
  auto opened = open_store();
  EXPECT_EQ(opened->get_profile("08226028"), std::nullopt);
  EXPECT_EQ(opened->profile_count(), 0U);

  auto profile = heddesheim();
  opened->put_profile(profile);
  auto loaded = opened->get_profile("08226028");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(json_text(loaded->profile), json_text(profile));
  EXPECT_EQ(opened->profile_count(), 1U);
  {
    auto sql = raw();
    EXPECT_EQ(profile_version(sql, "08226028"), 1);
  }

  profile.population = 11600;
  profile.needs.push_back({domain::need_category::data_platform, 0.25});
  opened->put_profile(profile);
  loaded = opened->get_profile("08226028");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(json_text(loaded->profile), json_text(profile));
  EXPECT_EQ(opened->profile_count(), 1U);
  {
    auto sql = raw();
    EXPECT_EQ(profile_version(sql, "08226028"), 2);
    long long population = 0;
    sql << "SELECT population FROM municipalities WHERE ags = '08226028'", soci::into(population);
    EXPECT_EQ(population, 11600);
  }

  auto other = heddesheim();
  other.ags = "08226013";
  other.name = "Eppelheim";
  opened->put_profile(other);
  EXPECT_EQ(opened->profile_count(), 2U);
  EXPECT_EQ(opened->get_profile("08226013")->profile.name, "Eppelheim");
  EXPECT_EQ(opened->get_profile("99999999"), std::nullopt);
  auto sql = raw();
  EXPECT_EQ(profile_version(sql, "08226013"), 1);
  EXPECT_EQ(profile_version(sql, "08226028"), 2);
}

TEST_P(store_test, an_invalid_profile_is_refused_before_writing) {
  auto opened = open_store();
  auto profile = heddesheim();
  profile.ags = "8226028";  // seven digits
  EXPECT_THROW(opened->put_profile(profile), std::invalid_argument);
  EXPECT_EQ(opened->profile_count(), 0U);
}

TEST_P(store_test, data_survives_closing_and_reopening) {
  const auto description = rich_provider("stadtwerk-digital", {"ratsinfo-cloud", "workshop-zukunftsbild"});
  {
    auto opened = open_store();
    opened->replace_provider(description, "a.so");
    opened->put_profile(heddesheim());
  }
  auto reopened = open_store();
  const auto catalog = reopened->load_catalog();
  ASSERT_EQ(catalog.size(), 1U);
  EXPECT_EQ(json_text(catalog[0]), json_text(description));
  const auto profile = reopened->get_profile("08226028");
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ(json_text(profile->profile), json_text(heddesheim()));
}

TEST_P(store_test, a_corrupted_document_is_reported_with_its_row) {
  auto opened = open_store();
  opened->replace_provider(rich_provider("stadtwerk-digital", {"ratsinfo-cloud"}), "a.so");
  opened->put_profile(heddesheim());
  {
    auto sql = raw();
    sql << "UPDATE solutions SET document = '{\"id\": \"ratsinfo-cloud\"' WHERE id = 'ratsinfo-cloud'";
    sql << "UPDATE municipalities SET document = '{\"ags\": \"08226028\"}'";
  }
  try {
    opened->load_catalog();
    FAIL() << "a truncated document was loaded";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("corrupted"), HasSubstr("'ratsinfo-cloud'")));
  }
  try {
    opened->get_profile("08226028");
    FAIL() << "an incomplete profile document was loaded";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("corrupted"), HasSubstr("'08226028'"), HasSubstr("/name")));
  }
}

TEST_P(store_test, database_errors_become_store_errors_without_sql_text) {
  auto opened = open_store();
  {
    auto sql = raw();
    sql << "DROP TABLE solutions";
  }
  try {
    opened->load_catalog();
    FAIL() << "loading without a solutions table succeeded";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("loading the catalog"),
                                HasSubstr(sqlite() ? "no such table" : "does not exist"),
                                Not(HasSubstr("SELECT")), Not(HasSubstr("JOIN"))));
  }
}

TEST_P(store_test, concurrent_writers_on_a_pool_neither_fail_nor_lose_updates) {
  auto opened = open_store(4);
  constexpr int threads = 4;
  constexpr int puts_per_thread = 25;
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        for (int i = 0; i < puts_per_thread; ++i) {
          opened->put_profile(heddesheim());
          opened->replace_provider(
              rich_provider("provider-" + std::to_string(t), {"solution-" + std::to_string(t)}), "p.so");
        }
      } catch (const std::exception& e) {
        const std::lock_guard lock(failures_mutex);
        failures.emplace_back(e.what());
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  EXPECT_THAT(failures, ::testing::IsEmpty());
  EXPECT_EQ(opened->load_catalog().size(), static_cast<std::size_t>(threads));
  auto sql = raw();
  EXPECT_EQ(profile_version(sql, "08226028"), threads * puts_per_thread);
}

TEST_P(store_test, conditional_puts_create_replace_and_refuse_stale_versions) {
  auto opened = open_store();
  auto profile = heddesheim();
  auto result = opened->put_profile(profile, 0);
  EXPECT_EQ(result.outcome, put_outcome::created);
  EXPECT_EQ(result.version, 1);
  // "create only" a second time: refused, and the stored version is reported.
  result = opened->put_profile(profile, 0);
  EXPECT_EQ(result.outcome, put_outcome::precondition_failed);
  EXPECT_EQ(result.version, 1);

  profile.population = 12000;
  result = opened->put_profile(profile, 1);
  EXPECT_EQ(result.outcome, put_outcome::replaced);
  EXPECT_EQ(result.version, 2);
  // A writer still holding version 1 loses and changes nothing.
  auto stale = heddesheim();
  stale.population = 1;
  result = opened->put_profile(stale, 1);
  EXPECT_EQ(result.outcome, put_outcome::precondition_failed);
  EXPECT_EQ(result.version, 2);
  const auto stored = opened->get_profile("08226028");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->version, 2);
  EXPECT_EQ(stored->profile.population, 12000);

  // Replacing a profile that does not exist: precondition failed with version 0.
  auto other = heddesheim();
  other.ags = "08226013";
  result = opened->put_profile(other, 4);
  EXPECT_EQ(result.outcome, put_outcome::precondition_failed);
  EXPECT_EQ(result.version, 0);
  EXPECT_EQ(opened->get_profile("08226013"), std::nullopt);
  // Unconditional puts still work and count versions.
  EXPECT_EQ(opened->put_profile(other).outcome, put_outcome::created);
  EXPECT_EQ(opened->put_profile(other).version, 2);
}

TEST_P(store_test, concurrent_read_modify_write_never_loses_an_update) {
  // Two stores on one database stand for two hosts; every worker reads, changes and writes back with the version it
  // read, retrying on precondition_failed. Every increment must survive.
  auto first = open_store(4);
  auto second = open_store(4);
  auto profile = heddesheim();
  profile.population = 1;
  first->put_profile(profile);
  constexpr int workers_per_store = 3;
  constexpr int increments = 15;
  std::atomic<int> conflicts = 0;
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> workers;
  for (auto* target : {first.get(), second.get()}) {
    for (int w = 0; w < workers_per_store; ++w) {
      workers.emplace_back([&, target] {
        try {
          for (int i = 0; i < increments;) {
            auto current = target->get_profile("08226028");
            current->profile.population += 1;
            const auto result = target->put_profile(current->profile, current->version);
            if (result.outcome == put_outcome::precondition_failed) {
              ++conflicts;
            } else {
              ++i;
            }
          }
        } catch (const std::exception& e) {
          const std::lock_guard lock(failures_mutex);
          failures.emplace_back(e.what());
        }
      });
    }
  }
  for (auto& worker : workers) {
    worker.join();
  }
  EXPECT_THAT(failures, ::testing::IsEmpty());
  const auto stored = second->get_profile("08226028");
  ASSERT_TRUE(stored.has_value());
  constexpr int total = 2 * workers_per_store * increments;
  EXPECT_EQ(stored->profile.population, 1 + total) << conflicts << " conflicts were retried";
  EXPECT_EQ(stored->version, total + 1);
}

TEST_P(store_test, catalog_revision_moves_on_every_change_and_only_then) {
  auto opened = open_store();
  auto other_host = open_store();
  const auto start = opened->catalog_revision();
  opened->replace_provider(rich_provider("a", {"a-1"}), "a.so");
  const auto after_add = other_host->catalog_revision();
  EXPECT_GT(after_add, start);
  // The same description from the same file again (a host restarting): nothing written, no reload elsewhere.
  other_host->replace_provider(rich_provider("a", {"a-1"}), "a.so");
  EXPECT_EQ(opened->catalog_revision(), after_add);
  // Changed content, or the same content from another file, is a change.
  opened->replace_provider(rich_provider("a", {"a-1", "a-2"}), "a.so");
  const auto after_change = opened->catalog_revision();
  EXPECT_GT(after_change, after_add);
  opened->replace_provider(rich_provider("a", {"a-1", "a-2"}), "a-v2.so");
  EXPECT_GT(opened->catalog_revision(), after_change);
  const auto before_remove = opened->catalog_revision();
  EXPECT_TRUE(opened->remove_providers_except({"a-v2.so"}).empty());
  EXPECT_EQ(opened->catalog_revision(), before_remove);
  EXPECT_THAT(opened->remove_providers_except({}), ElementsAre("a"));
  EXPECT_GT(other_host->catalog_revision(), before_remove);
  // Profiles are read from the database on every request and do not touch the catalog revision.
  const auto before_profile = opened->catalog_revision();
  opened->put_profile(heddesheim());
  EXPECT_EQ(opened->catalog_revision(), before_profile);
}

TEST_P(store_test, stores_opening_one_fresh_database_at_once_all_succeed) {
  // Several hosts starting together on an empty database race to apply the migrations.
  std::vector<std::thread> openers;
  std::atomic<int> opened_ok = 0;
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  for (int i = 0; i < 4; ++i) {
    openers.emplace_back([&] {
      try {
        auto opened = store::open({url(), 1});
        if (opened->schema_version() == store_migrations().back().version) {
          ++opened_ok;
        }
      } catch (const std::exception& e) {
        const std::lock_guard lock(failures_mutex);
        failures.emplace_back(e.what());
      }
    });
  }
  for (auto& opener : openers) {
    opener.join();
  }
  EXPECT_THAT(failures, ::testing::IsEmpty());
  EXPECT_EQ(opened_ok, 4);
  auto sql = raw();
  int rows = 0;
  sql << "SELECT COUNT(*) FROM schema_migrations", soci::into(rows);
  EXPECT_EQ(rows, static_cast<int>(store_migrations().size()));
}

store_contents sample_contents() {
  store_contents contents;
  contents.providers.push_back({"alpha.so", rich_provider("alpha", {"alpha.one", "alpha.two"})});
  contents.providers.push_back({"beta.so", rich_provider("beta", {"beta.one"})});
  auto first = heddesheim();
  auto second = heddesheim();
  second.ags = "08226013";
  second.name = "Eppelheim";
  contents.profiles.push_back({second, 1});  // sorted by AGS, as an export is
  contents.profiles.push_back({first, 7});
  return contents;
}

std::string contents_text(const store_contents& contents) { return boost::json::serialize(to_json(contents)); }

TEST_P(store_test, export_and_import_round_trip_including_profile_versions) {
  const auto contents = sample_contents();
  {
    auto opened = open_store();
    opened->import_contents(contents);
    EXPECT_EQ(contents_text(opened->export_contents()), contents_text(contents));
    EXPECT_EQ(opened->get_profile("08226028")->version, 7);
    EXPECT_EQ(opened->load_catalog().size(), 2U);
  }
  // And from SQLite to this backend, the way an instance moves to PostgreSQL.
  test::test_database sqlite_source(test::backend::sqlite);
  auto source = store::open({sqlite_source.url(), 1});
  source->import_contents(contents);
  test::test_database target_database(GetParam());
  auto target = store::open({target_database.url(), 2});
  target->import_contents(source->export_contents());
  EXPECT_EQ(contents_text(target->export_contents()), contents_text(source->export_contents()));
}

TEST_P(store_test, import_refuses_a_database_that_is_not_empty_and_changes_nothing) {
  auto opened = open_store();
  opened->put_profile(heddesheim());
  const auto before = contents_text(opened->export_contents());
  try {
    opened->import_contents(sample_contents());
    FAIL() << "an import into a database holding a profile succeeded";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("it already holds 1 profile(s);"), HasSubstr("empty database")));
  }
  EXPECT_EQ(contents_text(opened->export_contents()), before);

  // A clash inside the import rolls everything back.
  auto clashing = sample_contents();
  clashing.providers.push_back({"gamma.so", rich_provider("gamma", {"alpha.one"})});
  test::test_database empty(GetParam());
  auto fresh = store::open({empty.url(), 1});
  EXPECT_THROW(fresh->import_contents(clashing), store_error);
  EXPECT_TRUE(fresh->export_contents().providers.empty());
  EXPECT_TRUE(fresh->export_contents().profiles.empty());
}

// Standard base64 of 7 and 8 bytes (the start of an ELF header): libraries as host/publishing stores them.
constexpr const char* library_v1 = "f0VMRgIBAQ==";
constexpr const char* library_v2 = "f0VMRgIBAQI=";

submission_record sample_submission(std::int64_t id, const std::string& provider_id, submission_status status,
                                    std::vector<submission_event> history) {
  submission_record row;
  row.id = id;
  row.organisation = "startup-a";
  row.provider_id = provider_id;
  row.file_name = "lib" + provider_id + ".so";
  row.file_sha256 = std::string(64, static_cast<char>('0' + id));
  row.size_bytes = id == 1 ? 7 : 8;
  row.key_id = "key-a1";
  row.status = status;
  row.submitted_at = history.front().at;
  row.updated_at = history.back().at;
  row.history = std::move(history);
  // Whitespace and "1.50": a store that parsed and re-serialised these documents would change them.
  row.description_json = R"({ "provider": {"id": ")" + provider_id + R"("}, "version": )" + std::to_string(id) +
                         R"(, "weight": 1.50 })";
  row.report_json = R"({"ok": true,  "submission": )" + std::to_string(id) + "}";
  row.signature_json = R"({"key_id": "key-a1", "signature": "sig-)" + std::to_string(id) + R"("})";
  row.library_base64 = id == 1 ? library_v1 : library_v2;
  return row;
}

// A store's whole state with every kind of row, every optional column both set and unset, and timestamps in the
// past, so that an import that dropped a column or stamped the current time instead would show.
store_contents full_contents() {
  auto contents = sample_contents();
  auto gamma = rich_provider("gamma", {"gamma.one"});
  gamma.provider_info.kind = domain::provider_kind::startup;
  contents.providers.push_back({"submission:2", gamma});  // approved upload 2; sorted by provider id

  contents.organisations = {{{"08226028", role::municipality, "Heddesheim"}, "2024-01-01T08:00:00Z"},
                            {{"komm-one", role::curator, "Komm.ONE"}, "2024-01-01T09:00:00Z"},
                            {{"startup-a", role::publisher, "Start-up A"}, "2024-01-01T10:00:00Z"}};
  contents.tokens = {
      {"tok_000000000001", std::string(64, 'a'), role::publisher, "startup-a", "CI", "2024-01-02T08:00:00Z",
       "2025-01-02T08:00:00Z", "2024-03-01T12:00:00Z"},
      {"tok_000000000002", std::string(64, 'b'), role::admin, "", "", "2024-01-02T09:00:00Z", "2099-01-02T09:00:00Z",
       std::nullopt},
      {"tok_000000000003", std::string(64, 'c'), role::curator, "komm-one", "Kuratorin", "2024-01-02T10:00:00Z",
       "2099-01-02T10:00:00Z", std::nullopt}};
  contents.publisher_keys = {
      {"key-a0", "startup-a", R"({ "key_id": "key-a0", "public_key": "AAAA" })", "2024-01-03T08:00:00Z",
       "2024-01-04T08:00:00Z"},
      {"key-a1", "startup-a", R"({ "key_id": "key-a1", "public_key": "BBBB" })", "2024-01-03T09:00:00Z",
       std::nullopt}};
  using status = submission_status;
  contents.submissions = {
      sample_submission(1, "gamma", status::superseded,
                        {{"2024-02-01T08:00:00Z", status::pending, "startup-a", ""},
                         {"2024-02-02T08:00:00Z", status::approved, "komm-one", "passt"},
                         {"2024-02-03T08:00:00Z", status::superseded, "komm-one", "replaced by version 2"}}),
      sample_submission(2, "gamma", status::approved,
                        {{"2024-02-03T07:00:00Z", status::pending, "startup-a", ""},
                         {"2024-02-03T08:00:00Z", status::approved, "admin", ""}}),
      sample_submission(3, "delta", status::pending, {{"2024-02-04T07:00:00Z", status::pending, "startup-a", ""}})};
  contents.last_submission_id = 5;  // a counter ahead of the largest id, as after an upload that failed to commit
  contents.provider_owners = {{"gamma", "startup-a"}};
  contents.endorsements = {
      {{"komm-one", "alpha.one", domain::endorsement_kind::operated_by_us}, "2024-02-05T08:00:00Z"},
      {{"komm-one", "gamma.one", domain::endorsement_kind::compatible_with_our_platform}, "2024-02-05T09:00:00Z"}};
  contents.demand_counts = {{"alpha.one", "excluded", "", 3},
                            {"alpha.one", "excluded", "budget_annual", 2},
                            {"alpha.one", "shown", "", 7},
                            {"gamma.one", "shown", "", 1}};
  return contents;
}

std::vector<submission_status> statuses_of(const std::vector<submission_event>& history) {
  std::vector<submission_status> statuses;
  for (const auto& event : history) {
    statuses.push_back(event.status);
  }
  return statuses;
}

test::backend other_backend(test::backend kind) {
  return kind == test::backend::sqlite ? test::backend::postgresql : test::backend::sqlite;
}

TEST_P(store_test, export_and_import_round_trip_accounts_uploads_curation_and_demand) {
  const auto contents = full_contents();
  const auto expected = contents_text(contents);
  // The file really holds the new sections (an exporter that left them out would compare equal below).
  const auto parsed = parse_store_contents(boost::json::parse(expected));
  ASSERT_TRUE(parsed.ok()) << parsed.errors.front().pointer << ": " << parsed.errors.front().message;
  ASSERT_EQ(parsed.value.submissions.size(), 3U);
  ASSERT_EQ(parsed.value.tokens.size(), 3U);

  auto opened = open_store();
  opened->import_contents(parsed.value);
  const auto exported = opened->export_contents();
  EXPECT_EQ(contents_text(exported), expected);

  // What the other parts of the store read back.
  account_store accounts(*opened);
  const auto revoked = accounts.find_token_by_sha256(std::string(64, 'a'));
  ASSERT_TRUE(revoked.has_value());
  EXPECT_EQ(revoked->id, "tok_000000000001");
  EXPECT_EQ(revoked->revoked_at, std::optional<std::string>("2024-03-01T12:00:00Z"));
  EXPECT_EQ(accounts.find_token_by_sha256(std::string(64, 'b'))->token_role, role::admin);
  EXPECT_EQ(accounts.find_organisation("komm-one")->org_role, role::curator);
  const auto keys = accounts.publisher_keys("startup-a");
  ASSERT_EQ(keys.size(), 2U);
  EXPECT_EQ(keys[0].revoked_at, std::optional<std::string>("2024-01-04T08:00:00Z"));
  EXPECT_EQ(keys[1].document, R"({ "key_id": "key-a1", "public_key": "BBBB" })");

  curation_store curation(*opened);
  const auto superseded = curation.find_submission(1);
  ASSERT_TRUE(superseded.has_value());
  EXPECT_THAT(statuses_of(superseded->history),
              ElementsAre(submission_status::pending, submission_status::approved, submission_status::superseded));
  EXPECT_EQ(superseded->history[2].reason, "replaced by version 2");
  EXPECT_EQ(superseded->submitted_at, "2024-02-01T08:00:00Z");
  EXPECT_EQ(superseded->description_json, contents.submissions[0].description_json);
  const auto approved = curation.approved_submissions();
  ASSERT_EQ(approved.size(), 1U);
  EXPECT_EQ(approved[0].id, 2);
  const auto bundle = curation.find_bundle(2);
  ASSERT_TRUE(bundle.has_value());
  EXPECT_EQ(bundle->library_base64, library_v2);
  EXPECT_EQ(bundle->signature_json, contents.submissions[1].signature_json);
  EXPECT_EQ(curation.owner_of_provider("gamma"), std::optional<std::string>("startup-a"));
  EXPECT_EQ(curation.endorsements().size(), 2U);
  EXPECT_EQ(demand_store(*opened).counts({"alpha.one"}).size(), 3U);

  // New uploads continue after the imported counter, not after the largest imported id and not at 1.
  new_submission upload;
  upload.organisation = "startup-a";
  upload.provider_id = "delta";
  upload.file_name = "libdelta.so";
  upload.file_sha256 = std::string(64, 'd');
  upload.size_bytes = 7;
  upload.key_id = "key-a1";
  upload.library_base64 = library_v1;
  upload.signature_json = "{}";
  upload.description_json = "{}";
  upload.report_json = "{}";
  EXPECT_EQ(curation.add_submission(upload), 6);
  // The approved upload is still what the provider came from: withdrawing it takes the provider out.
  EXPECT_EQ(curation.withdraw(2, "admin", "").outcome, transition_outcome::done);
  const auto catalog = opened->load_catalog();
  EXPECT_TRUE(std::none_of(catalog.begin(), catalog.end(),
                           [](const auto& p) { return p.provider_info.id == "gamma"; }));

  // Into the other backend and out again: the same bytes.
  const auto other = other_backend(GetParam());
  if (const auto why = test::backend_unavailable(other)) {
    if (test::postgres_required()) {
      FAIL() << *why;
    }
    return;
  }
  test::test_database other_database(other);
  auto moved = store::open({other_database.url(), 2});
  moved->import_contents(exported);
  EXPECT_EQ(contents_text(moved->export_contents()), expected);
}

TEST_P(store_test, an_export_carries_what_the_account_curation_and_demand_stores_wrote) {
  auto source = open_store();
  source->replace_provider(rich_provider("alpha", {"alpha.one"}), "alpha.so");
  source->put_profile(heddesheim());
  account_store accounts(*source);
  accounts.ensure_organisation({"startup-a", role::publisher, "Start-up A"});
  accounts.ensure_organisation({"komm-one", role::curator, "Komm.ONE"});
  accounts.add_token({"tok_000000000001", std::string(64, 'a'), role::publisher, "startup-a", "CI",
                      "2024-01-02T08:00:00Z", "2099-01-02T08:00:00Z", std::nullopt});
  ASSERT_TRUE(accounts.revoke_token("tok_000000000001"));
  ASSERT_EQ(accounts.add_publisher_key({"key-a1", "startup-a", R"({"key_id": "key-a1"})", "", std::nullopt}),
            key_registration::added);
  curation_store curation(*source);
  auto gamma = rich_provider("gamma", {"gamma.one"});
  const auto submit = [&](curation_store& into, const char* library, std::int64_t size) {
    new_submission upload;
    upload.organisation = "startup-a";
    upload.provider_id = "gamma";
    upload.file_name = "libgamma.so";
    upload.file_sha256 = std::string(64, 'e');
    upload.size_bytes = size;
    upload.key_id = "key-a1";
    upload.library_base64 = library;
    upload.signature_json = R"({"key_id": "key-a1"})";
    upload.description_json = boost::json::serialize(domain::to_json(gamma));
    upload.report_json = R"({"ok": true})";
    return into.add_submission(upload);
  };
  const auto first = submit(curation, library_v1, 7);
  ASSERT_EQ(curation.approve(first, gamma, "komm-one", "passt").outcome, transition_outcome::done);
  const auto second = submit(curation, library_v2, 8);
  ASSERT_EQ(curation.approve(second, gamma, "komm-one", "").outcome, transition_outcome::done);
  const auto pending = submit(curation, library_v1, 7);
  curation.put_endorsement({"komm-one", "gamma.one", domain::endorsement_kind::operated_by_us});
  demand_store(*source).add({{"gamma.one", "shown", "", 4}, {"gamma.one", "excluded", "", 1},
                             {"gamma.one", "excluded", "budget_annual", 1}});

  const auto exported = source->export_contents();
  ASSERT_EQ(exported.providers.size(), 2U);
  EXPECT_EQ(exported.providers[1].plugin_file, "submission:" + std::to_string(second));
  EXPECT_EQ(exported.organisations.size(), 2U);
  ASSERT_EQ(exported.tokens.size(), 1U);
  EXPECT_TRUE(exported.tokens[0].revoked_at.has_value());
  ASSERT_EQ(exported.publisher_keys.size(), 1U);
  EXPECT_FALSE(exported.publisher_keys[0].registered_at.empty());
  ASSERT_EQ(exported.submissions.size(), 3U);
  EXPECT_EQ(exported.submissions[0].status, submission_status::superseded);
  EXPECT_THAT(statuses_of(exported.submissions[0].history),
              ElementsAre(submission_status::pending, submission_status::approved, submission_status::superseded));
  EXPECT_EQ(exported.submissions[0].library_base64, library_v1);
  EXPECT_EQ(exported.submissions[1].status, submission_status::approved);
  EXPECT_EQ(exported.submissions[2].status, submission_status::pending);
  EXPECT_EQ(exported.last_submission_id, pending);
  ASSERT_EQ(exported.provider_owners.size(), 1U);
  EXPECT_EQ(exported.provider_owners[0].organisation, "startup-a");
  ASSERT_EQ(exported.endorsements.size(), 1U);
  EXPECT_FALSE(exported.endorsements[0].created_at.empty());
  EXPECT_EQ(exported.demand_counts.size(), 3U);

  // Through the file format, into a fresh database of the same backend, and out again unchanged.
  const auto text = contents_text(exported);
  const auto parsed = parse_store_contents(boost::json::parse(text));
  ASSERT_TRUE(parsed.ok()) << parsed.errors.front().pointer << ": " << parsed.errors.front().message;
  test::test_database target_database(GetParam());
  auto target = store::open({target_database.url(), 2});
  target->import_contents(parsed.value);
  EXPECT_EQ(contents_text(target->export_contents()), text);
  // The target numbers new uploads after the imported ones.
  curation_store target_curation(*target);
  EXPECT_EQ(submit(target_curation, library_v2, 8), pending + 1);
}

TEST_P(store_test, import_refuses_a_database_holding_only_accounts_or_curation_state) {
  const auto contents = full_contents();
  {
    auto opened = open_store();
    account_store(*opened).add_token({"tok_00000000000f", std::string(64, 'f'), role::admin, "", "",
                                      "2024-01-02T08:00:00Z", "2099-01-02T08:00:00Z", std::nullopt});
    const auto before = contents_text(opened->export_contents());
    try {
      opened->import_contents(contents);
      FAIL() << "an import into a database holding a token succeeded";
    } catch (const store_error& e) {
      EXPECT_THAT(e.what(), AllOf(HasSubstr("it already holds 1 token(s);"), HasSubstr("empty database")));
    }
    EXPECT_EQ(contents_text(opened->export_contents()), before);
  }
  test::test_database endorsed(GetParam());
  auto opened = store::open({endorsed.url(), 1});
  curation_store(*opened).put_endorsement({"komm-one", "x.one", domain::endorsement_kind::operated_by_us});
  demand_store(*opened).add({{"x.one", "shown", "", 2}});
  try {
    opened->import_contents(contents);
    FAIL() << "an import into a database holding an endorsement succeeded";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("it already holds 1 endorsement(s) and 1 demand count(s);"));
  }
  EXPECT_TRUE(opened->export_contents().submissions.empty());
}

TEST_P(store_test, import_refuses_a_counter_below_a_submission_id_and_writes_nothing) {
  auto contents = full_contents();
  contents.last_submission_id = 2;  // submission 3 would be handed out again
  auto opened = open_store();
  EXPECT_THROW(opened->import_contents(contents), std::invalid_argument);
  // A duplicate key (two tokens with one hash) is refused by the database, rolling back everything before it.
  contents = full_contents();
  contents.tokens[1].token_sha256 = contents.tokens[0].token_sha256;
  EXPECT_THROW(opened->import_contents(contents), store_error);
  const auto after = opened->export_contents();
  EXPECT_TRUE(after.providers.empty());
  EXPECT_TRUE(after.organisations.empty());
  EXPECT_TRUE(after.tokens.empty());
  EXPECT_EQ(after.last_submission_id, 0);
}

TEST_P(store_test, a_version_1_export_still_imports) {
  const auto parsed = parse_store_contents(boost::json::parse(R"({
    "format": "lotse-export", "format_version": 1,
    "providers": [{"plugin_file": "a.so",
                   "provider": {"id": "anbieter-a", "name": "Anbieter A", "kind": "startup"},
                   "solutions": [{"id": "a.workshop", "name": "Workshop", "summary": "Ein Tag Zukunftsbild.",
                                  "kind": "training", "categories": ["strategy.vision"],
                                  "stages": {"min": "start", "max": "orientation"},
                                  "cost": {"setup_eur": 2500, "annual_base_eur": 0},
                                  "effort": {"rollout_fte": 0.1, "ongoing_fte": 0, "rollout_months": 1},
                                  "required_skill": "none"}]}],
    "municipalities": [{"version": 3, "profile": {"ags": "07131001", "name": "Testdorf", "population": 800,
                         "maturity": {"stage": "start"},
                         "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2}}}]})"));
  ASSERT_TRUE(parsed.ok()) << parsed.errors.front().pointer << ": " << parsed.errors.front().message;
  auto opened = open_store();
  opened->import_contents(parsed.value);
  const auto exported = opened->export_contents();
  ASSERT_EQ(exported.providers.size(), 1U);
  EXPECT_EQ(exported.providers[0].description.solutions.at(0).id, "a.workshop");
  EXPECT_EQ(opened->get_profile("07131001")->version, 3);
  EXPECT_TRUE(exported.tokens.empty());
  EXPECT_EQ(exported.last_submission_id, 0);
  new_submission upload;
  upload.organisation = "startup-a";
  upload.provider_id = "anbieter-b";
  upload.file_name = "libb.so";
  upload.key_id = "key";
  EXPECT_EQ(curation_store(*opened).add_submission(upload), 1);
}

TEST(store_open_test, an_in_memory_database_keeps_its_data_across_calls) {
  auto opened = store::open({"sqlite::memory:", 4});
  opened->put_profile(heddesheim());
  opened->replace_provider(rich_provider("stadtwerk-digital", {"ratsinfo-cloud"}), "a.so");
  EXPECT_EQ(opened->schema_version(), store_migrations().back().version);
  // Concurrent callers would lease further connections of a larger pool, each with an empty database of its own.
  std::atomic<int> wrong_answers = 0;
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        try {
          if (opened->profile_count() != 1 || opened->load_catalog().size() != 1) {
            ++wrong_answers;
          }
        } catch (const store_error&) {
          ++wrong_answers;
        }
      }
    });
  }
  for (auto& reader : readers) {
    reader.join();
  }
  EXPECT_EQ(wrong_answers, 0);
}

std::string open_error(const store_options& options) {
  try {
    store::open(options);
  } catch (const store_error& e) {
    return e.what();
  }
  return "(opened)";
}

TEST(store_open_test, bad_urls_are_refused_with_a_clear_message) {
  EXPECT_THAT(open_error({"mysql://x", 1}), AllOf(HasSubstr("unsupported"), HasSubstr("'mysql'")));
  EXPECT_THAT(open_error({"", 1}), HasSubstr("no database URL"));
  EXPECT_THAT(open_error({"sqlite:", 1}), HasSubstr("names no database file"));
  EXPECT_THAT(open_error({"sqlite:/tmp/x.db", 0}), HasSubstr("pool_size"));
  EXPECT_THAT(open_error({"sqlite:/nonexistent/dir/x.db", 1}),
              AllOf(HasSubstr("cannot open SQLite database '/nonexistent/dir/x.db'"),
                    HasSubstr("unable to open database file")));
}

TEST(store_open_test, a_password_in_a_url_never_reaches_the_message) {
  // Nothing listens on port 1, so libpq fails at once with "connection refused".
  const auto message = open_error({"postgresql://lotse:geheim@127.0.0.1:1/lotse?connect_timeout=2", 1});
  EXPECT_THAT(message, AllOf(HasSubstr("cannot open PostgreSQL database postgresql://127.0.0.1:1/lotse"),
                             Not(HasSubstr("geheim"))));
  EXPECT_THAT(open_error({"mysql://root:geheim@db/x", 1}), Not(HasSubstr("geheim")));
}

TEST(store_open_test, a_file_that_is_not_a_database_is_refused) {
  testing::temp_directory directory;
  const auto path = directory.path() / "not-a-database.db";
  {
    std::FILE* file = std::fopen(path.c_str(), "w");
    ASSERT_NE(file, nullptr);
    std::fputs("this is a text file, long enough to fill a page header of SQLite and then some more text", file);
    std::fclose(file);
  }
  EXPECT_THAT(open_error({"sqlite:" + path.string(), 1}), HasSubstr("cannot open SQLite database"));
}

}  // namespace
}  // namespace lotse::catalog

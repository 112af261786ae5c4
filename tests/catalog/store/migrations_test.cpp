#include "catalog/store/migrations.hpp"

#include "catalog/store/store.hpp"
#include "tests/catalog/store/temp_directory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace lotse::catalog {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

class migrations_test : public ::testing::Test {
 protected:
  migrations_test() : sql_(soci::sqlite3, (directory_.path() / "migrations.db").string()) {}

  bool table_exists(const std::string& name) {
    int found = 0;
    sql_ << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :name", soci::use(name),
        soci::into(found);
    return found > 0;
  }

  int recorded_rows() {
    int rows = 0;
    sql_ << "SELECT COUNT(*) FROM schema_migrations", soci::into(rows);
    return rows;
  }

  testing::temp_directory directory_;
  soci::session sql_;
};

const std::vector<migration> two_steps = {
    {1, "first", {"CREATE TABLE first_table (id TEXT NOT NULL PRIMARY KEY)"}},
    {2, "second", {"CREATE TABLE second_table (id TEXT NOT NULL PRIMARY KEY)", "CREATE INDEX second_id ON second_table (id)"}},
};

TEST_F(migrations_test, applies_pending_migrations_in_order_and_records_them) {
  EXPECT_EQ(apply_migrations(sql_, {two_steps[0]}), 1);
  EXPECT_TRUE(table_exists("first_table"));
  EXPECT_FALSE(table_exists("second_table"));

  EXPECT_EQ(apply_migrations(sql_, two_steps), 2);
  EXPECT_TRUE(table_exists("second_table"));
  EXPECT_EQ(recorded_rows(), 2);
  std::string name;
  sql_ << "SELECT name FROM schema_migrations WHERE version = 2", soci::into(name);
  EXPECT_EQ(name, "second");

  // Re-applying would fail on CREATE TABLE, so success here means nothing ran.
  EXPECT_EQ(apply_migrations(sql_, two_steps), 2);
  EXPECT_EQ(recorded_rows(), 2);
  EXPECT_EQ(recorded_schema_version(sql_), 2);
}

TEST_F(migrations_test, a_failing_migration_leaves_no_trace_and_is_retried_next_time) {
  const std::vector<migration> broken = {
      two_steps[0],
      {2, "broken", {"CREATE TABLE half_done (id TEXT)", "CREATE TABLE first_table (id TEXT)"}},
  };
  try {
    apply_migrations(sql_, broken);
    FAIL() << "a migration creating an existing table succeeded";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("migration 2 (broken)"), HasSubstr("rolled back")));
  }
  EXPECT_TRUE(table_exists("first_table"));
  EXPECT_FALSE(table_exists("half_done"));
  EXPECT_EQ(recorded_schema_version(sql_), 1);

  EXPECT_EQ(apply_migrations(sql_, two_steps), 2);
  EXPECT_TRUE(table_exists("second_table"));
}

TEST_F(migrations_test, refuses_a_database_newer_than_the_migrations) {
  apply_migrations(sql_, two_steps);
  try {
    apply_migrations(sql_, {two_steps[0]});
    FAIL() << "a database at version 2 was accepted by code that knows version 1";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("schema version 2"), HasSubstr("newer than version 1")));
  }
}

TEST_F(migrations_test, versions_must_ascend) {
  EXPECT_THROW(apply_migrations(sql_, {two_steps[1], two_steps[0]}), std::logic_error);
  EXPECT_THROW(apply_migrations(sql_, {{0, "zero", {}}}), std::logic_error);
}

TEST(store_migrations_test, are_ascending_and_start_at_one) {
  const auto& migrations = store_migrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations.front().version, 1);
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, migrations[i - 1].version + 1) << "at index " << i;
  }
}

}  // namespace
}  // namespace lotse::catalog

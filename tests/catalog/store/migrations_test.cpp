#include "catalog/store/migrations.hpp"

#include "catalog/store/store.hpp"
#include "tests/support/raw_session.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace lotse::catalog {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

class migrations_test : public ::testing::TestWithParam<test::backend> {
 protected:
  void SetUp() override {
    LOTSE_REQUIRE_BACKEND(GetParam());
    database_ = std::make_unique<test::test_database>(GetParam());
    session_ = test::make_raw_session(*database_);
  }

  // Asked by querying the table, which works the same on both backends (no sqlite_master / information_schema).
  bool table_exists(const std::string& name) {
    try {
      int rows = 0;
      sql() << "SELECT COUNT(*) FROM " + name, soci::into(rows);
      return true;
    } catch (const soci::soci_error&) {
      return false;
    }
  }

  int recorded_rows() {
    int rows = 0;
    sql() << "SELECT COUNT(*) FROM schema_migrations", soci::into(rows);
    return rows;
  }

  soci::session& sql() { return *session_; }

  std::unique_ptr<test::test_database> database_;
  std::unique_ptr<soci::session> session_;
};

INSTANTIATE_TEST_SUITE_P(, migrations_test, test::all_backends, test::backend_name);

const std::vector<migration> two_steps = {
    {1, "first", {"CREATE TABLE first_table (id TEXT NOT NULL PRIMARY KEY)"}},
    {2, "second", {"CREATE TABLE second_table (id TEXT NOT NULL PRIMARY KEY)", "CREATE INDEX second_id ON second_table (id)"}},
};

TEST_P(migrations_test, applies_pending_migrations_in_order_and_records_them) {
  EXPECT_EQ(apply_migrations(sql(), {two_steps[0]}), 1);
  EXPECT_TRUE(table_exists("first_table"));
  EXPECT_FALSE(table_exists("second_table"));

  EXPECT_EQ(apply_migrations(sql(), two_steps), 2);
  EXPECT_TRUE(table_exists("second_table"));
  EXPECT_EQ(recorded_rows(), 2);
  std::string name;
  sql() << "SELECT name FROM schema_migrations WHERE version = 2", soci::into(name);
  EXPECT_EQ(name, "second");

  // Re-applying would fail on CREATE TABLE, so success here means nothing ran.
  EXPECT_EQ(apply_migrations(sql(), two_steps), 2);
  EXPECT_EQ(recorded_rows(), 2);
  EXPECT_EQ(recorded_schema_version(sql()), 2);
}

TEST_P(migrations_test, a_failing_migration_leaves_no_trace_and_is_retried_next_time) {
  const std::vector<migration> broken = {
      two_steps[0],
      {2, "broken", {"CREATE TABLE half_done (id TEXT)", "CREATE TABLE first_table (id TEXT)"}},
  };
  try {
    apply_migrations(sql(), broken);
    FAIL() << "a migration creating an existing table succeeded";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("migration 2 (broken)"), HasSubstr("rolled back")));
  }
  EXPECT_TRUE(table_exists("first_table"));
  EXPECT_FALSE(table_exists("half_done"));
  EXPECT_EQ(recorded_schema_version(sql()), 1);

  EXPECT_EQ(apply_migrations(sql(), two_steps), 2);
  EXPECT_TRUE(table_exists("second_table"));
}

TEST_P(migrations_test, refuses_a_database_newer_than_the_migrations) {
  apply_migrations(sql(), two_steps);
  try {
    apply_migrations(sql(), {two_steps[0]});
    FAIL() << "a database at version 2 was accepted by code that knows version 1";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("schema version 2"), HasSubstr("newer than version 1")));
  }
}

TEST_P(migrations_test, versions_must_ascend) {
  EXPECT_THROW(apply_migrations(sql(), {two_steps[1], two_steps[0]}), std::logic_error);
  EXPECT_THROW(apply_migrations(sql(), {{0, "zero", {}}}), std::logic_error);
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

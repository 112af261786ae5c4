// A database of its own for one test, on either backend, so every store and API test runs against SQLite and
// against PostgreSQL with the same code.
//
// SQLite: a file in a fresh temporary directory. PostgreSQL: a fresh database in the cluster named by
// LOTSE_TEST_POSTGRES_URL (scripts/test.sh starts a throwaway cluster and sets it), dropped afterwards. Without
// that variable PostgreSQL tests skip, unless LOTSE_TEST_POSTGRES_REQUIRED=1 (set by scripts/test.sh), when they
// fail: the README's test command must never pass by skipping half the suite.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

namespace lotse::test {

enum class backend { sqlite, postgresql };

// "sqlite" / "postgresql": the suffix of parameterised test names (…/postgresql), which CTest labels "postgres".
std::string backend_name(const ::testing::TestParamInfo<backend>& info);
inline const auto all_backends = ::testing::Values(backend::sqlite, backend::postgresql);

// The reason this backend cannot be tested here, or nullopt when it can.
std::optional<std::string> backend_unavailable(backend kind);

// Call first in SetUp(): skips (or fails, see above) when the backend is unavailable.
#define LOTSE_REQUIRE_BACKEND(kind)                                                 \
  do {                                                                              \
    if (const auto lotse_why = ::lotse::test::backend_unavailable(kind)) {          \
      if (::lotse::test::postgres_required()) {                                     \
        FAIL() << *lotse_why;                                                       \
      }                                                                             \
      GTEST_SKIP() << *lotse_why;                                                   \
    }                                                                               \
  } while (false)

bool postgres_required();

class test_database {
 public:
  explicit test_database(backend kind);
  ~test_database();  // removes the file or drops the database
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  backend kind() const { return kind_; }
  // What lotse-host --db and store_options::url take.
  const std::string& url() const { return url_; }
  // A directory that lives as long as this object (for plugin copies, export files, …).
  const std::filesystem::path& scratch() const { return scratch_; }

 private:
  backend kind_;
  std::filesystem::path scratch_;
  std::string database_;  // PostgreSQL database name
  std::string url_;
};

// The PostgreSQL URL of the test cluster's maintenance database with `database` put in its place.
std::string postgres_url_for(const std::string& database);

}  // namespace lotse::test

#include "tests/support/test_database.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace lotse::test {

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::filesystem::path make_scratch_directory() {
  std::random_device random;
  const auto base = std::filesystem::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = base / ("lotse-test-" + std::to_string(random()) + std::to_string(random()));
    if (std::filesystem::create_directory(candidate)) {
      return candidate;
    }
  }
  throw std::runtime_error("cannot create a unique temporary directory under " + base.string());
}

// Unique per process and object: ctest runs test processes in parallel against the one cluster.
std::string unique_database_name() {
  static std::atomic<int> counter{0};
  std::random_device random;
  return "lotse_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(random() % 100000);
}

}  // namespace

std::string backend_name(const ::testing::TestParamInfo<backend>& info) {
  return info.param == backend::sqlite ? "sqlite" : "postgresql";
}

bool postgres_required() { return env("LOTSE_TEST_POSTGRES_REQUIRED") == "1"; }

std::optional<std::string> backend_unavailable(backend kind) {
  if (kind == backend::postgresql && env("LOTSE_TEST_POSTGRES_URL").empty()) {
    return std::string("no PostgreSQL test cluster: LOTSE_TEST_POSTGRES_URL is not set (scripts/test.sh starts one "
                       "and sets it)");
  }
  return std::nullopt;
}

std::string postgres_url_for(const std::string& database) {
  const auto base = env("LOTSE_TEST_POSTGRES_URL");
  const auto slash = base.rfind('/');
  if (base.empty() || slash == std::string::npos || slash < base.find("://") + 3) {
    throw std::runtime_error("LOTSE_TEST_POSTGRES_URL must look like postgresql://user@host:port/dbname, got '" +
                             base + "'");
  }
  return base.substr(0, slash + 1) + database;
}

namespace {

// Runs one statement on the cluster's maintenance database through libpq, which takes the URL as it is.
void run_admin_statement(const std::string& statement) {
  const auto url = env("LOTSE_TEST_POSTGRES_URL");
  PGconn* connection = PQconnectdb(url.c_str());
  std::string failure;
  if (PQstatus(connection) != CONNECTION_OK) {
    failure = PQerrorMessage(connection);
  } else {
    PGresult* result = PQexec(connection, statement.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      failure = PQresultErrorMessage(result);
    }
    PQclear(result);
  }
  PQfinish(connection);
  if (!failure.empty()) {
    throw std::runtime_error("test database: '" + statement + "' failed on " + url + ": " + failure);
  }
}

}  // namespace

test_database::test_database(backend kind) : kind_(kind), scratch_(make_scratch_directory()) {
  if (kind == backend::sqlite) {
    url_ = "sqlite:" + (scratch_ / "lotse.db").string();
    return;
  }
  database_ = unique_database_name();
  // Identifiers cannot be bound; the name is ours (letters, digits, underscores), never input.
  run_admin_statement("CREATE DATABASE " + database_);
  url_ = postgres_url_for(database_);
}

test_database::~test_database() {
  if (!database_.empty()) {
    try {
      // FORCE: a host process a test killed may still hold connections for a moment.
      run_admin_statement("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
    } catch (const std::exception&) {
      // The throwaway cluster goes away with the test run anyway.
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(scratch_, ignored);
}

}  // namespace lotse::test

#include "tests/support/raw_session.hpp"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace lotse::test {

namespace {

// The backend and connect string SOCI needs for the database.
std::pair<const soci::backend_factory*, std::string> connect_arguments(const test_database& database) {
  const auto& url = database.url();
  if (database.kind() == backend::sqlite) {
    return {&soci::sqlite3, url.substr(std::string("sqlite:").size())};
  }
  // SOCI's PostgreSQL backend wants libpq keywords, not a URI (see catalog/store/store.cpp); libpq translates.
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string why = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    throw std::runtime_error("raw_session: cannot parse " + url + ": " + why);
  }
  std::string keywords;
  for (const auto* option = options; option->keyword != nullptr; ++option) {
    if (option->val != nullptr) {
      keywords += std::string(option->keyword) + "=" + option->val + " ";
    }
  }
  PQconninfoFree(options);
  return {&soci::postgresql, keywords};
}

}  // namespace

soci::session raw_session(const test_database& database) {
  const auto [factory, connect] = connect_arguments(database);
  return soci::session(*factory, connect);
}

std::unique_ptr<soci::session> make_raw_session(const test_database& database) {
  const auto [factory, connect] = connect_arguments(database);
  return std::make_unique<soci::session>(*factory, connect);
}

}  // namespace lotse::test

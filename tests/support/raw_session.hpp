// A SOCI session of the test's own on a test_database, beside the store's connections, to look at and tamper with
// what the code under test wrote.
#pragma once

#include "tests/support/test_database.hpp"

#include <soci/session.h>

#include <memory>

namespace lotse::test {

soci::session raw_session(const test_database& database);
// The same, on the heap (soci::session can be neither copied nor moved, so it cannot be put into a member later).
std::unique_ptr<soci::session> make_raw_session(const test_database& database);

}  // namespace lotse::test

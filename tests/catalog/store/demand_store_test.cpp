#include "catalog/store/demand_store.hpp"

#include "tests/support/raw_session.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <mutex>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace lotse::catalog {

// For readable failure messages and ElementsAre.
bool operator==(const demand_count& a, const demand_count& b) {
  return std::tie(a.solution_id, a.event, a.reason, a.count) == std::tie(b.solution_id, b.event, b.reason, b.count);
}
void PrintTo(const demand_count& c, std::ostream* out) {
  *out << "{" << c.solution_id << ", " << c.event << ", '" << c.reason << "', " << c.count << "}";
}

namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

demand_count shown(std::string solution, std::int64_t n) { return {std::move(solution), "shown", "", n}; }
demand_count excluded(std::string solution, std::string reason, std::int64_t n) {
  return {std::move(solution), "excluded", std::move(reason), n};
}

// Every test runs on SQLite and on PostgreSQL (…/sqlite, …/postgresql), like store_test.
class demand_store_test : public ::testing::TestWithParam<test::backend> {
 protected:
  void SetUp() override {
    LOTSE_REQUIRE_BACKEND(GetParam());
    database_ = std::make_unique<test::test_database>(GetParam());
  }

  bool sqlite() const { return GetParam() == test::backend::sqlite; }
  std::unique_ptr<store> open_store(std::size_t pool_size = 4) const {
    return store::open({database_->url(), pool_size});
  }
  soci::session raw() const { return test::raw_session(*database_); }

  static long long row_count(soci::session& sql) {
    long long rows = -1;
    sql << "SELECT COUNT(*) FROM demand_counts", soci::into(rows);
    return rows;
  }

 private:
  std::unique_ptr<test::test_database> database_;
};

INSTANTIATE_TEST_SUITE_P(, demand_store_test, test::all_backends, test::backend_name);

TEST_P(demand_store_test, a_fresh_database_has_no_counts) {
  auto opened = open_store();
  const demand_store demand(*opened);
  EXPECT_THAT(demand.counts(), IsEmpty());
  EXPECT_THAT(demand.counts({"workshop"}), IsEmpty());
}

TEST_P(demand_store_test, add_sums_increments_and_counts_sorts_them) {
  auto opened = open_store();
  demand_store demand(*opened);
  // Out of order, with a key twice in one batch.
  demand.add({excluded("workshop", "budget_once", 2), shown("e-akte", 1), excluded("e-akte", "", 3),
              shown("workshop", 4), excluded("e-akte", "missing_capability", 3), shown("e-akte", 5),
              excluded("workshop", "", 2)});
  EXPECT_THAT(demand.counts(),
              ElementsAre(excluded("e-akte", "", 3), excluded("e-akte", "missing_capability", 3), shown("e-akte", 6),
                          excluded("workshop", "", 2), excluded("workshop", "budget_once", 2), shown("workshop", 4)));
}

TEST_P(demand_store_test, adding_again_adds_to_the_stored_counts) {
  auto opened = open_store();
  demand_store demand(*opened);
  demand.add({shown("workshop", 4), excluded("workshop", "budget_once", 1)});
  demand.add({shown("workshop", 3), excluded("workshop", "staff_ongoing", 7)});
  EXPECT_THAT(demand.counts(), ElementsAre(excluded("workshop", "budget_once", 1),
                                           excluded("workshop", "staff_ongoing", 7), shown("workshop", 7)));
  auto sql = raw();
  EXPECT_EQ(row_count(sql), 3);
}

TEST_P(demand_store_test, counts_returns_only_the_solutions_asked_for) {
  auto opened = open_store();
  demand_store demand(*opened);
  demand.add({shown("a", 1), shown("b", 2), excluded("b", "hosting", 1), shown("c", 3)});
  // Unknown ids, repeated ids and ids that would change a concatenated statement's meaning find nothing extra.
  EXPECT_THAT(demand.counts({"c", "b", "b", "unknown", "x' OR '1'='1"}),
              ElementsAre(excluded("b", "hosting", 1), shown("b", 2), shown("c", 3)));
  EXPECT_THAT(demand.counts({"unknown"}), IsEmpty());
}

TEST_P(demand_store_test, invalid_increments_are_refused_and_nothing_of_the_batch_is_written) {
  auto opened = open_store();
  demand_store demand(*opened);
  const std::vector<demand_count> invalid = {
      {"a", "clicked", "", 1},        // unknown event
      {"a", "shown", "hosting", 1},   // shown with a reason
      {"a", "shown", "", 0},          // not positive
      {"a", "excluded", "hosting", -2},
      {"", "shown", "", 1},           // no solution
  };
  for (const auto& bad : invalid) {
    EXPECT_THROW(demand.add({shown("a", 1), bad}), std::invalid_argument) << bad.event << " " << bad.count;
  }
  EXPECT_THAT(demand.counts(), IsEmpty());
  demand.add({});  // nothing to do is not an error
  EXPECT_THAT(demand.counts(), IsEmpty());
}

TEST_P(demand_store_test, database_errors_become_store_errors_without_sql_text) {
  auto opened = open_store();
  demand_store demand(*opened);
  {
    auto sql = raw();
    sql << "DROP TABLE demand_counts";
  }
  try {
    demand.add({shown("a", 1)});
    FAIL() << "adding without a demand_counts table succeeded";
  } catch (const store_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("adding demand counts"), Not(HasSubstr("INSERT")),
                                Not(HasSubstr("ON CONFLICT"))));
  }
  EXPECT_THROW(demand.counts(), store_error);
}

// Two hosts on one database, each with its own store (connection pool), adding the same keys at once and in opposite
// orders: on PostgreSQL that is where a lost update or a deadlock between the row locks would show.
TEST_P(demand_store_test, stores_adding_concurrently_lose_no_count) {
  auto first = open_store(2);
  auto second = open_store(2);
  demand_store first_demand(*first);
  demand_store second_demand(*second);
  constexpr int threads_per_store = 3;
  constexpr int batches_per_thread = 30;
  const std::vector<std::string> solutions = {"a", "b", "c", "d", "e"};

  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> workers;
  for (int t = 0; t < 2 * threads_per_store; ++t) {
    workers.emplace_back([&, t] {
      auto& demand = t % 2 == 0 ? first_demand : second_demand;
      try {
        for (int i = 0; i < batches_per_thread; ++i) {
          std::vector<demand_count> batch;
          for (const auto& solution : solutions) {
            batch.push_back(shown(solution, 1));
            batch.push_back(excluded(solution, "budget_annual", 2));
          }
          if ((t + i) % 2 == 1) {
            std::reverse(batch.begin(), batch.end());
          }
          demand.add(batch);
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
  EXPECT_THAT(failures, IsEmpty());

  constexpr std::int64_t batches = 2 * threads_per_store * batches_per_thread;
  std::vector<demand_count> expected;
  for (const auto& solution : solutions) {
    expected.push_back(excluded(solution, "budget_annual", 2 * batches));
    expected.push_back(shown(solution, batches));
  }
  EXPECT_EQ(first_demand.counts(), expected);
  EXPECT_EQ(second_demand.counts(), expected);
}

}  // namespace
}  // namespace lotse::catalog

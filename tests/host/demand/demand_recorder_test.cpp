#include "host/demand/demand_recorder.hpp"

#include "tests/host/matching/matching_fixtures.hpp"
#include "tests/support/raw_session.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

namespace lotse::demand {
namespace {

using namespace std::chrono_literals;
using ::testing::IsEmpty;
using matching::test::caps;
using matching::test::make_solution;
using matching::test::small_village;

constexpr auto never = std::chrono::hours(1);  // no periodic flush within a test

// Makes the default logger one that keeps its messages, for as long as it lives.
class log_capture {
 public:
  log_capture() : sink_(std::make_shared<sink>()), previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("demand-test", sink_));
  }
  ~log_capture() { spdlog::set_default_logger(previous_); }
  log_capture(const log_capture&) = delete;
  log_capture& operator=(const log_capture&) = delete;

  std::size_t count(std::string_view fragment) const {
    const std::lock_guard lock(sink_->mutex);
    return static_cast<std::size_t>(std::count_if(sink_->lines.begin(), sink_->lines.end(), [&](const auto& line) {
      return line.find(fragment) != std::string::npos;
    }));
  }

 private:
  struct sink : spdlog::sinks::base_sink<spdlog::details::null_mutex> {
    std::mutex mutex;
    std::vector<std::string> lines;
    void sink_it_(const spdlog::details::log_msg& msg) override {
      const std::lock_guard lock(mutex);
      lines.emplace_back(msg.payload.data(), msg.payload.size());
    }
    void flush_() override {}
  };
  std::shared_ptr<sink> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

// For the small village (matching_fixtures.hpp): three solutions fit; e-akte is excluded for two missing
// capabilities (one constraint), ki-protokoll for its setup cost, its annual cost and its rollout staff.
std::vector<domain::solution> village_catalog() {
  std::vector<domain::solution> catalog;
  catalog.push_back(make_solution("zukunftsbild-workshop", domain::need_category::strategy_vision, 2500, 0, 0.05, 0));
  catalog.push_back(make_solution("dms-basis", domain::need_category::administration_documents, 4000, 2500, 0.2, 0.1));
  auto e_file = make_solution("e-akte", domain::need_category::administration_documents, 3000, 1500, 0.1, 0.05);
  e_file.requires_capabilities = caps({domain::capability::dms, domain::capability::gis});
  catalog.push_back(e_file);
  catalog.push_back(make_solution("ki-protokoll", domain::need_category::administration_council, 15000, 6000, 0.5, 0.2));
  catalog.push_back(make_solution("winterdienst", domain::need_category::operations_winter_service, 1000, 500, 0.1, 0.1));
  return catalog;
}

using counts_map = std::map<std::tuple<std::string, std::string, std::string>, std::int64_t>;

// Runs on SQLite and on PostgreSQL (…/sqlite, …/postgresql): the recorder's write path is the store's.
class demand_recorder_test : public ::testing::TestWithParam<test::backend> {
 protected:
  void SetUp() override {
    LOTSE_REQUIRE_BACKEND(GetParam());
    database_ = std::make_unique<test::test_database>(GetParam());
    store_ = catalog::store::open({database_->url(), 2});
    demand_ = std::make_unique<catalog::demand_store>(*store_);
  }

  catalog::demand_store& demand_store() { return *demand_; }

  matching::match_outcome village_match(std::size_t max_excluded = 25) const {
    matching::match_options options;
    options.max_excluded = max_excluded;
    return matching::match(small_village(), catalog_, options);
  }

  // An outcome that shows these catalog solutions and excludes none.
  matching::match_outcome shown_only(std::initializer_list<std::string_view> ids) const {
    matching::match_outcome outcome;
    for (const auto id : ids) {
      const auto found = std::find_if(catalog_.begin(), catalog_.end(), [&](const auto& s) { return s.id == id; });
      if (found == catalog_.end()) {
        ADD_FAILURE() << "no solution " << id << " in the test catalog";
        continue;
      }
      outcome.results.push_back({&*found, 1.0, 0.0, {}});
    }
    return outcome;
  }

  counts_map stored() const {
    counts_map out;
    for (const auto& c : demand_->counts()) {
      out[{c.solution_id, c.event, c.reason}] = c.count;
    }
    return out;
  }

  // What one village match adds, times n.
  static counts_map village_counts(std::int64_t n) {
    return {{{"dms-basis", "shown", ""}, n},
            {{"e-akte", "excluded", ""}, n},
            {{"e-akte", "excluded", "missing_capability"}, n},
            {{"ki-protokoll", "excluded", ""}, n},
            {{"ki-protokoll", "excluded", "budget_annual"}, n},
            {{"ki-protokoll", "excluded", "budget_once"}, n},
            {{"ki-protokoll", "excluded", "staff_rollout"}, n},
            {{"winterdienst", "shown", ""}, n},
            {{"zukunftsbild-workshop", "shown", ""}, n}};
  }

  void drop_table() {
    auto sql = test::raw_session(*database_);
    sql << "DROP TABLE demand_counts";
  }
  void recreate_table() {
    auto sql = test::raw_session(*database_);
    sql << "CREATE TABLE demand_counts (solution_id TEXT NOT NULL, event TEXT NOT NULL, reason TEXT NOT NULL,"
           " count BIGINT NOT NULL, PRIMARY KEY (solution_id, event, reason))";
  }

 private:
  std::unique_ptr<test::test_database> database_;
  std::unique_ptr<catalog::store> store_;
  std::unique_ptr<catalog::demand_store> demand_;
  const std::vector<domain::solution> catalog_ = village_catalog();
};

INSTANTIATE_TEST_SUITE_P(, demand_recorder_test, test::all_backends, test::backend_name);

TEST_P(demand_recorder_test, the_fixture_match_shows_and_excludes_what_the_counts_expect) {
  const auto outcome = village_match();
  ASSERT_EQ(outcome.results.size(), 3u);
  ASSERT_EQ(outcome.excluded.size(), 2u);
  ASSERT_EQ(outcome.excluded[0].solution->id, "e-akte");
  EXPECT_EQ(outcome.excluded[0].reasons.size(), 2u);  // one violation per missing capability
}

TEST_P(demand_recorder_test, flush_adds_what_was_recorded_once) {
  demand_recorder recorder(demand_store(), never);
  recorder.record(village_match());
  recorder.record(village_match());
  EXPECT_THAT(stored(), IsEmpty());  // recording does no I/O
  EXPECT_EQ(recorder.flush(), village_counts(2).size());
  EXPECT_EQ(stored(), village_counts(2));
  EXPECT_EQ(recorder.flush(), 0u);  // nothing pending: nothing added twice
  EXPECT_EQ(stored(), village_counts(2));
  recorder.record(village_match());
  recorder.flush();
  EXPECT_EQ(stored(), village_counts(3));
}

TEST_P(demand_recorder_test, only_the_reported_exclusions_are_counted) {
  demand_recorder recorder(demand_store(), never);
  recorder.record(village_match(1));
  recorder.flush();
  auto expected = village_counts(1);
  std::erase_if(expected, [](const auto& entry) { return std::get<0>(entry.first) == "ki-protokoll"; });
  EXPECT_EQ(stored(), expected);
}

TEST_P(demand_recorder_test, counts_survive_a_failing_store_and_are_written_later) {
  demand_recorder recorder(demand_store(), never);
  recorder.record(village_match());
  drop_table();
  EXPECT_THROW(recorder.flush(), catalog::store_error);
  recorder.record(village_match());  // recorded while the counts of the failed flush are back in waiting
  EXPECT_THROW(recorder.flush(), catalog::store_error);
  recreate_table();
  EXPECT_EQ(recorder.flush(), village_counts(2).size());
  EXPECT_EQ(stored(), village_counts(2));
}

TEST_P(demand_recorder_test, the_thread_flushes_every_interval_without_being_asked) {
  demand_recorder recorder(demand_store(), 20ms);
  recorder.record(village_match());
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (stored() != village_counts(1) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(stored(), village_counts(1));
  recorder.record(village_match());
  while (stored() != village_counts(2) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(stored(), village_counts(2));
}

TEST_P(demand_recorder_test, the_thread_keeps_counts_through_an_outage) {
  drop_table();
  {
    demand_recorder recorder(demand_store(), 10ms);
    recorder.record(village_match());
    std::this_thread::sleep_for(100ms);  // several failed flushes
    recreate_table();
  }  // the last flush, at the latest, writes them
  EXPECT_EQ(stored(), village_counts(1));
}

TEST_P(demand_recorder_test, the_destructor_flushes_what_is_pending) {
  {
    demand_recorder recorder(demand_store(), never);
    recorder.record(village_match());
  }
  EXPECT_EQ(stored(), village_counts(1));
}

TEST_P(demand_recorder_test, a_failing_last_flush_is_logged_not_thrown) {
  drop_table();
  {
    demand_recorder recorder(demand_store(), never);
    recorder.record(village_match());
  }  // a destructor that threw would terminate the test program here
  recreate_table();
  EXPECT_THAT(stored(), IsEmpty());
}

TEST_P(demand_recorder_test, pending_keys_are_capped_with_one_warning_but_pending_counts_keep_growing) {
  const log_capture log;
  demand_recorder recorder(demand_store(), never, 2);
  drop_table();
  recorder.record(shown_only({"dms-basis", "e-akte", "ki-protokoll"}));  // ki-protokoll finds no place
  EXPECT_THROW(recorder.flush(), catalog::store_error);
  recorder.record(shown_only({"dms-basis", "ki-protokoll"}));  // the failed flush's keys are back in waiting
  recreate_table();
  EXPECT_EQ(recorder.flush(), 2u);
  EXPECT_EQ(stored(), (counts_map{{{"dms-basis", "shown", ""}, 2}, {{"e-akte", "shown", ""}, 1}}));
  EXPECT_EQ(log.count("are dropped"), 1u);

  // Once they are written, new keys find places again (and another overflow warns again).
  recorder.record(shown_only({"ki-protokoll", "winterdienst", "zukunftsbild-workshop"}));
  EXPECT_EQ(recorder.flush(), 2u);
  EXPECT_EQ(stored(), (counts_map{{{"dms-basis", "shown", ""}, 2},
                                  {{"e-akte", "shown", ""}, 1},
                                  {{"ki-protokoll", "shown", ""}, 1},
                                  {{"winterdienst", "shown", ""}, 1}}));
  EXPECT_EQ(log.count("are dropped"), 2u);
}

TEST_P(demand_recorder_test, concurrent_matches_lose_no_count) {
  constexpr int threads = 4;
  constexpr int matches_per_thread = 200;
  {
    demand_recorder recorder(demand_store(), 5ms);  // flushing while recording
    const auto outcome = village_match();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        for (int i = 0; i < matches_per_thread; ++i) {
          recorder.record(outcome);
        }
      });
    }
    for (auto& worker : workers) {
      worker.join();
    }
  }
  EXPECT_EQ(stored(), village_counts(threads * matches_per_thread));
}

TEST_P(demand_recorder_test, a_flush_interval_that_is_not_positive_is_refused) {
  EXPECT_THROW(demand_recorder(demand_store(), 0ms), std::invalid_argument);
}

}  // namespace
}  // namespace lotse::demand

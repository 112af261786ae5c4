// Durability under faults: a host killed with SIGKILL loses nothing it acknowledged, and a host whose PostgreSQL
// goes away keeps answering reads from memory, refuses writes with 503 + Retry-After, and reconnects by itself.
#include "tests/integration/host_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

namespace lotse::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using boost::beast::http::verb;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

const std::map<std::string, std::string> json_headers = {{"Content-Type", "application/json"}};

// AGS 07100000 + n: eight digits for any n below 100,000.
std::string ags_of(int n) {
  const auto digits = std::to_string(100000 + n % 100000).substr(1);
  return "071" + digits;
}

std::string profile_for(int n) {
  const auto ags = ags_of(n);
  return json::serialize(json::object{
      {"ags", ags},
      {"name", "Gemeinde " + std::to_string(n)},
      {"population", 500 + n},
      {"maturity", json::object{{"stage", "start"}}},
      {"resources", json::object{{"budget_once_eur", 5000}, {"budget_annual_eur", 3000}, {"staff_fte", 0.2}}}});
}

long long ms_since(clock_type::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start).count();
}

class kill_nine : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override { LOTSE_REQUIRE_BACKEND(GetParam()); }
};

INSTANTIATE_TEST_SUITE_P(, kill_nine, all_backends, backend_name);

TEST_P(kill_nine, every_acknowledged_write_survives_sigkill_of_the_host) {
  test_database database(GetParam());
  const std::vector<std::string> args = {"--db", database.url()};
  std::set<std::string> acknowledged;
  {
    host_process host(args);
    // Writers keep writing while the host is killed; only what got a 201 counts as acknowledged.
    std::mutex mutex;
    background_threads writers;
    for (int w = 0; w < 2; ++w) {
      writers.start([&, w] {
        http_client client("127.0.0.1", host.port(), std::chrono::seconds{2});
        for (int i = w; !writers.stopping(); i += 2) {
          try {
            const auto reply = client.request(verb::put, "/api/v1/municipalities/" + ags_of(i), profile_for(i),
                                              json_headers);
            if (reply.status == 201) {
              const std::lock_guard lock(mutex);
              acknowledged.insert(ags_of(i));
            }
          } catch (const std::exception&) {
            return;  // the host is gone
          }
        }
      });
    }
    const auto writing_since = clock_type::now();
    while (ms_since(writing_since) < 30000) {
      {
        const std::lock_guard lock(mutex);
        if (acknowledged.size() >= 60) {
          break;
        }
      }
      std::this_thread::sleep_for(5ms);
    }
    EXPECT_EQ(host.kill_now(), 128 + SIGKILL);
    writers.stop();
  }
  host_process restarted(args);
  http_client client("127.0.0.1", restarted.port());
  std::size_t missing = 0;
  for (const auto& ags : acknowledged) {
    missing += client.request(verb::get, "/api/v1/municipalities/" + ags).status == 200 ? 0 : 1;
  }
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged writes";
  std::cout << acknowledged.size() << " acknowledged writes, " << missing << " lost after kill -9\n";
  EXPECT_EQ(restarted.stop(), 0) << restarted.log();
}

// A PostgreSQL cluster of the test's own (scripts/pg_cluster.sh), because this test stops it.
class private_cluster {
 public:
  private_cluster() : dir_(fs::temp_directory_path() / ("lotse-pg-restart-" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    url_ = run("start");
    url_ = url_.substr(0, url_.rfind('/') + 1) + "postgres";
  }
  ~private_cluster() { run("stop"); }

  const std::string& url() const { return url_; }
  void pause() { run("pause"); }
  void resume() { run("resume"); }

 private:
  std::string run(const std::string& command) {
    const auto script = fs::path(LOTSE_SOURCE_DIR) / "scripts" / "pg_cluster.sh";
    const std::string line = "'" + script.string() + "' " + command + " '" + dir_.string() + "'";
    std::FILE* pipe = ::popen(line.c_str(), "r");
    if (pipe == nullptr) {
      throw std::runtime_error("cannot run " + line);
    }
    std::string out;
    std::array<char, 256> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
      out += buffer.data();
    }
    const int status = ::pclose(pipe);
    if (status != 0 && command != "stop") {
      throw std::runtime_error(line + " failed with status " + std::to_string(status));
    }
    while (!out.empty() && out.back() == '\n') {
      out.pop_back();
    }
    return out;
  }

  fs::path dir_;
  std::string url_;
};

class postgres_restart : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override { LOTSE_REQUIRE_BACKEND(GetParam()); }
};

INSTANTIATE_TEST_SUITE_P(, postgres_restart, ::testing::Values(backend::postgresql), backend_name);

TEST_P(postgres_restart, reads_go_on_writes_get_503_and_the_host_reconnects_by_itself) {
  private_cluster cluster;
  host_process host({"--db", cluster.url(), "--allow-unsigned-plugins", "--plugins", example_plugin_dir().string(), "--catalog-poll-ms", "200"});

  // Load: readers (solution list, inline match) and one writer, all the time.
  std::atomic<int> read_ok = 0;
  std::atomic<int> read_failed = 0;
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::map<int, int> write_statuses;
  bool retry_after_always_set = true;
  background_threads load;
  for (int r = 0; r < 2; ++r) {
    load.start([&] {
      http_client client("127.0.0.1", host.port());
      const std::string match =
          R"({"profile": {"ags": "07131001", "name": "Testdorf", "population": 800, "maturity": {"stage": "start"},
              "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2}}, "top_k": 3})";
      while (!load.stopping()) {
        const auto a = client.request(verb::get, "/api/v1/solutions?limit=5");
        const auto b = client.request(verb::post, "/api/v1/match", match, json_headers);
        (a.status == 200 && b.status == 200 ? read_ok : read_failed) += 1;
      }
    });
  }
  load.start([&] {
    http_client client("127.0.0.1", host.port());
    for (int i = 0; !load.stopping(); ++i) {
      const auto reply = client.request(verb::put, "/api/v1/municipalities/" + ags_of(i), profile_for(i), json_headers);
      const std::lock_guard lock(mutex);
      ++write_statuses[static_cast<int>(reply.status)];
      if (reply.status == 201) {
        acknowledged.insert(ags_of(i));
      } else if (reply.status == 503 && !reply.header("Retry-After")) {
        retry_after_always_set = false;
      }
      std::this_thread::sleep_for(10ms);
    }
  });

  std::this_thread::sleep_for(500ms);
  const int reads_before = read_ok;
  cluster.pause();
  const auto stopped = clock_type::now();
  std::this_thread::sleep_for(1500ms);
  const int reads_during_start = read_ok;
  std::this_thread::sleep_for(1000ms);
  const int reads_during = read_ok - reads_during_start;
  int writes_refused = 0;
  {
    const std::lock_guard lock(mutex);
    writes_refused = write_statuses[503];
  }
  http_client probe("127.0.0.1", host.port());
  const auto health = json::parse(probe.request(verb::get, "/healthz").body);

  cluster.resume();
  const auto restarted = clock_type::now();
  long long recovered_ms = -1;
  while (ms_since(restarted) < 10000) {
    const auto reply = probe.request(verb::put, "/api/v1/municipalities/09999999",
                                     R"({"ags": "09999999", "name": "Probe", "population": 10,
                                         "maturity": {"stage": "start"},
                                         "resources": {"budget_once_eur": 0, "budget_annual_eur": 0, "staff_fte": 0}})",
                                     json_headers);
    if (reply.status == 201) {
      recovered_ms = ms_since(restarted);
      break;
    }
    std::this_thread::sleep_for(50ms);
  }
  std::this_thread::sleep_for(300ms);
  load.stop();

  EXPECT_GT(reads_before, 0);
  EXPECT_GT(reads_during, 0) << "reads stopped while PostgreSQL was down";
  EXPECT_EQ(read_failed, 0);
  EXPECT_GT(writes_refused, 0) << "no write was refused while PostgreSQL was down";
  EXPECT_TRUE(retry_after_always_set);
  EXPECT_EQ(health.at("database"), "unreachable");
  ASSERT_GE(recovered_ms, 0) << "the host did not accept a write within 10 s after PostgreSQL returned\n" << host.log();
  EXPECT_LT(recovered_ms, 5000);
  std::size_t missing = 0;
  for (const auto& ags : acknowledged) {
    missing += probe.request(verb::get, "/api/v1/municipalities/" + ags).status == 200 ? 0 : 1;
  }
  EXPECT_EQ(missing, 0u);
  std::cout << "PostgreSQL down for " << ms_since(stopped) - ms_since(restarted) << " ms: " << reads_during
            << " read pairs answered in the last second of the outage, " << read_failed << " failed; "
            << writes_refused << " writes refused with 503; first write accepted " << recovered_ms
            << " ms after PostgreSQL was back; " << acknowledged.size() << " acknowledged writes, " << missing
            << " lost\n";
  EXPECT_EQ(host.stop(), 0) << host.log();
}

}  // namespace
}  // namespace lotse::test

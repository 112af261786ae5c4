// The SQLite baseline (sql_baseline.hpp) on the same workloads as matching_bench.cpp, in the same program: same
// generated catalogs, same profiles in the same order, same top_k. The database is in memory and the query prepared
// once per catalog, before timing; each iteration binds the profile, steps through the top 10 and resets.
#include "tests/bench/bench_data.hpp"
#include "tests/bench/sql_baseline.hpp"

#include <benchmark/benchmark.h>

#include <map>
#include <memory>

namespace lotse::bench {
namespace {

sql_baseline& baseline_of(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<sql_baseline>> cache;
  auto& slot = cache[n];
  if (!slot) {
    slot = std::make_unique<sql_baseline>(catalog_of(n));
  }
  return *slot;
}

}  // namespace

// Registered in matching_bench.cpp, beside the engine's runs.
void sqlite_match(benchmark::State& state) {
  auto& sql = baseline_of(static_cast<std::size_t>(state.range(0)));
  const auto& profiles = synthetic_profiles();
  const auto weights = four_criteria_weights();
  std::size_t next = 0;
  for (auto _ : state) {
    auto hits = sql.match(profiles[next], weights, 10);
    benchmark::DoNotOptimize(hits);
    next = (next + 1) % profiles.size();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void sqlite_all_municipalities(benchmark::State& state) {
  std::string reason;
  const auto* profiles = real_profiles(&reason);
  if (profiles == nullptr) {
    state.SkipWithError(("skipped: " + reason).c_str());
    return;
  }
  auto& sql = baseline_of(static_cast<std::size_t>(state.range(0)));
  const auto weights = four_criteria_weights();
  for (auto _ : state) {
    for (const auto& profile : *profiles) {
      auto hits = sql.match(profile, weights, 10);
      benchmark::DoNotOptimize(hits);
    }
  }
  const auto matches = static_cast<double>(state.iterations()) * static_cast<double>(profiles->size());
  state.SetItemsProcessed(static_cast<std::int64_t>(matches));
  state.counters["per_match"] =
      benchmark::Counter(matches, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["municipalities"] = static_cast<double>(profiles->size());
}

}  // namespace lotse::bench

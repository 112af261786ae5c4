// The matching engine's cost per match: one profile against catalogs of 1k, 10k and 100k generated solutions
// (top_k 10; match() explains the top_k and collects up to 100 excluded solutions with reasons), and all 11,270
// real municipalities of ../shared/data/gemeinden-2011.csv against 10k solutions. sql_baseline_bench.cpp runs the
// same workloads through SQLite in the same program. Reproduce with scripts/bench.sh; results in docs/performance.md.
//
// Weights: four_criteria_weights() (need 0.55, maturity 0.15, affordability 0.15, effort 0.15, any further criterion
// 0), under which the engine and the SQLite baseline rank identically (sql_baseline_test.cpp); the engine evaluates
// every criterion whatever its weight, so this costs it as much as its default weights ("default_weights" rows).
//
// match/engine uses the public match(profile, span<const solution>, options). Where the engine has a compiled
// catalog (host/matching/compiled_catalog.hpp), that overload compiles the catalog on every call, so
// match/engine_compiled measures match(profile, compiled_catalog, options) with the catalog compiled once before
// timing, as a server holding a catalog snapshot does (and as the SQLite baseline loads its table before timing).
#include "tests/bench/bench_data.hpp"
#include "tests/bench/sql_baseline.hpp"

#include "host/matching/engine.hpp"

#if __has_include("host/matching/compiled_catalog.hpp")
#include "host/matching/compiled_catalog.hpp"
#define LOTSE_BENCH_COMPILED_CATALOG 1
#endif

#include <benchmark/benchmark.h>

#include <array>
#include <map>
#include <memory>

namespace lotse::bench {

// In sql_baseline_bench.cpp.
void sqlite_match(benchmark::State& state);
void sqlite_all_municipalities(benchmark::State& state);

namespace {

matching::match_options four_criteria_options() {
  matching::match_options options;  // top_k 10, max_excluded 100
  options.weights = four_criteria_weights();
  return options;
}

// One match per iteration, cycling through 256 synthetic profiles. items/s = solutions considered per second;
// fitting = solutions passing every hard constraint, on average.
template <typename Catalog>
void run_matches(benchmark::State& state, const Catalog& catalog, const matching::match_options& options) {
  const auto& profiles = synthetic_profiles();
  std::size_t next = 0;
  double fitting = 0;
  for (auto _ : state) {
    auto outcome = matching::match(profiles[next], catalog, options);
    benchmark::DoNotOptimize(outcome);
    fitting += static_cast<double>(outcome.fitting_count);
    next = (next + 1) % profiles.size();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["fitting"] = benchmark::Counter(fitting, benchmark::Counter::kAvgIterations);
}

// Every real municipality once per iteration. items/s = matches per second; per_match = the time of one match
// (in seconds, SI-prefixed: "85u" is 85 µs).
template <typename Catalog>
void run_all_municipalities(benchmark::State& state, const Catalog& catalog,
                            const std::vector<domain::profile>& profiles) {
  const auto options = four_criteria_options();
  for (auto _ : state) {
    for (const auto& profile : profiles) {
      auto outcome = matching::match(profile, catalog, options);
      benchmark::DoNotOptimize(outcome);
    }
  }
  const auto matches = static_cast<double>(state.iterations()) * static_cast<double>(profiles.size());
  state.SetItemsProcessed(static_cast<std::int64_t>(matches));
  state.counters["per_match"] = benchmark::Counter(matches, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["municipalities"] = static_cast<double>(profiles.size());
}

void engine_match(benchmark::State& state) {
  const std::span<const domain::solution> catalog = catalog_of(static_cast<std::size_t>(state.range(0)));
  run_matches(state, catalog, four_criteria_options());
}

#ifndef LOTSE_BENCH_COMPILED_CATALOG
// Without a compiled catalog, match(profile, span, options) is the only path; with one, the compiled run below
// stands for the server (the span overload would re-compile the 10k catalog 11,270 times).
void engine_all_municipalities(benchmark::State& state) {
  std::string reason;
  const auto* profiles = real_profiles(&reason);
  if (profiles == nullptr) {
    state.SkipWithError(("skipped: " + reason).c_str());
    return;
  }
  const std::span<const domain::solution> catalog = catalog_of(static_cast<std::size_t>(state.range(0)));
  run_all_municipalities(state, catalog, *profiles);
}
#endif

#ifdef LOTSE_BENCH_COMPILED_CATALOG
const matching::compiled_catalog& compiled_of(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<matching::compiled_catalog>> cache;
  auto& slot = cache[n];
  if (!slot) {
    slot = std::make_unique<matching::compiled_catalog>(std::span<const domain::solution>(catalog_of(n)));
  }
  return *slot;
}

void engine_compiled_match(benchmark::State& state) {
  run_matches(state, compiled_of(static_cast<std::size_t>(state.range(0))), four_criteria_options());
}

void engine_compiled_default_weights(benchmark::State& state) {
  run_matches(state, compiled_of(static_cast<std::size_t>(state.range(0))), matching::match_options{});
}

void engine_compiled_all_municipalities(benchmark::State& state) {
  std::string reason;
  const auto* profiles = real_profiles(&reason);
  if (profiles == nullptr) {
    state.SkipWithError(("skipped: " + reason).c_str());
    return;
  }
  run_all_municipalities(state, compiled_of(static_cast<std::size_t>(state.range(0))), *profiles);
}
#else
void engine_default_weights(benchmark::State& state) {
  const std::span<const domain::solution> catalog = catalog_of(static_cast<std::size_t>(state.range(0)));
  run_matches(state, catalog, matching::match_options{});
}
#endif

// Catalog sizes and iterations per repetition: whole cycles through the 256 synthetic profiles, so every variant
// at a size does exactly the same matches and their times compare one to one.
constexpr std::array<std::pair<std::int64_t, std::int64_t>, 3> sizes = {{{1000, 8 * 256}, {10000, 2 * 256}, {100000, 256}}};

// Registered here, in one place, so the console shows the engine and the baseline side by side, size by size.
const bool registered = [] {
  for (const auto& [size, iterations] : sizes) {
    benchmark::RegisterBenchmark("match/engine", engine_match)->Arg(size)->Iterations(iterations)->Unit(benchmark::kMicrosecond);
#ifdef LOTSE_BENCH_COMPILED_CATALOG
    benchmark::RegisterBenchmark("match/engine_compiled", engine_compiled_match)
        ->Arg(size)->Iterations(iterations)->Unit(benchmark::kMicrosecond);
#endif
    benchmark::RegisterBenchmark("match/sqlite", sqlite_match)->Arg(size)->Iterations(iterations)->Unit(benchmark::kMicrosecond);
  }
#ifdef LOTSE_BENCH_COMPILED_CATALOG
  benchmark::RegisterBenchmark("match/engine_compiled_default_weights", engine_compiled_default_weights)
      ->Arg(10000)->Iterations(2 * 256)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("all_municipalities/engine_compiled", engine_compiled_all_municipalities)
      ->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond);
#else
  benchmark::RegisterBenchmark("match/engine_default_weights", engine_default_weights)
      ->Arg(10000)->Iterations(2 * 256)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("all_municipalities/engine", engine_all_municipalities)
      ->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond);
#endif
  benchmark::RegisterBenchmark("all_municipalities/sqlite", sqlite_all_municipalities)
      ->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
}  // namespace lotse::bench

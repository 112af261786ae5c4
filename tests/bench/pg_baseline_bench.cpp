// The PostgreSQL baseline (pg_baseline.hpp) on the same workloads as matching_bench.cpp, in the same program: same
// generated catalogs, same 256 profiles in the same order, same top_k, same iterations per repetition. Registered only
// when LOTSE_BENCH_POSTGRES_URL names a database (scripts/bench.sh starts a throwaway cluster and sets it), so the
// program still runs without a server. The table is loaded and the query prepared once per catalog size, before
// timing; each iteration is one PQexecPrepared round trip over loopback TCP.
//
// match/postgresql runs with `SET jit = off`. With the server's defaults, the planner's cost for the 100k query
// (≈ 438,000, most of it the correlated service-provider check charged per row) is above jit_above_cost (100,000),
// so every execution first compiles its expressions with LLVM (≈ 20 ms, below the inlining and optimisation
// thresholds of 500,000); at 1k and 10k the cost stays under 100,000 and the setting makes no difference. A team
// would turn JIT off for this query, so that is the baseline; match/postgresql_default_settings shows the defaults
// at 100k.
//
// The work happens in the server process, so the CPU column of these rows is only the client's share: compare the
// Time (wall-clock) column, and pin the server to the benchmark's core (scripts/bench.sh does) so that "one core"
// means the same for the engine and for PostgreSQL.
// LOTSE_BENCH_POSTGRES_EXPLAIN=1 prints the server's settings and EXPLAIN ANALYZE of the first profile per size.
#include "tests/bench/bench_data.hpp"
#include "tests/bench/pg_baseline.hpp"

#include <benchmark/benchmark.h>

#include <array>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>

namespace lotse::bench {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

// One loaded table and prepared query per catalog size and JIT setting, each on a connection of its own.
pg_baseline& pg_baseline_of(std::size_t n, bool jit) {
  static std::map<std::pair<std::size_t, bool>, std::unique_ptr<pg_baseline>> cache;
  auto& slot = cache[{n, jit}];
  if (!slot) {
    slot = std::make_unique<pg_baseline>(env("LOTSE_BENCH_POSTGRES_URL"), catalog_of(n));
    if (!jit) {
      slot->run("SET jit = off");
    }
    if (env("LOTSE_BENCH_POSTGRES_EXPLAIN") == "1") {
      std::cerr << "postgresql at " << n << " solutions: "
                << slot->run("SELECT version()").at(0) << "\n  settings:";
      for (const auto& line : slot->run("SELECT name || '=' || setting FROM pg_settings WHERE name IN ('jit', "
                                        "'max_parallel_workers_per_gather', 'shared_buffers', 'work_mem', 'fsync', "
                                        "'plan_cache_mode') ORDER BY name")) {
        std::cerr << " " << line;
      }
      std::cerr << "\n";
      for (const auto& line : slot->explain(synthetic_profiles().front(), four_criteria_weights(), 10)) {
        std::cerr << "  " << line << "\n";
      }
    }
  }
  return *slot;
}

void run_matches(benchmark::State& state, bool jit) {
  pg_baseline* sql = nullptr;
  try {
    sql = &pg_baseline_of(static_cast<std::size_t>(state.range(0)), jit);
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
    return;
  }
  const auto& profiles = synthetic_profiles();
  const auto weights = four_criteria_weights();
  std::size_t next = 0;
  for (auto _ : state) {
    auto hits = sql->match(profiles[next], weights, 10);
    benchmark::DoNotOptimize(hits);
    next = (next + 1) % profiles.size();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void postgresql_match(benchmark::State& state) { run_matches(state, false); }
void postgresql_default_settings(benchmark::State& state) { run_matches(state, true); }

// The same sizes and iterations as matching_bench.cpp: whole cycles through the 256 profiles.
constexpr std::array<std::pair<std::int64_t, std::int64_t>, 3> sizes = {{{1000, 8 * 256}, {10000, 2 * 256}, {100000, 256}}};

const bool registered = [] {
  if (env("LOTSE_BENCH_POSTGRES_URL").empty()) {
    return false;
  }
  for (const auto& [size, iterations] : sizes) {
    // Real time decides: the client's CPU time misses the server's work.
    benchmark::RegisterBenchmark("match/postgresql", postgresql_match)
        ->Arg(size)->Iterations(iterations)->UseRealTime()->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("match/postgresql_default_settings", postgresql_default_settings)
      ->Arg(100000)->Iterations(256)->UseRealTime()->Unit(benchmark::kMicrosecond);
  return true;
}();

}  // namespace
}  // namespace lotse::bench

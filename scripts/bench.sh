#!/usr/bin/env bash
# Builds the matching benchmarks (Release, benchmarks on) in build/bench, starts a throwaway PostgreSQL cluster
# (scripts/pg_cluster.sh, pinned to the benchmark's core, always stopped again on exit), checks that the SQLite and
# PostgreSQL baselines rank exactly as the engine (bench_support_tests), then runs the engine and both baselines side
# by side: 5 repetitions, medians (and mean, stddev, cv) reported, pinned to one core with taskset when available.
# Reads ../shared/data/gemeinden-2011.csv at run time (LOTSE_SHARED_DATA overrides the directory).
#
# Usage: scripts/bench.sh [benchmark flags…]     e.g. scripts/bench.sh --benchmark_filter='^match/'
# Environment: LOTSE_BENCH_CPU (core to pin to, default 0), LOTSE_BUILD_JOBS (default 2),
#              LOTSE_BENCH_BUILD_DIR (default build/bench), LOTSE_BENCH_POSTGRES=0 (no cluster, no PostgreSQL rows).
# Results: the console, and <build dir>/matching_bench.json. docs/performance.md explains and records them.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --test
build="${LOTSE_BENCH_BUILD_DIR:-build/bench}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOTSE_BUILD_BENCHMARKS=ON -DLOTSE_BUILD_TESTS=ON
cmake --build "$build" --parallel "${LOTSE_BUILD_JOBS:-2}" --target lotse_matching_bench bench_support_tests

pin=()
if command -v taskset >/dev/null 2>&1; then
  pin=(taskset -c "${LOTSE_BENCH_CPU:-0}")
else
  echo "bench: taskset not found, running unpinned" >&2
fi

if [[ "${LOTSE_BENCH_POSTGRES:-1}" != 0 ]]; then
  pg_dir=$(mktemp -d /tmp/lotse-bench-pg.XXXXXX)
  chmod 755 "$pg_dir"
  trap 'scripts/pg_cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # The server and its backends inherit the pinning: PostgreSQL does its work on the same one core as the engine.
  # The cluster runs with fsync=off (pg_cluster.sh); the benchmark only reads, so that changes nothing measured
  # (its synchronous_commit=off would delay the visibility map after the load, which pg_baseline.cpp avoids).
  # Parallel query stays at the server's defaults; no plan uses it.
  pg_url=$("${pin[@]}" scripts/pg_cluster.sh start "$pg_dir")
  psql -q "$pg_url" -c "CREATE DATABASE lotse_bench"
  export LOTSE_TEST_POSTGRES_URL="$pg_url" LOTSE_TEST_POSTGRES_REQUIRED=1  # the equality test's PostgreSQL half
  export LOTSE_BENCH_POSTGRES_URL="${pg_url%/postgres}/lotse_bench"        # the match/postgresql rows
  echo "bench: PostgreSQL $(psql -tA "$pg_url" -c 'SHOW server_version') at $pg_url"
fi

"$build"/tests/bench/bench_support_tests --gtest_brief=1

echo "bench: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: tree $(git log --oneline -1 2>/dev/null || echo 'not a git checkout')$(git diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
"${pin[@]}" "$build"/tests/bench/lotse_matching_bench \
  --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true \
  --benchmark_out="$build"/matching_bench.json \
  --benchmark_out_format=json \
  "$@"

#!/usr/bin/env bash
# Builds the matching benchmarks (Release, benchmarks on) in build/bench, checks that the SQLite baseline ranks
# exactly as the engine (bench_support_tests), then runs the engine and the baseline side by side: 5 repetitions,
# medians (and mean, stddev, cv) reported, pinned to one core with taskset when it is available.
# Reads ../shared/data/gemeinden-2011.csv at run time (LOTSE_SHARED_DATA overrides the directory).
#
# Usage: scripts/bench.sh [benchmark flags…]     e.g. scripts/bench.sh --benchmark_filter='^match/'
# Environment: LOTSE_BENCH_CPU (core to pin to, default 0), LOTSE_BUILD_JOBS (default 2),
#              LOTSE_BENCH_BUILD_DIR (default build/bench).
# Results: the console, and <build dir>/matching_bench.json. docs/performance.md explains and records them.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --test
build="${LOTSE_BENCH_BUILD_DIR:-build/bench}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOTSE_BUILD_BENCHMARKS=ON -DLOTSE_BUILD_TESTS=ON
cmake --build "$build" --parallel "${LOTSE_BUILD_JOBS:-2}" --target lotse_matching_bench bench_support_tests

"$build"/tests/bench/bench_support_tests --gtest_brief=1

pin=()
if command -v taskset >/dev/null 2>&1; then
  pin=(taskset -c "${LOTSE_BENCH_CPU:-0}")
else
  echo "bench: taskset not found, running unpinned" >&2
fi

echo "bench: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: tree $(git log --oneline -1 2>/dev/null || echo 'not a git checkout')$(git diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
"${pin[@]}" "$build"/tests/bench/lotse_matching_bench \
  --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true \
  --benchmark_out="$build"/matching_bench.json \
  --benchmark_out_format=json \
  "$@"

#!/usr/bin/env bash
# Measures the plugin lifecycle targets of docs/performance.md ("Plugin lifecycle") with the real lotse-host, built
# as scripts/bench.sh builds it (Release, build/bench):
#   1. start-up to the "listening on" line without plugins, and with 100 distinct generated plugins
#      (tests/bench/bench_plugin.cpp, compiled once and copied as bench_plugin_000.so … bench_plugin_099.so; each copy
#      names its provider after its file), RUNS times each: a fresh SQLite database in a temp dir, then a second start
#      on the same database. Once pinned to one core, once on all cores;
#   2. the same 100 plugins signed (FILE.sig, `lotse-host plugin sign`) and loaded as a production host does, without
#      --allow-unsigned-plugins: each is copied into the host's private directory and verified there first;
#      for comparison, 100 copies of the example plugin luftwerk_sensorik.so: all 100 runners start, but the copies
#      describe the same provider, so the first is loaded and the other 99 are refused with a warning;
#   3. the quote round trip over HTTP: WARMUP + REQUESTS POST /api/v1/solutions/luftwerk.pegel-sensoren/quote on one
#      keep-alive connection, host and runners on one core, the client on the other;
#   4. the bare runner round trip: plugin_process::quote against `lotse-host plugin-runner luftwerk_sensorik.so`.
#
# Usage: scripts/bench_plugins.sh
# Environment: LOTSE_BENCH_CPU (core of the host and its runners, default 1), LOTSE_BENCH_CLIENT_CPU (core of the
#              measuring client, default 0), LOTSE_BENCH_RUNS (default 5), LOTSE_BENCH_REQUESTS (default 2000),
#              LOTSE_BENCH_WARMUP (default 100), LOTSE_BUILD_JOBS (default 2), LOTSE_BENCH_BUILD_DIR (build/bench).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --test
build="${LOTSE_BENCH_BUILD_DIR:-build/bench}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOTSE_BUILD_BENCHMARKS=ON -DLOTSE_BUILD_TESTS=ON >/dev/null
cmake --build "$build" --parallel "${LOTSE_BUILD_JOBS:-2}" --target lotse-host luftwerk_sensorik kommunal_it_sued \
  wegweiser_beratung lotse_plugin_bench lotse_bench_plugin

host=$(realpath "$build/host/lotse-host")
bench=$(realpath "$build/tests/bench/lotse_plugin_bench")
examples=$(realpath "$build/plugins")
cpu=${LOTSE_BENCH_CPU:-1}
client_cpu=${LOTSE_BENCH_CLIENT_CPU:-0}
runs=${LOTSE_BENCH_RUNS:-5}
requests=${LOTSE_BENCH_REQUESTS:-2000}
warmup=${LOTSE_BENCH_WARMUP:-100}

work=$(mktemp -d /tmp/lotse-bench-plugins.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT

mkdir "$work/distinct" "$work/signed" "$work/copies" "$work/keys"
"$host" keys generate --out "$work/keys" --name bench >/dev/null
for i in $(seq -w 0 99); do
  cp "$build/tests/bench/lotse_bench_plugin.so" "$work/distinct/bench_plugin_0$i.so"
  cp "$build/tests/bench/lotse_bench_plugin.so" "$work/signed/bench_plugin_0$i.so"
  "$host" plugin sign --key "$work/keys/bench.secret.json" "$work/signed/bench_plugin_0$i.so" >/dev/null
  cp "$examples/luftwerk_sensorik.so" "$work/copies/luftwerk_copy_0$i.so"
done

busy=$(pgrep -fa 'ninja|ctest|cc1plus' | grep -v pgrep || true)
[[ -z "$busy" ]] || echo "bench_plugins: WARNING: builds or tests are running, numbers will be noisy:"$'\n'"$busy" >&2
echo "bench_plugins: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench_plugins: tree $(git log --oneline -1 2>/dev/null || echo 'not a git checkout')$(git diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"

# A cold page cache is not what is measured: read every plugin once, so run 1 is not the only one paying for it.
cat "$work"/distinct/*.so "$work"/signed/*.so "$work"/copies/*.so "$host" >/dev/null

startup() {  # label, core list for taskset ("" = all cores), plugin dir ("" = none), "signed" to verify signatures
  local label=$1 cores=$2 dir=$3 mode=${4:-} command=()
  [[ -n "$cores" ]] && command=(taskset -c "$cores")
  command+=("$host")
  if [[ "$mode" == signed ]]; then
    command+=(--trusted-keys "$work/keys" --plugins "$dir")
  elif [[ -n "$dir" ]]; then
    command+=(--allow-unsigned-plugins --plugins "$dir")
  fi
  echo "== start-up: $label (load $(cut -d' ' -f1-3 /proc/loadavg))"
  "$bench" startup --runs "$runs" -- "${command[@]}"
}
startup "no plugins, one core" "$cpu" ""
startup "100 distinct plugins, one core" "$cpu" "$work/distinct"
startup "no plugins, all cores" "" ""
startup "100 distinct plugins, all cores" "" "$work/distinct"
startup "100 distinct signed plugins, verified, one core" "$cpu" "$work/signed" signed
startup "100 distinct signed plugins, verified, all cores" "" "$work/signed" signed
startup "100 copies of luftwerk_sensorik.so (one provider id), one core" "$cpu" "$work/copies"

echo "== quote over HTTP: host on core $cpu, client on core $client_cpu (load $(cut -d' ' -f1-3 /proc/loadavg))"
taskset -c "$client_cpu" "$bench" http-quote --warmup "$warmup" --requests "$requests" -- \
  taskset -c "$cpu" "$host" --allow-unsigned-plugins --plugins "$examples"

echo "== quote through the runner, no HTTP: on core $cpu (load $(cut -d' ' -f1-3 /proc/loadavg))"
taskset -c "$cpu" "$bench" runner-quote --warmup "$warmup" --calls "$requests" "$host" "$examples/luftwerk_sensorik.so"

#!/usr/bin/env bash
# The sizing measurement of docs/operations.md: imports a profile for each of the 11,270 municipalities of
# ../shared/data/gemeinden-2011.csv into SQLite and into a throwaway PostgreSQL cluster, and reports the time each
# import takes, the database sizes, and how long a host takes to start on the full database.
# Usage: scripts/sizing.sh          (build directory: build/bench, shared with scripts/bench.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --test
build="${LOTSE_BENCH_BUILD_DIR:-build/bench}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOTSE_BUILD_BENCHMARKS=ON -DLOTSE_BUILD_TESTS=ON >/dev/null
cmake --build "$build" --parallel "${LOTSE_BUILD_JOBS:-2}" --target lotse_sizing_export lotse-host

work=$(mktemp -d /tmp/lotse-sizing.XXXXXX)
chmod 755 "$work"
cleanup() { scripts/pg_cluster.sh stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT

export_file="$work/municipalities.json"
"$build"/tests/bench/lotse_sizing_export "$export_file"
echo "sizing: export file $(du -h "$export_file" | cut -f1)"

# Wall-clock seconds of a command (its output discarded).
seconds() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo "$(( (end - start) / 1000000 )) ms" | awk '{printf "%.2f", $1 / 1000}'
}

host="$build/host/lotse-host"
echo "sizing: SQLite import $(seconds "$host" import "$export_file" --db "sqlite:$work/lotse.db") s," \
  "database file and WAL $(du -ch "$work"/lotse.db* | tail -1 | cut -f1)"

url=$(scripts/pg_cluster.sh start "$work/pg")
base=${url%/postgres}
psql -q "$url" -c "CREATE DATABASE lotse"
echo "sizing: PostgreSQL import $(seconds "$host" import "$export_file" --db "$base/lotse") s," \
  "database $(psql -tA "$url" -c "SELECT pg_size_pretty(pg_database_size('lotse'))")," \
  "table municipalities $(psql -tA "$base/lotse" -c "SELECT pg_size_pretty(pg_total_relation_size('municipalities'))")"
echo "sizing: PostgreSQL export $(seconds "$host" export "$work/again.json" --db "$base/lotse") s"

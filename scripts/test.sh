#!/usr/bin/env bash
# Quick start, command 2: installs what is missing (Debian packages), builds the ci preset (warnings are errors) and
# runs the whole test suite through CTest, against SQLite and against a throwaway PostgreSQL cluster that this script
# starts on a free loopback port and always stops and removes again (also when tests fail or are interrupted).
# Exits non-zero if anything fails. Extra arguments go to ctest, e.g. scripts/test.sh -L unit.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --test
cmake --preset ci
cmake --build --preset ci

pg_dir=$(mktemp -d /tmp/lotse-test-pg.XXXXXX)
chmod 755 "$pg_dir"
cleanup() { scripts/pg_cluster.sh stop "$pg_dir" || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Each PostgreSQL test creates and drops a database of its own in this cluster; tests that stop PostgreSQL on
# purpose start private clusters with the same script.
LOTSE_TEST_POSTGRES_URL=$(scripts/pg_cluster.sh start "$pg_dir")
export LOTSE_TEST_POSTGRES_URL
# Without a server the PostgreSQL tests would skip; here they must run, so a missing server is a failure.
export LOTSE_TEST_POSTGRES_REQUIRED=1
echo "test: PostgreSQL test cluster at ${LOTSE_TEST_POSTGRES_URL}"

ctest --preset ci --parallel 2 --timeout 600 "$@"

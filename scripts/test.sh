#!/usr/bin/env bash
# Quick start, command 2: installs what is missing (Debian packages), builds the ci preset (warnings are errors) and
# runs the whole test suite through CTest. Exits non-zero if anything fails.
# Extra arguments go to ctest, e.g. scripts/test.sh -L unit.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --test
cmake --preset ci
cmake --build --preset ci
ctest --preset ci --parallel 2 --timeout 600 "$@"

#!/usr/bin/env bash
# Quick start, command 1: installs what is missing (Debian packages), builds the release preset, and serves Lotse on
# http://127.0.0.1:8080 with the embedded SQLite catalog (./lotse.db) and the example plugins. Ctrl-C stops it.
# Extra arguments go to lotse-host, e.g. scripts/run.sh --port 9090.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
cmake --preset release
cmake --build --preset release
# The bundled example plugins are built here, unsigned: --allow-unsigned-plugins lets a development machine load them.
# A production host signs its plugins (docs/plugin-signing.md) and names the trusted keys with --trusted-keys.
exec build/release/host/lotse-host --allow-unsigned-plugins --plugins build/release/plugins "$@"

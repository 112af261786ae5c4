#!/usr/bin/env bash
# Installs what Lotse needs to build and test on Debian 12, from Debian's packages only.
# Idempotent: when every package is present it changes nothing and calls no network.
# Usage: scripts/bootstrap.sh [--test]   (--test adds what the test suite needs: GoogleTest, Google Benchmark and a
#                                         PostgreSQL server, which the tests run as throwaway clusters of their own)
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev libboost-url1.81-dev
  libsoci-dev libsqlite3-dev libpq-dev libspdlog-dev libfmt-dev libsodium-dev
  curl
)
test_packages=(googletest libgtest-dev libgmock-dev libbenchmark-dev postgresql-15)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then
  wanted+=("${test_packages[@]}")
fi

missing=()
for p in "${wanted[@]}"; do
  # dpkg-query prints "install ok installed" only for a fully installed package.
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "bootstrap: all ${#wanted[@]} packages present"
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
if [[ " ${missing[*]} " == *" postgresql-15 "* ]]; then
  # Debian's server package would create and start a cluster of its own on port 5432. The tests start throwaway
  # clusters on free ports (scripts/pg_cluster.sh), so tell postgresql-common not to create one (as the official
  # PostgreSQL container images do).
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends postgresql-common
  "${sudo_cmd[@]}" sed -ri 's/^#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' \
    /etc/postgresql-common/createcluster.conf
fi
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: initdb in a directory of our own, owned by an unprivileged user,
# listening only on 127.0.0.1 at a free port, with its socket inside the directory (nothing in /var/run).
#
#   scripts/pg_cluster.sh start DIR   creates and starts the cluster in DIR (which must not exist or be empty);
#                                     prints the connection URL on stdout, e.g. postgresql://lotse@127.0.0.1:41234/lotse
#   scripts/pg_cluster.sh stop DIR    stops it (fast shutdown, then immediate) and removes DIR
#   scripts/pg_cluster.sh pause DIR   stops it but keeps DIR (for restart tests)
#   scripts/pg_cluster.sh resume DIR  starts a paused cluster again on the same port
#
# Authentication is "trust" on loopback only: the cluster holds nothing but test data and lives for one run.
# Needs Debian's postgresql-15 (scripts/bootstrap.sh --test installs it without a cluster of its own).
set -euo pipefail

die() { echo "pg_cluster: $*" >&2; exit 1; }

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
  [[ -x "$candidate/initdb" ]] && bindir="$candidate"  # the glob sorts, so the newest version wins
done
[[ -n "$bindir" ]] || die "no PostgreSQL server found under /usr/lib/postgresql (run scripts/bootstrap.sh --test)"

# initdb and postgres refuse to run as root. As root we use a system user of our own; otherwise the caller.
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  owner=lotse-pg
  if ! id -u "$owner" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$owner"
  fi
  as_owner=(runuser -u "$owner" --)
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() {
  local dir=$1
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -s start >/dev/null
}

cmd=${1:-}
dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || die "usage: pg_cluster.sh start|stop|pause|resume DIR"

case "$cmd" in
  start)
    mkdir -p "$dir"
    [[ -z "$(ls -A "$dir")" ]] || die "$dir is not empty"
    dir=$(cd "$dir" && pwd)
    if [[ ${#as_owner[@]} -gt 0 ]]; then
      chown "$owner" "$dir"
      # The owner must be able to reach DIR; mktemp directories under /tmp are traversable, but a parent could not be.
      "${as_owner[@]}" test -w "$dir" || die "user $owner cannot write $dir (choose a directory under /tmp)"
    fi
    "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U lotse -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      die "initdb failed: $(tail -5 "$dir/initdb.log")"
    for attempt in 1 2 3 4 5 6 7 8; do
      port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
      port_in_use "$port" && continue
      # Written to a file of its own so a later resume starts on the same port.
      "${as_owner[@]}" tee "$dir/data/postgresql.auto.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
fsync = off
full_page_writes = off
synchronous_commit = off
shared_buffers = 128MB
log_min_messages = warning
EOF
      if start_server "$dir"; then
        echo "$port" >"$dir/port"
        echo "postgresql://lotse@127.0.0.1:$port/postgres"
        exit 0
      fi
      echo "pg_cluster: start on port $port failed (attempt $attempt), retrying" >&2
    done
    die "could not start PostgreSQL: $(tail -5 "$dir/server.log" 2>/dev/null)"
    ;;
  pause)
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 -s stop
    ;;
  resume)
    start_server "$dir" || die "could not restart PostgreSQL: $(tail -5 "$dir/server.log" 2>/dev/null)"
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 20 -s stop 2>/dev/null ||
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 20 -s stop 2>/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    die "unknown command '$cmd'; expected start, stop, pause or resume"
    ;;
esac

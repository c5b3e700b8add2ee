#!/usr/bin/env bash
# A throwaway PostgreSQL for Flowgate's cluster-mode tests, CI and local runs of several replicas.
#
#   scripts/dev-postgres.sh start    # install if missing, create, start; prints the URL (idempotent)
#   scripts/dev-postgres.sh url      # prints the URL
#   scripts/dev-postgres.sh status   # exit 0 when it is running
#   scripts/dev-postgres.sh stop     # stops it and deletes its data
#
#   export FLOWGATE_TEST_POSTGRES="$(scripts/dev-postgres.sh start)"
#
# It listens on 127.0.0.1 only, on port 54329 (not PostgreSQL's 5432, so a real server can coexist),
# keeps its data under /tmp with fsync off (test data: fast, and lost on a crash), trusts loopback
# connections and has database `flowgate` owned by role `flowgate` (password `flowgate`).
# As root (CI, a fresh Debian machine) it installs Debian's postgresql if needed and runs the server as
# the `postgres` user, since PostgreSQL refuses to run as root; as anyone else it runs it as that user.
# Only the URL goes to stdout; everything else goes to stderr.
#
# Environment: FLOWGATE_PG_PORT (54329), FLOWGATE_PG_DIR (/tmp/flowgate-postgres).
set -euo pipefail

port="${FLOWGATE_PG_PORT:-54329}"
dir="${FLOWGATE_PG_DIR:-/tmp/flowgate-postgres}"
data="$dir/data"
url="postgres://flowgate:flowgate@127.0.0.1:$port/flowgate"

say() { echo "dev-postgres: $*" >&2; }
die() { say "$*"; exit 1; }

# The newest installed server's binaries (Debian: /usr/lib/postgresql/<major>/bin).
server_bin() {
  local found
  found="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$found" ] && dirname "$found"
}

install_postgres() {
  server_bin >/dev/null && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    die "no PostgreSQL server in /usr/lib/postgresql/*/bin: install Debian's postgresql package (as root: apt-get install postgresql)"
  fi
  say "installing PostgreSQL (apt-get install postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql-common >&2
  # The package would create and start a default cluster on 5432; this script runs its own instead.
  sed -ri 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
  apt-get install -y -qq postgresql >&2
  server_bin >/dev/null || die "postgresql installed, but no initdb under /usr/lib/postgresql/*/bin"
}

# Runs a server command as the data directory's owner: `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

is_running() {
  [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

create_cluster() {
  say "creating a cluster in $data (port $port)"
  rm -rf "$dir"
  mkdir -p "$data"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir"; fi
  chmod 700 "$data"
  as_owner "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=trust \
    --encoding=UTF8 --no-locale --no-sync >/dev/null
  # 3–4 gateway replicas with a small pool each, plus the tests' own connections, fit with room.
  cat >>"$data/postgresql.conf" <<EOF

# dev-postgres.sh: loopback only, a fixed port, test data (no durability)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

psql_admin() {
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres -tA "$@"
}

start() {
  install_postgres
  bin="$(server_bin)"
  if is_running; then
    say "already running on 127.0.0.1:$port"
    echo "$url"
    return 0
  fi
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    die "another server already answers on 127.0.0.1:$port: stop it or set FLOWGATE_PG_PORT"
  fi
  [ -f "$data/PG_VERSION" ] || create_cluster
  # 9>&-: the server must not inherit (and hold forever) the lock this script takes below.
  as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >&2 9>&- \
    || { tail -n 20 "$dir/server.log" >&2 || true; die "PostgreSQL did not start (log above)"; }
  if [ "$(psql_admin -c "select count(*) from pg_roles where rolname = 'flowgate'")" = 0 ]; then
    psql_admin -c "create role flowgate login password 'flowgate'"
  fi
  if [ "$(psql_admin -c "select count(*) from pg_database where datname = 'flowgate'")" = 0 ]; then
    psql_admin -c "create database flowgate owner flowgate"
  fi
  say "running on 127.0.0.1:$port, data in $data"
  echo "$url"
}

stop() {
  if server_bin >/dev/null; then
    bin="$(server_bin)"
    if is_running; then
      as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >&2
    fi
  fi
  rm -rf "$dir"
  say "stopped; $dir removed"
}

# One start or stop at a time (parallel test processes may all call start). Released on exit.
exec 9>"$dir.lock"
flock 9

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$url" ;;
  status)
    bin="$(server_bin)" || die "PostgreSQL is not installed"
    if is_running; then say "running on 127.0.0.1:$port"; else say "not running"; exit 1; fi
    ;;
  *)
    echo "usage: $0 start|stop|url|status" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 for tests and prints its DSN as the last line of stdout:
#   export MILKYHOOP_TEST_PG_DSN="$(scripts/pg-start.sh | tail -n1)"
# Listens on 127.0.0.1 only (TCP needs the password) plus a Unix socket in a private directory
# for administration. Idempotent: an already running server is reused. Stop with pg-stop.sh.
#
#   MILKYHOOP_PG_PORT  TCP port (default 55432)
#   MILKYHOOP_PG_DIR   working directory (default /tmp/milkyhoop-pg): data/ holds the cluster,
#                      run/ the socket, postgres.log the server log
#   MILKYHOOP_PG_BIN   PostgreSQL binaries (default /usr/lib/postgresql/15/bin)
#
# Run as root, the server runs as the `postgres` system user (PostgreSQL refuses root);
# otherwise as the current user.
set -euo pipefail

PORT="${MILKYHOOP_PG_PORT:-55432}"
BASE="${MILKYHOOP_PG_DIR:-/tmp/milkyhoop-pg}"
BIN="${MILKYHOOP_PG_BIN:-/usr/lib/postgresql/15/bin}"
DATA="$BASE/data"
RUN="$BASE/run"
LOG="$BASE/postgres.log"
ROLE=milkyhoop
PASSWORD=milkyhoop
DATABASE=milkyhoop_test
READY_TIMEOUT_S=60

log() { echo "pg-start: $*" >&2; }
die() { log "$*"; exit 1; }

[[ -x "$BIN/pg_ctl" ]] || die "no PostgreSQL binaries in $BIN (install the postgresql package)"
[[ "$PORT" =~ ^[0-9]+$ ]] || die "MILKYHOOP_PG_PORT must be a number, got '$PORT'"

if [[ "$(id -u)" -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no postgres user"
  OWNER=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

# The server user must own its directories; run/ and data/ stay private (0700).
mkdir -p "$BASE" "$RUN"
if [[ "$(id -u)" -eq 0 ]]; then
  chown "$OWNER": "$BASE" "$RUN"
  if [[ -d "$DATA" ]]; then chown "$OWNER": "$DATA"; fi  # e.g. pre-created empty by root
fi
chmod 0700 "$BASE" "$RUN"
cd "$BASE"  # the server user may not be able to enter the caller's directory

if [[ ! -s "$DATA/PG_VERSION" ]]; then
  if [[ -d "$DATA" ]] && [[ -n "$(ls -A "$DATA")" ]]; then
    die "$DATA is not empty but holds no cluster; remove it or pick another MILKYHOOP_PG_DIR"
  fi
  log "initdb in $DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C --no-instructions \
    --auth-local=trust --auth-host=scram-sha-256 >&2
fi

# Rewritten on every start so a changed port or directory takes effect.
as_owner tee "$DATA/milkyhoop.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$RUN'
max_connections = 200
# Throwaway test data: durability is not worth the fsyncs.
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
if ! grep -q "^include_if_exists = 'milkyhoop.conf'" "$DATA/postgresql.conf"; then
  echo "include_if_exists = 'milkyhoop.conf'" | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
fi
# The private socket trusts whoever can reach it (the server user and root); TCP on loopback
# wants a password; nothing else is accepted.
as_owner tee "$DATA/pg_hba.conf" >/dev/null <<HBA
local all all trust
host all all 127.0.0.1/32 scram-sha-256
HBA

if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  log "already running ($DATA)"
else
  log "starting on 127.0.0.1:$PORT"
  if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$READY_TIMEOUT_S" start >&2; then
    tail -n 20 "$LOG" >&2 || true
    die "server did not start (log: $LOG)"
  fi
fi

deadline=$((SECONDS + READY_TIMEOUT_S))
until as_owner "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; do
  ((SECONDS < deadline)) || die "server not accepting connections after ${READY_TIMEOUT_S}s"
  sleep 0.2
done

psql_admin() {
  as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$PORT" -U postgres -d postgres "$@"
}
if [[ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]]; then
  log "creating role $ROLE"
  psql_admin -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'"
fi
if [[ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]]; then
  log "creating database $DATABASE"
  psql_admin -c "CREATE DATABASE $DATABASE OWNER $ROLE"
fi

echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"

#!/usr/bin/env bash
# Stops the test PostgreSQL started by pg-start.sh (same MILKYHOOP_PG_DIR / MILKYHOOP_PG_BIN).
# --purge also deletes its directory. Stopping a server that is not running is not an error.
set -euo pipefail

BASE="${MILKYHOOP_PG_DIR:-/tmp/milkyhoop-pg}"
BIN="${MILKYHOOP_PG_BIN:-/usr/lib/postgresql/15/bin}"
DATA="$BASE/data"
PURGE=0
for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
  esac
done

if [[ "$(id -u)" -eq 0 ]]; then
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

if [[ -s "$DATA/PG_VERSION" ]]; then
  cd "$BASE"
  if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
  else
    echo "pg-stop: not running ($DATA)" >&2
  fi
fi
if ((PURGE)); then
  cd /
  rm -rf -- "$BASE"
  echo "pg-stop: removed $BASE" >&2
fi

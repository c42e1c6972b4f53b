#!/usr/bin/env bash
# Stops the test Kafka broker started by kafka-start.sh (same MILKYHOOP_KAFKA_STATE_DIR):
# SIGTERM (a clean shutdown, ~seconds), then SIGKILL after a timeout. Stopping a broker that is
# not running is not an error. The data stays for the next start unless --wipe is given:
#   scripts/kafka-stop.sh           # stop; topics and offsets are kept
#   scripts/kafka-stop.sh --wipe    # stop and remove the whole state dir
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MH_LOG_TAG=kafka-stop

STATE="${MILKYHOOP_KAFKA_STATE_DIR:-/tmp/milkyhoop-kafka}"
PID_FILE="$STATE/broker.pid"
STOP_TIMEOUT_S=30

wipe=false
for arg in "$@"; do
  case "$arg" in
    --wipe) wipe=true ;;
    -h | --help) sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) mh_die "unknown argument '$arg' (usage: kafka-stop.sh [--wipe])" ;;
  esac
done

stop() {
  if [[ ! -f $PID_FILE ]]; then
    mh_log "not running (no $PID_FILE)"
    return 0
  fi
  local pid
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || mh_die "bad pid file $PID_FILE"
  # Only the process we started: its command line must be the Kafka broker.
  if ! kill -0 "$pid" 2>/dev/null || ! grep -qa 'kafka\.Kafka' "/proc/$pid/cmdline" 2>/dev/null; then
    mh_log "not running (stale pid $pid)"
    rm -f "$PID_FILE"
    return 0
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      mh_log "still running after ${STOP_TIMEOUT_S}s: killing $pid"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  rm -f "$PID_FILE"
  mh_log "stopped (pid $pid)"
}

stop
if $wipe && [[ -d $STATE ]]; then
  # Only a directory that kafka-start.sh made: never a mistyped path full of other things.
  if [[ ! -f $STATE/server.properties && -n "$(ls -A "$STATE")" ]]; then
    mh_die "$STATE does not look like a kafka-start.sh state dir (no server.properties); not removing it"
  fi
  rm -rf "$STATE"
  mh_log "removed $STATE"
fi

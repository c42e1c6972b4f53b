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
  # Only the process we started: its command line must be the Kafka broker.
  mh_stop_pid_file "$PID_FILE" 'kafka\.Kafka' "$STOP_TIMEOUT_S"
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

#!/usr/bin/env bash
# Stops the test LLM server started by llm-start.sh (same MILKYHOOP_LLM_STATE_DIR). Stopping a
# server that is not running is not an error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MH_LOG_TAG=llm-stop

STATE="${MILKYHOOP_LLM_STATE_DIR:-/tmp/milkyhoop-llm}"
PID_FILE="$STATE/server.pid"
STOP_TIMEOUT_S=15

if [[ ! -f $PID_FILE ]]; then
  mh_log "not running (no $PID_FILE)"
  exit 0
fi
pid="$(cat "$PID_FILE")"
[[ "$pid" =~ ^[0-9]+$ ]] || mh_die "bad pid file $PID_FILE"
# Only the process we started: its command line must be the llama_cpp server.
if ! kill -0 "$pid" 2>/dev/null || ! grep -qa 'llama_cpp.server' "/proc/$pid/cmdline" 2>/dev/null; then
  mh_log "not running (stale pid $pid)"
  rm -f "$PID_FILE"
  exit 0
fi
kill -TERM "$pid"
deadline=$((SECONDS + STOP_TIMEOUT_S))
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

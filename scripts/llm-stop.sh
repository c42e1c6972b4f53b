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

# Only the process we started: its command line must be the llama_cpp server.
mh_stop_pid_file "$PID_FILE" 'llama_cpp.server' "$STOP_TIMEOUT_S"

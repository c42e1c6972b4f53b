#!/usr/bin/env bash
# The split shape against the all-in-one process (issue 8), same run: an authenticated
# GET /v1/auth/me through the gateway of a split deployment (gateway, identity, catalog and
# conversation processes: the JWT is verified in the gateway, the user and the memberships come
# from the identity process over gRPC) and through one all-in-one process. ROUNDS alternating
# runs each; medians and the ratio split/all-in-one.
#   bench/run.sh split
# Needs a Kafka broker for the split events (scripts/kafka-start.sh is started here unless
# MILKYHOOP_TEST_KAFKA_BOOTSTRAP names one).
# Env: DURATION (s, 15), ROUNDS (3), WARMUP (s, 5), THREADS (2), CONNECTIONS (64), USERS (8),
#      MILKYHOOP_BIN, BENCH_KEEP_TMP=1.
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DURATION=${DURATION:-15} ROUNDS=${ROUNDS:-3} WARMUP=${WARMUP:-5} USERS=${USERS:-8}
THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64}
BIN=${MILKYHOOP_BIN:-$BENCH_ROOT/build/release/bin/milkyhoop}
export THREADS CONNECTIONS
bench_require wrk curl python3
[[ -x $BIN ]] || bench_die "release binary $BIN is missing: build it first with scripts/build.sh"

bootstrap=${MILKYHOOP_TEST_KAFKA_BOOTSTRAP:-}
if [[ -z $bootstrap ]]; then
  bootstrap=$("$BENCH_ROOT/scripts/kafka-start.sh" </dev/null | tail -n1) ||
    bench_die "could not start the Kafka broker (scripts/kafka-start.sh)"
  trap '"$BENCH_ROOT/scripts/kafka-stop.sh" </dev/null >/dev/null 2>&1 || true; bench_cleanup' EXIT
fi
machine=$(bench_machine_json)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bench_log "machine: $(bench_machine_line "$machine"); load $load_before"
# The largest limits the config allows: this measures the work, not the limiter.
export MILKYHOOP_RATELIMIT_GENERAL_PER_MINUTE=1000000 MILKYHOOP_RATELIMIT_AUTH_PER_MINUTE=1000000

# --- the all-in-one process -----------------------------------------------------------------------
bench_start_milkyhoop "$BIN"
all_in_one="http://127.0.0.1:$MILKYHOOP_PORT"

# --- the split deployment: one data directory, one process per group of services -----------------
split_dir="$BENCH_TMP/split-data"
mkdir -p "$split_dir"
declare -A grpc_port
remotes=()
start_split_process() {  # NAME SERVICES...
  local name=$1 services http pid
  shift
  services=$(IFS=,; echo "$*")
  http=$(bench_free_port)
  grpc_port[$name]=$(bench_free_port)
  env MILKYHOOP_EVENTS_BUS=kafka MILKYHOOP_EVENTS_KAFKA_BOOTSTRAP_SERVERS="$bootstrap" \
    MILKYHOOP_EVENTS_KAFKA_TOPIC_PREFIX="bench-split-$$." \
    MILKYHOOP_GRPC_LISTEN="127.0.0.1:${grpc_port[$name]}" "${remotes[@]}" \
    "$BIN" serve --services "$services" --listen "127.0.0.1:$http" --data-dir "$split_dir" \
    --log-format json >"$BENCH_TMP/split-$name.log" 2>&1 </dev/null &
  pid=$!
  bench_track "$pid"
  bench_wait_http "http://127.0.0.1:$http/healthz" 30 "$pid" ||
    bench_die "split process $name did not start: $(tail -n 20 "$BENCH_TMP/split-$name.log")"
  local s
  for s in "$@"; do
    [[ $s == gateway ]] || remotes+=("MILKYHOOP_REMOTE_${s^^}=127.0.0.1:${grpc_port[$name]}")
  done
  SPLIT_HTTP_PORT=$http
}
start_split_process identity security auth org audit
start_split_process catalog business rag
start_split_process conversation chatbot assistant
start_split_process gateway gateway
split="http://127.0.0.1:$SPLIT_HTTP_PORT"

# --- users and their tokens, on each --------------------------------------------------------------
password="kopi-susu-gula-aren-42"
for shape in all_in_one split; do
  bench_bearer_users "${!shape}" "$USERS" "$password" "$BENCH_TMP/$shape.lua"
  curl -sf -H "Authorization: Bearer ${BENCH_TOKENS[0]}" "${!shape}/v1/auth/me" >/dev/null ||
    bench_die "GET /v1/auth/me through $shape failed"
done

declare -A url=([all_in_one]="$all_in_one/v1/auth/me" [split]="$split/v1/auth/me")
for t in all_in_one split; do
  bench_log "warm-up $t (${WARMUP}s)"
  bench_wrk "$BENCH_TMP/warmup-$t.txt" "${url[$t]}" "$WARMUP" -s "$BENCH_TMP/$t.lua"
done
mkdir -p "$BENCH_TMP/runs/all_in_one" "$BENCH_TMP/runs/split"
for ((r = 1; r <= ROUNDS; r++)); do
  for t in all_in_one split; do
    out="$BENCH_TMP/runs/$t/$r.txt"
    bench_wrk "$out" "${url[$t]}" "$DURATION" -s "$BENCH_TMP/$t.lua"
    grep -q "Non-2xx" "$out" && bench_die "$t answered errors: $(grep Non-2xx "$out")"
    bench_log "round $r/$ROUNDS $t: $(awk '/^Requests\/sec/{r=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} END{printf "%s req/s, p50 %s, p99 %s", r, p50, p99}' "$out")"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

ts=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BENCH_ROOT/bench/results"
result="$BENCH_ROOT/bench/results/split-$ts.json"
M_MACHINE=$machine M_LOAD_BEFORE=$load_before M_LOAD_AFTER=$load_after M_TS=$ts \
  "$BENCH_PY" - "$BENCH_TMP/meta.json" <<'PY'
import json, os, sys
e = os.environ
json.dump({"benchmark": "split", "timestamp_utc": e["M_TS"], "machine": json.loads(e["M_MACHINE"]),
           "load_average_1_5_15": {"before": [float(x) for x in e["M_LOAD_BEFORE"].split()],
                                   "after": [float(x) for x in e["M_LOAD_AFTER"].split()]},
           "route": "GET /v1/auth/me with a bearer token",
           "split": "gateway | security,auth,org,audit | business,rag | chatbot,assistant"},
          open(sys.argv[1], "w"), indent=2)
PY
echo
echo "== GET /v1/auth/me: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, median of $ROUNDS alternating runs"
echo "machine: $(bench_machine_line "$machine"); load average before $load_before, after $load_after"
"$BENCH_PY" "$BENCH_LIB/wrkstats.py" report --baseline all_in_one --meta "$BENCH_TMP/meta.json" \
  --out "$result" "all_in_one=$BENCH_TMP/runs/all_in_one/*.txt" "split=$BENCH_TMP/runs/split/*.txt"
echo "results: ${result#"$BENCH_ROOT"/}"

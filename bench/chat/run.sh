#!/usr/bin/env bash
# Customer chat (public chat endpoint) on the all-in-one binary, three measurements:
#   bench/run.sh chat
# 1. Offline chat round trips (no LLM configured) on one business with 10,000 knowledge chunks
#    (the retrieval dev set's FAQs + generated filler FAQs): wrk -s chat.lua posts the dev set's
#    queries as public chat messages; side by side in alternating runs with GET /healthz of the
#    same server (the reference: the ratio is the chat's cost) and with a variant whose every
#    message defeats the answer cache (emoji appended: same retrieval, no cache hit).
# 2. First-token latency the server adds: a paced OpenAI-compatible upstream (Python, in the
#    driver's process) records when it writes its first content chunk; the client records when
#    the first `delta` event arrives through milkyhoop; reference: the same client reading the
#    upstream directly. Every answer must be an LLM answer (tier 2-3, fallback false).
# 3. 2,000 SSE chat streams held open at once over 25 businesses (100 per business is the cap)
#    with the upstream slowed down; the server's RSS before and while held, per stream; reference:
#    2,000 idle keep-alive connections. Each of the two on a freshly started server.
# Starts the binary (never builds it) on a free loopback port with a temporary data dir, lifting
# the rate limits; writes bench/results/chat-<timestamp>.json.
# Env: DURATION (s per wrk run, 10), ROUNDS (3), WARMUP (s, 5), THREADS (2), CONNECTIONS (64),
#      CHUNKS (10000), LATENCY_SAMPLES (150 per side), LATENCY_FIRST_MS (50), LATENCY_EVERY_MS
#      (20), STREAMS (2000), STREAM_BUSINESSES (25), STREAM_ROUNDS (2), STREAM_HOLD (s, 10),
#      SKIP=offline,latency,streams (any of them), MILKYHOOP_BIN (build/release/bin/milkyhoop),
#      MILKYHOOP_SERVE_ARGS (extra `serve` arguments), BENCH_KEEP_TMP=1 (keep logs, scripts).
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
here="$BENCH_ROOT/bench/chat"

DURATION=${DURATION:-10} ROUNDS=${ROUNDS:-3} WARMUP=${WARMUP:-5}
THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64}
CHUNKS=${CHUNKS:-10000} LATENCY_SAMPLES=${LATENCY_SAMPLES:-150}
LATENCY_FIRST_MS=${LATENCY_FIRST_MS:-50} LATENCY_EVERY_MS=${LATENCY_EVERY_MS:-20}
STREAMS=${STREAMS:-2000} STREAM_BUSINESSES=${STREAM_BUSINESSES:-25}
STREAM_ROUNDS=${STREAM_ROUNDS:-2} STREAM_HOLD=${STREAM_HOLD:-10}
SKIP=${SKIP:-}
BIN=${MILKYHOOP_BIN:-$BENCH_ROOT/build/release/bin/milkyhoop}
export THREADS CONNECTIONS
skip() { [[ ,$SKIP, == *,$1,* ]]; }
# cpu_ticks PID: user + system CPU time of a process, in clock ticks (CLK_TCK a second).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
clk_tck=$(getconf CLK_TCK)

bench_require wrk curl python3
[[ -x $BIN ]] || bench_die "release binary $BIN is missing: build it first with scripts/build.sh (this benchmark builds nothing)"
# The server reads MILKYHOOP_* as configuration: keep only what this benchmark sets.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^MILKYHOOP_' || true)
# One address sends everything: lift the per-IP limits to their maximum (1,000,000 a minute).
export MILKYHOOP_RATELIMIT_PUBLIC_CHAT_PER_MINUTE=1000000
export MILKYHOOP_RATELIMIT_GENERAL_PER_MINUTE=1000000
export MILKYHOOP_RATELIMIT_PUBLIC_CHAT_PER_BUSINESS_PER_MINUTE=10000000
# Loopback upstream (the paced LLM of the latency and streams phases): allowed explicitly.
export MILKYHOOP_CHATBOT_LLM_ALLOW_PRIVATE_NETWORKS=true
# 2,000 streams: a client and an upstream socket each, in the server and in the driver.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(($(ulimit -n) >= 2 * STREAMS + 200)) ||
  bench_log "warning: open-file limit $(ulimit -n) is low for $STREAMS streams"

machine=$(bench_machine_json)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_before%% *}" 'BEGIN { exit !(l > 1.0) }'; then
  bench_log "warning: load average is $load_before before the benchmark: other work on this machine will skew the numbers"
fi
bench_log "machine: $(bench_machine_line "$machine")"
version=$("$BIN" version 2>/dev/null | head -n1 || true)
# shellcheck disable=SC2206  # deliberate word splitting of an argument list
serve_args=(${MILKYHOOP_SERVE_ARGS:-})
declare -A load_phase=() rss=() exit_status=()
logs=()

start_server() {  # start_server NAME: a fresh process on the same data dir
  bench_start_milkyhoop "$BIN" "${serve_args[@]}"
  base="http://127.0.0.1:$MILKYHOOP_PORT"
  bench_log "$1: milkyhoop pid $MILKYHOOP_PID on 127.0.0.1:$MILKYHOOP_PORT"
}
stop_server() {  # stop_server NAME: SIGTERM, keeps its log as BENCH_TMP/NAME.log
  bench_stop "$MILKYHOOP_PID" TERM
  exit_status[$1]=$BENCH_STOP_RC
  cp "$MILKYHOOP_LOG" "$BENCH_TMP/$1.log"
  logs+=("$BENCH_TMP/$1.log")
  [[ $BENCH_STOP_RC == 0 ]] || bench_log "warning: milkyhoop ($1) exited with $BENCH_STOP_RC after SIGTERM"
}

# --- 1. setup and offline chat ------------------------------------------------------------------
start_server main
rss[idle]=$(bench_rss_kib "$MILKYHOOP_PID")
bench_log "setup: owner, one business with $CHUNKS chunks, $((STREAM_BUSINESSES + 2)) small ones"
"$BENCH_PY" "$here/chatbench.py" setup --base "$base" --out "$BENCH_TMP/setup.json" \
  --lua "$BENCH_TMP/chat.lua" --lua-unique "$BENCH_TMP/chat-nocache.lua" --chunks "$CHUNKS" \
  --stream-businesses "$STREAM_BUSINESSES"
sleep 1
rss[after_setup]=$(bench_rss_kib "$MILKYHOOP_PID")

declare -A wrk_args=([healthz]="" [chat]="-s $BENCH_TMP/chat.lua"
                     [chat-nocache]="-s $BENCH_TMP/chat-nocache.lua")
declare -A url=([healthz]="$base/healthz" [chat]="$base/" [chat-nocache]="$base/")
targets=(healthz chat chat-nocache)
for t in "${targets[@]}"; do mkdir -p "$BENCH_TMP/runs/$t"; done
if ! skip offline; then
  load_phase[offline_before]=$(cut -d' ' -f1-3 /proc/loadavg)
  if ((WARMUP > 0)); then
    for t in "${targets[@]}"; do
      bench_log "warm-up $t (${WARMUP}s)"
      # shellcheck disable=SC2086  # wrk_args holds separate words
      bench_wrk "$BENCH_TMP/warmup-$t.txt" "${url[$t]}" "$WARMUP" ${wrk_args[$t]}
    done
  fi
  bench_log "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency; $ROUNDS alternating rounds: ${targets[*]}"
  for ((r = 1; r <= ROUNDS; r++)); do
    for t in "${targets[@]}"; do
      out="$BENCH_TMP/runs/$t/$r.txt"
      cpu0=$(cpu_ticks "$MILKYHOOP_PID")
      # shellcheck disable=SC2086
      bench_wrk "$out" "${url[$t]}" "$DURATION" ${wrk_args[$t]}
      echo $(($(cpu_ticks "$MILKYHOOP_PID") - cpu0)) >"$BENCH_TMP/runs/$t/$r.cpu"
      bench_log "round $r/$ROUNDS $t: $(awk '/^Requests\/sec/{r=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} END{printf "%s req/s, p50 %s, p99 %s", r, p50, p99}' "$out") $(grep -h '^CHAT_STATS' "$out" | cut -c12- || true)"
    done
  done
  load_phase[offline_after]=$(cut -d' ' -f1-3 /proc/loadavg)
  rss[after_offline]=$(bench_rss_kib "$MILKYHOOP_PID")
fi

# --- 2. first-token latency ---------------------------------------------------------------------
if ! skip latency; then
  load_phase[latency_before]=$(cut -d' ' -f1-3 /proc/loadavg)
  "$BENCH_PY" "$here/chatbench.py" latency --base "$base" --setup "$BENCH_TMP/setup.json" \
    --out "$BENCH_TMP/latency.json" --samples "$LATENCY_SAMPLES" \
    --first-ms "$LATENCY_FIRST_MS" --every-ms "$LATENCY_EVERY_MS"
  load_phase[latency_after]=$(cut -d' ' -f1-3 /proc/loadavg)
fi
rss[end_main]=$(bench_rss_kib "$MILKYHOOP_PID")
rss[peak_main]=$(bench_hwm_kib "$MILKYHOOP_PID")
stop_server main

# --- 3. concurrent streams, and idle connections as the reference (fresh servers) ---------------
if ! skip streams; then
  load_phase[streams_before]=$(cut -d' ' -f1-3 /proc/loadavg)
  start_server idle
  "$BENCH_PY" "$here/chatbench.py" idle --base "$base" --pid "$MILKYHOOP_PID" \
    --out "$BENCH_TMP/idle.json" --connections "$STREAMS"
  stop_server idle
  start_server streams
  "$BENCH_PY" "$here/chatbench.py" streams --base "$base" --pid "$MILKYHOOP_PID" \
    --setup "$BENCH_TMP/setup.json" --out "$BENCH_TMP/streams.json" --streams "$STREAMS" \
    --rounds "$STREAM_ROUNDS" --hold "$STREAM_HOLD"
  rss[peak_streams]=$(bench_hwm_kib "$MILKYHOOP_PID")
  stop_server streams
  load_phase[streams_after]=$(cut -d' ' -f1-3 /proc/loadavg)
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report -------------------------------------------------------------------------------------
ts=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BENCH_ROOT/bench/results"
result="$BENCH_ROOT/bench/results/chat-$ts.json"
wrk_version=$({ wrk -v 2>&1 || true; } | awk 'NR==1{print $2}')
kv() {  # kv ARRAY_NAME: "k=v" lines of an associative array
  local -n a=$1
  local k
  for k in "${!a[@]}"; do printf '%s=%s\n' "$k" "${a[$k]}"; done
}
M_TS=$ts M_ROOT=$BENCH_ROOT M_MACHINE=$machine M_VERSION=$version M_WRK=$wrk_version \
M_LOAD_BEFORE=$load_before M_LOAD_AFTER=$load_after M_LOAD_PHASES=$(kv load_phase) \
M_RSS=$(kv rss) M_EXIT=$(kv exit_status) M_BIN=$BIN \
M_PARAMS="duration_s=$DURATION rounds=$ROUNDS warmup_s=$WARMUP threads=$THREADS connections=$CONNECTIONS chunks=$CHUNKS latency_samples=$LATENCY_SAMPLES streams=$STREAMS stream_businesses=$STREAM_BUSINESSES stream_rounds=$STREAM_ROUNDS stream_hold_s=$STREAM_HOLD" \
  "$BENCH_PY" - "$BENCH_TMP/meta.json" <<'PY'
import json, os, sys
e = os.environ
root = e["M_ROOT"]
def commit():
    try:
        head = open(os.path.join(root, ".git/HEAD")).read().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        p = os.path.join(root, ".git", ref)
        if os.path.exists(p):
            return open(p).read().strip()
        for line in open(os.path.join(root, ".git/packed-refs")):
            if line.rstrip().endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return None
def pairs(text, conv=str):
    out = {}
    for line in text.splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            out[k] = conv(v)
    return out
def num(v):
    try:
        return int(v)
    except ValueError:
        return v
meta = {
    "timestamp_utc": e["M_TS"],
    "commit": commit(),
    "binary": e["M_BIN"],
    "machine": json.loads(e["M_MACHINE"]),
    "load_average_1_5_15": {
        "before": [float(x) for x in e["M_LOAD_BEFORE"].split()],
        "after": [float(x) for x in e["M_LOAD_AFTER"].split()],
        **{k: [float(x) for x in v.split()] for k, v in pairs(e["M_LOAD_PHASES"]).items()}},
    "params": {k: num(v) for k, v in (p.split("=", 1) for p in e["M_PARAMS"].split())},
    "versions": {"milkyhoop": e["M_VERSION"], "wrk": e["M_WRK"]},
    "rss_kib_main_server": pairs(e["M_RSS"], int),
    "exit_status_on_sigterm": pairs(e["M_EXIT"], int),
}
meta["params"]["order"] = "offline: alternating runs healthz, chat, chat-nocache"
with open(sys.argv[1], "w") as f:
    json.dump(meta, f, indent=2)
PY

"$BENCH_PY" "$here/chatbench.py" logscan --out "$BENCH_TMP/logs.json" "${logs[@]}"

echo
echo "== offline chat (no LLM, $CHUNKS chunks): wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, median of $ROUNDS alternating runs"
echo "machine: $(bench_machine_line "$machine"); load average before $load_before, after $load_after"
echo
if ! skip offline; then
  "$BENCH_PY" "$BENCH_LIB/wrkstats.py" report --baseline healthz --out "$BENCH_TMP/offline.json" \
    "healthz=$BENCH_TMP/runs/healthz/*.txt" "chat=$BENCH_TMP/runs/chat/*.txt" \
    "chat-nocache=$BENCH_TMP/runs/chat-nocache/*.txt"
else
  echo '{"targets": {}}' >"$BENCH_TMP/offline.json"
fi
"$BENCH_PY" "$here/chatbench.py" report --meta "$BENCH_TMP/meta.json" \
  --offline "$BENCH_TMP/offline.json" --latency "$BENCH_TMP/latency.json" \
  --idle "$BENCH_TMP/idle.json" --streams "$BENCH_TMP/streams.json" \
  --logs "$BENCH_TMP/logs.json" --setup "$BENCH_TMP/setup.json" --out "$result" \
  --chat-runs "$BENCH_TMP/runs/chat/*.txt" --nocache-runs "$BENCH_TMP/runs/chat-nocache/*.txt" \
  --runs-dir "$BENCH_TMP/runs" --clk-tck "$clk_tck"
echo
printf 'main server RSS: idle %s MiB, after the %s-chunk setup %s MiB, at the end %s MiB (peak %s MiB)\n' \
  "$(bench_mib "${rss[idle]}")" "$CHUNKS" "$(bench_mib "${rss[after_setup]}")" \
  "$(bench_mib "${rss[end_main]}")" "$(bench_mib "${rss[peak_main]}")"
echo "exit status after SIGTERM: $(kv exit_status | sort | tr '\n' ' ')"
echo "results: ${result#"$BENCH_ROOT"/}"

#!/usr/bin/env bash
# HTTP baseline: GET /healthz on milkyhoop against nginx on the same machine.
#   bench/run.sh http
# Starts the release binary (never builds it) on a free loopback port with a temporary data dir,
# and nginx from a generated config (2 workers, access_log off, keep-alive) on another port;
# warms both up, then runs wrk against them in alternation (nginx, milkyhoop, nginx, ...) so
# machine noise hits both alike; prints medians, the req/s ratio milkyhoop/nginx, milkyhoop's
# RSS before and after load, and writes bench/results/http-<timestamp>.json.
# Env: DURATION (s per run, 15), ROUNDS (3), WARMUP (s, 5), THREADS (2), CONNECTIONS (64),
#      BENCH_PATH (/healthz), MILKYHOOP_BIN (build/release/bin/milkyhoop),
#      MILKYHOOP_SERVE_ARGS (extra `serve` arguments), NGINX_WORKERS (2),
#      BENCH_SUBJECT=nginx (measure a second nginx in milkyhoop's place: checks the harness
#      without the binary), BENCH_KEEP_TMP=1 (keep logs and configs).
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DURATION=${DURATION:-15} ROUNDS=${ROUNDS:-3} WARMUP=${WARMUP:-5}
THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64}
BENCH_PATH=${BENCH_PATH:-/healthz}
SUBJECT=${BENCH_SUBJECT:-milkyhoop}
BIN=${MILKYHOOP_BIN:-$BENCH_ROOT/build/release/bin/milkyhoop}
export THREADS CONNECTIONS

bench_require wrk nginx curl python3
case $SUBJECT in
  milkyhoop)
    [[ -x $BIN ]] || bench_die "release binary $BIN is missing: build it first with scripts/build.sh (this benchmark builds nothing)"
    subject_name=milkyhoop ;;
  nginx) subject_name="nginx-b" ;;
  *) bench_die "BENCH_SUBJECT must be milkyhoop or nginx, got $SUBJECT" ;;
esac

machine=$(bench_machine_json)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_before%% *}" 'BEGIN { exit !(l > 1.0) }'; then
  bench_log "warning: load average is $load_before before the benchmark: other work on this machine will skew the numbers"
fi
bench_log "machine: $(bench_machine_line "$machine")"
bench_log "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency $BENCH_PATH; $ROUNDS alternating rounds after ${WARMUP}s warm-up each"

# --- start the two servers ---------------------------------------------------------------------
if [[ $SUBJECT == milkyhoop ]]; then
  # shellcheck disable=SC2206  # deliberate word splitting of an argument list
  serve_args=(${MILKYHOOP_SERVE_ARGS:-})
  bench_start_milkyhoop "$BIN" "${serve_args[@]}"
  subject_pid=$MILKYHOOP_PID subject_port=$MILKYHOOP_PORT
  subject_pids=("$subject_pid")
  subject_version=$("$BIN" version 2>/dev/null | head -n1 || true)
else
  subject_port=$(bench_free_port)
  bench_start_nginx nginx-b "$subject_port"
  subject_pid=$NGINX_PID
  mapfile -t subject_pids < <(bench_tree "$subject_pid")
  subject_version="nginx (stand-in for milkyhoop)"
fi
bench_log "$subject_name: pid $subject_pid on 127.0.0.1:$subject_port"

nginx_port=$(bench_free_port)
bench_start_nginx nginx "$nginx_port"
mapfile -t nginx_pids < <(bench_tree "$NGINX_PID")
nginx_version=$(nginx -v 2>&1 | sed 's/^nginx version: //')
bench_log "nginx: pid $NGINX_PID ($nginx_version) on 127.0.0.1:$nginx_port"

sleep 1   # let both settle before the idle RSS reading
rss_idle=$(bench_rss_kib "${subject_pids[@]}")
nginx_rss_idle=$(bench_rss_kib "${nginx_pids[@]}")
bench_log "idle RSS: $subject_name $(bench_mib "$rss_idle") MiB, nginx (all processes) $(bench_mib "$nginx_rss_idle") MiB"

declare -A url=([nginx]="http://127.0.0.1:$nginx_port$BENCH_PATH"
                [$subject_name]="http://127.0.0.1:$subject_port$BENCH_PATH")
for t in nginx "$subject_name"; do
  code=$(curl -s -o "$BENCH_TMP/$t.body" -w '%{http_code}' "${url[$t]}" || true)
  [[ $code == 200 ]] || bench_die "$t answers $code on ${url[$t]}: $(head -c 300 "$BENCH_TMP/$t.body")"
done

# --- warm-up, then alternating measured runs ---------------------------------------------------
if ((WARMUP > 0)); then
  for t in nginx "$subject_name"; do
    bench_log "warm-up $t (${WARMUP}s)"
    bench_wrk "$BENCH_TMP/warmup-$t.txt" "${url[$t]}" "$WARMUP"
  done
fi
mkdir -p "$BENCH_TMP/runs/nginx" "$BENCH_TMP/runs/$subject_name"
for ((r = 1; r <= ROUNDS; r++)); do
  for t in nginx "$subject_name"; do
    out="$BENCH_TMP/runs/$t/$r.txt"
    bench_wrk "$out" "${url[$t]}" "$DURATION"
    bench_log "round $r/$ROUNDS $t: $(awk '/^Requests\/sec/{r=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} END{printf "%s req/s, p50 %s, p99 %s", r, p50, p99}' "$out")"
  done
done

rss_after=$(bench_rss_kib "${subject_pids[@]}")
nginx_rss_after=$(bench_rss_kib "${nginx_pids[@]}")
rss_peak=$(bench_hwm_kib "$subject_pid")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# Graceful shutdown is part of the contract: SIGTERM -> exit 0 (nginx: SIGQUIT).
if [[ $SUBJECT == milkyhoop ]]; then bench_stop "$subject_pid" TERM; else bench_stop "$subject_pid" QUIT; fi
subject_exit=$BENCH_STOP_RC

# --- report ------------------------------------------------------------------------------------
ts=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BENCH_ROOT/bench/results"
result="$BENCH_ROOT/bench/results/http-$ts.json"
wrk_version=$({ wrk -v 2>&1 || true; } | awk 'NR==1{print $2}')
M_TS=$ts M_ROOT=$BENCH_ROOT M_MACHINE=$machine M_PATH=$BENCH_PATH M_DURATION=$DURATION \
M_ROUNDS=$ROUNDS M_WARMUP=$WARMUP M_THREADS=$THREADS M_CONNECTIONS=$CONNECTIONS \
M_NGINX_WORKERS=${NGINX_WORKERS:-2} M_SUBJECT=$subject_name M_SUBJECT_VERSION=$subject_version \
M_NGINX_VERSION=$nginx_version M_WRK_VERSION=$wrk_version M_RSS_IDLE=$rss_idle \
M_RSS_AFTER=$rss_after M_RSS_PEAK=$rss_peak M_NGINX_RSS_IDLE=$nginx_rss_idle \
M_NGINX_RSS_AFTER=$nginx_rss_after M_SUBJECT_EXIT=$subject_exit \
M_LOAD_BEFORE=$load_before M_LOAD_AFTER=$load_after \
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
s = e["M_SUBJECT"]
meta = {
    "benchmark": "http",
    "timestamp_utc": e["M_TS"],
    "commit": commit(),
    "machine": json.loads(e["M_MACHINE"]),
    "load_average_1_5_15": {"before": [float(x) for x in e["M_LOAD_BEFORE"].split()],
                            "after": [float(x) for x in e["M_LOAD_AFTER"].split()]},
    "params": {"path": e["M_PATH"], "duration_s": int(e["M_DURATION"]),
               "rounds": int(e["M_ROUNDS"]), "warmup_s": int(e["M_WARMUP"]),
               "threads": int(e["M_THREADS"]), "connections": int(e["M_CONNECTIONS"]),
               "nginx_workers": int(e["M_NGINX_WORKERS"]),
               "order": "alternating runs, nginx first"},
    "versions": {s: e["M_SUBJECT_VERSION"], "nginx": e["M_NGINX_VERSION"],
                 "wrk": e["M_WRK_VERSION"]},
    "rss_kib": {s + "_idle": int(e["M_RSS_IDLE"]), s + "_after_load": int(e["M_RSS_AFTER"]),
                s + "_peak": int(e["M_RSS_PEAK"]),
                "nginx_idle_all_processes": int(e["M_NGINX_RSS_IDLE"]),
                "nginx_after_load_all_processes": int(e["M_NGINX_RSS_AFTER"])},
    s + "_exit_status_on_stop": int(e["M_SUBJECT_EXIT"]),
}
with open(sys.argv[1], "w") as f:
    json.dump(meta, f, indent=2)
PY

echo
echo "== HTTP GET $BENCH_PATH: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, median of $ROUNDS alternating runs"
echo "machine: $(bench_machine_line "$machine"); load average before $load_before, after $load_after"
echo
"$BENCH_PY" "$BENCH_LIB/wrkstats.py" report --baseline nginx --meta "$BENCH_TMP/meta.json" --out "$result" \
  "nginx=$BENCH_TMP/runs/nginx/*.txt" "$subject_name=$BENCH_TMP/runs/$subject_name/*.txt"
echo
printf '%s RSS: idle %s MiB, after load %s MiB (peak of the main process %s MiB)\n' "$subject_name" \
  "$(bench_mib "$rss_idle")" "$(bench_mib "$rss_after")" "$(bench_mib "$rss_peak")"
echo "$subject_name exit status after its stop signal (SIGTERM; nginx: SIGQUIT): $subject_exit$([[ $subject_exit == 0 ]] && echo ' (graceful)')"
echo "results: ${result#"$BENCH_ROOT"/}"

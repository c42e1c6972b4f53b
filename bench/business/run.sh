#!/usr/bin/env bash
# Business-service benchmarks (issue 4):
#   bench/run.sh business [all|http|pnl]
# http  Sustained sales over HTTP on the embedded default (all-in-one binary, SQLite): wrk posts
#       POST /v1/businesses/{id}/transactions sale bodies (bench/business/sale.lua) and, in
#       alternation, GET /healthz of the same server as the reference; prints median sales/s,
#       p50/p99 and the ratio sale/healthz, and checks every counted sale reached the reports.
#       Starts MILKYHOOP_BIN (never builds it) with a temporary data dir, registers a user and
#       creates an org, a business and 10 products with enough stock through the public API.
# pnl   Profit and loss for a year over TXNS transactions (loaded through PostTransaction) on
#       SQLite and on PostgreSQL, against a plain SQL SUM over the raw transactions table with
#       the same filters (goal: report p99 < 20 ms). Fails (exit 3) if the figures differ.
# Writes bench/results/business-<timestamp>.json (machine, load average, both parts).
# Env: DURATION (s per wrk run, 15), ROUNDS (3), WARMUP (s, 5), THREADS (wrk, 2),
#      CONNECTIONS (64), MILKYHOOP_BIN (build/release/bin/milkyhoop),
#      TXNS (1000000), LOAD_THREADS (4), SEED (20250101), REPORT_REPS (2000), PLAIN_REPS (20),
#      MAX_LOAD_S (900: loading stops after this many seconds per database and the report is
#      timed over what was loaded, marked "capped"; 0 = no cap),
#      BACKENDS ("sqlite postgres"; postgres is skipped with a warning without
#      MILKYHOOP_TEST_PG_DSN), MILKYHOOP_BENCH_BUSINESS_BIN (default
#      build/release/bin/mh_bench_business_pnl, else built in build/bench-business),
#      BENCH_NO_BUILD=1 (fail instead of building), BENCH_KEEP_TMP=1.
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

part=${1:-all}
case $part in
  all | http | pnl) ;;
  *) bench_die "usage: bench/run.sh business [all|http|pnl]" ;;
esac
here="$BENCH_ROOT/bench/business"
DURATION=${DURATION:-15} ROUNDS=${ROUNDS:-3} WARMUP=${WARMUP:-5}
THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64}
TXNS=${TXNS:-1000000} LOAD_THREADS=${LOAD_THREADS:-4} SEED=${SEED:-20250101}
REPORT_REPS=${REPORT_REPS:-2000} PLAIN_REPS=${PLAIN_REPS:-20} MAX_LOAD_S=${MAX_LOAD_S:-900}
BACKENDS=${BACKENDS:-sqlite postgres}
BIN=${MILKYHOOP_BIN:-$BENCH_ROOT/build/release/bin/milkyhoop}
export THREADS CONNECTIONS

machine=$(bench_machine_json)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_before%% *}" 'BEGIN { exit !(l > 1.0) }'; then
  bench_log "warning: load average is $load_before before the benchmark: other work on this machine will skew the numbers"
fi
bench_log "machine: $(bench_machine_line "$machine")"
bench_log "load average before: $load_before"

# --- part 1: sales over HTTP --------------------------------------------------------------------
http_json=""
run_http() {
  bench_require wrk curl python3
  [[ -x $BIN ]] || bench_die "release binary $BIN is missing: build it first with scripts/build.sh (this part builds nothing) or set MILKYHOOP_BIN"
  bench_log "http: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency; $ROUNDS alternating rounds (healthz, sale) after ${WARMUP}s warm-up each"
  # The general limit at its maximum (1,000,000 a minute per caller) so it does not cap sales.
  export MILKYHOOP_RATELIMIT_GENERAL_PER_MINUTE=1000000
  bench_start_milkyhoop "$BIN"
  unset MILKYHOOP_RATELIMIT_GENERAL_PER_MINUTE
  local base="http://127.0.0.1:$MILKYHOOP_PORT" setup
  bench_log "milkyhoop: pid $MILKYHOOP_PID on 127.0.0.1:$MILKYHOOP_PORT ($("$BIN" version 2>/dev/null | head -n1 || true))"

  # register, org, business, products: through the public API as tests/e2e does.
  setup=$("$BENCH_PY" "$BENCH_LIB/shop.py" "$base" bench-business@example.com 10) ||
    bench_die "setup through the API failed"
  # One sale by hand: the body the script sends must be accepted.
  PYTHONPATH=$BENCH_LIB "$BENCH_PY" - "$base" $setup <<'PY' || bench_die "the hand-made sale failed"
import sys
from shop import call
base, token, biz, products = sys.argv[1:5]
sale = call(base, "POST", f"/v1/businesses/{biz}/transactions",
            {"type": "sale", "payment_method": "cash", "items": [
                {"product_id": products.split(",")[0].split(":")[0], "quantity": 1,
                 "unit_price": {"amount": 5000, "currency": "IDR"}}]}, token)
assert sale["status"] == "posted", sale
PY
  local token business products
  read -r token business products <<<"$setup"
  export BENCH_TOKEN=$token BENCH_BUSINESS=$business BENCH_PRODUCTS=$products
  bench_rounds_against_healthz "$base" sale "$here/sale.lua"
  local rss_after rss_peak
  rss_after=$(bench_rss_kib "$MILKYHOOP_PID")
  rss_peak=$(bench_hwm_kib "$MILKYHOOP_PID")

  # Every sale wrk counted must be in the reports (a few more may have committed as wrk stopped
  # mid-request: at most one per connection per run).
  local counted posted db_mib
  counted=$(cat "$BENCH_TMP"/warmup-sale.txt "$BENCH_TMP"/runs/sale/*.txt 2>/dev/null |
    awk '/requests in/{n+=$1} /Non-2xx or 3xx responses/{n-=$NF} END{print n+0}')
  posted=$("$BENCH_PY" - "$base" "$token" "$business" <<'PY'
import datetime, json, sys, urllib.request
base, token, biz = sys.argv[1:4]
today = datetime.datetime.now(datetime.timezone.utc).date()
frm, to = today - datetime.timedelta(days=2), today + datetime.timedelta(days=2)
req = urllib.request.Request(f"{base}/v1/businesses/{biz}/reports/sales?from={frm}&to={to}"
                             "&group_by=day", headers={"Authorization": "Bearer " + token})
with urllib.request.urlopen(req, timeout=30) as r:
    body = json.load(r)
print(sum(int(p.get("transactions", 0)) for p in body["series"]) - 1)  # minus the hand-made sale
PY
) || posted=-1
  db_mib=$(du -sm "$BENCH_TMP/milkyhoop-data" | cut -f1)
  bench_stop "$MILKYHOOP_PID" TERM
  local exit_rc=$BENCH_STOP_RC
  bench_log "sales counted by wrk (2xx): $counted; sales in the sales report: $posted; server exit status $exit_rc"
  local slack=$(( (ROUNDS + 1) * CONNECTIONS ))
  if ((posted < counted || posted > counted + slack)); then
    bench_log "error: the sales report counts $posted sales, wrk counted $counted (allowed: up to $slack more)"
    http_check=false
  else
    http_check=true
  fi

  M_DURATION=$DURATION M_ROUNDS=$ROUNDS M_WARMUP=$WARMUP M_THREADS=$THREADS \
  M_CONNECTIONS=$CONNECTIONS M_VERSION="$("$BIN" version 2>/dev/null | head -n1 || true)" \
  M_WRK="$({ wrk -v 2>&1 || true; } | awk 'NR==1{print $2}')" M_COUNTED=$counted M_POSTED=$posted \
  M_CHECK=$http_check M_RSS_AFTER=$rss_after M_RSS_PEAK=$rss_peak M_DB_MIB=$db_mib M_EXIT=$exit_rc \
    "$BENCH_PY" - "$BENCH_TMP/http-meta.json" <<'PY'
import json, os, sys
e = os.environ
json.dump({"params": {"duration_s": int(e["M_DURATION"]), "rounds": int(e["M_ROUNDS"]),
                      "warmup_s": int(e["M_WARMUP"]), "threads": int(e["M_THREADS"]),
                      "connections": int(e["M_CONNECTIONS"]),
                      "order": "alternating runs, healthz first",
                      "sale": "1-3 lines over 10 products, quantities 1-3, no idempotency key, "
                              "SQLite embedded default, general rate limit 1000000/min"},
           "versions": {"milkyhoop": e["M_VERSION"], "wrk": e["M_WRK"]},
           "sales_counted_by_wrk": int(e["M_COUNTED"]),
           "sales_in_sales_report": int(e["M_POSTED"]),
           "sales_check_ok": e["M_CHECK"] == "true",
           "rss_kib": {"after_load": int(e["M_RSS_AFTER"]), "peak": int(e["M_RSS_PEAK"])},
           "data_dir_mib_after": int(e["M_DB_MIB"]),
           "exit_status_on_sigterm": int(e["M_EXIT"])}, open(sys.argv[1], "w"), indent=2)
PY
  echo
  echo "== sales over HTTP (SQLite embedded default): wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, median of $ROUNDS alternating runs"
  "$BENCH_PY" "$BENCH_LIB/wrkstats.py" report --baseline healthz --meta "$BENCH_TMP/http-meta.json" \
    --out "$BENCH_TMP/http.json" \
    "healthz=$BENCH_TMP/runs/healthz/*.txt" "sale=$BENCH_TMP/runs/sale/*.txt"
  echo "sales in the sales report: $posted (wrk counted $counted); RSS after load $(bench_mib "$rss_after") MiB; data dir $db_mib MiB"
  http_json="$BENCH_TMP/http.json"
}

# --- part 2: profit and loss over a year ---------------------------------------------------------
pnl_jsons=()
pnl_failed=0
run_pnl() {
  local bin=${MILKYHOOP_BENCH_BUSINESS_BIN:-$BENCH_ROOT/build/release/bin/mh_bench_business_pnl}
  if [[ ! -x $bin ]]; then
    [[ ${BENCH_NO_BUILD:-0} != 1 ]] || bench_die "$bin is missing (BENCH_NO_BUILD=1)"
    local build_dir=$BENCH_ROOT/build/bench-business
    bench_log "building mh_bench_business_pnl in $build_dir"
    bench_require cmake ninja
    # shellcheck source=scripts/lib.sh
    (source "$BENCH_ROOT/scripts/lib.sh" && mh_ccache_env &&
      cmake -S "$BENCH_ROOT" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DMILKYHOOP_BUILD_TESTS=OFF \
        -DMILKYHOOP_SUBDIRS="libs/core;libs/crypto;libs/sql;libs/events;libs/rpc;proto;services/security;services/business;bench" >&2 &&
      ninja -C "$build_dir" -j"${BUILD_JOBS:-2}" mh_bench_business_pnl >&2)
    bin=$build_dir/bin/mh_bench_business_pnl
  fi
  ((TXNS >= 1000000)) || bench_log "warning: TXNS=$TXNS is below the 1,000,000 transactions of the goal"
  local backend rc
  for backend in $BACKENDS; do
    if [[ $backend == postgres && -z ${MILKYHOOP_TEST_PG_DSN:-} ]]; then
      bench_log "warning: MILKYHOOP_TEST_PG_DSN is not set: skipping PostgreSQL"
      continue
    fi
    echo
    rc=0
    "$bin" --backend "$backend" --txns "$TXNS" --threads "$LOAD_THREADS" --seed "$SEED" \
      --report-reps "$REPORT_REPS" --plain-reps "$PLAIN_REPS" --max-load-seconds "$MAX_LOAD_S" \
      --json "$BENCH_TMP/pnl-$backend.json" | grep -v '^{' || rc=${PIPESTATUS[0]}
    if ((rc == 3)); then
      bench_log "error: $backend: the report's figures differ from the plain SQL aggregate"
      pnl_failed=1
    elif ((rc != 0)); then
      bench_die "mh_bench_business_pnl --backend $backend failed (exit $rc)"
    fi
    pnl_jsons+=("$BENCH_TMP/pnl-$backend.json")
  done
}

[[ $part == pnl ]] || run_http
[[ $part == http ]] || run_pnl
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

ts=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BENCH_ROOT/bench/results"
result="$BENCH_ROOT/bench/results/business-$ts.json"
M_ROOT=$BENCH_ROOT M_TS=$ts M_MACHINE=$machine M_LOAD_BEFORE=$load_before M_LOAD_AFTER=$load_after \
M_HTTP=$http_json "$BENCH_PY" - "$result" "${pnl_jsons[@]}" <<'PY'
import json, os, sys
e = os.environ
def commit(root):
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
out = {"benchmark": "business", "timestamp_utc": e["M_TS"], "commit": commit(e["M_ROOT"]),
       "machine": json.loads(e["M_MACHINE"]),
       "load_average_1_5_15": {"before": [float(x) for x in e["M_LOAD_BEFORE"].split()],
                               "after": [float(x) for x in e["M_LOAD_AFTER"].split()]}}
if e.get("M_HTTP"):
    out["http_sales"] = json.load(open(e["M_HTTP"]))
if len(sys.argv) > 2:
    out["profit_loss"] = {}
    for path in sys.argv[2:]:
        r = json.load(open(path))
        out["profit_loss"][r["backend"]] = r
with open(sys.argv[1], "w") as f:
    json.dump(out, f, indent=2)
PY
echo
echo "load average before $load_before, after $load_after"
echo "results: ${result#"$BENCH_ROOT"/}"
if ((pnl_failed)); then
  bench_die "profit and loss: the report's figures differ from the plain SQL aggregate (see above)"
fi
if [[ ${http_check:-true} != true ]]; then
  bench_die "http: the sales report does not match the sales wrk counted (see above)"
fi

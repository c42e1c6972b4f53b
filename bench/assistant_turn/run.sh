#!/usr/bin/env bash
# A whole owner turn through the API (issue 7): wrk posts owner messages to
#   POST /v1/businesses/{id}/assistant/chat
# (bench/assistant_turn/owner_turn.lua: sale, purchase and expense drafts, stock and price
# questions, profit/sales/top reports, each in a new session) and, in alternation, GET /healthz of
# the same server as the reference; prints median turns/s, p50/p99 and the ratio turn/healthz.
# Rules only (no LLM configured), on the embedded default (all-in-one binary, SQLite). Starts
# MILKYHOOP_BIN (never builds it) with a temporary data dir and sets up a user, org, business and
# 10 products through the public API (bench/lib/shop.py); before timing, checks each kind of
# message is read as the intent it stands for.
#   bench/run.sh assistant_turn
# Writes bench/results/assistant_turn-<timestamp>.json (machine, load average, medians).
# Env: DURATION (s per wrk run, 15), ROUNDS (3), WARMUP (s, 5), THREADS (wrk, 2),
#      CONNECTIONS (32), MILKYHOOP_BIN (build/release/bin/milkyhoop), BENCH_KEEP_TMP=1.
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

here="$BENCH_ROOT/bench/assistant_turn"
DURATION=${DURATION:-15} ROUNDS=${ROUNDS:-3} WARMUP=${WARMUP:-5}
THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-32}
BIN=${MILKYHOOP_BIN:-$BENCH_ROOT/build/release/bin/milkyhoop}
export THREADS CONNECTIONS
bench_require wrk curl python3
[[ -x $BIN ]] || bench_die "release binary $BIN is missing: build it first with scripts/build.sh or set MILKYHOOP_BIN"

machine=$(bench_machine_json)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_before%% *}" 'BEGIN { exit !(l > 1.0) }'; then
  bench_log "warning: load average is $load_before before the benchmark: other work on this machine will skew the numbers"
fi
bench_log "machine: $(bench_machine_line "$machine")"
bench_log "load average before: $load_before"
bench_log "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency; $ROUNDS alternating rounds (healthz, turn) after ${WARMUP}s warm-up each"

# The general limit at its maximum (1,000,000 a minute per caller) so it does not cap the turns.
export MILKYHOOP_RATELIMIT_GENERAL_PER_MINUTE=1000000
bench_start_milkyhoop "$BIN"
unset MILKYHOOP_RATELIMIT_GENERAL_PER_MINUTE
base="http://127.0.0.1:$MILKYHOOP_PORT"
version=$("$BIN" version 2>/dev/null | head -n1 || true)
bench_log "milkyhoop: pid $MILKYHOOP_PID on 127.0.0.1:$MILKYHOOP_PORT ($version)"

setup=$("$BENCH_PY" "$BENCH_LIB/shop.py" "$base" bench-assistant@example.com 10) ||
  bench_die "setup through the API failed"
read -r token business products <<<"$setup"
export BENCH_TOKEN=$token BENCH_BUSINESS=$business BENCH_PRODUCTS=$products

# The messages the script sends must be read as what they stand for, or the figure means nothing.
PYTHONPATH=$BENCH_LIB "$BENCH_PY" - "$base" "$token" "$business" <<'PY' || bench_die "a benchmark message was misread"
import sys
from shop import call
base, token, biz = sys.argv[1:4]
expected = {"jual 3 beras @10rb": "record_sale", "beli 20 beras total 70rb": "record_purchase",
            "bayar listrik 250rb": "record_expense", "stok beras tinggal berapa?": "stock_query",
            "harga beras berapa?": "price_query", "untung bulan ini berapa?": "report_profit",
            "penjualan minggu ini": "report_sales", "barang paling laku bulan ini": "report_top_products"}
for message, intent in expected.items():
    out = call(base, "POST", f"/v1/businesses/{biz}/assistant/chat", {"message": message}, token,
               expect=200)
    if out["intent"] != intent:
        sys.exit(f"{message!r} read as {out['intent']}, expected {intent}: {out['reply']}")
PY

bench_rounds_against_healthz "$base" turn "$here/owner_turn.lua"
rss_peak=$(bench_hwm_kib "$MILKYHOOP_PID")
db_mib=$(du -sm "$BENCH_TMP/milkyhoop-data" | cut -f1)
bench_stop "$MILKYHOOP_PID" TERM

M_DURATION=$DURATION M_ROUNDS=$ROUNDS M_WARMUP=$WARMUP M_THREADS=$THREADS \
M_CONNECTIONS=$CONNECTIONS M_VERSION="$version" M_RSS_PEAK=$rss_peak M_DB_MIB=$db_mib \
M_MACHINE="$machine" M_LOAD="$load_before" M_EXIT=$BENCH_STOP_RC \
  "$BENCH_PY" - "$BENCH_TMP/meta.json" <<'PY'
import json, os, sys
e = os.environ
json.dump({"params": {"duration_s": int(e["M_DURATION"]), "rounds": int(e["M_ROUNDS"]),
                      "warmup_s": int(e["M_WARMUP"]), "threads": int(e["M_THREADS"]),
                      "connections": int(e["M_CONNECTIONS"]),
                      "order": "alternating runs, healthz first",
                      "turn": "one owner message per request in a new session, rotating over 3 "
                              "drafts, 2 questions and 3 reports; rules only; SQLite embedded "
                              "default; general rate limit 1000000/min"},
           "versions": {"milkyhoop": e["M_VERSION"]},
           "machine": json.loads(e["M_MACHINE"]), "load_before": e["M_LOAD"],
           "rss_peak_kib": int(e["M_RSS_PEAK"]), "data_dir_mib_after": int(e["M_DB_MIB"]),
           "exit_status_on_sigterm": int(e["M_EXIT"])}, open(sys.argv[1], "w"), indent=2)
PY
mkdir -p "$BENCH_ROOT/bench/results"
result=$BENCH_ROOT/bench/results/assistant_turn-$(date -u +%Y%m%dT%H%M%SZ).json
echo
echo "== owner turns over HTTP (rules only, SQLite): wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, median of $ROUNDS alternating runs"
"$BENCH_PY" "$BENCH_LIB/wrkstats.py" report --baseline healthz --meta "$BENCH_TMP/meta.json" \
  --out "$result" "healthz=$BENCH_TMP/runs/healthz/*.txt" "turn=$BENCH_TMP/runs/turn/*.txt"
echo "peak RSS $(bench_mib "$rss_peak") MiB; data dir $db_mib MiB"
bench_log "wrote $result"

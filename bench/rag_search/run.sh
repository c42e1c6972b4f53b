#!/usr/bin/env bash
# Retrieval benchmark: our BM25 KeywordIndex vs SQLite FTS5 bm25(), top-10, same corpus.
#   bench/run.sh rag_search
# Uses the benchmark binary of the release build (building that one target with
# scripts/build.sh when it is missing), generates the synthetic corpus from a fixed seed, and
# prints p50/p99 latency of both and their ratio, ingestion throughput (MB/s of text) of both
# and our index's memory per 100,000 chunks; writes bench/results/rag_search-<timestamp>.json.
# Env: CHUNKS (100000), QUERIES (2000), SEED (20240601), FTS_PATH (:memory:, or a file path),
#      MILKYHOOP_BENCH_BIN (default build/release/bin/mh_bench_rag_search),
#      BENCH_NO_BUILD=1 (fail instead of building when the binary is missing).
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

CHUNKS=${CHUNKS:-100000} QUERIES=${QUERIES:-2000} SEED=${SEED:-20240601}
FTS_PATH=${FTS_PATH:-:memory:}
BIN=${MILKYHOOP_BENCH_BIN:-$BENCH_ROOT/build/release/bin/mh_bench_rag_search}

((CHUNKS >= 100000)) || bench_log "warning: CHUNKS=$CHUNKS is below the 100,000 chunks the published figures use"
if [[ ! -x $BIN ]]; then
  [[ ${BENCH_NO_BUILD:-0} != 1 ]] || bench_die "$BIN is missing (BENCH_NO_BUILD=1)"
  bench_log "$BIN is missing: building the target mh_bench_rag_search with scripts/build.sh"
  "$BENCH_ROOT/scripts/build.sh" mh_bench_rag_search >&2
  [[ -x $BIN ]] || bench_die "the build did not produce $BIN"
fi

machine=$(bench_machine_json)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_before%% *}" 'BEGIN { exit !(l > 1.0) }'; then
  bench_log "warning: load average is $load_before before the benchmark: other work on this machine will skew the numbers"
fi
bench_log "machine: $(bench_machine_line "$machine")"

"$BIN" --chunks "$CHUNKS" --queries "$QUERIES" --seed "$SEED" --fts-path "$FTS_PATH" \
  --json "$BENCH_TMP/result.json" | grep -v '^{'
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

ts=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BENCH_ROOT/bench/results"
out="$BENCH_ROOT/bench/results/rag_search-$ts.json"
M_MACHINE=$machine M_TS=$ts M_LOAD_BEFORE=$load_before M_LOAD_AFTER=$load_after \
  "$BENCH_PY" - "$BENCH_TMP/result.json" "$out" <<'PY'
import json, os, sys
e = os.environ
result = json.load(open(sys.argv[1]))
result["timestamp_utc"] = e["M_TS"]
result["machine"] = json.loads(e["M_MACHINE"])
result["load_average_1_5_15"] = {"before": [float(x) for x in e["M_LOAD_BEFORE"].split()],
                                 "after": [float(x) for x in e["M_LOAD_AFTER"].split()]}
with open(sys.argv[2], "w") as f:
    json.dump(result, f, indent=2)
PY
echo "load average before $load_before, after $load_after"
echo "results: ${out#"$BENCH_ROOT"/}"

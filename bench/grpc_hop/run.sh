#!/usr/bin/env bash
# One gRPC hop (issue 8): the same service call in-process and through the gRPC adapters over
# loopback, in the same run, ROUNDS times each at 1 and THREADS concurrent callers; reports the
# median p50/p99 per transport and the latency the hop adds.
#   bench/run.sh grpc_hop
# Env: CALLS (per caller per round, 20000), THREADS (4), ROUNDS (3),
#      MH_BENCH_GRPC_HOP_BIN (default build/release/bin/mh_bench_grpc_hop).
# Writes bench/results/grpc_hop-<timestamp>.json.
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

CALLS=${CALLS:-20000} THREADS=${THREADS:-4} ROUNDS=${ROUNDS:-3}
bin=${MH_BENCH_GRPC_HOP_BIN:-$BENCH_ROOT/build/release/bin/mh_bench_grpc_hop}
[[ -x $bin ]] || bench_die "$bin is missing: build it first (scripts/build.sh)"
machine=$(bench_machine_json)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bench_log "machine: $(bench_machine_line "$machine"); load $load_before"

runs="$BENCH_TMP/runs.jsonl"
for ((r = 1; r <= ROUNDS; r++)); do
  for t in 1 "$THREADS"; do
    "$bin" --calls "$CALLS" --threads "$t" 2>/dev/null | grep '^{"transport"' | tee -a "$runs" |
      sed "s/^/[bench] round $r: /" >&2
  done
done

mkdir -p "$BENCH_ROOT/bench/results"
result=$BENCH_ROOT/bench/results/grpc_hop-$(date -u +%Y%m%dT%H%M%SZ).json
"$BENCH_PY" - "$runs" "$machine" "$load_before" "$result" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
groups = {}
for r in runs:
    groups.setdefault((r["threads"], r["transport"]), []).append(r)
summary = {}
print(f"{'callers':>8} {'transport':<11}{'calls/s':>12}{'p50 us':>10}{'p99 us':>10}")
for (threads, transport), rs in sorted(groups.items()):
    s = {k: statistics.median(x[k] for x in rs) for k in ("calls_per_s", "p50_us", "p99_us")}
    summary[f"{transport}_{threads}"] = s
    print(f"{threads:>8} {transport:<11}{s['calls_per_s']:>12,.0f}{s['p50_us']:>10.2f}{s['p99_us']:>10.2f}")
for threads in sorted({t for t, _ in groups}):
    g, i = summary[f"grpc_{threads}"], summary[f"in_process_{threads}"]
    print(f"added by the hop, {threads} caller(s): p50 +{g['p50_us'] - i['p50_us']:.1f} us, "
          f"p99 +{g['p99_us'] - i['p99_us']:.1f} us")
json.dump({"machine": json.loads(sys.argv[2]), "load_before": sys.argv[3], "runs": runs,
           "summary": summary}, open(sys.argv[4], "w"), indent=2)
PY
bench_log "wrote $result"

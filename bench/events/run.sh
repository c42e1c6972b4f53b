#!/usr/bin/env bash
# Events end to end (issue 8): outbox (SQLite) → OutboxRelay → bus → a consumer recording each
# event id in its own SQLite database, as every real consumer does. Runs the in-process bus (the
# reference: no network, no broker) and a real Apache Kafka 4.x broker (scripts/kafka-start.sh,
# started here unless MILKYHOOP_TEST_KAFKA_BOOTSTRAP names one) in the same run, ROUNDS times
# each, and reports median events/s and the ratio kafka/memory.
#   bench/run.sh events
# Env: EVENTS (per round, 20000), BATCH (events per appending transaction, 10), PAYLOAD (bytes,
#      200), ROUNDS (3), MH_BENCH_EVENTS_BIN (default build/release/bin/mh_bench_events).
# Writes bench/results/events-<timestamp>.json.
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

EVENTS=${EVENTS:-20000} BATCH=${BATCH:-10} PAYLOAD=${PAYLOAD:-200} ROUNDS=${ROUNDS:-3}
bin=${MH_BENCH_EVENTS_BIN:-$BENCH_ROOT/build/release/bin/mh_bench_events}
[[ -x $bin ]] || bench_die "$bin is missing: build it first (scripts/build.sh)"

bootstrap=${MILKYHOOP_TEST_KAFKA_BOOTSTRAP:-}
if [[ -z $bootstrap ]]; then
  bootstrap=$("$BENCH_ROOT/scripts/kafka-start.sh" </dev/null | tail -n1) ||
    bench_die "could not start the Kafka broker (scripts/kafka-start.sh)"
  bench_track_kafka=1
fi
machine=$(bench_machine_json)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bench_log "machine: $(bench_machine_line "$machine"); load $load_before"
bench_log "broker: $bootstrap; $EVENTS events per round, $BATCH per transaction, $PAYLOAD-byte payloads, $ROUNDS rounds"

runs="$BENCH_TMP/runs.jsonl"
for ((r = 1; r <= ROUNDS; r++)); do
  "$bin" --events "$EVENTS" --batch "$BATCH" --payload "$PAYLOAD" --kafka "$bootstrap" \
    2>/dev/null | grep '^{"bus"' | tee -a "$runs" | sed "s/^/[bench] round $r: /" >&2
done
if [[ ${bench_track_kafka:-0} == 1 ]]; then
  "$BENCH_ROOT/scripts/kafka-stop.sh" </dev/null >/dev/null 2>&1 || true
fi

mkdir -p "$BENCH_ROOT/bench/results"
result=$BENCH_ROOT/bench/results/events-$(date -u +%Y%m%dT%H%M%SZ).json
"$BENCH_PY" - "$runs" "$machine" "$load_before" "$result" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by_bus = {}
for r in runs:
    by_bus.setdefault(r["bus"], []).append(r)
summary = {bus: {"events_per_s_median": statistics.median(x["events_per_s"] for x in rs),
                 "seconds_median": statistics.median(x["seconds"] for x in rs),
                 "duplicates": sum(x["duplicates"] for x in rs), "rounds": len(rs)}
           for bus, rs in by_bus.items()}
ratio = summary["kafka"]["events_per_s_median"] / summary["memory"]["events_per_s_median"]
print(f"{'bus':<8}{'events/s (median)':>20}{'s per round':>14}{'duplicates':>12}")
for bus in ("memory", "kafka"):
    s = summary[bus]
    print(f"{bus:<8}{s['events_per_s_median']:>20,.0f}{s['seconds_median']:>14.2f}{s['duplicates']:>12}")
print(f"ratio kafka/memory: {ratio:.3f}")
json.dump({"machine": json.loads(sys.argv[2]), "load_before": sys.argv[3], "runs": runs,
           "summary": summary, "ratio_kafka_to_memory": ratio}, open(sys.argv[4], "w"), indent=2)
PY
bench_log "wrote $result"

#!/usr/bin/env bash
# Owner-intent parsing: utterances/s and p50/p99 per utterance of ParseOwnerUtterance (rules only,
# no LLM) over the shared dev set and the assistant's held-out set.
#   bench/run.sh assistant_intent [--seconds S] [--threads N]
# Uses MH_BENCH_ASSISTANT_INTENT_BIN, else build/release/bin/mh_bench_assistant_intent, else
# builds it (Release, only libs/core, services/assistant and bench) in build/bench-assistant-intent.
# Writes bench/results/assistant_intent-<timestamp>.json.
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

bin=${MH_BENCH_ASSISTANT_INTENT_BIN:-$BENCH_ROOT/build/release/bin/mh_bench_assistant_intent}
if [[ ! -x $bin ]]; then
  build_dir=$BENCH_ROOT/build/bench-assistant-intent
  bench_log "building mh_bench_assistant_intent in $build_dir"
  bench_require cmake ninja
  cmake -S "$BENCH_ROOT" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DMILKYHOOP_BUILD_TESTS=OFF -DMILKYHOOP_SUBDIRS="libs/core;services/assistant;bench" >&2
  ninja -C "$build_dir" -j"${BUILD_JOBS:-2}" mh_bench_assistant_intent >&2
  bin=$build_dir/bin/mh_bench_assistant_intent
fi

machine=$(bench_machine_json)
bench_log "machine: $(bench_machine_line "$machine")"
load=$(cut -d' ' -f1-3 /proc/loadavg)
bench_log "load average before: $load"
output=$("$bin" "$@")
printf '%s\n' "$output" | sed '$d'
mkdir -p "$BENCH_ROOT/bench/results"
result=$BENCH_ROOT/bench/results/assistant_intent-$(date -u +%Y%m%dT%H%M%SZ).json
"$BENCH_PY" -c 'import json, sys
r = json.loads(sys.argv[1]); r["machine"] = json.loads(sys.argv[2]); r["load_before"] = sys.argv[3]
print(json.dumps(r, indent=2))' "$(printf '%s\n' "$output" | tail -n1)" "$machine" "$load" >"$result"
bench_log "wrote $result"

#!/usr/bin/env bash
# Authentication: an authenticated GET /v1/auth/me (JWT verified, the session checked, the user
# read) against nginx serving the same JSON with no auth at all, then login throughput (argon2id,
# t=2, m=64 MiB) against the reference argon2 CLI computing the same hashes on every core.
#   bench/run.sh auth
# The release binary is started with rate limits lifted (this measures the work, not the limiter).
# Env: DURATION (s per run, 15), ROUNDS (3), WARMUP (s, 5), THREADS (2), CONNECTIONS (64),
#      LOGIN_DURATION (s, 20), LOGIN_CONNECTIONS (8), ACCESS_LOG (false), MILKYHOOP_BIN,
#      BENCH_KEEP_TMP=1.
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DURATION=${DURATION:-15} ROUNDS=${ROUNDS:-3} WARMUP=${WARMUP:-5}
THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64}
LOGIN_DURATION=${LOGIN_DURATION:-20} LOGIN_CONNECTIONS=${LOGIN_CONNECTIONS:-8}
BIN=${MILKYHOOP_BIN:-$BENCH_ROOT/build/release/bin/milkyhoop}
export THREADS CONNECTIONS

bench_require wrk nginx curl python3 argon2
[[ -x $BIN ]] || bench_die "release binary $BIN is missing: build it first with scripts/build.sh (this benchmark builds nothing)"

machine=$(bench_machine_json)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bench_log "machine: $(bench_machine_line "$machine"); load $load_before"

# --- milkyhoop with a registered user ------------------------------------------------------------
# The largest limits the config allows: far above what one run sends. No access log, as nginx
# has none here (ACCESS_LOG=true to measure with it: one JSON line written per request).
export MILKYHOOP_RATELIMIT_GENERAL_PER_MINUTE=1000000 MILKYHOOP_RATELIMIT_AUTH_PER_MINUTE=1000000
export MILKYHOOP_HTTP_ACCESS_LOG=${ACCESS_LOG:-false}
bench_start_milkyhoop "$BIN"
base="http://127.0.0.1:$MILKYHOOP_PORT"
password="kopi-susu-gula-aren-42"
USERS=${USERS:-8}
bench_bearer_users "$base" "$USERS" "$password" "$BENCH_TMP/me.lua"
email=${BENCH_EMAILS[-1]}
curl -sf -H "Authorization: Bearer ${BENCH_TOKENS[0]}" "$base/v1/auth/me" >"$BENCH_TMP/me.json" ||
  bench_die "GET /v1/auth/me with the new token failed"

# --- nginx answering the same bytes without any auth ---------------------------------------------
body=$(sed "s/'/\\\\'/g" "$BENCH_TMP/me.json")
nginx_port=$(bench_free_port)
bench_start_nginx nginx "$nginx_port" "    location = /v1/auth/me {
      default_type application/json;
      return 200 '$body';
    }"
nginx_version=$(nginx -v 2>&1 | sed 's/^nginx version: //')

declare -A url=([nginx]="http://127.0.0.1:$nginx_port/v1/auth/me" [milkyhoop]="$base/v1/auth/me")
auth=(-s "$BENCH_TMP/me.lua")
for t in nginx milkyhoop; do
  bench_log "warm-up $t (${WARMUP}s)"
  bench_wrk "$BENCH_TMP/warmup-$t.txt" "${url[$t]}" "$WARMUP" "${auth[@]}"
done
mkdir -p "$BENCH_TMP/runs/nginx" "$BENCH_TMP/runs/milkyhoop"
for ((r = 1; r <= ROUNDS; r++)); do
  for t in nginx milkyhoop; do
    out="$BENCH_TMP/runs/$t/$r.txt"
    bench_wrk "$out" "${url[$t]}" "$DURATION" "${auth[@]}"
    grep -q "Non-2xx" "$out" && bench_die "$t answered errors: $(grep Non-2xx "$out")"
    bench_log "round $r/$ROUNDS $t: $(awk '/^Requests\/sec/{print $2}' "$out") req/s"
  done
done

# --- login throughput -----------------------------------------------------------------------------
cat >"$BENCH_TMP/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"$email","password":"$password"}'
LUA
bench_log "login: ${LOGIN_DURATION}s with $LOGIN_CONNECTIONS connections"
wrk -t2 -c"$LOGIN_CONNECTIONS" -d"${LOGIN_DURATION}s" --timeout 10s --latency -s "$BENCH_TMP/login.lua" \
  "$base/v1/auth/login" >"$BENCH_TMP/login.txt" 2>&1 || bench_die "wrk login failed: $(cat "$BENCH_TMP/login.txt")"
grep -q "Non-2xx" "$BENCH_TMP/login.txt" && bench_die "logins failed: $(cat "$BENCH_TMP/login.txt")"
bench_stop "$MILKYHOOP_PID" TERM

# The reference: argon2's own CLI (the reference implementation) hashing with the same cost,
# one process per core, for the same time.
cores=$(nproc)
argon_end=$((SECONDS + LOGIN_DURATION))
argon_pids=()
for ((c = 0; c < cores; c++)); do
  (n=0; while ((SECONDS < argon_end)); do
     printf '%s' "$password" | argon2 "saltsaltsalt$c" -id -t 2 -m 16 -p 1 -r >/dev/null; n=$((n + 1))
   done; echo "$n" >"$BENCH_TMP/argon2-$c.count") &
  argon_pids+=($!)
done
wait "${argon_pids[@]}"  # not a bare wait: nginx is a child too
argon_hashes=$(cat "$BENCH_TMP"/argon2-*.count | awk '{s += $1} END {print s}')
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ---------------------------------------------------------------------------------------
ts=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BENCH_ROOT/bench/results"
result="$BENCH_ROOT/bench/results/auth-$ts.json"
M_MACHINE=$machine M_LOAD_BEFORE=$load_before M_LOAD_AFTER=$load_after M_TS=$ts \
M_NGINX=$nginx_version M_ARGON=$argon_hashes M_LOGIN_S=$LOGIN_DURATION \
  "$BENCH_PY" - "$BENCH_TMP/meta.json" "$BENCH_TMP/login.txt" "$BENCH_LIB" <<'PY'
import json, os, sys
sys.path.insert(0, sys.argv[3])
from wrkstats import parse_wrk
e = os.environ
login = parse_wrk(open(sys.argv[2]).read())
argon_per_s = int(e["M_ARGON"]) / float(e["M_LOGIN_S"])
meta = {"benchmark": "auth", "timestamp_utc": e["M_TS"], "machine": json.loads(e["M_MACHINE"]),
        "load_average_1_5_15": {"before": [float(x) for x in e["M_LOAD_BEFORE"].split()],
                                "after": [float(x) for x in e["M_LOAD_AFTER"].split()]},
        "versions": {"nginx": e["M_NGINX"]},
        "me": "GET /v1/auth/me with a bearer token; nginx returns the same JSON with no auth",
        "access_log": {"nginx": False, "milkyhoop": e["MILKYHOOP_HTTP_ACCESS_LOG"] == "true"},
        "login": {"logins_per_sec": login["requests_per_sec"], "latency_ms": login["latency_ms"],
                  "argon2_cli_hashes_per_sec_all_cores": round(argon_per_s, 2),
                  "ratio_to_argon2_cli": round(login["requests_per_sec"] / argon_per_s, 3)
                  if argon_per_s else None,
                  "cost": "argon2id t=2 m=64MiB p=1"}}
json.dump(meta, open(sys.argv[1], "w"), indent=2)
l = meta["login"]
print(f"== login (POST /v1/auth/login): {l['logins_per_sec']:.1f}/s, p50 {login['latency_ms']['p50']:.0f} ms, "
      f"p99 {login['latency_ms']['p99']:.0f} ms; argon2 CLI {l['argon2_cli_hashes_per_sec_all_cores']}/s "
      f"on all cores; ratio {l['ratio_to_argon2_cli']}")
PY
echo
echo "== GET /v1/auth/me: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, median of $ROUNDS alternating runs"
echo "machine: $(bench_machine_line "$machine"); load average before $load_before, after $load_after"
"$BENCH_PY" "$BENCH_LIB/wrkstats.py" report --baseline nginx --meta "$BENCH_TMP/meta.json" --out "$result" \
  "nginx=$BENCH_TMP/runs/nginx/*.txt" "milkyhoop=$BENCH_TMP/runs/milkyhoop/*.txt"
echo "results: ${result#"$BENCH_ROOT"/}"

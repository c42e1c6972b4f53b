# shellcheck shell=bash
# shellcheck disable=SC2034  # BENCH_LIB, BENCH_STOP_RC, ... are for the sourcing script
# Shared helpers for bench/<name>/run.sh. Source after `set -euo pipefail`.
# Provides: BENCH_ROOT (repo root), BENCH_TMP (temp dir, removed on exit), process tracking
# with cleanup on exit, free ports, readiness waits, RSS, machine facts, nginx and milkyhoop
# launchers, and the wrk runner. Report tables and JSON come from bench/lib/wrkstats.py.

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_LIB="$BENCH_ROOT/bench/lib"
export BENCH_LIB  # the wrk scripts load their shared parts from it
BENCH_PY="$(command -v python3)"
BENCH_PIDS=()
BENCH_TMP="$(mktemp -d "${TMPDIR:-/tmp}/milkyhoop-bench.XXXXXX")"

bench_log() { printf '[bench] %s\n' "$*" >&2; }
bench_die() { bench_log "error: $*"; exit 1; }

# Stops every tracked process (SIGTERM, then SIGKILL after 10 s) and removes BENCH_TMP
# (kept when BENCH_KEEP_TMP=1).
bench_cleanup() {
  local pid i
  for pid in "${BENCH_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_PIDS[@]}"; do
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  BENCH_PIDS=()
  if [[ ${BENCH_KEEP_TMP:-0} == 1 ]]; then
    bench_log "kept $BENCH_TMP"
  else
    rm -rf "$BENCH_TMP"
  fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench_track() { BENCH_PIDS+=("$1"); }

# bench_stop PID [SIGNAL]: stops one tracked process and waits for it; sets BENCH_STOP_RC to
# its exit status (137 if it had to be killed after 15 s). Do not call it in $(...).
bench_stop() {
  local pid=$1 sig=${2:-TERM} i rc=0
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || rc=$?
  local keep=() p
  for p in "${BENCH_PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
  BENCH_PIDS=("${keep[@]}")
  BENCH_STOP_RC=$rc
}

bench_require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/sbin/$tool ]] ||
      bench_die "$tool is not installed: run scripts/setup.sh"
  done
}

# bench_free_port: a TCP port free on 127.0.0.1 right now.
bench_free_port() {
  "$BENCH_PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# bench_wait_http URL [TIMEOUT_S] [PID]: waits until URL answers 200 (or PID dies).
bench_wait_http() {
  local url=$1 timeout=${2:-30} pid=${3:-} deadline=$((SECONDS + ${2:-30}))
  while ((SECONDS < deadline)); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true) == 200 ]] && return 0
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      bench_log "process $pid exited while waiting for $url"
      return 1
    fi
    sleep 0.05
  done
  bench_log "timed out after ${timeout}s waiting for $url"
  return 1
}

# bench_rss_kib PID...: the summed VmRSS (KiB) of the given processes.
bench_rss_kib() {
  local pid total=0 v
  for pid in "$@"; do
    v=$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# bench_mib KIB: KiB as MiB with one decimal.
bench_mib() { awk -v k="${1:-0}" 'BEGIN { printf "%.1f", k / 1024 }'; }

# bench_hwm_kib PID: peak RSS (VmHWM, KiB) of one process.
bench_hwm_kib() { awk '/^VmHWM:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# bench_tree PID: PID and its direct children (nginx master + workers).
bench_tree() { echo "$1"; pgrep -P "$1" || true; }

# bench_machine_json: machine facts as a JSON object.
bench_machine_json() {
  "$BENCH_PY" - <<'PY'
import json, os, platform, re
cpu = "unknown"
try:
    with open("/proc/cpuinfo") as f:
        m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
        cpu = m.group(1).strip() if m else cpu
except OSError:
    pass
mem = None
try:
    with open("/proc/meminfo") as f:
        mem = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1)) // 1024
except (OSError, AttributeError):
    pass
osname = ""
try:
    with open("/etc/os-release") as f:
        osname = dict(l.rstrip("\n").split("=", 1) for l in f if "=" in l).get("PRETTY_NAME", "").strip('"')
except OSError:
    pass
print(json.dumps({"nproc": os.cpu_count(), "nproc_usable": len(os.sched_getaffinity(0)),
                  "cpu_model": cpu, "mem_total_mib": mem,
                  "kernel": platform.release(), "os": osname}))
PY
}

# bench_machine_line MACHINE_JSON: "nproc 2, <cpu model>, kernel <release>, <os>".
bench_machine_line() {
  "$BENCH_PY" -c 'import json, sys
m = json.loads(sys.argv[1])
print("nproc %s, %s, kernel %s, %s" % (m["nproc"], m["cpu_model"], m["kernel"], m["os"]))' "$1"
}

# bench_start_nginx NAME PORT [EXTRA_HTTP_CONFIG]: runs nginx in the foreground from a config
# generated under BENCH_TMP/NAME (pid, logs, temp paths there), 2 workers, access_log off,
# keep-alive, answering GET /healthz with {"status":"ok"}. Sets NGINX_PID.
bench_start_nginx() {
  local name=$1 port=$2 extra=${3:-} dir="$BENCH_TMP/$1" nginx temps="" key
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  mkdir -p "$dir/tmp"
  # Temp paths only for the modules this nginx was built with (nginx-light lacks some).
  for key in client-body proxy fastcgi uwsgi scgi; do
    if "$nginx" -V 2>&1 | grep -q -- "--http-$key-temp-path"; then
      temps+="  ${key//-/_}_temp_path $dir/tmp/$key;"$'\n'
    fi
  done
  cat >"$dir/nginx.conf" <<CONF
worker_processes ${NGINX_WORKERS:-2};
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 65;
  keepalive_requests 1000000;
$temps  server {
    listen 127.0.0.1:$port reuseport;
    location = /healthz {
      default_type application/json;
      return 200 '{"status":"ok"}';
    }
$extra
  }
}
CONF
  "$nginx" -t -q -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" ||
    bench_die "nginx rejected $dir/nginx.conf: $(cat "$dir/error.log")"
  "$nginx" -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
  NGINX_PID=$!
  bench_track "$NGINX_PID"
  bench_wait_http "http://127.0.0.1:$port/healthz" 15 "$NGINX_PID" ||
    bench_die "nginx ($name) did not start: $(tail -n 20 "$dir/error.log")"
}

# bench_start_milkyhoop BIN [serve args...]: starts `BIN serve --listen 127.0.0.1:0
# --data-dir BENCH_TMP/milkyhoop-data --log-format json ARGS`, reads the port from its
# "listening" log line. Sets MILKYHOOP_PID, MILKYHOOP_PORT, MILKYHOOP_LOG.
bench_start_milkyhoop() {
  local bin=$1 deadline
  shift
  MILKYHOOP_LOG="$BENCH_TMP/milkyhoop.log"
  mkdir -p "$BENCH_TMP/milkyhoop-data"
  "$bin" serve --listen 127.0.0.1:0 --data-dir "$BENCH_TMP/milkyhoop-data" --log-format json "$@" \
    >"$MILKYHOOP_LOG" 2>&1 </dev/null &
  MILKYHOOP_PID=$!
  bench_track "$MILKYHOOP_PID"
  MILKYHOOP_PORT=""
  deadline=$((SECONDS + 30))
  while [[ -z $MILKYHOOP_PORT ]] && ((SECONDS < deadline)); do
    kill -0 "$MILKYHOOP_PID" 2>/dev/null ||
      bench_die "milkyhoop exited at start-up: $(tail -n 20 "$MILKYHOOP_LOG")"
    MILKYHOOP_PORT=$("$BENCH_PY" - "$MILKYHOOP_LOG" <<'PY'
import json, sys
for line in open(sys.argv[1], errors="replace"):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if not isinstance(o, dict) or o.get("msg", o.get("message")) != "listening":
        continue
    for d in (o, o.get("fields") or {}):
        if d.get("port"):
            print(int(d["port"]))
            sys.exit()
        if isinstance(d.get("address"), str) and ":" in d["address"]:
            print(int(d["address"].rsplit(":", 1)[1]))
            sys.exit()
PY
)
    [[ -n $MILKYHOOP_PORT ]] || sleep 0.05
  done
  [[ -n $MILKYHOOP_PORT ]] ||
    bench_die "no \"listening\" log line from milkyhoop in 30s: $(tail -n 20 "$MILKYHOOP_LOG")"
  bench_wait_http "http://127.0.0.1:$MILKYHOOP_PORT/healthz" 15 "$MILKYHOOP_PID" ||
    bench_die "milkyhoop /healthz not answering 200: $(tail -n 20 "$MILKYHOOP_LOG")"
}

# bench_wrk OUT_FILE URL DURATION_S [extra wrk args]: one wrk run, output kept in OUT_FILE.
bench_wrk() {
  local out=$1 url=$2 dur=$3
  shift 3
  wrk -t"${THREADS:-2}" -c"${CONNECTIONS:-64}" -d"${dur}s" --latency "$@" "$url" >"$out" 2>&1 ||
    bench_die "wrk failed against $url: $(cat "$out")"
}

# bench_rounds_against_healthz BASE_URL LABEL LUA_SCRIPT: the shape of the API benchmarks — a
# warm-up of WARMUP s of GET BASE_URL/healthz (the reference) and of the wrk script, then ROUNDS
# alternating DURATION-s runs of each. Outputs: BENCH_TMP/warmup-{healthz,LABEL}.txt and
# BENCH_TMP/runs/{healthz,LABEL}/<round>.txt; each round's figures and any "LABEL status" lines
# the script printed (bench/lib/wrk_statuses.lua) are logged.
bench_rounds_against_healthz() {
  local base=$1 label=$2 script=$3 r t out
  if ((${WARMUP:-0} > 0)); then
    bench_log "warm-up healthz and $label (${WARMUP}s each)"
    bench_wrk "$BENCH_TMP/warmup-healthz.txt" "$base/healthz" "$WARMUP"
    bench_wrk "$BENCH_TMP/warmup-$label.txt" "$base/" "$WARMUP" -s "$script"
  fi
  mkdir -p "$BENCH_TMP/runs/healthz" "$BENCH_TMP/runs/$label"
  for ((r = 1; r <= ROUNDS; r++)); do
    for t in healthz "$label"; do
      out="$BENCH_TMP/runs/$t/$r.txt"
      if [[ $t == healthz ]]; then
        bench_wrk "$out" "$base/healthz" "$DURATION"
      else
        bench_wrk "$out" "$base/" "$DURATION" -s "$script"
      fi
      bench_log "round $r/$ROUNDS $t: $(awk '/^Requests\/sec/{r=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} END{printf "%s req/s, p50 %s, p99 %s", r, p50, p99}' "$out")"
      if grep -q "^$label status" "$out"; then
        bench_log "  unexpected answers: $(grep "^$label" "$out" | tr '\n' ' ')"
      fi
    done
  done
}

# bench_bearer_users BASE_URL N PASSWORD OUT_LUA: registers N users at BASE_URL and writes a wrk
# script sending GET requests with their bearer tokens in turn (each user stays far under its
# own per-user limit). Sets BENCH_EMAILS and BENCH_TOKENS.
bench_bearer_users() {
  local base=$1 n=$2 password=$3 out=$4 u email t
  BENCH_EMAILS=() BENCH_TOKENS=()
  for ((u = 0; u < n; u++)); do
    email="bench-$u-$RANDOM@example.com"
    curl -sf -H 'Content-Type: application/json' \
      -d "{\"email\":\"$email\",\"password\":\"$password\",\"name\":\"Bench\"}" \
      "$base/v1/auth/register" >"$BENCH_TMP/register.json" || bench_die "register at $base failed"
    BENCH_EMAILS+=("$email")
    BENCH_TOKENS+=("$("$BENCH_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' \
      "$BENCH_TMP/register.json")")
  done
  {
    echo "local tokens = {"
    for t in "${BENCH_TOKENS[@]}"; do echo "  \"Bearer $t\","; done
    echo "}"
    echo "local i = 0"
    echo "request = function()"
    echo "  i = i + 1"
    echo "  return wrk.format(\"GET\", nil, {[\"Authorization\"] = tokens[(i % #tokens) + 1]})"
    echo "end"
  } >"$out"
}

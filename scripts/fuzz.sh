#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer (own build dir: build/fuzz) and runs each for a bounded time,
# starting from its seed corpus in tests/fuzz/corpus/<target>/ (new inputs go to
# build/fuzz/corpus/<target>/, so the repository's seeds stay as they are).
# Prints one summary line per target; exits non-zero when the build fails or any target
# crashes, leaks, times out or trips a sanitizer (the input is kept in build/fuzz/artifacts/).
# Env: FUZZ_SECONDS (per target, default 30), FUZZ_TARGETS (default: all, space-separated),
#      FUZZ_TIMEOUT (seconds one input may take, default 25).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"
MH_LOG_TAG="fuzz"
cd "$MH_ROOT" || exit 1

seconds=${FUZZ_SECONDS:-30}
timeout=${FUZZ_TIMEOUT:-25}
targets=(${FUZZ_TARGETS:-jwt_fuzz envelope_fuzz jwks_fuzz request_body_fuzz})
build="$MH_ROOT/build/fuzz"

command -v clang++ >/dev/null || mh_die "clang++ not found (apt-get install clang libclang-rt-dev)"
mh_ccache_env

# Every library is instrumented for coverage (fuzzer-no-link) and sanitized; only the fuzz
# targets link libFuzzer's main (tests/fuzz/CMakeLists.txt).
flags="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined,fuzzer-no-link"
flags+=" -fno-sanitize-recover=undefined"
mh_log "configuring $build"
cmake -S "$MH_ROOT" -B "$build" -G Ninja \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=Fuzz \
  "-DCMAKE_C_FLAGS=$flags" "-DCMAKE_CXX_FLAGS=$flags" \
  "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" \
  "-DMILKYHOOP_SUBDIRS=libs/core;libs/crypto;tests/fuzz" \
  -DMILKYHOOP_BUILD_TESTS=OFF -DMILKYHOOP_BUILD_BENCH=OFF -DMILKYHOOP_FUZZ=ON \
  >"$build.configure.log" 2>&1 || { cat "$build.configure.log" >&2; mh_die "cmake failed"; }
mh_log "building ${targets[*]}"
ninja -C "$build" -j"$(nproc)" "${targets[@]}" || mh_die "build failed"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

summary=() failed=0
for target in "${targets[@]}"; do
  seeds="$MH_ROOT/tests/fuzz/corpus/$target"
  work="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  log="$build/$target.log"
  mkdir -p "$work" "$artifacts" "$seeds"
  mh_log "running $target for ${seconds}s"
  rc=0
  "$build/bin/$target" -max_total_time="$seconds" -timeout="$timeout" -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$work" "$seeds" >"$log" 2>&1 </dev/null || rc=$?
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -n1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n1 | awk '{print $2}')
  corpus=$(find "$work" -type f | wc -l)
  if ((rc == 0)); then
    summary+=("ok     $target: ${runs:-?} runs in ${seconds}s, coverage ${cov:-?}, corpus $corpus")
  else
    failed=1
    artifact=$(find "$artifacts" -type f -newer "$build/bin/$target" | head -n1)
    summary+=("FAILED $target (exit $rc): ${artifact:-no artifact}; log: $log")
    grep -E 'ERROR: |SUMMARY: |runtime error' "$log" | head -n5 >&2
  fi
done

printf '\n'
for line in "${summary[@]}"; do printf '%s\n' "$line"; done
exit "$failed"

#!/usr/bin/env bash
# Configures (when needed) and builds MilkyHoop with CMake + Ninja.
#   scripts/build.sh            -> build/release  (CMAKE_BUILD_TYPE=RelWithDebInfo)
#   scripts/build.sh --asan     -> build/asan     (CMAKE_BUILD_TYPE=Asan: ASan + UBSan)
#   scripts/build.sh [--asan] [--clean] [TARGET...]
# Env: MILKYHOOP_BUILD_JOBS (ninja -j; default: ninja's own), MILKYHOOP_CMAKE_ARGS (extra
# -D flags, space separated), CC/CXX (compiler for a fresh configure), CCACHE_* (see lib.sh).
# Does not install anything: run scripts/setup.sh first (run.sh and test.sh do).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MH_LOG_TAG=build
cd "$MH_ROOT"

variant=release build_type=RelWithDebInfo clean=0 targets=()
while (($#)); do
  case $1 in
    --asan) variant=asan build_type=Asan ;;
    --release) variant=release build_type=RelWithDebInfo ;;
    --clean) clean=1 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) mh_die "unknown option $1 (see --help)" ;;
    *) targets+=("$1") ;;
  esac
  shift
done

if ! command -v cmake >/dev/null || ! command -v ninja >/dev/null; then
  mh_die "cmake/ninja missing: run scripts/setup.sh"
fi
mh_ccache_env

bdir="build/$variant"
swagger_dir="$MH_ROOT/node_modules/swagger-ui-dist"
[[ -d $swagger_dir ]] || mh_log "warning: $swagger_dir missing (run scripts/setup.sh); /docs will have no assets"

if ((clean)); then
  mh_log "removing $bdir"
  rm -rf "$bdir"
fi

# cache_value KEY: the value of KEY in $bdir/CMakeCache.txt, empty if absent.
cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$bdir/CMakeCache.txt" 2>/dev/null | head -n1; }

# A build dir made by another generator or for another source tree cannot be reused.
if [[ -f $bdir/CMakeCache.txt ]]; then
  if [[ $(cache_value CMAKE_GENERATOR) != Ninja || $(cache_value CMAKE_HOME_DIRECTORY) != "$MH_ROOT" ]]; then
    mh_log "$bdir was configured for another generator or source tree; reconfiguring from scratch"
    rm -rf "$bdir/CMakeCache.txt" "$bdir/CMakeFiles"
  fi
fi

cmake_args=(
  -S "$MH_ROOT" -B "$bdir" -G Ninja
  -DCMAKE_BUILD_TYPE="$build_type"
  -DMILKYHOOP_SWAGGER_UI_DIR="$swagger_dir"
)
# shellcheck disable=SC2206  # deliberate word splitting of a flag list
extra=(${MILKYHOOP_CMAKE_ARGS:-})
cmake_args+=("${extra[@]}")

if [[ ! -f $bdir/build.ninja || $(cache_value CMAKE_BUILD_TYPE) != "$build_type" ||
      $(cache_value MILKYHOOP_SWAGGER_UI_DIR) != "$swagger_dir" || ${#extra[@]} -gt 0 ]]; then
  mh_log "configuring $bdir ($build_type)"
  mkdir -p "$bdir"
  cmake "${cmake_args[@]}" >"$bdir/configure.log" 2>&1 || {
    cat "$bdir/configure.log" >&2
    mh_die "cmake configure failed"
  }
  grep -E '^CMake (Warning|Error)' -A5 "$bdir/configure.log" >&2 || true
fi

start=$SECONDS
mh_log "building $bdir${targets[*]:+ (${targets[*]})}"
ninja_args=()
[[ -n ${MILKYHOOP_BUILD_JOBS:-} ]] && ninja_args+=(-j "$MILKYHOOP_BUILD_JOBS")
cmake --build "$bdir" ${targets[@]:+--target "${targets[@]}"} -- "${ninja_args[@]}"
mh_log "built $bdir in $(mh_elapsed "$start")"

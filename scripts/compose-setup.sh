#!/usr/bin/env bash
# Installs Docker Compose (the `docker compose` CLI, Go module github.com/docker/compose/v5) for
# tests/e2e/test_deploy_files.py, which validates deploy/docker-compose.yml with
# `docker-compose config`: the same loader, schema and interpolation that `docker compose up`
# uses, and no Docker engine needed. Built from the pinned module with the machine's Go (the
# module's own go.mod decides every dependency, as in Compose's release build), into a cache
# outside the clone, so a fresh clone on the same machine reuses it.
# Prints the binary's path as the last line of stdout.
#
#   scripts/compose-setup.sh            install when missing (first run: a few minutes)
#   scripts/compose-setup.sh --check    print the path when installed, else exit 3 (no build)
#
#   MILKYHOOP_COMPOSE_DIR    where it goes (default ~/.cache/milkyhoop/compose-<version>)
#   MILKYHOOP_COMPOSE_JOBS   parallel compile jobs (default 2)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MH_LOG_TAG=compose-setup

# Pinned so every machine validates with the same Compose; bump deliberately. The module's
# go.mod names the Go it needs (v5.6.0: go 1.26.8).
COMPOSE_MODULE=github.com/docker/compose/v5
COMPOSE_VERSION=v5.6.0
DIR="${MILKYHOOP_COMPOSE_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/milkyhoop/compose-$COMPOSE_VERSION}"
BIN="$DIR/docker-compose"
STAMP="$DIR/.milkyhoop-compose-stamp"
WANT="$COMPOSE_MODULE@$COMPOSE_VERSION"
JOBS="${MILKYHOOP_COMPOSE_JOBS:-2}"
start=$SECONDS

[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || mh_die "MILKYHOOP_COMPOSE_JOBS must be a positive number"
[[ $# -eq 0 || $1 == --check ]] || mh_die "usage: $0 [--check]"

installed() {
  [[ -f $STAMP && $(cat "$STAMP") == "$WANT" && -x $BIN ]] && "$BIN" version >/dev/null 2>&1
}

if [[ ${1:-} == --check ]]; then
  installed || { mh_log "not installed ($WANT in $DIR): run scripts/compose-setup.sh"; exit 3; }
  echo "$BIN"
  exit 0
fi

# One setup at a time per directory (setup.sh calls this; so may a developer).
mkdir -p "$(dirname "$DIR")"
exec 9>"$DIR.lock"
flock 9

if installed; then
  mh_log "already installed ($WANT) in $DIR"
  echo "$BIN"
  exit 0
fi

# The machine's Go: on PATH, or the usual tarball location. A Go older than the module asks for
# fetches the newer toolchain through the module proxy itself (GOTOOLCHAIN=auto, Go >= 1.21).
go_bin="$(command -v go || true)"
[[ -n $go_bin ]] || { [[ -x /usr/local/go/bin/go ]] && go_bin=/usr/local/go/bin/go; }
[[ -n $go_bin ]] || mh_die "Go is missing: building $WANT needs Go (1.21 or newer)"
go_minor="$("$go_bin" env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
((${go_minor:-0} >= 21)) ||
  mh_die "$("$go_bin" env GOVERSION) is too old to build $WANT (needs Go 1.21 or newer)"

# `go install module@version` refuses modules with exclude directives (Compose has some), so the
# module's source is copied out of the module cache and built as the main module.
mh_log "building $WANT with $("$go_bin" env GOVERSION) ($JOBS jobs; takes minutes the first time)"
src="$(cd / && "$go_bin" mod download -json "$WANT" |
       sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -n $src && -f $src/go.mod ]] || mh_die "go mod download $WANT gave no source directory"
work="$(mktemp -d "${TMPDIR:-/tmp}/milkyhoop-compose.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -r "$src" "$work/src"
chmod -R u+w "$work/src"
mkdir -p "$DIR"
(cd "$work/src" &&
  GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" GOFLAGS=-buildvcs=false CGO_ENABLED=0 \
    "$go_bin" build -p "$JOBS" -trimpath \
    -ldflags "-s -w -X $COMPOSE_MODULE/internal.Version=$COMPOSE_VERSION" \
    -o "$work/docker-compose" ./cmd) >&2
"$work/docker-compose" version >&2 || mh_die "the built docker-compose does not run"
mv -f "$work/docker-compose" "$BIN"
printf '%s\n' "$WANT" >"$STAMP"
mh_log "installed in $(mh_elapsed "$start"): $BIN"
echo "$BIN"

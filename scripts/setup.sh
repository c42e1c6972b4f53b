#!/usr/bin/env bash
# Installs whatever the project needs that is missing, and nothing else:
#   1. Debian packages (apt-get; `apt-get update` only when something is missing),
#   2. npm packages into ./node_modules (npm ci from package-lock.json),
#   3. a Python venv at ./.venv with requirements-test.txt,
#   4. Docker Compose (scripts/compose-setup.sh: built once with Go into ~/.cache/milkyhoop),
#      which validates deploy/docker-compose.yml in the tests.
# Idempotent, non-interactive, runs as root or through sudo. When everything is in place it
# finishes in well under a second and prints one line.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MH_LOG_TAG=setup
cd "$MH_ROOT"
start=$SECONDS
did=()

# One setup at a time per checkout (run.sh and test.sh both call this).
lock="${TMPDIR:-/tmp}/milkyhoop-setup-$(printf '%s' "$MH_ROOT" | sha256sum | cut -c1-12).lock"
exec 9>"$lock"
flock 9

# --- 1. Debian packages -------------------------------------------------------------------
DEB_PACKAGES=(
  build-essential cmake ninja-build ccache clang-format pkg-config
  libboost-dev libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libsqlite3-dev libpq-dev libsodium-dev libssl-dev libhiredis-dev librdkafka-dev
  libgtest-dev libgmock-dev libbenchmark-dev libhnswlib-dev libstemmer-dev libpoppler-cpp-dev
  postgresql nginx-light wrk argon2 redis-server clang libclang-rt-14-dev
  python3-venv curl ca-certificates chromium
)
# Node.js: keep whatever node/npm the machine has (e.g. Node 20 from another source);
# install Debian's only when node is missing.
if ! command -v node >/dev/null 2>&1; then
  DEB_PACKAGES+=(nodejs npm)
elif ! command -v npm >/dev/null 2>&1; then
  if dpkg-query -W -f='${Version}' nodejs 2>/dev/null | grep -qv nodesource; then
    DEB_PACKAGES+=(npm)
  else
    mh_die "node is installed ($(command -v node)) but npm is not; install npm for that node"
  fi
fi

# One dpkg-query for all (it still lists the known ones when some are unknown).
declare -A installed=()
while read -r name status; do
  [[ $status == ii* ]] && installed[${name%%:*}]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${DEB_PACKAGES[@]}" 2>/dev/null || true)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  [[ -n ${installed[$p]:-} ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  mh_log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef
            -o Dpkg::Options::=--force-confold --no-install-recommends)
  mh_as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 update </dev/null
  mh_as_root env DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" "${missing[@]}" </dev/null
  did+=("apt")
fi

# --- 2. npm packages ----------------------------------------------------------------------
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((node_major < 20)); then
  mh_log "warning: node $(node -v 2>/dev/null) is older than 20; @redocly/cli and oidc-provider need Node >= 20.19"
fi
npm_stamp=node_modules/.milkyhoop-stamp
npm_want="$(mh_hash package.json package-lock.json) node${node_major}"
if [[ ! -f $npm_stamp || $(cat "$npm_stamp") != "$npm_want" ||
      ! -f node_modules/swagger-ui-dist/swagger-ui-bundle.js ]]; then
  mh_log "installing npm packages into ./node_modules"
  export SCARF_ANALYTICS=false npm_config_update_notifier=false npm_config_fund=false \
         npm_config_audit=false npm_config_loglevel=error
  if [[ -f package-lock.json ]]; then
    npm ci --no-audit --no-fund </dev/null
  else
    npm install --no-audit --no-fund </dev/null
  fi
  printf '%s\n' "$npm_want" >"$npm_stamp"
  did+=("npm")
fi

# --- 3. Python venv for the black-box tests -----------------------------------------------
py=$(mh_python)
venv_stamp=.venv/.milkyhoop-stamp
venv_want="$(mh_hash requirements-test.txt) $("$py" -c 'import sys; print(sys.version.split()[0])')"
if [[ ! -x .venv/bin/python || ! -f $venv_stamp || $(cat "$venv_stamp") != "$venv_want" ]] ||
   ! .venv/bin/python -c '' 2>/dev/null; then
  mh_log "creating Python venv at ./.venv ($("$py" --version))"
  rm -rf .venv
  "$py" -m venv .venv
  PIP_DISABLE_PIP_VERSION_CHECK=1 .venv/bin/pip install -q -r requirements-test.txt </dev/null
  printf '%s\n' "$venv_want" >"$venv_stamp"
  did+=("venv")
fi

# --- 4. Docker Compose for the deployment files' test ------------------------------------
if ! "$MH_ROOT/scripts/compose-setup.sh" --check >/dev/null 2>&1; then
  if command -v go >/dev/null 2>&1 || [[ -x /usr/local/go/bin/go ]]; then
    "$MH_ROOT/scripts/compose-setup.sh" </dev/null >/dev/null
    did+=("compose")
  else
    mh_log "warning: no Go to build Docker Compose with: tests/e2e/test_deploy_files.py will skip"
  fi
fi

if ((${#did[@]})); then
  mh_log "done: ${did[*]} ($(mh_elapsed "$start"))"
else
  mh_log "everything already installed ($(mh_elapsed "$start"))"
fi

#!/usr/bin/env bash
# Installs what is missing, builds the release binary and runs the server in the foreground
# on the embedded defaults (SQLite files under ./data, HTTP on port 8000).
#   ./scripts/run.sh [serve options...]     e.g. ./scripts/run.sh --listen 127.0.0.1:9000
# Env: MILKYHOOP_SKIP_SETUP=1 skips scripts/setup.sh (everything already installed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"
MH_LOG_TAG=run

[[ ${MILKYHOOP_SKIP_SETUP:-0} == 1 ]] || "$here/setup.sh"
"$here/build.sh"
bin="$MH_ROOT/build/release/bin/milkyhoop"
[[ -x $bin ]] || mh_die "$bin was not built"
mh_log "exec $bin serve $*"
exec "$bin" serve "$@"

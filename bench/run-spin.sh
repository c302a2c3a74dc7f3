#!/usr/bin/env bash
# Runs SPIN exhaustively on one anchor model and prints its figures.
# The project's copy of the anchors' run-spin.sh; the one place that says how SPIN is run, so
# that `npm run bench` (bench/run.ts) and a person at a shell time the very same `pan`.
#
# Usage:
#   run-spin.sh promela/peterson6.pml [bfs|dfs]       compile in a temporary folder, run, print the figures
#   run-spin.sh --compile promela/peterson6.pml DIR [bfs|dfs]   only compile: DIR/pan
#   run-spin.sh --run DIR                              only run DIR/pan (full output), under $PAN_WRAPPER if set
# Needs: apt-get install -y spin gcc (bench/run.ts installs them itself when it runs as root).
set -euo pipefail

# -E: do not stop at the deadlock (invalid end state) of the philosophers; -c0: do not stop at
# errors; -m: search depth bound far past any anchor's depth; -w26: a 2^26-slot hash table.
PAN_FLAGS=(-E -c0 -m10000000 -w26)

compile() { # model dir mode
  local model dir mode
  model=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  dir=$2 mode=$3
  mkdir -p "$dir"
  cd "$dir"
  # -o1 -o2 -o3: no dataflow, dead-variable or statement-merging optimisations, so that every
  # d_step of the model is exactly one transition and the state count is the model's own.
  spin -o1 -o2 -o3 -a "$model" >/dev/null
  local flags="-O2 -DSAFETY -DNOREDUCE -DMEMLIM=16000"
  [ "$mode" = bfs ] && flags="$flags -DBFS"
  # shellcheck disable=SC2086
  gcc $flags -o pan pan.c
}

case "${1:-}" in
  --compile)
    compile "$2" "$3" "${4:-bfs}"
    ;;
  --run)
    cd "$2"
    # shellcheck disable=SC2086
    exec ${PAN_WRAPPER:-} ./pan "${PAN_FLAGS[@]}"
    ;;
  ''|-*)
    echo "usage: run-spin.sh MODEL.pml [bfs|dfs] | --compile MODEL.pml DIR [bfs|dfs] | --run DIR" >&2
    exit 2
    ;;
  *)
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    compile "$1" "$work" "${2:-bfs}"
    cd "$work"
    ./pan "${PAN_FLAGS[@]}" 2>&1 | grep -E "states, stored|transitions|depth reached|elapsed time|total actual memory"
    ;;
esac

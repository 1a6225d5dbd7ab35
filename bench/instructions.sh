#!/usr/bin/env bash
# User-space instructions per request of two Katara binaries (or two configs), counted by
# Valgrind's callgrind: unlike CPU time on a shared VM, a count does not drift with the
# neighbours, so a change of 1 % shows. REPS rounds, interleaved; each starts Katara under
# callgrind on the benchmark's fixed upstream, warms it up with 600 requests, zeroes the
# counters, sends N (4,000) at a fixed rate over 16 connections and reads the count. Counts
# still vary by ~1 % with how requests batch per wake-up: compare medians, with nothing else
# running. Prints every run and the medians.
#   bench/instructions.sh BIN_A CONFIG_EXTRA_A BIN_B CONFIG_EXTRA_B
# e.g. bench/instructions.sh /tmp/baseline/build/katara "" build/katara "store: { enabled: false }"
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-3}
N_RATE=400 N_SECONDS=10  # 4,000 requests
FIXED_RATE=${FIXED_RATE:-build/katara_fixed_rate}
TMP=$(mktemp -d)
UP=18284 KAT=18286
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$TMP"' EXIT
source bench/fixed_upstream.sh
start_fixed_upstream "$TMP" $UP
one() {  # bin extra-yaml → instructions per request
  rm -rf "$TMP/run" && mkdir "$TMP/run"
  one_worker_katara $KAT $UP "$2" > "$TMP/run/katara.yaml"
  local bin; bin=$(realpath "$1")
  (cd "$TMP/run" && exec taskset -c 0 valgrind --tool=callgrind --callgrind-out-file="$TMP/run/cg" \
    "$bin" serve --config "$TMP/run/katara.yaml") > "$TMP/run/log" 2>&1 & local pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$KAT/readyz"; do sleep 0.1; done
  taskset -c 1 "$FIXED_RATE" 127.0.0.1 $KAT /v1/chat/completions "$BODY_FILE" 200 3 16 > /dev/null
  callgrind_control -z "$pid" > /dev/null 2>&1
  taskset -c 1 "$FIXED_RATE" 127.0.0.1 $KAT /v1/chat/completions "$BODY_FILE" $N_RATE $N_SECONDS 16 > /dev/null
  callgrind_control -d "$pid" > /dev/null 2>&1
  kill "$pid"; wait "$pid" 2>/dev/null || true
  awk -v n=$((N_RATE * N_SECONDS)) '/^summary:/ {printf "%.0f", $2 / n}' "$TMP"/run/cg.*
}
compare_ab instructions/request "$@"

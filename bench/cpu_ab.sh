#!/usr/bin/env bash
# CPU per request of two Katara binaries (or two configs), interleaved so that drift in the
# machine hits both alike: REPS rounds of a 1 s warm-up and a 5 s wrk run each, on the benchmark's
# fixed upstream (CONNS connections, 16 by default); prints every run and the medians. Same pinning as bench/run.sh.
#   bench/cpu_ab.sh BIN_A CONFIG_EXTRA_A BIN_B CONFIG_EXTRA_B
# CONFIG_EXTRA is YAML appended to the benchmark's katara.yaml ("" for none), e.g.
#   bench/cpu_ab.sh /tmp/baseline/build/katara "" build/katara "store: { enabled: false }"
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-5}
CONNS=${CONNS:-16}
TMP=$(mktemp -d)
UP=18280 KAT=18282
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$TMP"' EXIT
source bench/fixed_upstream.sh
start_fixed_upstream "$TMP" $UP
one() {  # bin extra-yaml → µs of CPU per request
  rm -rf "$TMP/run" && mkdir "$TMP/run"
  one_worker_katara $KAT $UP "$2" > "$TMP/run/katara.yaml"
  taskset -c 0 "$1" serve --config "$TMP/run/katara.yaml" > "$TMP/run/log" 2>&1 & local pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$KAT/readyz"; do sleep 0.01; done
  taskset -c 1 wrk -t1 -c"$CONNS" -d1s -s bench/post.lua "http://127.0.0.1:$KAT/v1/chat/completions" > /dev/null
  local c0 c1 n; c0=$(awk '{print $14+$15}' /proc/$pid/stat)
  n=$(taskset -c 1 wrk -t1 -c"$CONNS" -d5s -s bench/post.lua "http://127.0.0.1:$KAT/v1/chat/completions" | awk '/requests in/ {print $1}')
  c1=$(awk '{print $14+$15}' /proc/$pid/stat)
  kill $pid; wait $pid 2>/dev/null || true
  awk -v t=$((c1 - c0)) -v n="$n" -v u=$((1000000 / $(getconf CLK_TCK))) 'BEGIN {printf "%.2f", t*u/n}'
}
compare_ab µs/request "$@"

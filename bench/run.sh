#!/usr/bin/env bash
# Katara vs a direct call vs an nginx reverse proxy, side by side in one run.
# The proxy under test (Katara or nginx, one worker each) is pinned to core 0; the load
# generator and the upstream share core 1. Results: bench/results/latest.md (and stdout).
#   bench/run.sh            # BENCH_SECONDS=10 BENCH_ROUNDS=5 STREAMS=1000 by default
#   KATARA_BASELINE=/path/to/older/katara bench/run.sh   # also that binary, side by side
#   (the point of comparison for a change: "katara-baseline" rows, the same config)
set -euo pipefail
cd "$(dirname "$0")/.."
B=$PWD/build
DUR=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-5}  # closed-loop points: DUR split into ROUNDS interleaved runs
ROUND_SECONDS=$(( DUR / ROUNDS > 0 ? DUR / ROUNDS : 1 ))
STREAMS=${STREAMS:-1000}
RATE=${RATE:-5000}
TMP=$(mktemp -d)
OUT=bench/results; mkdir -p "$OUT"
UP=18080 NGX=18081 KAT=18082 BASE=18083 NOLOG=18084 SIM=18090 SIMCTL=18099
BASELINE=${KATARA_BASELINE:-}
PROXY_CPU=0 LOAD_CPU=1
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# The fast upstream: nginx answering every request with a fixed chat completion.
source bench/fixed_upstream.sh
fixed_upstream "$TMP" $UP
# The reference proxy: nginx with a keep-alive upstream pool, unbuffered for streams.
cat > "$TMP/proxy.conf" <<NGX
worker_processes 1; daemon off; pid $TMP/proxy.pid; error_log $TMP/proxy.err;
events { worker_connections 8192; }
http { access_log off;
  upstream up { server 127.0.0.1:$UP; keepalive 256; }
  upstream sim { server 127.0.0.1:$SIM; keepalive 256; }
  server { listen 127.0.0.1:$NGX; keepalive_requests 10000000;
    location /sim/ { proxy_pass http://sim/; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
NGX
cat > "$TMP/sim.yaml" <<YAML
control: 127.0.0.1:$SIMCTL
providers:
  sim:
    listen: 127.0.0.1:$SIM
    models:
      stream-model: { ttft_ms: 50, tokens_per_second: 20, answer_tokens: 100 }
YAML
cat > "$TMP/katara.yaml" <<YAML
listen: 127.0.0.1:$KAT
workers: 1
providers:
  up:  { kind: openai, base_url: http://127.0.0.1:$UP/v1 }
  sim: { kind: openai, base_url: http://127.0.0.1:$SIM/v1 }
models:
  bench:  { targets: [ { provider: up, model: bench-model } ] }
  stream: { targets: [ { provider: sim, model: stream-model } ] }
YAML

wait_port() { for _ in $(seq 1 500); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.01; done; echo "port $1 never opened" >&2; exit 1; }
cpu_ticks() { local t=0; for p in "$@"; do read -ra f < /proc/$p/stat; t=$((t + f[13] + f[14])); done; echo $t; }
# The ticks of a process's threads named $2 (katara-worker, katara-store): where its CPU went.
thread_ticks() { local t=0; for d in /proc/$1/task/*; do [ "$(cat $d/comm)" = "$2" ] || continue; read -ra f < $d/stat; t=$((t + f[13] + f[14])); done; echo $t; }
rss_kb() { awk '/VmRSS/ {print $2}' /proc/$1/status; }
hwm_kb() { awk '/VmHWM/ {print $2}' /proc/$1/status; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))

taskset -c $LOAD_CPU nginx -c "$TMP/up.conf" & pids+=($!)
taskset -c $LOAD_CPU "$B/katara" sim --config "$TMP/sim.yaml" >"$TMP/sim.log" 2>&1 & pids+=($!)
taskset -c $PROXY_CPU nginx -c "$TMP/proxy.conf" & NGX_MASTER=$!; pids+=($NGX_MASTER)
wait_port $UP; wait_port $NGX; wait_port $SIM
NGX_WORKER=$(pgrep -P $NGX_MASTER | head -1)

# Start-up to ready, measured from outside: exec until /readyz answers 200.
t0=$(date +%s%N)
taskset -c $PROXY_CPU "$B/katara" serve --config "$TMP/katara.yaml" >"$TMP/katara.log" 2>&1 & KATARA=$!; pids+=($KATARA)
until curl -sf -o /dev/null "http://127.0.0.1:$KAT/readyz"; do sleep 0.001; done
STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
INTERNAL_US=$(grep -o 'ready in [0-9]* us' "$TMP/katara.log" | grep -o '[0-9]*')
IDLE_RSS=$(rss_kb $KATARA)
# The same Katara without its request log: what the log costs, apart from everything else.
{ sed "s/127.0.0.1:$KAT/127.0.0.1:$NOLOG/" "$TMP/katara.yaml"; echo "store: { enabled: false }"; } > "$TMP/nolog.yaml"
taskset -c $PROXY_CPU "$B/katara" serve --config "$TMP/nolog.yaml" >"$TMP/nolog.log" 2>&1 & NOLOG_PID=$!; pids+=($NOLOG_PID)
until curl -sf -o /dev/null "http://127.0.0.1:$NOLOG/readyz"; do sleep 0.001; done
if [ -n "$BASELINE" ]; then
  sed "s/127.0.0.1:$KAT/127.0.0.1:$BASE/" "$TMP/katara.yaml" > "$TMP/baseline.yaml"
  taskset -c $PROXY_CPU "$BASELINE" serve --config "$TMP/baseline.yaml" >"$TMP/baseline.log" 2>&1 & BASE_PID=$!; pids+=($BASE_PID)
  until curl -sf -o /dev/null "http://127.0.0.1:$BASE/readyz"; do sleep 0.001; done
fi
NGX_IDLE_RSS=$(rss_kb $NGX_WORKER)

results=$TMP/results.md
{
echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); ${DUR}s per point."
echo
echo "### Closed loop (wrk, keep-alive, one thread on core $LOAD_CPU)"
echo
echo "Each closed-loop row: $ROUNDS interleaved runs of ${ROUND_SECONDS}s; requests/s and percentiles are their medians, CPU their sum."
echo
echo "| target | connections | requests/s | p50 µs | p99 µs | proxy CPU µs/request | of which Katara's workers / store thread |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$results"

# One closed-loop point is ROUNDS short wrk runs per target, the targets taking turns, so that
# drift in a shared machine (often ±5 % within a minute) hits every target alike. CPU per
# request sums the rounds; requests/s and the percentiles are the rounds' medians.
declare -A W  # name.c.field → space-separated values, one per round
us_of() { awk -v v="$1" 'BEGIN { if (v ~ /ms$/) printf "%.0f", v * 1000; else if (v ~ /us$/) printf "%.0f", v + 0; else printf "%.0f", v * 1000000 }'; }
sum() { local t=0; for v in "$@"; do t=$((t + v)); done; echo $t; }
wrk_round() {  # name url conns pids...
  local name=$1 url=$2 c=$3; shift 3
  local before after w0=0 s0=0 w1=0 s1=0; before=$(cpu_ticks "$@" 2>/dev/null || echo 0)
  if [ $# -gt 0 ]; then w0=$(thread_ticks $1 katara-worker); s0=$(thread_ticks $1 katara-store); fi
  local out; out=$(taskset -c $LOAD_CPU wrk -t1 -c"$c" -d"${ROUND_SECONDS}s" --latency -s bench/post.lua "$url")
  after=$(cpu_ticks "$@" 2>/dev/null || echo 0)
  if [ $# -gt 0 ]; then w1=$(thread_ticks $1 katara-worker); s1=$(thread_ticks $1 katara-store); fi
  local k=$name.$c
  W[$k.rps]+=" $(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')"
  W[$k.p50]+=" $(us_of "$(echo "$out" | awk '$1=="50%" {print $2}')")"
  W[$k.p99]+=" $(us_of "$(echo "$out" | awk '$1=="99%" {print $2}')")"
  W[$k.n]+=" $(echo "$out" | awk '/requests in/ {print $1}')"
  W[$k.ticks]+=" $((after - before))"; W[$k.worker]+=" $((w1 - w0))"; W[$k.store]+=" $((s1 - s0))"
}
wrk_row() {  # name conns measured(0/1)
  local k=$1.$2 n cpu="-" split="-"
  n=$(sum ${W[$k.n]})
  if [ "$3" = 1 ] && [ "$n" -gt 0 ]; then
    cpu=$(awk -v t="$(sum ${W[$k.ticks]})" -v u=$TICK_US -v n="$n" 'BEGIN {printf "%.1f", t*u/n}')
    local w; w=$(sum ${W[$k.worker]})
    if [ "$w" -gt 0 ]; then
      split=$(awk -v w="$w" -v s="$(sum ${W[$k.store]})" -v u=$TICK_US -v n="$n" 'BEGIN {printf "%.1f / %.1f", w*u/n, s*u/n}')
    fi
  fi
  local rps p50 p99
  rps=$(printf '%.0f' "$(median ${W[$k.rps]})"); p50=$(printf '%.0f' "$(median ${W[$k.p50]})")
  p99=$(printf '%.0f' "$(median ${W[$k.p99]})")
  echo "| $1 | $2 | $rps | $p50 | $p99 | $cpu | $split |" >> "$results"
  echo "$1 c=$2: $rps req/s p50 $p50 µs p99 $p99 µs cpu/req $cpu µs (workers / store: $split; rounds: ${W[$k.rps]} req/s)" >&2
}
for c in 1 16 64; do
  for _ in $(seq 1 "$ROUNDS"); do
    wrk_round direct "http://127.0.0.1:$UP/v1/chat/completions" $c
    wrk_round nginx "http://127.0.0.1:$NGX/v1/chat/completions" $c $NGX_WORKER
    wrk_round katara "http://127.0.0.1:$KAT/v1/chat/completions" $c $KATARA
    wrk_round katara-no-log "http://127.0.0.1:$NOLOG/v1/chat/completions" $c $NOLOG_PID
    [ -n "$BASELINE" ] && wrk_round katara-baseline "http://127.0.0.1:$BASE/v1/chat/completions" $c $BASE_PID
  done
  wrk_row direct $c 0
  wrk_row nginx $c 1
  wrk_row katara $c 1
  wrk_row katara-no-log $c 1
  [ -n "$BASELINE" ] && wrk_row katara-baseline $c 1
done

{
echo
echo "### Fixed rate: $RATE requests/s, 64 connections (bench/fixed_rate.cc, latency from each request's due time)"
echo
echo "| target | p50 µs | p90 µs | p99 µs | p99.9 µs | added p50 over direct | added p99 over direct |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} >> "$results"
declare -A FR
targets="direct:$UP nginx:$NGX katara:$KAT katara-no-log:$NOLOG"
[ -n "$BASELINE" ] && targets="$targets katara-baseline:$BASE"
for t in $targets; do
  name=${t%%:*} port=${t##*:}
  line=$(taskset -c $LOAD_CPU "$B/katara_fixed_rate" 127.0.0.1 "$port" /v1/chat/completions "$BODY_FILE" "$RATE" "$DUR" 64)
  echo "$name fixed rate: $line" >&2
  read -r _ sent _ ok _ err _ p50 _ p90 _ p99 _ p999 _ max <<<"$line"
  FR[$name.p50]=$p50; FR[$name.p99]=$p99
  echo "| $name | $p50 | $p90 | $p99 | $p999 | $((p50 - ${FR[direct.p50]})) | $((p99 - ${FR[direct.p99]})) |" >> "$results"
done
PEAK_RSS=$(hwm_kb $KATARA)

# Streaming: many concurrent streams through each proxy; CPU per SSE event and memory.
{
echo
echo "### Streaming: $STREAMS concurrent streams of 100 tokens at 20 tokens/s (simulator upstream)"
echo
echo "| proxy | streams ok | events | proxy CPU µs/event | RSS before | peak RSS | RSS per 1,000 streams |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} >> "$results"
stream_point() {  # name url model pid
  local name=$1 url=$2 model=$3 pid=$4
  local rss0 before after out; rss0=$(rss_kb "$pid"); before=$(cpu_ticks "$pid")
  local peak=$rss0
  ( while kill -0 "$pid" 2>/dev/null; do r=$(rss_kb "$pid"); echo "$r"; sleep 0.1; done ) > "$TMP/$name.rss" & local sampler=$!
  out=$(taskset -c $LOAD_CPU node bench/stream_load.mjs "$url" "$model" "$STREAMS")
  kill $sampler 2>/dev/null || true
  after=$(cpu_ticks "$pid")
  peak=$(sort -n "$TMP/$name.rss" | tail -1)
  read -r _ n _ ok _ err _ events _ secs <<<"$out"
  local per; per=$(awk -v t=$((after - before)) -v u=$TICK_US -v e="$events" 'BEGIN {printf "%.2f", t*u/e}')
  echo "| $name | $ok/$n | $events | $per | $((rss0 / 1024)) MiB | $((peak / 1024)) MiB | $(( (peak - rss0) * 1000 / STREAMS / 1024 )) MiB |" >> "$results"
  echo "$name streams: $out cpu/event $per µs peak rss $((peak / 1024)) MiB" >&2
}
stream_point nginx "http://127.0.0.1:$NGX/sim/v1/chat/completions" stream-model $NGX_WORKER
stream_point katara "http://127.0.0.1:$KAT/v1/chat/completions" stream $KATARA
stream_point katara-no-log "http://127.0.0.1:$NOLOG/v1/chat/completions" stream $NOLOG_PID
[ -n "$BASELINE" ] && stream_point katara-baseline "http://127.0.0.1:$BASE/v1/chat/completions" stream $BASE_PID

{
echo
echo "### Katara footprint"
echo
echo "| figure | value |"
echo "| --- | ---: |"
echo "| start-up to ready (exec until /readyz answers) | $STARTUP_MS ms |"
echo "| start-up inside the process (config to listening) | $((INTERNAL_US / 1000)) ms |"
echo "| idle RSS | $((IDLE_RSS / 1024)) MiB (nginx worker: $((NGX_IDLE_RSS / 1024)) MiB) |"
echo "| peak RSS after the non-streaming runs | $((PEAK_RSS / 1024)) MiB |"
} >> "$results"
cp "$results" "$OUT/latest.md"
cat "$results"

# Sourced by the benchmark scripts: the fast upstream every proxy is measured against (nginx
# answering every request with a fixed 330-byte chat completion) and the request body sent.
#   fixed_upstream DIR PORT   writes DIR/up.conf and DIR/request.json, exports BODY_FILE
#   start_fixed_upstream DIR PORT   the same, and starts that nginx on core 1 (a background job)
#   one_worker_katara PORT UPSTREAM_PORT EXTRA_YAML   prints a one-worker Katara config for it
#   median VALUES...          the median of numbers
#   compare_ab UNIT A_BIN A_EXTRA B_BIN B_EXTRA   REPS rounds of `one BIN EXTRA` (the caller's
#                             measurement) for A then B; prints each side's runs, medians, B - A
fixed_upstream() {
  local dir=$1 port=$2
  local body='{"id":"chatcmpl-bench","object":"chat.completion","created":1760000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the benchmark upstream.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}'
  export BODY_FILE=$dir/request.json
  echo '{"model":"bench","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark."}],"temperature":0.2,"max_tokens":64}' > "$BODY_FILE"
  cat > "$dir/up.conf" <<NGX
worker_processes 1; daemon off; pid $dir/up.pid; error_log $dir/up.err;
events { worker_connections 8192; }
http { access_log off;
  server { listen 127.0.0.1:$port; keepalive_requests 10000000;
    location / { default_type application/json; return 200 '$body'; } } }
NGX
}

one_worker_katara() {
  printf 'listen: 127.0.0.1:%s\nworkers: 1\nproviders:\n  up: { kind: openai, base_url: http://127.0.0.1:%s/v1 }\nmodels:\n  bench: { targets: [ { provider: up, model: bench-model } ] }\n%s\n' \
    "$1" "$2" "$3"
}

median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# Interleaved, so that drift in the machine hits both sides alike.
compare_ab() {
  local unit=$1; shift
  local a=() b=() ma mb
  for _ in $(seq 1 "$REPS"); do a+=("$(one "$1" "$2")"); b+=("$(one "$3" "$4")"); done
  ma=$(median "${a[@]}") mb=$(median "${b[@]}")
  echo "A ($1 ${2:-}): ${a[*]} $unit, median $ma"
  echo "B ($3 ${4:-}): ${b[*]} $unit, median $mb"
  awk -v a="$ma" -v b="$mb" -v u="$unit" 'BEGIN {printf "B - A: %+.2f %s (%+.2f %%)\n", b - a, u, 100 * (b - a) / a}'
}

start_fixed_upstream() {
  fixed_upstream "$1" "$2"
  taskset -c 1 nginx -c "$1/up.conf" &
}

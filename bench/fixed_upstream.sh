# Sourced by the benchmark scripts: the fast upstream every proxy is measured against (nginx
# answering every request with a fixed 330-byte chat completion) and the request body sent.
#   fixed_upstream DIR PORT   writes DIR/up.conf and DIR/request.json, exports BODY_FILE
#   one_worker_katara PORT UPSTREAM_PORT EXTRA_YAML   prints a one-worker Katara config for it
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

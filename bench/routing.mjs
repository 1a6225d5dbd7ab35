// The routing benchmark: one fixed, seeded trace of requests (mixed prompt sizes, streamed and
// not) replayed against three simulated providers that differ in price and speed and that go
// through outage and slowdown windows, once per strategy, each with a fresh Katara. For each
// strategy: success rate, p50/p95 time to first token, the share of requests that met the
// 400 ms first-token goal, total cost, and the distance to an oracle that knew the future (for
// each request, the cheapest target that was up and met the goal at that moment).
//   node bench/routing.mjs      (ROUTING_SECONDS=40, ROUTING_RPS=20, ROUTING_PROBE_MS=1000; results on stdout as JSON)
import { setTimeout as sleep } from 'node:timers/promises';

import { startKatara, startSim } from '../test/lib/harness.mjs';

const SECONDS = Number(process.env.ROUTING_SECONDS ?? 40);
const RPS = Number(process.env.ROUTING_RPS ?? 20);
const GOAL_MS = 400;
// Active probes (ms; 0: none) let a target that healed serve again without waiting out its circuit's backoff.
const PROBE_MS = Number(process.env.ROUTING_PROBE_MS ?? 1000);
const ANSWER = 20;

// The providers: price (USD per million tokens in / out) and time to first token.
const PROVIDERS = {
  budget: { price: [0.1, 0.4], ttft: 350 },
  standard: { price: [1, 4], ttft: 150 },
  premium: { price: [5, 20], ttft: 60 },
};
// Windows, as fractions of the run: budget fails (503), standard slows by 600 ms, premium resets.
const at = (f) => f * SECONDS;
const WINDOWS = {
  budget: { down: [at(0.25), at(0.45)] },
  standard: { slow: [at(0.5), at(0.75)], slow_ms: 600 },
  premium: { down: [at(0.75), at(0.85)] },
};
const upAt = (p, t) => !WINDOWS[p].down || t < WINDOWS[p].down[0] || t >= WINDOWS[p].down[1];
const ttftAt = (p, t) => PROVIDERS[p].ttft + (WINDOWS[p].slow && t >= WINDOWS[p].slow[0] && t < WINDOWS[p].slow[1] ? WINDOWS[p].slow_ms : 0);

// The seeded trace (mulberry32): when each request leaves, its prompt size, whether it streams.
function trace() {
  let s = 1;
  const rand = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const words = ['route', 'every', 'request', 'to', 'the', 'best', 'target', 'that', 'is', 'up'];
  const out = [];
  for (let i = 0; i < SECONDS * RPS; ++i) {
    const n = 10 + Math.floor(rand() ** 2 * 3000);  // mostly short prompts, some long
    out.push({ at_ms: (i * 1000) / RPS, stream: rand() < 0.5, prompt: Array.from({ length: n }, (_, k) => words[k % words.length]).join(' ') });
  }
  return out;
}

const STRATEGIES = [
  ['fallback', ''],
  ['weighted', ''],
  ['round_robin', ''],
  ['least_busy', ''],
  ['latency', ''],
  ['cost', ''],
  ['balanced', `\n    weights: { cost: 1, latency: 1, errors: 1 }\n    constraints: { max_ttft_ms: ${GOAL_MS} }`],
];

const sim = await startSim(Object.fromEntries(Object.entries(PROVIDERS).map(([name, p]) => [name, {
  models: { m: { ttft_ms: p.ttft, tokens_per_second: 400, answer_tokens: ANSWER } },
  faults: WINDOWS[name].down ? { outage: { start_s: WINDOWS[name].down[0], duration_s: WINDOWS[name].down[1] - WINDOWS[name].down[0], mode: name === 'budget' ? 'error' : 'reset' } } : undefined,
}])), { seed: 3 });

async function one(katara, req, t0) {
  const started = Date.now();
  const body = { model: 'm', max_tokens: 64, messages: [{ role: 'user', content: req.prompt }], stream: req.stream };
  if (req.stream) body.stream_options = { include_usage: true };
  const res = await katara.chat(body);
  let ttft = null, text = '', ok = res.status === 200, usage = null, cost = Number(res.headers.get('x-katara-cost-usd') ?? NaN);
  if (req.stream && ok) {
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk, { stream: true });
      if (ttft === null && buf.includes('"content":"')) ttft = Date.now() - started;
    }
    const done = buf.includes('data: [DONE]') && !buf.includes('"error"');
    const c = buf.match(/: x-katara-cost-usd=([\d.]+)/);
    cost = c ? Number(c[1]) : NaN;
    for (const line of buf.split('\n')) {
      if (!line.startsWith('data: {')) continue;
      const d = JSON.parse(line.slice(6));
      text += d.choices?.[0]?.delta?.content ?? '';
      if (d.usage) usage = d.usage;
    }
    ok = done;
  } else if (ok) {
    const j = await res.json();
    ttft = Date.now() - started;
    usage = j.usage;
    text = j.choices[0].message.content;
  } else {
    await res.text();
  }
  return { t: (started - t0) / 1000, ok: ok && text.length > 0, ttft, cost, usage, by: res.headers.get('x-katara-provider') };
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : null; };
const requests = trace();
const results = [];
for (const [strategy, extra] of STRATEGIES) {
  await sim.reset();  // the windows start again with the run
  const katara = await startKatara(`
circuit: {}
pricing:
${Object.entries(PROVIDERS).map(([n, p]) => `  "${n}/m": { input_per_mtok: ${p.price[0]}, output_per_mtok: ${p.price[1]} }`).join('\n')}
providers:
${Object.keys(PROVIDERS).map((n) => `  ${n}: { kind: openai, base_url: ${sim.url(n)}, timeouts: { first_token_ms: 2000 }, probe_interval_ms: ${PROBE_MS} }`).join('\n')}
models:
  m:
    strategy: ${strategy}${extra}
    targets: [ { provider: budget, model: m, weight: 3 }, { provider: standard, model: m, weight: 2 }, { provider: premium, model: m, weight: 1 } ]
`, { workers: 2 });
  const t0 = Date.now();
  const slowdown = (async () => {
    const w = WINDOWS.standard;
    await sleep(w.slow[0] * 1000 - (Date.now() - t0));
    await sim.faults('standard', { slow_first_token_ms: w.slow_ms });
    await sleep(w.slow[1] * 1000 - (Date.now() - t0));
    await sim.faults('standard', { slow_first_token_ms: 0 });
  })();
  const pending = [];
  for (const req of requests) {
    const wait = req.at_ms - (Date.now() - t0);
    if (wait > 0) await sleep(wait);
    pending.push(one(katara, req, t0).catch((e) => ({ ok: false, error: e.message })));
  }
  const outcomes = await Promise.all(pending);
  await slowdown;
  await katara.stop();

  // The oracle: at each request's moment, the cheapest target up that met the goal (else the
  // quickest up), priced at the request's own tokens.
  let oracle_usd = 0, agreed = 0;
  for (const o of outcomes) {
    if (!o.usage) continue;
    const up = Object.keys(PROVIDERS).filter((p) => upAt(p, o.t));
    const meeting = up.filter((p) => ttftAt(p, o.t) <= GOAL_MS);
    const pool = meeting.length ? meeting : up;
    const choice = pool.sort((a, b) => (meeting.length ? PROVIDERS[a].price[0] - PROVIDERS[b].price[0] : ttftAt(a, o.t) - ttftAt(b, o.t)))[0];
    const [pin, pout] = PROVIDERS[choice].price;
    oracle_usd += (o.usage.prompt_tokens * pin + o.usage.completion_tokens * pout) / 1e6;
    agreed += o.by === choice;
  }
  const answered = outcomes.filter((o) => o.ok);
  const ttfts = answered.map((o) => o.ttft).filter((x) => x !== null);
  const cost = answered.reduce((a, o) => a + (Number.isFinite(o.cost) ? o.cost : 0), 0);
  const row = {
    strategy,
    requests: outcomes.length,
    success_rate: Number((answered.length / outcomes.length).toFixed(4)),
    ttft_ms: { p50: pct(ttfts, 0.5), p95: pct(ttfts, 0.95) },
    met_goal: Number((ttfts.filter((x) => x <= GOAL_MS).length / Math.max(1, outcomes.length)).toFixed(3)),
    cost_usd: Number(cost.toFixed(6)),
    oracle_usd: Number(oracle_usd.toFixed(6)),
    over_oracle: Number((cost / oracle_usd).toFixed(3)),
    oracle_choice_share: Number((agreed / Math.max(1, answered.length)).toFixed(3)),
    served_by: answered.reduce((m, o) => ((m[o.by] = (m[o.by] ?? 0) + 1), m), {}),
  };
  results.push(row);
  console.error(JSON.stringify(row));
}
await sim.stop();
console.log(JSON.stringify({ seconds: SECONDS, rps: RPS, goal_ms: GOAL_MS, probe_interval_ms: PROBE_MS, providers: PROVIDERS, windows: WINDOWS, results }, null, 1));

// `make demo`: no keys needed. Three simulated providers behind one Katara route, traffic from
// the official OpenAI SDK (with its own retries switched off, so every error would show):
//   primary  fast, but goes down (refuses connections) for a minute and comes back
//   flaky    answers, but 30 % of requests fail (500/502/503) and 10 % are reset
//   steady   healthy but slow (600 ms to first token)
import OpenAI from 'openai';

import { startKatara, startSim, sleep } from '../test/lib/harness.mjs';

const seconds = Number(process.env.DEMO_SECONDS ?? 80);
const outageStart = Math.min(10, seconds / 8);
const outageLength = Math.min(60, seconds * 0.75);
const concurrency = 4;

const sim = await startSim({
  primary: { models: { 'fast-1': { ttft_ms: { mean: 80, jitter: 20 }, tokens_per_second: 150, answer_tokens: 30 } },
             faults: { outage: { start_s: outageStart, duration_s: outageLength, mode: 'refuse' } } },
  flaky: { models: { 'flaky-1': { ttft_ms: 150, tokens_per_second: 80, answer_tokens: 30 } },
           faults: { error_rate: 0.3, error_statuses: [500, 502, 503], reset_rate: 0.1 } },
  steady: { models: { 'slow-1': { ttft_ms: { mean: 600, jitter: 100 }, tokens_per_second: 40, answer_tokens: 30 } } },
}, { seed: 42 });
const katara = await startKatara(`
providers:
  primary: { kind: openai, base_url: ${sim.url('primary')}, api_key: demo }
  flaky:   { kind: openai, base_url: ${sim.url('flaky')}, api_key: demo }
  steady:  { kind: openai, base_url: ${sim.url('steady')}, api_key: demo }
models:
  demo:
    strategy: fallback
    targets:
      - { provider: primary, model: fast-1 }
      - { provider: flaky,   model: flaky-1 }
      - { provider: steady,  model: slow-1 }
`, { workers: 2 });

const client = new OpenAI({ baseURL: `${katara.base}/v1`, apiKey: 'none', maxRetries: 0 });
const stats = { answers: 0, streams: 0, failovers: 0, errors: 0, byProvider: {}, errorSamples: [], latencies: [] };
const t0 = Date.now();
const elapsed = () => (Date.now() - t0) / 1000;

async function one(i) {
  const stream = i % 2 === 0;
  const started = Date.now();
  try {
    const { data, response } = await client.chat.completions
      .create({ model: 'demo', stream, messages: [{ role: 'user', content: `Request ${i}` }] })
      .withResponse();
    let text = '';
    if (stream) {
      for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? '';
      stats.streams++;
    } else {
      text = data.choices[0].message.content;
    }
    if (!text) throw new Error('empty answer');
    const provider = response.headers.get('x-katara-provider');
    stats.byProvider[provider] = (stats.byProvider[provider] ?? 0) + 1;
    if (Number(response.headers.get('x-katara-attempts')) > 1) stats.failovers++;
    stats.answers++;
    stats.latencies.push(Date.now() - started);
  } catch (e) {
    stats.errors++;
    if (stats.errorSamples.length < 5) stats.errorSamples.push(String(e.message ?? e));
  }
}

console.log(`Katara on ${katara.base}; primary goes down at t=${outageStart}s for ${outageLength}s; running ${seconds}s\n`);
let next = 0;
const workers = Array.from({ length: concurrency }, async () => {
  while (elapsed() < seconds) await one(next++);
});
const ticker = setInterval(() => {
  const state = elapsed() >= outageStart && elapsed() < outageStart + outageLength ? 'primary DOWN' : 'primary up  ';
  console.log(`t=${elapsed().toFixed(0).padStart(3)}s  ${state}  answers ${String(stats.answers).padStart(4)}  failovers ${String(stats.failovers).padStart(4)}  client errors ${stats.errors}  by provider ${JSON.stringify(stats.byProvider)}`);
}, 5000);
await Promise.all(workers);
clearInterval(ticker);

const upstream = await sim.log();
const perProvider = {};
for (const r of upstream) {
  perProvider[r.provider] ??= {};
  perProvider[r.provider][r.outcome] = (perProvider[r.provider][r.outcome] ?? 0) + 1;
}
stats.latencies.sort((a, b) => a - b);
const p = (q) => stats.latencies[Math.floor(q * (stats.latencies.length - 1))] ?? 0;
console.log(`
What happened in ${seconds}s:
  answers served          ${stats.answers} (${stats.streams} streamed)
  answered after failover ${stats.failovers}
  answers per provider    ${JSON.stringify(stats.byProvider)}
  upstream outcomes       ${JSON.stringify(perProvider)}
  client latency          p50 ${p(0.5)} ms, p99 ${p(0.99)} ms
  errors seen by clients  ${stats.errors}${stats.errorSamples.length ? '\n    ' + stats.errorSamples.join('\n    ') : ''}
`);
await katara.stop();
await sim.stop();
await sleep(10);
process.exit(stats.errors === 0 ? 0 : 1);

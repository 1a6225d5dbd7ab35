// The resilience soak: a bounded run of mixed provider faults under steady load, against the
// real katara and katara sim. Every request must be answered while any target is healthy (the
// route ends with a healthy one), and every answer must be whole: streams cut or stalled
// mid-way are carried on by the next target, so each answer is the simulator's sentence with
// no word lost or repeated. Prints answered/failed counts, attempts per request, the latency
// failover adds, and Katara's memory over time.
//   node bench/soak.mjs            (SOAK_SECONDS=600, SOAK_CONCURRENCY=16)
import { readSse, sleep, startKatara, startSim } from '../test/lib/harness.mjs';
import { readFileSync } from 'node:fs';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 16);
const model = (ttft) => ({ ttft_ms: { mean: ttft, jitter: ttft / 4 }, tokens_per_second: 200, answer_tokens: { mean: 20, jitter: 5 } });

const sim = await startSim({
  primary: { models: { p: model(40) } },                                                     // down 20 s of every 60 s
  flaky: { models: { f: model(60) }, faults: { error_rate: 0.3, error_statuses: [500, 502, 503, 429], reset_rate: 0.1, retry_after_s: 0, cut_rate: 0.2 } },
  sticky: { models: { s: model(60) }, faults: { hang_rate: 0.1, stall_rate: 0.1 } },         // silent 10 % of the time, stalls mid-stream 10 %
  steady: { models: { h: model(150) } },                                                      // always healthy
}, { seed: 7 });
const katara = await startKatara(`
circuit: { consecutive_failures: 3, open_ms: 1000, max_open_ms: 8000 }
providers:
  primary: { kind: openai, base_url: ${sim.url('primary')}, timeouts: { first_byte_ms: 1000, first_token_ms: 1000, idle_ms: 1000 } }
  flaky:   { kind: openai, base_url: ${sim.url('flaky')}, timeouts: { first_byte_ms: 1000, first_token_ms: 1000, idle_ms: 1000 } }
  sticky:  { kind: anthropic, base_url: ${sim.root('sticky')}, timeouts: { first_byte_ms: 1000, first_token_ms: 1000, idle_ms: 1000 } }
  steady:  { kind: openai, base_url: ${sim.url('steady')} }
models:
  soak:
    targets:
      - { provider: primary, model: p }
      - { provider: flaky, model: f }
      - { provider: sticky, model: s }
      - { provider: steady, model: h }
`, { workers: 2 });

const stats = { sent: 0, answered: 0, failed: {}, attempts: [], direct_ms: [], failover_ms: [], memory: [], continued: 0 };

// The simulator's sentence: a whole answer is its first n words, for some n.
const WORDS = ['Katara', 'routes', 'every', 'request', 'to', 'a', 'healthy', 'model', 'and', 'keeps', 'the', 'answer', 'flowing', 'when', 'providers', 'fail.'];
function isSentence(text) {
  let expected = '';
  for (let i = 0; expected.length < text.length; ++i) expected += (i ? ' ' : '') + WORDS[i % WORDS.length];
  return text.length > 0 && expected === text;
}
function textOf(events, anthropic) {
  return events.filter((e) => e.data && e.data !== '[DONE]').map((e) => JSON.parse(e.data))
    .map((d) => (anthropic ? (d.type === 'content_block_delta' ? d.delta.text : '') : d.choices?.[0]?.delta?.content ?? ''))
    .join('');
}
const t0 = Date.now();
const rss = () => Number(readFileSync(`/proc/${katara.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;

async function one(i) {
  const anthropic = i % 3 === 2, stream = i % 2 === 0;
  const started = Date.now();
  const res = anthropic
    ? await katara.messages({ model: 'soak', max_tokens: 64, stream, messages: [{ role: 'user', content: `soak ${i}` }] })
    : await katara.chat({ model: 'soak', stream, messages: [{ role: 'user', content: `soak ${i}` }] });
  let ok = res.status === 200, why = `${res.status}${stream ? ' stream' : ''}`;
  if (ok && stream) {
    const events = await readSse(res);
    ok = anthropic ? events.at(-1)?.event === 'message_stop' : events.at(-1)?.data === '[DONE]' && !events.some((e) => e.data.includes('"error"'));
    if (ok && !isSentence(textOf(events, anthropic))) [ok, why] = [false, 'stream not whole'];
    if (!ok && why !== 'stream not whole') why = 'stream ended with an error';
  } else if (ok) {
    const body = await res.json();
    const text = anthropic ? body.content.map((c) => c.text).join('') : body.choices[0].message.content;
    if (!isSentence(text)) [ok, why] = [false, 'answer not whole'];
  } else {
    await res.text();
  }
  const ms = Date.now() - started;
  const attempts = Number(res.headers.get('x-katara-attempts') ?? 0);
  if (ok) {
    stats.answered++;
    stats.attempts.push(attempts);
    (attempts > 1 ? stats.failover_ms : stats.direct_ms).push(ms);
  } else {
    stats.failed[why] = (stats.failed[why] ?? 0) + 1;
  }
}

async function client(k) {
  for (let i = k; Date.now() - t0 < seconds * 1000; i += concurrency) {
    stats.sent++;
    try {
      await one(i);
    } catch (e) {
      stats.failed[e.message] = (stats.failed[e.message] ?? 0) + 1;
    }
  }
}

// The primary's outage cycle and the memory samples.
const cycle = (async () => {
  while (Date.now() - t0 < seconds * 1000) {
    const s = Math.floor((Date.now() - t0) / 1000);
    await sim.faults('primary', { refuse: s % 60 >= 40 });
    if (s % 10 === 0 && stats.memory.at(-1)?.[0] !== s) stats.memory.push([s, rss()]);
    await sleep(250);
  }
})();
await Promise.all([...Array(concurrency).keys()].map(client).concat([cycle]));
stats.memory.push([seconds, rss()]);

// Katara's own count of what the route's requests went through (handovers, continued streams).
const { routes } = await (await fetch(`${katara.base}/admin/health`)).json();
const { model: _, ...routeStats } = routes.find((r) => r.model === 'soak');

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0; };
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
console.log(JSON.stringify({
  seconds, concurrency,
  sent: stats.sent, answered: stats.answered, failed: stats.failed,
  route: routeStats,
  attempts_per_request: { mean: Number(mean(stats.attempts).toFixed(2)), max: Math.max(0, ...stats.attempts), failed_over: stats.failover_ms.length },
  latency_ms: { direct_p50: pct(stats.direct_ms, 0.5), direct_p99: pct(stats.direct_ms, 0.99), failover_p50: pct(stats.failover_ms, 0.5), failover_p99: pct(stats.failover_ms, 0.99) },
  katara_rss_mib: stats.memory.map(([s, m]) => [s, Number(m.toFixed(1))]),
}, null, 1));
await katara.stop();
await sim.stop();

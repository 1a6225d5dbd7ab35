// Metrics, the request log and the admin API, against real processes: what a request did must
// show in /metrics, in its log row and in /admin/stats; bad input must be logged too; a
// graceful stop must lose no row.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

import { freePort, hi, sleep, startKatara, startSim } from '../lib/harness.mjs';

const quick = { ttft_ms: 1, tokens_per_second: 5000, answer_tokens: 6 };
const ADMIN = 'adm-secret-key';
const CLIENT = 'client-key-1';
const auth = (key) => ({ authorization: `Bearer ${key}` });

// Prometheus text → [{name, labels, value}].
function parseMetrics(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/);
    assert.ok(m, `a well-formed sample line: ${line}`);
    const labels = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

function sample(samples, name, labels = {}) {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.reduce((sum, s) => sum + s.value, 0);
}

describe('observability', () => {
  let sim, katara, dbDir;
  const scrape = async () => parseMetrics(await (await fetch(`${katara.base}/metrics`)).text());
  const admin = (p, key = ADMIN) => fetch(`${katara.base}${p}`, { headers: auth(key) });

  // The row of `id`, once the store thread has written it.
  async function rowOf(id) {
    for (let i = 0; i < 100; ++i) {
      const res = await admin(`/admin/requests/${encodeURIComponent(id)}`);
      if (res.status === 200) return res.json();
      assert.equal(res.status, 404);
      await sleep(20);
    }
    throw new Error(`no log row for ${id}`);
  }

  const config = (simulator, db, flushMs = 20) => `
api_keys: ["${CLIENT}"]
admin: { api_key: "${ADMIN}" }
store: { sqlite: ${db}, flush_interval_ms: ${flushMs}, capture_bodies: true }
limits: { max_body_bytes: 65536 }
providers:
  primary: { kind: openai, base_url: ${simulator.url('primary')}, api_key: sk-provider-secret-0123456789abcdef }
  backup:  { kind: anthropic, base_url: ${simulator.root('backup')}, api_key: k }
models:
  gpt:
    targets: [ { provider: primary, model: m1 }, { provider: backup, model: claude-x } ]
  paced:
    targets: [ { provider: primary, model: paced } ]
`;

  before(async () => {
    sim = await startSim({ primary: { models: { m1: quick, paced: { ttft_ms: 1, tokens_per_second: 300, answer_tokens: 8 } } }, backup: { kind: 'anthropic', models: { 'claude-x': quick } } });
    dbDir = mkdtempSync(path.join(os.tmpdir(), 'katara-obs-'));
    katara = await startKatara(config(sim, path.join(dbDir, 'log.db')));
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  beforeEach(async () => sim.reset());

  test('/metrics counts a request by alias, provider, model and status class, with GenAI histograms', async () => {
    const before = await scrape();
    const labels = { operation: 'chat', alias: 'gpt', provider: 'primary', model: 'm1', status_class: '2xx' };
    const res = await katara.chat(hi('gpt'), auth(CLIENT));
    assert.equal(res.status, 200);
    await res.json();
    const after = await scrape();
    assert.equal(sample(after, 'katara_requests_total', labels) - sample(before, 'katara_requests_total', labels), 1);
    const gen = { gen_ai_operation_name: 'chat', gen_ai_provider_name: 'openai', katara_provider: 'primary', gen_ai_request_model: 'm1' };
    assert.equal(sample(after, 'gen_ai_client_operation_duration_seconds_count', gen) -
                 sample(before, 'gen_ai_client_operation_duration_seconds_count', gen), 1);
    const input = { ...gen, gen_ai_token_type: 'input' };
    assert.equal(sample(after, 'gen_ai_client_token_usage_count', input) - sample(before, 'gen_ai_client_token_usage_count', input), 1);
    assert.ok(sample(after, 'katara_tokens_total', { provider: 'primary', model: 'm1', type: 'output' }) >= 6);
    assert.ok(sample(after, 'gen_ai_server_request_duration_seconds_count', { gen_ai_request_model: 'gpt' }) >= 1);
    assert.ok(sample(after, 'katara_gateway_overhead_seconds_count', { operation: 'chat' }) >= 1);
    assert.equal(sample(after, 'katara_circuit_state', { provider: 'primary', model: 'm1' }), 0);
    const open = after.filter((s) => s.name === 'katara_upstream_open_connections' && s.labels.upstream === `127.0.0.1:${sim.ports.primary}`);
    assert.equal(open.length, 1, 'the pooled connection to the provider is counted');
    assert.equal(open[0].value, 1);
    assert.equal(sample(after, 'katara_requests_in_flight'), 0);
  });

  test('a stream records time to first token, the time between events and tokens per second', async () => {
    const before = await scrape();
    const res = await katara.chat(hi('paced', { stream: true }), auth(CLIENT));
    await res.text();
    const after = await scrape();
    const gen = { gen_ai_operation_name: 'chat', katara_provider: 'primary', gen_ai_request_model: 'paced' };
    for (const name of ['gen_ai_client_operation_time_to_first_chunk_seconds_count', 'gen_ai_server_time_to_first_token_seconds_count']) {
      assert.equal(sample(after, name) - sample(before, name), 1, name);
    }
    assert.ok(sample(after, 'gen_ai_client_operation_time_per_output_chunk_seconds_count', gen) -
              sample(before, 'gen_ai_client_operation_time_per_output_chunk_seconds_count', gen) >= 4, 'a gap per event after the first');
    const paced = { provider: 'primary', model: 'paced' };
    assert.equal(sample(after, 'katara_output_tokens_per_second_count', paced) - sample(before, 'katara_output_tokens_per_second_count', paced), 1);
    const speed = sample(after, 'katara_output_tokens_per_second_sum', paced) - sample(before, 'katara_output_tokens_per_second_sum', paced);
    assert.ok(speed > 50 && speed < 2000, `the simulator's pace (300 tokens/s) measured as ${speed}`);
  });

  test('a failover shows in the counters and in the log row\'s attempt timeline', async () => {
    await sim.faults('primary', { fail_next: 1, error_statuses: [500] });
    const before = await scrape();
    const res = await katara.chat(hi('gpt'), { ...auth(CLIENT), 'x-request-id': 'obs-failover-1' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-katara-provider'), 'backup');
    await res.json();
    const after = await scrape();
    assert.equal(sample(after, 'katara_failovers_total', { alias: 'gpt' }) - sample(before, 'katara_failovers_total', { alias: 'gpt' }), 1);
    const server = { provider: 'primary', model: 'm1', kind: 'server' };
    assert.equal(sample(after, 'katara_upstream_errors_total', server) - sample(before, 'katara_upstream_errors_total', server), 1);
    assert.equal(sample(after, 'gen_ai_client_operation_duration_seconds_count', { katara_provider: 'primary', error_type: 'server' }) -
                 sample(before, 'gen_ai_client_operation_duration_seconds_count', { katara_provider: 'primary', error_type: 'server' }), 1);

    await sim.faults('primary', { fail_next: 1, error_statuses: [500] });
    await sim.faults('backup', { fail_next: 1, error_statuses: [503] });
    const failed = await katara.chat(hi('gpt'), { ...auth(CLIENT), 'x-request-id': 'obs-all-failed' });
    assert.ok(failed.status >= 500);
    const failedRow = await rowOf('obs-all-failed');
    assert.equal(failedRow.status, failed.status);
    assert.equal(failedRow.error, (await failed.json()).error.message, 'the row keeps the error the client got');

    const row = await rowOf('obs-failover-1');
    assert.equal(row.status, 200);
    assert.equal(row.alias, 'gpt');
    assert.equal(row.operation, 'chat');
    assert.equal(row.provider, 'backup');
    assert.equal(row.model, 'claude-x');
    assert.equal(row.failovers, 1);
    assert.equal(row.attempts.length, 2);
    const [first, second] = row.attempts;
    assert.deepEqual([first.provider, first.outcome, first.status], ['primary', 'server', 500]);
    assert.deepEqual([second.provider, second.outcome, second.status, second.translated], ['backup', 'ok', 200, true]);
    assert.ok(second.start_us >= first.start_us + first.duration_us, 'the second attempt started after the first ended');
    assert.ok(row.duration_us >= second.start_us + second.duration_us);
    assert.ok(row.usage.output_tokens >= 6);
    assert.match(row.key_hash, /^sha256:[0-9a-f]{16}$/);
    assert.ok(!JSON.stringify(row).includes(CLIENT), 'the client key is never stored');
  });

  test('captured bodies have their secrets redacted', async () => {
    const secret = 'sk-live-abcdefghijklmnopqrstuvwxyz0123';
    const res = await katara.chat(hi('gpt', { messages: [{ role: 'user', content: `my key is ${secret}` }] }),
                                  { ...auth(CLIENT), 'x-request-id': 'obs-capture-1' });
    await res.json();
    const row = await rowOf('obs-capture-1');
    assert.match(row.request_body, /my key is sk-\[REDACTED\]/);
    assert.ok(!row.request_body.includes(secret));
    assert.match(row.response_body, /"choices"/);
  });

  test('bad input gets its row too: malformed body, unknown model, wrong key, unknown path', async () => {
    const cases = [
      { id: 'obs-bad-json', send: () => katara.chat('{"model": ', { ...auth(CLIENT), 'x-request-id': 'obs-bad-json' }), status: 400 },
      { id: 'obs-unknown', send: () => katara.chat(hi('no-such-model'), { ...auth(CLIENT), 'x-request-id': 'obs-unknown' }), status: 404 },
      { id: 'obs-wrong-key', send: () => katara.chat(hi('gpt'), { ...auth('nope'), 'x-request-id': 'obs-wrong-key' }), status: 401 },
      { id: 'obs-no-path', send: () => fetch(`${katara.base}/v2/whatever`, { headers: { 'x-request-id': 'obs-no-path' } }), status: 404 },
    ];
    const before = await scrape();
    for (const c of cases) {
      const res = await c.send();
      assert.equal(res.status, c.status, c.id);
      await res.text();
    }
    for (const c of cases) {
      const row = await rowOf(c.id);
      assert.equal(row.status, c.status, c.id);
      assert.ok(row.error.length > 0, `${c.id} keeps the error it was answered`);
      assert.equal(row.attempts.length, 0);
    }
    assert.equal((await rowOf('obs-unknown')).alias, 'no-such-model', 'the log keeps what was asked');
    const after = await scrape();
    assert.equal(sample(after, 'katara_requests_total', { status_class: '4xx' }) - sample(before, 'katara_requests_total', { status_class: '4xx' }), 4);
    assert.ok(!after.some((s) => s.labels.alias === 'no-such-model'), 'metric labels stay bounded: unknown names are not labels');
  });

  test('a body over the limit is refused before any handler, and still gets its row', async () => {
    const before = (await (await admin('/admin/requests?status=413')).json()).data.length;
    const res = await katara.chat(hi('gpt', { padding: 'x'.repeat(70000) }), auth(CLIENT));
    assert.equal(res.status, 413);
    await res.text();
    let rows = [];
    for (let i = 0; i < 100 && rows.length <= before; ++i) {
      await sleep(20);
      rows = (await (await admin('/admin/requests?status=413')).json()).data;
    }
    assert.equal(rows.length, before + 1);
    assert.equal(rows[0].path, '/v1/chat/completions');
    assert.equal(rows[0].method, 'POST');
    assert.match(rows[0].error, /larger than the limit/);
  });

  test('/admin/requests filters and pages', async () => {
    for (let i = 0; i < 5; ++i) await (await katara.chat(hi('gpt'), { ...auth(CLIENT), 'x-request-id': `obs-page-${i}` })).json();
    await rowOf('obs-page-4');
    const page1 = await (await admin('/admin/requests?alias=gpt&status=2xx&limit=3')).json();
    assert.equal(page1.data.length, 3);
    assert.equal(page1.data[0].id, 'obs-page-4', 'newest first');
    assert.ok(page1.next_cursor);
    const page2 = await (await admin(`/admin/requests?alias=gpt&status=2xx&limit=3&cursor=${page1.next_cursor}`)).json();
    assert.equal(page2.data[0].id, 'obs-page-1');
    for (const r of [...page1.data, ...page2.data]) assert.equal(r.status, 200);
    const byKey = await (await admin(`/admin/requests?key=${CLIENT}&since=1h&limit=500`)).json();
    assert.ok(byKey.data.some((r) => r.id === 'obs-page-3'), 'a raw key filters by its hash');
    const byProvider = await (await admin('/admin/requests?provider=backup&limit=500')).json();
    assert.ok(byProvider.data.some((r) => r.id === 'obs-failover-1' || r.provider === 'backup'));
    assert.ok(byProvider.data.every((r) => r.attempts.some((a) => a.provider === 'backup')));
    const errors = await (await admin('/admin/requests?status=404')).json();
    assert.ok(errors.data.length >= 1 && errors.data.every((r) => r.status === 404));
  });

  test('/admin/stats gives each provider and model its figures over a window, and a series per step', async () => {
    for (let i = 0; i < 3; ++i) await (await katara.chat(hi('gpt', { stream: true }), auth(CLIENT))).text();
    await sleep(100);
    const stats = await (await admin('/admin/stats?window=10m&step=30s')).json();
    const primary = stats.targets.find((t) => t.provider === 'primary' && t.model === 'm1');
    assert.ok(primary.attempts >= 3);
    assert.ok(primary.latency_p50_ms > 0 && primary.latency_p95_ms >= primary.latency_p50_ms);
    assert.ok(primary.ttft_p50_ms > 0);
    assert.ok(primary.output_tokens > 0);
    assert.ok(primary.series.length >= 1);
    assert.equal(primary.series.reduce((n, p) => n + p.attempts, 0), primary.attempts);
    assert.ok(stats.totals.requests >= primary.served);
    assert.ok(Array.isArray(stats.traffic));
  });

  test('every metric the Grafana dashboard queries is one /metrics exposes', async () => {
    const dashboard = JSON.parse(readFileSync(path.resolve('deploy/grafana/katara.json'), 'utf8'));
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    assert.ok(exprs.length >= 20);
    // Metric names: what is left once the label matchers and `by (...)` groupings are gone.
    const names = (e) => e.replace(/by \([^)]*\)/g, '').replace(/\w+=~?"[^"]*"/g, '');
    const used = new Set(exprs.flatMap((e) => [...names(e).matchAll(/\b((?:katara|gen_ai)_[a-z_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, ''))));
    assert.ok(used.size >= 15, [...used].join(' '));
    const text = await (await fetch(`${katara.base}/metrics`)).text();
    const exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    assert.deepEqual([...used].filter((name) => !exposed.has(name)), []);
  });

  test('the admin API wants the admin key, and says what is wrong with a query', async () => {
    assert.equal((await fetch(`${katara.base}/admin/requests`)).status, 401);
    assert.equal((await admin('/admin/requests', CLIENT)).status, 401, 'a client key is not an admin key');
    assert.equal((await admin('/admin/health')).status, 200);
    for (const q of ['status=9xx', 'limit=0', 'since=yesterday', 'colour=blue']) {
      const res = await admin(`/admin/requests?${q}`);
      assert.equal(res.status, 400, q);
      assert.ok((await res.json()).error.message.length > 0);
    }
    assert.equal((await admin('/admin/stats?window=1h&since=5m')).status, 400);
    assert.equal((await admin('/admin/requests/does-not-exist')).status, 404);
  });

  test('a graceful stop writes every queued row; a restart finds them all', async () => {
    // A flush interval longer than the test: every row is still queued when the stop comes.
    await katara.stop();
    katara = await startKatara(config(sim, path.join(dbDir, 'log.db'), 60000));
    const n = 150;
    const ids = Array.from({ length: n }, (_, i) => `obs-stop-${i}`);
    await Promise.all(ids.map(async (id) => {
      const res = await katara.chat(hi('gpt'), { ...auth(CLIENT), 'x-request-id': id });
      assert.equal(res.status, 200);
      await res.json();
    }));
    await katara.stop();  // SIGTERM right after the last answer: rows may still be queued
    katara = await startKatara(config(sim, path.join(dbDir, 'log.db')));
    const seen = new Set();
    let cursor = null;
    do {
      const page = await (await admin(`/admin/requests?alias=gpt&limit=500${cursor ? `&cursor=${cursor}` : ''}`)).json();
      for (const r of page.data) seen.add(r.id);
      cursor = page.next_cursor;
    } while (cursor);
    assert.deepEqual(ids.filter((id) => !seen.has(id)), [], 'no row is lost');
  });
});

describe('the request log under a crash and under overload', () => {
  let sim, katara, dir;
  const yaml = (db, extra = '') => `
store: { sqlite: ${db}, flush_interval_ms: 100${extra} }
providers:
  p: { kind: openai, base_url: ${sim.url('p')}, api_key: k }
models:
  m: { targets: [ { provider: p, model: m1 } ] }
`;
  async function allIds() {
    const seen = new Set();
    let cursor = null;
    do {
      const page = await (await fetch(`${katara.base}/admin/requests?limit=500${cursor ? `&cursor=${cursor}` : ''}`)).json();
      for (const r of page.data) seen.add(r.id);
      cursor = page.next_cursor;
    } while (cursor);
    return seen;
  }
  async function send(prefix, n) {
    const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    for (const id of ids) await (await katara.chat(hi('m'), { 'x-request-id': id })).json();
    return ids;
  }
  before(async () => {
    sim = await startSim({ p: { models: { m1: quick } } });
    dir = mkdtempSync(path.join(os.tmpdir(), 'katara-crash-'));
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });

  test('a crash loses nothing older than the flush interval', async () => {
    const db = path.join(dir, 'crash.db');
    katara = await startKatara(yaml(db));
    const ids = await send('crash', 40);
    await sleep(500);  // five flush intervals
    katara.proc.kill('SIGKILL');
    await katara.exited;
    katara = await startKatara(yaml(db));
    const seen = await allIds();
    assert.deepEqual(ids.filter((id) => !seen.has(id)), []);
    await katara.stop();
  });

  // Another process holds the database's write lock: Katara's writes fail (after SQLite's busy
  // wait) and its queue of five fills at once.
  function lockDatabase(db) {
    const locker = spawn('python3', ['-c', `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
`, db], { stdio: ['pipe', 'pipe', 'inherit'] });
    return {
      locked: new Promise((resolve) => locker.stdout.once('data', resolve)),
      async release() {
        locker.stdin.end();
        await new Promise((resolve) => locker.on('exit', resolve));
      },
    };
  }
  async function journalRows(min) {
    let metrics = '';
    for (let i = 0; i < 100; ++i) {
      metrics = await (await fetch(`${katara.base}/metrics`)).text();
      if (Number(/katara_store_journal_rows (\d+)/.exec(metrics)?.[1]) >= min) break;
      await sleep(100);
    }
    return { spilled: Number(/katara_store_rows_spilled_total (\d+)/.exec(metrics)[1]), journaled: Number(/katara_store_journal_rows (\d+)/.exec(metrics)[1]) };
  }

  // A Katara with a queue of five rows whose database another process has just locked.
  async function startLocked(db) {
    katara = await startKatara(yaml(db, ', queue_rows: 5'));
    await send('warm', 1);
    await sleep(300);
    const lock = lockDatabase(db);
    await lock.locked;
    return lock;
  }

  test('a locked database spills rows to the journal, which goes back into the store once it is free', async () => {
    const db = path.join(dir, 'locked.db');
    const lock = await startLocked(db);
    const ids = await send('locked', 30);
    const { spilled, journaled } = await journalRows(25);
    assert.ok(spilled >= 25, 'rows past the bound went to the journal');
    assert.ok(journaled >= 25);
    assert.ok(existsSync(`${db}.journal`));
    await lock.release();
    await send('after', 1);  // a write that goes through: the store is back
    let seen = new Set();
    // The journal thread writes the rows, then removes the journal.
    for (let i = 0; i < 100 && (ids.some((id) => !seen.has(id)) || existsSync(`${db}.journal`)); ++i) {
      await sleep(100);
      seen = await allIds();
    }
    assert.deepEqual(ids.filter((id) => !seen.has(id)), [], 'every row is in the store, without a restart');
    assert.ok(!existsSync(`${db}.journal`), 'a replayed journal is removed');
    assert.equal((await journalRows(0)).journaled, 0);
    await katara.stop();
  });

  test('a journal left by a crash is replayed at the next start', async () => {
    const db = path.join(dir, 'crashed-locked.db');
    const lock = await startLocked(db);
    const ids = await send('journaled', 20);
    await journalRows(15);
    katara.proc.kill('SIGKILL');  // what was journaled survives; what was queued is lost
    await katara.exited;
    await lock.release();
    assert.ok(existsSync(`${db}.journal`));
    katara = await startKatara(yaml(db, ', queue_rows: 5'));
    assert.match(katara.output(), /replayed \d+ rows/);
    const seen = await allIds();
    const missing = ids.filter((id) => !seen.has(id));
    assert.ok(missing.length <= 5, `at most the queue (5 rows) is lost to the crash; lost ${missing.length}`);
    assert.ok(!existsSync(`${db}.journal`));
  });
});

describe('observability on a separate admin listener', () => {
  let sim, katara, adminPort;
  before(async () => {
    sim = await startSim({ p: { models: { m1: quick } } });
    adminPort = await freePort();
    katara = await startKatara(`
admin: { listen: 127.0.0.1:${adminPort} }
store: { enabled: false }
providers:
  p: { kind: openai, base_url: ${sim.url('p')}, api_key: k }
models:
  m: { targets: [ { provider: p, model: m1 } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });

  test('/metrics, /admin and /ui move to admin.listen and leave the API port', async () => {
    const adminBase = `http://127.0.0.1:${adminPort}`;
    assert.equal((await fetch(`${adminBase}/metrics`)).status, 200);
    assert.equal((await fetch(`${adminBase}/admin/health`)).status, 200, 'no keys anywhere: open');
    assert.equal((await fetch(`${adminBase}/ui/`)).status, 200);
    const res = await fetch(`${katara.base}/metrics`);
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, 'unknown_url');
  });

  test('with the request log off, metrics go on and the log\'s queries say it is off', async () => {
    const adminBase = `http://127.0.0.1:${adminPort}`;
    await (await katara.chat(hi('m'))).json();
    // The worker records a request just after its last byte; this scrape runs on another thread.
    const counted = /katara_requests_total\{operation="chat",alias="m",provider="p",model="m1",status_class="2xx"\} 1/;
    let metrics = '';
    for (let i = 0; i < 50 && !counted.test(metrics); ++i) {
      if (i) await sleep(10);
      metrics = await (await fetch(`${adminBase}/metrics`)).text();
    }
    assert.match(metrics, counted);
    assert.doesNotMatch(metrics, /katara_store_/);
    for (const p of ['/admin/requests', '/admin/requests/x', '/admin/stats']) {
      const res = await fetch(`${adminBase}${p}`);
      assert.equal(res.status, 503, p);
      assert.equal((await res.json()).error.code, 'log_disabled');
    }
  });
});

describe('tracing over OTLP/HTTP', () => {
  let sim, katara, receiver, received;
  before(async () => {
    sim = await startSim({ primary: { models: { m1: quick } }, backup: { models: { m2: quick } } });
    // A local OTLP/HTTP receiver: it keeps every body posted to /v1/traces.
    received = [];
    const { createServer } = await import('node:http');
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ path: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const port = await freePort();
    await new Promise((r) => receiver.listen(port, '127.0.0.1', r));
    katara = await startKatara(`
tracing: { otlp_endpoint: http://127.0.0.1:${port}, service_name: katara-test }
providers:
  primary: { kind: openai, base_url: ${sim.url('primary')}, api_key: k }
  backup:  { kind: openai, base_url: ${sim.url('backup')}, api_key: k }
models:
  gpt: { targets: [ { provider: primary, model: m1 }, { provider: backup, model: m2 } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
    receiver?.close();
  });

  const spansOf = () => received.flatMap((r) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
  const attrs = (span) => Object.fromEntries(span.attributes.map((a) => [a.key, Object.values(a.value)[0]]));

  test('a request is one trace: a server span, and a client span per attempt with GenAI attributes', async () => {
    await sim.faults('primary', { fail_next: 1, error_statuses: [503] });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await katara.chat(hi('gpt'), { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': 'traced-1' });
    assert.equal(res.status, 200);
    await res.json();
    let spans = [];
    for (let i = 0; i < 100 && spans.length < 3; ++i) {
      await sleep(50);
      spans = spansOf().filter((s) => s.traceId === traceId);
    }
    assert.equal(received[0].path, '/v1/traces');
    assert.equal(received[0].type, 'application/json');
    assert.equal(attrs({ attributes: received[0].body.resourceSpans[0].resource.attributes })['service.name'], 'katara-test');
    assert.equal(spans.length, 3, 'the request and its two attempts');
    const root = spans.find((s) => s.kind === 2);
    assert.equal(root.parentSpanId, '00f067aa0ba902b7', 'joins the caller\'s trace');
    assert.equal(root.name, 'chat gpt');
    assert.equal(attrs(root)['katara.request_id'], 'traced-1');
    assert.equal(attrs(root)['gen_ai.response.model'], 'm2');
    const attempts = spans.filter((s) => s.kind === 3).sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));
    assert.equal(attempts.length, 2);
    for (const a of attempts) assert.equal(a.parentSpanId, root.spanId);
    const [failed, served] = attempts.map(attrs);
    assert.equal(failed['gen_ai.operation.name'], 'chat');
    assert.equal(failed['gen_ai.provider.name'], 'openai');
    assert.equal(failed['gen_ai.request.model'], 'm1');
    assert.equal(failed['error.type'], 'overloaded');
    assert.equal(failed['http.response.status_code'], '503');
    assert.equal(attempts[0].status.code, 2);
    assert.equal(served['gen_ai.request.model'], 'm2');
    assert.ok(Number(served['gen_ai.usage.output_tokens']) >= 6);
    assert.ok(BigInt(attempts[1].startTimeUnixNano) >= BigInt(attempts[0].endTimeUnixNano));
    assert.ok(BigInt(root.endTimeUnixNano) >= BigInt(attempts[1].endTimeUnixNano));
    const metrics = await (await fetch(`${katara.base}/metrics`)).text();
    assert.ok(Number(/katara_traces_exported_total (\d+)/.exec(metrics)[1]) >= 1);
    assert.match(metrics, /katara_traces_dropped_total 0/);
  });

  test('without a traceparent each request starts a trace of its own', async () => {
    const before = new Set(spansOf().map((s) => s.traceId));
    await (await katara.chat(hi('gpt'), { 'x-request-id': 'traced-2' })).json();
    let root;
    for (let i = 0; i < 100 && !root; ++i) {
      await sleep(50);
      root = spansOf().find((s) => s.kind === 2 && attrs(s)['katara.request_id'] === 'traced-2');
    }
    assert.ok(root);
    assert.match(root.traceId, /^[0-9a-f]{32}$/);
    assert.ok(!before.has(root.traceId));
    assert.equal(root.parentSpanId, undefined);
  });
});

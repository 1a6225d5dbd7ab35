// Circuits: a failing target is skipped, not hammered, and used again soon after it heals;
// a 429's Retry-After keeps it out until then; an unreachable host closes off all its models;
// the caller's own mistakes never count. Read back from the simulator's log and /admin/health.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { hi, sleep, startKatara, startSim } from '../lib/harness.mjs';

const quick = { ttft_ms: 1, tokens_per_second: 2000, answer_tokens: 3 };
const OPEN_MS = 200, MAX_OPEN_MS = 800;

describe('circuits', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({
      primary: { models: { 'p-1': quick, 'p-2': quick, 'p-3': quick, 'p-4': quick } },
      backup: { models: { 'b-1': quick } },
    });
    katara = await startKatara(`
circuit: { consecutive_failures: 3, failure_ratio: 0.5, min_samples: 10, window_ms: 10000, open_ms: ${OPEN_MS}, max_open_ms: ${MAX_OPEN_MS} }
providers:
  primary: { kind: openai, base_url: ${sim.url('primary')} }
  backup:  { kind: openai, base_url: ${sim.url('backup')} }
models:
  m:  { targets: [ { provider: primary, model: p-1 }, { provider: backup, model: b-1 } ] }
  m2: { targets: [ { provider: primary, model: p-2 } ] }
  m3: { targets: [ { provider: primary, model: p-3 }, { provider: backup, model: b-1 } ] }
  m4: { targets: [ { provider: primary, model: p-4 } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  // Each test starts from healthy circuits: a fresh route for the primary costs a success.
  beforeEach(async () => {
    await sim.reset();
    await sleep(MAX_OPEN_MS + 50);
    for (const model of ['m', 'm2']) await katara.chat(hi(model));
    await sim.reset();
  });
  const health = async () => (await fetch(`${katara.base}/admin/health`)).json();
  const targetHealth = async (provider, model) => (await health()).targets.find((t) => t.provider === provider && t.model === model).health;

  test('a dead target is skipped while open, probed once per open period, and used again soon after it heals', async () => {
    await sim.faults('primary', { error_rate: 1, error_statuses: [503] });
    const started = Date.now();
    let served_by_backup = 0;
    while (Date.now() - started < 1500) {
      const res = await katara.chat(hi('m'));
      assert.equal(res.status, 200);
      served_by_backup += res.headers.get('x-katara-provider') === 'backup';
      await res.text();
      await sleep(20);
    }
    const during = (await sim.log({ provider: 'primary' })).map((e) => e.at_ms);
    assert.ok(served_by_backup > 20, `${served_by_backup} answers`);
    // Three failures open the circuit; after that only one trial per open period (which doubles).
    assert.ok(during.length <= 3 + 4, `primary saw ${during.length} requests in 1.5 s`);
    for (let i = 3; i < during.length; ++i) {
      assert.ok(during[i] - during[i - 1] >= OPEN_MS - 20, `trial ${i} came ${during[i] - during[i - 1]} ms after the last`);
    }
    const h = await targetHealth('primary', 'p-1');
    assert.ok(['open', 'half_open'].includes(h.circuit), h.circuit);
    assert.match(h.last_error, /^overloaded: HTTP 503/);
    assert.ok(h.times_opened >= 1);

    await sim.faults('primary', { error_rate: 0 });
    const healed = Date.now();
    let back = null;
    while (Date.now() - healed < 5 * MAX_OPEN_MS) {
      const res = await katara.chat(hi('m'));
      await res.text();
      if (res.headers.get('x-katara-provider') === 'primary') {
        back = Date.now() - healed;
        break;
      }
      await sleep(20);
    }
    // At most one open period (≤ max_open_ms) after healing, with room for a slow machine.
    assert.ok(back !== null && back <= 3 * MAX_OPEN_MS, `the healed primary served again after ${back} ms`);
    assert.equal((await targetHealth('primary', 'p-1')).circuit, 'closed');
  });

  test("a 429's Retry-After keeps the target out until then, and only then is it tried again", async () => {
    await sim.faults('primary', { rate_limit_rate: 1, retry_after_s: 1 });
    const first = await katara.chat(hi('m'));
    assert.equal(first.headers.get('x-katara-provider'), 'backup');
    await sim.faults('primary', { rate_limit_rate: 0 });
    for (let i = 0; i < 10; ++i) {
      const res = await katara.chat(hi('m'));
      assert.equal(res.headers.get('x-katara-provider'), 'backup');
      await res.text();
      await sleep(40);
    }
    assert.equal((await sim.log({ provider: 'primary' })).length, 1, 'nothing reached the rate-limited target');
    await sleep(1000 - 400 + 100);
    const later = await katara.chat(hi('m'));
    assert.equal(later.headers.get('x-katara-provider'), 'primary');
  });

  test("an unreachable host opens the provider's circuit for all its models, and the 503 says when to retry", async () => {
    await sim.faults('primary', { refuse: true });
    // Targets of their own (p-3, p-4): the earlier tests' failures are still in p-1's window.
    for (let i = 0; i < 3; ++i) assert.equal((await katara.chat(hi('m3'))).headers.get('x-katara-provider'), 'backup');
    const res = await katara.chat(hi('m4'));  // another model of the same provider: not even connected to
    assert.equal(res.status, 503, await res.clone().text());
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    const err = (await res.json()).error;
    assert.equal(err.code, 'upstream_unavailable');
    assert.match(err.message, /primary\/p-4: circuit_open \(provider circuit open for \d+ ms more; last error: connect/);
    const provider = (await health()).providers.find((p) => p.name === 'primary');
    assert.equal(provider.health.circuit, 'open');
  });

  test("the caller's own 4xx never opens a circuit", async () => {
    await sim.faults('primary', { error_rate: 1, error_statuses: [400] });
    for (let i = 0; i < 6; ++i) assert.equal((await katara.chat(hi('m'))).status, 400);
    await sim.faults('primary', { error_rate: 0 });
    const res = await katara.chat(hi('m'));
    assert.equal(res.headers.get('x-katara-provider'), 'primary');
    assert.equal((await targetHealth('primary', 'p-1')).circuit, 'closed');
  });

  test('/admin/health lists every provider and target with its statistics', async () => {
    const body = await health();
    assert.deepEqual(body.providers.map((p) => p.name), ['backup', 'primary']);
    assert.deepEqual(body.targets.map((t) => `${t.provider}/${t.model}`), ['backup/b-1', 'primary/p-1', 'primary/p-2', 'primary/p-3', 'primary/p-4']);
    const h = body.targets.find((t) => t.model === 'p-1').health;
    for (const key of ['circuit', 'window', 'total', 'consecutive_failures', 'latency_ewma_ms', 'ttft_ewma_ms', 'last_error', 'times_opened']) {
      assert.ok(key in h, key);
    }
    assert.ok(h.total.attempts >= 1);
    assert.ok(h.latency_ewma_ms > 0);
  });
});

describe('active probes', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({ primary: { models: { 'p-1': quick } }, backup: { models: { 'b-1': quick } } });
    katara = await startKatara(`
circuit: { consecutive_failures: 3, open_ms: 200, max_open_ms: 400 }
providers:
  primary: { kind: openai, base_url: ${sim.url('primary')}, probe_interval_ms: 100 }
  backup:  { kind: openai, base_url: ${sim.url('backup')} }
models:
  m: { targets: [ { provider: primary, model: p-1 }, { provider: backup, model: b-1 } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });

  test('probes, not user requests, take the trials, and close the circuit once the target heals', async () => {
    await sim.faults('primary', { error_rate: 1, error_statuses: [500] });
    for (let i = 0; i < 3; ++i) await (await katara.chat(hi('m'))).text();
    const isProbe = (e) => e.request?.max_tokens === 1 && e.request?.messages?.[0]?.content === 'ping';
    // While it is down: user traffic keeps coming and never reaches it; probes do, one per period.
    const t0 = Date.now();
    while (Date.now() - t0 < 1000) {
      assert.equal((await katara.chat(hi('m'))).headers.get('x-katara-provider'), 'backup');
      await sleep(25);
    }
    let log = await sim.log({ provider: 'primary' });
    assert.equal(log.filter((e) => !isProbe(e)).length, 3, 'only the three failures that opened the circuit');
    assert.ok(log.filter(isProbe).length >= 2, `${log.filter(isProbe).length} probes`);

    await sim.faults('primary', { error_rate: 0 });
    let closed = false;
    for (let i = 0; i < 40 && !closed; ++i) {
      await sleep(50);
      const h = (await (await fetch(`${katara.base}/admin/health`)).json()).targets.find((t) => t.provider === 'primary').health;
      closed = h.circuit === 'closed';
    }
    assert.ok(closed, 'a probe closed the circuit without any user request');
    log = await sim.log({ provider: 'primary' });
    assert.equal(log.filter((e) => !isProbe(e)).length, 3);
    assert.equal((await katara.chat(hi('m'))).headers.get('x-katara-provider'), 'primary');
  });
});

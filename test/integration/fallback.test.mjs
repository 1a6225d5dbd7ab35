// The fallback rules of strategy `fallback`, against real processes.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { freePort, hi, startKatara, startSim } from '../lib/harness.mjs';

const quick = { ttft_ms: 1, tokens_per_second: 2000, answer_tokens: 4 };

describe('fallback', () => {
  let sim, katara, deadPort;
  before(async () => {
    sim = await startSim({ first: { models: { m1: quick } }, second: { models: { m2: quick } } });
    deadPort = await freePort();
    katara = await startKatara(`
providers:
  nokey:  { kind: openai, base_url: ${sim.url('first')}, api_key: "\${KATARA_TEST_NEVER_SET}" }
  dead:   { kind: openai, base_url: http://127.0.0.1:${deadPort}/v1, api_key: k }
  first:  { kind: openai, base_url: ${sim.url('first')}, api_key: k, timeouts: { first_byte_ms: 300 } }
  second: { kind: openai, base_url: ${sim.url('second')}, api_key: k }
  first-streams: { kind: openai, base_url: ${sim.url('first')}, api_key: k, timeouts: { first_token_ms: 300 } }
models:
  stream-pair:
    targets: [ { provider: first-streams, model: m1 }, { provider: second, model: m2 } ]
  pair:
    targets: [ { provider: first, model: m1 }, { provider: second, model: m2 } ]
  with-dead:
    targets: [ { provider: nokey, model: m1 }, { provider: dead, model: x }, { provider: second, model: m2 } ]
  only-first:
    targets: [ { provider: first, model: m1 } ]
  slow-route:
    timeouts: { total_ms: 250 }
    targets: [ { provider: first, model: m1 }, { provider: second, model: m2 } ]
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  beforeEach(async () => sim.reset());

  async function servedBy(model, body = {}) {
    const res = await katara.chat(hi(model, body));
    const json = await res.json();
    return { res, json, provider: res.headers.get('x-katara-provider'), attempts: res.headers.get('x-katara-attempts') };
  }

  test('a healthy first target answers, with the headers naming it', async () => {
    const { res, json, provider, attempts } = await servedBy('pair');
    assert.equal(res.status, 200);
    assert.equal(provider, 'first');
    assert.equal(res.headers.get('x-katara-model'), 'm1');
    assert.equal(attempts, '1');
    assert.equal(json.model, 'm1', 'the body names the model that answered');
    assert.match(res.headers.get('x-request-id'), /^req_/);
  });

  test('the client x-request-id is kept', async () => {
    const res = await katara.chat(hi('pair'), { 'x-request-id': 'my-trace-42' });
    assert.equal(res.headers.get('x-request-id'), 'my-trace-42');
  });

  test('a disabled provider is skipped and a refused connection fails over', async () => {
    const { res, provider, attempts } = await servedBy('with-dead');
    assert.equal(res.status, 200);
    assert.equal(provider, 'second');
    assert.equal(attempts, '2', 'the disabled provider is not an attempt; the refused one is');
  });

  for (const [name, faults] of [
    ['HTTP 500', { error_rate: 1, error_statuses: [500] }],
    ['HTTP 503', { error_rate: 1, error_statuses: [503] }],
    ['HTTP 429 with Retry-After', { rate_limit_rate: 1, retry_after_s: 30 }],
    ['a reset before headers', { reset_rate: 1 }],
    ['no response at all (first-byte timeout)', { hang_rate: 1 }],
    ['an outage window', { outage: { start_s: 0, duration_s: 3600, mode: 'error' } }],
  ]) {
    test(`fails over on ${name}`, async () => {
      await sim.faults('first', faults);
      const { res, provider, attempts } = await servedBy('pair');
      assert.equal(res.status, 200);
      assert.equal(provider, 'second');
      assert.equal(attempts, '2');
      assert.equal((await sim.log({ provider: 'first' })).length, 1, 'the failing target was tried exactly once');
    });
  }

  test('fails over when the provider refuses connections', async () => {
    await sim.faults('first', { refuse: true });
    const { res, provider } = await servedBy('pair');
    assert.equal(res.status, 200);
    assert.equal(provider, 'second');
  });

  test("the caller's own 4xx is returned as the upstream sent it, not failed over", async () => {
    await sim.faults('first', { error_rate: 1, error_statuses: [400] });
    const { res, json } = await servedBy('pair');
    assert.equal(res.status, 400);
    assert.equal(json.error.code, 'simulated_error');
    assert.equal(res.headers.get('x-katara-provider'), 'first');
    assert.equal((await sim.log({ provider: 'second' })).length, 0, 'the next target was not tried');
  });

  test('when every target fails, a 502 summarises each attempt', async () => {
    await sim.faults('first', { error_rate: 1, error_statuses: [500] });
    await sim.faults('second', { reset_rate: 1 });
    const { res, json } = await servedBy('pair');
    assert.equal(res.status, 502);
    assert.equal(json.error.type, 'server_error');
    assert.match(json.error.message, /first\/m1: server \(HTTP 500/);
    assert.match(json.error.message, /second\/m2: connect/);
  });

  test('a lone target that times out gives 504', async () => {
    await sim.faults('first', { hang_rate: 1 });
    const { res, json } = await servedBy('only-first');
    assert.equal(res.status, 504);
    assert.match(json.error.message, /timed out after 300 ms/);
  });

  test('a stream whose headers came but whose first token does not fails over after first_token_ms', async () => {
    await sim.faults('first', { slow_first_token_ms: 5000 });
    const t0 = Date.now();
    const res = await katara.chat(hi('stream-pair', { stream: true }));
    const text = await res.text();
    const took = Date.now() - t0;
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-katara-provider'), 'second');
    assert.equal(res.headers.get('x-katara-attempts'), '2');
    assert.match(text, /data: \[DONE\]/);
    assert.ok(took < 3000, `failed over long before the 5 s token (${took} ms)`);
    const first = (await sim.log({ provider: 'first' })).at(-1);
    assert.equal(first.tokens_sent, 0);
  });

  test('the route total deadline bounds every attempt together', async () => {
    await sim.faults('first', { slow_first_token_ms: 5000 });
    const t0 = Date.now();
    const { res } = await servedBy('slow-route');
    const took = Date.now() - t0;
    assert.equal(res.status, 504);
    assert.ok(took < 2000, `answered within the deadline's order of magnitude (${took} ms)`);
  });

  test('rate limited everywhere gives 503', async () => {
    await sim.faults('first', { rate_limit_rate: 1 });
    await sim.faults('second', { rate_limit_rate: 1 });
    const { res } = await servedBy('pair');
    assert.equal(res.status, 503);
  });
});

describe('connect timeout', () => {
  test('a provider whose listen queue is full (SYNs dropped) is failed over after connect_ms', async (t) => {
    // A listener that never accepts, its backlog filled: further connects hang in SYN-SENT.
    const { spawn } = await import('node:child_process');
    const net = await import('node:net');
    const port = await freePort();
    const blackhole = spawn('python3', ['-c', `
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', ${port})); s.listen(0); print('ready', flush=True); time.sleep(120)`]);
    await new Promise((r) => blackhole.stdout.once('data', r));
    const fillers = [];
    for (let i = 0; i < 4; ++i) fillers.push(net.connect(port, '127.0.0.1').on('error', () => {}));
    await new Promise((r) => setTimeout(r, 200));
    const sim = await startSim({ ok: { models: { m: { ttft_ms: 1, answer_tokens: 2 } } } });
    const katara = await startKatara(`
providers:
  hole: { kind: openai, base_url: http://127.0.0.1:${port}/v1, api_key: k, timeouts: { connect_ms: 300 } }
  ok:   { kind: openai, base_url: ${sim.url('ok')}, api_key: k }
models:
  m: { targets: [ { provider: hole, model: x }, { provider: ok, model: m } ] }
  only-hole: { targets: [ { provider: hole, model: x } ] }
`);
    try {
      const res = await katara.chat(hi('m'));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-katara-provider'), 'ok');
      const alone = await katara.chat(hi('only-hole'));
      assert.equal(alone.status, 504);
      assert.match((await alone.json()).error.message, /connect to 127\.0\.0\.1:\d+ timed out after 300 ms/);
    } finally {
      fillers.forEach((s) => s.destroy());
      blackhole.kill();
      await katara.stop();
      await sim.stop();
    }
  });
});

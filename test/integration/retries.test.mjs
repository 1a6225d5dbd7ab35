// Retries on the same target: a transient failure (a single 500, a reset, a 429 whose
// Retry-After fits) is tried again when the route allows it; silence and persistent failures
// move on; the attempt budget bounds every request.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { hi, startKatara, startSim } from '../lib/harness.mjs';

const quick = { ttft_ms: 1, tokens_per_second: 2000, answer_tokens: 3 };

describe('retries', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({ one: { models: { a: quick } }, two: { models: { b: quick } } });
    katara = await startKatara(`
providers:
  one: { kind: openai, base_url: ${sim.url('one')}, timeouts: { first_byte_ms: 300 } }
  two: { kind: openai, base_url: ${sim.url('two')} }
models:
  retrying: { retry: { same_target: 1, backoff_ms: 20 }, targets: [ { provider: one, model: a }, { provider: two, model: b } ] }
  lone:     { retry: { same_target: 2, backoff_ms: 20 }, targets: [ { provider: one, model: a } ] }
  failover: { targets: [ { provider: one, model: a }, { provider: two, model: b } ] }
  budget:   { retry: { same_target: 2, backoff_ms: 10, max_attempts: 2 }, targets: [ { provider: one, model: a }, { provider: two, model: b } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  beforeEach(async () => sim.reset());
  const seen = async (provider) => (await sim.log({ provider })).map((e) => e.status || e.outcome);

  test('a single 500 is retried on the same target, which then answers', async () => {
    await sim.faults('one', { fail_next: 1, error_statuses: [500] });
    const res = await katara.chat(hi('retrying'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-katara-provider'), 'one');
    assert.equal(res.headers.get('x-katara-attempts'), '2');
    assert.deepEqual(await seen('one'), [500, 200]);
    assert.deepEqual(await seen('two'), []);
  });

  test('without retries the same 500 fails over at once', async () => {
    await sim.faults('one', { fail_next: 1, error_statuses: [500] });
    const res = await katara.chat(hi('failover'));
    assert.equal(res.headers.get('x-katara-provider'), 'two');
    assert.deepEqual(await seen('one'), [500]);
  });

  test('a persistent failure is retried at most same_target times, then moves on', async () => {
    await sim.faults('one', { error_rate: 1, error_statuses: [502] });
    const res = await katara.chat(hi('retrying'));
    assert.equal(res.headers.get('x-katara-provider'), 'two');
    assert.deepEqual(await seen('one'), [502, 502]);
    const lone = await katara.chat(hi('lone'));
    assert.equal(lone.status, 502);
    assert.equal(lone.headers.get('x-katara-attempts'), '3');
  });

  test('silence is never retried on the same target', async () => {
    await sim.faults('one', { hang_rate: 1 });
    const res = await katara.chat(hi('retrying'));
    assert.equal(res.headers.get('x-katara-provider'), 'two');
    assert.deepEqual(await seen('one'), ['hang']);
  });

  test('a reset before the headers is retried', async () => {
    await sim.faults('one', { reset_rate: 1 });
    const lone = await katara.chat(hi('lone'));
    assert.equal(lone.status, 502);
    assert.equal((await seen('one')).length, 3);
  });

  test("a 429 whose Retry-After fits is waited out on a lone target, then answered", async () => {
    await sim.faults('one', { rate_limit_rate: 1, retry_after_s: 1 });
    const t0 = Date.now();
    const pending = katara.chat(hi('lone'));
    setTimeout(() => sim.faults('one', { rate_limit_rate: 0 }), 300);
    const res = await pending;
    const took = Date.now() - t0;
    assert.equal(res.status, 200);
    assert.ok(took >= 900, `waited the second it was asked to (${took} ms)`);
    assert.deepEqual(await seen('one'), [429, 200]);
  });

  test('the attempt budget bounds the request across targets', async () => {
    await sim.faults('one', { error_rate: 1, error_statuses: [500] });
    const res = await katara.chat(hi('budget'));
    assert.equal(res.status, 502);
    assert.equal(res.headers.get('x-katara-attempts'), '2');
    assert.deepEqual(await seen('one'), [500, 500]);
    assert.deepEqual(await seen('two'), [], 'the budget of 2 was spent on the first target');
  });
});

// Every fault the simulator injects before an answer starts, against a route [primary, backup]:
// the client always gets the complete answer, from the backup, within a bound; each target saw
// exactly the attempts it should (read from the simulator's log).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { hi, readSse, startKatara, startSim } from '../lib/harness.mjs';

const model = { ttft_ms: 5, tokens_per_second: 1000, answer_tokens: 6, context_tokens: 1000 };
const expectedText = 'Katara routes every request to a';

describe('chaos: faults before the answer starts', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({ primary: { models: { p: model } }, backup: { models: { b: model } } });
    katara = await startKatara(`
providers:
  primary: { kind: openai, base_url: ${sim.url('primary')}, timeouts: { first_byte_ms: 400, first_token_ms: 400, idle_ms: 400 } }
  backup:  { kind: openai, base_url: ${sim.url('backup')} }
models:
  m: { retry: { same_target: 1, backoff_ms: 20 }, targets: [ { provider: primary, model: p }, { provider: backup, model: b } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  beforeEach(async () => sim.reset());

  // fault, what the primary's log shows, whether the request streams, and the wall-time bound.
  const cases = [
    ['429 with Retry-After (too long to wait with a backup left)', { rate_limit_rate: 1, retry_after_s: 30 }, ['rate_limited'], false, 2000],
    ['429 without a usable wait: retried once, then the backup', { rate_limit_rate: 1, retry_after_s: 0 }, ['rate_limited', 'rate_limited'], false, 2000],
    ['500 once: retried on the same target, which answers', { fail_next: 1, error_statuses: [500] }, ['error', 'ok'], false, 2000],
    ['503 persistent', { error_rate: 1, error_statuses: [503] }, ['error', 'error'], false, 2000],
    ['reset before the headers', { reset_rate: 1 }, ['reset', 'reset'], false, 2000],
    ['no response at all', { hang_rate: 1 }, ['hang'], false, 3000],
    ['a slow first token (streamed)', { slow_first_token_ms: 5000 }, ['client_gone'], true, 3000],
    ['a stream cut before its first token', { cut_after_tokens: 0 }, ['cut', 'cut'], true, 2000],
    ['a stream that stalls before its first token', { stall_after_tokens: 0 }, ['stall'], true, 3000],
    ['a malformed first event', { malformed_chunk_at: 0 }, ['malformed', 'malformed'], true, 2000],
  ];
  for (const [name, faults, primary_outcomes, stream, bound_ms] of cases) {
    test(name, async () => {
      await sim.faults('primary', faults);
      const t0 = Date.now();
      const res = await katara.chat(hi('m', stream ? { stream: true } : {}));
      let text;
      if (stream) {
        const events = await readSse(res);
        assert.equal(events.at(-1).data, '[DONE]');
        const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
        assert.ok(chunks.every((c) => !c.error), 'no in-band error');
        text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
      } else {
        text = (await res.json()).choices[0].message.content;
      }
      const took = Date.now() - t0;
      assert.equal(res.status, 200);
      assert.equal(text, expectedText, 'the complete answer');
      const answered_by_primary = primary_outcomes.at(-1) === 'ok';
      assert.equal(res.headers.get('x-katara-provider'), answered_by_primary ? 'primary' : 'backup');
      assert.ok(took < bound_ms, `${took} ms, bound ${bound_ms}`);
      // The primary's own log may still be settling for a request Katara abandoned.
      let outcomes;
      for (let i = 0; i < 20; ++i) {
        outcomes = (await sim.log({ provider: 'primary' })).map((e) => e.outcome);
        if (!outcomes.includes('in_progress') && !outcomes.includes('hang') || outcomes.join() === primary_outcomes.join()) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.deepEqual(outcomes, primary_outcomes);
      assert.equal((await sim.log({ provider: 'backup' })).length, answered_by_primary ? 0 : 1);
    });
  }

  test("a content-filter refusal reaches the client with its reason, and is not retried anywhere", async () => {
    await sim.faults('primary', { content_filter: true });
    const res = await katara.chat(hi('m'));
    assert.equal(res.status, 400);
    const err = (await res.json()).error;
    assert.equal(err.code, 'content_filter');
    assert.match(err.message, /content management policy/);
    assert.deepEqual((await sim.log({ provider: 'primary' })).map((e) => e.outcome), ['content_filter']);
    assert.equal((await sim.log({ provider: 'backup' })).length, 0);
  });

  test('a prompt longer than the context, with no larger route: the clean 400, no retry', async () => {
    const res = await katara.chat(hi('m', { messages: [{ role: 'user', content: 'word '.repeat(5000) }] }));
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, 'context_length_exceeded');
    assert.deepEqual((await sim.log({ provider: 'primary' })).map((e) => e.outcome), ['context_length']);
    assert.equal((await sim.log({ provider: 'backup' })).length, 0);
  });
});

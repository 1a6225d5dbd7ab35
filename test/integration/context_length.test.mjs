// A prompt too long for a target's context goes to the route's larger-context fallback route,
// without retrying the same model and without trying same-sized siblings; with no fallback the
// client gets the provider's error.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { hi, hiAnthropic, startKatara, startSim } from '../lib/harness.mjs';

const small = { ttft_ms: 1, tokens_per_second: 2000, answer_tokens: 3, context_tokens: 50 };
const big = { ttft_ms: 1, tokens_per_second: 2000, answer_tokens: 3, context_tokens: 100000 };
const long = 'word '.repeat(400);

describe('context length', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({ s: { models: { 'small-a': small, 'small-b': small } }, c: { models: { 'claude-small': small } }, b: { models: { large: big } } });
    katara = await startKatara(`
providers:
  s: { kind: openai, base_url: ${sim.url('s')} }
  c: { kind: anthropic, base_url: ${sim.root('c')} }
  b: { kind: openai, base_url: ${sim.url('b')} }
models:
  chat: { context_fallback: long-context, retry: { same_target: 2 }, targets: [ { provider: s, model: small-a }, { provider: c, model: claude-small }, { provider: s, model: small-b } ] }
  long-context: { targets: [ { provider: b, model: large } ] }
  small-only: { targets: [ { provider: s, model: small-a } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  beforeEach(async () => sim.reset());

  test('a long prompt goes to the larger-context route, once, and is answered there', async () => {
    const res = await katara.chat(hi('chat', { messages: [{ role: 'user', content: long }] }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-katara-provider'), 'b');
    assert.equal(res.headers.get('x-katara-model'), 'large');
    assert.equal(res.headers.get('x-katara-attempts'), '2');
    const small_seen = await sim.log({ provider: 's' });
    assert.deepEqual(small_seen.map((e) => [e.model, e.outcome]), [['small-a', 'context_length']], 'not retried, no same-sized sibling tried');
  });

  test('an Anthropic client and an Anthropic-format target: the same, in its own words', async () => {
    await sim.faults('s', { refuse: true });  // the first target is down: the Anthropic one says "too long"
    const res = await katara.messages(hiAnthropic('chat', { messages: [{ role: 'user', content: long }] }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-katara-provider'), 'b');
    assert.equal((await sim.log({ provider: 'c' }))[0].outcome, 'context_length');
  });

  test('short prompts stay on the first target', async () => {
    const res = await katara.chat(hi('chat'));
    assert.equal(res.headers.get('x-katara-provider'), 's');
  });

  test('without a fallback route the provider\'s context-length error reaches the client', async () => {
    const res = await katara.chat(hi('small-only', { messages: [{ role: 'user', content: long }] }));
    assert.equal(res.status, 400);
    const err = (await res.json()).error;
    assert.equal(err.code, 'context_length_exceeded');
    assert.match(err.message, /maximum context length is 50 tokens/);
  });

  test('a context_fallback naming no route is a configuration error', async () => {
    const { runKatara, tmpFile } = await import('../lib/harness.mjs');
    const out = await runKatara(['check', '--config', tmpFile('ctx.yaml', 'providers:\n  p: { kind: openai, base_url: http://127.0.0.1:9/v1 }\nmodels:\n  m: { context_fallback: nope, targets: [ { provider: p, model: x } ] }\n')]);
    assert.notEqual(out.code, 0);
    assert.match(out.out, /models\.m\.context_fallback: no model alias "nope"/);
  });
});

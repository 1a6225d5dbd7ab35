// SSE pass-through, stream endings, and client cancellation.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { hi, readSse, sleep, startKatara, startSim } from '../lib/harness.mjs';

describe('streaming', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({
      first: { models: { m1: { ttft_ms: 20, tokens_per_second: 20, answer_tokens: 10 } } },
      second: { models: { m2: { ttft_ms: 1, tokens_per_second: 1000, answer_tokens: 5 } } },
    });
    katara = await startKatara(`
providers:
  first:  { kind: openai, base_url: ${sim.url('first')}, api_key: k, timeouts: { idle_ms: 300 } }
  second: { kind: openai, base_url: ${sim.url('second')}, api_key: k }
models:
  pair:
    targets: [ { provider: first, model: m1 }, { provider: second, model: m2 } ]
  solo:
    targets: [ { provider: first, model: m1 } ]
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  beforeEach(async () => sim.reset());

  const stream = (extra = {}) => katara.chat(hi('pair', { stream: true, ...extra }));
  const json = (events) => events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data));

  test('events pass through as the upstream sends them, not buffered', async () => {
    const res = await stream();
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/event-stream/);
    assert.equal(res.headers.get('x-katara-provider'), 'first');
    const events = await readSse(res);
    // 10 tokens at 20/s: the answer takes ~450 ms after the first token.
    const first = events[0].at, last = events.at(-1).at;
    assert.ok(last - first >= 300, `first event at ${first} ms, last at ${last} ms: streamed, not batched`);
    assert.equal(events.at(-1).data, '[DONE]');
    const chunks = json(events);
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    assert.ok(chunks.every((c) => c.id === chunks[0].id), 'one id for every chunk');
    assert.ok(chunks.every((c) => c.usage === undefined), 'no usage without include_usage');
  });

  test('stream_options.include_usage adds the usage chunk before [DONE]', async () => {
    const events = await readSse(await stream({ stream_options: { include_usage: true } }));
    const chunks = json(events);
    const usage = chunks.at(-1);
    assert.deepEqual(usage.choices, []);
    assert.equal(usage.usage.completion_tokens, 10);
    assert.equal(usage.usage.total_tokens, usage.usage.prompt_tokens + 10);
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
  });

  test("a stream's speed goes into its target's health: tokens per second after the first", async () => {
    await readSse(await stream({ stream_options: { include_usage: true } }));
    const { targets } = await (await fetch(`${katara.base}/admin/health`)).json();
    const tps = targets.find((t) => t.model === 'm1').health.tokens_per_second_ewma;
    assert.ok(tps > 10 && tps < 30, `the simulator streams 20 tokens/s: ${tps}`);
    const { providers } = await (await fetch(`${katara.base}/admin/health`)).json();
    const provider = providers.find((p) => p.name === 'first').health;
    assert.ok(provider.tokens_per_second_ewma > 10 && provider.ttft_ewma_ms > 0, 'and into its provider\'s');
  });

  test('streaming is decided by the body, whatever Accept says', async () => {
    const res = await katara.chat(hi('pair', { stream: true }), { accept: 'application/json' });
    assert.match(res.headers.get('content-type'), /^text\/event-stream/);
    await readSse(res);
    const plain = await katara.chat(hi('pair'), { accept: 'text/event-stream' });
    assert.match(plain.headers.get('content-type'), /^application\/json/);
  });

  test('a stream that ends without [DONE] is finished cleanly', async () => {
    await sim.faults('first', { no_done: true });
    const events = await readSse(await stream());
    assert.equal(events.at(-1).data, '[DONE]');
    assert.equal(json(events).at(-1).choices[0].finish_reason, 'stop');
  });

  test('a server that lingers after its finish without [DONE] is ended promptly, usage included', async () => {
    await sim.faults('first', { no_done: true, hold_open_ms: 10000 });
    const t0 = Date.now();
    const events = await readSse(await stream({ stream_options: { include_usage: true } }));
    const took = Date.now() - t0;
    assert.equal(events.at(-1).data, '[DONE]');
    const chunks = json(events);
    assert.equal(chunks.at(-1).usage.completion_tokens, 10);
    assert.ok(chunks.every((c) => !c.error));
    assert.ok(took < 5000, `not the 10 s the server lingers (${took} ms)`);
  });

  test('a failure before the first event is invisible: the next target streams', async () => {
    await sim.faults('first', { cut_after_tokens: 0 });
    const res = await stream();
    assert.equal(res.headers.get('x-katara-provider'), 'second');
    assert.equal(res.headers.get('x-katara-attempts'), '2');
    const events = await readSse(res);
    assert.equal(events.at(-1).data, '[DONE]');
    assert.ok(json(events).every((c) => !c.error));
  });

  test('a malformed first event fails over before anything reaches the client', async () => {
    await sim.faults('first', { malformed_chunk_at: 0 });
    const res = await stream();
    assert.equal(res.headers.get('x-katara-provider'), 'second');
    await readSse(res);
  });

  for (const [name, faults, pattern] of [
    ['cut', { cut_after_tokens: 3 }, /broke off/],
    ['stalled past its idle timeout', { stall_after_tokens: 3 }, /timed out after 300 ms/],
  ]) {
    test(`a stream ${name} after the client got bytes, with no target left, ends with an in-band error and [DONE]`, async () => {
      await sim.faults('first', faults);
      const events = await readSse(await katara.chat(hi('solo', { stream: true })));
      assert.equal(events.at(-1).data, '[DONE]');
      const chunks = json(events);
      const error = chunks.at(-1).error;
      assert.ok(error, 'the last JSON event is an error');
      assert.equal(error.code, 'upstream_stream_error');
      assert.match(error.message, pattern);
      assert.equal(chunks.filter((c) => c.choices?.[0]?.delta?.content).length, 3, 'the three tokens sent came through');
    });
  }

  test('one malformed event mid-way is skipped and the rest of the stream delivered', async () => {
    await sim.faults('first', { malformed_chunk_at: 3 });
    const events = await readSse(await stream({ stream_options: { include_usage: true } }));
    assert.equal(events.at(-1).data, '[DONE]');
    const chunks = json(events);
    assert.ok(chunks.every((c) => !c.error), 'no error: the stream was otherwise sound');
    assert.equal(chunks.at(-1).usage.completion_tokens, 10, "the upstream's usage");
    assert.equal(chunks.filter((c) => c.choices?.[0]?.delta?.content).length, 9, 'every event but the malformed one');
  });

  test('a client that disconnects cancels its upstream request promptly', async () => {
    const ac = new AbortController();
    // Read two events, then go away.
    const ctl = await fetch(`${katara.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hi('pair', { stream: true, stream_options: { include_usage: true } })),
      signal: ac.signal,
    });
    const reader = ctl.body.getReader();
    await reader.read();
    await reader.read();
    const t0 = Date.now();
    ac.abort();
    let entry;
    for (let i = 0; i < 50; ++i) {
      await sleep(20);
      entry = (await sim.log({ provider: 'first' })).at(-1);
      if (entry.client_disconnected) break;
    }
    assert.equal(entry.client_disconnected, true, JSON.stringify(entry));
    assert.ok(entry.tokens_sent < 10, `stopped early (${entry.tokens_sent} tokens sent)`);
    assert.ok(Date.now() - t0 < 1000);
  });

  test('a client that disconnects while waiting for the first byte cancels the upstream too', async () => {
    await sim.faults('first', { hang_rate: 1 });
    const ac = new AbortController();
    const req = fetch(`${katara.base}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(hi('pair')), signal: ac.signal,
    }).catch(() => null);
    await sleep(100);
    const t0 = Date.now();
    ac.abort();
    await req;
    let entries;
    for (let i = 0; i < 50; ++i) {
      await sleep(20);
      entries = await sim.log({ provider: 'first' });
      if (entries.some((e) => e.client_disconnected)) break;
    }
    assert.ok(Date.now() - t0 < 1000, 'the hanging upstream request was closed, not left to time out');
    assert.ok(entries.some((e) => e.client_disconnected), JSON.stringify(entries));
  });
});

// Streams that survive their provider: a stream the client has begun receiving that is cut,
// stalls or turns malformed is carried on by the next target — with the partial answer as a
// prefill (Anthropic) or with an instruction to continue (OpenAI) — and the client sees one
// seamless stream: one id, one role, every word once, usage covering the whole answer.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { hi, hiAnthropic, readSse, startKatara, startSim } from '../lib/harness.mjs';

// Every model says the same 12 words, so a continuation must deliver exactly the rest.
const model = { ttft_ms: 5, tokens_per_second: 400, answer_tokens: 12 };
const WHOLE = 'Katara routes every request to a healthy model and keeps the answer';
const FIRST_FOUR = 'Katara routes every request';

describe('streams that survive their provider', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({
      primary: { models: { p: model } },
      backup: { models: { b: model } },
      third: { models: { t: model } },
      claude_a: { models: { c: model } },
      claude_b: { models: { c: model } },
      claude_new: { models: { n: model } },
      dead: { models: { d: model }, faults: { refuse: true } },
      local: { models: { llama: model } },
      gem: { models: { g: model } },
      slow: { models: { s: { ...model, ttft_ms: 150 } } },
    });
    const timeouts = '{ first_token_ms: 1000, idle_ms: 300 }';
    katara = await startKatara(`
providers:
  primary:    { kind: openai, base_url: ${sim.url('primary')}, timeouts: ${timeouts} }
  backup:     { kind: openai, base_url: ${sim.url('backup')}, timeouts: ${timeouts} }
  third:      { kind: openai, base_url: ${sim.url('third')}, timeouts: ${timeouts} }
  claude_a:   { kind: anthropic, base_url: ${sim.root('claude_a')}, api_key: k, timeouts: ${timeouts} }
  claude_b:   { kind: anthropic, base_url: ${sim.root('claude_b')}, api_key: k, timeouts: ${timeouts} }
  claude_new: { kind: anthropic, base_url: ${sim.root('claude_new')}, api_key: k, timeouts: ${timeouts} }
  dead:       { kind: openai, base_url: ${sim.url('dead')}, timeouts: ${timeouts} }
  local:      { kind: ollama, base_url: ${sim.root('local')}, timeouts: ${timeouts} }
  gem:        { kind: gemini, base_url: ${sim.root('gem')}, api_key: k, timeouts: ${timeouts} }
  slow:       { kind: openai, base_url: ${sim.url('slow')}, timeouts: ${timeouts} }
models:
  to_ollama:    { targets: [ { provider: primary, model: p }, { provider: local, model: llama } ] }
  to_gemini:    { targets: [ { provider: primary, model: p }, { provider: gem, model: g } ] }
  hedged:       { hedge: { after_ms: 50, budget_percent: 100 }, targets: [ { provider: slow, model: s }, { provider: primary, model: p } ] }
  oa:           { targets: [ { provider: primary, model: p }, { provider: backup, model: b } ] }
  three:        { targets: [ { provider: primary, model: p }, { provider: backup, model: b }, { provider: third, model: t } ] }
  oa_to_claude: { targets: [ { provider: primary, model: p }, { provider: claude_a, model: c } ] }
  claude_pair:  { targets: [ { provider: claude_a, model: c }, { provider: claude_b, model: c } ] }
  claude_new:   { targets: [ { provider: claude_a, model: c }, { provider: claude_new, model: n } ] }
  no_prefill:   { targets: [ { provider: primary, model: p }, { provider: claude_b, model: c, prefill: false } ] }
  lonely:       { targets: [ { provider: primary, model: p }, { provider: dead, model: d } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  beforeEach(async () => sim.reset());

  const chunksOf = (events) => events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data));
  const textOf = (chunks) => chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
  const lastTurns = (entry, n) => entry.request.messages.slice(-n);

  // The client's stream is one answer: one id and created, the role once, the finish once.
  function assertSeamless(events) {
    assert.equal(events.at(-1).data, '[DONE]');
    const chunks = chunksOf(events);
    assert.ok(chunks.every((c) => !c.error), `no in-band error: ${JSON.stringify(chunks.find((c) => c.error))}`);
    assert.ok(chunks.every((c) => c.id === chunks[0].id), 'one id');
    assert.ok(chunks.every((c) => c.created === chunks[0].created), 'one created');
    assert.equal(chunks.filter((c) => c.choices?.[0]?.delta?.role).length, 1, 'the role once');
    assert.equal(chunks.filter((c) => c.choices?.[0]?.finish_reason).length, 1, 'the finish once');
    return chunks;
  }

  for (const [name, faults, outcome] of [
    ['cut', { cut_after_tokens: 4 }, 'cut'],
    ['stalled past its idle timeout', { stall_after_tokens: 4 }, 'stall'],
    ['turned malformed', { malformed_chunk_at: 4, malformed_chunk_count: 3 }, 'malformed'],
  ]) {
    test(`a stream ${name} mid-way is carried on by the next target, seamlessly`, async () => {
      await sim.faults('primary', faults);
      const t0 = Date.now();
      const res = await katara.chat(hi('oa', { stream: true, stream_options: { include_usage: true } }));
      assert.equal(res.headers.get('x-katara-provider'), 'primary', 'the stream began there');
      const chunks = assertSeamless(await readSse(res));
      assert.ok(Date.now() - t0 < 3000, 'within the bound');
      assert.equal(textOf(chunks), WHOLE, 'every word once, none lost');
      const usage = chunks.at(-1).usage;
      assert.ok(usage.completion_tokens >= 12, `usage covers the whole answer: ${JSON.stringify(usage)}`);
      assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);

      const [p] = await sim.log({ provider: 'primary' });
      assert.equal(p.outcome, outcome);
      const backup = await sim.log({ provider: 'backup' });
      assert.equal(backup.length, 1, 'the backup was asked once');
      assert.equal(backup[0].handover, 'instruction', 'an OpenAI target is told to continue');
      const [partial, ask] = lastTurns(backup[0], 2);
      assert.deepEqual([partial.role, partial.content], ['assistant', FIRST_FOUR]);
      assert.equal(ask.role, 'user');
      assert.match(ask.content, /Continue/);
    });
  }

  test('an Anthropic target takes the partial answer as a prefill (across formats)', async () => {
    await sim.faults('primary', { cut_after_tokens: 4 });
    const chunks = assertSeamless(await readSse(await katara.chat(hi('oa_to_claude', { stream: true }))));
    assert.equal(textOf(chunks), WHOLE);
    const [c] = await sim.log({ provider: 'claude_a' });
    assert.equal(c.handover, 'prefill');
    const last = lastTurns(c, 1)[0];
    assert.equal(last.role, 'assistant');
    assert.equal(JSON.stringify(last.content).includes(FIRST_FOUR), true, 'the delivered text, as the final assistant turn');
  });

  for (const [route, provider, mode] of [['to_ollama', 'local', 'prefill'], ['to_gemini', 'gem', 'instruction']]) {
    test(`an ${provider === 'local' ? 'Ollama' : 'Gemini'} target carries an OpenAI stream on (${mode})`, async () => {
      await sim.faults('primary', { cut_after_tokens: 4 });
      const chunks = assertSeamless(await readSse(await katara.chat(hi(route, { stream: true }))));
      assert.equal(textOf(chunks), WHOLE);
      const [e] = await sim.log({ provider });
      assert.equal(e.handover, mode);
    });
  }

  test("an Anthropic client's translated stream is carried on too", async () => {
    await sim.faults('primary', { cut_after_tokens: 4 });
    const events = await readSse(await katara.post('/v1/messages', hiAnthropic('oa', { stream: true }), { 'x-api-key': 'k' }));
    const data = events.map((e) => JSON.parse(e.data));
    assert.equal(data.filter((d) => d.type === 'message_start').length, 1);
    assert.equal(data.filter((d) => d.type === 'content_block_delta').map((d) => d.delta.text).join(''), WHOLE);
    assert.equal(events.at(-1).event, 'message_stop');
    assert.equal((await sim.log({ provider: 'backup' }))[0].handover, 'instruction');
  });

  test('a hedged stream whose winner breaks is carried on by the other target', async () => {
    await sim.faults('slow', { cut_after_tokens: 4 });
    await sim.faults('primary', { slow_first_token_ms: 250 });  // the hedge loses the race (under the 300 ms idle timeout)
    const chunks = assertSeamless(await readSse(await katara.chat(hi('hedged', { stream: true }))));
    assert.equal(textOf(chunks), WHOLE);
    const asked = await sim.log({ provider: 'primary' });
    assert.equal(asked.length, 2, 'the hedge (cancelled), then the continuation');
    assert.deepEqual(asked.map((e) => e.handover), ['', 'instruction']);
  });

  test('a model configured without prefill is told to continue instead', async () => {
    await sim.faults('primary', { cut_after_tokens: 4 });
    const chunks = assertSeamless(await readSse(await katara.chat(hi('no_prefill', { stream: true }))));
    assert.equal(textOf(chunks), WHOLE);
    const [c] = await sim.log({ provider: 'claude_b' });
    assert.equal(c.handover, 'instruction');
  });

  test('an Anthropic client gets one Messages stream across two targets', async () => {
    await sim.faults('claude_a', { cut_after_tokens: 4 });
    const res = await katara.post('/v1/messages', hiAnthropic('claude_pair', { stream: true }), { 'x-api-key': 'k' });
    const events = await readSse(res);
    const names = events.map((e) => e.event);
    assert.equal(names.filter((n) => n === 'message_start').length, 1);
    assert.equal(names.filter((n) => n === 'content_block_start').length, 1, 'one text block');
    assert.equal(names.filter((n) => n === 'message_delta').length, 1);
    assert.equal(names.at(-1), 'message_stop');
    assert.ok(!names.includes('error'));
    const data = events.map((e) => JSON.parse(e.data));
    const deltas = data.filter((d) => d.type === 'content_block_delta');
    assert.ok(deltas.every((d) => d.index === 0), 'the continuation writes into the open block');
    assert.equal(deltas.map((d) => d.delta.text).join(''), WHOLE);
    const start = data.find((d) => d.type === 'message_start');
    const final = data.find((d) => d.type === 'message_delta');
    assert.equal(final.usage.input_tokens, start.message.usage.input_tokens, 'the prompt as the first target counted it');
    assert.ok(final.usage.output_tokens >= 12, `output covers the whole answer: ${JSON.stringify(final.usage)}`);
    const [b] = await sim.log({ provider: 'claude_b' });
    assert.equal(b.handover, 'prefill');
  });

  test('a target that rejects the prefill is asked again without it; the rejection never reaches the client', async () => {
    await sim.faults('claude_a', { cut_after_tokens: 4 });
    await sim.faults('claude_new', { rejects_prefill: true });
    const t0 = Date.now();
    const res = await katara.post('/v1/messages', hiAnthropic('claude_new', { stream: true }), { 'x-api-key': 'k' });
    const events = await readSse(res);
    assert.ok(Date.now() - t0 < 3000, 'within the bound');
    assert.ok(!events.some((e) => e.event === 'error'));
    const text = events.map((e) => JSON.parse(e.data)).filter((d) => d.type === 'content_block_delta').map((d) => d.delta.text).join('');
    assert.equal(text, WHOLE);
    const asked = await sim.log({ provider: 'claude_new' });
    assert.deepEqual(asked.map((e) => [e.handover, e.status]), [['prefill', 400], ['instruction', 200]]);

    // Learned: the next continuation there goes straight to the instruction.
    await sim.reset();
    await sim.faults('claude_a', { cut_after_tokens: 4 });
    await sim.faults('claude_new', { rejects_prefill: true });
    await readSse(await katara.post('/v1/messages', hiAnthropic('claude_new', { stream: true }), { 'x-api-key': 'k' }));
    assert.deepEqual((await sim.log({ provider: 'claude_new' })).map((e) => e.handover), ['instruction']);
  });

  test('a continuation that repeats the end of what it was given is trimmed at the seam', async () => {
    await sim.faults('primary', { cut_after_tokens: 4 });
    await sim.faults('backup', { continuation_overlap_tokens: 3 });
    const chunks = assertSeamless(await readSse(await katara.chat(hi('oa', { stream: true }))));
    assert.equal(textOf(chunks), WHOLE, 'the repeated " routes every request" dropped');
  });

  test('a continuation that breaks too is carried on by the third target', async () => {
    await sim.faults('primary', { cut_after_tokens: 4 });
    await sim.faults('backup', { cut_after_tokens: 3 });
    const chunks = assertSeamless(await readSse(await katara.chat(hi('three', { stream: true }))));
    assert.equal(textOf(chunks), WHOLE);
    const [t] = await sim.log({ provider: 'third' });
    assert.equal(lastTurns(t, 2)[0].content, 'Katara routes every request to a healthy', 'both parts handed over');
  });

  test('a half-sent tool call is never spliced: the stream ends with an in-band error', async () => {
    await sim.faults('primary', { cut_after_tokens: 1 });
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }];
    const events = await readSse(await katara.chat(hi('oa', { stream: true, tools })));
    assert.equal(events.at(-1).data, '[DONE]');
    const chunks = chunksOf(events);
    assert.ok(chunks[0].choices[0].delta.tool_calls, 'the call had begun');
    assert.equal(chunks.at(-1).error.code, 'upstream_stream_error');
    assert.match(chunks.at(-1).error.message, /tool call/);
    assert.equal((await sim.log({ provider: 'backup' })).length, 0, 'nobody was asked to continue it');
  });

  test('when no target can carry the stream on, it ends with one clean in-band error', async () => {
    await sim.faults('primary', { cut_after_tokens: 4 });
    const t0 = Date.now();
    const events = await readSse(await katara.chat(hi('lonely', { stream: true })));
    assert.ok(Date.now() - t0 < 3000, 'within the bound');
    assert.equal(events.at(-1).data, '[DONE]');
    const chunks = chunksOf(events);
    assert.equal(textOf(chunks), FIRST_FOUR, 'what was delivered, then the error');
    const error = chunks.at(-1).error;
    assert.equal(error.code, 'upstream_stream_error');
    assert.match(error.message, /no target could carry it on/);
    assert.ok(!chunks.some((c) => c.choices?.[0]?.finish_reason), 'never presented as complete');
  });
});

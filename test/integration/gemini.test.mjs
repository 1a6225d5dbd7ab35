// The gemini provider kind: OpenAI and Anthropic clients served by a Gemini-format target
// (generateContent / streamGenerateContent?alt=sse, x-goog-api-key), and its failures —
// including Gemini's 400 for a bad key — failing over like any other provider's.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { hi, hiAnthropic, readSse, startKatara, startSim } from '../lib/harness.mjs';

const quick = { ttft_ms: 1, tokens_per_second: 2000, answer_tokens: 4 };
const expectedText = 'Katara routes every request';
const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] },
};

describe('gemini', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({
      gem: { api_key: 'AIza-sim', models: { 'gemini-x-flash': quick } },
      gpt: { models: { 'gpt-x': quick } },
    });
    katara = await startKatara(`
providers:
  gem: { kind: gemini, base_url: ${sim.root('gem')}, api_key: AIza-sim }
  gem-bad-key: { kind: gemini, base_url: ${sim.root('gem')}, api_key: AIza-wrong }
  gpt: { kind: openai, base_url: ${sim.url('gpt')} }
models:
  gemini: { targets: [ { provider: gem, model: gemini-x-flash } ] }
  bad-key-only: { targets: [ { provider: gem-bad-key, model: gemini-x-flash } ] }
  bad-key-then-gpt: { targets: [ { provider: gem-bad-key, model: gemini-x-flash }, { provider: gpt, model: gpt-x } ] }
  gemini-then-gpt: { targets: [ { provider: gem, model: gemini-x-flash }, { provider: gpt, model: gpt-x } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  beforeEach(async () => sim.reset());
  const lastRequest = async () => (await sim.log({ provider: 'gem' })).at(-1);

  test('an OpenAI client gets a chat.completion; Gemini got generateContent with its key header', async () => {
    const res = await katara.chat(hi('gemini', { messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'hi' }], max_tokens: 50 }));
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.choices[0].message.content, expectedText);
    assert.equal(body.choices[0].finish_reason, 'stop');
    assert.equal(body.usage.completion_tokens, 4);
    const up = await lastRequest();
    assert.equal(up.format, 'gemini');
    assert.equal(up.auth, 'x-goog-api-key');
    assert.equal(up.stream, false);
    assert.deepEqual(up.request.systemInstruction, { parts: [{ text: 'Be terse.' }] });
    assert.deepEqual(up.request.contents, [{ role: 'user', parts: [{ text: 'hi' }] }]);
    assert.deepEqual(up.request.generationConfig, { maxOutputTokens: 50 });
  });

  test('an OpenAI stream is translated chunk by chunk, with usage, ending in [DONE]', async () => {
    const events = await readSse(await katara.chat(hi('gemini', { stream: true, stream_options: { include_usage: true } })));
    assert.equal(events.at(-1).data, '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), expectedText);
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'stop');
    assert.equal(chunks.at(-1).usage.completion_tokens, 4);
    assert.equal((await lastRequest()).stream, true);
  });

  test('an Anthropic client streams a function call from Gemini as tool_use with input_json_delta', async () => {
    const tools = [{ name: weatherTool.name, description: weatherTool.description, input_schema: weatherTool.parameters }];
    const events = await readSse(await katara.messages(hiAnthropic('gemini', { stream: true, tools })));
    const names = events.map((e) => e.event);
    assert.equal(names[0], 'message_start');
    assert.equal(names.at(-1), 'message_stop');
    const start = events.find((e) => e.event === 'content_block_start' && JSON.parse(e.data).content_block.type === 'tool_use');
    const block = JSON.parse(start.data).content_block;
    assert.equal(block.name, 'get_weather');
    assert.match(block.id, /^call_/, 'Gemini sends no call id: Katara makes one');
    const json = events.filter((e) => e.event === 'content_block_delta').map((e) => JSON.parse(e.data).delta.partial_json).join('');
    assert.deepEqual(JSON.parse(json), { city: 'sim', days: 42 });
    const delta = JSON.parse(events.find((e) => e.event === 'message_delta').data);
    assert.equal(delta.delta.stop_reason, 'tool_use');
    const up = await lastRequest();
    assert.equal(up.request.tools[0].functionDeclarations[0].name, 'get_weather');
  });

  test('an OpenAI tool call from Gemini has an id, and its result goes back as a named functionResponse', async () => {
    const tools = [{ type: 'function', function: weatherTool }];
    const first = await (await katara.chat(hi('gemini', { tools }))).json();
    const call = first.choices[0].message.tool_calls[0];
    assert.equal(first.choices[0].finish_reason, 'tool_calls');
    assert.equal(JSON.parse(call.function.arguments).city, 'sim');
    const res = await katara.chat(hi('gemini', {
      tools,
      messages: [{ role: 'user', content: 'weather?' }, first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'Sunny' }],
    }));
    assert.equal(res.status, 200);
    const turns = (await lastRequest()).request.contents;
    assert.deepEqual(turns.map((t) => t.role), ['user', 'model', 'user']);
    assert.deepEqual(turns[2].parts[0], { functionResponse: { name: 'get_weather', response: { result: 'Sunny' } } });
  });

  test("a bad key, which Gemini answers with 400, fails over instead of blaming the caller", async () => {
    const res = await katara.chat(hi('bad-key-then-gpt'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-katara-provider'), 'gpt');
    assert.equal(res.headers.get('x-katara-attempts'), '2');

    const alone = await katara.chat(hi('bad-key-only'));
    assert.equal(alone.status, 502);
    const err = (await alone.json()).error;
    assert.match(err.message, /gem-bad-key\/gemini-x-flash: auth \(HTTP 400: API_KEY_INVALID/);
  });

  test('a 429 with RetryInfo fails over; an unknown model is a 404 the next target covers', async () => {
    await sim.faults('gem', { rate_limit_rate: 1, retry_after_s: 9 });
    const res = await katara.chat(hi('gemini-then-gpt'));
    assert.equal(res.headers.get('x-katara-provider'), 'gpt');
    const alone = await (await katara.chat(hi('gemini'))).json();
    assert.match(alone.error.message, /rate_limited \(HTTP 429: .*retry after 9 s/);
  });

  test("a caller's own mistake is restated in the client's format with Gemini's status", async () => {
    await sim.faults('gem', { error_rate: 1, error_statuses: [400] });
    const res = await katara.messages(hiAnthropic('gemini-then-gpt'));
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /simulated provider failed/);
  });

  test('a stream cut before its finishReason ends in an in-band error, not a clean end', async () => {
    await sim.faults('gem', { no_done: true });
    const events = await readSse(await katara.messages(hiAnthropic('gemini', { stream: true })));
    assert.equal(events.at(-1).event, 'error');
    assert.ok(!events.some((e) => e.event === 'message_stop'));
  });
});

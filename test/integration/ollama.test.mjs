// The ollama provider kind (native /api/chat, NDJSON streams) and the cross-format failover
// the issue names: an Anthropic client, route [anthropic (down), openai, ollama], answered in
// Anthropic's event sequence by whichever target is up.
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

// The Anthropic stream's event names, with the text and the stop reason it carried.
function summarize(events) {
  const names = events.map((e) => e.event);
  const text = events
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => JSON.parse(e.data).delta.text ?? '')
    .join('');
  const delta = events.find((e) => e.event === 'message_delta');
  return { names, text, stop: delta && JSON.parse(delta.data).delta.stop_reason, usage: delta && JSON.parse(delta.data).usage };
}

describe('ollama', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({
      claude: { api_key: 'sk-ant-sim', models: { 'claude-x': quick } },
      gpt: { api_key: 'sk-oai-sim', models: { 'gpt-x': quick } },
      local: { models: { 'llama-x': quick } },
    });
    katara = await startKatara(`
providers:
  claude: { kind: anthropic, base_url: ${sim.root('claude')}, api_key: sk-ant-sim }
  gpt:    { kind: openai, base_url: ${sim.url('gpt')}, api_key: sk-oai-sim }
  local:  { kind: ollama, base_url: ${sim.root('local')} }
models:
  llama: { targets: [ { provider: local, model: llama-x } ] }
  missing-then-llama: { targets: [ { provider: local, model: not-pulled }, { provider: local, model: llama-x } ] }
  resilient: { targets: [ { provider: claude, model: claude-x }, { provider: gpt, model: gpt-x }, { provider: local, model: llama-x } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  beforeEach(async () => sim.reset());
  const log = async (provider) => sim.log({ provider });

  test('an OpenAI client gets a chat.completion; Ollama got /api/chat with stream:false and options', async () => {
    const res = await katara.chat(hi('llama', { max_tokens: 20, temperature: 0.5 }));
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.choices[0].message.content, expectedText);
    assert.equal(body.usage.completion_tokens, 4);
    const up = (await log('local')).at(-1);
    assert.equal(up.format, 'ollama');
    assert.equal(up.auth, 'none');
    assert.equal(up.request.stream, false, 'Ollama streams unless told not to');
    assert.deepEqual(up.request.options, { num_predict: 20, temperature: 0.5 });
  });

  test('an NDJSON stream becomes OpenAI chunks with usage and [DONE]', async () => {
    const events = await readSse(await katara.chat(hi('llama', { stream: true, stream_options: { include_usage: true } })));
    assert.equal(events.at(-1).data, '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), expectedText);
    assert.equal(chunks.at(-1).usage.completion_tokens, 4);
  });

  test('a tool call (object arguments, no id) reaches an OpenAI client with an id and string arguments', async () => {
    const res = await katara.chat(hi('llama', { tools: [{ type: 'function', function: weatherTool }] }));
    const choice = (await res.json()).choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    const call = choice.message.tool_calls[0];
    assert.match(call.id, /^call_/);
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'sim', days: 42 });
  });

  test('a model that is not pulled (404) fails over to the next target', async () => {
    const res = await katara.chat(hi('missing-then-llama'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-katara-attempts'), '2');
    const first = (await log('local'))[0];
    assert.equal(first.model, 'not-pulled');
    assert.equal(first.status, 404);
  });

  for (const [how, faults] of [
    ['refuses connections', { refuse: true }],
    ['is overloaded (529)', { error_rate: 1, error_statuses: [529] }],
  ]) {
    test(`route [anthropic, openai, ollama], Anthropic ${how}: the OpenAI target's stream arrives in Anthropic format`, async () => {
      await sim.faults('claude', faults);
      const res = await katara.messages(hiAnthropic('resilient', { stream: true }));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-katara-provider'), 'gpt');
      assert.match(res.headers.get('content-type'), /^text\/event-stream/);
      const s = summarize(await readSse(res));
      assert.deepEqual(s.names, [
        'message_start', 'content_block_start', 'ping',
        'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_delta',
        'content_block_stop', 'message_delta', 'message_stop',
      ]);
      assert.equal(s.text, expectedText);
      assert.equal(s.stop, 'end_turn');
      assert.equal(s.usage.output_tokens, 4);
      assert.equal((await log('gpt')).at(-1).format, 'openai');
      assert.equal((await log('local')).length, 0, 'the third target was not needed');
    });
  }

  test('with Anthropic and OpenAI both down, Ollama answers the Anthropic client, tool use included', async () => {
    await sim.faults('claude', { refuse: true });
    await sim.faults('gpt', { error_rate: 1, error_statuses: [503] });
    const tools = [{ name: weatherTool.name, description: weatherTool.description, input_schema: weatherTool.parameters }];
    const res = await katara.messages(hiAnthropic('resilient', { stream: true, tools }));
    assert.equal(res.headers.get('x-katara-provider'), 'local');
    assert.equal(res.headers.get('x-katara-attempts'), '3');
    const events = await readSse(res);
    const s = summarize(events);
    assert.equal(s.names[0], 'message_start');
    assert.equal(s.names.at(-1), 'message_stop');
    assert.equal(s.stop, 'tool_use');
    const json = events.filter((e) => e.event === 'content_block_delta').map((e) => JSON.parse(e.data).delta.partial_json).join('');
    assert.deepEqual(JSON.parse(json), { city: 'sim', days: 42 });
    assert.equal((await log('local')).at(-1).request.tools[0].function.name, 'get_weather');
  });

  test('an NDJSON stream cut before its done line ends in an in-band error', async () => {
    await sim.faults('local', { no_done: true });
    const events = await readSse(await katara.messages(hiAnthropic('llama', { stream: true })));
    assert.equal(events.at(-1).event, 'error');
    assert.ok(!events.some((e) => e.event === 'message_stop'));
  });
});

// Any client format to any provider format: OpenAI clients served by Anthropic-format targets,
// Anthropic clients served by OpenAI-format targets, same-format pass-through, and failover
// across formats. The simulator speaks each format from WIRE.md on its own.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { freePort, hi, hiAnthropic, readSse, startKatara, startSim } from '../lib/harness.mjs';

const quick = { ttft_ms: 1, tokens_per_second: 2000, answer_tokens: 4 };
const expectedText = 'Katara routes every request';  // the sim's first four tokens
const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] },
};

describe('translation between formats', () => {
  let sim, katara, deadPort;
  before(async () => {
    sim = await startSim({
      claude: { api_key: 'sk-ant-sim', models: { 'claude-x': quick } },
      gpt: { api_key: 'sk-oai-sim', models: { 'gpt-x': quick } },
    });
    deadPort = await freePort();
    katara = await startKatara(`
providers:
  claude: { kind: anthropic, base_url: ${sim.root('claude')}, api_key: sk-ant-sim }
  gpt:    { kind: openai, base_url: ${sim.url('gpt')}, api_key: sk-oai-sim }
  claude-down: { kind: anthropic, base_url: http://127.0.0.1:${deadPort}, api_key: k }
models:
  claude: { targets: [ { provider: claude, model: claude-x } ] }
  gpt:    { targets: [ { provider: gpt, model: gpt-x } ] }
  claude-then-gpt: { targets: [ { provider: claude, model: claude-x }, { provider: gpt, model: gpt-x } ] }
  resilient: { targets: [ { provider: claude-down, model: claude-x }, { provider: gpt, model: gpt-x } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  beforeEach(async () => sim.reset());

  const lastRequest = async (provider) => (await sim.log({ provider })).at(-1);

  describe('an OpenAI client, an Anthropic-format target', () => {
    test('a complete answer is a chat.completion; the upstream got a Messages request', async () => {
      const res = await katara.chat(hi('claude', { messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'hi' }] }));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-katara-provider'), 'claude');
      const body = await res.json();
      assert.equal(body.object, 'chat.completion');
      assert.equal(body.model, 'claude-x');
      assert.equal(body.choices[0].message.role, 'assistant');
      assert.equal(body.choices[0].message.content, expectedText);
      assert.equal(body.choices[0].finish_reason, 'stop');
      assert.equal(body.usage.completion_tokens, 4);
      assert.equal(body.usage.total_tokens, body.usage.prompt_tokens + 4);

      const up = await lastRequest('claude');
      assert.equal(up.format, 'anthropic');
      assert.equal(up.auth, 'x-api-key');
      assert.equal(up.api_version, '2023-06-01');
      assert.equal(up.request.system, 'Be terse.', 'the system prompt moves to the top-level field');
      assert.deepEqual(up.request.messages, [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
      assert.equal(up.request.max_tokens, 4096, 'max_tokens is required by Anthropic: a default is sent');
    });

    test('a stream is translated chunk by chunk, with usage when asked', async () => {
      const res = await katara.chat(hi('claude', { stream: true, stream_options: { include_usage: true } }));
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/event-stream/);
      const events = await readSse(res);
      assert.equal(events.at(-1).data, '[DONE]');
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
      assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id));
      assert.equal(chunks[0].choices[0].delta.role, 'assistant');
      const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
      assert.equal(text, expectedText);
      const finish = chunks.find((c) => c.choices[0]?.finish_reason);
      assert.equal(finish.choices[0].finish_reason, 'stop');
      const usage = chunks.at(-1);
      assert.deepEqual(usage.choices, []);
      assert.equal(usage.usage.completion_tokens, 4);
    });

    test('tool calls come back in OpenAI form, complete and streamed', async () => {
      const tools = [{ type: 'function', function: weatherTool }];
      const full = await (await katara.chat(hi('claude', { tools }))).json();
      assert.equal(full.choices[0].finish_reason, 'tool_calls');
      const call = full.choices[0].message.tool_calls[0];
      assert.equal(call.type, 'function');
      assert.equal(call.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.function.arguments), { city: 'sim', days: 42 });
      assert.equal((await lastRequest('claude')).request.tools[0].input_schema.type, 'object');

      const events = await readSse(await katara.chat(hi('claude', { tools, stream: true })));
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
      const deltas = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
      assert.equal(deltas[0].index, 0);
      assert.match(deltas[0].id, /^toolu_/);
      assert.equal(deltas[0].function.name, 'get_weather');
      assert.ok(deltas.every((d) => d.index === 0));
      assert.deepEqual(JSON.parse(deltas.map((d) => d.function.arguments ?? '').join('')), { city: 'sim', days: 42 });
      assert.equal(chunks.find((c) => c.choices[0]?.finish_reason).choices[0].finish_reason, 'tool_calls');
    });

    test("the caller's own mistake is restated in OpenAI's shape with its status", async () => {
      await sim.faults('claude', { error_rate: 1, error_statuses: [400] });
      const res = await katara.chat(hi('claude'));
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.equal(body.error.type, 'invalid_request_error');
      assert.match(body.error.message, /simulated provider failed/);
    });

    test('a stream cut after its first content ends with an in-band error in OpenAI form', async () => {
      await sim.faults('claude', { cut_after_tokens: 2 }, 'claude-x');
      const events = await readSse(await katara.chat(hi('claude', { stream: true })));
      assert.equal(events.at(-1).data, '[DONE]');
      const error = JSON.parse(events.at(-2).data);
      assert.equal(error.error.code, 'upstream_stream_error');
    });

    test('a stream cut before any content fails over unseen', async () => {
      await sim.faults('claude', { cut_after_tokens: 0 }, 'claude-x');
      const res = await katara.chat(hi('claude-then-gpt', { stream: true }));
      assert.equal(res.headers.get('x-katara-provider'), 'gpt');
      const events = await readSse(res);
      assert.equal(events.at(-1).data, '[DONE]');
      assert.ok(events.slice(0, -1).every((e) => !JSON.parse(e.data).error));
    });
  });

  describe('an Anthropic client', () => {
    test('an OpenAI-format target that lingers after its finish without [DONE] is ended promptly', async () => {
      await sim.faults('gpt', { no_done: true, hold_open_ms: 10000 });
      const t0 = Date.now();
      const events = await readSse(await katara.messages(hiAnthropic('gpt', { stream: true })));
      const took = Date.now() - t0;
      assert.equal(events.at(-1).event, 'message_stop');
      assert.ok(!events.some((e) => e.event === 'error'));
      const delta = JSON.parse(events.find((e) => e.event === 'message_delta').data);
      assert.equal(delta.usage.output_tokens, 4);
      assert.ok(took < 5000, `not the 10 s the server lingers (${took} ms)`);
    });

    test('an OpenAI-format target answers a complete Message', async () => {
      const res = await katara.messages(hiAnthropic('gpt', { system: 'Be terse.' }));
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.type, 'message');
      assert.equal(body.role, 'assistant');
      assert.deepEqual(body.content, [{ type: 'text', text: expectedText }]);
      assert.equal(body.stop_reason, 'end_turn');
      assert.equal(body.stop_sequence, null);
      assert.equal(body.usage.output_tokens, 4);
      assert.ok(body.usage.input_tokens > 0);
      const up = await lastRequest('gpt');
      assert.equal(up.format, 'openai');
      assert.equal(up.auth, 'bearer');
      assert.deepEqual(up.request.messages[0], { role: 'system', content: 'Be terse.' });
      assert.equal(up.request.max_tokens, 64);
    });

    test('an OpenAI-format stream becomes the Messages event sequence', async () => {
      const res = await katara.messages(hiAnthropic('gpt', { stream: true }));
      assert.equal(res.status, 200);
      const events = await readSse(res);
      for (const e of events) assert.equal(JSON.parse(e.data).type, e.event, 'every event line names its data type');
      const names = events.map((e) => e.event);
      assert.deepEqual(names.slice(0, 3), ['message_start', 'content_block_start', 'ping']);
      assert.deepEqual(names.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
      const text = events.filter((e) => e.event === 'content_block_delta').map((e) => JSON.parse(e.data).delta.text).join('');
      assert.equal(text, expectedText);
      const delta = JSON.parse(events.at(-2).data);
      assert.equal(delta.delta.stop_reason, 'end_turn');
      assert.equal(delta.usage.output_tokens, 4);
      assert.ok(delta.usage.input_tokens > 0, 'input tokens arrive at the end from an OpenAI-format upstream');
      assert.ok((await lastRequest('gpt')).request.stream_options.include_usage);
    });

    test('tool use streams as a tool_use block with input_json_delta', async () => {
      const tools = [{ name: weatherTool.name, description: weatherTool.description, input_schema: weatherTool.parameters }];
      const events = await readSse(await katara.messages(hiAnthropic('gpt', { tools, stream: true })));
      const start = events.map((e) => JSON.parse(e.data)).find((d) => d.type === 'content_block_start');
      assert.equal(start.content_block.type, 'tool_use');
      assert.equal(start.content_block.name, 'get_weather');
      assert.match(start.content_block.id, /^call_/);
      const json = events.map((e) => JSON.parse(e.data)).filter((d) => d.delta?.type === 'input_json_delta').map((d) => d.delta.partial_json).join('');
      assert.deepEqual(JSON.parse(json), { city: 'sim', days: 42 });
      const delta = events.map((e) => JSON.parse(e.data)).find((d) => d.type === 'message_delta');
      assert.equal(delta.delta.stop_reason, 'tool_use');
      const up = await lastRequest('gpt');
      assert.equal(up.request.tools[0].function.name, 'get_weather');
    });

    test('an Anthropic-format target gets the body unchanged but for the model, and the client version', async () => {
      const body = JSON.stringify({ model: 'claude', max_tokens: 7, temperature: 0.97398941929283970, messages: [{ role: 'user', content: 'hi' }], top_k: 3 });
      const res = await katara.messages(body, { 'anthropic-version': '2026-10-21', 'anthropic-beta': 'tools-2024-04-04' });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).content[0].text, expectedText);
      const up = await lastRequest('claude');
      assert.equal(up.api_version, '2026-10-21');
      assert.equal(up.request.top_k, 3);
      assert.equal(up.request.model, 'claude-x');
    });

    test('an Anthropic-format stream passes through event by event', async () => {
      const events = await readSse(await katara.messages(hiAnthropic('claude', { stream: true })));
      const names = events.map((e) => e.event);
      assert.deepEqual(names.slice(0, 3), ['message_start', 'content_block_start', 'ping']);
      assert.equal(names.at(-1), 'message_stop');
    });

    test('failover across formats: the answer is in Anthropic form from the OpenAI target', async () => {
      const res = await katara.messages(hiAnthropic('resilient', { stream: true }));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-katara-provider'), 'gpt');
      assert.equal(res.headers.get('x-katara-attempts'), '2');
      const events = await readSse(res);
      assert.equal(events[0].event, 'message_start');
      assert.equal(events.at(-1).event, 'message_stop');
    });

    test('errors come in Anthropic shape', async () => {
      const noMax = await katara.messages({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(noMax.status, 400);
      const id = noMax.headers.get('request-id');
      assert.equal(id, noMax.headers.get('x-request-id'), "Anthropic's header, which the SDK reads");
      assert.deepEqual(await noMax.json(), { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' }, request_id: id });
      const unknown = await katara.messages(hiAnthropic('nope'));
      assert.equal(unknown.status, 404);
      assert.equal((await unknown.json()).error.type, 'not_found_error');
      const broken = await katara.messages('{"model":');
      assert.equal(broken.status, 400);
      assert.equal((await broken.json()).type, 'error');
    });

    test('what only Anthropic can carry is refused for another format, and still passes through', async () => {
      const doc = hiAnthropic('gpt', {
        messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }] }],
      });
      const res = await katara.messages(doc);
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.equal(body.error.type, 'invalid_request_error');
      assert.match(body.error.message, /cannot be translated/);
      const same = await katara.messages({ ...doc, model: 'claude' });
      assert.equal(same.status, 200);
    });

    test('count_tokens asks an Anthropic-format target, and estimates otherwise', async () => {
      const ask = (model) =>
        fetch(`${katara.base}/v1/messages/count_tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
          body: JSON.stringify({ model, messages: [{ role: 'user', content: 'How many tokens is this?' }] }),
        });
      const upstream = await ask('claude');
      assert.equal(upstream.status, 200);
      assert.match(upstream.headers.get('x-katara-token-count'), /^upstream claude/);
      assert.ok((await upstream.json()).input_tokens > 0);
      assert.equal((await lastRequest('claude')).request.model, 'claude-x');
      const estimate = await ask('gpt');
      assert.equal(estimate.headers.get('x-katara-token-count'), 'estimate');
      assert.equal((await estimate.json()).input_tokens, Math.ceil('How many tokens is this?'.length / 4) + 3);
    });
  });
});

describe('azure', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({ az: { api_key: 'az-key', models: { 'my-gpt-deployment': quick } } });
    katara = await startKatara(`
providers:
  az: { kind: azure, base_url: ${sim.root('az')}, api_key: az-key, api_version: 2025-01-01-preview }
models:
  gpt: { targets: [ { provider: az, model: my-gpt-deployment } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });

  test('a deployment is called by its path, with api-key and api-version, from either front door', async () => {
    const res = await katara.chat(hi('gpt'));
    assert.equal(res.status, 200);
    assert.equal((await res.json()).choices[0].message.content, expectedText);
    const up = (await sim.log({ provider: 'az' })).at(-1);
    assert.equal(up.format, 'azure');
    assert.equal(up.model, 'my-gpt-deployment');
    assert.equal(up.auth, 'api-key');
    assert.equal(up.api_version, '2025-01-01-preview');

    const events = await readSse(await katara.messages(hiAnthropic('gpt', { stream: true })));
    assert.equal(events.at(-1).event, 'message_stop');
  });

  test('azure requires a base_url', async () => {
    const { runKatara, tmpFile } = await import('../lib/harness.mjs');
    const out = await runKatara(['check', '--config', tmpFile('azure.yaml', 'providers:\n  az: { kind: azure, api_key: k }\nmodels:\n  m: { targets: [ { provider: az, model: d } ] }\n')]);
    assert.notEqual(out.code, 0);
    assert.match(out.out, /providers\.az\.base_url: required for kind azure/);
  });
});

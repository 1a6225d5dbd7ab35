// The official OpenAI Node SDK, unchanged, pointed at Katara.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import OpenAI from 'openai';

import { startKatara, startSim } from '../lib/harness.mjs';

describe('openai SDK', () => {
  let sim, katara, client;
  before(async () => {
    sim = await startSim({
      down: { models: { m0: {} }, faults: { reset_rate: 1 } },
      up: { models: { 'sim-1': { ttft_ms: 5, tokens_per_second: 500, answer_tokens: 8 } } },
      up2: { models: { 'sim-2': { ttft_ms: 5, tokens_per_second: 500, answer_tokens: 8 } } },
    });
    katara = await startKatara(`
api_keys: [ "sk-local-1" ]
providers:
  down: { kind: openai, base_url: ${sim.url('down')}, api_key: k }
  up:   { kind: openai, base_url: ${sim.url('up')}, api_key: k }
  up2:  { kind: openai, base_url: ${sim.url('up2')}, api_key: k }
models:
  resilient:
    targets: [ { provider: up, model: sim-1 }, { provider: up2, model: sim-2 } ]
  smart:
    targets: [ { provider: down, model: m0 }, { provider: up, model: sim-1 } ]
`);
    client = new OpenAI({ baseURL: `${katara.base}/v1`, apiKey: 'sk-local-1', maxRetries: 0 });
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });

  test('models.list and models.retrieve', async () => {
    const page = await client.models.list();
    assert.deepEqual(page.data.map((m) => m.id), ['resilient', 'smart']);
    const model = await client.models.retrieve('smart');
    assert.equal(model.object, 'model');
  });

  test('chat.completions.create, answered by the fallback', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'smart', messages: [{ role: 'user', content: 'Hello' }] })
      .withResponse();
    assert.equal(response.headers.get('x-katara-provider'), 'up');
    assert.equal(data.object, 'chat.completion');
    assert.equal(data.model, 'sim-1');
    assert.equal(data.choices[0].finish_reason, 'stop');
    assert.ok(data.choices[0].message.content.length > 0);
    assert.equal(data.usage.total_tokens, data.usage.prompt_tokens + data.usage.completion_tokens);
    assert.match(data._request_id, /^req_/);
  });

  test('streaming with include_usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'smart', stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hello' }],
    });
    let text = '', usage = null, finish = null;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      for (const c of chunk.choices) {
        text += c.delta.content ?? '';
        finish = c.finish_reason ?? finish;
      }
    }
    assert.ok(text.split(' ').length === 8, text);
    assert.equal(finish, 'stop');
    assert.equal(usage.completion_tokens, 8);
  });

  test('the stream helper assembles the final completion', async () => {
    const runner = client.chat.completions.stream({ model: 'smart', messages: [{ role: 'user', content: 'Hi' }] });
    const final = await runner.finalChatCompletion();
    assert.equal(final.choices[0].message.role, 'assistant');
    assert.ok(final.choices[0].message.content.length > 0);
  });

  const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];

  test('tool calls pass through, non-streaming', async () => {
    const r = await client.chat.completions.create({ model: 'smart', tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    const call = r.choices[0].message.tool_calls[0];
    assert.equal(r.choices[0].finish_reason, 'tool_calls');
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'sim' });
  });

  test('tool calls pass through, streaming, assembled by the SDK helper', async () => {
    const runner = client.chat.completions.stream({ model: 'smart', tools, messages: [{ role: 'user', content: 'Weather?' }] });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0].message.tool_calls[0];
    assert.equal(final.choices[0].finish_reason, 'tool_calls');
    assert.match(call.id, /^call_/);
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'sim' });
  });

  test('a wrong key raises AuthenticationError', async () => {
    const bad = new OpenAI({ baseURL: `${katara.base}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
    await assert.rejects(bad.models.list(), (e) => e instanceof OpenAI.AuthenticationError && e.status === 401 && e.code === 'invalid_api_key');
  });

  test('an unknown model raises NotFoundError', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
      (e) => e instanceof OpenAI.NotFoundError && e.code === 'model_not_found' && /req_/.test(e.requestID),
    );
  });

  test('an invalid request raises BadRequestError', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'smart', messages: [] }),
      (e) => e instanceof OpenAI.BadRequestError && e.param === 'messages',
    );
  });

  test('a stream broken after it started raises APIError in the loop', async () => {
    await sim.faults('up', { cut_after_tokens: 2 });
    try {
      const stream = await client.chat.completions.create({ model: 'smart', stream: true, messages: [{ role: 'user', content: 'x' }] });
      await assert.rejects(async () => {
        for await (const _ of stream) { /* consume */ }
      }, (e) => e instanceof OpenAI.APIError && /broke off and no target could carry it on/.test(e.message));
    } finally {
      await sim.reset();
    }
  });

  test('a stream cut mid-way is carried on by the next target: the stream helper sees one answer', async () => {
    await sim.faults('up', { cut_after_tokens: 3 });
    try {
      const stream = client.chat.completions.stream({
        model: 'resilient',
        messages: [{ role: 'user', content: 'x' }],
        stream_options: { include_usage: true },
      });
      const seen = [];
      stream.on('content', (delta) => seen.push(delta));
      const final = await stream.finalChatCompletion();
      assert.equal(final.choices[0].message.content, 'Katara routes every request to a healthy model');
      assert.equal(final.choices[0].message.content, seen.join(''));
      assert.equal(final.choices[0].finish_reason, 'stop');
      assert.ok(final.usage.completion_tokens >= 8);
    } finally {
      await sim.reset();
    }
  });
});

// The same SDK served by targets of other formats: it must not notice.
describe('openai SDK, other-format upstreams', () => {
  const answer = { ttft_ms: 5, tokens_per_second: 500, answer_tokens: 8 };
  let sim, katara, client;
  before(async () => {
    sim = await startSim({
      claude: { models: { 'claude-sim': answer } },
      gem: { models: { 'gemini-sim': answer, 'gemini-embed': answer } },
      local: { models: { 'llama-sim': answer, 'nomic-embed': answer } },
      oai: { models: { 'embed-sim': answer, 'instruct-sim': answer } },
    });
    katara = await startKatara(`
providers:
  claude: { kind: anthropic, base_url: ${sim.root('claude')}, api_key: k }
  gem: { kind: gemini, base_url: ${sim.root('gem')}, api_key: k }
  local: { kind: ollama, base_url: ${sim.root('local')} }
  oai: { kind: openai, base_url: ${sim.url('oai')}, api_key: k }
models:
  anthropic: { targets: [ { provider: claude, model: claude-sim } ] }
  gemini: { targets: [ { provider: gem, model: gemini-sim } ] }
  ollama: { targets: [ { provider: local, model: llama-sim } ] }
  openai-embed: { targets: [ { provider: oai, model: embed-sim } ] }
  gemini-embed: { targets: [ { provider: gem, model: gemini-embed } ] }
  ollama-embed: { targets: [ { provider: local, model: nomic-embed } ] }
  instruct: { targets: [ { provider: oai, model: instruct-sim } ] }
`);
    client = new OpenAI({ baseURL: `${katara.base}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });

  for (const format of ['anthropic', 'gemini', 'ollama']) {
    test(`${format}-format: create, and the stream helper with usage`, async () => {
      const full = await client.chat.completions.create({ model: format, messages: [{ role: 'user', content: 'Hello' }] });
      assert.equal(full.choices[0].message.content.split(' ').length, 8);
      assert.equal(full.usage.completion_tokens, 8);
      const stream = client.chat.completions.stream({
        model: format,
        messages: [{ role: 'user', content: 'Hello' }],
        stream_options: { include_usage: true },
      });
      const final = await stream.finalChatCompletion();
      assert.equal(final.choices[0].message.content, full.choices[0].message.content);
      assert.equal(final.choices[0].finish_reason, 'stop');
      assert.equal(final.usage.completion_tokens, 8);
      assert.equal((await sim.log()).at(-1).format, format);
    });

    test(`${format}-format: tool calls through the stream helper, and the result sent back`, async () => {
      const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
      const messages = [{ role: 'user', content: 'Weather?' }];
      const final = await client.chat.completions.stream({ model: format, messages, tools }).finalChatCompletion();
      assert.equal(final.choices[0].finish_reason, 'tool_calls');
      const call = final.choices[0].message.tool_calls[0];
      assert.equal(call.function.name, 'get_weather');
      assert.ok(call.id.length > 0);
      assert.deepEqual(JSON.parse(call.function.arguments), { city: 'sim' });
      const next = await client.chat.completions.create({
        model: format,
        messages: [...messages, final.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'Sunny' }],
      });
      assert.equal(next.choices[0].finish_reason, 'stop');
      assert.ok(next.choices[0].message.content.length > 0);
      const upstream = JSON.stringify((await sim.log()).at(-1).request);
      const carried = { anthropic: '"tool_result"', gemini: '"functionResponse"', ollama: '"tool_name":"get_weather"' }[format];
      assert.ok(upstream.includes(carried) && upstream.includes('Sunny'), upstream);
    });
  }

  test('embeddings.create with the SDK default (base64) and with float, from every embedding kind', async () => {
    const float = await client.embeddings.create({ model: 'openai-embed', input: ['alpha', 'beta'], encoding_format: 'float' });
    assert.equal(float.data.length, 2);
    for (const model of ['openai-embed', 'gemini-embed', 'ollama-embed']) {
      // No encoding_format: the SDK asks for base64 and decodes float32 itself.
      const res = await client.embeddings.create({ model, input: ['alpha', 'beta'] });
      assert.equal(res.data.length, 2, model);
      assert.deepEqual(res.data[0].embedding, float.data[0].embedding.map(Math.fround), model);
      assert.deepEqual(res.data[1].embedding, float.data[1].embedding.map(Math.fround), model);
    }
  });

  test('legacy completions.create, whole and streamed', async () => {
    const full = await client.completions.create({ model: 'instruct', prompt: 'Say this is a test' });
    assert.equal(full.object, 'text_completion');
    assert.equal(full.choices[0].text.split(' ').length, 8);
    let text = '';
    for await (const chunk of await client.completions.create({ model: 'instruct', prompt: 'x', stream: true })) {
      text += chunk.choices[0]?.text ?? '';
    }
    assert.equal(text, full.choices[0].text);
  });
});

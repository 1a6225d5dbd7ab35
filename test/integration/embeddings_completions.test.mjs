// POST /v1/embeddings routed to OpenAI-compatible, Azure, Gemini and Ollama embedding models
// (float and base64 answers, failover, what each API cannot take), and legacy
// POST /v1/completions for OpenAI-compatible targets.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { readSse, startKatara, startSim } from '../lib/harness.mjs';

const quick = { ttft_ms: 1, tokens_per_second: 2000, answer_tokens: 4 };

// OpenAI's base64 embedding: little-endian float32 values.
const fromBase64 = (s) => {
  const b = Buffer.from(s, 'base64');
  return Array.from(new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4));
};

describe('embeddings and legacy completions', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({
      oai: { api_key: 'sk-oai', models: { 'embed-x': quick, 'gpt-instruct': quick } },
      gem: { api_key: 'AIza-sim', models: { 'gemini-embed': quick } },
      local: { models: { 'nomic-embed': quick } },
      claude: { models: { 'claude-x': quick } },
      az: { api_key: 'az-key', models: { 'embed-deployment': quick, 'instruct-deployment': quick } },
    });
    katara = await startKatara(`
providers:
  oai: { kind: openai, base_url: ${sim.url('oai')}, api_key: sk-oai }
  gem: { kind: gemini, base_url: ${sim.root('gem')}, api_key: AIza-sim }
  local: { kind: ollama, base_url: ${sim.root('local')} }
  claude: { kind: anthropic, base_url: ${sim.root('claude')}, api_key: k }
  az: { kind: azure, base_url: ${sim.root('az')}, api_key: az-key }
models:
  openai-embed: { targets: [ { provider: oai, model: embed-x } ] }
  gemini-embed: { targets: [ { provider: gem, model: gemini-embed } ] }
  ollama-embed: { targets: [ { provider: local, model: nomic-embed } ] }
  azure-embed: { targets: [ { provider: az, model: embed-deployment } ] }
  embed: { targets: [ { provider: claude, model: claude-x }, { provider: gem, model: gemini-embed }, { provider: local, model: nomic-embed }, { provider: oai, model: embed-x } ] }
  instruct: { targets: [ { provider: claude, model: claude-x }, { provider: oai, model: gpt-instruct } ] }
  claude-only: { targets: [ { provider: claude, model: claude-x } ] }
  azure-instruct: { targets: [ { provider: az, model: instruct-deployment } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  beforeEach(async () => sim.reset());
  const embed = (body) => katara.post('/v1/embeddings', body);
  const lastRequest = async (provider) => (await sim.log({ provider })).at(-1);

  test('float and base64 answers carry the same float32 vectors; the upstream is asked for floats', async () => {
    const float = await (await embed({ model: 'openai-embed', input: ['hello', 'world'], encoding_format: 'float' })).json();
    assert.equal(float.object, 'list');
    assert.equal(float.data.length, 2);
    assert.deepEqual(float.data.map((d) => d.index), [0, 1]);
    assert.equal(float.data[0].object, 'embedding');
    assert.equal(float.data[0].embedding.length, 8);
    assert.ok(float.usage.prompt_tokens > 0);
    const base64 = await (await embed({ model: 'openai-embed', input: ['hello', 'world'], encoding_format: 'base64' })).json();
    assert.equal(typeof base64.data[0].embedding, 'string');
    // Floats are written in their shortest float32 form (as OpenAI writes them): read back as
    // float32 they are the base64 answer's values exactly.
    assert.deepEqual(fromBase64(base64.data[0].embedding), float.data[0].embedding.map(Math.fround));
    assert.deepEqual(fromBase64(base64.data[1].embedding), float.data[1].embedding.map(Math.fround));
    assert.notDeepEqual(float.data[0].embedding, float.data[1].embedding);
    const up = await lastRequest('oai');
    assert.equal(up.request.encoding_format, 'float');
    assert.deepEqual(up.request.input, ['hello', 'world']);
  });

  test('Gemini, Ollama and Azure embed the same text to the same vector; dimensions are passed on', async () => {
    const vectorFrom = async (model, extra = {}) => (await (await embed({ model, input: 'same text', ...extra })).json()).data[0].embedding;
    const reference = await vectorFrom('openai-embed');
    assert.deepEqual(await vectorFrom('gemini-embed'), reference);
    assert.deepEqual(await vectorFrom('ollama-embed'), reference);
    assert.deepEqual(await vectorFrom('azure-embed'), reference);
    assert.equal((await vectorFrom('gemini-embed', { dimensions: 4 })).length, 4);
    assert.equal((await lastRequest('gem')).request.requests[0].outputDimensionality, 4);
    assert.equal((await vectorFrom('ollama-embed', { dimensions: 5 })).length, 5);
    assert.equal((await lastRequest('local')).request.dimensions, 5);
    const az = await lastRequest('az');
    assert.equal(az.format, 'azure');
    assert.equal(az.auth, 'api-key');
  });

  test('a route skips a kind without embeddings, and fails over on a provider failure', async () => {
    let res = await embed({ model: 'embed', input: 'x' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-katara-provider'), 'gem', 'anthropic has no embeddings API: not tried');
    assert.equal(res.headers.get('x-katara-attempts'), '1');
    await sim.faults('gem', { error_rate: 1, error_statuses: [503] });
    res = await embed({ model: 'embed', input: 'x' });
    assert.equal(res.headers.get('x-katara-provider'), 'local');
    assert.equal(res.headers.get('x-katara-attempts'), '2');
  });

  test('token-id inputs go only to OpenAI-compatible targets', async () => {
    const res = await embed({ model: 'embed', input: [[1, 2, 3], [4, 5]] });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-katara-provider'), 'oai');
    assert.equal((await res.json()).data.length, 2);
    assert.deepEqual((await lastRequest('oai')).request.input, [[1, 2, 3], [4, 5]]);
    const only = await embed({ model: 'gemini-embed', input: [1, 2, 3] });
    assert.equal(only.status, 400);
    const err = (await only.json()).error;
    assert.equal(err.code, 'untranslatable_request');
    assert.match(err.message, /Gemini embeds text, not token ids/);
  });

  test('bad requests get OpenAI-shaped 400s and 404s, and reach no provider', async () => {
    const cases = [
      [{ model: 'openai-embed' }, 400, /input/],
      [{ model: 'openai-embed', input: '' }, 400, /empty/],
      [{ model: 'openai-embed', input: [] }, 400, /empty/],
      [{ model: 'openai-embed', input: 'x', encoding_format: 'int8' }, 400, /encoding_format/],
      [{ model: 'openai-embed', input: 'x', dimensions: 0 }, 400, /dimensions/],
      [{ model: 'openai-embed', input: ['a', 1] }, 400, /input/],
      [{ input: 'x' }, 400, /model/],
      [{ model: 'nope', input: 'x' }, 404, /nope/],
    ];
    for (const [body, status, pattern] of cases) {
      const res = await embed(body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.match((await res.json()).error.message, pattern, JSON.stringify(body));
    }
    assert.equal((await sim.log()).length, 0);
  });

  test('legacy completions pass through to an OpenAI-compatible target, whole and streamed', async () => {
    let res = await katara.post('/v1/completions', { model: 'instruct', prompt: 'Say this is a test', max_tokens: 7 });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-katara-provider'), 'oai', 'the Anthropic target cannot take a legacy completion');
    const body = await res.json();
    assert.equal(body.object, 'text_completion');
    assert.equal(body.choices[0].text, 'Katara routes every request');
    assert.equal(body.choices[0].finish_reason, 'stop');
    const up = await lastRequest('oai');
    assert.equal(up.model, 'gpt-instruct');
    assert.equal(up.request.prompt, 'Say this is a test');
    assert.equal(up.request.max_tokens, 7);
    assert.equal((await sim.log({ provider: 'claude' })).length, 0);

    res = await katara.post('/v1/completions', { model: 'instruct', prompt: ['a', 'b'], stream: true, stream_options: { include_usage: true } });
    const events = await readSse(res);
    assert.equal(events.at(-1).data, '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    assert.ok(chunks.every((c) => c.object === 'text_completion'));
    assert.equal(chunks.map((c) => c.choices[0]?.text ?? '').join(''), 'Katara routes every request');
    assert.equal(chunks.at(-1).usage.completion_tokens, 4);

    res = await katara.post('/v1/completions', { model: 'azure-instruct', prompt: 'x' });
    assert.equal(res.status, 200);
    assert.equal((await lastRequest('az')).format, 'azure');
  });

  test('legacy completions: bad prompts are 400s; a route without an OpenAI-compatible target is a 400', async () => {
    for (const body of [{ model: 'instruct' }, { model: 'instruct', prompt: 3 }, { model: 'instruct', prompt: [{}] }, { model: 'instruct', prompt: 'x', stream: 'yes' }]) {
      const res = await katara.post('/v1/completions', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal((await res.json()).error.type, 'invalid_request_error');
    }
    const res = await katara.post('/v1/completions', { model: 'claude-only', prompt: 'x' });
    assert.equal(res.status, 400);
    const err = (await res.json()).error;
    assert.equal(err.code, 'untranslatable_request');
    assert.match(err.message, /served only by OpenAI-compatible targets/);
  });
});

// The official Anthropic Node SDK, unchanged, pointed at Katara: a 1.x release (Bearer auth,
// anthropic-version 2026-10-21) and a 0.x release (x-api-key, 2023-06-01), against an
// Anthropic-format upstream, an OpenAI-format upstream, and a route that fails over between them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import Anthropic1 from '@anthropic-ai/sdk';
import Anthropic0 from 'anthropic-sdk-0';

import { freePort, startKatara, startSim } from '../lib/harness.mjs';

const model = { ttft_ms: 5, tokens_per_second: 500, answer_tokens: 8 };
const weather = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

for (const [generation, Anthropic] of [['1.x', Anthropic1], ['0.x', Anthropic0]]) {
  describe(`@anthropic-ai/sdk ${generation}`, () => {
    let sim, katara, client;
    before(async () => {
      sim = await startSim({ claude: { models: { 'claude-sim': model } }, gpt: { models: { 'gpt-sim': model } } });
      const dead = await freePort();
      katara = await startKatara(`
api_keys: [ "sk-local-1" ]
providers:
  claude: { kind: anthropic, base_url: ${sim.root('claude')}, api_key: k }
  gpt:    { kind: openai, base_url: ${sim.url('gpt')}, api_key: k }
  down:   { kind: anthropic, base_url: http://127.0.0.1:${dead}, api_key: k }
models:
  claude: { targets: [ { provider: claude, model: claude-sim } ] }
  gpt:    { targets: [ { provider: gpt, model: gpt-sim } ] }
  resilient: { targets: [ { provider: down, model: claude-sim }, { provider: gpt, model: gpt-sim } ] }
`);
      client = new Anthropic({ baseURL: katara.base, apiKey: 'sk-local-1', maxRetries: 0 });
    });
    after(async () => {
      await katara?.stop();
      await sim?.stop();
    });

    for (const route of ['claude', 'gpt', 'resilient']) {
      test(`messages.create via ${route}`, async () => {
        const msg = await client.messages.create({ model: route, max_tokens: 100, messages: [{ role: 'user', content: 'Hello' }] });
        assert.equal(msg.type, 'message');
        assert.equal(msg.role, 'assistant');
        assert.equal(msg.content[0].type, 'text');
        assert.ok(msg.content[0].text.length > 0);
        assert.equal(msg.stop_reason, 'end_turn');
        assert.equal(msg.usage.output_tokens, 8);
        assert.match(msg._request_id, /^req_/, 'from the request-id header');
      });

      test(`messages.stream via ${route}: the SDK's MessageStream accepts the event order`, async () => {
        const stream = client.messages.stream({ model: route, max_tokens: 100, messages: [{ role: 'user', content: 'Hello' }] });
        let text = '';
        stream.on('text', (t) => (text += t));
        const final = await stream.finalMessage();
        assert.equal(final.content[0].text, text);
        assert.ok(text.startsWith('Katara routes every request'));
        assert.equal(final.stop_reason, 'end_turn');
        assert.equal(final.usage.output_tokens, 8);
        assert.ok(final.usage.input_tokens > 0);
      });

      test(`tool use via ${route}, streamed`, async () => {
        const stream = client.messages.stream({
          model: route,
          max_tokens: 100,
          tools: [weather],
          messages: [{ role: 'user', content: 'Weather in Paris?' }],
        });
        const final = await stream.finalMessage();
        assert.equal(final.stop_reason, 'tool_use');
        const use = final.content.find((b) => b.type === 'tool_use');
        assert.equal(use.name, 'get_weather');
        assert.deepEqual(use.input, { city: 'sim' });
      });
    }

    test('a tool_result turn reaches an OpenAI-format target as a tool message', async () => {
      const msg = await client.messages.create({
        model: 'gpt',
        max_tokens: 100,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' }] },
        ],
      });
      assert.equal(msg.type, 'message');
      const up = (await sim.log({ provider: 'gpt' })).at(-1).request;
      assert.deepEqual(up.messages[1].tool_calls[0].function, { name: 'get_weather', arguments: '{"city":"Paris"}' });
      assert.deepEqual(up.messages[2], { role: 'tool', content: 'Sunny', tool_call_id: 'toolu_1' });
    });

    test('countTokens', async () => {
      const counted = await client.messages.countTokens({ model: 'claude', messages: [{ role: 'user', content: 'Hello there' }] });
      assert.ok(counted.input_tokens > 0);
    });

    test('errors arrive as the SDK error classes', async () => {
      await assert.rejects(
        client.messages.create({ model: 'nope', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
        (e) => e instanceof Anthropic.NotFoundError && e.status === 404 && e.error.error.type === 'not_found_error' &&
          /^req_/.test(e.requestID) && e.error.request_id === e.requestID,
      );
      const wrongKey = new Anthropic({ baseURL: katara.base, apiKey: 'sk-wrong', maxRetries: 0 });
      await assert.rejects(
        wrongKey.messages.create({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
        (e) => e instanceof Anthropic.AuthenticationError && e.error.error.type === 'authentication_error',
      );
    });

    test('the SDK generation authenticates as documented', async () => {
      await client.messages.create({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
      const up = (await sim.log({ provider: 'claude' })).at(-1);
      assert.equal(up.auth, 'x-api-key', 'Katara sends its own key for the provider, whichever way the client authenticated');
      assert.equal(up.api_version, generation === '1.x' ? '2026-10-21' : '2023-06-01', "the client's version is carried on pass-through");
    });
  });
}

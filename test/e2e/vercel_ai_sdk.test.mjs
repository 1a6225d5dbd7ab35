// The Vercel AI SDK (`ai` with `@ai-sdk/openai-compatible`), unchanged, pointed at Katara:
// text, streaming, tool calls with execution, and embeddings — answered by targets of every
// format, with a failover in front.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { embedMany, generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';

import { startKatara, startSim } from '../lib/harness.mjs';

const answer = { ttft_ms: 5, tokens_per_second: 500, answer_tokens: 6 };
const expectedText = 'Katara routes every request to a';

describe('Vercel AI SDK', () => {
  let sim, katara, katara_provider;
  before(async () => {
    sim = await startSim({
      down: { models: { m0: {} }, faults: { reset_rate: 1 } },
      oai: { models: { 'gpt-sim': answer, 'embed-sim': answer } },
      claude: { models: { 'claude-sim': answer } },
      gem: { models: { 'gemini-sim': answer } },
      local: { models: { 'llama-sim': answer } },
    });
    katara = await startKatara(`
api_keys: [ "sk-local-1" ]
providers:
  down: { kind: openai, base_url: ${sim.url('down')}, api_key: k }
  oai: { kind: openai, base_url: ${sim.url('oai')}, api_key: k }
  claude: { kind: anthropic, base_url: ${sim.root('claude')}, api_key: k }
  gem: { kind: gemini, base_url: ${sim.root('gem')}, api_key: k }
  local: { kind: ollama, base_url: ${sim.root('local')} }
models:
  openai: { targets: [ { provider: down, model: m0 }, { provider: oai, model: gpt-sim } ] }
  anthropic: { targets: [ { provider: down, model: m0 }, { provider: claude, model: claude-sim } ] }
  gemini: { targets: [ { provider: gem, model: gemini-sim } ] }
  ollama: { targets: [ { provider: local, model: llama-sim } ] }
  embed: { targets: [ { provider: oai, model: embed-sim } ] }
`);
    katara_provider = createOpenAICompatible({
      name: 'katara',
      baseURL: `${katara.base}/v1`,
      apiKey: 'sk-local-1',
      includeUsage: true,
    });
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });

  for (const model of ['openai', 'anthropic', 'gemini', 'ollama']) {
    test(`generateText and streamText, answered by the ${model}-format target`, async () => {
      const full = await generateText({ model: katara_provider(model), prompt: 'Hello', maxRetries: 0 });
      assert.equal(full.text, expectedText);
      assert.equal(full.finishReason, 'stop');
      assert.equal(full.usage.outputTokens, 6);

      const stream = streamText({ model: katara_provider(model), prompt: 'Hello', maxRetries: 0 });
      let text = '';
      for await (const delta of stream.textStream) text += delta;
      assert.equal(text, expectedText);
      assert.equal(await stream.finishReason, 'stop');
      assert.equal((await stream.usage).outputTokens, 6);
    });

    test(`a tool is called and executed, then answered, through the ${model}-format target`, async () => {
      const calls = [];
      const tools = {
        get_weather: tool({
          description: 'Weather for a city',
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => {
            calls.push(city);
            return `Sunny in ${city}`;
          },
        }),
      };
      const stream = streamText({ model: katara_provider(model), prompt: 'Weather?', tools, maxRetries: 0 });
      const parts = [];
      for await (const part of stream.fullStream) parts.push(part.type);
      assert.ok(parts.includes('tool-call'), parts.join(','));
      assert.ok(parts.includes('tool-result'), parts.join(','));
      assert.deepEqual(calls, ['sim']);
      assert.equal(await stream.finishReason, 'tool-calls');

      // Two steps: the tool's result goes back, and the model (given no tools now) answers.
      const result = await generateText({
        model: katara_provider(model),
        prompt: 'Weather?',
        tools,
        stopWhen: stepCountIs(2),
        prepareStep: ({ stepNumber }) => (stepNumber === 1 ? { activeTools: [] } : {}),
        maxRetries: 0,
      });
      assert.equal(result.steps.length, 2);
      assert.equal(result.text, expectedText);
    });
  }

  test('embedMany', async () => {
    const { embeddings } = await embedMany({ model: katara_provider.embeddingModel('embed'), values: ['alpha', 'beta'], maxRetries: 0 });
    assert.equal(embeddings.length, 2);
    assert.equal(embeddings[0].length, 8);
    assert.notDeepEqual(embeddings[0], embeddings[1]);
  });
});

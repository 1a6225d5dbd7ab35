// The server around the API: auth, limits, health, keep-alive, shutdown and configuration.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';

import { hi, readSse, runKatara, sleep, startKatara, startSim, tmpFile } from '../lib/harness.mjs';

function rawExchange(port, bytes, { waitMs = 3000 } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    const t0 = Date.now();
    sock.on('data', (d) => (data += d));
    sock.on('close', () => resolve({ data, closedAfter: Date.now() - t0 }));
    sock.on('error', () => {});
    if (bytes) sock.write(bytes);
    setTimeout(() => sock.destroy(), waitMs);
  });
}

describe('server', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({ p: { models: { m: { ttft_ms: 1, tokens_per_second: 2000, answer_tokens: 3 } } } });
    katara = await startKatara(`
api_keys: [ "sk-local-1", "sk-local-2" ]
limits: { max_body_bytes: 4096, max_header_bytes: 2048, header_timeout_ms: 400 }
providers:
  p: { kind: openai, base_url: ${sim.url('p')}, api_key: k }
models:
  m: { targets: [ { provider: p, model: m } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  const auth = { authorization: 'Bearer sk-local-2' };

  test('/healthz and /readyz need no key', async () => {
    assert.equal((await fetch(`${katara.base}/healthz`)).status, 200);
    const ready = await fetch(`${katara.base}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal((await ready.json()).status, 'ready');
  });

  test('a missing or wrong key is a 401 in OpenAI shape; a right one passes', async () => {
    const none = await katara.chat(hi('m'));
    assert.equal(none.status, 401);
    assert.equal((await none.json()).error.code, 'missing_api_key');
    const wrong = await katara.chat(hi('m'), { authorization: 'Bearer nope' });
    assert.equal(wrong.status, 401);
    assert.equal((await wrong.json()).error.code, 'invalid_api_key');
    assert.equal((await katara.chat(hi('m'), auth)).status, 200);
    const models = await fetch(`${katara.base}/v1/models`);
    assert.equal(models.status, 401, '/v1/models is protected too');
  });

  test('malformed JSON, missing messages and unknown models get OpenAI errors', async () => {
    const bad = await katara.chat('{"model": "m", "messages": [', auth);
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.type, 'invalid_request_error');
    const missing = await katara.chat({ model: 'm' }, auth);
    assert.equal(missing.status, 400);
    assert.equal((await missing.json()).error.param, 'messages');
    const unknown = await katara.chat(hi('no-such-model'), auth);
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error.code, 'model_not_found');
    assert.equal((await sim.log()).filter((e) => e.model !== 'm').length, 0, 'nothing reached a provider');
  });

  test('GET /v1/models lists the aliases; /v1/models/{id} returns one', async () => {
    const list = await (await fetch(`${katara.base}/v1/models`, { headers: auth })).json();
    assert.equal(list.object, 'list');
    assert.deepEqual(list.data.map((m) => m.id), ['m']);
    assert.equal(list.data[0].object, 'model');
    assert.equal(typeof list.data[0].created, 'number');
    const one = await fetch(`${katara.base}/v1/models/m`, { headers: auth });
    assert.equal((await one.json()).id, 'm');
    assert.equal((await fetch(`${katara.base}/v1/models/zzz`, { headers: auth })).status, 404);
  });

  test('unknown paths are 404 and wrong methods 405', async () => {
    assert.equal((await fetch(`${katara.base}/v1/nothing`, { headers: auth })).status, 404);
    assert.equal((await fetch(`${katara.base}/v1/chat/completions`, { headers: auth })).status, 405);
  });

  test('an oversized body is a 413 in OpenAI shape', async () => {
    const big = hi('m', { messages: [{ role: 'user', content: 'x'.repeat(10000) }] });
    const res = await katara.chat(big, auth);
    assert.equal(res.status, 413);
    const body = await res.json();
    assert.equal(body.error.code, 'request_too_large');
  });

  test("an oversized body on Anthropic's paths is a 413 in Anthropic's shape", async () => {
    const res = await katara.messages({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x'.repeat(10000) }] }, auth);
    assert.equal(res.status, 413);
    const body = await res.json();
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'request_too_large');
    assert.match(body.error.message, /larger than the limit/);
  });

  test('an oversized chunked body is refused too', async () => {
    const res = await new Promise((resolve) => {
      const req = http.request({ port: katara.port, method: 'POST', path: '/v1/chat/completions', headers: { ...auth, 'transfer-encoding': 'chunked' } }, resolve);
      req.on('error', () => {});
      for (let i = 0; i < 10; ++i) req.write('x'.repeat(1000));
      req.end();
    });
    assert.equal(res.statusCode, 413);
  });

  test('oversized headers are a 431, in the shape of the API the path belongs to', async () => {
    const res = await fetch(`${katara.base}/healthz`, { headers: { 'x-pad': 'y'.repeat(4000) } });
    assert.equal(res.status, 431);
    assert.equal((await res.json()).error.code, 'headers_too_large');
    const anthropic = await fetch(`${katara.base}/v1/messages`, { method: 'POST', headers: { 'x-pad': 'y'.repeat(4000) }, body: '{}' });
    assert.equal(anthropic.status, 431);
    assert.equal((await anthropic.json()).type, 'error');
  });

  test('bytes that are not HTTP get a 400 in OpenAI shape', async () => {
    const { data } = await rawExchange(katara.port, 'HELLO THERE\r\n\r\n', { waitMs: 1000 });
    assert.match(data, /^HTTP\/1\.1 400 /);
    assert.match(data, /"code":"bad_request"/);
  });

  test('a silent client is disconnected after the header timeout', async () => {
    const { closedAfter } = await rawExchange(katara.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
    assert.ok(closedAfter < 2000, `closed after ${closedAfter} ms`);
  });

  test('keep-alive serves several requests on one connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ports = [];
    for (let i = 0; i < 3; ++i) {
      await new Promise((resolve) => {
        http.get({ port: katara.port, path: '/healthz', agent }, (res) => {
          ports.push(res.socket.localPort);
          res.resume();
          res.on('end', resolve);
        });
      });
    }
    agent.destroy();
    assert.equal(new Set(ports).size, 1);
  });
});

// A gateway with a grace period, in front of one slow streaming model; `body` gets both.
async function withSlowStream({ grace, tokensPerSecond, tokens }, body) {
  const sim = await startSim({ p: { models: { slow: { ttft_ms: 10, tokens_per_second: tokensPerSecond, answer_tokens: tokens } } } });
  const katara = await startKatara(`
shutdown_grace_ms: ${grace}
providers:
  p: { kind: openai, base_url: ${sim.url('p')}, api_key: k }
models:
  m: { targets: [ { provider: p, model: slow } ] }
`);
  try {
    await body(katara);
  } finally {
    await katara.stop();
    await sim.stop();
  }
}

describe('shutdown', () => {
  test('SIGTERM lets an in-flight stream finish, refuses new connections, and exits 0', () =>
    withSlowStream({ grace: 5000, tokensPerSecond: 20, tokens: 12 }, async (katara) => {
      const res = await katara.chat(hi('m', { stream: true }));
      const reading = readSse(res);
      await sleep(100);
      katara.proc.kill('SIGTERM');
      await sleep(100);
      await assert.rejects(fetch(`${katara.base}/healthz`), 'new connections are refused while draining');
      const events = await reading;
      assert.equal(events.at(-1).data, '[DONE]');
      assert.equal(events.filter((e) => e.data.includes('"content"')).length, 12, 'the whole answer arrived');
      assert.equal((await katara.exited).code, 0);
    }));

  test('a stream that outlives the grace period is cut and the process still exits 0', () =>
    withSlowStream({ grace: 300, tokensPerSecond: 5, tokens: 100 }, async (katara) => {
      const res = await katara.chat(hi('m', { stream: true }));
      const reading = readSse(res).catch(() => 'cut');
      await sleep(200);
      const t0 = Date.now();
      katara.proc.kill('SIGTERM');
      assert.equal((await katara.exited).code, 0);
      assert.ok(Date.now() - t0 < 3000, 'the grace period bounds the wait');
      await reading;
    }));
});

describe('configuration', () => {
  test('katara check reports every error with its YAML path and exits 2', async () => {
    const file = tmpFile('bad.yaml', `
listen: nowhere
providers:
  a: { kind: openai, base_url: http://x/v1, timeouts: { connect_ms: fast }, colour: blue }
models:
  m: { targets: [ { provider: ghost, model: x } ] }
`);
    const { code, out } = await runKatara(['check', '--config', file]);
    assert.equal(code, 2);
    assert.match(out, /listen: expected host:port/);
    assert.match(out, /providers\.a\.timeouts\.connect_ms: expected an integer/);
    assert.match(out, /providers\.a\.colour: unknown key/);
    assert.match(out, /models\.m\.targets\[0\]\.provider: no provider named "ghost"/);
  });

  test('serve refuses to start on a bad config', async () => {
    const { code } = await runKatara(['serve', '--config', tmpFile('bad.yaml', 'providers: 3\n')]);
    assert.equal(code, 2);
  });

  test('the shipped katara.yaml is valid; providers without keys are disabled, one line each', async () => {
    const env = { OPENAI_API_KEY: 'sk-test' };
    for (const k of ['ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GROQ_API_KEY', 'TOGETHER_API_KEY', 'MISTRAL_API_KEY', 'DEEPSEEK_API_KEY', 'OPENROUTER_API_KEY']) env[k] = '';
    const { code, out } = await runKatara(['check', '--config', 'katara.yaml'], env);
    assert.equal(code, 0, out);
    assert.equal(out.match(/disabled: environment variable \w+ is not set/g).length, 7);
    assert.doesNotMatch(out, /openai disabled/);
  });

  test('readyz is 503 when no route has an enabled target', async () => {
    const katara = await startKatara(`
providers:
  a: { kind: openai, base_url: http://127.0.0.1:9/v1, api_key: "\${KATARA_TEST_NEVER_SET}" }
models:
  m: { targets: [ { provider: a, model: x } ] }
`);
    try {
      assert.equal((await fetch(`${katara.base}/readyz`)).status, 503);
      const res = await katara.chat(hi('m'));
      assert.equal(res.status, 503);
      assert.match((await res.json()).error.message, /KATARA_TEST_NEVER_SET is not set/);
      assert.match(katara.output(), /provider a disabled: environment variable KATARA_TEST_NEVER_SET is not set/);
    } finally {
      await katara.stop();
    }
  });

  test('katara --version prints the version', async () => {
    const { code, out } = await runKatara(['--version']);
    assert.equal(code, 0);
    assert.match(out, /^katara \d+\.\d+\.\d+/);
  });
});

describe('IPv6', () => {
  test('an upstream on [::1] is reached', async () => {
    const sim = await startSim({ v6: { host: '::1', models: { m: { ttft_ms: 1, answer_tokens: 2 } } } });
    const katara = await startKatara(`
providers:
  v6: { kind: openai, base_url: "http://[::1]:${sim.ports.v6}/v1", api_key: k }
models:
  m: { targets: [ { provider: v6, model: m } ] }
`);
    try {
      const res = await katara.chat(hi('m'));
      assert.equal(res.status, 200);
      assert.equal((await res.json()).model, 'm');
    } finally {
      await katara.stop();
      await sim.stop();
    }
  });
});

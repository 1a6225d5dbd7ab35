// Routing that decides: each strategy against simulated targets that differ in speed, price,
// load and errors, the per-request controls, and the reason every answer carries.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { hi, hiAnthropic, readSse, sleep, startKatara, startSim } from '../lib/harness.mjs';

const quick = { ttft_ms: 5, tokens_per_second: 1000, answer_tokens: 3 };

describe('routing strategies', () => {
  let sim, katara;
  before(async () => {
    sim = await startSim({
      fast: { models: { f: quick } },
      slow: { models: { s: { ...quick, ttft_ms: 120 } } },
      cheap: { models: { c: quick } },
      dear: { models: { d: quick } },
      flaky: { models: { x: quick } },
      gpu: { models: { llama: { ...quick, ttft_ms: 300 } } },
      cloud: { models: { m: { ...quick, ttft_ms: 300 } } },
      limited: { models: { l: quick }, faults: { requests_per_minute: 8 } },
      claude_limited: { models: { cl: quick }, faults: { requests_per_minute: 8 } },
      spare: { models: { sp: quick } },
    });
    katara = await startKatara(`
pricing:
  "cheap/c": { input_per_mtok: 0.1, output_per_mtok: 0.4 }
  "dear/d":  { input_per_mtok: 5, output_per_mtok: 25, cached_input_per_mtok: 0.5 }
  "fast/f":  { input_per_mtok: 3, output_per_mtok: 15 }
  "slow/s":  { input_per_mtok: 0.2, output_per_mtok: 0.8 }
providers:
  fast:  { kind: openai, base_url: ${sim.url('fast')} }
  slow:  { kind: openai, base_url: ${sim.url('slow')} }
  cheap: { kind: openai, base_url: ${sim.url('cheap')}, local: false }
  dear:  { kind: openai, base_url: ${sim.url('dear')}, local: false }
  flaky: { kind: openai, base_url: ${sim.url('flaky')} }
  gpu:   { kind: openai, base_url: ${sim.url('gpu')} }
  cloud: { kind: openai, base_url: ${sim.url('cloud')}, local: false }
  limited: { kind: openai, base_url: ${sim.url('limited')} }
  claude_limited: { kind: anthropic, base_url: ${sim.root('claude_limited')} }
  spare: { kind: openai, base_url: ${sim.url('spare')} }
models:
  capped:   { targets: [ { provider: limited, model: l }, { provider: spare, model: sp } ] }
  capped_claude: { targets: [ { provider: claude_limited, model: cl }, { provider: spare, model: sp } ] }
  quickest: { strategy: latency, targets: [ { provider: slow, model: s }, { provider: fast, model: f } ] }
  thrifty:  { strategy: cost, targets: [ { provider: dear, model: d }, { provider: cheap, model: c } ] }
  shares:   { strategy: weighted, targets: [ { provider: cheap, model: c, weight: 3 }, { provider: dear, model: d, weight: 1 } ] }
  turns:    { strategy: round_robin, targets: [ { provider: cheap, model: c }, { provider: dear, model: d } ] }
  calm:     { strategy: least_busy, targets: [ { provider: gpu, model: llama }, { provider: cloud, model: m } ] }
  home:     { strategy: local_first, targets: [ { provider: cloud, model: m }, { provider: gpu, model: llama, max_concurrency: 2 } ] }
  sensible:
    strategy: balanced
    weights: { cost: 1, latency: 1, errors: 1 }
    constraints: { max_ttft_ms: 60 }
    targets: [ { provider: slow, model: s }, { provider: fast, model: f } ]
  unpriced: { targets: [ { provider: cloud, model: m } ] }
  open:     { targets: [ { provider: gpu, model: llama } ] }
  steady:   { strategy: balanced, weights: { cost: 0, latency: 0, errors: 1 }, targets: [ { provider: flaky, model: x }, { provider: fast, model: f } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });
  beforeEach(async () => sim.reset());

  const served = async (alias, extra = {}, headers = {}) => {
    const res = await katara.chat(hi(alias, extra), headers);
    await res.text();
    return res;
  };
  const count = (xs) => xs.reduce((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});

  test('latency: once measured, the target with the quicker first token serves', async () => {
    for (let i = 0; i < 12; ++i) await readSse(await katara.chat(hi('quickest', { stream: true })));  // both get measured
    const by = [];
    for (let i = 0; i < 20; ++i) {
      const res = await katara.chat(hi('quickest', { stream: true }));
      await readSse(res);
      by.push(res.headers.get('x-katara-provider'));
    }
    assert.ok(count(by).fast >= 15, `fast first almost always (5 % exploration aside): ${JSON.stringify(count(by))}`);
    // The reason of a request that did not explore (5 % do, to keep the slow target measured).
    let reason;
    for (let i = 0; i < 10 && (!reason || reason.includes('explore=')); ++i) {
      const res = await katara.chat(hi('quickest', { stream: true }));
      await readSse(res);
      reason = res.headers.get('x-katara-route-reason');
    }
    assert.match(reason, /^strategy=latency;order=fast\/f,slow\/s;ttft_ms=\d+,\d+$/);
  });

  test('cost: the cheapest expected cost first, with the figures in the reason', async () => {
    const res = await served('thrifty');
    assert.equal(res.headers.get('x-katara-provider'), 'cheap');
    const reason = res.headers.get('x-katara-route-reason');
    assert.match(reason, /^strategy=cost;order=cheap\/c,dear\/d;cost_usd=[\d.e-]+,[\d.e-]+$/);
    const [c, d] = reason.split('cost_usd=')[1].split(',').map(Number);
    assert.ok(d / c > 40, `5/25 against 0.1/0.4 per million: ${c} vs ${d}`);
  });

  test('the cheap target down: cost still fails over to the dearer one', async () => {
    await sim.faults('cheap', { error_rate: 1, error_statuses: [503] });
    const res = await served('thrifty');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-katara-provider'), 'dear');
    assert.equal(res.headers.get('x-katara-attempts'), '2');
  });

  test('weighted: first tries follow the weights', async () => {
    const by = [];
    for (let i = 0; i < 200; ++i) by.push((await served('shares')).headers.get('x-katara-provider'));
    const c = count(by);
    assert.ok(c.cheap > 120 && c.cheap < 180, `about 3 to 1: ${JSON.stringify(c)}`);
  });

  test('round_robin: each request starts one target further', async () => {
    const by = [];
    for (let i = 0; i < 6; ++i) by.push((await served('turns')).headers.get('x-katara-provider'));
    for (let i = 1; i < by.length; ++i) assert.notEqual(by[i], by[i - 1], by.join(' '));
  });

  test('least_busy: concurrent requests spread over the targets', async () => {
    const all = await Promise.all([...Array(6)].map(() => served('calm')));
    const c = count(all.map((r) => r.headers.get('x-katara-provider')));
    assert.ok(c.gpu >= 2 && c.cloud >= 2, JSON.stringify(c));
  });

  test('local_first: the open model fills up to its capacity, the rest spills to the cloud', async () => {
    const all = await Promise.all([...Array(5)].map(() => served('home')));
    const c = count(all.map((r) => r.headers.get('x-katara-provider')));
    assert.deepEqual(c, { gpu: 2, cloud: 3 }, 'two at once on the GPU, the others in the cloud');
    const one = await served('home');
    assert.equal(one.headers.get('x-katara-provider'), 'gpu', 'alone, the local model serves');
    await sim.faults('gpu', { reset_rate: 1 });
    assert.equal((await served('home')).headers.get('x-katara-provider'), 'cloud', 'and the cloud when it is down');
  });

  test('balanced: a target that breaks a constraint is used only when nothing else can answer', async () => {
    for (let i = 0; i < 12; ++i) await readSse(await katara.chat(hi('sensible', { stream: true })));
    const res = await katara.chat(hi('sensible', { stream: true }));
    await readSse(res);
    assert.equal(res.headers.get('x-katara-provider'), 'fast', 'slow is cheaper but over 60 ms to its first token');
    assert.match(res.headers.get('x-katara-route-reason'), /held_back=slow\/s:max_ttft/);
    await sim.faults('fast', { error_rate: 1, error_statuses: [503] });
    const fallback = await katara.chat(hi('sensible', { stream: true }));
    await readSse(fallback);
    assert.equal(fallback.headers.get('x-katara-provider'), 'slow');
  });

  test('balanced: the error rate counts', async () => {
    await sim.faults('flaky', { error_rate: 0.8, error_statuses: [500] });
    for (let i = 0; i < 10; ++i) await served('steady');
    const by = [];
    for (let i = 0; i < 10; ++i) by.push((await served('steady')).headers.get('x-katara-provider'));
    assert.ok(count(by).fast >= 9, `the target that fails 80 % goes second: ${by.join(' ')}`);
  });

  for (const [alias, provider] of [['capped', 'limited'], ['capped_claude', 'claude_limited']]) {
    test(`a target about to hit its rate limit is passed over before it answers 429 (${provider})`, async () => {
      const by = [];
      for (let i = 0; i < 16; ++i) {
        const res = await served(alias);
        assert.equal(res.status, 200);
        by.push(res.headers.get('x-katara-provider'));
      }
      const log = await sim.log({ provider });
      assert.equal(log.filter((e) => e.status === 429).length, 0, 'it never had to refuse');
      assert.equal(count(by)[provider], 7, `7 of its 8 a minute, then the spare: ${by.join(' ')}`);
      const res = await served(alias);
      assert.match(res.headers.get('x-katara-route-reason'), new RegExp(`held_back=${provider}/\\w+:rate_limit`));
    });
  }

  test('a models array in the body: the aliases after model are fallbacks, never sent upstream', async () => {
    await sim.faults('cheap', { error_rate: 1, error_statuses: [503] });
    const res = await katara.chat(hi('turns', { models: ['open', 'unpriced'] }), { 'x-katara-strategy': 'fallback' });
    assert.equal(res.status, 200);
    await res.text();
    // turns = [cheap (503), dear]; then open's gpu, then unpriced's cloud
    assert.equal(res.headers.get('x-katara-provider'), 'dear');
    assert.match(res.headers.get('x-katara-route-reason'), / models:open:strategy=fallback;order=gpu\/llama models:unpriced:/);
    const [sent] = await sim.log({ provider: 'dear' });
    assert.equal(sent.request.models, undefined, 'the field is Katara\'s own');
    assert.equal(sent.request.model, 'd');
    await sim.faults('dear', { error_rate: 1, error_statuses: [503] });
    const further = await katara.post('/v1/messages', hiAnthropic('turns', { models: ['open'] }), { 'x-katara-strategy': 'fallback' });
    assert.equal(further.status, 200);
    assert.equal(further.headers.get('x-katara-provider'), 'gpu', 'past both of turns\' targets to open\'s');
  });

  test('a models array naming an unknown alias, or not of strings, is the client\'s error', async () => {
    const unknown = await katara.chat(hi('turns', { models: ['nope'] }));
    assert.equal(unknown.status, 404);
    assert.match((await unknown.json()).error.message, /nope/);
    const bad = await katara.chat(hi('turns', { models: 'open' }));
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /models/);
    assert.equal((await sim.log()).length, 0);
  });

  test('x-katara-strategy picks another strategy for one request', async () => {
    const res = await served('shares', {}, { 'x-katara-strategy': 'cost' });
    assert.equal(res.headers.get('x-katara-provider'), 'cheap');
    assert.match(res.headers.get('x-katara-route-reason'), /^strategy=cost;/);
  });

  test('x-katara-max-cost-usd holds back targets over the limit', async () => {
    const res = await served('turns', {}, { 'x-katara-max-cost-usd': '0.001' });
    assert.equal(res.headers.get('x-katara-provider'), 'cheap');
    assert.match(res.headers.get('x-katara-route-reason'), /held_back=dear\/d:max_cost/);
  });

  test('x-katara-cost-usd: the answer\'s tokens at its target\'s price', async () => {
    const res = await katara.chat(hi('thrifty'));
    const body = await res.json();
    const expected = (body.usage.prompt_tokens * 0.1 + body.usage.completion_tokens * 0.4) / 1e6;
    assert.ok(Math.abs(Number(res.headers.get('x-katara-cost-usd')) - expected) < 1e-8, `${res.headers.get('x-katara-cost-usd')} vs ${expected}`);
    assert.equal(res.headers.get('x-katara-cost-estimated'), null);
    assert.equal((await served('unpriced')).headers.get('x-katara-cost-usd'), null, 'no price known, no figure');
    assert.equal((await served('open')).headers.get('x-katara-cost-usd'), '0', 'an open model on this machine costs nothing');
  });

  test('a stream ends with its cost as an SSE comment, estimated when the provider did not count', async () => {
    const counted = await (await katara.chat(hi('thrifty', { stream: true, stream_options: { include_usage: true } }))).text();
    assert.match(counted, /\n: x-katara-cost-usd=\d+\.\d+\n\n/);
    const uncounted = await (await katara.chat(hi('thrifty', { stream: true }))).text();
    assert.match(uncounted, /: x-katara-cost-usd=\d+\.\d+ estimated\n\n/);
  });

  test('malformed routing headers are a 400 in the client’s own format', async () => {
    const bad = await katara.chat(hi('shares'), { 'x-katara-strategy': 'fastest' });
    assert.equal(bad.status, 400);
    const err = (await bad.json()).error;
    assert.equal(err.param, 'x-katara-strategy');
    assert.match(err.message, /unknown strategy "fastest" \(supported: fallback, weighted/);
    const anthropic = await katara.post('/v1/messages', hiAnthropic('shares'), { 'x-katara-max-cost-usd': 'cheap' });
    assert.equal(anthropic.status, 400);
    const body = await anthropic.json();
    assert.equal(body.type, 'error');
    assert.match(body.error.message, /x-katara-max-cost-usd: expected a non-negative number/);
    assert.equal((await sim.log()).length, 0, 'nothing was sent anywhere');
  });
});

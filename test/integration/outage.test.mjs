// A primary that is down for a whole minute, then healthy, under steady traffic, with the
// default circuit settings and active probes: every request is answered (by the backup while
// the primary is down), the dead primary sees only the probes once its circuit is open — not
// the traffic — and it serves again within moments of healing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { hi, sleep, startKatara, startSim } from '../lib/harness.mjs';

const OUTAGE_START_S = 1;
const OUTAGE_S = 60;
const RUN_S = OUTAGE_START_S + OUTAGE_S + 5;
const PROBE_MS = 1000;

describe('a one-minute outage', () => {
  let sim, katara;
  before(async () => {
    const model = { ttft_ms: 5, tokens_per_second: 1000, answer_tokens: 3 };
    sim = await startSim({ primary: { models: { p: model } }, backup: { models: { b: model } } });
    katara = await startKatara(`
circuit: {}
providers:
  primary: { kind: openai, base_url: ${sim.url('primary')}, probe_interval_ms: ${PROBE_MS} }
  backup:  { kind: openai, base_url: ${sim.url('backup')} }
models:
  m: { targets: [ { provider: primary, model: p }, { provider: backup, model: b } ] }
`);
  });
  after(async () => {
    await katara?.stop();
    await sim?.stop();
  });

  test('the dead primary sees only probes while its circuit is open, and serves again soon after it heals', { timeout: (RUN_S + 30) * 1000 }, async (t) => {
    await sim.reset();
    const t0 = Date.now();  // the simulator's clock starts again at the reset
    await sim.faults('primary', { outage: { start_s: OUTAGE_START_S, duration_s: OUTAGE_S, mode: 'error' } });
    const answers = [];
    while (Date.now() - t0 < RUN_S * 1000) {
      const sent = Date.now() - t0;
      const res = await katara.chat(hi('m'));
      await res.text();
      answers.push({ at_ms: sent, status: res.status, by: res.headers.get('x-katara-provider') });
      await sleep(100);
    }
    assert.ok(answers.length > 300, `steady traffic: ${answers.length} requests`);
    assert.ok(answers.every((a) => a.status === 200), 'every request answered');

    const healed_ms = (OUTAGE_START_S + OUTAGE_S) * 1000;
    const log = await sim.log({ provider: 'primary' });
    const isProbe = (e) => e.request?.max_tokens === 1 && e.request?.messages?.[0]?.content === 'ping';
    const during = log.filter((e) => e.at_ms >= OUTAGE_START_S * 1000 && e.at_ms < healed_ms);
    const users = during.filter((e) => !isProbe(e));
    // The requests that opened the circuit (three in a row by default), then nothing but probes.
    assert.ok(users.length <= 3, `user requests the dead primary saw: ${users.length}`);
    assert.ok(users.every((e) => e.at_ms < (OUTAGE_START_S + 2) * 1000), 'only at the outage start');
    const probes = during.filter(isProbe);
    assert.ok(probes.length >= OUTAGE_S * 0.8 && probes.length <= OUTAGE_S * 1.2,
      `about one probe a second: ${probes.length}`);
    assert.ok(probes.every((e) => e.status === 503));

    const back = answers.find((a) => a.at_ms >= healed_ms && a.by === 'primary');
    assert.ok(back, 'the primary serves again');
    assert.ok(back.at_ms - healed_ms <= PROBE_MS + 1500, `serving again ${back.at_ms - healed_ms} ms after it healed`);
    assert.ok(answers.filter((a) => a.at_ms > back.at_ms).every((a) => a.by === 'primary'), 'and keeps serving');
    t.diagnostic(`${answers.length} requests, all answered; during the outage the primary saw ${users.length} user requests and ${probes.length} probes; it served again ${back.at_ms - healed_ms} ms after healing`);
  });
});

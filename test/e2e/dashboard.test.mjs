// The dashboard in a real browser: Debian's Chromium, headless, driven by playwright-core. The
// page must load from the binary alone, show the providers, reflect an outage without a
// reload, and find a request in the request browser. A screenshot is kept as an artifact.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { hi, sleep, startKatara, startSim } from '../lib/harness.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const ARTIFACTS = process.env.KATARA_ARTIFACTS ?? path.resolve('build/test-artifacts');
const ADMIN = 'dash-admin-key';
const CLIENT = 'dash-client-key';
const quick = { ttft_ms: 20, tokens_per_second: 400, answer_tokens: 12 };

describe('dashboard', () => {
  let sim, katara, browser, page;
  const outside = [];
  const consoleErrors = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (scripts/setup.sh installs Debian's chromium)`);
    sim = await startSim({
      primary: { models: { 'gpt-sim': quick } },
      backup: { kind: 'anthropic', models: { 'claude-sim': quick } },
    });
    katara = await startKatara(`
api_keys: ["${CLIENT}"]
admin: { api_key: "${ADMIN}" }
store: { flush_interval_ms: 20 }
circuit: { consecutive_failures: 2, open_ms: 30000, max_open_ms: 30000 }
providers:
  primary: { kind: openai, base_url: ${sim.url('primary')}, api_key: k, timeouts: { connect_ms: 300 } }
  backup:  { kind: anthropic, base_url: ${sim.root('backup')}, api_key: k }
models:
  assistant:
    targets: [ { provider: primary, model: gpt-sim }, { provider: backup, model: claude-sim } ]
`);
    const headers = { authorization: `Bearer ${CLIENT}` };
    for (let i = 0; i < 6; ++i) await (await katara.chat(hi('assistant', { stream: i % 2 === 0 }), headers)).text();
    await (await katara.chat(hi('assistant'), { ...headers, 'x-request-id': 'ui-find-me' })).json();

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1440, height: 1400 } });
    page.on('request', (r) => {
      if (new URL(r.url()).hostname !== '127.0.0.1') outside.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && !/401/.test(m.text())) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await katara?.stop();
    await sim?.stop();
  });

  test('the page loads from the binary, asks for the admin key, then shows every provider', async () => {
    await page.goto(`${katara.base}/ui/`);
    await page.waitForSelector('#key-form:not([hidden])');
    await page.fill('#key', ADMIN);
    await page.click('#key-form button');
    await page.waitForSelector('#targets tr[data-target="primary/gpt-sim"][data-circuit="closed"]');
    await page.waitForSelector('#targets tr[data-target="backup/claude-sim"]');
    await page.waitForFunction(() => Number(document.querySelector('#total-requests').textContent) >= 7);
    assert.ok(await page.$('#chart-rate canvas'), 'the charts are drawn');
    assert.ok(await page.$('#chart-ttft canvas'));
  });

  test('an outage shows live: the primary\'s circuit opens and failovers count, without a reload', async () => {
    const before = Number(await page.textContent('#total-failovers'));
    await sim.faults('primary', { refuse: true });
    const headers = { authorization: `Bearer ${CLIENT}` };
    for (let i = 0; i < 4; ++i) {
      const res = await katara.chat(hi('assistant'), headers);
      assert.equal(res.status, 200, 'the backup answers');
      await res.json();
    }
    await page.waitForSelector('#targets tr[data-target="primary/gpt-sim"][data-circuit="open"]', { timeout: 10000 });
    await page.waitForFunction((n) => Number(document.querySelector('#total-failovers').textContent) > n, before, { timeout: 10000 });
    const rate = await page.textContent('#targets tr[data-target="primary/gpt-sim"] td:nth-child(5)');
    assert.notEqual(rate.trim(), '0.0 %', 'the primary\'s error rate is up');
  });

  test('the request browser finds a request by its id and shows its attempt timeline', async () => {
    await page.fill('#filters input[name="id"]', 'ui-find-me');
    await page.click('#filters button[type="submit"]');
    await page.waitForSelector('#detail[data-request-id="ui-find-me"]:not([hidden])');
    const lanes = await page.$$('#timeline .lane');
    assert.equal(lanes.length, 1, 'served by the first target it tried');
    assert.match(await page.textContent('#timeline .lane .bar'), /primary\/gpt-sim · ok/);
    // A request that failed over shows both attempts.
    await page.fill('#filters input[name="id"]', '');
    await page.fill('#filters input[name="provider"]', 'primary');
    await page.fill('#filters input[name="status"]', '200');
    await page.click('#filters button[type="submit"]');
    await page.waitForFunction(() => [...document.querySelectorAll('#requests tbody tr td:nth-child(6)')].some((td) => td.textContent === '2'));
    await page.locator('#requests tbody tr', { has: page.locator('td:nth-child(6)', { hasText: /^2$/ }) }).first().click();
    await page.waitForFunction(() => document.querySelectorAll('#timeline .lane').length === 2);
    assert.match(await page.textContent('#timeline'), /connect/);
    assert.match(await page.textContent('#timeline'), /backup\/claude-sim · ok/);

    mkdirSync(ARTIFACTS, { recursive: true });
    await sleep(300);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });

  test('nothing was loaded from outside the binary, and the page logged no error', () => {
    assert.deepEqual(outside, []);
    assert.deepEqual(consoleErrors, []);
  });
});

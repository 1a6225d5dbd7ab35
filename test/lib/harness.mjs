// Starts real `katara` and `katara sim` processes on free loopback ports for tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const KATARA = process.env.KATARA_BIN ?? path.resolve('build/katara');

export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function tmpFile(name, text) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'katara-test-'));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

// A sanitizer build reports in the child's output; a test must never pass over such a report.
function assertNoSanitizerReport(output) {
  const m = output.match(/(ERROR: (Address|Leak)Sanitizer.*|runtime error: .*)/);
  if (m) throw new Error(`sanitizer report from katara: ${m[1]}\n${output.slice(-4000)}`);
}

// Spawns a process and resolves once a line of its stderr/stdout matches `ready`.
function launch(args, ready, env = {}) {
  const proc = spawn(KATARA, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 10 s:\n${output}`)), 10000);
    const onData = (d) => {
      output += d;
      const m = output.match(ready);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
  return { proc, started, exited, output: () => output };
}

// A port from freePort() can be taken again before the child binds it (another process's
// outgoing connection may get it as its source port): such a start is tried again on new ports.
async function withFreshPorts(start) {
  for (let attempt = 1; ; ++attempt) {
    try {
      return await start();
    } catch (e) {
      if (attempt >= 3 || !/Address already in use/.test(String(e?.message))) throw e;
    }
  }
}

// A simulator with the given providers: { name: { models: {...}, faults: {...} } }.
export function startSim(providers, options = {}) {
  return withFreshPorts(() => startSimOnce(providers, options));
}

async function startSimOnce(providers, { seed = 1 } = {}) {
  const ports = {};
  let yaml = `control: 127.0.0.1:${await freePort()}\nseed: ${seed}\nproviders:\n`;
  for (const [name, p] of Object.entries(providers)) {
    ports[name] = p.port ?? (await freePort(p.host ?? '127.0.0.1'));
    const host = p.host ?? '127.0.0.1';
    const listen = host.includes(':') ? `[${host}]:${ports[name]}` : `${host}:${ports[name]}`;
    yaml += `  ${name}:\n    listen: "${listen}"\n`;
    if (p.api_key) yaml += `    api_key: "${p.api_key}"\n`;
    if (p.faults) yaml += `    faults: ${JSON.stringify(p.faults)}\n`;
    yaml += `    models:\n`;
    for (const [model, m] of Object.entries(p.models)) yaml += `      "${model}": ${JSON.stringify(m ?? {})}\n`;
  }
  const control = Number(yaml.match(/control: 127\.0\.0\.1:(\d+)/)[1]);
  const l = launch(['sim', '--config', tmpFile('sim.yaml', yaml)], /control API on/);
  await l.started;
  const base = `http://127.0.0.1:${control}/_sim`;
  return {
    ports,
    url: (name) => `http://127.0.0.1:${ports[name]}/v1`,
    root: (name) => `http://127.0.0.1:${ports[name]}`,  // for kinds whose paths carry /v1 (anthropic)
    async log(filter = {}) {
      const q = new URLSearchParams(filter).toString();
      return (await (await fetch(`${base}/log?${q}`)).json()).requests;
    },
    async faults(provider, faults, model) {
      const target = model ? `${base}/providers/${provider}/models/${model}/faults` : `${base}/providers/${provider}/faults`;
      const res = await fetch(target, { method: 'PUT', body: JSON.stringify(faults) });
      if (!res.ok) throw new Error(`sim faults: ${res.status} ${await res.text()}`);
    },
    async reset() {
      await fetch(`${base}/reset`, { method: 'POST' });
    },
    output: l.output,
    async stop() {
      l.proc.kill('SIGTERM');
      await l.exited;
      assertNoSanitizerReport(l.output());
    },
  };
}

// Katara with the given YAML (without `listen:`, which the harness picks).
// The tests of one suite share a Katara and each injects its own faults: circuits opened by an
// earlier test would change what a later one sees. So circuits are off unless the YAML
// configures them (the circuit tests do).
export function startKatara(yamlBody, options = {}) {
  return withFreshPorts(() => startKataraOnce(yamlBody, options));
}

async function startKataraOnce(yamlBody, { env = {}, workers = 1 } = {}) {
  const port = await freePort();
  const circuit = /^circuit:/m.test(yamlBody) ? '' : 'circuit: { enabled: false }\n';
  const yaml = `listen: 127.0.0.1:${port}\nworkers: ${workers}\n${circuit}${yamlBody}`;
  const l = launch(['serve', '--config', tmpFile('katara.yaml', yaml)], /listening on http:\/\/\S+:(\d+)/, env);
  await l.started;
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    base,
    proc: l.proc,
    exited: l.exited,
    output: l.output,
    post(path, body, headers = {}) {
      return fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    chat(body, headers = {}) {
      return fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    messages(body, headers = {}) {
      return fetch(`${base}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async stop() {
      if (l.proc.exitCode === null) l.proc.kill('SIGTERM');
      const exit = await l.exited;
      assertNoSanitizerReport(l.output());
      return exit;
    },
  };
}

export function runKatara(args, env = {}) {
  return new Promise((resolve) => {
    const proc = spawn(KATARA, args, { env: { ...process.env, ...env } });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    proc.on('exit', (code) => resolve({ code, out }));
  });
}

export const hi = (model, extra = {}) => ({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });
// The same for Anthropic's Messages API, which requires max_tokens.
export const hiAnthropic = (model, extra = {}) => ({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }], ...extra });

// Reads an SSE response into its `data:` payloads, with the time each arrived.
// A response's SSE events ({ data, event, at }), and its comment lines as `events.comments`.
export async function readSse(res) {
  const events = [];
  const comments = [];
  events.comments = comments;
  const decoder = new TextDecoder();
  let buf = '';
  const t0 = Date.now();
  for await (const chunk of res.body) {
    buf += decoder.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const raw = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const lines = raw.split('\n');
      // As the SSE spec reads it: comment lines are no event (Katara ends a stream with its cost in one).
      if (lines.every((l) => l.startsWith(':'))) {
        comments.push(...lines.map((l) => l.slice(1).trim()));
        continue;
      }
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      events.push({ data, event, at: Date.now() - t0 });
    }
  }
  return events;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

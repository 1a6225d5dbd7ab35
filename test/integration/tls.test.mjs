// HTTPS upstreams: certificates verified against the trust store (a test CA made here, given to
// Katara through SSL_CERT_FILE as OpenSSL reads it), host names checked, SNI sent.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { freePort, hi, startKatara } from '../lib/harness.mjs';

function makePki() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'katara-pki-'));
  const run = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Katara Test CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  return { dir, ca: path.join(dir, 'ca.pem'), key: readFileSync(path.join(dir, 'server.key')), cert: readFileSync(path.join(dir, 'server.pem')) };
}

describe('TLS upstream', () => {
  let pki, server, port, serverNames = [];
  before(async () => {
    pki = makePki();
    port = await freePort();
    server = https.createServer({ key: pki.key, cert: pki.cert }, (req, res) => {
      serverNames.push(req.socket.servername);
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const model = JSON.parse(body).model;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'chatcmpl-tls', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'over TLS' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }));
      });
    });
    await new Promise((r) => server.listen(port, '127.0.0.1', r));
  });
  after(() => server?.close());

  const config = (host) => `
providers:
  secure: { kind: openai, base_url: https://${host}:${port}/v1, api_key: k }
models:
  m: { targets: [ { provider: secure, model: tls-model } ] }
`;

  test('a certificate from a trusted CA is accepted and SNI names the host', async () => {
    const katara = await startKatara(config('localhost'), { env: { SSL_CERT_FILE: pki.ca } });
    try {
      const res = await katara.chat(hi('m'));
      assert.equal(res.status, 200);
      assert.equal((await res.json()).choices[0].message.content, 'over TLS');
      assert.equal(serverNames.at(-1), 'localhost');
    } finally {
      await katara.stop();
    }
  });

  test('an untrusted certificate is a TLS failure, failed over and reported', async () => {
    const katara = await startKatara(config('localhost'), { env: { SSL_CERT_FILE: '/nonexistent.pem' } });
    try {
      const res = await katara.chat(hi('m'));
      assert.equal(res.status, 502);
      assert.match((await res.json()).error.message, /secure\/tls-model: tls/);
    } finally {
      await katara.stop();
    }
  });

  test('a certificate for another host name is rejected', async () => {
    const katara = await startKatara(config('127.0.0.1'), { env: { SSL_CERT_FILE: pki.ca } });
    try {
      const res = await katara.chat(hi('m'));
      assert.equal(res.status, 502);
      assert.match((await res.json()).error.message, /tls/);
    } finally {
      await katara.stop();
    }
  });
});

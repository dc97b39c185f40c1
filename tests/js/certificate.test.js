// Deletion certificates verified in wasm (ld.verifyCertificate and the CLI), signed here
// by an independent implementation: Node's Ed25519 over a JCS form built in the test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { load } from '../../dist/node.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const ld = await load();

// RFC 8785 for what certificates hold: objects, strings, non-negative integers.
function jcs(value) {
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${jcs(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const keys = { keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'test-2026', x: publicKey.export({ format: 'jwk' }).x }] };

function certificate(overrides = {}) {
  const body = {
    type: 'leastdata.deletion-certificate/v1',
    certificate_id: 'dc_01JTESTCERT',
    subdomain: 'acme',
    trigger: 'customer_request',
    requested_at: '2026-11-28T10:00:00Z',
    completed_at: '2026-11-28T10:00:01Z',
    deleted: { agents: 3, tokens: 2, settings: 1, stats_rows: 40, jobs: 0 },
    method: 'crypto-erase of the tenant data key, then deletion of every row in one transaction',
    storage_region: 'eu-central-1',
    issuer: 'leastdata test endpoint',
    key_id: 'test-2026',
    ...overrides,
  };
  return { ...body, signature: sign(null, Buffer.from(jcs(body)), privateKey).toString('base64url') };
}

test('a certificate signed by Node’s Ed25519 verifies in wasm, whatever the member order', () => {
  const cert = certificate();
  const summary = ld.verifyCertificate(cert, keys);
  assert.equal(summary.valid, true);
  assert.equal(summary.certificate_id, 'dc_01JTESTCERT');
  assert.equal(summary.key_id, 'test-2026');
  assert.deepEqual(summary.deleted, { agents: 3, jobs: 0, settings: 1, stats_rows: 40, tokens: 2 });
  const reordered = Object.fromEntries(Object.entries(cert).reverse());
  assert.equal(ld.verifyCertificate(JSON.stringify(reordered, null, 2), JSON.stringify(keys)).valid, true);
});

test('any tampering, another key or an unknown key id is invalid_certificate', () => {
  const cert = certificate();
  const tampered = [
    { ...cert, subdomain: 'acme2' },
    { ...cert, deleted: { ...cert.deleted, tokens: 1 } },
    { ...cert, completed_at: '2026-11-28T10:00:02Z' },
    { ...cert, signature: cert.signature.slice(0, -2) + (cert.signature.endsWith('AA') ? 'AB' : 'AA') },
  ];
  for (const bad of tampered) assert.throws(() => ld.verifyCertificate(bad, keys), (e) => e.code === 'invalid_certificate');
  const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x;
  assert.throws(() => ld.verifyCertificate(cert, { keys: [{ ...keys.keys[0], x: other }] }), (e) => e.code === 'invalid_certificate');
  assert.throws(() => ld.verifyCertificate(cert, { keys: [{ ...keys.keys[0], kid: 'other' }] }), (e) => e.code === 'invalid_certificate');
});

test('CLI verify-certificate: exit 0 and a summary when valid, 2 otherwise', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leastdata-cert-'));
  writeFileSync(join(dir, 'cert.json'), JSON.stringify(certificate()));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...certificate(), subdomain: 'evil' }));
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(keys));
  const ok = spawnSync(process.execPath, [CLI, 'verify-certificate', join(dir, 'cert.json'), '--keys', join(dir, 'keys.json')]);
  assert.equal(ok.status, 0, ok.stderr.toString());
  assert.match(ok.stdout.toString(), /^valid: dc_01JTESTCERT for acme \(customer_request\)/);
  const bad = spawnSync(process.execPath, [CLI, 'verify-certificate', join(dir, 'bad.json'), '--keys', join(dir, 'keys.json')]);
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout.length, 0);
  assert.equal(JSON.parse(bad.stderr.toString()).error.code, 'invalid_certificate');
});

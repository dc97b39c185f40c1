// Redaction through the package (DESIGN §5): ld.redact, the pseudonym key, policy
// redact rules applied inside filter, the CLI, and the wipe of what was scanned.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { load, LeastDataError } from '../../dist/node.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const ld = await load();

const key = (byte) => new Uint8Array(32).fill(byte);

test('every detector is found, with UTF-16 offsets through emoji and CJK text', () => {
  const text =
    '😀 東京 jane.doe@example.com ☎ +49 30 1234567 💳 4111 1111 1111 1111 ' +
    'IBAN DE89 3704 0044 0532 0130 00 ip 192.168.10.1 and 2001:db8::1 ' +
    'https://x.example/cb?access_token=s3cr3tValue&x=1 ' +
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl.';
  const { findings } = ld.redact(text, { action: 'label' });
  const found = findings.map((f) => [f.type, text.slice(f.start, f.end)]);
  assert.deepEqual(found, [
    ['email', 'jane.doe@example.com'],
    ['phone', '+49 30 1234567'],
    ['credit_card', '4111 1111 1111 1111'],
    ['iban', 'DE89 3704 0044 0532 0130 00'],
    ['ip', '192.168.10.1'],
    ['ip', '2001:db8::1'],
    ['url_secret', 's3cr3tValue'],
    ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
  ]);
});

test('the shapes of issue 20: registry IBANs, IDN e-mail, card lists, CIDR blocks, UATP; not ":::"', () => {
  const text =
    'Пишите на ivan@почта.рф или a@xn--d1acufc.xn--p1ai; IBAN TR33 0006 1005 1978 6457 8413 26 ' +
    'cards 4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881 and 1220 00000 000003, ' +
    'net 10.0.0.0/24 — not ::: nor a ::: b';
  const { text: out, findings } = ld.redact(text, { action: 'label' });
  assert.deepEqual(findings.map((f) => [f.type, text.slice(f.start, f.end)]), [
    ['email', 'ivan@почта.рф'],
    ['email', 'a@xn--d1acufc.xn--p1ai'],
    ['iban', 'TR33 0006 1005 1978 6457 8413 26'],
    ['credit_card', '4012888888881881'],
    ['credit_card', '4012-8888-8888-1881'],
    ['credit_card', '4012 8888 8888 1881'],
    ['credit_card', '1220 00000 000003'],
    ['ip', '10.0.0.0/24'],
  ]);
  assert.equal(out, 'Пишите на <EMAIL> или <EMAIL>; IBAN <IBAN> cards <CREDIT_CARD> <CREDIT_CARD> <CREDIT_CARD> ' +
    'and <CREDIT_CARD>, net <IP> — not ::: nor a ::: b');
});

test('hard negatives stay untouched', () => {
  const text =
    'On 2024-03-15 at 12:30:45 (15.03.2024) version 10.0.19045 shipped order #123456 ' +
    'for 1,299.00 EUR; 4111 1111 1111 1112 fails Luhn, DE89 3704 0044 0532 0130 01 fails mod-97, 256.1.1.1 is no address.';
  const { text: out, findings } = ld.redact(text);
  assert.deepEqual(findings, []);
  assert.equal(out, text);
});

test('every action', () => {
  const text = 'Mail jane@example.com, card 4111 1111 1111 1111.';
  const detect = ['email', 'credit_card'];
  assert.equal(ld.redact(text, { detect, action: 'remove' }).text, 'Mail , card .');
  assert.equal(ld.redact(text, { detect, action: 'label' }).text, 'Mail <EMAIL>, card <CREDIT_CARD>.');
  assert.equal(ld.redact(text, { detect, action: 'mask' }).text, 'Mail j***@example.com, card **** **** **** 1111.');
  ld.setPseudonymKey(key(1));
  assert.match(ld.redact(text, { detect, action: 'pseudonym' }).text, /^Mail <EMAIL:[0-9a-f]{8}>, card <CREDIT_CARD:[0-9a-f]{8}>\.$/);
  ld.clear();
});

test('overlaps: the longest span wins (the URL secret, not the e-mail inside it)', () => {
  const text = 'https://bob:hunter2@mail.example.com/x';
  const { findings } = ld.redact(text);
  assert.deepEqual(findings.map((f) => [f.type, text.slice(f.start, f.end)]), [['url_secret', 'bob:hunter2']]);
});

test('pseudonyms are stable per key, normalised, and differ across keys', async () => {
  const other = await load();
  ld.setPseudonymKey(key(7));
  other.setPseudonymKey(key(8));
  const a = ld.redact('John@Example.com', { action: 'pseudonym' }).text;
  const b = ld.redact('john@example.com', { action: 'pseudonym' }).text;
  const c = other.redact('john@example.com', { action: 'pseudonym' }).text;
  assert.match(a, /^<EMAIL:[0-9a-f]{8}>$/);
  assert.equal(a, b, 'same person, same token');
  assert.notEqual(a, c, 'another tenant key, another token');
  ld.clear();
  assert.throws(() => ld.redact('john@example.com', { action: 'pseudonym' }), (e) => e.code === 'invalid_argument');
  other.dispose();
});

test('the pseudonym key is zeroed in the caller’s array and cannot be too short', () => {
  const bytes = key(9);
  ld.setPseudonymKey(bytes);
  assert.ok(bytes.every((b) => b === 0));
  assert.throws(() => ld.setPseudonymKey(new Uint8Array(8)), LeastDataError);
  ld.clear();
});

test('bad options are errors with stable codes', () => {
  assert.throws(() => ld.redact('x', { detect: 'emial' }), (e) => e.code === 'invalid_argument');
  assert.throws(() => ld.redact('x', { action: 'shred' }), (e) => e.code === 'invalid_argument');
  assert.throws(() => ld.redact(42), (e) => e.code === 'invalid_argument');
});

test('policy redact rules apply to kept strings at their path, inside filter', () => {
  const policy = ld.compile({
    version: 1,
    resources: { ticket: 'id,subject,description' },
    redact: { rules: [{ path: 'tickets[].description', detect: ['email', 'phone'], action: 'mask' }] },
  });
  const input = JSON.stringify({
    tickets: [
      { id: 1, subject: 'call jane@example.com', description: 'Reach me at jane@example.com or +49 30 1234567.\nThanks' },
      { id: 2, subject: 's', description: 'nothing personal \\u00e9' },
    ],
  });
  const { output, ledger } = policy.filterWithLedger(input);
  assert.equal(
    output,
    '{"tickets":[{"id":1,"subject":"call jane@example.com","description":"Reach me at j***@example.com or +** ** ***4567.\\nThanks"},' +
      '{"id":2,"subject":"s","description":"nothing personal \\\\u00e9"}]}',
  );
  assert.equal(ledger.kept_paths['tickets[].description'], 2);
  assert.deepEqual(JSON.parse(output).tickets[0].description, 'Reach me at j***@example.com or +** ** ***4567.\nThanks');
  policy.dispose();
});

test('a pseudonym rule without a key fails the call instead of passing data through', () => {
  const policy = ld.compile({
    version: 1,
    select: 'note',
    redact: { rules: [{ path: 'note', detect: ['email'], action: 'pseudonym' }] },
  });
  assert.throws(() => policy.filter('{"note":"jane@example.com"}'), (e) => e.code === 'invalid_argument');
  ld.setPseudonymKey(key(3));
  assert.match(policy.filter('{"note":"jane@example.com"}'), /^\{"note":"<EMAIL:[0-9a-f]{8}>"\}$/);
  ld.clear();
  policy.dispose();
});

test('nothing that was scanned remains in wasm memory', () => {
  const markers = ['redactmarker.q7z@example.com', 'RedactPlainMarker9x', '+49 30 7654321'];
  const text = `${markers[0]} wrote ${markers[1]} from ${markers[2]} `.repeat(2000);
  for (const action of ['remove', 'label', 'mask']) ld.redact(text, { action });
  const policy = ld.compile({ version: 1, select: 'd', redact: { rules: [{ path: 'd', detect: ['email'], action: 'label' }] } });
  policy.filter(JSON.stringify({ d: text }));
  const memory = Buffer.from(ld.wasmMemory.buffer);
  for (const marker of markers) assert.equal(memory.indexOf(marker), -1, `${marker} left in wasm memory`);
  policy.dispose();
});

test('CLI: redact with findings, a key file, and errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leastdata-redact-'));
  writeFileSync(join(dir, 'in.txt'), 'Mail jane@example.com 😀 now');
  writeFileSync(join(dir, 'key'), key(5));
  const masked = spawnSync(process.execPath, [CLI, 'redact', '--findings', join(dir, 'f.json'), join(dir, 'in.txt')]);
  assert.equal(masked.status, 0);
  assert.equal(masked.stdout.toString(), 'Mail j***@example.com 😀 now');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8')), [{ type: 'email', start: 5, end: 21 }]);

  const pseudo = spawnSync(process.execPath, [CLI, 'redact', '--action', 'pseudonym', '--key-file', join(dir, 'key'), '--detect', 'email'], {
    input: 'jane@example.com',
  });
  assert.equal(pseudo.status, 0);
  assert.match(pseudo.stdout.toString(), /^<EMAIL:[0-9a-f]{8}>$/);

  const bad = spawnSync(process.execPath, [CLI, 'redact', '--action', 'pseudonym'], { input: 'jane@example.com' });
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout.length, 0);
  assert.equal(JSON.parse(bad.stderr.toString()).error.code, 'invalid_argument');
});

test('the detectors come from the core table; index.d.ts and the docs name the same ones', () => {
  assert.ok(ld.detectors.length > 0 && ld.detectors.includes('email'));
  const types = readFileSync(new URL('../../js/index.d.ts', import.meta.url), 'utf8');
  const union = /export type Detector = ([^;]+);/.exec(types)[1];
  assert.deepEqual([...union.matchAll(/'([a-z_0-9]+)'/g)].map((m) => m[1]), ld.detectors, 'index.d.ts Detector type');
  const docs = readFileSync(new URL('../../docs/redaction.md', import.meta.url), 'utf8');
  for (const name of ld.detectors) assert.match(docs, new RegExp(`^### ${name}$`, 'm'), `docs/redaction.md has no section for ${name}`);
});

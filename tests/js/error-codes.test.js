// The error codes are declared once, in the core (error_codes.hpp); every copy must say the
// same: the package's types, the OpenAPI document, and every writer of codes in server/ and
// js/ (none may use a code the table does not have, nor a status of its own).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { errorTable } from './error-table.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const table = errorTable();
const codes = new Set(table.map((r) => r.code));
const sorted = (set) => [...set].sort();

function sources(dir, pattern) {
  return readdirSync(join(ROOT, dir), { recursive: true })
    .filter((f) => pattern.test(f))
    .map((f) => ({ file: join(dir, f), text: readFileSync(join(ROOT, dir, f), 'utf8') }));
}

test('the table: unique codes, statuses only for what the endpoint answers', () => {
  assert.equal(codes.size, table.length, 'a code is listed twice');
  for (const { code, status, raisedBy } of table) {
    for (const who of raisedBy) assert.ok(['core', 'endpoint', 'command', 'package'].includes(who), `${code}: ${who}`);
    if (raisedBy.has('endpoint')) assert.ok(status >= 400 && status <= 599, `${code} is an HTTP answer without a status`);
    else if (!raisedBy.has('core')) assert.equal(status, 0, `${code} is never an HTTP answer, yet has a status`);
  }
});

test('js/index.d.ts: LeastDataErrorCode is every code the package can hand an app', () => {
  const types = readFileSync(join(ROOT, 'js', 'index.d.ts'), 'utf8');
  const union = /export type LeastDataErrorCode =([^;]+);/.exec(types)[1];
  const declared = new Set([...union.matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1]));
  const expected = new Set(table.filter((r) => ['core', 'endpoint', 'package'].some((w) => r.raisedBy.has(w))).map((r) => r.code));
  assert.deepEqual(sorted(declared), sorted(expected));
});

test('docs/openapi.yaml: the Error schema lists every code the endpoint answers with', () => {
  const yaml = readFileSync(join(ROOT, 'docs', 'openapi.yaml'), 'utf8');
  const schema = yaml.slice(yaml.indexOf('    Error:'));
  const enumText = /code:\s*\n\s*enum: \[([^\]]+)\]/.exec(schema)[1];
  const documented = new Set(enumText.split(',').map((c) => c.trim()));
  const answered = new Set(table.filter((r) => r.status !== 0).map((r) => r.code));
  assert.deepEqual(sorted(documented), sorted(answered));
});

test('server/ writes no code and no status of its own: every error goes through the table', () => {
  const free = [];
  for (const { file, text } of sources('server', /\.(cpp|hpp)$/)) {
    for (const pattern of [/ApiError\(\s*\d/g, /ApiError\(\s*"/g, /Refusal\{\s*\d/g, /CommandError\(\s*"/g, /print_error\(\s*"/g,
      /"code",\s+"[a-z_]+"\}/g, /error_body\(/g]) {
      for (const m of text.matchAll(pattern)) free.push(`${file}: ${m[0]}`);
    }
    for (const [, code] of text.matchAll(/ErrorCode::(\w+)/g)) assert.ok(codes.has(code), `${file}: ErrorCode::${code}`);
  }
  assert.deepEqual(free, []);
});

test('js/ raises only codes of the table', () => {
  for (const { file, text } of sources('js', /\.js$/)) {
    for (const [, code] of text.matchAll(/new LeastDataError\(\s*'([a-z_]+)'/g)) assert.ok(codes.has(code), `${file}: ${code}`);
  }
});

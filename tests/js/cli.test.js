// The `leastdata` CLI (DESIGN §4) on realistic Zendesk payloads: outputs and ledgers
// byte-for-byte against the hand-checked expected files in tests/fixtures/zendesk/,
// check-policy's normalised selection, and every error code with exit status 2, one
// JSON line on stderr and nothing on stdout.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(root, 'tests', 'fixtures', 'zendesk');
const policyFile = join(fixtures, 'ticket-sidebar.policy.json');
const payloads = ['ticket-show', 'tickets-with-users', 'search-results', 'comments'];

const scratch = mkdtempSync(join(tmpdir(), 'leastdata-cli-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const fixture = (name) => readFileSync(join(fixtures, name));

// Writes `content` to a scratch file and returns its path.
function scratchFile(name, content) {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

// Runs the CLI with `input` on stdin; resolves to { status, stdout (Buffer), stderr (string) }.
function leastdata(args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: scratch });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      resolve({ status, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    child.stdin.on('error', () => {}); // the CLI may exit before reading stdin
    child.stdin.end(input ?? '');
  });
}

// Exit status 2, nothing on stdout, exactly one line of JSON on stderr with this error.
function assertFails(result, code, offset) {
  assert.equal(result.stdout.length, 0, `no partial output on stdout, got ${JSON.stringify(result.stdout.toString())}`);
  assert.equal(result.status, 2, `exit status 2 (stderr: ${result.stderr})`);
  assert.match(result.stderr, /^[^\n]+\n$/, 'exactly one line on stderr');
  const parsed = JSON.parse(result.stderr);
  assert.deepEqual(Object.keys(parsed), ['error']);
  const { error } = parsed;
  assert.equal(error.code, code, `code (message: ${error.message})`);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0, 'a human message');
  for (const key of Object.keys(error)) assert.ok(['code', 'message', 'offset'].includes(key), `unexpected member ${key}`);
  if (offset === undefined) assert.equal(error.offset, undefined, 'no offset');
  else assert.equal(error.offset, offset, `offset (message: ${error.message})`);
}

// The fixture policy with some members replaced, in a file of its own.
let policies = 0;
function policyWith(changes) {
  return scratchFile(`policy-${++policies}.json`,
    JSON.stringify({ ...JSON.parse(fixture('ticket-sidebar.policy.json')), ...changes }));
}

// The CLI starts a Node process and loads the wasm per call: run the cases side by side.
describe('leastdata CLI', { concurrency: 4 }, () => {
  // ---- outputs and ledgers --------------------------------------------------------------

  for (const name of payloads) {
    it(`filter ${name}.json from a file: output and ledger equal the expected files`, async () => {
      const ledger = join(scratch, `${name}.from-file.ledger.json`);
      const result = await leastdata(['filter', '--policy', policyFile, '--ledger', ledger, join(fixtures, `${name}.json`)]);
      assert.equal(result.stderr, '');
      assert.equal(result.status, 0);
      assert.equal(result.stdout.toString('utf8'), fixture(`${name}.expected.json`).toString('utf8'));
      assert.equal(readFileSync(ledger, 'utf8'), fixture(`${name}.ledger.json`).toString('utf8'));
    });

    it(`filter ${name}.json from stdin: the same output and ledger`, async () => {
      const ledger = join(scratch, `${name}.from-stdin.ledger.json`);
      const result = await leastdata(['filter', '--ledger', ledger, '--policy', policyFile], fixture(`${name}.json`));
      assert.equal(result.stderr, '');
      assert.equal(result.status, 0);
      assert.ok(result.stdout.equals(fixture(`${name}.expected.json`)));
      assert.ok(readFileSync(ledger).equals(fixture(`${name}.ledger.json`)));
    });
  }

  it('filter without --ledger prints only the output', async () => {
    const result = await leastdata(['filter', '--policy', policyFile, join(fixtures, 'comments.json')]);
    assert.equal(result.status, 0);
    assert.ok(result.stdout.equals(fixture('comments.expected.json')));
    assert.equal(result.stderr, '');
  });

  it('the expected files keep IDs and text exactly (no number or string re-encoding)', async () => {
    const show = fixture('ticket-show.expected.json').toString('utf8');
    assert.ok(show.includes('"requester_id":12345678901234567890'));
    assert.ok(show.includes('{"id":360005678901,"value":12345678901234567890}'));
    assert.ok(show.includes('"subject":"Drucker im 3. OG druckt nicht \\u2014 \\"dringend\\" \\ud83d\\udda8\\ufe0f"'));
    assert.ok(!show.includes('IBAN'), 'custom fields outside the predicate are dropped');
    const list = fixture('tickets-with-users.expected.json').toString('utf8');
    assert.ok(list.includes('"value":4.20E+1'));
    assert.ok(list.includes('"name":"山田 愛子"'));
    assert.ok(list.includes('"name":"Zo\\u00eb \\u00c5ngstr\\u00f6m"'));
    assert.ok(!list.includes('"description"') && !list.includes('"phone"'));
  });

  it('demo/example holds the same tickets-with-users payload and policy', async () => {
    const demo = join(root, 'demo', 'example');
    assert.ok(readFileSync(join(demo, 'tickets-with-users.json')).equals(fixture('tickets-with-users.json')));
    assert.ok(readFileSync(join(demo, 'ticket-sidebar.policy.json')).equals(fixture('ticket-sidebar.policy.json')));
  });

  // ---- check-policy -------------------------------------------------------------------

  // Resources expand to every envelope (DESIGN §2.2); resource names in sorted order (the
  // policy is read as a JSON object), `via/channel` folds to `via(channel)`, whitespace goes,
  // and the pagination members follow, kept whole.
  const ticket = 'id,subject,status,priority,type,requester_id,assignee_id,organization_id,group_id,tags,updated_at,' +
    'via(channel),satisfaction_rating(score),custom_fields[id=360001234567|360005678901](id,value)';
  const user = 'id,name,email,role,time_zone,organization_id,photo(content_url),user_fields(plan_tier)';
  const organization = 'id,name,domain_names,organization_fields(sla_tier)';
  const comment = 'id,author_id,public,created_at,attachments(file_name,content_type,size)';
  // Resources expand in the order the policy lists them (ticket, user, organization, comment).
  const normalised = [
    `ticket(${ticket})`, `tickets(${ticket})`, `results[result_type=ticket](${ticket})`,
    `user(${user})`, `users(${user})`, `results[result_type=user](${user})`,
    `organization(${organization})`, `organizations(${organization})`, `results[result_type=organization](${organization})`,
    `comment(${comment})`, `comments(${comment})`,
    'next_page,previous_page,count,meta,links,after_url,before_url,after_cursor,before_cursor,end_of_stream,end_time',
  ].join(',');

  it('check-policy prints the normalised selection', async () => {
    const result = await leastdata(['check-policy', policyFile]);
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    assert.equal(result.stdout.toString('utf8'), `${normalised}\n`);
  });

  it('check-policy normalises escapes, whitespace, chains and unions', async () => {
    const path = scratchFile('select-only.json', JSON.stringify({ version: 1, select: ' a\\,b , x / y ( z ) , x(w) , q , q(r) ' }));
    const result = await leastdata(['check-policy', path]);
    assert.equal(result.status, 0);
    assert.equal(result.stdout.toString('utf8'), 'a\\,b,x(y(z),w),q\n');
  });

  // ---- errors -------------------------------------------------------------------------

  it('invalid_policy: a malformed selection, with the offset into the selection text', async () => {
    const path = policyWith({ resources: { ticket: 'id,subject(,status' } });
    assertFails(await leastdata(['filter', '--policy', path, join(fixtures, 'ticket-show.json')]), 'invalid_policy', 11);
    assertFails(await leastdata(['check-policy', path]), 'invalid_policy', 11);
  });

  it('invalid_policy: the selection offset counts bytes, not characters', async () => {
    const path = scratchFile('bad-select.json', JSON.stringify({ version: 1, select: 'naïve,x[' }));
    assertFails(await leastdata(['check-policy', path]), 'invalid_policy', 9);
  });

  it('invalid_policy: an unknown top-level key', async () => {
    const path = policyWith({ selct: 'id' });
    assertFails(await leastdata(['filter', '--policy', path, join(fixtures, 'ticket-show.json')]), 'invalid_policy');
    assertFails(await leastdata(['check-policy', path]), 'invalid_policy');
  });

  it('invalid_policy: an unknown resource, a wrong version, a policy that is not JSON', async () => {
    assertFails(await leastdata(['check-policy', policyWith({ resources: { tickets: 'id' } })]), 'invalid_policy');
    assertFails(await leastdata(['check-policy', policyWith({ version: 2 })]), 'invalid_policy');
    const notJson = scratchFile('not-json.policy', '{"version":1,"select":"id"');
    assertFails(await leastdata(['filter', '--policy', notJson], fixture('ticket-show.json')), 'invalid_policy', 26);
  });

  it('invalid_json: a truncated fixture (between members)', async () => {
    const text = fixture('tickets-with-users.json');
    const cut = text.indexOf('"external_id"');
    const input = text.subarray(0, cut); // ends with `,` and indentation
    assertFails(await leastdata(['filter', '--policy', policyFile], input), 'invalid_json', cut);
  });

  it('invalid_json, not a trap: a response cut short 34 arrays deep', async () => {
    const policy = scratchFile('select-a.policy', '{"version":1,"select":"a"}');
    const input = Buffer.from('['.repeat(34) + '{"a":"x","b":"y"}');
    assertFails(await leastdata(['filter', '--policy', policy], input), 'invalid_json', input.length);
  });

  it('invalid_json: a fixture truncated inside a string is reported at its opening quote', async () => {
    const text = fixture('tickets-with-users.json');
    const quote = text.indexOf('"Drucker im 3. OG');
    assertFails(await leastdata(['filter', '--policy', policyFile], text.subarray(0, quote + 10)), 'invalid_json', quote);
  });

  it('invalid_json: trailing garbage after a fixture', async () => {
    const text = fixture('ticket-show.json');
    const path = scratchFile('trailing.json', Buffer.concat([text, Buffer.from('x')]));
    assertFails(await leastdata(['filter', '--policy', policyFile, path]), 'invalid_json', text.length);
    const second = Buffer.concat([text, Buffer.from('{}')]);
    assertFails(await leastdata(['filter', '--policy', policyFile], second), 'invalid_json', text.length);
  });

  it('invalid_utf8: a bad byte inside a dropped string of a real fixture', async () => {
    const bytes = Buffer.from(fixture('ticket-show.json'));
    const at = bytes.indexOf('Viele Gr');
    assert.ok(at > 0);
    bytes[at + 6] = 0xff; // the `G`, inside "description", which the policy drops
    assertFails(await leastdata(['filter', '--policy', policyFile], bytes), 'invalid_utf8', at + 6);
  });

  it('depth_limit: max_depth 3 and a fixture nested deeper (dropped parts count)', async () => {
    const path = policyWith({ limits: { max_depth: 3 } });
    const text = fixture('ticket-show.json');
    // root {, "ticket" {, "via" {, then "source" { is depth 4; "source" is dropped.
    const source = text.indexOf('"source": {') + '"source": '.length;
    assertFails(await leastdata(['filter', '--policy', path, join(fixtures, 'ticket-show.json')]), 'depth_limit', source);
  });

  it('size_limit: max_input_bytes 100 and a larger fixture; offset is the limit', async () => {
    const path = policyWith({ limits: { max_input_bytes: 100 } });
    assertFails(await leastdata(['filter', '--policy', path, join(fixtures, 'comments.json')]), 'size_limit', 100);
    assertFails(await leastdata(['filter', '--policy', path], fixture('ticket-show.json')), 'size_limit', 100);
  });

  it('duplicate_key: a kept field occurring twice', async () => {
    const text = fixture('ticket-show.json').toString('utf8');
    const at = Buffer.byteLength(text.slice(0, text.indexOf('"raw_subject"')));
    const input = text.replace('"raw_subject"', '"subject": "Duplikat",\n    "raw_subject"');
    assertFails(await leastdata(['filter', '--policy', policyFile], input), 'duplicate_key', at);
  });

  it('no duplicate_key for a dropped field occurring twice', async () => {
    const text = fixture('ticket-show.json').toString('utf8');
    const input = text.replace('"raw_subject"', '"description": "zweimal",\n    "raw_subject"');
    const result = await leastdata(['filter', '--policy', policyFile], input);
    assert.equal(result.status, 0);
    assert.ok(result.stdout.equals(fixture('ticket-show.expected.json')));
  });

  it('usage errors are invalid_argument', async () => {
    assertFails(await leastdata([]), 'invalid_argument');
    assertFails(await leastdata(['frobnicate']), 'invalid_argument');
    assertFails(await leastdata(['filter', join(fixtures, 'ticket-show.json')]), 'invalid_argument');
    assertFails(await leastdata(['filter', '--policy']), 'invalid_argument');
    assertFails(await leastdata(['filter', '--policy', policyFile, '--frob', 'x', join(fixtures, 'ticket-show.json')]), 'invalid_argument');
    assertFails(await leastdata(['check-policy']), 'invalid_argument');
  });

  it('unreadable files are invalid_argument', async () => {
    const missing = join(scratch, 'no-such-file.json');
    assertFails(await leastdata(['filter', '--policy', missing, join(fixtures, 'ticket-show.json')]), 'invalid_argument');
    assertFails(await leastdata(['filter', '--policy', policyFile, missing]), 'invalid_argument');
    assertFails(await leastdata(['filter', '--policy', policyFile, fixtures]), 'invalid_argument'); // a directory
    assertFails(await leastdata(['check-policy', missing]), 'invalid_argument');
  });

  // ---- check-request (DESIGN §2.5) --------------------------------------------------------

  it('check-request: exit 0 and the pattern when the policy allows the request and its body', async () => {
    const policy = policyWith({
      requests: ['PUT /api/v2/tickets/{id}.json', 'GET /api/v2/search/export.json?query&filter[type]'],
      write: { resources: { ticket: 'status' } },
    });
    const body = scratchFile('body-ok.json', '{"ticket":{"status":"solved"}}');
    const put = await leastdata(['check-request', '--policy', policy, 'PUT', '/api/v2/tickets/42.json', body]);
    assert.equal(put.status, 0, put.stderr);
    assert.equal(put.stdout.toString(), 'allowed: PUT /api/v2/tickets/{id}.json\n');
    const get = await leastdata(['check-request', '--policy', policy, 'GET', '/api/v2/search/export.json?query=type%3Aticket&filter[type]=ticket']);
    assert.equal(get.status, 0, get.stderr);
    assert.equal(get.stdout.toString(), 'allowed: GET /api/v2/search/export.json?query&filter[type]\n');
  });

  it('check-request: exit 2 with request_not_allowed or write_not_allowed', async () => {
    const policy = policyWith({ requests: ['PUT /api/v2/tickets/{id}.json'], write: { resources: { ticket: 'status' } } });
    assertFails(await leastdata(['check-request', '--policy', policy, 'DELETE', '/api/v2/tickets/42.json']), 'request_not_allowed');
    assertFails(await leastdata(['check-request', '--policy', policy, 'PUT', '/api/v2/tickets/42.json?x=1']), 'request_not_allowed');
    assertFails(await leastdata(['check-request', '--policy', policy, 'PUT', '/api/v2/tickets/..%2F42.json']), 'request_not_allowed');
    const outside = scratchFile('body-outside.json', '{"ticket":{"status":"open","assignee_id":7}}');
    assertFails(await leastdata(['check-request', '--policy', policy, 'PUT', '/api/v2/tickets/42.json', outside]), 'write_not_allowed');
    const broken = scratchFile('body-broken.json', '{"ticket":');
    assertFails(await leastdata(['check-request', '--policy', policy, 'PUT', '/api/v2/tickets/42.json', broken]), 'invalid_json', 10);
    assertFails(await leastdata(['check-request', '--policy', policy, 'PUT']), 'invalid_argument');
    assertFails(await leastdata(['check-request', 'PUT', '/a']), 'invalid_argument');
    const noRequests = policyWith({});
    assertFails(await leastdata(['check-request', '--policy', noRequests, 'GET', '/api/v2/tickets/1.json']), 'request_not_allowed');
  });

  it('--ledger to an unwritable path fails with nothing on stdout', async () => {
    // A path below a regular file cannot be created, whoever runs the test.
    const ledger = join(policyFile, 'ledger.json');
    assertFails(await leastdata(['filter', '--policy', policyFile, '--ledger', ledger, join(fixtures, 'ticket-show.json')]),
      'invalid_argument');
    assert.equal(existsSync(ledger), false);
  });
});

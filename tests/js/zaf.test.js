// The ZAF adapter (ld.zaf) under Node, against the real wasm build in dist/ and a fake
// ZAF client that records its calls and answers what each test tells it to.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { load, LeastDataError } from '../../dist/node.js';

const POLICY = {
  version: 1,
  name: 'zaf-unit',
  resources: { ticket: 'id,subject,custom_fields[id=360001234](id,value)', user: 'id,name' },
  select: 'error,description',
  requests: [
    'GET /api/v2/tickets/{id}.json',
    'PUT /api/v2/tickets/{id}.json',
    'GET /api/v2/search.json?query&per_page',
    'GET /x',
    'DELETE /x',
  ],
  write: { resources: { ticket: 'status,custom_fields[id=360001234](id,value)' } },
  zaf: [
    'ticket.id',
    'ticket.subject',
    'ticket.requester',
    'ticket.requester.name',
    'ticket.requester.identities.type',
    'ticket.collaborators',
    '*.tags',
    'ticket.customField:custom_field_360001234',
    'currentUser.name',
  ],
};

const BIG_ID = '36000123456789012345';
const TICKET = `{"ticket":{"id":${BIG_ID},"subject":"Printer on fire","description":"secret text","requester_id":501,` +
  `"custom_fields":[{"id":360001234,"value":"gold"},{"id":360009999,"value":"internal"}]},` +
  `"users":[{"id":501,"name":"Ana","email":"ana@example.com"}]}`;
const TICKET_FILTERED = `{"ticket":{"id":${BIG_ID},"subject":"Printer on fire",` +
  `"custom_fields":[{"id":360001234,"value":"gold"}]},"users":[{"id":501,"name":"Ana"}]}`;

/**
 * A ZAF client double: `answers.get(paths)` / `answers.request(options)` decide the replies.
 * A string answer is the body; asked for httpCompleteResponse, the double wraps it as ZAF
 * does ({ status, headers, responseText }).
 */
function fakeClient(answers = {}) {
  const calls = [];
  return {
    calls,
    get(paths) {
      calls.push({ method: 'get', paths });
      return Promise.resolve(answers.get ? answers.get(paths) : {});
    },
    request(options) {
      calls.push({ method: 'request', options });
      const answer = answers.request ? answers.request(options) : TICKET;
      return Promise.resolve(answer).then((body) =>
        (options.httpCompleteResponse && typeof body === 'string' ? { status: 200, headers: {}, responseText: body } : body));
    },
  };
}

async function setup(answers) {
  const ld = await load();
  const policy = ld.compile(POLICY);
  const client = fakeClient(answers);
  return { ld, policy, client, zaf: ld.zaf(client, policy) };
}

function assertLeastDataError(code, check) {
  return (error) => {
    assert.ok(error instanceof LeastDataError, `expected LeastDataError, got ${error}`);
    assert.equal(error.code, code);
    check?.(error);
    return true;
  };
}

// --- construction ---------------------------------------------------------------------

test('zaf() needs a ZAF client and a policy of the same instance', async () => {
  const ld = await load();
  const other = await load();
  const policy = ld.compile(POLICY);
  assert.throws(() => ld.zaf({ get() {} }, policy), assertLeastDataError('invalid_argument'));
  assert.throws(() => ld.zaf(null, policy), assertLeastDataError('invalid_argument'));
  assert.throws(() => ld.zaf(fakeClient(), POLICY), assertLeastDataError('invalid_argument'));
  assert.throws(() => other.zaf(fakeClient(), policy), assertLeastDataError('invalid_argument', (error) => {
    assert.match(error.message, /another leastdata instance/);
  }));
  const zaf = ld.zaf(fakeClient(), policy);
  assert.deepEqual(Object.keys(zaf).sort(), ['get', 'request']);
});

// --- get ------------------------------------------------------------------------------

test('get passes an allowed string path to client.get as a string and returns the result', async () => {
  const { zaf, client, ld } = await setup({ get: () => ({ 'ticket.subject': 'Printer on fire', errors: {} }) });
  assert.deepEqual(await zaf.get('ticket.subject'), { 'ticket.subject': 'Printer on fire', errors: {} });
  assert.deepEqual(client.calls, [{ method: 'get', paths: 'ticket.subject' }]);
  assert.deepEqual(ld.accessReport().zaf, { read: { 'ticket.subject': 1 }, refused: {} });
});

test('get passes an allowed array of paths to client.get as an array', async () => {
  const paths = ['ticket.id', 'ticket.tags', 'ticket.customField:custom_field_360001234'];
  const answer = { 'ticket.id': 1, 'ticket.tags': ['vip'], 'ticket.customField:custom_field_360001234': 'gold', errors: {} };
  const { zaf, client, ld } = await setup({ get: () => answer });
  assert.deepEqual(await zaf.get(paths), answer);
  assert.equal(client.calls.length, 1);
  assert.deepEqual(client.calls[0].paths, paths);
  assert.deepEqual(ld.accessReport().zaf.read, { 'ticket.id': 1, 'ticket.tags': 1, 'ticket.customField:custom_field_360001234': 1 });
});

test('a refused path rejects with path_not_allowed before client.get is called', async () => {
  const { zaf, client, ld } = await setup();
  const pending = zaf.get(['ticket.subject', 'ticket.requester.email', 'currentUser.email']);
  // Decided inside the call: nothing was handed to the client, whatever happens next.
  assert.deepEqual(client.calls, []);
  await assert.rejects(pending, assertLeastDataError('path_not_allowed', (error) => {
    assert.match(error.message, /"ticket\.requester\.email"/);
  }));
  await assert.rejects(zaf.get('ticket.description'), assertLeastDataError('path_not_allowed', (error) => {
    assert.match(error.message, /"ticket\.description"/);
  }));
  assert.deepEqual(client.calls, []);
  // Refused paths are recorded; the allowed path of the refused call was not read.
  assert.deepEqual(ld.accessReport().zaf, {
    read: {},
    refused: { 'ticket.requester.email': 1, 'currentUser.email': 1, 'ticket.description': 1 },
  });
});

test('the zaf list is matched by the core: * is one whole segment', async () => {
  const { zaf, client } = await setup({ get: () => ({}) });
  await zaf.get(['ticket.tags', 'organization.tags']);
  await assert.rejects(zaf.get('ticket.requester.tags'), assertLeastDataError('path_not_allowed'));
  await assert.rejects(zaf.get('ticket.customField:custom_field_360009999'), assertLeastDataError('path_not_allowed'));
  await assert.rejects(zaf.get('ticket'), assertLeastDataError('path_not_allowed'));
  assert.equal(client.calls.length, 1);
});

test('a path with a NUL character is refused, even where * would match it, and its neighbours are still judged', async () => {
  const { zaf, client } = await setup({ get: () => ({ 'ticket.tags': [] }) });
  await assert.rejects(zaf.get(['ticket.tags', 'x\u0000y.tags']), assertLeastDataError('path_not_allowed', (error) => {
    assert.match(error.message, /x\u0000y\.tags/);
  }));
  assert.deepEqual(await zaf.get(['ticket.tags', 'organization.tags']), { 'ticket.tags': [] });
  // A member name with NUL in an answer is pruned; the allowed members around it stay.
  const pruned = await (await setup({ get: () => ({ 'ticket.requester': { name: 'Ana', 'a\u0000b': 'x', email: 'e' } }) })).zaf.get('ticket.requester');
  assert.deepEqual(pruned, { 'ticket.requester': { name: 'Ana' } });
  assert.equal(client.calls.length, 1);
});

test('get refuses paths that are not strings, without calling the client', async () => {
  const { zaf, client } = await setup();
  for (const bad of [undefined, 42, ['ticket.id', 7], { path: 'ticket.id' }]) {
    await assert.rejects(zaf.get(bad), assertLeastDataError('invalid_argument'));
  }
  assert.deepEqual(client.calls, []);
});

test('an object result keeps only members at paths the zaf list allows', async () => {
  const requester = {
    id: 501,
    name: 'Ana',
    email: 'ana@example.com',
    identities: [{ type: 'email', value: 'ana@example.com' }, { type: 'phone', value: '+49 30 1' }],
    organizations: [{ id: 9, name: 'Acme' }],
  };
  const { zaf } = await setup({
    get: () => ({
      'ticket.requester': requester,
      'ticket.collaborators': [{ id: 1, name: 'Bo' }],
      'ticket.smuggled': 'not asked for',
      errors: { 'ticket.collaborators': { name: 'x', message: 'y' }, other: { name: 'z' } },
    }),
  });
  assert.deepEqual(await zaf.get(['ticket.requester', 'ticket.collaborators']), {
    'ticket.requester': { name: 'Ana', identities: [{ type: 'email' }, { type: 'phone' }] },
    // Allowed itself, but no member of its elements is: each element stays, emptied
    // (elements share their array's path).
    'ticket.collaborators': [{}],
    errors: { 'ticket.collaborators': { name: 'x', message: 'y' } },
  });
});

test('a scalar result at an allowed path is returned as is', async () => {
  const { zaf } = await setup({ get: () => ({ 'ticket.requester': null, 'ticket.id': 7 }) });
  assert.deepEqual(await zaf.get(['ticket.requester', 'ticket.id']), { 'ticket.requester': null, 'ticket.id': 7 });
});

test('a ZAF get error propagates unchanged', async () => {
  const zafError = new Error('"ticket.subject" is not available');
  const { zaf } = await setup({ get: () => Promise.reject(zafError) });
  await assert.rejects(zaf.get('ticket.subject'), (error) => error === zafError);
});

// --- request --------------------------------------------------------------------------

test('request asks for the complete response as text, drops the leastdata option and keeps the others', async () => {
  const { zaf, client } = await setup();
  const options = {
    url: '/api/v2/tickets/1.json',
    type: 'GET',
    dataType: 'json',
    secure: true,
    headers: { Authorization: 'Bearer {{setting.token}}' },
    leastdata: { as: 'json' },
  };
  const snapshot = structuredClone(options);
  await zaf.request(options);
  await zaf.request('/api/v2/tickets/2.json');
  assert.deepEqual(client.calls.map((call) => call.options), [
    { url: '/api/v2/tickets/1.json', type: 'GET', dataType: 'text', httpCompleteResponse: true, secure: true, headers: { Authorization: 'Bearer {{setting.token}}' } },
    { url: '/api/v2/tickets/2.json', dataType: 'text', httpCompleteResponse: true },
  ]);
  assert.deepEqual(options, snapshot, "the caller's options are not changed");
});

test('request returns the filtered response parsed, large IDs as exact strings', async () => {
  const { zaf } = await setup();
  assert.deepEqual(await zaf.request('/api/v2/tickets/1.json'), {
    ticket: { id: BIG_ID, subject: 'Printer on fire', custom_fields: [{ id: 360001234, value: 'gold' }] },
    users: [{ id: 501, name: 'Ana' }],
  });
});

test("request with leastdata.as 'text' returns the filtered text", async () => {
  const { zaf } = await setup();
  assert.equal(await zaf.request({ url: '/api/v2/tickets/1.json', leastdata: { as: 'text' } }), TICKET_FILTERED);
});

test('only integers beyond 2^53 become strings; strings, keys and other numbers are untouched', async () => {
  const body = '{"ticket":{"id":-90071992547409930,"subject":"12345678901234567890 \\"99999999999999999\\"",' +
    '"custom_fields":[{"id":9007199254740991,"value":1.2345678901234567e3}]},' +
    '"users":[{"id":12345678901234567890123,"name":"x"}]}';
  const { zaf } = await setup({ request: () => body });
  assert.deepEqual(await zaf.request({ url: '/x', leastdata: {} }), {
    ticket: { id: '-90071992547409930', subject: '12345678901234567890 "99999999999999999"', custom_fields: [] },
    users: [{ id: '12345678901234567890123', name: 'x' }],
  });
});

test('request refuses unknown leastdata options before calling ZAF', async () => {
  const { zaf, client } = await setup();
  await assert.rejects(zaf.request({ url: '/x', leastdata: { as: 'xml' } }), assertLeastDataError('invalid_argument'));
  await assert.rejects(zaf.request({ url: '/x', leastdata: { format: 'text' } }), assertLeastDataError('invalid_argument'));
  await assert.rejects(zaf.request({ url: '/x', leastdata: 'text' }), assertLeastDataError('invalid_argument'));
  await assert.rejects(zaf.request(42), assertLeastDataError('invalid_argument'));
  assert.deepEqual(client.calls, []);
});

test('a filter error propagates as LeastDataError and nothing is returned', async () => {
  const { zaf } = await setup({ request: () => '{"ticket":{"id":1,"subject":"a"} trailing' });
  await assert.rejects(zaf.request('/x'), assertLeastDataError('invalid_json', (error) => {
    assert.equal(typeof error.offset, 'number');
  }));
});

test('a parent that parses despite dataType text: responseText (the body as sent) is what gets filtered', async () => {
  const { zaf } = await setup({ request: () => ({ status: 200, headers: {}, responseText: TICKET, responseJSON: JSON.parse(TICKET) }) });
  assert.equal(await zaf.request({ url: '/x', leastdata: { as: 'text' } }), TICKET_FILTERED);
});

test('an answer that is not the complete response (a parsed body, no responseText) is refused, not passed on', async () => {
  for (const answer of [JSON.parse(TICKET), { status: 200, headers: {} }, { status: 200, responseText: { ticket: {} } }, null]) {
    const { zaf } = await setup({ request: () => answer });
    await assert.rejects(zaf.request('/x'), assertLeastDataError('invalid_response'));
  }
});

test('an empty body (204) gives null, or an empty text', async () => {
  const { zaf, ld } = await setup({ request: () => '' });
  assert.equal(await zaf.request({ url: '/x', type: 'DELETE' }), null);
  assert.equal(await zaf.request({ url: '/x', type: 'DELETE', leastdata: { as: 'text' } }), '');
  assert.equal(ld.accessReport().calls, 0);
});

test('httpCompleteResponse: status and headers kept, the body filtered', async () => {
  const headers = { 'content-type': 'application/json', 'x-rate-limit-remaining': '99' };
  const { zaf } = await setup({
    request: () => ({ status: 200, headers, responseText: TICKET, responseJSON: JSON.parse(TICKET) }),
  });
  assert.deepEqual(await zaf.request({ url: '/x', httpCompleteResponse: true }), {
    status: 200,
    headers,
    responseText: TICKET_FILTERED,
    responseJSON: JSON.parse(TICKET_FILTERED.replace(BIG_ID, `"${BIG_ID}"`)),
  });
  assert.deepEqual(await zaf.request({ url: '/x', httpCompleteResponse: true, leastdata: { as: 'text' } }), {
    status: 200,
    headers,
    responseText: TICKET_FILTERED,
  });
});

test('a failed request rejects with the ZAF error, its body filtered and nothing else of it', async () => {
  const body = '{"error":"RecordInvalid","description":"Invalid","details":{"email":"ana@example.com is taken"}}';
  const zafError = { readyState: 4, status: 422, statusText: 'Unprocessable Entity', responseText: body, responseJSON: JSON.parse(body), extra: 'x' };
  const { zaf } = await setup({ request: () => Promise.reject(zafError) });
  await assert.rejects(zaf.request('/x'), (error) => {
    assert.deepEqual(error, {
      readyState: 4,
      status: 422,
      statusText: 'Unprocessable Entity',
      responseText: '{"error":"RecordInvalid","description":"Invalid"}',
    });
    return true;
  });
  assert.equal(zafError.responseText, body, "ZAF's own object is not changed");
});

test('a failed request whose body is not JSON rejects with an empty responseText', async () => {
  const { zaf } = await setup({
    request: () => Promise.reject({ status: 502, statusText: 'Bad Gateway', responseText: '<html>ana@example.com</html>' }),
  });
  await assert.rejects(zaf.request('/x'), (error) => {
    assert.deepEqual(error, { status: 502, statusText: 'Bad Gateway', responseText: '' });
    return true;
  });
});

test('ZAF errors without a body propagate unchanged', async () => {
  const thrown = new Error('network');
  const { zaf: zafA } = await setup({ request: () => Promise.reject(thrown) });
  await assert.rejects(zafA.request('/x'), (error) => error === thrown);
  const { zaf: zafB } = await setup({ request: () => Promise.reject('timeout') });
  await assert.rejects(zafB.request('/x'), (error) => error === 'timeout');
});

test('requests feed the access report with their ledgers', async () => {
  const { zaf, ld } = await setup();
  await zaf.request('/api/v2/tickets/1.json');
  await zaf.request({ url: '/api/v2/tickets/1.json', leastdata: { as: 'text' } });
  const report = ld.accessReport();
  assert.equal(report.calls, 2);
  assert.equal(report.bytes_in, 2 * TICKET.length);
  assert.equal(report.bytes_out, 2 * TICKET_FILTERED.length);
  assert.deepEqual(report.kept_paths, {
    'ticket.id': 2,
    'ticket.subject': 2,
    'ticket.custom_fields[].id': 2,
    'ticket.custom_fields[].value': 2,
    'users[].id': 2,
    'users[].name': 2,
  });
  assert.deepEqual(report.zaf, { read: {}, refused: {} });
});

test('a disposed policy refuses both calls', async () => {
  const { zaf, policy, client } = await setup();
  policy.dispose();
  await assert.rejects(zaf.get('ticket.id'), assertLeastDataError('disposed'));
  await assert.rejects(zaf.request('/x'), assertLeastDataError('disposed'));
  assert.deepEqual(client.calls, []);
});

// --- requests and writes (DESIGN §2.5) ----------------------------------------------------

test('a request the policy does not list is refused before ZAF is called, and counted by pattern', async () => {
  const { zaf, client, ld } = await setup();
  const refusals = [
    { url: '/api/v2/tickets/1.json', type: 'DELETE' },
    { url: '/api/v2/users/1234567.json' },
    { url: '/api/v2/tickets%2F1.json' },
    { url: '/api/v2/tickets/1.json?include=users' },
    { url: 'https://acme.zendesk.com/api/v2/tickets/1.json' },
    { url: '/api/v2/search.json?query=requester:jane@example.com&query=x' },
  ];
  for (const options of refusals) {
    const pending = zaf.request(options);
    // Decided inside the call: nothing was handed to the client, even before awaiting.
    assert.equal(client.calls.length, 0, JSON.stringify(options));
    await assert.rejects(pending, assertLeastDataError('request_not_allowed'));
  }
  const { requests } = ld.accessReport();
  assert.deepEqual(requests.made, {});
  assert.deepEqual(requests.refused, {
    'DELETE /api/v2/tickets/{id}.json': 1,
    'GET /api/v2/users/{id}.json': 1,
    'GET (a URL that is not plainly one path)': 2,
    'GET /api/v2/tickets/{id}.json?include': 1,
    'GET https://acme.zendesk.com/api/v2/tickets/{id}.json': 1,
  });
  assert.doesNotMatch(JSON.stringify(ld.accessReport()), /jane|1234567/);
});

test('allowed requests are counted by pattern, never with their IDs or query values', async () => {
  const { zaf, client, ld } = await setup({ request: () => '{"results":[],"count":0}' });
  await zaf.request('/api/v2/search.json?query=requester%3Ajane%40example.com&per_page=5');
  await zaf.request({ url: '/api/v2/tickets/987654.json', method: 'get' });
  assert.equal(client.calls.length, 2);
  assert.deepEqual(ld.accessReport().requests, {
    made: { 'GET /api/v2/search.json?query&per_page': 1, 'GET /api/v2/tickets/{id}.json': 1 },
    refused: {},
  });
  assert.doesNotMatch(JSON.stringify(ld.accessReport()), /jane|987654/);
});

test('a JSON body inside the write selection is sent exactly as checked', async () => {
  const { zaf, client } = await setup({ request: () => '' });
  const data = JSON.stringify({ ticket: { status: 'solved', custom_fields: [{ id: 360001234, value: 'gold' }] } });
  await zaf.request({ url: '/api/v2/tickets/1.json', type: 'PUT', data, contentType: 'application/json' });
  assert.equal(client.calls.length, 1);
  assert.equal(client.calls[0].options.data, data);
});

test('a body reaching outside write is refused whole, naming the first path and no value', async () => {
  const { zaf, client, ld } = await setup();
  const data = JSON.stringify({ ticket: { status: 'open', comment: { body: 'call jane@example.com' } } });
  const pending = zaf.request({ url: '/api/v2/tickets/1.json', type: 'PUT', data, contentType: 'application/json' });
  assert.equal(client.calls.length, 0);
  await assert.rejects(pending, assertLeastDataError('write_not_allowed', (error) => {
    assert.match(error.message, /^"ticket\.comment" is outside the policy's write selection/);
    assert.doesNotMatch(error.message, /jane/);
  }));
  assert.deepEqual(ld.accessReport().requests.refused, { 'PUT /api/v2/tickets/{id}.json': 1 });
  await assert.rejects(zaf.request({ url: '/api/v2/tickets/1.json', type: 'PUT', data: '{"ticket":' }), assertLeastDataError('invalid_json'));
  await assert.rejects(zaf.request({ url: '/x', type: 'DELETE', data: '{"ids":[1]}' }), assertLeastDataError('write_not_allowed'));
  assert.equal(client.calls.length, 0);
});

test('bodies that would not be sent as checked are refused with what to write instead', async () => {
  const { zaf, client } = await setup();
  await assert.rejects(
    zaf.request({ url: '/api/v2/tickets/1.json', type: 'PUT', data: { ticket: { status: 'open' } } }),
    assertLeastDataError('invalid_argument', (error) => assert.match(error.message, /JSON\.stringify/)),
  );
  await assert.rejects(
    zaf.request({ url: '/api/v2/tickets/1.json', data: 'include=users' }),
    assertLeastDataError('invalid_argument', (error) => assert.match(error.message, /query parameters into url/)),
  );
  await assert.rejects(
    zaf.request({ url: '/api/v2/tickets/1.json', method: 'GET', type: 'PUT', data: '{}' }),
    assertLeastDataError('invalid_argument', (error) => assert.match(error.message, /disagree/)),
  );
  await assert.rejects(zaf.request({ type: 'GET' }), assertLeastDataError('invalid_argument'));
  assert.equal(client.calls.length, 0);
});

test('checkRequest and the declaration are on the compiled policy', async () => {
  const ld = await load();
  const policy = ld.compile(POLICY);
  policy.checkRequest('PUT', '/api/v2/tickets/5.json', new TextEncoder().encode('{"ticket":{"status":"open"}}'));
  assert.throws(() => policy.checkRequest('POST', '/api/v2/tickets.json'), assertLeastDataError('request_not_allowed'));
  assert.throws(() => policy.checkRequest('GET', 42), assertLeastDataError('invalid_argument'));
  const declaration = JSON.parse(policy.declaration);
  assert.deepEqual(Object.keys(declaration), ['limits', 'name', 'read', 'redact', 'requests', 'write', 'zaf']);
  assert.deepEqual(declaration.requests, [...POLICY.requests].sort());
  // Canonical: rules sorted at every level, so the order the policy was written in is gone.
  const fields = 'custom_fields[id=360001234](id,value),status';
  assert.equal(declaration.write, `results[result_type=ticket](${fields}),ticket(${fields}),tickets(${fields})`);
});

test('the access report counts the top-level members no rule named', async () => {
  const { zaf, ld } = await setup({ request: () => '{"audit":{"id":1},"ticket":{"id":2},"groups":[]}' });
  assert.deepEqual(await zaf.request('/api/v2/tickets/2.json'), { ticket: { id: 2 } });
  await zaf.request('/api/v2/tickets/3.json');
  assert.deepEqual(ld.accessReport().unmatched, { audit: 2, groups: 2 });
});

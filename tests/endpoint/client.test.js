// The package's endpoint client (ld.endpoint with a token callback) against the real
// endpoint on SQLite: every call of DESIGN §4 round-trips, job IDs are refused in wasm
// before anything is sent, and the deletion certificate verifies in wasm.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { load } from '../../dist/node.js';
import { signHS256, startEndpoint } from './helpers.js';

let ctx;
let server;
let ld;
let admin;
let agent;

before(async () => {
  let tenant;
  ({ ctx, tenant, server } = await startEndpoint({ tenant: 'clientco', exact: true }));
  ld = await load();
  const token = (sub, role) => async () => {
    const iat = Math.floor(Date.now() / 1000);
    return signHS256({ iss: 'clientco.zendesk.com', aud: 'leastdata', sub, email: `${sub}@clientco.example`, role, iat, exp: iat + 600 }, tenant.secret);
  };
  admin = ld.endpoint({ baseUrl: server.url, token: token('1001', 'admin') });
  agent = ld.endpoint({ baseUrl: server.url, token: token('1002', 'agent') });
});

after(async () => {
  ld?.dispose();
  await ctx?.close();
});

test('settings, tokens, stats and jobs round-trip through the client', async () => {
  await agent.registerAgent();
  await admin.putSettings('sidebar', { color: 'teal', limit: 5 });
  assert.deepEqual(await agent.getSettings('sidebar'), { color: 'teal', limit: 5 });
  await assert.rejects(agent.putSettings('sidebar', { color: 'red' }), (e) => e.status === 403);

  await agent.putToken('crm', 'tok-secret-value');
  assert.equal((await agent.getToken('crm')).value, 'tok-secret-value');
  await assert.rejects(admin.getToken('crm'), (e) => e.status === 404, 'tokens belong to one agent');

  await agent.addStats('sidebar', { opened: 2 });
  await agent.addStats('sidebar', { opened: 3 });
  assert.match(JSON.stringify(await agent.getStats('sidebar')), /"opened":5/);

  const job = await agent.createJob('gdpr_export', { ticket: [1, '9223372036854775807'], user: [7] });
  assert.ok(job.id);
  await agent.completeJob(job.id);
  await assert.rejects(agent.getJob(job.id), (e) => e.status === 404, 'a completed job is deleted at once');
});

test('job IDs that are not bare numbers never leave the browser module', async () => {
  await assert.rejects(agent.createJob('gdpr_export', { user: ['ana@example.com'] }), (e) => e.code === 'personal_data' && e.status === undefined);
});

test('report, then deletion with a certificate that verifies in wasm', async () => {
  const report = await admin.report();
  assert.ok(JSON.stringify(report).includes('sidebar'));
  assert.ok(!JSON.stringify(report).includes('tok-secret-value'), 'the report holds no secrets');
  const certificate = await admin.requestDeletion('clientco');
  const summary = ld.verifyCertificate(certificate, await admin.keys());
  assert.equal(summary.subdomain, 'clientco');
  assert.equal(summary.trigger, 'customer_request');
  assert.ok(summary.deleted.settings >= 1);
});

// Type-checked by tests/package/package.test.js against the installed tarball (ESM).
import { load, LeastDataError, type DeclaredPolicy, type JobProgress, type Ledger, type PolicyDocument, type ZafClient } from 'leastdata';

const policyDoc: PolicyDocument = { version: 1, resources: { ticket: 'id,subject' }, limits: { max_depth: 32 } };
const ld = await load();
const policy = ld.compile(policyDoc);
const text: string = policy.filter('{"ticket":{"id":1}}');
const bytes = new TextEncoder().encode(text);
const { output, ledger }: { output: string; ledger: Ledger } = policy.filterWithLedger(bytes, { wipeInput: true });
const kept: number = ledger.fields_kept + ld.accessReport().fields_dropped;
const streamed: string = await policy.filterStream(new Response(bytes));
const streamedValue: unknown = await policy.filterParsedStream(new Response(text).body!, { wipeInput: false });
console.log(streamed, streamedValue);
const memory: WebAssembly.Memory = ld.wasmMemory;
try {
  ld.compile('{"version":1}');
} catch (error) {
  if (error instanceof LeastDataError) {
    const code: string = error.code;
    const offset: number | undefined = error.offset;
    console.log(code, offset, output, kept, memory.buffer.byteLength);
  }
}
const ep = ld.endpoint({ baseUrl: 'https://ep.example.eu', token: async () => 'jwt' });
const declared: DeclaredPolicy = await ep.declarePolicy('ticket-summary', policyDoc);
const stored: { day: string } = await ep.reportAccess('ticket-summary', { calls: 1, kept_paths: ledger.kept_paths }, { policyHash: declared.policy_hash });
const undeclared: string[] = (await ep.report()).access.apps.flatMap((app) => app.undeclared_policy_hashes);
console.log(stored.day, undeclared);
policy.dispose();
ld.dispose();

// The job API as an app uses it (type-checked only: it needs an endpoint and ZAF).
export async function cleanup(client: ZafClient, requesterId: number): Promise<JobProgress> {
  const ld2 = await load();
  const endpoint = ld2.endpoint({ baseUrl: 'https://leastdata.example.eu', zaf: client });
  const jobs = ld2.jobs({ endpoint, kind: 'gdpr_cleanup', segmentSize: 5000 });
  const job = await jobs.create({ subjects: { user: [requesterId] } });
  const stop = job.onProgress((p: JobProgress) => console.log(p.done, p.total, p.rate, p.secondsLeft, p.waiting?.reason));
  await job.collect({ zaf: ld2.zaf(client, ld2.compile({ version: 1, resources: { ticket: 'id' } })), url: '/api/v2/search/export.json' });
  const zaf = ld2.zaf(client, ld2.compile({ version: 1, resources: { comment: 'id,html_body' } }));
  const end = await job.run({ zaf, batchSize: 50, concurrency: 4, step: async (id, { request, signal }) => {
    if (!signal.aborted) await request({ url: `/api/v2/tickets/${id}/comments.json` });
  } });
  stop();
  const listed = await jobs.list();
  if (listed.length > 0 && end.status !== 'completed') await (await jobs.resume(listed[0].id)).stop();
  return end;
}

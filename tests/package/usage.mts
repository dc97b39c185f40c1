// Type-checked by tests/package/package.test.js against the installed tarball (ESM).
import { load, LeastDataError, type DeclaredPolicy, type Ledger, type PolicyDocument } from 'leastdata';

const policyDoc: PolicyDocument = { version: 1, resources: { ticket: 'id,subject' }, limits: { max_depth: 32 } };
const ld = await load();
const policy = ld.compile(policyDoc);
const text: string = policy.filter('{"ticket":{"id":1}}');
const bytes = new TextEncoder().encode(text);
const { output, ledger }: { output: string; ledger: Ledger } = policy.filterWithLedger(bytes, { wipeInput: true });
const kept: number = ledger.fields_kept + ld.accessReport().fields_dropped;
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

// Type-checked by tests/package/package.test.js against the installed tarball (CommonJS).
import leastdata = require('leastdata');

async function main(): Promise<void> {
  const ld = await leastdata.load({ wasm: new Uint8Array(0) });
  const policy = ld.compile({ version: 1, select: 'a' });
  const selection: string = policy.selection;
  console.log(selection, policy.allowsZafPath('ticket.id'));
}
void main;

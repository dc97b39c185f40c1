#!/usr/bin/env node
// The `leastdata` command (DESIGN §4). It runs the same wasm as the library. Success
// prints the result and exits 0; any failure prints one line
// {"error":{"code":...,"message":...,"offset":N}} on stderr and exits 2.
import { readFile, writeFile } from 'node:fs/promises';

import { load, LeastDataError } from './node.js';

const USAGE =
  'leastdata filter --policy FILE [--ledger FILE] [INPUT] | leastdata check-policy FILE | ' +
  'leastdata redact [--detect all|TYPE,...] [--action remove|label|mask|pseudonym] [--key-file FILE] [--findings FILE] [INPUT] | ' +
  'leastdata verify-certificate CERT --keys JWKS | leastdata check-request --policy FILE METHOD URL [BODY]';

// Errors are one line on stderr, so the usage goes into the message.
function usageError(message) {
  return new LeastDataError('invalid_argument', `${message} (usage: ${USAGE})`);
}

// Parses `args` against the flags a command takes; the rest are positional.
function parseArgs(args, flags) {
  const options = {};
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith('--')) {
      const name = arg.slice(2);
      if (!flags.includes(name)) throw usageError(`unknown option ${arg}`);
      if (i + 1 >= args.length) throw usageError(`${arg} needs a value`);
      options[name] = args[++i];
    } else {
      positional.push(arg);
    }
  }
  return { options, positional };
}

async function readInput(path) {
  try {
    if (path === undefined) {
      const chunks = [];
      for await (const chunk of process.stdin) chunks.push(chunk);
      return Buffer.concat(chunks);
    }
    return await readFile(path);
  } catch (error) {
    throw new LeastDataError('invalid_argument', `cannot read ${path ?? 'standard input'}: ${error.message}`);
  }
}

async function writeOutput(path, text) {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new LeastDataError('invalid_argument', `cannot write ${path}: ${error.message}`);
  }
}

const commands = {
  async filter(args) {
    const { options, positional } = parseArgs(args, ['policy', 'ledger']);
    if (options.policy === undefined) throw usageError('filter needs --policy FILE');
    if (positional.length > 1) throw usageError('filter takes at most one INPUT');
    const ld = await load();
    const policy = ld.compile((await readInput(options.policy)).toString('utf8'));
    const input = await readInput(positional[0]);
    const { output, ledgerText } = policy.filterWithLedgerText(input, { wipeInput: true });
    if (options.ledger !== undefined) await writeOutput(options.ledger, `${ledgerText}\n`);
    process.stdout.write(`${output}\n`);
  },

  async redact(args) {
    const { options, positional } = parseArgs(args, ['detect', 'action', 'key-file', 'findings']);
    if (positional.length > 1) throw usageError('redact takes at most one INPUT');
    const ld = await load();
    if (options['key-file'] !== undefined) ld.setPseudonymKey(await readInput(options['key-file']));
    const text = (await readInput(positional[0])).toString('utf8');
    const { text: redacted, findings } = ld.redact(text, { detect: options.detect ?? 'all', action: options.action ?? 'mask' });
    if (options.findings !== undefined) await writeOutput(options.findings, `${JSON.stringify(findings)}\n`);
    process.stdout.write(redacted);
  },

  async 'verify-certificate'(args) {
    const { options, positional } = parseArgs(args, ['keys']);
    if (positional.length !== 1 || options.keys === undefined) throw usageError('verify-certificate takes CERT and --keys JWKS');
    const ld = await load();
    const certificate = (await readInput(positional[0])).toString('utf8');
    const keys = (await readInput(options.keys)).toString('utf8');
    const summary = ld.verifyCertificate(certificate, keys);
    const counts = Object.entries(summary.deleted).map(([category, n]) => `${category} ${n}`).join(', ');
    process.stdout.write(
      `valid: ${summary.certificate_id} for ${summary.subdomain} (${summary.trigger}), completed ${summary.completed_at}, ` +
        `signed by key ${summary.key_id} of ${summary.issuer}, region ${summary.storage_region}; deleted: ${counts}\n`,
    );
  },

  // Exit 0 when the policy allows the request (and its JSON body, read from the file BODY),
  // printing the pattern it was matched as; otherwise the error line and exit 2.
  async 'check-request'(args) {
    const { options, positional } = parseArgs(args, ['policy']);
    if (options.policy === undefined) throw usageError('check-request needs --policy FILE');
    if (positional.length < 2 || positional.length > 3) throw usageError('check-request takes METHOD URL [BODY]');
    const [method, url, bodyFile] = positional;
    const ld = await load();
    const policy = ld.compile((await readInput(options.policy)).toString('utf8'));
    const body = bodyFile === undefined ? undefined : await readInput(bodyFile);
    const { pattern, error } = policy.checkRequestPattern(method, url, body);
    if (error !== null) throw error;
    process.stdout.write(`allowed: ${pattern}\n`);
  },

  async 'check-policy'(args) {
    const { positional } = parseArgs(args, []);
    if (positional.length !== 1) throw usageError('check-policy takes one FILE');
    const ld = await load();
    const policy = ld.compile((await readInput(positional[0])).toString('utf8'));
    process.stdout.write(`${policy.selection}\n`);
  },
};

async function main(argv) {
  const [name, ...args] = argv;
  const command = commands[name];
  if (command === undefined) {
    throw usageError(name === undefined ? 'no command given' : `unknown command ${JSON.stringify(name)}`);
  }
  await command(args);
}

main(process.argv.slice(2)).catch((error) => {
  const failure =
    error instanceof LeastDataError ? error : new LeastDataError('internal_error', String(error?.message ?? error));
  process.stderr.write(`${JSON.stringify(failure.toJSON())}\n`);
  process.exitCode = 2;
});

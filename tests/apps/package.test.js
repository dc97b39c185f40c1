// `npm run apps:package` (apps/tools/package.js): the zip holds exactly the folder's files at
// its root, minus what .zcliignore names, each entry inflating to the file's bytes with the
// right CRC-32; the same folder gives the same bytes. Read back with an independent reader of
// the PKZIP central directory (not the writer's code).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { crc32 as zlibCrc32, inflateRawSync } from 'node:zlib';

import { appFolders, assemble } from '../../apps/tools/assemble.js';
import { packagedFiles, zip } from '../../apps/tools/package.js';
import { readAppPackage } from './app-package.js';

function unzip(bytes) {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'an end-of-central-directory record');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(bytes.readUInt32LE(at), 0x02014b50);
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30);
    const comment = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    assert.equal(bytes.readUInt32LE(local), 0x04034b50);
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const packed = bytes.subarray(dataStart, dataStart + size);
    entries.set(name, { data: method === 8 ? inflateRawSync(packed) : packed, crc });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

const crc32 = zlibCrc32 ?? ((data) => {
  let c = ~0;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
});

test('every app folder zips to exactly its files at the root, .zcliignore honoured, bytes reproducible', () => {
  const folders = appFolders();
  assert.ok(folders.length >= 1);
  for (const folder of folders) {
    assemble(folder);
    const files = packagedFiles(folder);
    for (const needed of ['manifest.json', 'translations/en.json', 'assets/iframe.html', 'assets/leastdata/leastdata.wasm', 'assets/zaf_sdk.js']) {
      assert.ok(files.includes(needed), `${folder}: ${needed}`);
    }
    assert.ok(!files.includes('.zcliignore'));
    assert.deepEqual([...files].sort(), readAppPackage(folder).files, 'the files zcli would zip');
    const bytes = zip(folder, files);
    assert.ok(bytes.equals(zip(folder, files)), 'the same folder gives the same zip');
    const entries = unzip(bytes);
    assert.deepEqual([...entries.keys()].sort(), [...files].sort());
    for (const [name, { data, crc }] of entries) {
      assert.ok(data.equals(readFileSync(join(folder, name))), name);
      assert.equal(crc, crc32(data), `${name} CRC-32`);
    }
  }
});

test('.zcliignore as zcli reads it: globs from the root, ** across folders, dot-files out (negative control: without it all are in)', () => {
  const work = mkdtempSync(join(tmpdir(), 'leastdata-zcliignore-'));
  try {
    cpSync(join(appFolders()[0], 'manifest.json'), join(work, 'manifest.json'));
    for (const file of ['assets/app.js', 'assets/app.js.map', 'notes/draft.md', 'assets/deep/x.map', 'README.md']) {
      cpSync(join(appFolders()[0], 'manifest.json'), join(work, file), { recursive: true });
    }
    const all = packagedFiles(work);
    assert.deepEqual(all.sort(), ['README.md', 'assets/app.js', 'assets/app.js.map', 'assets/deep/x.map', 'manifest.json', 'notes/draft.md']);
    // As zcli matches: from the root (`*.map` is top-level only), `**` across folders, a folder
    // named alone keeps its files; dot-files always out.
    cpSync(join(appFolders()[0], 'manifest.json'), join(work, '.env'));
    writeFileSync(join(work, '.zcliignore'), '# comment\n*.map\nnotes/\nREADME.md\n');
    assert.deepEqual(packagedFiles(work).sort(), ['assets/app.js', 'assets/app.js.map', 'assets/deep/x.map', 'manifest.json', 'notes/draft.md']);
    writeFileSync(join(work, '.zcliignore'), '**/*.map\nnotes/**\nREADME.md\n');
    assert.deepEqual(packagedFiles(work).sort(), ['assets/app.js', 'manifest.json']);
    // And the same list as the independent reading of zcli's packaging the rules test uses.
    assert.deepEqual(packagedFiles(work).sort(), readAppPackage(work).files);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

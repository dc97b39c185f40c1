// `npm run apps:package`: each app folder as the zip Zendesk takes for upload, laid out as
// `zcli apps:package` lays it out: the folder's files at the zip's root (manifest.json,
// translations/, assets/), without what zcli leaves out (ignoreMatcher). Written to build/apps/<app>.zip.
// The folders are assembled first (apps/tools/assemble.js), so the zip holds the package and
// the SDK. The zip is plain PKZIP: deflated entries, CRC-32, no extras, fixed timestamps (the
// same folder gives the same bytes).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';

import { appFolders, assemble } from './assemble.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (2020 - 1980) << 9 | 1 << 5 | 1; // 2020-01-01

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// What zcli leaves out of the zip (zendesk/zcli packages/zcli-apps/src/lib/package.ts: archiver's
// glob '**' with 'tmp/**' and the .zcliignore lines as ignore patterns): every path with a
// segment starting with '.', tmp/, and each file whose whole folder-relative path matches a
// line. A line is a glob (`*` and `?` within a segment, `**` across segments) matched from the
// folder's root: `*.map` is top-level files only, `**/*.map` every depth, `notes/**` a folder's
// contents. Matching zcli exactly keeps this zip the one zcli would upload.
function ignoreMatcher(folder) {
  let lines = [];
  try {
    lines = readFileSync(join(folder, '.zcliignore'), 'utf8').replace(/\r\n/g, '\n').split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#'));
  } catch {
    // no .zcliignore: only the defaults
  }
  const glob = (pattern) => new RegExp(`^${pattern.split('/').map((segment) => (segment === '**' ? '\u0000' :
    segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))).join('/')
    .replace(/\u0000\//g, '(?:[^/]+/)*').replace(/\/\u0000$/, '(?:/.*)?').replace(/^\u0000$/, '.*')}$`);
  const patterns = ['tmp/**', ...lines].map(glob);
  return (path) => path.split('/').some((segment) => segment.startsWith('.')) || patterns.some((p) => p.test(path));
}

/** The files of an app folder that go into its zip, as folder-relative paths with `/`. */
export function packagedFiles(folder) {
  const ignored = ignoreMatcher(folder);
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      const rel = relative(folder, path).split(sep).join('/');
      // Patterns are matched against each file's path, as zcli does: naming a folder alone
      // leaves its files in.
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !ignored(rel)) out.push(rel);
    }
  };
  walk(folder);
  return out;
}

/** The zip of `files` (folder-relative paths) read from `folder`. */
export function zip(folder, files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const name of files) {
    const data = readFileSync(join(folder, name));
    const packed = deflateRawSync(data, { level: 9 });
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    // The local header and the central directory record share these fields from "version
    // needed" on (APPNOTE 4.3.7, 4.3.12); the central record has "made by" before them.
    const common = (buffer, at) => {
      buffer.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
      buffer.writeUInt16LE(0x0800, at + 2); // UTF-8 names
      buffer.writeUInt16LE(8, at + 4); // deflate
      buffer.writeUInt16LE(DOS_TIME, at + 6);
      buffer.writeUInt16LE(DOS_DATE, at + 8);
      buffer.writeUInt32LE(crc, at + 10);
      buffer.writeUInt32LE(packed.length, at + 14);
      buffer.writeUInt32LE(data.length, at + 18);
      buffer.writeUInt16LE(nameBytes.length, at + 22);
    };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    common(header, 4);
    locals.push(header, nameBytes, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
    common(central, 6);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += header.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(ROOT, 'build', 'apps');
  mkdirSync(out, { recursive: true });
  for (const folder of appFolders()) {
    assemble(folder);
    const files = packagedFiles(folder);
    const target = join(out, `${basename(folder)}.zip`);
    writeFileSync(target, zip(folder, files));
    console.log(`apps: ${relative(ROOT, target)}: ${files.length} files, ${Math.round(statSync(target).size / 1024)} KB; upload it in Admin Center (Apps and integrations → Zendesk Support apps → Upload private app)`);
  }
}

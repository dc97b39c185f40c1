// What of an app folder reaches Zendesk. `zcli apps:package` and `apps:validate`
// (zendesk/zcli packages/zcli-apps/src/lib/package.ts) zip the folder with archiver's glob '**',
// which leaves out every path with a segment starting with '.', and ignore 'tmp/**' plus each
// non-comment line of .zcliignore (lines are not trimmed). archiver's readdir-glob matches each
// path on its own, with minimatch { dot: true } and no matchBase: a pattern without '/' matches
// top-level paths only, and a pattern naming a directory drops the directory entry, not the files
// inside it. The gem then reads the unzipped folder's files except tmp/ (package.rb `files`).
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { deflateRawSync } from 'node:zlib';

/**
 * The package as Zendesk receives it: `files` (relative POSIX paths, sorted), `symlinks` (kept
 * by archiver as links), `ignoreIssues` (.zcliignore lines that do not exclude what they name).
 */
export function readAppPackage(root) {
  const patterns = ['tmp/**', ...zcliIgnoreLines(root)].map(compilePattern);
  const ignored = (relative) => patterns.some((p) => p.matches(relative));
  const walked = walk(root);
  const packed = (entry) => !entry.split('/').some((s) => s.startsWith('.')) && !ignored(entry);
  const files = walked.files.filter(packed).sort();
  const directories = walked.directories.filter(packed);
  const fileSet = new Set(files);
  return {
    root,
    files,
    directories,
    symlinks: walked.symlinks.filter(packed).sort(),
    ignoreIssues: ignoreIssues(patterns.slice(1), files, walked.directories),
    has: (relative) => fileSet.has(posix.normalize(relative)),
    read: (relative) => readFileSync(join(root, relative)),
  };
}

/** The zip's size as archiver writes it, estimated: deflated data plus zip headers per entry. */
export function estimatedZipBytes(pkg) {
  const LOCAL_HEADER = 30;
  const DATA_DESCRIPTOR = 16;
  const CENTRAL_HEADER = 46;
  const END_OF_CENTRAL_DIRECTORY = 22;
  const entryOverhead = (name) => LOCAL_HEADER + CENTRAL_HEADER + 2 * Buffer.byteLength(name);
  let total = END_OF_CENTRAL_DIRECTORY;
  for (const file of pkg.files) total += entryOverhead(file) + DATA_DESCRIPTOR + deflateRawSync(pkg.read(file)).length;
  for (const directory of pkg.directories) total += entryOverhead(`${directory}/`);
  return total;
}

function zcliIgnoreLines(root) {
  let text;
  try {
    text = readFileSync(join(root, '.zcliignore'), 'utf8');
  } catch {
    return [];
  }
  return text.replace(/\r\n/g, '\n').split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
}

function walk(root) {
  const found = { files: [], directories: [], symlinks: [] };
  const visit = (relative) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) found.symlinks.push(path);
      else if (entry.isDirectory()) {
        found.directories.push(path);
        visit(path);
      } else if (entry.isFile()) found.files.push(path);
    }
  };
  visit('');
  return found;
}

// The .zcliignore lines that cannot do what they seem to say, given the matching above.
function ignoreIssues(patterns, files, directories) {
  const issues = [];
  for (const pattern of patterns) {
    const nested = files.filter((f) => f.includes('/') && pattern.matches(posix.basename(f)));
    if (!pattern.source.includes('/') && nested.length > 0) {
      issues.push({ pattern: pattern.source, kept: nested, why: 'a pattern without "/" matches top-level paths only' });
    }
    for (const directory of directories.filter((d) => pattern.matches(d) || pattern.matches(`${d}/`))) {
      const kept = files.filter((f) => f.startsWith(`${directory}/`) && !pattern.matches(f));
      if (kept.length > 0) issues.push({ pattern: pattern.source, kept, why: `it drops the directory entry ${directory}/, not its files (write ${directory}/**)` });
    }
  }
  return issues;
}

// A minimatch pattern with { dot: true }: *, ?, [...], ** as a whole segment, {a,b}, a leading !.
function compilePattern(source) {
  const bangs = source.match(/^!*/)[0].length;
  const negated = bangs % 2 === 1;
  const body = source.slice(bangs);
  const alternatives = expandBraces(body).map((p) => p.split('/').map(segmentMatcher));
  const matchesPath = (path) => alternatives.some((segments) => matchSegments(segments, path.split('/')));
  return { source, matches: (path) => matchesPath(path) !== negated };
}

function matchSegments(pattern, path) {
  if (pattern.length === 0) return path.length === 0;
  const [first, ...rest] = pattern;
  if (first === GLOBSTAR) {
    for (let skip = 0; skip <= path.length; skip += 1) {
      if (matchSegments(rest, path.slice(skip))) return true;
    }
    return false;
  }
  return path.length > 0 && first.test(path[0]) && matchSegments(rest, path.slice(1));
}

const GLOBSTAR = Symbol('**');

function segmentMatcher(segment) {
  if (segment === '**') return GLOBSTAR;
  let regex = '';
  for (let i = 0; i < segment.length; i += 1) {
    const c = segment[i];
    if (c === '\\' && i + 1 < segment.length) regex += escapeRegex(segment[++i]);
    else if (c === '*') regex += '[^/]*';
    else if (c === '?') regex += '[^/]';
    else if (c === '[' && segment.indexOf(']', i + 2) !== -1) {
      const end = segment.indexOf(']', i + 2);
      const inner = segment.slice(i + 1, end);
      regex += `[${inner.replace(/^!/, '^')}]`;
      i = end;
    } else regex += escapeRegex(c);
  }
  return new RegExp(`^${regex}$`);
}

function escapeRegex(c) {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// {a,b} alternatives (nested ones too); a brace without a top-level comma stays literal.
function expandBraces(pattern) {
  let depth = 0;
  let open = -1;
  const commas = [];
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\') i += 1;
    else if (c === '{' && depth++ === 0) open = i;
    else if (c === ',' && depth === 1) commas.push(i);
    else if (c === '}' && depth > 0 && --depth === 0 && commas.length > 0) {
      const before = pattern.slice(0, open);
      const after = pattern.slice(i + 1);
      const cuts = [open, ...commas, i];
      const options = cuts.slice(0, -1).map((cut, k) => pattern.slice(cut + 1, cuts[k + 1]));
      return options.flatMap((option) => expandBraces(before + option + after));
    }
  }
  return [pattern];
}

// The core's error table (wasm/include/leastdata/error_codes.hpp) read as data, for the tests
// that check the copies of it (types, OpenAPI, the apps' messages) against it.
import { readFileSync } from 'node:fs';

const HEADER = new URL('../../wasm/include/leastdata/error_codes.hpp', import.meta.url);

/** [{ code, status, raisedBy: Set<'core'|'endpoint'|'command'|'package'> }] in table order. */
export function errorTable() {
  const text = readFileSync(HEADER, 'utf8');
  const list = text.slice(text.indexOf('#define LEASTDATA_ERROR_CODES(X)'), text.indexOf('// clang-format on'));
  const rows = [...list.matchAll(/X\((\w+),\s*(\d+),\s*([a-z |]+)\)/g)].map(([, code, status, who]) => ({
    code,
    status: Number(status),
    raisedBy: new Set(who.split('|').map((w) => w.trim())),
  }));
  if (rows.length < 40) throw new Error(`error_codes.hpp: only ${rows.length} codes read`);
  return rows;
}

// node scripts/build-cjs.js DIR — builds DIR/node.cjs, the CommonJS entry for
// `require('leastdata')`, from the ESM sources already in DIR (node.js and what it imports, the Emscripten glue included),
// as one file. `import.meta.url` has no CommonJS equivalent: it is defined from
// __filename, so the .wasm is still found beside the file.
import { build } from 'esbuild';

const dist = new URL(`${process.argv[2] ?? 'dist'}/`, new URL('../', import.meta.url));

await build({
  entryPoints: [new URL('node.js', dist).pathname],
  outfile: new URL('node.cjs', dist).pathname,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  define: { 'import.meta.url': '__leastdata_module_url' },
  banner: { js: "const __leastdata_module_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

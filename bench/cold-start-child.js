// One Node cold-start sample, run in a fresh process by bench/cold-start.js
// (bench/cold-sample.js says what is timed); the import of the package is timed apart.
// Prints JSON.
//   node bench/cold-start-child.js INPUT_FILE WORKLOAD
import { readFileSync } from 'node:fs';

const importStart = performance.now();
const { load } = await import('../dist/node.js');
const imported = performance.now();
const { coldSample } = await import('./cold-sample.js');

const [inputPath, workload] = process.argv.slice(2);
const bytes = readFileSync(inputPath);

const faultsBefore = process.resourceUsage().minorPageFault;
const sample = await coldSample(load, workload, bytes, ['instantiate']);
const minorFaults = process.resourceUsage().minorPageFault - faultsBefore;
process.stdout.write(JSON.stringify({ ...sample, minor_faults: minorFaults, import_ms: imported - importStart, process_start_to_import_ms: importStart }));

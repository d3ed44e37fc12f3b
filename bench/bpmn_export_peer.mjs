// bpmn_export_peer.mjs - the peer for bench/run-bpmn-export.sh: bpmn.io's
// own serializer (bpmn-moddle's toXML) writing a model it has read. Reading
// is not timed; toXML is, best of three. Prints "SECONDS BYTES".
//
//   node bench/bpmn_export_peer.mjs FILE.bpmn
// bpmn-moddle comes from tests/interop/node_modules (npm ci there).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const top = join(dirname(fileURLToPath(import.meta.url)), '..');
const { BpmnModdle } = await import(pathToFileURL(
  join(top, 'tests', 'interop', 'node_modules', 'bpmn-moddle', 'dist', 'index.js')).href);
const xml = await readFile(process.argv[2], 'utf8');
const moddle = new BpmnModdle();
const { rootElement } = await moddle.fromXML(xml);
let best = Infinity, bytes = 0;
for (let i = 0; i < 3; i++) {
  const t0 = process.hrtime.bigint();
  const { xml: out } = await moddle.toXML(rootElement, { format: true });
  const t = Number(process.hrtime.bigint() - t0) / 1e9;
  bytes = Buffer.byteLength(out);
  if (t < best) best = t;
}
console.log(`${best.toFixed(3)} ${bytes}`);

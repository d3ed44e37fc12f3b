// moddle.mjs - read BPMN files with bpmn.io's own parser (bpmn-moddle) and
// fail on any warning: an unknown element or attribute, an unresolved
// reference, a duplicate id. Prints what it read.
//
//   node moddle.mjs FILE.bpmn...
import { readFile } from 'node:fs/promises';
import { BpmnModdle } from 'bpmn-moddle';

let failed = false;
for (const path of process.argv.slice(2)) {
  const xml = await readFile(path, 'utf8');
  const moddle = new BpmnModdle();
  let result;
  try {
    result = await moddle.fromXML(xml);
  } catch (e) {
    console.error(`${path}: bpmn-moddle cannot read it: ${e.message}`);
    failed = true;
    continue;
  }
  const { rootElement, warnings, elementsById } = result;
  for (const w of warnings) {
    console.error(`${path}: bpmn-moddle warning: ${w.message}`);
    failed = true;
  }
  const counts = {};
  for (const el of Object.values(elementsById)) {
    counts[el.$type] = (counts[el.$type] || 0) + 1;
  }
  const processes = rootElement.rootElements.filter((e) => e.$type === 'bpmn:Process');
  if (!processes.length) {
    console.error(`${path}: no process read`);
    failed = true;
  }
  const summary = Object.entries(counts).sort().map(([t, n]) => `${t.replace('bpmn:', '')} ${n}`);
  console.log(`${path}: ${warnings.length} warnings; ${summary.join(', ')}`);
}
process.exit(failed ? 1 : 0);

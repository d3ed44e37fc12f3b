// read.mjs FILE.bpmn - the peer: parse a BPMN file with bpmn-moddle (bpmn.io's
// parser, what Camunda Modeler and bpmn-js use) and report the time, the
// elements read and the warnings. Peak memory is measured by the caller.
import { readFileSync } from 'node:fs';
import BpmnModdle from 'bpmn-moddle';

const file = process.argv[2];
const t0 = process.hrtime.bigint();
const xml = readFileSync(file, 'utf8');
const moddle = new BpmnModdle();
const { rootElement, warnings, elementsById } = await moddle.fromXML(xml);
const t1 = process.hrtime.bigint();
console.log(`bpmn-moddle ${(Number(t1 - t0) / 1e9).toFixed(3)} s  ` +
	`${Object.keys(elementsById).length} elements, ${warnings.length} warnings, root ${rootElement.$type}`);

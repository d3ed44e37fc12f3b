// lint.mjs - run bpmnlint's recommended rules (.bpmnlintrc) on BPMN files;
// fail on any error, print the warnings.
//
//   node lint.mjs FILE.bpmn...
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpmnModdle } from 'bpmn-moddle';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

const here = dirname(fileURLToPath(import.meta.url));
const config = JSON.parse(await readFile(join(here, '.bpmnlintrc'), 'utf8'));

let failed = false;
for (const path of process.argv.slice(2)) {
  const xml = await readFile(path, 'utf8');
  const { rootElement } = await new BpmnModdle().fromXML(xml);
  const linter = new Linter({ config, resolver: new NodeResolver({ require }) });
  const results = await linter.lint(rootElement);
  let errors = 0, warns = 0;
  for (const [rule, reports] of Object.entries(results)) {
    for (const r of reports) {
      const line = `${path}: ${r.category} ${rule}: ${r.id}: ${r.message}`;
      if (r.category === 'error') {
        errors++;
        console.error(line);
      } else {
        warns++;
        console.log(line);
      }
    }
  }
  console.log(`${path}: bpmnlint recommended: ${errors} errors, ${warns} warnings`);
  if (errors) failed = true;
}
process.exit(failed ? 1 : 0);

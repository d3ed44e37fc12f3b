// render.mjs - draw BPMN files with bpmn-js (the bpmn.io viewer) in headless
// Chromium, with every network request blocked, and check that every flow
// node and sequence flow of the file was drawn; save PNG screenshots (the
// whole diagram fitted, then the diagram at 100 % in tiles) for a person to
// look at.
//
//   node render.mjs OUTDIR FILE.bpmn...
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM), driven by
// playwright-core; the viewer comes from node_modules, loaded into the page
// as text, so nothing is fetched.
import { readFile, mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpmnModdle } from 'bpmn-moddle';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'node_modules', 'bpmn-js', 'dist');
const [outDir, ...files] = process.argv.slice(2);
if (!outDir || !files.length) {
  console.error('usage: node render.mjs OUTDIR FILE.bpmn...');
  process.exit(2);
}
await mkdir(outDir, { recursive: true });

const viewerJs = await readFile(join(dist, 'bpmn-viewer.production.min.js'), 'utf8');
const css = (await readFile(join(dist, 'assets', 'diagram-js.css'), 'utf8')) +
  (await readFile(join(dist, 'assets', 'bpmn-js.css'), 'utf8'));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

let failed = false;
const fail = (msg) => { console.error(msg); failed = true; };

try {
  for (const path of files) {
    const xml = await readFile(path, 'utf8');
    // What must be drawn: every flow node and sequence flow in the file.
    const { elementsById } = await new BpmnModdle().fromXML(xml);
    const nodes = [], flows = [];
    for (const [id, el] of Object.entries(elementsById)) {
      if (el.$instanceOf('bpmn:FlowNode')) nodes.push(id);
      else if (el.$type === 'bpmn:SequenceFlow') flows.push(id);
    }

    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const requests = [];
    await page.route('**/*', (route) => { requests.push(route.request().url()); route.abort(); });
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"><style>' + css +
      'html,body,#canvas{margin:0;width:100%;height:100%;background:#fff}</style></head>' +
      '<body><div id="canvas"></div></body></html>');
    await page.addScriptTag({ content: viewerJs });
    const res = await page.evaluate(async (text) => {
      /* global BpmnJS, document, window */
      const viewer = new BpmnJS({ container: '#canvas' });
      window.viewer = viewer;
      let warnings = [];
      try {
        ({ warnings } = await viewer.importXML(text));
      } catch (e) {
        return { error: e.message };
      }
      const shapes = [...document.querySelectorAll('.djs-shape[data-element-id]')]
        .map((e) => e.getAttribute('data-element-id'));
      const conns = [...document.querySelectorAll('.djs-connection[data-element-id]')]
        .map((e) => e.getAttribute('data-element-id'));
      const canvas = viewer.get('canvas');
      canvas.zoom('fit-viewport');
      const box = canvas.viewbox().inner;
      return { warnings: warnings.map((w) => w.message), shapes, conns, box };
    }, xml);
    if (res.error) {
      fail(`${path}: bpmn-js cannot import it: ${res.error}`);
      await page.close();
      continue;
    }
    for (const w of res.warnings) fail(`${path}: bpmn-js warning: ${w}`);
    for (const e of pageErrors) fail(`${path}: page error: ${e}`);
    const shapes = new Set(res.shapes), conns = new Set(res.conns);
    const missing = nodes.filter((id) => !shapes.has(id));
    const missingFlows = flows.filter((id) => !conns.has(id));
    if (missing.length) fail(`${path}: ${missing.length} flow nodes not drawn: ${missing.slice(0, 10).join(', ')}`);
    if (missingFlows.length) fail(`${path}: ${missingFlows.length} flows not drawn: ${missingFlows.slice(0, 10).join(', ')}`);
    const stem = basename(path).replace(/\.bpmn$/, '');
    const shots = [join(outDir, `${stem}-overview.png`)];
    await page.screenshot({ path: shots[0] });
    // At 100 %, in tiles of 2000 x 1200 across the diagram (at most 12).
    const { box } = res;
    const tw = 2000, th = Math.min(1800, Math.ceil(box.height + 40));
    await page.setViewportSize({ width: tw, height: th });
    const ntx = Math.ceil((box.width + 40) / tw), nty = Math.ceil((box.height + 40) / th);
    let k = 0;
    for (let ty = 0; ty < nty && k < 12; ty++) {
      for (let tx = 0; tx < ntx && k < 12; tx++, k++) {
        await page.evaluate(([x, y, w, h]) => {
          window.viewer.get('canvas').viewbox({ x, y, width: w, height: h });
        }, [box.x - 20 + tx * tw, box.y - 20 + ty * th, tw, th]);
        const shot = join(outDir, `${stem}-${String(k + 1).padStart(2, '0')}.png`);
        await page.screenshot({ path: shot });
        shots.push(shot);
      }
    }
    if (requests.length) console.log(`${path}: ${requests.length} network requests blocked (${requests[0]})`);
    console.log(`${path}: drawn ${nodes.length - missing.length}/${nodes.length} flow nodes, ` +
      `${flows.length - missingFlows.length}/${flows.length} flows, ` +
      `diagram ${Math.round(box.width)} x ${Math.round(box.height)}; screenshots: ${shots.join(' ')}`);
    await page.close();
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

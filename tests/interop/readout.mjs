// readout.mjs - open stepmap's HTML readout in headless Chromium with every
// network request blocked and check what a reader sees:
//   - every picture (figure.pic) is laid out at a readable size, and its
//     screenshot is not blank (enough pixels that are not white);
//   - the page asks for nothing but itself;
//   - every figure of `stepmap report --json` is in a table cell that says
//     it: data-value the same number as the JSON's, to the digit, and text
//     that shows it (counts exactly, shares in per cent to one decimal);
//   - printed to PDF it has pages.
//
//   node readout.mjs FILE.html REPORT.json OUTDIR
import { readFile, mkdir } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [html, reportPath, outDir] = process.argv.slice(2);
if (!html || !reportPath || !outDir) {
  console.error('usage: node readout.mjs FILE.html REPORT.json OUTDIR');
  process.exit(2);
}
await mkdir(outDir, { recursive: true });
const report = JSON.parse(await readFile(reportPath, 'utf8'));
let failed = false;
const fail = (msg) => { console.error(msg); failed = true; };

// The share of pixels in a PNG that are not (near) white: 8-bit RGB or RGBA,
// not interlaced, as Chromium writes screenshots.
function inkShare(png) {
  let pos = 8, w = 0, h = 0, type = 0;
  const idat = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos), kind = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') { w = data.readUInt32BE(0); h = data.readUInt32BE(4); type = data[9]; }
    if (kind === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const bpp = type === 6 ? 4 : 3, stride = w * bpp;
  const raw = inflateSync(Buffer.concat(idat));
  const cur = Buffer.alloc(stride), prev = Buffer.alloc(stride);
  let ink = 0;
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      let v = line[i];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      cur[i] = v & 255;
    }
    for (let x = 0; x < w; x++) if (cur[x * bpp] < 200 || cur[x * bpp + 1] < 200 || cur[x * bpp + 2] < 200) ink++;
    cur.copy(prev);
  }
  return { w, h, share: ink / (w * h) };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const url = pathToFileURL(resolve(html)).href;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests = [];
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // generous: a shared machine under load takes its time over 4 MB of SVG
  page.setDefaultTimeout(180000);
  await page.goto(url, { timeout: 180000 });
  for (const r of requests) fail(`the readout asked for ${r}`);
  for (const e of errors) fail(`page error: ${e}`);

  // the pictures
  const figs = await page.$$('figure.pic');
  if (figs.length < 6) fail(`${figs.length} pictures, expected 6`);
  let k = 0;
  for (const fig of figs) {
    const name = await fig.getAttribute('data-picture');
    const svg = await fig.$('svg');
    const box = svg ? await svg.boundingBox() : null;
    if (!box || box.width < 800 || box.height < 100) {
      fail(`${name}: drawn ${box ? `${Math.round(box.width)} x ${Math.round(box.height)}` : 'not at all'}`);
      continue;
    }
    // the top of the picture, as the reader sees it
    const shot = await page.screenshot({
      path: join(outDir, `readout-${String(++k).padStart(2, '0')}.png`),
      clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 900) },
      fullPage: true,
    });
    const { w, h, share } = inkShare(shot);
    console.log(`${name}: ${Math.round(box.width)} x ${Math.round(box.height)} CSS px; ` +
      `screenshot ${w} x ${h}, ${(share * 100).toFixed(1)} % inked`);
    if (share < 0.02) fail(`${name}: the screenshot is blank (${(share * 100).toFixed(2)} % inked)`);
  }

  // the figures, to the digit
  const cells = await page.$$eval('td[data-key]', (tds) => tds.map((td) => ({
    key: td.dataset.key, of: td.dataset.of, value: td.dataset.value, text: td.textContent })));
  const find = (key, of) => cells.find((c) => c.key === key && c.of === of);
  const keys = ['steps', 'handoffs', 'touchpoints', 'manual_steps', 'pain_points', 'lead_time_s',
    'work_time_s', 'wait_time_s', 'va_time_s', 'pce', 'rty', 'cost'];
  let checked = 0;
  const check = (obj, of) => {
    for (const key of keys) {
      const c = find(key, of), want = obj[key];
      if (!c) { fail(`${of || 'baseline'}: no cell for ${key}`); continue; }
      // the same double: JSON.parse of the report against the cell's text
      if (Number(c.value) !== want) fail(`${of || 'baseline'} ${key}: ${c.value} in the readout, ${want} in the report`);
      if (Number.isInteger(want) && key !== 'cost' && !key.endsWith('_s') && c.text !== String(want))
        fail(`${key}: shows '${c.text}', the report has ${want}`);
      if ((key === 'pce' || key === 'rty') && c.text !== `${(want * 100).toFixed(1)} %`)
        fail(`${key}: shows '${c.text}', the report has ${want}`);
      if (!c.text.trim()) fail(`${key}: shows nothing`);
      checked++;
    }
  };
  const p = report.processes[0];
  check(p, '');
  for (const s of p.scenarios) check(s, s.name);
  for (const m of p.measures) {
    const c = find('expected_s', m.name);
    if (!c || Number(c.value) !== m.expected_s) fail(`measure ${m.name}: ${c && c.value} against ${m.expected_s}`);
    else checked++;
    for (const s of p.scenarios) {
      const sm = s.measures.find((x) => x.name === m.name);
      const cs = find('expected_s', `${s.name}/${m.name}`);
      if (!cs || Number(cs.value) !== sm.expected_s) fail(`${s.name} ${m.name}: ${cs && cs.value} against ${sm.expected_s}`);
      else checked++;
    }
  }
  const text = await page.evaluate(() => document.body.innerText);
  for (const w of ['The worst hand-offs', 'The longest waits', 'The pain points', '95 % interval', 'cases'])
    if (!text.includes(w)) fail(`the readout does not say '${w}'`);

  const pdf = await page.pdf({ landscape: true, format: 'A4' });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  if (pages < 3) fail(`printed, the readout has ${pages} pages`);
  const top = inkShare(await page.screenshot({ path: join(outDir, 'readout-top.png') }));
  if (top.share < 0.02) fail('the top of the readout is blank');
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  console.log(`readout: ${checked} figures equal to the report's; ${figs.length} pictures; ` +
    `the page ${height} CSS px tall; printed on ${pages} A4 pages`);
  await page.close();
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

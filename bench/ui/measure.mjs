// The UI benchmark's browser half (bench/ui/run.sh): loads the DAG list of a running
// scheduler in Debian's Chromium and reports, per load, when the response of /api/v1/dags
// ended, when its first rows were on screen and when every row was in the page — all in ms
// from the start of navigation (performance.now() in the page). The first load has an empty
// cache; the next ones are reloads, scripts cached (their names carry hashes).
//
//   node bench/ui/measure.mjs URL EXPECTED_ROWS [LOADS] [--identity]
//
// --identity sends `Accept-Encoding: identity` instead of Chromium's own (gzip, deflate, br,
// zstd), so the server sends the API's answers uncompressed.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(new URL('../../tests/npm/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const identity = process.argv.includes('--identity');
const [url, expectedArg, loadsArg] = process.argv.slice(2).filter((a) => a !== '--identity');
const expected = Number(expectedArg);
const loads = Number(loadsArg || 6);

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-ui-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 900 },
});
const page = context.pages()[0] || (await context.newPage());
if (identity) await context.setExtraHTTPHeaders({ 'Accept-Encoding': 'identity' });

// Marks the first frame with a row on screen, and the moment all EXPECTED rows exist.
await page.addInitScript((n) => {
  const rows = () => document.querySelectorAll('[data-testid^="dag-row-"]').length;
  const watch = () => {
    const k = rows();
    if (k > 0 && window.__firstRows === undefined) window.__firstRows = performance.now();
    if (k >= n) window.__allRows = performance.now();
    else requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
}, expected);

const results = [];
try {
  for (let i = 0; i < loads; i++) {
    if (i === 0) await page.goto(url);
    else await page.reload();
    await page.waitForFunction(() => window.__allRows !== undefined, null, { timeout: 60000 });
    const r = await page.evaluate(() => {
      const api = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/v1/dags'));
      return {
        api: api ? api.responseEnd : NaN,
        apiBytes: api ? api.encodedBodySize : NaN,
        first: window.__firstRows,
        all: window.__allRows,
      };
    });
    results.push(r);
    console.log(`load ${i + 1}${i === 0 ? ' (cold cache)' : ''}: /api/v1/dags done at ${r.api.toFixed(0)} ms ` +
      `(${(r.apiBytes / 1e6).toFixed(2)} MB on the wire), first rows ${r.first.toFixed(0)} ms, ` +
      `all ${expected} rows ${r.all.toFixed(0)} ms`);
  }
  const warm = results.slice(1).map((r) => r.all).sort((a, b) => a - b);
  const median = warm.length ? warm[Math.floor(warm.length / 2)] : NaN;
  console.log(`median of the reloads: all rows at ${median.toFixed(0)} ms`);

  // The filter box over the 1,000 rows: from the keystroke to one row left.
  const filter = page.getByTestId('dag-filter');
  const t = await page.evaluate(async () => {
    const input = document.querySelector('[data-testid="dag-filter"]');
    const t0 = performance.now();
    input.value = 'dag_0500';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => {
      const check = () => (document.querySelectorAll('[data-testid^="dag-row-"]').length === 1 ? resolve() : requestAnimationFrame(check));
      check();
    });
    return performance.now() - t0;
  });
  await filter.fill('');
  console.log(`filter "dag_0500": one row left after ${t.toFixed(0)} ms`);
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

// The web UI end to end, in Debian's Chromium driven by Playwright: what a user does on a
// morning when a job failed. tests/ui_e2e_test.cc starts the real `sluice scheduler` and runs
// this script; it exits 0 when every step passed, 1 (and saves failure.png) otherwise.
//
//   node tests/ui/e2e.mjs --url http://127.0.0.1:PORT --token TOKEN --out DIR --marker FILE
//       [--good sicooperative --good-file PATH --params-output DIR]
//       [--backfill-from YYYY-MM-DD --backfill-to YYYY-MM-DD]
//       [--broken broken --broken-line 3]
//       [--flaky flaky --flaky-task middle --flaky-after last]
//
// The steps, each followed by a screenshot DIR/NN-name.png:
//   1. the DAG list shows both DAGs;
//   2. Trigger the good DAG: the server refuses the missing token, the token dialog asks for
//      it, and the call is retried with it;
//   3. the good run turns success in the list, with no reload (live updates);
//   4. its graph, every task success; its source, line for line the file on disk; a task's
//      output with as many rows as its attempt wrote; Trigger with params, output_dir changed,
//      and that run succeeds; Backfill two days; a broken DAG's source opens by itself with
//      the line of its error marked;
//   5. Trigger the flaky DAG; in its grid the flaky task fails and the next is upstream failed;
//   6. the failed attempt's log shows the task's error output;
//   7. create the marker file, Clear with downstream;
//   8. the same run re-runs to success, with a second attempt of the flaky task;
//   9. in a second tab whose event stream fails, the page polls: another run of the good DAG
//      is seen to succeed.
// The page is never reloaded: a value set on `window` at the start must still be there.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(new URL('../npm/package.json', import.meta.url));
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch {
  console.error('e2e: playwright-core is not installed; run: npm ci --prefix tests/npm');
  process.exit(2);
}

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    out: { type: 'string' },
    marker: { type: 'string' },
    good: { type: 'string', default: 'sicooperative' },
    'good-file': { type: 'string' },  // the good DAG's file, to compare its source view with
    'output-task': { type: 'string', default: 'aggregate_month' },  // a task writing a dataset
    'params-output': { type: 'string' },  // output_dir for a run triggered with params
    'backfill-from': { type: 'string' },  // YYYY-MM-DD: backfill the good DAG over these days
    'backfill-to': { type: 'string' },
    broken: { type: 'string', default: 'broken' },
    'broken-line': { type: 'string', default: '3' },
    flaky: { type: 'string', default: 'flaky' },
    'flaky-task': { type: 'string', default: 'middle' },
    'flaky-after': { type: 'string', default: 'last' },
    'error-text': { type: 'string', default: 'marker is missing' },
    timeout: { type: 'string', default: '120' },  // seconds for each run to end
  },
});
for (const k of ['url', 'token', 'out', 'marker']) {
  if (!opt[k]) {
    console.error(`e2e: --${k} is required`);
    process.exit(2);
  }
}
const runTimeout = Number(opt.timeout) * 1000;
const started = Date.now();
let shot = 0;

function log(message) {
  console.log(`e2e [${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);
}

async function screenshot(page, name) {
  const file = path.join(opt.out, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  log(`screenshot ${file}`);
}

/// The run id in the notice "Triggered DAG: run RUN is queued."
async function triggeredRunId(page, dagId) {
  const notice = page.getByTestId('notice-ok').filter({ hasText: `Triggered ${dagId}` }).last();
  await notice.waitFor({ timeout: 10000 });
  const text = await notice.locator('span').first().textContent();
  const m = /run (\S+) is/.exec(text);
  if (!m) throw new Error(`no run id in the notice "${text}"`);
  return m[1];
}

async function expectNotReloaded(page) {
  if ((await page.evaluate(() => window.__sluiceE2eMark)) !== 'set before the first step') {
    throw new Error('the page was reloaded: the UI must update itself');
  }
}

async function waitForState(locator, state, what, timeout = runTimeout) {
  try {
    await locator.and(locator.page().locator(`[data-state="${state}"]`)).waitFor({ timeout });
  } catch (e) {
    const now = await locator.getAttribute('data-state').catch(() => 'absent');
    throw new Error(`${what} did not become ${state} (it is ${now}): ${e.message.split('\n')[0]}`);
  }
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  // The machine has no network and no GPU; without these Chromium stalls or crashes.
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
  viewport: { width: 1400, height: 900 },
});
const page = context.pages()[0] || (await context.newPage());
page.setDefaultTimeout(15000);
const consoleErrors = [];
page.on('console', (m) => {
  if (m.type() === 'error') consoleErrors.push(m.text());
});
page.on('pageerror', (e) => consoleErrors.push(String(e)));

let ok = false;
try {
  // 1. The DAG list.
  await page.goto(opt.url + '/');
  const goodRow = page.getByTestId(`dag-row-${opt.good}`);
  const flakyRow = page.getByTestId(`dag-row-${opt.flaky}`);
  await goodRow.waitFor();
  await flakyRow.waitFor();
  // The broken file's row says what is wrong, with file and line.
  await page.getByTestId(`dag-errors-${opt.broken}`).filter({ hasText: `:${opt['broken-line']}:` }).waitFor();
  await page.evaluate(() => (window.__sluiceE2eMark = 'set before the first step'));
  await page.getByTestId('connection').and(page.locator('[data-connection="live"]')).waitFor();
  log('the DAG list shows both DAGs; the event stream is live');
  await screenshot(page, 'dag-list');

  // 2. Trigger: no token yet, so the server says 401 and the dialog asks for it.
  await page.getByTestId(`trigger-${opt.good}`).click();
  const dialog = page.getByRole('dialog', { name: 'API token needed' });
  await dialog.waitFor();
  await dialog.getByText('SLUICE_API_TOKEN').waitFor();
  await screenshot(page, 'token-dialog');
  await dialog.getByLabel('API token').fill(opt.token);
  await dialog.getByRole('button', { name: 'Save and retry' }).click();
  const goodRun = await triggeredRunId(page, opt.good);
  log(`triggered ${opt.good}: run ${goodRun}`);
  await screenshot(page, 'good-triggered');

  // 3. The run ends success in the list, the page updating itself.
  const goodSquare = page.getByTestId(`last-run-${goodRun}`);
  await goodSquare.waitFor();
  await waitForState(goodSquare, 'success', `run ${goodRun} of ${opt.good}`);
  await expectNotReloaded(page);
  log(`run ${goodRun} succeeded, seen without reloading`);
  await screenshot(page, 'good-success');

  // 4. Its graph, every task green.
  await page.getByTestId(`dag-link-${opt.good}`).click();
  await page.getByTestId('dag-graph').waitFor();
  const nodes = page.locator('[data-testid^="graph-node-"]');
  await page.locator('[data-testid^="graph-node-"][data-state="success"]').first().waitFor();
  const states = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
  if (states.length < 2 || states.some((s) => s !== 'success')) {
    throw new Error(`the graph of run ${goodRun} shows states ${states.join(', ')}`);
  }
  log(`the graph shows ${states.length} tasks, all success`);
  await screenshot(page, 'good-graph');
  if (opt['good-file']) {
    await page.getByTestId('dag-source-toggle').click();
    await page.getByTestId('dag-source').waitFor();
    // Each line's text without its number, against the file read here.
    const shown = await page.locator('[data-testid="dag-source"] .source-line').evaluateAll((els) =>
      els.map((e) =>
        [...e.childNodes]
          .filter((n) => !n.classList?.contains('line-number'))
          .map((n) => n.textContent)
          .join('')
          .replace(/\n$/, '')));
    const expected = fs.readFileSync(opt['good-file'], 'utf8').replace(/\n$/, '').split('\n');
    if (JSON.stringify(shown) !== JSON.stringify(expected)) {
      throw new Error(`the source view shows ${shown.length} lines that differ from the ` +
        `${expected.length} of ${opt['good-file']}`);
    }
    log(`the source view shows the ${expected.length} lines of the file`);
  }
  // A task's output: its row count as the attempt counted it, and its first rows.
  await page.getByTestId(`graph-node-${opt['output-task']}`).click();
  const output = page.getByTestId('task-output');
  await output.waitFor();
  const rowsOut = (await page.getByTestId('attempt-1').locator('td').nth(5).innerText()).split('/')[1].trim();
  const heading = await output.locator('h3').innerText();
  if (!heading.includes(`${rowsOut} rows`)) {
    throw new Error(`the output says "${heading}", the attempt wrote ${rowsOut} rows`);
  }
  if ((await output.locator('[data-testid^="output-row-"]').count()) < 1) {
    throw new Error('the output shows no row');
  }
  log(`the output of ${opt['output-task']}: ${heading}`);
  await screenshot(page, 'good-output');

  // Trigger with a param changed: the dialog is filled with the defaults.
  if (opt['params-output']) {
    await page.getByTestId('trigger-with-params').click();
    const params = page.getByTestId('trigger-with-params-dialog');
    await params.waitFor();
    const field = params.getByTestId('param-output_dir');
    if (!(await field.inputValue())) throw new Error('the output_dir field is not filled with its default');
    await field.fill(opt['params-output']);
    await screenshot(page, 'params-dialog');
    await params.getByTestId('trigger-with-params-submit').click();
    const paramsRun = await triggeredRunId(page, `${opt.good} with output_dir set`);
    await waitForState(page.getByTestId(`grid-run-${paramsRun}`), 'success', `run ${paramsRun} with params`);
    log(`triggered ${opt.good} with output_dir=${opt['params-output']}: run ${paramsRun} succeeded`);
  }

  // Backfill two days: two runs queued (the test checks their logical dates).
  if (opt['backfill-from']) {
    await page.getByTestId('backfill').click();
    const backfill = page.getByTestId('backfill-dialog');
    await backfill.waitFor();
    await backfill.getByTestId('backfill-from').fill(opt['backfill-from']);
    await backfill.getByTestId('backfill-to').fill(opt['backfill-to']);
    await backfill.getByTestId('backfill-submit').click();
    const queued = page.getByTestId('notice-ok').filter({ hasText: `of ${opt.good} from ${opt['backfill-from']}` }).last();
    await queued.waitFor({ timeout: 10000 });
    log(`backfill: ${await queued.locator('span').first().textContent()}`);
    await screenshot(page, 'backfill-queued');
  }

  // The broken DAG: its source is open at once, the line of its error marked.
  await page.getByRole('link', { name: 'DAGs' }).first().click();
  await page.getByTestId(`dag-link-${opt.broken}`).click();
  await page.getByTestId('dag-errors').filter({ hasText: 'error:' }).waitFor();
  const errorLine = page.getByTestId(`source-error-line-${opt['broken-line']}`);
  await errorLine.waitFor();
  const title = await errorLine.getAttribute('title');
  if (!title || !title.includes('error:')) throw new Error(`the marked line says "${title}"`);
  log(`the broken DAG's source marks line ${opt['broken-line']}: ${title}`);
  await screenshot(page, 'broken-source');

  // 5. Trigger the flaky DAG from the list (the token is kept now: no dialog).
  await page.getByRole('link', { name: 'DAGs' }).first().click();
  await page.getByTestId(`trigger-${opt.flaky}`).click();
  const flakyRun = await triggeredRunId(page, opt.flaky);
  if (await dialog.isVisible()) throw new Error('the token dialog asked again for a kept token');
  log(`triggered ${opt.flaky}: run ${flakyRun}`);
  await page.getByTestId(`dag-link-${opt.flaky}`).click();
  const failedCell = page.getByTestId(`cell-${flakyRun}-${opt['flaky-task']}`);
  await waitForState(failedCell, 'failed', `task ${opt['flaky-task']} of run ${flakyRun}`);
  await waitForState(page.getByTestId(`cell-${flakyRun}-${opt['flaky-after']}`), 'upstream_failed',
    `task ${opt['flaky-after']}`);
  await waitForState(page.getByTestId(`grid-run-${flakyRun}`), 'failed', `run ${flakyRun}`);
  await expectNotReloaded(page);
  log(`run ${flakyRun}: ${opt['flaky-task']} failed, ${opt['flaky-after']} upstream failed`);
  await screenshot(page, 'flaky-failed');

  // 6. The failed attempt's log shows what the task printed.
  await failedCell.click();
  const panel = page.getByTestId('task-instance');
  await waitForState(panel.getByTestId('attempt-state-1'), 'failed', 'attempt 1');
  await panel.getByTestId('log-link-1').click();
  await page.waitForURL(`**/runs/${flakyRun}/tasks/${opt['flaky-task']}/attempts/1/log`);
  const logText = page.getByTestId('log-text');
  await logText.filter({ hasText: opt['error-text'] }).waitFor();
  await page.getByTestId('log-status').filter({ hasText: 'complete' }).waitFor();
  log(`the log of attempt 1 shows "${opt['error-text']}"`);
  await screenshot(page, 'flaky-log');

  // 7. Fix the cause, then Clear with downstream from the grid.
  fs.writeFileSync(opt.marker, 'fixed by the e2e test\n');
  await page.goBack();
  await page.getByTestId(`cell-${flakyRun}-${opt['flaky-task']}`).click();
  await panel.getByTestId('clear-downstream').click();
  const cleared = page.getByTestId('notice-ok').filter({ hasText: 'Cleared' }).last();
  await cleared.waitFor();
  const clearedText = await cleared.locator('span').first().textContent();
  if (!clearedText.includes(opt['flaky-task']) || !clearedText.includes(opt['flaky-after'])) {
    throw new Error(`the clear notice names other tasks: "${clearedText}"`);
  }
  log(`cleared: ${clearedText}`);
  await screenshot(page, 'flaky-cleared');

  // 8. The same run re-runs to success; the open panel shows the second attempt.
  await waitForState(page.getByTestId(`grid-run-${flakyRun}`), 'success', `run ${flakyRun} after the clear`);
  await waitForState(failedCell, 'success', `task ${opt['flaky-task']} after the clear`);
  await waitForState(page.getByTestId(`cell-${flakyRun}-${opt['flaky-after']}`), 'success', `task ${opt['flaky-after']}`);
  await waitForState(panel.getByTestId('attempt-state-2'), 'success', 'attempt 2');
  await expectNotReloaded(page);
  log(`run ${flakyRun} re-ran to success`);
  await screenshot(page, 'flaky-rerun-success');

  // 9. Without the event stream (a proxy that drops it), a page polls every 5 s: a second
  //    tab whose /api/v1/events fails still sees a new run of the good DAG end.
  const polling = await context.newPage();
  await polling.route('**/api/v1/events', (route) => route.abort());
  await polling.goto(opt.url + '/');
  await polling.getByTestId('connection').and(polling.locator('[data-connection="polling"]')).waitFor();
  await polling.getByTestId(`trigger-${opt.good}`).click();
  const pollRun = await triggeredRunId(polling, opt.good);
  await waitForState(polling.getByTestId(`last-run-${pollRun}`), 'success', `run ${pollRun} (polling)`);
  log(`without the event stream, run ${pollRun} was seen to succeed by polling`);
  await screenshot(polling, 'polling-fallback');
  await polling.close();

  if (consoleErrors.length) log(`console errors (not fatal): ${consoleErrors.join(' | ')}`);
  ok = true;
} catch (e) {
  console.error(`e2e: FAILED: ${e.stack || e}`);
  if (consoleErrors.length) console.error(`e2e: console errors: ${consoleErrors.join(' | ')}`);
  await page.screenshot({ path: path.join(opt.out, 'failure.png'), fullPage: true }).catch(() => {});
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
log(ok ? 'all steps passed' : 'failed');
process.exit(ok ? 0 : 1);

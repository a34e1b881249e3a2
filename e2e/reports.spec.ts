import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { requireShared, shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const EVIL = '<img src=x onerror=alert(1)>';

interface ReportJson {
  title: string;
  metrics: { overall: Record<string, number | null>; perSequence: { name: string; values: Record<string, number | null> }[] };
}

const mmtrack = (args: string[]): string => execFileSync(join(repoRoot, 'bin/mmtrack'), args, { cwd: repoRoot, encoding: 'utf8' });

/** `mmtrack report` on an eval JSON: the report JSON's path and the link fragment the CLI printed. */
function cliReport(dir: string, name: string, metricsPath: string): { path: string; fragment: string | null } {
  const path = join(dir, `${name}.json`);
  const out = JSON.parse(mmtrack(['report', '--eval', metricsPath, '--title', name, '--out', join(dir, `${name}.html`), '--json', path, '--link'])) as { fragment: string | null };
  return { path, fragment: out.fragment };
}

let dir: string;
let metricsPath: string;
let sot: { path: string; fragment: string | null };

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mmtrack-e2e-reports-'));
  const results = join(dir, 'results');
  mkdirSync(results);
  copyFileSync(requireShared(shared('sot/street-car/result.txt')), join(results, 'street-car.txt'));
  metricsPath = join(dir, 'metrics.json');
  writeFileSync(metricsPath, mmtrack(['eval', 'sot', '--gt', shared('sot'), '--results', results]));
  sot = cliReport(dir, 'sot-report', metricsPath);
});

const readReport = (path: string): ReportJson => JSON.parse(readFileSync(path, 'utf8')) as ReportJson;

/** The report column shows exactly the values of the report JSON, overall and per sequence. */
async function expectSameNumbers(view: Locator, report: ReportJson): Promise<void> {
  const overall = Object.entries(report.metrics.overall);
  expect(overall.length).toBeGreaterThan(0);
  const overallCells = view.locator('table[data-section=overall] td.metric');
  await expect(overallCells).toHaveCount(overall.length);
  for (const [name, value] of overall) await expect(view.locator(`table[data-section=overall] td[data-metric="${name}"]`)).toHaveAttribute('data-value', String(value));
  const rows = view.locator('table[data-section=per-sequence] tbody tr');
  await expect(rows).toHaveCount(report.metrics.perSequence.length);
  for (const [i, seq] of report.metrics.perSequence.entries()) {
    const row = rows.nth(i);
    await expect(row.locator('td.name')).toHaveText(seq.name);
    for (const [name, value] of Object.entries(seq.values)) await expect(row.locator(`td[data-metric="${name}"]`)).toHaveAttribute('data-value', String(value));
  }
}

async function openReports(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('view-reports').click();
}

test('a CLI report imported by file input shows its numbers; its link opens the same numbers in a fresh page', async ({ page, context }) => {
  const report = readReport(sot.path);
  // The SOT eval of the shared sequence: OPE percentages, as sot/expected.json (checked against MMTracking there).
  expect(report.metrics.overall.success).toBeCloseTo(76.0635, 3);
  await openReports(page);
  await page.getByTestId('report-input').setInputFiles(sot.path);
  const view = page.getByTestId('report-view');
  await expect(view.getByTestId('report-title')).toHaveText('sot-report');
  await expectSameNumbers(view, report);
  await expect(view.locator('td[data-metric=success]').first()).toHaveText('76.0635');

  await page.getByTestId('report-link').click();
  const url = await page.getByTestId('report-link-url').inputValue();
  expect(sot.fragment).not.toBeNull();
  expect(url).toMatch(/#report=v1\.[A-Za-z0-9_-]+$/);

  // The app's link and the CLI's --link fragment (deflate output may differ byte-wise) open the same report.
  for (const link of [url, `/${sot.fragment!}`]) {
    const fresh = await context.newPage();
    await fresh.goto(link);
    await expect(fresh.getByTestId('view-reports')).toHaveAttribute('aria-pressed', 'true');
    await expect(fresh.getByTestId('report-title')).toHaveText('sot-report');
    await expectSameNumbers(fresh.getByTestId('report-view'), report);
    await expect(fresh.getByTestId('report-error')).toHaveCount(0);
    await fresh.close();
  }
});

test('a hostile sequence name is shown literally, from a file and from a link, and creates no element', async ({ page, context }) => {
  const evilMetrics = join(dir, 'evil-metrics.json');
  const values = { norm_precision: 87.3, precision: 78, success: 76.1 };
  writeFileSync(evilMetrics, JSON.stringify({ OVERALL: values, [EVIL]: values }));
  const evil = cliReport(dir, EVIL.replace(/[^a-z]/g, ''), evilMetrics);
  const dialogs: string[] = [];
  const watch = (p: Page) =>
    p.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  watch(page);
  await openReports(page);
  await page.getByTestId('report-input').setInputFiles(evil.path);
  const view = page.getByTestId('report-view');
  await expect(view.locator('td.name')).toHaveText([EVIL]);
  await expect(page.getByTestId('reports-view').locator('img')).toHaveCount(0);

  expect(evil.fragment).not.toBeNull();
  const fresh = await context.newPage();
  watch(fresh);
  await fresh.goto(`/${evil.fragment!}`);
  await expect(fresh.getByTestId('report-view').locator('td.name')).toHaveText([EVIL]);
  await expect(fresh.getByTestId('reports-view').locator('img')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test('a tampered report file and a damaged link are refused with the reason', async ({ page }) => {
  const tampered = readReport(sot.path) as ReportJson & Record<string, unknown>;
  (tampered.metrics.overall as Record<string, unknown>).success = 'high';
  tampered.script = '<script>alert(1)</script>';
  await openReports(page);
  await page.getByTestId('report-input').setInputFiles({ name: 'tampered.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tampered)) });
  const error = page.getByTestId('report-error');
  await expect(error).toContainText('tampered.json');
  await expect(error).toContainText('metrics.overall.success: expected a finite number, got "high"');
  await expect(error).toContainText('report.script: unknown field');
  await expect(page.getByTestId('report-view')).toHaveCount(0);

  await page.getByTestId('report-input').setInputFiles({ name: 'notjson.json', mimeType: 'application/json', buffer: Buffer.from('{"schema":') });
  await expect(error).toContainText('notjson.json: not JSON');

  await page.goto('/#report=v1.AAAA');
  await expect(page.getByTestId('report-error')).toContainText('link:');
  await expect(page.getByTestId('report-view')).toHaveCount(0);
});

test('two reports side by side: exactly the changed metric is highlighted; the second can be dropped on the view', async ({ page }) => {
  const second = readReport(sot.path);
  second.title = 'changed';
  second.metrics.overall.precision = 80.5;
  const text = JSON.stringify(second);
  await openReports(page);
  await page.getByTestId('report-input').setInputFiles(sot.path);
  await expect(page.getByTestId('report-view')).toHaveCount(1);
  await expect(page.locator('.diff')).toHaveCount(0);

  // Drag-and-drop of the second file onto the view (a real DataTransfer carrying a File).
  const dataTransfer = await page.evaluateHandle((json) => {
    const dt = new DataTransfer();
    dt.items.add(new File([json], 'changed.json', { type: 'application/json' }));
    return dt;
  }, text);
  await page.getByTestId('reports-view').dispatchEvent('drop', { dataTransfer });

  const compare = page.getByTestId('report-compare');
  const columns = compare.getByTestId('report-view');
  await expect(columns).toHaveCount(2);
  await expect(columns.nth(1).getByTestId('report-title')).toHaveText('changed');
  await expectSameNumbers(columns.nth(0), readReport(sot.path));
  await expectSameNumbers(columns.nth(1), second);
  const diffs = compare.locator('td.diff');
  await expect(diffs).toHaveCount(2);
  for (const i of [0, 1]) {
    await expect(columns.nth(i).locator('table[data-section=overall] td[data-metric=precision]')).toHaveClass(/\bdiff\b/);
    await expect(columns.nth(i).locator('table[data-section=overall] td[data-metric=success]')).not.toHaveClass(/\bdiff\b/);
  }
  await expect(page.getByTestId('view-reports')).toHaveAttribute('aria-pressed', 'true');
});

test('a report too big for a link says so, with its size, instead of making a link', async ({ page }) => {
  const big = readReport(sot.path) as ReportJson & { frames: unknown[] };
  // Incompressible frame data (a seeded xorshift, base64): well over the 32 KiB fragment limit once deflated.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let x = 2463534242;
  let data = '';
  for (let i = 0; i < 60_000; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data += alphabet[(x >>> 0) % 64];
  }
  big.frames = [{ sequence: 'street-car', frame: 0, image: `data:image/png;base64,${data}`, caption: 'noise' }];
  await openReports(page);
  await page.getByTestId('report-input').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(big)) });
  await expect(page.getByTestId('report-view')).toHaveCount(1);
  await page.getByTestId('report-link').click();
  await expect(page.getByTestId('report-link-error')).toContainText(/too large for a link: \d+ KiB compressed, the limit is 32 KiB/);
  await expect(page.getByTestId('report-link-url')).toHaveCount(0);
});

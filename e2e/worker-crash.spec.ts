// A worker that dies in the middle of a job (killed, out of memory, crashed) must not leave the UI waiting: the panel
// shows an error within a second and the next job starts a new worker and works.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { expectVideoShown, openFile, shared, trackStreetWith } from './helpers.ts';

/** Ends the page's worker whose script is `<name>.worker-*.js` from inside, as a crash would: no message to the page. */
async function killWorker(page: Page, name: string): Promise<void> {
  await expect.poll(() => page.workers().some((w) => w.url().includes(`/${name}.worker`)), { timeout: 30_000 }).toBe(true);
  const worker = page.workers().find((w) => w.url().includes(`/${name}.worker`))!;
  // close() ends the worker's event loop at once; the evaluate itself never returns.
  await worker.evaluate(() => (self as unknown as { close(): void }).close()).catch(() => undefined);
}

/** MOTChallenge ground truth and results of 60 sequences: evaluating them takes seconds, sequence by sequence. */
function bigMotFolders(dir: string): { gt: string; results: string } {
  const gt = join(dir, 'gt');
  const results = join(dir, 'results');
  mkdirSync(results, { recursive: true });
  for (let s = 0; s < 60; s++) {
    const name = `SEQ-${String(s).padStart(2, '0')}`;
    mkdirSync(join(gt, name, 'gt'), { recursive: true });
    const gtRows: string[] = [];
    const resRows: string[] = [];
    for (let f = 1; f <= 300; f++) {
      for (let k = 0; k < 20; k++) {
        const [x, y] = [(k * 90 + f * 2 + s) % 1800, (k * 47) % 900];
        gtRows.push(`${f},${k + 1},${x},${y},60,120,1,1,1`);
        // Identities swap now and then, boxes drift: the metrics have work to do.
        resRows.push(`${f},${((k + Math.floor(f / 50)) % 20) + 1},${x + (k % 5)},${y + 2},58,118,0.9,-1,-1,-1`);
      }
    }
    writeFileSync(join(gt, name, 'gt', 'gt.txt'), `${gtRows.join('\n')}\n`);
    writeFileSync(join(gt, name, 'seqinfo.ini'), `[Sequence]\nname=${name}\nseqLength=300\n`);
    writeFileSync(join(results, `${name}.txt`), `${resRows.join('\n')}\n`);
  }
  return { gt, results };
}

test('the eval worker killed during an evaluation: an error in the panel within a second, the next evaluation works', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const big = bigMotFolders(testInfo.outputPath('big-mot'));
  await page.goto('/');
  await page.getByTestId('view-eval').click();
  await page.getByTestId('eval-drop-ground-truth').locator('input[type=file]').nth(1).setInputFiles(big.gt);
  await page.getByTestId('eval-drop-results').locator('input[type=file]').nth(1).setInputFiles(big.results);
  await page.getByRole('button', { name: 'Evaluate' }).click();
  // In the middle of the job: the worker has reported its first sequence.
  await expect(page.getByTestId('eval-progress')).toContainText('sequence SEQ-');
  await killWorker(page, 'eval');
  await expect(page.locator('.eval-error')).toContainText('eval worker stopped', { timeout: 1000 });
  await expect(page.getByTestId('eval-progress')).toHaveCount(0);

  await page.getByTestId('eval-drop-ground-truth').locator('input[type=file]').first().setInputFiles(shared('sot/street-car/groundtruth.txt'));
  await page.getByTestId('eval-drop-results').locator('input[type=file]').first().setInputFiles(shared('sot/street-car/result.txt'));
  await page.getByRole('button', { name: 'Evaluate' }).click();
  await expect(page.getByTestId('eval-table')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.eval-error')).toHaveCount(0);
});

test('the export worker killed during an export: an error within a second, the next export works', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await openFile(page, shared('sot/street-car/video.mp4'));
  await expectVideoShown(page, 150);
  await page.getByTestId('export-video').click();
  // In the middle of the job: the worker has encoded some frames.
  await expect.poll(async () => Number(await page.getByTestId('export-progress').getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0);
  await killWorker(page, 'export');
  await expect(page.getByTestId('error')).toContainText('export worker stopped', { timeout: 1000 });
  await expect(page.getByTestId('export-progress')).toHaveCount(0);

  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  const download = page.waitForEvent('download', { timeout: 240_000 });
  await page.getByTestId('export-video').click();
  await (await download).saveAs(testInfo.outputPath('after-crash.mp4'));
  await expect(page.getByTestId('export-done')).toContainText('8 frames');
});

test('the search worker killed during a parameter search: an error within a second, the next search works', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await trackStreetWith(page);
  await expect(page.getByTestId('track-status')).toContainText('tracks', { timeout: 240_000 });
  // Ground truth: the run's own boxes (what it is scored against does not matter here).
  const seq = testInfo.outputPath('gt');
  mkdirSync(seq, { recursive: true });
  writeFileSync(join(seq, 'gt.txt'), '1,1,100,100,50,120,1,1,1\n2,1,102,100,50,120,1,1,1\n');
  writeFileSync(join(seq, 'seqinfo.ini'), '[Sequence]\nname=street-540p-h264\nseqLength=8\n');
  await page.getByTestId('mot-gt-input').setInputFiles([join(seq, 'gt.txt'), join(seq, 'seqinfo.ini')]);
  await expect(page.getByTestId('mot-eval-MOTA')).toBeVisible({ timeout: 30_000 });
  // A grid of 3000 combinations: long enough to be killed in the middle.
  const values = (n: number, from: number, step: number) => Array.from({ length: n }, (_, i) => +(from + i * step).toFixed(3)).join(',');
  await page.getByTestId('cfg-options-input').fill(`model.tracker.init_track_thr=[${values(100, 0.2, 0.005)}] model.tracker.num_frames_retain=[${values(30, 1, 1)}]`);
  await page.getByTestId('cfg-options-input').press('Enter');
  await expect(page.getByTestId('mot-search-run')).toHaveText('Search 3000 combinations');
  await page.getByTestId('mot-search-run').click();
  await expect.poll(async () => Number(await page.getByTestId('mot-search-progress').getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0);
  await killWorker(page, 'mot-search');
  await expect(page.getByTestId('mot-search-error')).toContainText('mot-search worker stopped', { timeout: 1000 });
  await expect(page.getByTestId('mot-search-progress')).toHaveCount(0);

  await page.getByTestId('cfg-options-input').fill('model.tracker.init_track_thr=[1.01,0.25]');
  await page.getByTestId('cfg-options-input').press('Enter');
  await page.getByTestId('mot-search-run').click();
  await expect(page.getByTestId('mot-search-table').locator('tbody tr')).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByTestId('mot-search-error')).toHaveCount(0);
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectVideoShown, openFile, shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

test('ByteTrack on the default detector: tracks on every frame, a track list, and a MOTChallenge txt that eval mot reads back', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  await page.getByTestId('track-run').click();
  await expect(page.getByTestId('track-progress')).toBeVisible();
  await expect(page.getByTestId('track-status')).toContainText('tracks', { timeout: 240_000 });
  await expect(page.getByTestId('track-progress')).toHaveAttribute('value', '8');

  const perFrame = await page.evaluate(() => {
    type Overlay = { getState(): { scenes: Map<number, { boxes?: Array<{ trackId?: number }> }> } };
    const o = (window as unknown as { mmtrack: { overlay: Overlay } }).mmtrack.overlay.getState();
    return Array.from({ length: 8 }, (_, i) => o.scenes.get(i)?.boxes?.filter((b) => b.trackId !== undefined).length ?? 0);
  });
  expect(perFrame[0]).toBeGreaterThanOrEqual(15);
  expect(perFrame.every((n) => n >= 10)).toBe(true);
  const count = Number(await page.getByTestId('track-count').textContent());
  expect(count).toBeGreaterThanOrEqual(15);

  // Clicking a track highlights it and seeks to its first frame.
  await page.keyboard.press('End');
  const firstRow = page.locator('[data-testid^="track-row-"]').first();
  await firstRow.click();
  await expect(firstRow).toHaveClass(/selected/);
  await expect(page.getByTestId('current-frame')).toHaveText('1');

  const download = page.waitForEvent('download');
  await page.getByTestId('export-mot').click();
  const d = await download;
  expect(d.suggestedFilename()).toBe('street-540p-h264.txt');
  const txt = testInfo.outputPath('results/street-540p-h264.txt');
  await d.saveAs(txt);
  const rows = readFileSync(txt, 'utf8').trim().split('\n');
  expect(rows.length).toBeGreaterThanOrEqual(8 * 10);
  expect(rows[0]).toMatch(/^1,\d+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,-1,-1,-1$/);

  // The same run as CocoVID JSON: one image per frame, one annotation (with the track id) per MOT row.
  const cocoDownload = page.waitForEvent('download');
  await page.getByTestId('export-cocovid').click();
  const cocoFile = testInfo.outputPath('street-540p-h264-cocovid.json');
  await (await cocoDownload).saveAs(cocoFile);
  const coco = JSON.parse(readFileSync(cocoFile, 'utf8')) as { images: unknown[]; annotations: Array<{ instance_id: number }> };
  expect(coco.images).toHaveLength(8);
  expect(coco.annotations).toHaveLength(rows.length);
  expect(new Set(coco.annotations.map((a) => a.instance_id)).size).toBe(count);

  // `eval mot` reads it back: against itself as ground truth every metric is perfect.
  const gt = testInfo.outputPath('gt');
  const seqDir = join(gt, 'MOT17-train', 'street-540p-h264');
  mkdirSync(join(seqDir, 'gt'), { recursive: true });
  mkdirSync(join(gt, 'seqmaps'), { recursive: true });
  writeFileSync(join(seqDir, 'gt', 'gt.txt'), rows.map((r) => `${r.split(',').slice(0, 6).join(',')},1,1,1`).join('\n') + '\n');
  writeFileSync(join(seqDir, 'seqinfo.ini'), '[Sequence]\nname=street-540p-h264\nimDir=img1\nframeRate=3\nseqLength=8\nimWidth=960\nimHeight=540\nimExt=.jpg\n');
  writeFileSync(join(gt, 'seqmaps', 'MOT17-train.txt'), 'name\nstreet-540p-h264\n');
  const r = spawnSync(join(repo, 'bin/mmtrack'), ['eval', 'mot', '--gt', gt, '--results', testInfo.outputPath('results')], { cwd: repo, encoding: 'utf8' });
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.status).toBe(0);
  const metrics = JSON.parse(r.stdout) as Record<string, Record<string, number>>;
  expect(metrics.COMBINED_SEQ?.MOTA).toBe(1);
  expect(metrics.COMBINED_SEQ?.IDF1).toBe(1);
  expect(metrics['street-540p-h264']?.IDSW).toBe(0);
});

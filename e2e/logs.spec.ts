import { readFileSync } from 'node:fs';
import { expectVideoShown, openFile, shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

test('two MMCV logs: loss_cls and bbox_mAP_50 plotted for both runs, exported as SVG; the video view still works', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByTestId('view-logs').click();
  await page.getByTestId('logs-input').setInputFiles([shared('logs/dff_r50_run1.log.json'), shared('logs/dff_r50_run2.log.json')]);
  await page.getByTestId('logs-key-loss_cls').check({ timeout: 30_000 });
  await page.getByTestId('logs-key-bbox_mAP_50').check();
  await expect(page.getByTestId('logs-chart')).toHaveAttribute('data-series', '4');
  await expect(page.getByTestId('logs-malformed')).toHaveText('0');
  const download = page.waitForEvent('download');
  await page.getByTestId('logs-export-svg').click();
  const d = await download;
  const file = testInfo.outputPath('chart.svg');
  await d.saveAs(file);
  const svg = readFileSync(file, 'utf8');
  expect(svg).toMatch(/^<\?xml|^<svg/);
  for (const name of ['dff_r50_run1.log.json_loss_cls', 'dff_r50_run2.log.json_loss_cls', 'dff_r50_run1.log.json_bbox_mAP_50', 'dff_r50_run2.log.json_bbox_mAP_50']) expect(svg).toContain(name);

  await page.getByTestId('view-video').click();
  await openFile(page, shared('media/street-360p-vp9.webm'));
  await expectVideoShown(page, 8);
});

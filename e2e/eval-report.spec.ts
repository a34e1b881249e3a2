import { readFileSync } from 'node:fs';
import { shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

const expected = JSON.parse(readFileSync(shared('sot/expected.json'), 'utf8')) as { OVERALL: Record<string, number> };

test('evaluation tab: SOT ground truth + results give MMTracking’s numbers; the run exports a report the Reports tab imports', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByTestId('view-eval').click();
  await page.getByTestId('eval-drop-ground-truth').locator('input[type=file]').first().setInputFiles(shared('sot/street-car/groundtruth.txt'));
  await page.getByTestId('eval-drop-results').locator('input[type=file]').first().setInputFiles(shared('sot/street-car/result.txt'));
  await page.getByRole('button', { name: 'Evaluate' }).click();
  await expect(page.getByTestId('eval-table')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('eval-table')).toContainText(expected.OVERALL.success!.toFixed(2));

  const download = page.waitForEvent('download');
  await page.getByTestId('eval-report-json').click();
  const file = testInfo.outputPath('report.json');
  await (await download).saveAs(file);
  const report = JSON.parse(readFileSync(file, 'utf8')) as { schema: string; task: string; metrics: { unit: string; overall: Record<string, number> } };
  expect(report.schema).toBe('mmtrack-web.eval-report');
  expect(report.task).toBe('sot');
  expect(report.metrics.unit).toBe('percent');
  expect(report.metrics.overall.success).toBeCloseTo(expected.OVERALL.success!, 4);
  expect(report.metrics.overall.precision).toBeCloseTo(expected.OVERALL.precision!, 4);

  await page.getByTestId('view-reports').click();
  await page.getByTestId('report-input').setInputFiles(file);
  await expect(page.getByTestId('report-view')).toContainText(expected.OVERALL.success!.toFixed(2));
});

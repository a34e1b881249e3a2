import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test } from './fixtures.ts';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const EVIL = '<img src=x onerror=alert(1)>';

// An HTML report (made by `mmtrack report`) opened from file:// with every network request refused: it renders
// fully, requests nothing, and shows a hostile sequence name as text.
test('HTML report renders offline from file:// and shows untrusted names literally', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'mmtrack-e2e-report-'));
  const metrics = {
    COMBINED_SEQ: { HOTA: 0.5368, MOTA: 0.5948, IDF1: 0.7308, IDSW: 19 },
    'MOT17-02-SYN': { HOTA: 0.5448, MOTA: 0.6153, IDF1: 0.7385, IDSW: 6 },
    [EVIL]: { HOTA: 0.4929, MOTA: 0.4967, IDF1: 0.6838, IDSW: 4 },
  };
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics));
  const html = join(dir, 'report.html');
  execFileSync(join(repoRoot, 'bin/mmtrack'), ['report', '--eval', join(dir, 'metrics.json'), '--title', 'Offline <b>report</b>', '--out', html], { cwd: repoRoot });

  const requests: string[] = [];
  await page.context().route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.context().setOffline(true);
  await page.goto(pathToFileURL(html).href);

  await expect(page.locator('h1')).toHaveText('Offline <b>report</b>');
  await expect(page.locator('table[data-section=overall] td')).toHaveText(['0.5368', '0.5948', '0.7308', '19']);
  const names = page.locator('table[data-section=per-sequence] td.name');
  await expect(names).toHaveText(['MOT17-02-SYN', EVIL]);
  await expect(page.locator('img')).toHaveCount(0);
  expect(dialogs).toEqual([]);
  expect(requests).toEqual([]);
});

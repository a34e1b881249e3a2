// Live MOT from a camera, in Chromium's fake camera playing the shared street clip (a .y4m made by ffmpeg here).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error -- plain ESM helper shared with the Node scripts
import { chromiumPath, CHROMIUM_ARGS } from '../scripts/chromium-path.mjs';
import { shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const y4m = join(tmpdir(), 'mmtrack-fake-camera-street.y4m');
if (!existsSync(y4m)) {
  // 8 frames at 3 fps, as 10 fps (each frame repeated) at 640x360: the fake camera loops it.
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', shared('media/street-540p-h264.mp4'), '-vf', 'scale=640:360,fps=10', '-pix_fmt', 'yuv420p', y4m]);
  if (r.status !== 0) throw new Error(`ffmpeg could not make the fake camera's video: ${String(r.stderr)}`);
}

test.use({ launchOptions: { executablePath: (chromiumPath as () => string | null)() ?? '/usr/bin/chromium', args: [...(CHROMIUM_ARGS as string[]), '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`] } });

test('live ByteTrack on the camera: tracks with lasting ids, frames counted and dropped, the session recorded as MOT txt and MP4', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
  await page.getByTestId('camera-panel').locator('summary').click();
  await page.getByTestId('camera-start').click();
  await expect(page.getByTestId('camera-view')).toBeVisible();
  // Frames go through the detector and tracker as fast as it allows; the ones that arrive meanwhile are dropped.
  await expect(page.getByTestId('camera-stats')).toContainText(/^(1[2-9]|[2-9]\d|\d{3,}) frames tracked/, { timeout: 180_000 });
  await expect(page.getByTestId('camera-stats')).toContainText(/\d+ dropped/);
  await expect(page.getByTestId('camera-stats')).toContainText('640x360');
  await page.getByTestId('camera-stop').click();
  await expect(page.getByTestId('camera-recording')).toBeVisible({ timeout: 30_000 });

  const txt = testInfo.outputPath('results', 'camera-session.txt');
  const d1 = page.waitForEvent('download');
  await page.getByTestId('camera-export-results').click();
  await (await d1).saveAs(txt);
  const rows = readFileSync(txt, 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
  const frames = new Set(rows.map((r) => r[0]!));
  expect(frames.size).toBeGreaterThanOrEqual(12);
  // People keep their ids from frame to frame: some id is on at least 5 processed frames.
  const perId = new Map<number, number>();
  for (const r of rows) perId.set(r[1]!, (perId.get(r[1]!) ?? 0) + 1);
  expect(Math.max(...perId.values())).toBeGreaterThanOrEqual(5);
  // eval mot reads it back (against itself as ground truth: perfect).
  const gt = testInfo.outputPath('gt');
  const seqDir = join(gt, 'MOT17-train', 'camera-session');
  mkdirSync(join(seqDir, 'gt'), { recursive: true });
  mkdirSync(join(gt, 'seqmaps'), { recursive: true });
  writeFileSync(join(seqDir, 'gt', 'gt.txt'), rows.map((r) => `${r.slice(0, 6).join(',')},1,1,1`).join('\n') + '\n');
  writeFileSync(join(seqDir, 'seqinfo.ini'), `[Sequence]\nname=camera-session\nimDir=img1\nframeRate=10\nseqLength=${Math.max(...frames)}\nimWidth=640\nimHeight=360\nimExt=.jpg\n`);
  writeFileSync(join(gt, 'seqmaps', 'MOT17-train.txt'), 'name\ncamera-session\n');
  const e = spawnSync(join(repo, 'bin/mmtrack'), ['eval', 'mot', '--gt', gt, '--results', dirname(txt)], { cwd: repo, encoding: 'utf8' });
  expect(e.status, e.stderr).toBe(0);
  expect((JSON.parse(e.stdout) as Record<string, Record<string, number>>)['camera-session']!.IDF1).toBe(1);
  const mp4 = testInfo.outputPath('camera-session.mp4');
  const d2 = page.waitForEvent('download');
  await page.getByTestId('camera-export-mp4').click();
  await (await d2).saveAs(mp4);
  const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames,width,height', '-of', 'csv=p=0', mp4], { encoding: 'utf8' });
  expect(probe.status, probe.stderr).toBe(0);
  const [w, h, n] = probe.stdout.trim().split(',').map(Number);
  expect([w, h]).toEqual([640, 360]);
  expect(n).toBe(frames.size);
});

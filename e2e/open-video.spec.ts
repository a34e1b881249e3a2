import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.ts';
import { expectVideoShown, openFile, requireShared, shared } from './helpers.ts';

test.describe('opening videos', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/');
  });

  test('H.264 MP4 opens through WebCodecs', async ({ page }) => {
    await openFile(page, shared('media/street-540p-h264.mp4'));
    await expectVideoShown(page, 8);
    await expect(page.getByTestId('video-info')).toContainText('960×540');
    await expect(page.getByTestId('video-info')).toContainText('WebCodecs');
  });

  test('VP9 WebM opens through WebCodecs', async ({ page }) => {
    await openFile(page, shared('media/street-360p-vp9.webm'));
    await expectVideoShown(page, 8);
    await expect(page.getByTestId('video-info')).toContainText('640×360');
  });

  test('MPEG-4 Part 2 opens through ffmpeg.wasm', async ({ page }) => {
    await openFile(page, shared('media/street-1080p-mpeg4.mp4'));
    await expectVideoShown(page, 8);
    await expect(page.getByTestId('video-info')).toContainText('1920×1080');
    await expect(page.getByTestId('video-info')).toContainText('ffmpeg.wasm');
    await expect(page.getByTestId('video-info')).toContainText('mpeg4');
  });

  test('an image folder opens as frames sorted by name', async ({ page }) => {
    await page.getByTestId('folder-input').setInputFiles(requireShared(shared('sot/street-car/img')));
    await expectVideoShown(page, 30);
    await expect(page.getByTestId('video-info')).toContainText('image folder');
  });

  test('player keys and timeline move through the frames', async ({ page }) => {
    await openFile(page, shared('media/street-540p-h264.mp4'));
    await expectVideoShown(page, 8);
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('current-frame')).toHaveText('2');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('current-frame')).toHaveText('2');
    await page.getByTestId('timeline').fill('6');
    await expect(page.getByTestId('current-frame')).toHaveText('6');
    await page.keyboard.press('Home');
    await expect(page.getByTestId('current-frame')).toHaveText('1');
    await page.keyboard.press(' ');
    await expect(page.getByTestId('current-frame')).toHaveText('8', { timeout: 20_000 });
    await expect(page.getByTestId('play-pause')).toContainText('Play');
    await expect(page.getByTestId('decode-fps')).not.toHaveText('–');
  });
});

test.describe('bad input never breaks the app', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/');
  });

  const cases: Array<[string, RegExp]> = [
    ['media/not-a-video.mp4', /not-a-video\.mp4: not a video file/],
    ['media/missing-moov-h264.mp4', /missing-moov-h264\.mp4: .*'moov'/],
    ['media/truncated-faststart-h264.mp4', /truncated-faststart-h264\.mp4: the file is truncated at frame \d+ of 150/],
  ];
  for (const [file, message] of cases) {
    test(`${file} shows an error naming the file, then a good file opens`, async ({ page }) => {
      await openFile(page, shared(file));
      await expect(page.getByTestId('error')).toHaveText(message, { timeout: 90_000 });
      await openFile(page, shared('media/street-540p-h264.mp4'));
      await expectVideoShown(page, 8);
      await expect(page.getByTestId('error')).toHaveCount(0);
    });
  }

  test('a truncated file still plays the frames it has', async ({ page }) => {
    await openFile(page, shared('media/truncated-faststart-h264.mp4'));
    await expect(page.getByTestId('error')).toContainText('truncated', { timeout: 60_000 });
    const count = Number(await page.getByTestId('frame-count').textContent());
    expect(count).toBeGreaterThan(50);
    expect(count).toBeLessThan(150);
    await page.keyboard.press('End');
    await expect(page.getByTestId('current-frame')).toHaveText(String(count));
  });

  test('a 0-byte file and an unsupported codec give clear errors', async ({ page }) => {
    const input = page.getByTestId('video-input');
    await input.setInputFiles({ name: 'empty.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(0) });
    await expect(page.getByTestId('error')).toHaveText('empty.mp4: the file is empty (0 bytes)');
    // The same MP4 with its sample entry and decoder config renamed to a codec nobody knows.
    const mp4 = readFileSync(requireShared(shared('media/street-540p-h264.mp4')));
    for (const [from, to] of [['avc1', 'zzz9'], ['avcC', 'zzzC']] as const) {
      const at = mp4.indexOf(from);
      expect(at).toBeGreaterThan(0);
      mp4.write(to, at, 'latin1');
    }
    await input.setInputFiles({ name: 'odd-codec.mp4', mimeType: 'video/mp4', buffer: mp4 });
    await expect(page.getByTestId('error')).toHaveText(/^odd-codec\.mp4: unsupported codec/, { timeout: 90_000 });
    await openFile(page, shared('media/street-360p-vp9.webm'));
    await expectVideoShown(page, 8);
  });
});

import { readFileSync } from 'node:fs';
import { test } from './fixtures.ts';
import { expectVideoShown, requireShared, shared } from './helpers.ts';

test('a video dropped anywhere on the page opens', async ({ page }) => {
  await page.goto('/');
  const bytes = readFileSync(requireShared(shared('media/street-360p-vp9.webm'))).toString('base64');
  // A real DataTransfer carrying the file, dropped on the right panel (not the video area).
  await page.evaluate((b64) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([data], 'dropped.webm', { type: 'video/webm' }));
    const target = document.querySelector('.right-panel') as HTMLElement;
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, bytes);
  await expectVideoShown(page, 8);
});

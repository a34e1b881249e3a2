import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

/** `../shared` next to the repository (read-only test data). */
export const shared = (...parts: string[]) => resolve(fileURLToPath(new URL('.', import.meta.url)), '../../shared', ...parts);

export function requireShared(path: string): string {
  if (!existsSync(path)) throw new Error(`test data missing: ${path} (expected ../shared next to the repository)`);
  return path;
}

/** Opens a file through the page's file input. */
export async function openFile(page: Page, path: string): Promise<void> {
  await page.getByTestId('video-input').setInputFiles(requireShared(path));
}

/** Fraction of canvas pixels that are not near-black, read from the real canvas. */
export async function canvasNonBlankFraction(page: Page): Promise<number> {
  return page.getByTestId('video-canvas').evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return 0;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let lit = 0;
    for (let i = 0; i < d.length; i += 4) if ((d[i] ?? 0) + (d[i + 1] ?? 0) + (d[i + 2] ?? 0) > 60) lit++;
    return lit / (d.length / 4);
  });
}

export async function expectVideoShown(page: Page, frames: number): Promise<void> {
  await expect(page.getByTestId('frame-count')).toHaveText(String(frames), { timeout: 90_000 });
  await expect(page.getByTestId('current-frame')).toHaveText('1');
  await expect.poll(() => canvasNonBlankFraction(page), { timeout: 30_000 }).toBeGreaterThan(0.3);
}

/** A fresh page with `config` chosen (default: the default MOT config) and street-540p open, then Track pressed. */
export async function trackStreetWith(page: Page, config?: string): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
  if (config) await page.getByTestId('config-select').selectOption(config);
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  await page.getByTestId('track-run').click();
}

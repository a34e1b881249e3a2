// Cross-origin isolation (docs/hosting.md): the preview server sends COOP/COEP; a host that cannot gets them from the
// service worker public/coi-sw.js, under which the page reloads once; `?coi=0` stays as served.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

const DIST = resolve(fileURLToPath(new URL('.', import.meta.url)), '../dist');
const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml' };

/** `dist/` as a plain static host serves it: no COOP/COEP headers. */
async function plainHost(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = resolve(DIST, `.${sep}${path === '/' ? 'index.html' : path}`);
    if (!file.startsWith(DIST + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** `crossOriginIsolated` once the page has settled (it may reload meanwhile), and the app's first button shown. */
async function settledIsolation(page: Page): Promise<boolean> {
  await expect(page.getByTestId('video-input')).toBeAttached({ timeout: 30_000 });
  await page.waitForLoadState('load');
  return page.evaluate(() => crossOriginIsolated);
}

test('the preview server makes the page cross-origin isolated (ORT may run wasm threads)', async ({ page }) => {
  await page.goto('/');
  expect(await settledIsolation(page)).toBe(true);
  expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
});

test('on a host without the headers the service worker isolates the page after one reload; ?coi=0 opts out', async ({ page, browser }) => {
  const host = await plainHost();
  try {
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(host.url);
    await expect.poll(async () => page.evaluate(() => crossOriginIsolated).catch(() => false), { timeout: 30_000 }).toBe(true);
    expect(await settledIsolation(page)).toBe(true);
    expect(loads).toBe(2);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toMatch(/\/coi-sw\.js$/);

    const other = await browser.newContext();
    try {
      const optOut = await other.newPage();
      await optOut.goto(`${host.url}/?coi=0`);
      expect(await settledIsolation(optOut)).toBe(false);
      expect(await optOut.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
    } finally {
      await other.close();
    }
  } finally {
    host.server.closeAllConnections();
    await new Promise((ok) => host.server.close(ok));
  }
});

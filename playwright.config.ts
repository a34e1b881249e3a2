import { defineConfig } from '@playwright/test';
// @ts-expect-error -- plain ESM helper shared with the Node scripts
import { chromiumPath, CHROMIUM_ARGS } from './scripts/chromium-path.mjs';

const executablePath = (chromiumPath as () => string | null)() ?? '/usr/bin/chromium';
// A port of this run's own (set once in the main process, inherited by the test workers), so a dev server or another
// test run on the machine does not collide with it; E2E_PORT overrides.
process.env.E2E_PORT ??= String(4173 + (process.pid % 800));
const port = Number(process.env.E2E_PORT);

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: { executablePath, args: CHROMIUM_ARGS as string[] },
    acceptDownloads: true,
  },
  // The e2e tests run against the production build (`npm test` builds it first).
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});

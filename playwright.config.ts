import { defineConfig } from '@playwright/test';
// @ts-expect-error -- plain ESM helper shared with the Node scripts
import { chromiumPath, CHROMIUM_ARGS } from './scripts/chromium-path.mjs';

const executablePath = (chromiumPath as () => string | null)() ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: 'http://127.0.0.1:4173',
    launchOptions: { executablePath, args: CHROMIUM_ARGS as string[] },
    acceptDownloads: true,
  },
  // The e2e tests run against the production build (`npm test` builds it first).
  webServer: {
    command: 'npx vite preview --host 127.0.0.1 --port 4173 --strictPort',
    url: 'http://127.0.0.1:4173',
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});

import { test as base } from '@playwright/test';

/**
 * Every e2e test fails on an uncaught error in the page or a crashed tab, with the page's console in the report:
 * "bad input never breaks the app" is checked on every test, not only the ones about bad input.
 */
export const test = base.extend<{ pageErrors: void }>({
  pageErrors: [
    async ({ page }, use, testInfo) => {
      const errors: string[] = [];
      const consoleLines: string[] = [];
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.stack ?? err.message}`));
      page.on('crash', () => errors.push('the tab crashed'));
      page.on('console', (msg) => consoleLines.push(`[${msg.type()}] ${msg.text()}`));
      await use();
      if (consoleLines.length) await testInfo.attach('console', { body: consoleLines.join('\n'), contentType: 'text/plain' });
      if (errors.length) throw new Error(`uncaught errors in the page:\n${errors.join('\n')}\n--- console ---\n${consoleLines.slice(-40).join('\n')}`);
    },
    { auto: true },
  ],
});

export { expect } from '@playwright/test';

// Shared by browser benchmarks: build the app if needed, serve it with `vite preview`, drive the system Chromium.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
// @ts-expect-error -- plain ESM helper shared with the Node scripts
import { chromiumPath, CHROMIUM_ARGS, CHROMIUM_MISSING } from '../../chromium-path.mjs';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const sharedDir = resolve(repoRoot, '../shared');

export interface BenchBrowser {
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

async function waitForUrl(url: string, server: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`vite preview exited with ${server.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms`);
}

export async function startBenchBrowser(port = 4183, extraArgs: string[] = []): Promise<BenchBrowser> {
  const executablePath = (chromiumPath as () => string | null)();
  if (!executablePath) throw new Error(CHROMIUM_MISSING as string);
  if (!existsSync(resolve(repoRoot, 'dist/index.html')) || process.env.BENCH_BUILD !== '0') {
    const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('vite build failed');
  }
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: repoRoot, stdio: 'ignore', detached: true });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForUrl(baseUrl, server);
  const browser = await chromium.launch({ executablePath, args: [...(CHROMIUM_ARGS as string[]), ...extraArgs] });
  return {
    browser,
    baseUrl,
    async close() {
      await browser.close();
      if (server.pid) process.kill(-server.pid);
    },
  };
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  console.log(`\n${title}`);
  for (const [k, r] of cells.entries()) {
    console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
    if (k === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

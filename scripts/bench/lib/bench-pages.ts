// Bench pages (scripts/bench/pages/*.html): bundled by their own `vite build` into a temp dir (never into the app's
// dist/), then served with local folders mounted beside them (models, wasm files, media), all from this machine.
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { build } from 'vite';
import { repoRoot } from './browser.ts';

const pagesDir = resolve(repoRoot, 'scripts/bench/pages');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
};

export interface BenchPages {
  /** e.g. `http://127.0.0.1:PORT`; a page is `${baseUrl}/NAME.html`, a mount `${baseUrl}${prefix}FILE`. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Builds every page and serves it; `mounts` maps URL prefixes (`/models/`) to local folders. `isolated`: served with
 * COOP/COEP, as the app is, so wasm backends may run threads.
 */
export async function startBenchPages(mounts: Record<string, string>, isolated = false): Promise<BenchPages> {
  const isolation = isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
  const outDir = mkdtempSync(join(tmpdir(), 'mmtrack-bench-pages-'));
  const input = Object.fromEntries(readdirSync(pagesDir).filter((f) => f.endsWith('.html')).map((f) => [f.slice(0, -5), join(pagesDir, f)]));
  await build({
    configFile: false,
    root: pagesDir,
    publicDir: false,
    logLevel: 'warn',
    // Not minified: tfjs-backend-wasm's threaded build starts its workers from its factory's own source text
    // (`Function.toString`), which minifying breaks ("ReferenceError: e is not defined" in the workers).
    build: { outDir, emptyOutDir: true, minify: false, target: 'es2022', chunkSizeWarningLimit: 8192, rolldownOptions: { input } },
  });
  const roots: Array<[string, string]> = [...Object.entries(mounts), ['/', outDir]];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const mount = roots.find(([prefix]) => path.startsWith(prefix));
    const file = mount ? resolve(mount[1], `.${sep}${path.slice(mount[0].length)}`) : null;
    if (!mount || !file || !file.startsWith(resolve(mount[1]) + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', ...isolation });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections(); // the browser keeps connections alive
      await new Promise((ok) => server.close(ok));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

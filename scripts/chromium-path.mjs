// Finds the system Chromium the e2e tests and benchmarks drive (never a test tool's own download).
import { existsSync } from 'node:fs';

export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter(Boolean);
  return candidates.find((p) => existsSync(p)) ?? null;
}

export const CHROMIUM_MISSING =
  'No Chromium found (set CHROMIUM_PATH or install it: sudo apt-get install -y chromium).';

/** Flags for headless Chromium here: WebGPU through SwiftShader, no sandbox as root, no background traffic. */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

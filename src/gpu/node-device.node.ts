/**
 * A `GPUDevice` in Node (tests, benchmarks) through the `webgpu` npm package (Dawn). Node only: the
 * browser gets its device from `requestGpuDevice` in `device.ts`.
 *
 * With no GPU, Dawn's Vulkan backend finds an adapter only through a software Vulkan driver: we point
 * the Vulkan loader at SwiftShader (shipped with Debian's chromium) unless `VK_ICD_FILENAMES` is set.
 * The loader reads the variable when Dawn creates its instance, so it is set before `create()`.
 */
import { existsSync } from 'node:fs';
import { create, globals } from 'webgpu';
import { deviceDescriptor } from './device.ts';

/** SwiftShader's Vulkan ICD manifest as installed by Debian's `chromium` package. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let gpuPromise: Promise<GPU> | undefined;

function nodeGpu(): Promise<GPU> {
  gpuPromise ??= (async () => {
    if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    // Dawn's classes (GPUBufferUsage, GPUMapMode, ...) become globals, as in a browser.
    Object.assign(globalThis, globals);
    await Promise.resolve();
    return create([]);
  })();
  return gpuPromise;
}

/**
 * Creates a device as `requestGpuDevice` does in the browser (adapter's largest limits). Throws (never returns undefined) when no
 * adapter exists, so GPU tests fail loudly instead of skipping.
 */
export async function createNodeGpuDevice(): Promise<GPUDevice> {
  const gpu = await nodeGpu();
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      `No WebGPU adapter from Dawn (npm package "webgpu"). VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? '(unset)'}; ` +
        `without a GPU install Debian's chromium (it ships ${SWIFTSHADER_ICD}) or point VK_ICD_FILENAMES at another Vulkan driver.`,
    );
  }
  const device = await adapter.requestDevice(deviceDescriptor(adapter));
  device.addEventListener('uncapturederror', (e) => {
    console.error(`WebGPU uncaptured error: ${e.error.message}`);
  });
  return device;
}

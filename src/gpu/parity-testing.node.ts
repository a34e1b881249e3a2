/** Shared helpers of the GPU parity tests (Node only). */
import { createNodeGpuDevice } from './node-device.node.ts';
import { KernelContext } from './kernel-program.ts';

/** Parity tolerance between a kernel and its CPU twin (absolute). */
export const PARITY_TOLERANCE = 1e-4;

let contextPromise: Promise<KernelContext> | undefined;

/** One Dawn device per test process, with WebGPU error checking on every submit. */
export function testKernelContext(): Promise<KernelContext> {
  contextPromise ??= createNodeGpuDevice().then((device) => new KernelContext(device, { checkErrors: true }));
  return contextPromise;
}

/** Largest |a[i] - b[i]|; throws if lengths differ or a value is NaN on one side only. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(d)) throw new Error(`NaN at ${i}: ${a[i]} vs ${b[i]}`);
    max = Math.max(max, d);
  }
  return max;
}

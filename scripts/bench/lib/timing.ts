/** Median milliseconds of `runs` calls of `fn`, after one warm-up call (pipeline compilation, JIT, session caches). */
export async function medianMs(runs: number, fn: () => unknown, warmUp = true): Promise<number> {
  if (warmUp) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

// Tests: `mmtrack ARGS...` in this process (the same code path as bin/mmtrack, without a process start per case).
import { main } from './main.ts';

export async function runCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main([...args], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

// The CLI's own costs, side by side in one run: start-up (`mmtrack --help`, and `eval mot` on the MOT17-train-sized
// set as a new process) against `node -e 0`, and `mmtrack detect` frames/s on onnxruntime-node (native CPU EP, every
// core) against onnxruntime-web's wasm build (what the CLI ran before), same videos, same config (MMTRACK_ORT picks).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeMotBenchFolder } from './eval-data.ts';
import { printTable, timeProcess } from './eval-bench-lib.ts';

const REPS = 5;
const BIN = fileURLToPath(new URL('../../bin/mmtrack', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../shared', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../configs/det/centernet_mobilenetv3_coco.py', import.meta.url));
const VIDEOS = [`${SHARED}/media/street-540p-h264.mp4`, `${SHARED}/sot/street-car/video.mp4`];

const dir = mkdtempSync(path.join(tmpdir(), 'mmtrack-bench-cli-'));
try {
  // Start-up. The first --help may rebuild a stale bundle: run once untimed.
  spawnSync(BIN, ['--help']);
  const node = timeProcess(process.execPath, ['-e', '0'], REPS);
  const help = timeProcess(BIN, ['--help'], REPS);
  const data = writeMotBenchFolder(dir);
  const evalMot = timeProcess(BIN, ['eval', 'mot', '--gt', data.gtRoot, '--results', data.resultsRoot], REPS);
  const rows: (string | number)[][] = [['command (new process)', 'wall s (median of 5)', 'CPU s', 'wall over `node -e 0`']];
  for (const [name, t] of [['`node -e 0`', node], ['`mmtrack --help`', help], ['`mmtrack eval mot` (MOT17-train-sized)', evalMot]] as const) {
    rows.push([name, t.wallS.toFixed(3), t.cpuS.toFixed(3), `+${(t.wallS - node.wallS).toFixed(3)} s`]);
  }
  printTable(rows);

  // detect: the whole command (ffmpeg decode, pre-process, network, decode, JSON), frames/s after the model loaded as
  // the command prints it, and the command's wall and CPU time, from one run each.
  const det: (string | number)[][] = [['video', 'runtime', 'frames', 'frames/s (after load)', 'wall s (whole command)', 'CPU s', 'detections']];
  for (const video of VIDEOS) {
    const fps: Record<string, number> = {};
    for (const ort of ['native', 'wasm']) {
      const out = path.join(dir, `${ort}.json`);
      const run = timeProcess(BIN, ['detect', CONFIG, '--input', video, '--out', out], 1, { MMTRACK_ORT: ort });
      const progress = [...run.stderr.matchAll(/frame (\d+)\/\d+ +([\d.]+) frames\/s/g)].at(-1)!;
      const runtime = /runtime: (.*)/.exec(run.stderr)![1]!;
      fps[ort] = Number(progress[2]);
      det.push([path.basename(video), runtime, Number(progress[1]), fps[ort].toFixed(2), run.wallS.toFixed(2), run.cpuS.toFixed(2), (JSON.parse(readFileSync(out, 'utf8')) as unknown[]).length]);
    }
    det.push([path.basename(video), `native / wasm (${availableParallelism()} cores)`, '', `${(fps.native! / fps.wasm!).toFixed(2)}x`, '', '', '']);
  }
  printTable(det);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

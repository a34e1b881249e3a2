// `eval mot` (HOTA + CLEAR + Identity) on a generated MOT17-train-sized input (7 sequences, 5 316 frames,
// ~110 000 gt boxes, a flawed tracker), against a numpy/scipy timing stand-in for TrackEval (see
// eval_numpy_standin.py: an independent implementation with TrackEval's computational structure, not TrackEval).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeMotBenchFolder } from './eval-data.ts';
import { printTable, timeCli, timeSpawnedCli, timeStandin } from './eval-bench-lib.ts';

const REPS = 5;
const BIN = fileURLToPath(new URL('../../bin/mmtrack', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'mmtrack-bench-mot-'));
try {
  const data = writeMotBenchFolder(dir);
  console.log(`input: 7 sequences, ${data.frames} frames, ${data.gtBoxes} gt boxes, ${data.trackerBoxes} tracker boxes (${dir})`);
  const args = ['eval', 'mot', '--gt', data.gtRoot, '--results', data.resultsRoot];
  const ours = await timeCli(args, REPS);
  const spawned = timeSpawnedCli(BIN, args);
  const combined = (JSON.parse(ours.stdout) as Record<string, Record<string, number>>).COMBINED_SEQ!;
  const ref = timeStandin('mot', data.gtRoot, data.resultsRoot, 3);
  const rows: (string | number)[][] = [['implementation', 'wall s (median; ours 5 runs, stand-in 3)', 'CPU s', 'speed-up (CPU)']];
  rows.push(['mmtrack-web `eval mot` (in process, warm: read + preprocess + 3 metrics)', ours.wallS.toFixed(3), ours.cpuS.toFixed(3), '1.0x']);
  rows.push(['mmtrack-web `eval mot`, first run in the process (cold JIT)', ours.coldWallS.toFixed(3), '', '']);
  rows.push(['`./bin/mmtrack eval mot` as a new process (Node + tsx start included)', spawned.toFixed(3), '', '']);
  if ('missing' in ref) {
    rows.push(['numpy stand-in for TrackEval', 'n/a', 'n/a', `not run: ${ref.missing}`]);
  } else {
    rows.push(['numpy/scipy stand-in for TrackEval (same files)', ref.wallS.toFixed(3), ref.cpuS.toFixed(3), `${(ref.cpuS / ours.cpuS).toFixed(1)}x slower`]);
    // The stand-in must agree, or its timing means nothing.
    for (const k of ['HOTA', 'MOTA', 'IDF1', 'IDSW', 'Frag', 'TP']) {
      const a = combined[k]!;
      const b = ref.metrics[k]!;
      if (Math.abs(a - b) > 1e-9) throw new Error(`stand-in disagrees on ${k}: ${a} vs ${b}`);
    }
    console.log('stand-in metrics agree with ours (HOTA, MOTA, IDF1, IDSW, Frag, TP)');
  }
  printTable(rows);
  console.log(`COMBINED_SEQ: HOTA ${combined.HOTA!.toFixed(4)}  MOTA ${combined.MOTA!.toFixed(4)}  IDF1 ${combined.IDF1!.toFixed(4)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

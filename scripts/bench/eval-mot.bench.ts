// `eval mot` (HOTA + CLEAR + Identity) on a generated MOT17-train-sized input (7 sequences, 5 316 frames,
// ~110 000 gt boxes, a flawed tracker), side by side with the real TrackEval (../shared/references/run_trackeval.py)
// on the same files. The metrics must agree before any time is printed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeMotBenchFolder } from './eval-data.ts';
import { printTable, timeCli, timeReference, timeSpawnedCli } from './eval-bench-lib.ts';

const REPS = 5;
const dir = mkdtempSync(path.join(tmpdir(), 'mmtrack-bench-mot-'));
try {
  const data = writeMotBenchFolder(dir);
  console.log(`input: 7 sequences, ${data.frames} frames, ${data.gtBoxes} gt boxes, ${data.trackerBoxes} tracker boxes (${dir})`);
  const args = ['eval', 'mot', '--gt', data.gtRoot, '--results', data.resultsRoot];
  const ours = await timeCli(args, REPS);
  const spawned = timeSpawnedCli(args, REPS);
  const combined = (JSON.parse(ours.stdout) as Record<string, Record<string, number>>).COMBINED_SEQ!;
  const ref = timeReference('run_trackeval.py', [data.gtRoot, data.trackersRoot, data.trackerName], 3);
  const rows: (string | number)[][] = [['implementation', 'wall s (median; ours 5 runs, TrackEval 3)', 'CPU s', 'TrackEval CPU / ours']];
  const ratio = (cpu: number) => ('missing' in ref ? '' : `${(ref.cpuS / cpu).toFixed(1)}x`);
  rows.push(['`./bin/mmtrack eval mot`, a new process (Node start and all)', spawned.wallS.toFixed(3), spawned.cpuS.toFixed(3), ratio(spawned.cpuS)]);
  rows.push(['mmtrack-web `eval mot` in a warm process (read + preprocess + 3 metrics)', ours.wallS.toFixed(3), ours.cpuS.toFixed(3), ratio(ours.cpuS)]);
  rows.push(['mmtrack-web `eval mot`, first run in the process (cold JIT)', ours.coldWallS.toFixed(3), '', '']);
  if ('missing' in ref) {
    rows.push(['TrackEval', 'n/a', 'n/a', `not run: ${ref.missing}`]);
  } else {
    rows.push(['TrackEval (real, run_trackeval.py: Python start and imports included)', ref.wallS.toFixed(3), ref.cpuS.toFixed(3), '1.0x']);
    // The reference must agree, or the timing means nothing (TrackEval's CLR_TP is our TP).
    const theirs = ref.result.COMBINED_SEQ!;
    for (const [k, t] of [['HOTA', 'HOTA'], ['MOTA', 'MOTA'], ['IDF1', 'IDF1'], ['IDSW', 'IDSW'], ['Frag', 'Frag'], ['TP', 'CLR_TP']] as const) {
      const a = combined[k]!;
      const b = theirs[t]!;
      if (!(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)))) throw new Error(`TrackEval disagrees on ${k}: ours ${a}, TrackEval ${b}`);
    }
    const spawnedOut = (JSON.parse(spawned.stdout) as Record<string, Record<string, number>>).COMBINED_SEQ!;
    if (spawnedOut.HOTA !== combined.HOTA) throw new Error('the new process printed another HOTA than the in-process run');
    console.log('TrackEval agrees with ours (HOTA, MOTA, IDF1, IDSW, Frag, TP)');
  }
  printTable(rows);
  console.log(`COMBINED_SEQ: HOTA ${combined.HOTA!.toFixed(4)}  MOTA ${combined.MOTA!.toFixed(4)}  IDF1 ${combined.IDF1!.toFixed(4)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

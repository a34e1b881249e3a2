// `eval sot` (OPE success / precision / normalised precision) on 280 generated LaSOT-sized sequences, side by side
// with MMTracking's real eval_sot_ope (../shared/references/run_sot_ope.py) on the same files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeSotBenchFolder } from './eval-data.ts';
import { printTable, timeCli, timeReference, timeSpawnedCli } from './eval-bench-lib.ts';

const REPS = 5;
const dir = mkdtempSync(path.join(tmpdir(), 'mmtrack-bench-sot-'));
try {
  const data = writeSotBenchFolder(dir, 280);
  console.log(`input: 280 sequences, ${data.frames} frames (${dir})`);
  const args = ['eval', 'sot', '--gt', data.gtRoot, '--results', data.resultsRoot];
  const ours = await timeCli(args, REPS);
  const spawned = timeSpawnedCli(args, REPS);
  const overall = (JSON.parse(ours.stdout) as Record<string, Record<string, number>>).OVERALL!;
  const ref = timeReference('run_sot_ope.py', [data.gtRoot, data.resultsRoot], 1);
  const rows: (string | number)[][] = [['implementation', 'wall s (median; ours 5 runs, MMTracking 1)', 'CPU s', 'MMTracking CPU / ours']];
  const ratio = (cpu: number) => ('missing' in ref ? '' : `${(ref.cpuS / cpu).toFixed(1)}x`);
  rows.push(['`./bin/mmtrack eval sot`, a new process (Node start and all)', spawned.wallS.toFixed(3), spawned.cpuS.toFixed(3), ratio(spawned.cpuS)]);
  rows.push(['mmtrack-web `eval sot` OPE in a warm process (read + evaluate)', ours.wallS.toFixed(3), ours.cpuS.toFixed(3), ratio(ours.cpuS)]);
  rows.push(['mmtrack-web `eval sot`, first run in the process (cold JIT)', ours.coldWallS.toFixed(3), '', '']);
  if ('missing' in ref) {
    rows.push(['MMTracking eval_sot_ope', 'n/a', 'n/a', `not run: ${ref.missing}`]);
  } else {
    rows.push(["MMTracking's eval_sot_ope (real, run_sot_ope.py: Python start included)", ref.wallS.toFixed(3), ref.cpuS.toFixed(3), '1.0x']);
    // Both print percent, as MMTracking does.
    const theirs = ref.result.OVERALL!;
    for (const k of ['success', 'precision', 'norm_precision']) {
      if (!(Math.abs(overall[k]! - theirs[k]!) <= 1e-6)) throw new Error(`eval_sot_ope disagrees on ${k}: ours ${overall[k]}, MMTracking ${theirs[k]}`);
    }
    console.log("MMTracking's eval_sot_ope agrees with ours (success, precision, norm_precision)");
  }
  printTable(rows);
  console.log(`OVERALL: success ${overall.success!.toFixed(3)}  precision ${overall.precision!.toFixed(3)}  norm_precision ${overall.norm_precision!.toFixed(3)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// `eval sot` (OPE success / precision / normalised precision) on 280 generated LaSOT-sized sequences, against a
// numpy timing stand-in for MMTracking's eval_sot_ope (see eval_numpy_standin.py; not MMTracking's code).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSotBenchFolder } from './eval-data.ts';
import { printTable, timeCli, timeSpawnedCli, timeStandin } from './eval-bench-lib.ts';

const REPS = 5;
const BIN = fileURLToPath(new URL('../../bin/mmtrack', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'mmtrack-bench-sot-'));
try {
  const data = writeSotBenchFolder(dir, 280);
  console.log(`input: 280 sequences, ${data.frames} frames (${dir})`);
  const args = ['eval', 'sot', '--gt', data.gtRoot, '--results', data.resultsRoot];
  const ours = await timeCli(args, REPS);
  const spawned = timeSpawnedCli(BIN, args);
  const overall = (JSON.parse(ours.stdout) as Record<string, Record<string, number>>).OVERALL!;
  const ref = timeStandin('sot', data.gtRoot, data.resultsRoot, 3);
  const rows: (string | number)[][] = [['implementation', 'wall s (median; ours 5 runs, stand-in 3)', 'CPU s', 'speed-up (CPU)']];
  rows.push(['mmtrack-web `eval sot` OPE (in process, warm: read + evaluate)', ours.wallS.toFixed(3), ours.cpuS.toFixed(3), '1.0x']);
  rows.push(['mmtrack-web `eval sot`, first run in the process (cold JIT)', ours.coldWallS.toFixed(3), '', '']);
  rows.push(['`./bin/mmtrack eval sot` as a new process (Node + tsx start included)', spawned.toFixed(3), '', '']);
  if ('missing' in ref) {
    rows.push(['numpy stand-in for eval_sot_ope', 'n/a', 'n/a', `not run: ${ref.missing}`]);
  } else {
    rows.push(['numpy stand-in for MMTracking eval_sot_ope (same files)', ref.wallS.toFixed(3), ref.cpuS.toFixed(3), `${(ref.cpuS / ours.cpuS).toFixed(1)}x slower`]);
    for (const k of ['success', 'precision', 'norm_precision']) {
      if (Math.abs(overall[k]! - ref.metrics[k]!) > 1e-4) throw new Error(`stand-in disagrees on ${k}: ${overall[k]} vs ${ref.metrics[k]}`);
    }
    console.log('stand-in metrics agree with ours (success, precision, norm_precision)');
  }
  printTable(rows);
  console.log(`OVERALL: success ${overall.success!.toFixed(3)}  precision ${overall.precision!.toFixed(3)}  norm_precision ${overall.norm_precision!.toFixed(3)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Single object tracking through the CLI path (`./bin/mmtrack track`: ffmpeg decode, crops, ONNX Runtime wasm EP,
// post-processing, result file), NanoTrack v2 (../shared/models) and the default SiamFC-style tracker
// (public/models, converted at npm install), on ../shared/sot/street-car/video.mp4 (640x360, 150 frames) and on a
// perturbed copy of it (brightness/contrast ramps, temporal noise, blur: same geometry, so the same ground truth).
// Accuracy: OPE success / precision / norm_precision (MMTracking's eval_sot_ope, percent). Speed: frames/s as the
// CLI reports it (tracking loop incl. decode, excluding process start and model loading) and the network's
// ms/frame; each case runs 3 times and the fastest run is shown (the machine is shared), with the load average.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseSotBoxes } from '../../src/core/datasets/sot.ts';
import { evalOpeSequence, Ope } from '../../src/core/eval/sot-ope.ts';

const repo = resolve(import.meta.dirname, '../..');
const seq = resolve(repo, '../shared/sot/street-car');
const gtPath = join(seq, 'groundtruth.txt');
const work = mkdtempSync(join(tmpdir(), 'sot-bench-'));
const RUNS = 3;

const perturbed = join(work, 'street-car-perturbed.mp4');
const ff = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', join(seq, 'video.mp4'), '-vf', "eq=brightness='0.25*sin(2*PI*t/2)':contrast='1-0.4*abs(sin(2*PI*t/3))':eval=frame,noise=alls=30:allf=t,gblur=sigma=2", '-c:v', 'libx264', '-crf', '18', perturbed], { encoding: 'utf8' });
if (ff.status !== 0) throw new Error(`ffmpeg: ${ff.stderr}`);

const trackers = [
  { name: 'NanoTrack v2', config: 'configs/sot/nanotrack/nanotrack_v2.py', modelDir: resolve(repo, '../shared/models'), needs: 'nanotrack-v2/backbone.onnx' },
  { name: 'default (SiamFC on MobileNetV3 s8)', config: 'configs/sot/default.py', modelDir: resolve(repo, 'public/models'), needs: 'mobilenetv3_features_s8.onnx' },
];
const sequences = [
  { name: 'street-car', input: join(seq, 'video.mp4') },
  { name: 'street-car perturbed', input: perturbed },
];

const gt = parseSotBoxes(readFileSync(gtPath, 'utf8'), gtPath).value.xywh;
const load = loadavg().map((l) => l.toFixed(1)).join(' ');
const rows: string[][] = [['tracker', 'sequence', 'success', 'precision', 'norm_precision', 'frames/s', 'network ms/frame']];
for (const t of trackers) {
  if (!existsSync(join(t.modelDir, t.needs))) {
    rows.push([t.name, '-', `skipped: ${join(t.modelDir, t.needs)} missing`, '', '', '', '']);
    continue;
  }
  for (const s of sequences) {
    let best: { fps: number; net: number } | undefined;
    let metrics: Record<string, number> = {};
    for (let run = 0; run < RUNS; run++) {
      const out = join(work, `${run}.txt`);
      const r = spawnSync(join(repo, 'bin/mmtrack'), ['track', t.config, '--input', s.input, '--gt-bbox-file', gtPath, '--out', out, '--model-dir', t.modelDir], { cwd: repo, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${t.name} on ${s.name}: ${r.stderr}`);
      const summary = JSON.parse(r.stdout) as { frames_per_second: number; network_ms_per_frame: number };
      if (!best || summary.frames_per_second > best.fps) best = { fps: summary.frames_per_second, net: summary.network_ms_per_frame };
      // The trackers are deterministic: every run gives the same boxes.
      metrics = new Ope().summary(evalOpeSequence({ gt, pred: parseSotBoxes(readFileSync(out, 'utf8'), out).value.xywh }));
    }
    rows.push([t.name, s.name, metrics.success!.toFixed(2), metrics.precision!.toFixed(2), metrics.norm_precision!.toFixed(2), best!.fps.toFixed(1), best!.net.toFixed(1)]);
  }
}

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
console.log(`SOT via mmtrack track, wasm EP, 1 thread; best of ${RUNS} runs; load average ${load}`);
for (const [i, r] of rows.entries()) {
  console.log(`| ${r.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`);
  if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
}

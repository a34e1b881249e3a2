// `mmtrack search-params CONFIG ...`: grid search of test-time tracker parameters on a folder of sequences, as
// MMTracking's tools/analysis/sot/sot_siamrpn_param_search.py and tools/analysis/mot/mot_param_search.py. The
// config's model.type picks the task family (`families`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigDict } from '../../core/config/config-value.ts';
import { parseSotBoxes } from '../../core/datasets/sot.ts';
import { evalOpeSequence, Ope, type OpeResult } from '../../core/eval/sot-ope.ts';
import { SOT_MODEL_TYPES, type SotModelSettings, sotModelSettings } from '../../core/models/sot/sot-models.ts';
import type { XywhBox } from '../../core/models/sot/sot-tracker.ts';
import { MOT_MODEL_TRACKERS } from '../../core/models/mot/build-mot-tracker.ts';
import { MAX_SEARCH_COMBINATIONS } from '../../core/models/mot/mot-param-search.ts';
import { type ArgsSpec, CFG_OPTIONS_FLAG, MODEL_DIR_FLAG, type ParsedArgs, requiredFlag, optionalFlag, switchFlag } from '../args.ts';
import { type CliIo, type Command, UserError } from '../command.ts';
import { configFamilyCommand } from '../config-family.ts';
import { type FrameStream, openFrames } from '../../media/ffmpeg-frame-reader.node.ts';
import { DEFAULT_MODEL_DIR } from '../model-dir.ts';
import { runMotParamSearchCli } from './search-params-mot.ts';
import { loadSotForCli, runSotSequence } from './track-sot.ts';
import { jsonText } from '../json-output.ts';

const rangeFlag = (what: string, deprecated?: readonly string[]) =>
  optionalFlag('START,STOP,STEP', `SOT: ${what} values: numpy round(arange(START, STOP, STEP), 2), e.g. 0.01,0.22,0.05 → 0.01 0.06 0.11 0.16 0.21; left out: the config's value only`, deprecated);

export const searchParamsSpec = {
  positionals: [{ name: 'CONFIG', help: 'a SOT config with test_cfg.rpn (SiamRPN, NanoTrack) or a MOT config' }],
  flags: {
    gt: requiredFlag('GT', 'SOT: GT_ROOT/SEQ/groundtruth.txt with the frames as GT_ROOT/SEQ/img/ or a video in GT_ROOT/SEQ/; MOT: a TrackEval folder (GT/BENCH-SPLIT/SEQ/gt/gt.txt, seqinfo.ini, GT/seqmaps/BENCH-SPLIT.txt) or one sequence folder'),
    dets: optionalFlag('DETS', "MOT (required): detections cached by 'mmtrack detect': one .json for one sequence, or a folder with SEQ.json for each"),
    'penalty-k-range': rangeFlag('model.test_cfg.rpn.penalty_k'),
    'lr-range': rangeFlag('model.test_cfg.rpn.lr'),
    'win-infu-range': rangeFlag('model.test_cfg.rpn.window_influence', ['win-influ-range']),
    benchmark: optionalFlag('NAME', 'MOT: benchmark (default MOT17)'),
    split: optionalFlag('SPLIT', 'MOT: split (default train)'),
    'min-det-score': optionalFlag('T', 'MOT: drop detections below T before tracking (default 0)', ['score-thr']),
    json: switchFlag('print JSON ({"sequences", "results": [...], "best": ...}) instead of the table'),
    'model-dir': MODEL_DIR_FLAG,
    'cfg-options': CFG_OPTIONS_FLAG,
  },
} satisfies ArgsSpec;

export type SearchParamsFlags = ParsedArgs<typeof searchParamsSpec.flags>['flags'];

/** numpy `arange(start, stop, step)` for floats: `ceil((stop - start) / step)` values `start + i * step`. */
export function numpyArange(start: number, stop: number, step: number): number[] {
  const n = Math.ceil((stop - start) / step);
  return Array.from({ length: Math.max(0, n) }, (_, i) => start + i * step);
}

/** numpy `round(x, 2)`: round half to even at two decimals (`x * 100` rounded, divided back). */
function roundTwoDecimals(x: number): number {
  const y = x * 100;
  const r = Math.round(y);
  return (Math.abs(y % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r) / 100;
}

/** Values one range may have (the grid of the three ranges is bounded by MAX_SEARCH_COMBINATIONS as well). */
const MAX_RANGE_VALUES = 1000;

function parseRange(text: string, flag: string): number[] {
  const v = text.split(',').map(Number);
  if (v.length !== 3 || v.some((x) => !Number.isFinite(x))) throw new UserError(`${flag}: expected START,STOP,STEP (3 numbers), got '${text}'`);
  const [start, stop, step] = v as [number, number, number];
  if (step <= 0) throw new UserError(`${flag}: STEP must be > 0, got ${step}`);
  if (stop < start) throw new UserError(`${flag}: STOP must be >= START, got '${text}'`);
  const count = Math.ceil((stop - start) / step);
  if (count > MAX_RANGE_VALUES) throw new UserError(`${flag}: arange(${start}, ${stop}, ${step}) has ${count} values; at most ${MAX_RANGE_VALUES} (a larger STEP?)`);
  // sot_siamrpn_param_search.parse_range: np.round(np.arange(*param), decimals=2).
  const values = numpyArange(start, stop, step).map(roundTwoDecimals);
  if (values.length === 0) throw new UserError(`${flag}: arange(${start}, ${stop}, ${step}) is empty`);
  return values;
}

const IMAGE_EXT = /\.(jpe?g|png|bmp|webp|tiff?)$/i;
const VIDEO_EXT = /\.(mp4|m4v|mov|mkv|webm|avi)$/i;

interface SearchSequence {
  name: string;
  gt: Float64Array;
  frames: () => FrameStream;
  count: number;
}

/** GT_ROOT/SEQ folders with groundtruth.txt and frames (img/ or a video), frame counts reconciled with the gt. */
function readSequences(gtRoot: string, io: CliIo): SearchSequence[] {
  if (!existsSync(gtRoot) || !statSync(gtRoot).isDirectory()) throw new UserError(`--gt ${gtRoot}: no such folder`);
  const out: SearchSequence[] = [];
  for (const name of readdirSync(gtRoot).sort()) {
    const dir = join(gtRoot, name);
    const gtPath = join(dir, 'groundtruth.txt');
    if (!statSync(dir).isDirectory() || !existsSync(gtPath)) continue;
    const gt = parseSotBoxes(readFileSync(gtPath, 'utf8'), gtPath).value;
    if (gt.count === 0 || !Array.from(gt.xywh.subarray(0, 4)).every(Number.isFinite)) throw new UserError(`${gtPath}: line 1 is not a x,y,w,h box`);
    const imgDir = join(dir, 'img');
    const images = existsSync(imgDir) && statSync(imgDir).isDirectory() ? readdirSync(imgDir).filter((f) => IMAGE_EXT.test(f)).length : 0;
    const video = readdirSync(dir).find((f) => VIDEO_EXT.test(f));
    let source: string | undefined;
    // Prefer the source whose frame count matches the ground truth (a sequence may ship both, one truncated).
    if (images === gt.count) source = imgDir;
    else if (video) source = join(dir, video);
    else if (images > 0) source = imgDir;
    if (!source) throw new UserError(`${dir}: no frames (expected ${name}/img/ with images or a video file next to groundtruth.txt)`);
    const probe = openFrames(source);
    if (probe.frameCount && probe.frameCount !== gt.count) io.stderr(`warning: ${name}: ${probe.frameCount} frames in ${source}, ${gt.count} ground-truth rows; scoring the frames both have\n`);
    out.push({ name, gt: gt.xywh, frames: () => openFrames(source), count: gt.count });
  }
  if (out.length === 0) throw new UserError(`--gt ${gtRoot}: no sequence folder with groundtruth.txt (expected GT_ROOT/SEQ/groundtruth.txt)`);
  return out;
}

export interface ParamSearchRow {
  penalty_k: number;
  lr: number;
  win_infu: number;
  success: number;
  norm_precision: number;
  precision: number;
}

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;

async function runSotParamSearch(config: ConfigDict, flags: SearchParamsFlags, io: CliIo): Promise<number> {
  const range = (flag: 'penalty-k-range' | 'lr-range' | 'win-infu-range') => (flags[flag] === undefined ? null : parseRange(flags[flag], `--${flag}`));
  const a = { gt: flags.gt, penaltyK: range('penalty-k-range'), lr: range('lr-range'), winInfu: range('win-infu-range'), modelDir: flags['model-dir'] ?? DEFAULT_MODEL_DIR, json: flags.json };
  const settings = sotModelSettings(config);
  if (settings.type === 'SiamFC') throw new UserError(`search-params tunes test_cfg.rpn (penalty_k, lr, window_influence) of SiamRPN-style trackers; model.type SiamFC has no rpn section`);
  const sequences = readSequences(a.gt, io);
  const rpn = settings.test.rpn;
  const penaltyKs = a.penaltyK ?? [rpn.penaltyK];
  const lrs = a.lr ?? [rpn.lr];
  const winInfus = a.winInfu ?? [rpn.windowInfluence];
  const size = penaltyKs.length * lrs.length * winInfus.length;
  if (size > MAX_SEARCH_COMBINATIONS) throw new UserError(`the ranges make ${size} combinations (${penaltyKs.length} x ${lrs.length} x ${winInfus.length}); at most ${MAX_SEARCH_COMBINATIONS}`);
  const sot = await loadSotForCli(settings, a.modelDir);
  const ope = new Ope();
  const rows: ParamSearchRow[] = [];
  const total = penaltyKs.length * lrs.length * winInfus.length;
  const started = performance.now();
  try {
    for (const penaltyK of penaltyKs) {
      for (const lr of lrs) {
        for (const windowInfluence of winInfus) {
          const s: SotModelSettings = { ...settings, test: { ...settings.test, rpn: { penaltyK, lr, windowInfluence } } } as SotModelSettings;
          const perSeq: Record<string, OpeResult> = {};
          for (const seq of sequences) {
            const tracker = sot.withSettings(s);
            const results = await runSotSequence(tracker, seq.frames(), Array.from(seq.gt.subarray(0, 4)) as XywhBox);
            const n = Math.min(results.length, seq.count);
            perSeq[seq.name] = evalOpeSequence({ gt: seq.gt.subarray(0, n * 4), pred: results.slice(0, n).flatMap((r) => r.box) });
          }
          const m = ope.summary(ope.combineSequences(perSeq));
          rows.push({ penalty_k: round(penaltyK), lr: round(lr), win_infu: round(windowInfluence), success: m.success!, norm_precision: m.norm_precision!, precision: m.precision! });
          io.stderr(`\r${rows.length}/${total} combinations  ${((performance.now() - started) / 1000).toFixed(0)} s`);
        }
      }
    }
  } finally {
    io.stderr('\n');
    await sot.release();
  }
  // The reference starts from success 0 and keeps a combination only when strictly greater (rule 'greater').
  const best = rows.reduce<ParamSearchRow | null>((b, r) => (r.success > (b?.success ?? 0) ? r : b), null) ?? rows[0]!;
  if (a.json) io.stdout(jsonText({ sequences: sequences.map((s) => s.name), results: rows, best }, io, 'search results'));
  else {
    const header = ['penalty_k', 'lr', 'win_infu', 'success', 'norm_precision', 'precision'];
    const fmt = (r: ParamSearchRow) => [r.penalty_k, r.lr, r.win_infu].map((v) => v.toFixed(4)).concat([r.success, r.norm_precision, r.precision].map((v) => v.toFixed(3)));
    const widths = header.map((h) => Math.max(h.length, 8));
    const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
    io.stdout(`${[line(header), ...rows.map((r) => line(fmt(r)))].join('\n')}\n`);
    io.stdout(`best (success): penalty_k=${best.penalty_k} lr=${best.lr} win_infu=${best.win_infu}  success ${best.success.toFixed(3)}  norm_precision ${best.norm_precision.toFixed(3)}  precision ${best.precision.toFixed(3)}  (${sequences.length} sequence${sequences.length > 1 ? 's' : ''})\n`);
  }
  return 0;
}

export const searchParamsCommand: Command = configFamilyCommand({
  name: 'search-params',
  summary: "grid-search a tracker's test-time parameters on a folder of sequences (SOT and MOT param search)",
  description: `Searches test-time parameters of the config's tracker over a folder of sequences (MMTracking's
tools/analysis/sot/sot_siamrpn_param_search.py and tools/analysis/mot/mot_param_search.py); model.type picks which.
  SOT: every combination of the ranges tracks every sequence from its first ground-truth box and is scored with OPE
      (success, norm_precision, precision in percent, averaged over sequences). As the reference, the best is the
      first combination whose success is strictly greater than every earlier one's.
  MOT: any list in model.tracker is a search axis (in the config or --cfg-options "model.tracker.init_track_thr=[0.2,0.3]"),
      re-tracking the cached detections; metrics: the config's search_metrics (default MOTA IDF1 FN FP IDs MT ML HOTA).`,
  spec: searchParamsSpec,
  families: [
    { name: 'single object tracking', modelTypes: SOT_MODEL_TYPES, flags: ['gt', 'penalty-k-range', 'lr-range', 'win-infu-range', 'json', 'model-dir'], run: runSotParamSearch },
    { name: 'multiple object tracking', modelTypes: Object.keys(MOT_MODEL_TRACKERS), flags: ['gt', 'dets', 'benchmark', 'split', 'min-det-score', 'json'], run: runMotParamSearchCli },
  ],
});

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseCocoResults, parseCocoVid } from '../../core/datasets/coco-vid.ts';
import { type MotSequenceFiles, readMotChallengeFolder } from '../../core/datasets/mot-folder.ts';
import { type OpeSequenceFiles, readOpeFolder, readVotFolder } from '../../core/datasets/sot-folder.ts';
import { parseYtvis, parseYtvisResults } from '../../core/datasets/youtube-vis.ts';
import { evalCocoBbox } from '../../core/eval/coco-bbox.ts';
import { evalMot, motSummaryTable } from '../../core/eval/eval-mot.ts';
import { Ope, type OpeResult } from '../../core/eval/sot-ope.ts';
import { evalVotAccuracyRobustness, evalVotEao, VOT_INTERVALS } from '../../core/eval/sot-vot.ts';
import { evalYtvis } from '../../core/eval/ytvis-eval.ts';
import { type ArgsSpec, type FlagSpecs, type ParsedArgs, requiredFlag, optionalFlag, switchFlag } from '../args.ts';
import { type CliIo, type Command, UserError } from '../command.ts';
import { task, taskCommand } from '../task-command.ts';
import { sequenceFrameSize } from '../image-size.ts';
import { diskSource } from '../disk-source.ts';
import { printJson, reportWarnings } from '../json-output.ts';

const annAndResults = {
  ann: requiredFlag('ANN.json', 'the ground truth'),
  results: requiredFlag('RESULTS.json', 'the results'),
} as const satisfies FlagSpecs;

const motSpec = {
  positionals: [],
  flags: {
    gt: requiredFlag('GT_FOLDER', 'GT_FOLDER/BENCH-SPLIT/SEQ/gt/gt.txt, .../SEQ/seqinfo.ini, GT_FOLDER/seqmaps/BENCH-SPLIT.txt'),
    results: requiredFlag('RESULTS_FOLDER', 'RESULTS_FOLDER/SEQ.txt'),
    benchmark: optionalFlag('NAME', 'benchmark (default MOT17)'),
    split: optionalFlag('SPLIT', 'split (default train)'),
    'all-fields': switchFlag('every TrackEval scalar (DetRe, AssPr, MODA, IDTP, ...)'),
  },
} satisfies ArgsSpec;

const sotSpec = {
  positionals: [],
  flags: {
    gt: requiredFlag('GT_ROOT', 'GT_ROOT/SEQ/groundtruth.txt'),
    results: requiredFlag('RESULTS_FOLDER', 'RESULTS_FOLDER/SEQ.txt'),
    protocol: optionalFlag('ope|vot', 'default ope'),
    interval: optionalFlag('A,B', "vot: EAO interval (default VOT2018's 100,356)"),
    'frame-size': optionalFlag('W,H', "vot: bound overlaps by this frame size (default: each sequence's first image, SEQ/color/*.jpg)"),
  },
} satisfies ArgsSpec;

const vidSpec = { positionals: [], flags: annAndResults } satisfies ArgsSpec;
const visSpec = { positionals: [], flags: annAndResults } satisfies ArgsSpec;

function numberPair(text: string, name: string): [number, number] {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n))) throw new UserError(`${name} must be two numbers A,B (got '${text}')`);
  return parts as [number, number];
}

async function readFileText(p: string): Promise<string> {
  if (!existsSync(p)) throw new UserError(`${p}: no such file`);
  return diskSource.readText(p);
}

function folder(p: string, what: string): string {
  if (!existsSync(p)) throw new UserError(`${what} ${p}: no such folder`);
  if (!statSync(p).isDirectory()) throw new UserError(`${what} ${p}: is a file, expected a folder`);
  return p;
}

/** TrackEval's table of `eval mot` (and `test` on MOT): COMBINED_SEQ and each sequence. */
export function motTable(sequences: readonly MotSequenceFiles[], benchmark: string, allFields = false): Record<string, Record<string, number>> {
  const report = evalMot(
    sequences.map((s) => ({ name: s.name, gt: s.gt, tracker: s.tracker, seqLength: s.info.seqLength })),
    { benchmark },
  );
  return motSummaryTable(report, allFields);
}

/** MMTracking's OPE table of `eval sot` (and `test` on SOT): OVERALL and each sequence. */
export function opeTable(sequences: readonly OpeSequenceFiles[], gtRoot: string): Record<string, Record<string, number>> {
  const ope = new Ope();
  const perSeq: Record<string, OpeResult> = {};
  for (const s of sequences) perSeq[s.name] = ope.evalSequence({ gt: s.gt.xywh, pred: s.pred.xywh, ...(s.visible ? { visible: s.visible } : {}) });
  const out: Record<string, Record<string, number>> = { OVERALL: ope.summary(ope.combineSequences(perSeq)) };
  for (const [name, r] of Object.entries(perSeq)) {
    if (name === 'OVERALL') throw new UserError(`${path.join(gtRoot, name)}: a sequence may not be called OVERALL`);
    out[name] = ope.summary(r);
  }
  return out;
}

async function runMot({ flags }: ParsedArgs<typeof motSpec.flags>, io: CliIo): Promise<number> {
  const gt = folder(flags.gt, 'GT_FOLDER');
  const results = folder(flags.results, 'RESULTS_FOLDER');
  const benchmark = flags.benchmark ?? 'MOT17';
  // Both name a folder under GT_FOLDER (TrackEval's <BENCHMARK>-<split>): a path in them would leave it.
  for (const [flag, value] of [['--benchmark', benchmark], ['--split', flags.split ?? 'train']] as const) {
    if (!/^[\w.-]+$/.test(value) || value.startsWith('.')) throw new UserError(`${flag} must be a name such as MOT17 or train (letters, digits, '_', '-', '.'), got '${value}'`);
  }
  const { sequences, warnings } = await readMotChallengeFolder(diskSource, gt, results, { benchmark, split: flags.split ?? 'train' });
  reportWarnings(io, warnings);
  printJson(io, motTable(sequences, benchmark, flags['all-fields']));
  return 0;
}

async function runSot({ flags }: ParsedArgs<typeof sotSpec.flags>, io: CliIo): Promise<number> {
  const gt = folder(flags.gt, 'GT_ROOT');
  const results = folder(flags.results, 'RESULTS_FOLDER');
  const protocol = flags.protocol ?? 'ope';
  if (protocol === 'ope') {
    for (const f of ['interval', 'frame-size'] as const) if (flags[f] !== undefined) throw new UserError(`--${f} applies to --protocol vot only`);
    const { sequences, warnings } = await readOpeFolder(diskSource, gt, results);
    reportWarnings(io, warnings);
    printJson(io, opeTable(sequences, gt));
    return 0;
  }
  if (protocol !== 'vot') throw new UserError(`--protocol must be ope or vot (got '${protocol}')`);
  const interval = flags.interval !== undefined ? numberPair(flags.interval, '--interval') : VOT_INTERVALS.vot2018!;
  if (!(interval[0] >= 0 && interval[0] <= interval[1])) throw new UserError(`--interval ${flags.interval}: the start must be >= 0 and not after the end`);
  const fixedSize = flags['frame-size'] !== undefined ? numberPair(flags['frame-size'], '--frame-size') : undefined;
  if (fixedSize && !(fixedSize[0] > 0 && fixedSize[1] > 0)) throw new UserError(`--frame-size ${flags['frame-size']}: width and height must be > 0`);
  const { sequences, warnings } = await readVotFolder(diskSource, gt, results);
  reportWarnings(io, warnings);
  const data = [];
  for (const s of sequences) {
    const frameSize = fixedSize ?? (await sequenceFrameSize(path.join(gt, s.name)));
    if (!frameSize) io.stderr(`warning: ${path.join(gt, s.name)}: no image to read the frame size from and no --frame-size; overlaps are not bounded by the frame\n`);
    data.push({ name: s.name, gt: s.gt, pred: s.pred, ...(frameSize ? { frameSize } : {}) });
  }
  try {
    const { eao } = evalVotEao(data, interval);
    const { accuracy, robustness } = evalVotAccuracyRobustness(data);
    printJson(io, { eao, accuracy, robustness });
  } catch (err) {
    throw new UserError(err instanceof Error ? err.message : String(err));
  }
  return 0;
}

export const VID_KEYS = ['bbox_mAP', 'bbox_mAP_50', 'bbox_mAP_75', 'bbox_mAP_s', 'bbox_mAP_m', 'bbox_mAP_l'] as const;
export const VIS_KEYS = ['segm_mAP', 'segm_mAP_50', 'segm_mAP_75', 'segm_mAP_s', 'segm_mAP_m', 'segm_mAP_l', 'segm_AR@1', 'segm_AR@10'] as const;

async function runVid({ flags }: ParsedArgs<typeof annAndResults>, io: CliIo): Promise<number> {
  const annPath = flags.ann;
  const resPath = flags.results;
  const ann = parseCocoVid(await readFileText(annPath), annPath);
  const res = parseCocoResults(await readFileText(resPath), resPath);
  reportWarnings(io, [...ann.warnings, ...res.warnings]);
  const known = new Set(ann.value.images.map((im) => im.id));
  const unknown = res.value.filter((d) => !known.has(d.image_id));
  if (unknown.length) throw new UserError(`${resPath}: ${unknown.length} detections refer to images not in ${annPath} (first image_id ${unknown[0]!.image_id}); pycocotools rejects such results`);
  const { metrics } = evalCocoBbox(ann.value, res.value);
  printJson(io, Object.fromEntries(VID_KEYS.map((k) => [k, metrics[k]])));
  return 0;
}

async function runVis({ flags }: ParsedArgs<typeof annAndResults>, io: CliIo): Promise<number> {
  const annPath = flags.ann;
  const resPath = flags.results;
  const ann = parseYtvis(await readFileText(annPath), annPath);
  const res = parseYtvisResults(await readFileText(resPath), resPath, ann.value.videos);
  reportWarnings(io, [...ann.warnings, ...res.warnings]);
  const { metrics } = evalYtvis(ann.value, res.value);
  printJson(io, Object.fromEntries(VIS_KEYS.map((k) => [k, metrics[k]])));
  return 0;
}

export const evalCommand: Command = taskCommand({
  name: 'eval',
  summary: 'evaluate MOT / SOT / VID / VIS results (TrackEval, MMTracking, pycocotools metrics)',
  description: `Evaluates tracking / detection / segmentation results with the reference toolkits' metrics. Prints JSON on stdout;
skipped malformed rows are listed on stderr.`,
  tasks: [
    task({ name: 'mot', help: 'TrackEval MOTChallenge (HOTA, CLEAR, Identity; pedestrian, default preprocessing). Output: {COMBINED_SEQ: {...}, SEQ: {...}}, fractions.', spec: motSpec, run: runMot }),
    task({
      name: 'sot',
      help: `ope (default): MMTracking eval_sot_ope; per sequence and OVERALL: success, precision, norm_precision (percent);
LaSOT/GOT-10k visibility flags next to groundtruth.txt restrict the frames evaluated. vot: MMTracking eval_sot_vot:
eao, accuracy, robustness.`,
      spec: sotSpec,
      run: runSot,
    }),
    task({ name: 'vid', help: 'pycocotools COCOeval bbox: bbox_mAP, bbox_mAP_50, bbox_mAP_75, bbox_mAP_s/m/l (fractions, -1 = no gt).', spec: vidSpec, run: runVid }),
    task({ name: 'vis', help: 'MMTracking YTVISeval: segm_mAP, segm_mAP_50, segm_mAP_75, segm_mAP_s/m/l, segm_AR@1, segm_AR@10.', spec: visSpec, run: runVis }),
  ],
});

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCocoResults, parseCocoVid } from '../../core/datasets/coco-vid.ts';
import type { TextFileSource } from '../../core/datasets/file-source.ts';
import { DatasetError, formatIssue, type DatasetIssue } from '../../core/datasets/issues.ts';
import { readMotChallengeFolder } from '../../core/datasets/mot-folder.ts';
import { readOpeFolder, readVotFolder } from '../../core/datasets/sot-folder.ts';
import { parseYtvis, parseYtvisResults } from '../../core/datasets/youtube-vis.ts';
import { evalCocoBbox } from '../../core/eval/coco-bbox.ts';
import { evalMot, motSummaryTable } from '../../core/eval/eval-mot.ts';
import { MotDataError } from '../../core/eval/mot-preprocess.ts';
import { Ope, type OpeResult } from '../../core/eval/sot-ope.ts';
import { evalVotAccuracyRobustness, evalVotEao, VOT_INTERVALS } from '../../core/eval/sot-vot.ts';
import { evalYtvis } from '../../core/eval/ytvis-eval.ts';
import { type CliIo, type Command, UserError } from '../command.ts';
import { sequenceFrameSize } from '../image-size.ts';

const usage = `usage: mmtrack eval mot|sot|vid|vis [OPTIONS]

Evaluates tracking / detection / segmentation results with the reference toolkits' metrics. Prints JSON on stdout;
skipped malformed rows are listed on stderr.

  mmtrack eval mot --gt GT_FOLDER --results RESULTS_FOLDER [--benchmark MOT17] [--split train] [--all-fields]
      TrackEval MOTChallenge (HOTA, CLEAR, Identity; pedestrian, default preprocessing). Layout:
      GT_FOLDER/BENCH-SPLIT/SEQ/gt/gt.txt, GT_FOLDER/BENCH-SPLIT/SEQ/seqinfo.ini, GT_FOLDER/seqmaps/BENCH-SPLIT.txt,
      RESULTS_FOLDER/SEQ.txt. Output: {COMBINED_SEQ: {...}, SEQ: {...}}, fractions; --all-fields adds every
      TrackEval scalar (DetRe, AssPr, MODA, IDTP, ...).
  mmtrack eval sot --gt GT_ROOT --results RESULTS_FOLDER [--protocol ope|vot] [--interval A,B] [--frame-size W,H]
      GT_ROOT/SEQ/groundtruth.txt and RESULTS_FOLDER/SEQ.txt.
      ope (default): MMTracking eval_sot_ope; per sequence and OVERALL: success, precision, norm_precision
        (percent). LaSOT/GOT-10k visibility flags next to groundtruth.txt restrict the frames evaluated.
      vot: MMTracking eval_sot_vot: eao, accuracy, robustness. --interval defaults to VOT2018's 100,356;
        overlaps are bounded by --frame-size, else by each sequence's first image (SEQ/color/*.jpg).
  mmtrack eval vid --ann ANN.json --results RESULTS.json
      pycocotools COCOeval bbox: bbox_mAP, bbox_mAP_50, bbox_mAP_75, bbox_mAP_s/m/l (fractions, -1 = no gt).
  mmtrack eval vis --ann ANN.json --results RESULTS.json
      MMTracking YTVISeval: segm_mAP, segm_mAP_50, segm_mAP_75, segm_mAP_s/m/l, segm_AR@1, segm_AR@10.
`;

interface Flags {
  values: Map<string, string>;
  switches: Set<string>;
}

function parseFlags(args: string[], valued: string[], switches: string[]): Flags {
  const values = new Map<string, string>();
  const on = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (valued.includes(name)) {
      const v = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : args[++i];
      if (v === undefined || v === '') throw new UserError(`${name} needs a value\n\n${usage}`);
      values.set(name, v);
    } else if (switches.includes(arg)) {
      on.add(arg);
    } else {
      throw new UserError(`unknown argument '${arg}'\n\n${usage}`);
    }
  }
  return { values, switches: on };
}

function required(flags: Flags, name: string): string {
  const v = flags.values.get(name);
  if (v === undefined) throw new UserError(`missing ${name}\n\n${usage}`);
  return v;
}

function numberPair(text: string, name: string): [number, number] {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n))) throw new UserError(`${name} must be two numbers A,B (got '${text}')`);
  return parts as [number, number];
}

/** The evaluators' file access on the local disk. */
const diskSource: TextFileSource = {
  async readText(p) {
    try {
      return await readFile(p, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new DatasetError({ file: p, message: code === 'EISDIR' ? 'is a folder, not a file' : code === 'ENOENT' ? 'no such file' : String(err) });
    }
  },
  exists: (p) => Promise.resolve(existsSync(p)),
  list: async (dir) => (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name),
};

async function readFileText(p: string): Promise<string> {
  if (!existsSync(p)) throw new UserError(`${p}: no such file`);
  return diskSource.readText(p);
}

function folder(p: string, what: string): string {
  if (!existsSync(p)) throw new UserError(`${what} ${p}: no such folder`);
  return p;
}

function reportWarnings(io: CliIo, warnings: readonly DatasetIssue[]): void {
  for (const w of warnings) io.stderr(`warning: ${formatIssue(w)} (row skipped)\n`);
}

/** JSON with sorted keys and one-space indent, the layout of the reference `expected.json` files. */
function printJson(io: CliIo, value: Record<string, unknown>): void {
  const sort = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  io.stdout(`${JSON.stringify(sort(value), null, 1)}\n`);
}

async function runMot(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args, ['--gt', '--results', '--benchmark', '--split'], ['--all-fields']);
  const gt = folder(required(flags, '--gt'), 'GT_FOLDER');
  const results = folder(required(flags, '--results'), 'RESULTS_FOLDER');
  const benchmark = flags.values.get('--benchmark') ?? 'MOT17';
  const { sequences, warnings } = await readMotChallengeFolder(diskSource, gt, results, { benchmark, split: flags.values.get('--split') ?? 'train' });
  reportWarnings(io, warnings);
  const report = evalMot(
    sequences.map((s) => ({ name: s.name, gt: s.gt, tracker: s.tracker, seqLength: s.info.seqLength })),
    { benchmark },
  );
  printJson(io, motSummaryTable(report, flags.switches.has('--all-fields')));
  return 0;
}

async function runSot(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args, ['--gt', '--results', '--protocol', '--interval', '--frame-size'], []);
  const gt = folder(required(flags, '--gt'), 'GT_ROOT');
  const results = folder(required(flags, '--results'), 'RESULTS_FOLDER');
  const protocol = flags.values.get('--protocol') ?? 'ope';
  if (protocol === 'ope') {
    for (const f of ['--interval', '--frame-size']) if (flags.values.has(f)) throw new UserError(`${f} applies to --protocol vot only`);
    const { sequences, warnings } = await readOpeFolder(diskSource, gt, results);
    reportWarnings(io, warnings);
    const ope = new Ope();
    const perSeq: Record<string, OpeResult> = {};
    for (const s of sequences) perSeq[s.name] = ope.evalSequence({ gt: s.gt.xywh, pred: s.pred.xywh, ...(s.visible ? { visible: s.visible } : {}) });
    const out: Record<string, Record<string, number>> = { OVERALL: ope.summary(ope.combineSequences(perSeq)) };
    for (const [name, r] of Object.entries(perSeq)) {
      if (name === 'OVERALL') throw new UserError(`${path.join(gt, name)}: a sequence may not be called OVERALL`);
      out[name] = ope.summary(r);
    }
    printJson(io, out);
    return 0;
  }
  if (protocol !== 'vot') throw new UserError(`--protocol must be ope or vot (got '${protocol}')`);
  const interval = flags.values.has('--interval') ? numberPair(flags.values.get('--interval')!, '--interval') : VOT_INTERVALS.vot2018!;
  const fixedSize = flags.values.has('--frame-size') ? numberPair(flags.values.get('--frame-size')!, '--frame-size') : undefined;
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

const VID_KEYS = ['bbox_mAP', 'bbox_mAP_50', 'bbox_mAP_75', 'bbox_mAP_s', 'bbox_mAP_m', 'bbox_mAP_l'] as const;
const VIS_KEYS = ['segm_mAP', 'segm_mAP_50', 'segm_mAP_75', 'segm_mAP_s', 'segm_mAP_m', 'segm_mAP_l', 'segm_AR@1', 'segm_AR@10'] as const;

async function runVid(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args, ['--ann', '--results'], []);
  const annPath = required(flags, '--ann');
  const resPath = required(flags, '--results');
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

async function runVis(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args, ['--ann', '--results'], []);
  const annPath = required(flags, '--ann');
  const resPath = required(flags, '--results');
  const ann = parseYtvis(await readFileText(annPath), annPath);
  const res = parseYtvisResults(await readFileText(resPath), resPath, ann.value.videos);
  reportWarnings(io, [...ann.warnings, ...res.warnings]);
  const { metrics } = evalYtvis(ann.value, res.value);
  printJson(io, Object.fromEntries(VIS_KEYS.map((k) => [k, metrics[k]])));
  return 0;
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate MOT / SOT / VID / VIS results (TrackEval, MMTracking, pycocotools metrics)',
  usage,
  async run(args, io) {
    const [task, ...rest] = args;
    const runners: Record<string, (a: string[], io: CliIo) => Promise<number>> = { mot: runMot, sot: runSot, vid: runVid, vis: runVis };
    const runner = task === undefined ? undefined : runners[task];
    if (!runner) throw new UserError(`${task === undefined ? 'missing task' : `unknown task '${task}'`}: use mot, sot, vid or vis\n\n${usage}`);
    try {
      return await runner(rest, io);
    } catch (err) {
      if (err instanceof DatasetError || err instanceof MotDataError) throw new UserError(err.message);
      throw err;
    }
  },
};

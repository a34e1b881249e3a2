import { parseCocoResults, parseCocoVid } from '../datasets/coco-vid.ts';
import { DatasetError, formatIssue, type DatasetIssue } from '../datasets/issues.ts';
import { parseMotGt, parseMotTracker, parseSeqInfo } from '../datasets/mot-challenge.ts';
import { parseFrameFlags, parseSotBoxes, parseVotRegions, sotVisibility, type SotFlags } from '../datasets/sot.ts';
import { isObject, parseJsonText } from '../datasets/json-input.ts';
import { parseYtvis, parseYtvisResults } from '../datasets/youtube-vis.ts';
import { evalCocoBbox } from './coco-bbox.ts';
import { precisionCurve, type CocoAccumulated } from './coco-eval.ts';
import { motSummaryRow } from './eval-mot.ts';
import { preprocessMotSequence } from './mot-preprocess.ts';
import { Clear } from './clear.ts';
import { Hota } from './hota.ts';
import { Identity } from './identity.ts';
import { Ope, OPE_IOU_THRESHOLDS, OPE_PIXEL_THRESHOLDS, type OpeResult } from './sot-ope.ts';
import { evalVotAccuracyRobustness, evalVotEao, VOT_INTERVALS, type VotSequenceData } from './sot-vot.ts';
import { evalYtvis } from './ytvis-eval.ts';

/**
 * One evaluation as the app runs it (in the eval worker): the dropped ground truth and results as path → text,
 * the task detected from what was dropped, and a table-and-plots report. Folder layouts are recognised loosely
 * (a TrackEval tree, a benchmark split folder, one sequence folder, or single files) since users drop what they
 * have.
 */
export type EvalTask = 'mot' | 'sot' | 'vot' | 'vid' | 'vis';

export interface EvalJobInput {
  /** Task, or undefined to detect it from the files. */
  task?: EvalTask;
  /** Ground-truth files, relative path → text. */
  gt: Record<string, string>;
  /** Result files, relative path → text. */
  results: Record<string, string>;
  options?: { benchmark?: string; interval?: [number, number]; frameSize?: [number, number] };
}

/** A curve for a plot: shared x, one y per series. */
export interface EvalCurve {
  title: string;
  xLabel: string;
  yLabel: string;
  x: number[];
  series: { name: string; y: number[] }[];
}

export interface EvalReport {
  task: EvalTask;
  /** Metric columns in display order; `percent` columns are already ×100. */
  columns: { key: string; label: string; percent?: boolean; count?: boolean }[];
  /** Per sequence / video, worst first by `sortKey`. */
  rows: { name: string; values: Record<string, number> }[];
  overall: Record<string, number>;
  sortKey: string;
  curves: EvalCurve[];
  warnings: string[];
}

export interface EvalRunHooks {
  onProgress?: (fraction: number, stage: string) => void;
  /** Checked between steps; when true the run stops with {@link EvalCancelled}. */
  isCancelled?: () => boolean;
}

export class EvalCancelled extends Error {
  override name = 'EvalCancelled';
}

const basename = (p: string): string => p.split('/').pop() ?? p;
const dirname = (p: string): string => p.split('/').slice(0, -1).join('/');
const stem = (p: string): string => basename(p).replace(/\.[^.]+$/, '');

/** Lets messages (cancel) in between steps of a long run. */
const timers = globalThis as unknown as { setTimeout(fn: () => void, ms: number): unknown };
const yieldToEvents = (): Promise<void> => new Promise((resolve) => timers.setTimeout(resolve, 0));

async function step(hooks: EvalRunHooks, fraction: number, stage: string): Promise<void> {
  hooks.onProgress?.(fraction, stage);
  await yieldToEvents();
  if (hooks.isCancelled?.()) throw new EvalCancelled('evaluation cancelled');
}

/** Guesses the task from the dropped files. */
export function detectTask(input: EvalJobInput): EvalTask {
  const gtPaths = Object.keys(input.gt);
  if (gtPaths.some((p) => /(^|\/)gt\/gt\.txt$/.test(p) || basename(p) === 'gt.txt')) return 'mot';
  const gtJson = gtPaths.find((p) => p.endsWith('.json'));
  if (gtJson) {
    const root = parseJsonText(input.gt[gtJson]!, gtJson);
    const anns = isObject(root) && Array.isArray(root.annotations) ? root.annotations : [];
    const first: unknown = anns[0];
    if (isObject(first) && 'segmentations' in first) return 'vis';
    if (isObject(root) && Array.isArray(root.videos) && !Array.isArray(root.images)) return 'vis';
    return 'vid';
  }
  if (gtPaths.some((p) => /groundtruth(_rect)?\.txt$/.test(basename(p)))) {
    // VOT results carry the 1/2/0 codes; VOT gt carries 8-number polygons.
    const resText = Object.values(input.results)[0] ?? '';
    const firstLine = resText.split('\n')[0]?.trim() ?? '';
    return firstLine === '1' ? 'vot' : 'sot';
  }
  throw new DatasetError({ file: gtPaths[0] ?? '(ground truth)', message: 'cannot tell the task: expected gt/gt.txt (MOT), groundtruth.txt (SOT/VOT) or an annotation .json (VID/VIS)' });
}

/** The result file for a sequence: `SEQ.txt` anywhere in the results, or the only result file. */
function resultFor(seq: string, results: Record<string, string>, count: number): string | undefined {
  const paths = Object.keys(results).filter((p) => p.endsWith('.txt'));
  const exact = paths.find((p) => stem(p) === seq) ?? paths.find((p) => basename(dirname(p)) === seq);
  if (exact) return exact;
  return count === 1 && paths.length === 1 ? paths[0] : undefined;
}

function worstFirst(rows: EvalReport['rows'], key: string): EvalReport['rows'] {
  return [...rows].sort((a, b) => (a.values[key] ?? Infinity) - (b.values[key] ?? Infinity) || a.name.localeCompare(b.name));
}

async function runMotJob(input: EvalJobInput, hooks: EvalRunHooks, warnings: DatasetIssue[]): Promise<EvalReport> {
  const gtPaths = Object.keys(input.gt).filter((p) => basename(p) === 'gt.txt');
  const benchmark = input.options?.benchmark ?? 'MOT17';
  const seqs: { name: string; gtPath: string }[] = gtPaths.map((p) => {
    const dir = dirname(p);
    // SEQ/gt/gt.txt → SEQ; a bare gt.txt → its folder or "sequence".
    const name = basename(dir) === 'gt' ? basename(dirname(dir)) : basename(dir);
    return { name: name || 'sequence', gtPath: p };
  });
  const inputs = [];
  for (const { name, gtPath } of seqs.sort((a, b) => a.name.localeCompare(b.name))) {
    const seqDir = basename(dirname(gtPath)) === 'gt' ? dirname(dirname(gtPath)) : dirname(gtPath);
    const infoPath = Object.keys(input.gt).find((p) => p === (seqDir ? `${seqDir}/seqinfo.ini` : 'seqinfo.ini'));
    const resPath = resultFor(name, input.results, seqs.length);
    if (!resPath) throw new DatasetError({ file: `${name}.txt`, message: `no results for sequence ${name} (drop a results folder with ${name}.txt)` });
    const info = infoPath ? parseSeqInfo(input.gt[infoPath]!, infoPath) : undefined;
    const gt = parseMotGt(input.gt[gtPath]!, gtPath, { seqLength: info?.seqLength, format: benchmark === 'MOT15' ? 'mot15' : undefined });
    const tr = parseMotTracker(input.results[resPath]!, resPath, { seqLength: info?.seqLength });
    warnings.push(...gt.warnings, ...tr.warnings);
    let seqLength = info?.seqLength;
    if (seqLength === undefined) {
      seqLength = Math.max(0, ...gt.value.frame, ...tr.value.frame);
      warnings.push({ file: gtPath, message: `no seqinfo.ini next to it; sequence length taken as the last annotated frame (${seqLength})`, kept: true });
    }
    inputs.push({ name, gt: gt.value, tracker: tr.value, seqLength });
  }
  if (inputs.length === 0) throw new DatasetError({ file: '(ground truth)', message: 'no gt/gt.txt found' });
  // Sequence by sequence so progress and cancel work; then TrackEval's combination.
  const hota = new Hota();
  const clear = new Clear();
  const identity = new Identity();
  const rows: EvalReport['rows'] = [];
  const perMetrics: Record<string, { hota: ReturnType<Hota['evalSequence']>; clear: ReturnType<Clear['evalSequence']>; identity: ReturnType<Identity['evalSequence']> }> = {};
  for (let k = 0; k < inputs.length; k++) {
    const s = inputs[k]!;
    await step(hooks, k / inputs.length, `sequence ${s.name}`);
    const data = preprocessMotSequence(s.name, s.gt, s.tracker, s.seqLength, { benchmark });
    perMetrics[s.name] = { hota: hota.evalSequence(data), clear: clear.evalSequence(data), identity: identity.evalSequence(data) };
    rows.push({ name: s.name, values: motSummaryRow(perMetrics[s.name]!) });
  }
  const pick = <K extends 'hota' | 'clear' | 'identity'>(key: K) => Object.fromEntries(Object.entries(perMetrics).map(([n, m]) => [n, m[key]])) as Record<string, (typeof perMetrics)[string][K]>;
  const overall = motSummaryRow({ hota: hota.combineSequences(pick('hota')), clear: clear.combineSequences(pick('clear')), identity: identity.combineSequences(pick('identity')) });
  const frac = (key: string, label = key) => ({ key, label, percent: false });
  const count = (key: string) => ({ key, label: key, count: true });
  return {
    task: 'mot',
    columns: [frac('HOTA'), frac('DetA'), frac('AssA'), frac('LocA'), frac('MOTA'), frac('MOTP'), frac('IDF1'), frac('IDP'), frac('IDR'), count('IDSW'), count('Frag'), count('MT'), count('PT'), count('ML'), count('FP'), count('FN'), count('TP')],
    rows: worstFirst(rows, 'HOTA'),
    overall,
    sortKey: 'HOTA',
    curves: [],
    warnings: [],
  };
}

async function runSotJob(input: EvalJobInput, hooks: EvalRunHooks, warnings: DatasetIssue[]): Promise<EvalReport> {
  const gtPaths = Object.keys(input.gt).filter((p) => /^groundtruth(_rect)?\.txt$/.test(basename(p)));
  const ope = new Ope();
  const perSeq: Record<string, OpeResult> = {};
  const names = gtPaths.map((p) => basename(dirname(p)) || stem(p)).sort();
  for (let k = 0; k < gtPaths.length; k++) {
    const gtPath = gtPaths.find((p) => (basename(dirname(p)) || stem(p)) === names[k])!;
    const name = names[k]!;
    await step(hooks, k / gtPaths.length, `sequence ${name}`);
    const resPath = resultFor(name, input.results, gtPaths.length);
    if (!resPath) throw new DatasetError({ file: `${name}.txt`, message: `no results for sequence ${name} (drop a results folder with ${name}.txt)` });
    const gt = parseSotBoxes(input.gt[gtPath]!, gtPath);
    const pred = parseSotBoxes(input.results[resPath]!, resPath);
    warnings.push(...gt.warnings, ...pred.warnings);
    if (gt.value.count !== pred.value.count) throw new DatasetError({ file: resPath, message: `${pred.value.count} result lines for ${gt.value.count} ground-truth frames in ${gtPath}` });
    const dir = dirname(gtPath);
    const flags: SotFlags = {};
    let any = false;
    for (const [key, file] of [
      ['fullOcclusion', 'full_occlusion.txt'],
      ['outOfView', 'out_of_view.txt'],
      ['absence', 'absence.label'],
    ] as const) {
      const p = dir ? `${dir}/${file}` : file;
      if (input.gt[p] !== undefined) {
        flags[key] = parseFrameFlags(input.gt[p], p);
        any = true;
      }
    }
    let visible: Uint8Array | undefined;
    if (any) {
      visible = sotVisibility(flags, gt.value.count);
      for (let i = 0; i < gt.value.count; i++) if (!(Math.fround(gt.value.xywh[i * 4 + 2]!) > 0 && Math.fround(gt.value.xywh[i * 4 + 3]!) > 0)) visible[i] = 0;
    }
    perSeq[name] = ope.evalSequence({ gt: gt.value.xywh, pred: pred.value.xywh, ...(visible ? { visible } : {}) });
  }
  if (names.length === 0) throw new DatasetError({ file: '(ground truth)', message: 'no groundtruth.txt found' });
  const combined = ope.combineSequences(perSeq);
  const rows = Object.entries(perSeq).map(([name, r]) => ({ name, values: ope.summary(r) }));
  const sorted = worstFirst(rows, 'success');
  // Overall curve first, then up to 8 worst sequences.
  const curveSeries = (pick: (r: OpeResult) => Float64Array, scale: number) => [
    { name: 'OVERALL', y: Array.from(pick(combined), (v) => v * scale) },
    ...sorted.slice(0, 8).map((r) => ({ name: r.name, y: Array.from(pick(perSeq[r.name]!), (v) => v * scale) })),
  ];
  const pct = (key: string, label: string) => ({ key, label, percent: true });
  return {
    task: 'sot',
    columns: [pct('success', 'Success (AUC)'), pct('precision', 'Precision @20px'), pct('norm_precision', 'Norm. precision @0.2')],
    rows: sorted,
    overall: ope.summary(combined),
    sortKey: 'success',
    curves: [
      { title: 'Success plot', xLabel: 'overlap threshold', yLabel: 'success rate (%)', x: Array.from(OPE_IOU_THRESHOLDS), series: curveSeries((r) => r.success, 100) },
      { title: 'Precision plot', xLabel: 'location error threshold (px)', yLabel: 'precision (%)', x: Array.from(OPE_PIXEL_THRESHOLDS), series: curveSeries((r) => r.precision, 100) },
    ],
    warnings: [],
  };
}

async function runVotJob(input: EvalJobInput, hooks: EvalRunHooks, warnings: DatasetIssue[]): Promise<EvalReport> {
  const gtPaths = Object.keys(input.gt).filter((p) => /^groundtruth(_rect)?\.txt$/.test(basename(p)));
  const data: VotSequenceData[] = [];
  for (let k = 0; k < gtPaths.length; k++) {
    const gtPath = gtPaths[k]!;
    const name = basename(dirname(gtPath)) || stem(gtPath);
    await step(hooks, (k / gtPaths.length) * 0.5, `reading ${name}`);
    const resPath = resultFor(name, input.results, gtPaths.length);
    if (!resPath) throw new DatasetError({ file: `${name}.txt`, message: `no results for sequence ${name}` });
    const gt = parseVotRegions(input.gt[gtPath]!, gtPath);
    const pred = parseVotRegions(input.results[resPath]!, resPath);
    warnings.push(...gt.warnings, ...pred.warnings);
    data.push({ name, gt: gt.value, pred: pred.value, ...(input.options?.frameSize ? { frameSize: input.options.frameSize } : {}) });
  }
  await step(hooks, 0.5, 'EAO');
  const interval = input.options?.interval ?? VOT_INTERVALS.vot2018!;
  const eao = evalVotEao(data, interval);
  const ar = evalVotAccuracyRobustness(data);
  const rows = data.map((d) => {
    const one = evalVotAccuracyRobustness([d]);
    return { name: d.name ?? '', values: { accuracy: one.accuracy, robustness: one.robustness, num_fails: one.num_fails } };
  });
  return {
    task: 'vot',
    columns: [
      { key: 'eao', label: 'EAO' },
      { key: 'accuracy', label: 'Accuracy' },
      { key: 'robustness', label: 'Robustness' },
      { key: 'num_fails', label: 'Failures', count: true },
    ],
    rows: worstFirst(rows, 'accuracy'),
    overall: { eao: eao.eao, accuracy: ar.accuracy, robustness: ar.robustness, num_fails: ar.num_fails },
    sortKey: 'accuracy',
    curves: [{ title: 'EAO curve', xLabel: 'sequence length (frames)', yLabel: 'expected average overlap', x: Array.from(eao.curve, (_, i) => i), series: [{ name: 'EAO', y: Array.from(eao.curve) }] }],
    warnings: [],
  };
}

function prCurves(acc: CocoAccumulated, names: Map<number, string>): EvalCurve[] {
  const x = Array.from(acc.params.recThrs);
  const series: { name: string; y: number[] }[] = [];
  acc.params.catIds.forEach((cat, k) => {
    const y = Array.from(precisionCurve(acc, k, 0));
    if (y.some((v) => v > -1)) series.push({ name: names.get(cat) ?? String(cat), y: y.map((v) => Math.max(0, v)) });
  });
  return [{ title: 'Precision–recall per class (IoU 0.5)', xLabel: 'recall', yLabel: 'precision', x, series }];
}

const singleJson = (files: Record<string, string>, what: string): [string, string] => {
  const p = Object.keys(files).find((f) => f.endsWith('.json'));
  if (!p) throw new DatasetError({ file: `(${what})`, message: `no .json file among the dropped ${what}` });
  return [p, files[p]!];
};

async function runVidJob(input: EvalJobInput, hooks: EvalRunHooks, warnings: DatasetIssue[]): Promise<EvalReport> {
  const [annPath, annText] = singleJson(input.gt, 'ground truth');
  const [resPath, resText] = singleJson(input.results, 'results');
  const ann = parseCocoVid(annText, annPath);
  const res = parseCocoResults(resText, resPath);
  warnings.push(...ann.warnings, ...res.warnings);
  await step(hooks, 0.1, 'all images');
  const all = evalCocoBbox(ann.value, res.value);
  const keys = ['bbox_mAP', 'bbox_mAP_50', 'bbox_mAP_75', 'bbox_mAP_s', 'bbox_mAP_m', 'bbox_mAP_l'] as const;
  const rows: EvalReport['rows'] = [];
  const videos = ann.value.videos.length ? ann.value.videos : [];
  for (let k = 0; k < videos.length; k++) {
    const v = videos[k]!;
    await step(hooks, 0.1 + (0.9 * k) / videos.length, `video ${v.name ?? v.id}`);
    const imageIds = ann.value.images.filter((im) => im.video_id === v.id).map((im) => im.id);
    const m = evalCocoBbox(ann.value, res.value, { imageIds }).metrics;
    rows.push({ name: v.name ?? String(v.id), values: Object.fromEntries(keys.map((key) => [key, m[key]])) });
  }
  return {
    task: 'vid',
    columns: keys.map((key) => ({ key, label: key.replace('bbox_', '') })),
    rows: worstFirst(rows, 'bbox_mAP_50'),
    overall: Object.fromEntries(keys.map((key) => [key, all.metrics[key]])),
    sortKey: 'bbox_mAP_50',
    curves: prCurves(all.accumulated, new Map(ann.value.categories.map((c) => [c.id, c.name]))),
    warnings: [],
  };
}

async function runVisJob(input: EvalJobInput, hooks: EvalRunHooks, warnings: DatasetIssue[]): Promise<EvalReport> {
  const [annPath, annText] = singleJson(input.gt, 'ground truth');
  const [resPath, resText] = singleJson(input.results, 'results');
  const ann = parseYtvis(annText, annPath);
  const res = parseYtvisResults(resText, resPath, ann.value.videos);
  warnings.push(...ann.warnings, ...res.warnings);
  await step(hooks, 0.1, 'all videos');
  const all = evalYtvis(ann.value, res.value);
  const keys = ['segm_mAP', 'segm_mAP_50', 'segm_mAP_75', 'segm_mAP_s', 'segm_mAP_m', 'segm_mAP_l', 'segm_AR@1', 'segm_AR@10'] as const;
  const rows: EvalReport['rows'] = [];
  for (let k = 0; k < ann.value.videos.length; k++) {
    const v = ann.value.videos[k]!;
    await step(hooks, 0.1 + (0.9 * k) / ann.value.videos.length, `video ${v.id}`);
    const m = evalYtvis(ann.value, res.value, { videoIds: [v.id] }).metrics;
    const name = v.file_names?.[0]?.split('/')[0] ?? String(v.id);
    rows.push({ name, values: Object.fromEntries(keys.map((key) => [key, m[key]])) });
  }
  return {
    task: 'vis',
    columns: keys.map((key) => ({ key, label: key.replace('segm_', '') })),
    rows: worstFirst(rows, 'segm_mAP'),
    overall: Object.fromEntries(keys.map((key) => [key, all.metrics[key]])),
    sortKey: 'segm_mAP',
    curves: prCurves(all.accumulated, new Map(ann.value.categories.map((c) => [c.id, c.name]))),
    warnings: [],
  };
}

/**
 * Runs one evaluation. Throws DatasetError / MotDataError for unusable input, EvalCancelled when cancelled.
 */
export async function runEvalJob(input: EvalJobInput, hooks: EvalRunHooks = {}): Promise<EvalReport> {
  const task = input.task ?? detectTask(input);
  const warnings: DatasetIssue[] = [];
  const run = { mot: runMotJob, sot: runSotJob, vot: runVotJob, vid: runVidJob, vis: runVisJob }[task];
  const report = await run(input, hooks, warnings);
  hooks.onProgress?.(1, 'done');
  report.warnings = warnings.map(formatIssue);
  return report;
}

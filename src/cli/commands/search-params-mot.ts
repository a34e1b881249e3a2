// `mmtrack search-params MOT_CONFIG --dets DETS --gt GT ...`: MMTracking's tools/analysis/mot/mot_param_search.py on
// detections cached by `mmtrack detect` (the detector does not run again for each combination).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ConfigDict, ConfigValue } from '../../core/config/config-value.ts';
import { cocoResultsPerFrame } from '../../core/datasets/coco-results-frames.ts';
import { parseCocoResults } from '../../core/datasets/coco-vid.ts';
import { formatIssue } from '../../core/datasets/issues.ts';
import { parseMotGt, parseSeqInfo, parseSeqmap } from '../../core/datasets/mot-challenge.ts';
import { COCO_CLASSES, cocoLabelOfCategoryId } from '../../core/models/det/coco-classes.ts';
import { bestRowIndex, type MotSearchResult, type MotSearchSequence, runMotParamSearch, searchMetricsOf } from '../../core/models/mot/mot-param-search.ts';
import { numberFlag } from '../args.ts';
import { type CliIo, UserError } from '../command.ts';
import type { SearchParamsFlags } from './search-params.ts';
import { motDetectorClassNames } from '../mot-detector.ts';
import { jsonText } from '../json-output.ts';

export interface MotSearchArgs {
  dets: string;
  gt: string;
  benchmark: string;
  split: string;
  scoreThr: number;
  json: boolean;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** Sequence folders of the ground truth: one sequence folder, or the seqmap / folders of a TrackEval layout. */
function gtSequenceDirs(gt: string, benchSplit: string): string[] {
  if (!isDir(gt)) throw new UserError(`--gt ${gt}: no such folder`);
  if (existsSync(join(gt, 'gt', 'gt.txt'))) return [gt];
  const seqmap = join(gt, 'seqmaps', `${benchSplit}.txt`);
  const root = join(gt, benchSplit);
  if (existsSync(seqmap)) return parseSeqmap(readFileSync(seqmap, 'utf8'), seqmap).map((name) => join(root, name));
  if (isDir(root)) return readdirSync(root).sort().map((name) => join(root, name)).filter(isDir);
  throw new UserError(`--gt ${gt}: expected SEQ/gt/gt.txt, or a TrackEval folder with seqmaps/${benchSplit}.txt or ${benchSplit}/SEQ/`);
}

/** The config's detector classes and how a `category_id` of `mmtrack detect` maps back to its labels. */
export function detectorClasses(config: ConfigDict): { classNames: readonly string[]; labelOf: (id: number) => number | undefined } {
  const classNames = motDetectorClassNames(config);
  const coco = classNames.length === COCO_CLASSES.length && classNames.every((n, i) => n === COCO_CLASSES[i]);
  if (coco) return { classNames, labelOf: cocoLabelOfCategoryId };
  return { classNames, labelOf: (id) => (id >= 1 && id <= classNames.length ? id - 1 : undefined) };
}

export function readSequences(a: MotSearchArgs, labelOf: (id: number) => number | undefined, io: CliIo): MotSearchSequence[] {
  const dirs = gtSequenceDirs(a.gt, `${a.benchmark}-${a.split}`);
  if (dirs.length === 0) throw new UserError(`--gt ${a.gt}: no sequences`);
  const detsIsDir = isDir(a.dets);
  if (!detsIsDir && !existsSync(a.dets)) throw new UserError(`--dets ${a.dets}: no such file or folder`);
  if (!detsIsDir && dirs.length > 1) throw new UserError(`--dets ${a.dets} is one file but --gt has ${dirs.length} sequences: give a folder with SEQ.json for each`);
  return dirs.map((dir) => {
    const name = basename(dir);
    const infoPath = join(dir, 'seqinfo.ini');
    const gtPath = join(dir, 'gt', 'gt.txt');
    if (!existsSync(gtPath)) throw new UserError(`${gtPath}: ground truth of sequence ${name} not found`);
    const info = existsSync(infoPath) ? parseSeqInfo(readFileSync(infoPath, 'utf8'), infoPath) : undefined;
    const gt = parseMotGt(readFileSync(gtPath, 'utf8'), gtPath, { seqLength: info?.seqLength, format: a.benchmark === 'MOT15' ? 'mot15' : undefined });
    for (const w of gt.warnings) io.stderr(`warning: ${formatIssue(w)}${w.kept ? '' : ' (row skipped)'}\n`);
    const detsPath = detsIsDir ? join(a.dets, `${name}.json`) : a.dets;
    if (!existsSync(detsPath)) throw new UserError(`${detsPath}: detections of sequence ${name} not found (expected DETS/${name}.json from 'mmtrack detect')`);
    const dets = parseCocoResults(readFileSync(detsPath, 'utf8'), detsPath);
    for (const w of dets.warnings) io.stderr(`warning: ${formatIssue(w)} (detection skipped)\n`);
    let seqLength = info?.seqLength;
    if (seqLength === undefined) {
      seqLength = Math.max(0, ...gt.value.frame, ...dets.value.map((d) => d.image_id));
      io.stderr(`warning: ${dir}: no seqinfo.ini; sequence length taken as the last annotated or detected frame (${seqLength})\n`);
    }
    return { name, gt: gt.value, seqLength, detections: cocoResultsPerFrame(dets.value, seqLength, labelOf, detsPath) };
  });
}

const show = (v: ConfigValue | undefined) => (typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : JSON.stringify(v));

function printTable(result: MotSearchResult, io: CliIo): void {
  const header = [...result.axes.map((x) => x.key), ...result.metrics];
  const cells = result.rows.map((r) => [...result.axes.map((x) => show(r.params[x.key])), ...result.metrics.map((m) => (Number.isInteger(r.metrics[m]) ? String(r.metrics[m]) : r.metrics[m]!.toFixed(3)))]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padStart(widths[i]!)).join('  ');
  io.stdout(`${[line(header), ...cells.map(line)].join('\n')}\n`);
  for (const m of result.metrics) {
    const best = bestRowIndex(result.rows, m);
    if (best >= 0) io.stdout(`best ${m}: ${cells[best]![result.axes.length + result.metrics.indexOf(m)]}  ${result.axes.map((x) => `${x.key}=${show(result.rows[best]!.params[x.key])}`).join(' ') || '(the config as it is)'}\n`);
  }
}

/** `search-params` for MOT configs. */
export async function runMotParamSearchCli(config: ConfigDict, flags: SearchParamsFlags, io: CliIo): Promise<number> {
  if (flags.dets === undefined) throw new UserError('missing --dets DETS: the detections cached by mmtrack detect (run mmtrack search-params --help)');
  const a: MotSearchArgs = { dets: flags.dets, gt: flags.gt, benchmark: flags.benchmark ?? 'MOT17', split: flags.split ?? 'train', scoreThr: numberFlag('min-det-score', flags['min-det-score'], { min: 0, max: 1 }) ?? 0, json: flags.json };
  searchMetricsOf(config);
  const classes = detectorClasses(config);
  const sequences = readSequences(a, classes.labelOf, io);
  const started = performance.now();
  let result: MotSearchResult;
  try {
    result = await runMotParamSearch(config, classes.classNames, sequences, {
      minScore: a.scoreThr,
      onProgress: (done, total) => io.stderr(`\r${done}/${total} combinations  ${((performance.now() - started) / 1000).toFixed(1)} s`),
    });
  } finally {
    io.stderr('\n');
  }
  const frames = sequences.reduce((n, s) => n + s.detections.length, 0);
  if (a.json) {
    const best = Object.fromEntries(result.metrics.map((m) => [m, bestRowIndex(result.rows, m)]));
    io.stdout(jsonText({ sequences: sequences.map((s) => s.name), axes: result.axes, metrics: result.metrics, results: result.rows, best }, io, 'search results'));
  } else {
    if (result.axes.length === 0) io.stderr('note: model.tracker has no list value: one combination (the config as it is)\n');
    printTable(result, io);
  }
  io.stderr(`${result.rows.length} combinations × ${sequences.length} sequence${sequences.length > 1 ? 's' : ''} (${frames} frames) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return 0;
}

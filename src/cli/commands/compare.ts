// `mmtrack compare CONFIG_A CONFIG_B ... --dets DETS --gt GT`: MOT trackers side by side on the same cached
// detections (the detector does not run again), one table of TrackEval metrics, the best of each marked.
import { basename } from 'node:path';
import { getConfigPath } from '../../core/config/config-value.ts';
import { MOT_MODEL_TRACKERS } from '../../core/models/mot/build-mot-tracker.ts';
import { type CompareEntry, type CompareResult, compareTrackers } from '../../core/models/mot/mot-compare.ts';
import { searchMetricsOf } from '../../core/models/mot/mot-param-search.ts';
import { type ArgsSpec, CFG_OPTIONS_FLAG, helpText, listFlag, numberFlag, optionalFlag, parseCommandArgs, requiredFlag, switchFlag, usageLine } from '../args.ts';
import { type CliIo, type Command, UserError } from '../command.ts';
import { loadCliConfig } from '../config-args.ts';
import { jsonText } from '../json-output.ts';
import { detectorClasses, readSequences } from './search-params-mot.ts';

const spec = {
  positionals: [{ name: 'CONFIG', help: 'MOT configs to compare (two or more; a tracker value written as a list compares each value)', variadic: true }],
  flags: {
    dets: requiredFlag('DETS', "detections cached by 'mmtrack detect': one .json for one sequence, or a folder with SEQ.json for each"),
    gt: requiredFlag('GT', 'a TrackEval folder (GT/BENCH-SPLIT/SEQ/gt/gt.txt, seqinfo.ini, GT/seqmaps/BENCH-SPLIT.txt) or one sequence folder'),
    metrics: listFlag('METRIC', "metrics to show (default: the first config's search_metrics, else MOTA IDF1 FN FP IDs MT ML HOTA)"),
    benchmark: optionalFlag('NAME', 'benchmark (default MOT17)'),
    split: optionalFlag('SPLIT', 'split (default train)'),
    'min-det-score': optionalFlag('T', 'drop detections below T before tracking (default 0)'),
    json: switchFlag('print JSON ({"sequences", "metrics", "rows", "best", "differing"}) instead of the table'),
    'cfg-options': CFG_OPTIONS_FLAG,
  },
} satisfies ArgsSpec;

function printTable(result: CompareResult, io: CliIo): void {
  const header = ['tracker', ...result.metrics];
  const cells = result.rows.map((r, i) => [
    r.label,
    ...result.metrics.map((m) => {
      const v = r.metrics[m]!;
      return `${Number.isInteger(v) ? String(v) : v.toFixed(3)}${result.best[m]!.includes(i) && result.differing.includes(m) ? '*' : ' '}`;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length + (i > 0 ? 1 : 0), ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[0]!) : x.padStart(widths[i]!))).join('  ');
  io.stdout(`${[line(header.map((h, i) => (i > 0 ? `${h} ` : h))), ...cells.map(line)].join('\n')}\n`);
  io.stdout(result.differing.length ? `* best where the trackers differ (${result.differing.join(', ')}); the same for all: ${result.metrics.filter((m) => !result.differing.includes(m)).join(', ') || 'none'}\n` : 'every metric is the same for all\n');
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare MOT trackers on the same cached detections: one table of metrics',
  help: helpText({
    usage: [usageLine('compare', spec)],
    description: `Tracks the cached detections (mmtrack detect) with each config's tracker and scores every run with TrackEval's
MOTChallenge metrics against the ground truth: one row per config (per combination when a tracker value is written
as a list, as in search-params), the best value of each metric marked with * where the rows differ. The configs must
share a detector (the same classes): only their trackers differ. Trackers that need more than boxes (DeepSORT with a
ReID model, Tracktor) cannot run on cached detections.`,
    variants: [{ spec }],
  }),
  async run(args, io) {
    const { positionals, flags } = parseCommandArgs('compare', spec, args, io);
    const entries: CompareEntry[] = [];
    for (const path of positionals) {
      const config = await loadCliConfig(path, flags['cfg-options']);
      const type = getConfigPath(config, 'model.type');
      if (typeof type !== 'string' || !(type in MOT_MODEL_TRACKERS)) throw new UserError(`${path}: model.type ${JSON.stringify(type ?? null)} is not a MOT method (${Object.keys(MOT_MODEL_TRACKERS).join(', ')})`);
      // Loaded here, so the search finds the config's own axes (tuples included): none to pass.
      entries.push({ name: basename(path).replace(/\.py$/, ''), config });
    }
    const classes = entries.map((e) => detectorClasses(e.config));
    for (const [k, c] of classes.entries()) {
      if (c.classNames.join('\n') !== classes[0]!.classNames.join('\n')) {
        throw new UserError(`${positionals[k]}: its detector's classes (${c.classNames.length}) are not ${positionals[0]}'s (${classes[0]!.classNames.length}): compared trackers must share the detections, so the detector`);
      }
    }
    if (flags.metrics.length) {
      try {
        searchMetricsOf({ search_metrics: flags.metrics });
      } catch (err) {
        throw new UserError(`--metrics: ${(err as Error).message.replace(/^search_metrics: /, '')}`);
      }
    }
    const minScore = numberFlag('min-det-score', flags['min-det-score'], { min: 0, max: 1 }) ?? 0;
    const sequences = readSequences({ dets: flags.dets, gt: flags.gt, benchmark: flags.benchmark ?? 'MOT17', split: flags.split ?? 'train', scoreThr: minScore, json: flags.json }, classes[0]!.labelOf, io);
    const started = performance.now();
    const result = await compareTrackers(entries, classes[0]!.classNames, sequences, {
      ...(flags.metrics.length ? { metrics: flags.metrics } : {}),
      minScore,
      onProgress: (done, total) => io.stderr(`\r${done}/${total} configs  ${((performance.now() - started) / 1000).toFixed(1)} s`),
    });
    io.stderr('\n');
    if (flags.json) io.stdout(jsonText({ sequences: sequences.map((s) => s.name), metrics: result.metrics, rows: result.rows.map(({ label, params, metrics }) => ({ label, params, metrics })), best: result.best, differing: result.differing }, io, 'comparison'));
    else printTable(result, io);
    return 0;
  },
};

import { writeFile } from 'node:fs/promises';
import { assertKey, checkLegend, type CurveData, LogKeyError, plotCurveData, type XAxis } from '../../core/logs/curves.ts';
import type { JsonLog } from '../../core/logs/json-log.ts';
import { smoothEma } from '../../core/logs/smoothing.ts';
import { renderSvgChart } from '../../core/logs/svg-chart.ts';
import { calTrainTime, formatTrainTime, TrainTimeError } from '../../core/logs/train-time.ts';
import { type CliIo, type Command, UserError } from '../command.ts';
import { readJsonLogFile, warnMalformed } from '../read-json-log.ts';

const usage = `usage: mmtrack analyze-logs cal_train_time LOG.json... [--include-outliers]
       mmtrack analyze-logs plot_curve LOG.json... [--keys KEY...] [--legend LEGEND...] [--title TITLE]
                                       [--out FILE.svg|FILE.png] [--x iter|epoch] [--smooth W]

MMTracking's tools/analysis/analyze_logs.py on MMCV JSON training logs (*.log.json). Malformed lines are skipped
and listed on stderr.

  cal_train_time  Prints, per log, the slowest and fastest epoch with their average iteration time, the std over
                  epochs and the average iteration time, exactly as the script prints them. The first value of
                  each epoch is left out unless --include-outliers.
  plot_curve      Curves of KEYs (default bbox_mAP) of every LOG in one chart, legend LEGEND... (one per log and
                  key, default {LOG}_{KEY}). Keys with "mAP" (and keys only logged at validation) are drawn per
                  epoch, the others against the global iteration. --out writes an SVG or a PNG and prints the
                  script's lines; without --out the curve data is printed as JSON.
                  --x iter|epoch   x axis (default: epoch when every key is per-epoch, else iter)
                  --smooth W       TensorBoard-style smoothing, W in [0, 1) (default 0: none)
`;

interface PlotArgs {
  logs: string[];
  keys: string[];
  legend: string[] | undefined;
  title: string | undefined;
  out: string | undefined;
  xAxis: XAxis | undefined;
  smooth: number;
}

/** argparse-like: positional logs, `--flag V...` options taking every following non-flag word. */
function parseArgs(args: string[], multi: string[], single: string[], switches: string[]) {
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  const on = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
    } else if (switches.includes(arg)) {
      on.add(arg);
    } else if (multi.includes(arg) || single.includes(arg)) {
      const taken: string[] = [];
      while (i + 1 < args.length && !args[i + 1]!.startsWith('--') && (multi.includes(arg) || taken.length === 0)) taken.push(args[++i]!);
      if (taken.length === 0) throw new UserError(`${arg} needs a value\n\n${usage}`);
      if (values.has(arg)) throw new UserError(`${arg} given twice`);
      values.set(arg, taken);
    } else {
      throw new UserError(`unknown argument '${arg}'\n\n${usage}`);
    }
  }
  return { positional, values, switches: on };
}

function checkLogPaths(logs: string[]): void {
  if (logs.length === 0) throw new UserError(`no LOG.json given\n\n${usage}`);
  // The script asserts the same (`assert json_log.endswith('.json')`).
  for (const log of logs) if (!log.endsWith('.json')) throw new UserError(`${log}: not a JSON log (the file name must end with .json, e.g. 20210101_000000.log.json)`);
}

async function readLogs(paths: string[], io: CliIo): Promise<JsonLog[]> {
  const logs: JsonLog[] = [];
  for (const p of paths) {
    const log = await readJsonLogFile(p);
    warnMalformed(io, log);
    if (log.epochs.length === 0) throw new UserError(`${p}: no line with an "epoch" (is it an MMCV JSON log?)`);
    logs.push(log);
  }
  return logs;
}

async function calTrainTimeCommand(args: string[], io: CliIo): Promise<number> {
  const { positional, switches } = parseArgs(args, [], [], ['--include-outliers']);
  checkLogPaths(positional);
  const logs = await readLogs(positional, io);
  const includeOutliers = switches.has('--include-outliers');
  let text = '';
  for (const log of logs) {
    try {
      text += formatTrainTime(log.name, calTrainTime(log, includeOutliers));
    } catch (err) {
      if (err instanceof TrainTimeError) throw new UserError(err.message);
      throw err;
    }
  }
  io.stdout(text);
  return 0;
}

function parsePlotArgs(args: string[]): PlotArgs {
  const { positional, values } = parseArgs(args, ['--keys', '--legend'], ['--title', '--out', '--x', '--smooth'], []);
  checkLogPaths(positional);
  const x = values.get('--x')?.[0];
  if (x !== undefined && x !== 'iter' && x !== 'epoch') throw new UserError(`--x must be iter or epoch (got '${x}')`);
  const smoothText = values.get('--smooth')?.[0];
  const smooth = smoothText === undefined ? 0 : Number(smoothText);
  if (!(smooth >= 0 && smooth < 1)) throw new UserError(`--smooth must be a number in [0, 1) (got '${smoothText}')`);
  const out = values.get('--out')?.[0];
  if (out !== undefined && !/\.(svg|png)$/i.test(out)) throw new UserError(`--out ${out}: the file name must end with .svg or .png`);
  return { logs: positional, keys: values.get('--keys') ?? ['bbox_mAP'], legend: values.get('--legend'), title: values.get('--title')?.[0], out, xAxis: x, smooth };
}

/** PNG through resvg (Rust, shipped inside its npm package), loaded only when a PNG is asked for. */
async function svgToPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, { background: '#ffffff', fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return resvg.render().asPng();
}

function curveJson(data: CurveData): string {
  const finite = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
  const series = data.series.map((s) => ({ run: s.run, key: s.key, label: s.label, perEpoch: s.perEpoch, x: finite(s.x), y: finite(s.y) }));
  return `${JSON.stringify({ xAxis: data.xAxis, series })}\n`;
}

async function plotCurveCommand(args: string[], io: CliIo): Promise<number> {
  const opts = parsePlotArgs(args);
  const logs = await readLogs(opts.logs, io);
  // The script's progress lines go to stdout with --out (as the script prints them), to stderr when stdout is JSON.
  const say = (text: string): void => (opts.out ? io.stdout(text) : io.stderr(text));
  let data: CurveData;
  try {
    checkLegend(logs.length, opts.keys.length, opts.legend); // before the progress lines, as the script asserts
    for (const log of logs) {
      for (const key of opts.keys) {
        say(`plot curve of ${log.name}, metric is ${key}\n`);
        assertKey(log, key);
      }
    }
    data = plotCurveData(logs, opts.keys, { ...(opts.legend ? { legend: opts.legend } : {}), ...(opts.xAxis ? { xAxis: opts.xAxis } : {}) });
  } catch (err) {
    if (err instanceof LogKeyError || err instanceof RangeError) throw new UserError(err.message);
    throw err;
  }
  if (opts.smooth > 0) for (const s of data.series) if (!s.perEpoch) s.y = smoothEma(s.y, opts.smooth);
  if (!opts.out) {
    io.stdout(curveJson(data));
    return 0;
  }
  const svg = renderSvgChart(
    data.series.map((s) => ({ label: s.label, x: s.x, y: s.y, markers: s.perEpoch })),
    { ...(opts.title ? { title: opts.title } : {}), xLabel: data.xAxis, ...(opts.keys.length === 1 ? { yLabel: opts.keys[0] } : {}) },
  );
  say(`save curve to: ${opts.out}\n`);
  try {
    await writeFile(opts.out, /\.png$/i.test(opts.out) ? await svgToPng(svg) : svg);
  } catch (err) {
    throw new UserError(`--out ${opts.out}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return 0;
}

export const analyzeLogsCommand: Command = {
  name: 'analyze-logs',
  summary: "MMTracking's analyze_logs.py: cal_train_time and plot_curve of MMCV *.log.json training logs",
  usage,
  async run(args, io) {
    const [task, ...rest] = args;
    if (task === 'cal_train_time') return calTrainTimeCommand(rest, io);
    if (task === 'plot_curve') return plotCurveCommand(rest, io);
    throw new UserError(`${task === undefined ? 'missing task' : `unknown task '${task}'`}: use cal_train_time or plot_curve\n\n${usage}`);
  },
};

import { assertKey, checkLegend, type CurveData, LogKeyError, plotCurveData, type XAxis } from '../../core/logs/curves.ts';
import type { JsonLog } from '../../core/logs/json-log.ts';
import { smoothEma } from '../../core/logs/smoothing.ts';
import { renderSvgChart } from '../../core/logs/svg-chart.ts';
import { calTrainTime, formatTrainTime, TrainTimeError } from '../../core/logs/train-time.ts';
import { type ArgsSpec, type ParsedArgs, optionalFlag, switchFlag, listFlag } from '../args.ts';
import { type CliIo, type Command, UserError } from '../command.ts';
import { prepareOutputFile, writeOutputFile } from '../output-path.ts';
import { task, taskCommand } from '../task-command.ts';
import { readJsonLogFile, warnMalformed } from '../read-json-log.ts';

const LOGS = { name: 'LOG.json', help: 'MMCV JSON training logs (*.log.json)', variadic: true } as const;

const calTrainTimeSpec = {
  positionals: [LOGS],
  flags: { 'include-outliers': switchFlag('keep the first value of each epoch') },
} satisfies ArgsSpec;

const plotCurveSpec = {
  positionals: [LOGS],
  flags: {
    keys: listFlag('KEY', 'the metrics to draw (default bbox_mAP)'),
    legend: listFlag('LEGEND', 'one per log and key (default {LOG}_{KEY})'),
    title: optionalFlag('TITLE', "the chart's title"),
    out: optionalFlag('FILE.svg|FILE.png', 'write the chart (else the curve data is printed as JSON)'),
    x: optionalFlag('iter|epoch', 'x axis (default: epoch when every key is per-epoch, else iter)'),
    smooth: optionalFlag('W', 'TensorBoard-style smoothing, W in [0, 1) (default 0: none)'),
  },
} satisfies ArgsSpec;

interface PlotArgs {
  logs: string[];
  keys: string[];
  legend: string[] | undefined;
  title: string | undefined;
  out: string | undefined;
  xAxis: XAxis | undefined;
  smooth: number;
}

function checkLogPaths(logs: string[]): void {
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

async function calTrainTimeCommand({ positionals, flags }: ParsedArgs<typeof calTrainTimeSpec.flags>, io: CliIo): Promise<number> {
  checkLogPaths(positionals);
  const logs = await readLogs(positionals, io);
  const includeOutliers = flags['include-outliers'];
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

function plotArgs({ positionals, flags }: ParsedArgs<typeof plotCurveSpec.flags>): PlotArgs {
  checkLogPaths(positionals);
  const x = flags.x;
  if (x !== undefined && x !== 'iter' && x !== 'epoch') throw new UserError(`--x must be iter or epoch (got '${x}')`);
  const smoothText = flags.smooth;
  const smooth = smoothText === undefined ? 0 : Number(smoothText);
  if (!(smooth >= 0 && smooth < 1)) throw new UserError(`--smooth must be a number in [0, 1) (got '${smoothText}')`);
  const out = flags.out;
  if (out !== undefined && !/\.(svg|png)$/i.test(out)) throw new UserError(`--out ${out}: the file name must end with .svg or .png`);
  return { logs: positionals, keys: flags.keys.length ? flags.keys : ['bbox_mAP'], legend: flags.legend.length ? flags.legend : undefined, title: flags.title, out, xAxis: x, smooth };
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

async function plotCurveCommand(args: ParsedArgs<typeof plotCurveSpec.flags>, io: CliIo): Promise<number> {
  const opts = plotArgs(args);
  if (opts.out) await prepareOutputFile(opts.out, '--out');
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
  for (const s of data.series) {
    // MMCV writes a diverged loss as NaN/Infinity: the curve has a gap there (JSON: null), and the user is told.
    const bad = s.y.reduce((n, v) => n + (Number.isFinite(v) ? 0 : 1), 0);
    if (bad > 0) io.stderr(`warning: ${s.run}: ${s.key} is NaN or infinite at ${bad} of ${s.y.length} points; left as gaps in the curve\n`);
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
  await writeOutputFile(opts.out, /\.png$/i.test(opts.out) ? await svgToPng(svg) : svg);
  return 0;
}

export const analyzeLogsCommand: Command = taskCommand({
  name: 'analyze-logs',
  summary: "MMTracking's analyze_logs.py: cal_train_time and plot_curve of MMCV *.log.json training logs",
  description: `MMTracking's tools/analysis/analyze_logs.py on MMCV JSON training logs (*.log.json). Malformed lines are skipped
and listed on stderr.`,
  tasks: [
    task({
      name: 'cal_train_time',
      help: `per log, the slowest and fastest epoch with their average iteration time, the std over epochs and the
average iteration time, exactly as the script prints them (the first value of each epoch is left out unless
--include-outliers)`,
      spec: calTrainTimeSpec,
      run: calTrainTimeCommand,
    }),
    task({
      name: 'plot_curve',
      help: `curves of KEYs of every LOG in one chart. Keys with "mAP" (and keys only logged at validation) are drawn per
epoch, the others against the global iteration. --out writes an SVG or a PNG and prints the script's lines`,
      spec: plotCurveSpec,
      run: plotCurveCommand,
    }),
  ],
});

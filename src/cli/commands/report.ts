import { readFile } from 'node:fs/promises';
import { packageVersion } from '../package-root.node.ts';
import { loadConfig } from '../../core/config/config-loader.ts';
import { configToJson } from '../../core/config/config-value.ts';
import { buildReport } from '../../core/report/report-build.ts';
import { renderReportHtml } from '../../core/report/report-html.ts';
import { reportToFragment, ReportLinkError } from '../../core/report/report-link.ts';
import { REPORT_TASKS, type ReportTask, validateReport } from '../../core/report/report-schema.ts';
import { type ArgsSpec, helpText, parseCommandArgs, usageLine, requiredFlag, optionalFlag, switchFlag } from '../args.ts';
import { type Command, UserError } from '../command.ts';
import { prepareOutputFile, writeOutputFile } from '../output-path.ts';
import { nodeConfigFs } from '../../core/config/node-config-fs.node.ts';
import { jsonText } from '../json-output.ts';
import { parseJsonText } from '../../core/datasets/json-input.ts';

const spec = {
  positionals: [],
  flags: {
    eval: requiredFlag('METRICS.json', 'what mmtrack eval printed'),
    out: requiredFlag('REPORT.html', 'the HTML file to write'),
    config: optionalFlag('CONFIG', 'add the merged config (its _base_ files merged in)'),
    title: optionalFlag('TITLE', "the report's title"),
    task: optionalFlag('mot|sot|vid|vis', 'the task, when the metrics do not say'),
    'out-json': optionalFlag('REPORT.json', 'also write the report JSON (the app imports it)', ['json']),
    link: switchFlag("print the report's link fragment (#report=v1...) when it is small enough"),
  },
} satisfies ArgsSpec;

const help = helpText({
  usage: [usageLine('report', spec)],
  description: `Builds a shareable evaluation report (schema: docs/report.md) from the JSON that \`mmtrack eval\` prints, and
writes it as one self-contained HTML file (opens offline, fetches nothing).`,
  variants: [{ spec }],
});

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : String(err)}`);
  }
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'build a shareable, self-contained HTML evaluation report from mmtrack eval output',
  help,
  async run(args, io) {
    const { flags } = parseCommandArgs('report', spec, args, io);
    const evalPath = flags.eval;
    const out = flags.out;
    const task = flags.task;
    if (task !== undefined && !REPORT_TASKS.includes(task as ReportTask)) throw new UserError(`--task must be one of ${REPORT_TASKS.join(', ')} (got '${task}')`);
    const jsonPath = flags['out-json'];
    await prepareOutputFile(out, '--out');
    if (jsonPath) await prepareOutputFile(jsonPath, '--out-json');

    const metrics = parseJsonText(await readText(evalPath, '--eval'), evalPath);
    let config: { name: string; text: string } | null = null;
    const configPath = flags.config;
    if (configPath) config = { name: configPath, text: configToJson((await loadConfig(configPath, nodeConfigFs)).config) };
    const version = packageVersion();
    let report;
    try {
      report = buildReport({
        metrics,
        metricsName: evalPath,
        ...(flags.title !== undefined ? { title: flags.title } : {}),
        ...(task ? { task: task as ReportTask } : {}),
        createdAt: new Date().toISOString(),
        config,
        environment: { tool: `mmtrack-web ${version} CLI`, runtime: `Node.js ${process.version}`, platform: `${process.platform} ${process.arch}`, metrics: evalPath },
      });
    } catch (err) {
      throw new UserError(err instanceof Error ? err.message : String(err));
    }
    const checked = validateReport(report);
    if (!checked.ok) throw new UserError(`${evalPath}: the report would not be valid:\n  ${checked.errors.join('\n  ')}`);
    await writeOutputFile(out, renderReportHtml(report));
    if (jsonPath) await writeOutputFile(jsonPath, jsonText(report, io, jsonPath, 1));
    const result: Record<string, unknown> = { html: out, ...(jsonPath ? { json: jsonPath } : {}), task: report.task, sequences: report.metrics.perSequence.length };
    if (flags.link) {
      try {
        result.fragment = `#${await reportToFragment(report)}`;
      } catch (err) {
        if (!(err instanceof ReportLinkError)) throw err;
        result.fragment = null;
        io.stderr(`warning: no link: ${err.message}\n`);
      }
    }
    io.stdout(jsonText(result, io, 'report summary', 1));
    return 0;
  },
};

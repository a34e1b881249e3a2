import { readFile, writeFile } from 'node:fs/promises';
import { ConfigError } from '../../core/config/config-error.ts';
import { loadConfig } from '../../core/config/config-loader.ts';
import { configToJson } from '../../core/config/config-value.ts';
import { buildReport } from '../../core/report/report-build.ts';
import { renderReportHtml } from '../../core/report/report-html.ts';
import { reportToFragment, ReportLinkError } from '../../core/report/report-link.ts';
import { REPORT_TASKS, type ReportTask, validateReport } from '../../core/report/report-schema.ts';
import { type Command, UserError } from '../command.ts';
import { nodeConfigFs } from '../../core/config/node-config-fs.node.ts';

const usage = `usage: mmtrack report --eval METRICS.json [--config CONFIG] [--title TITLE] [--task mot|sot|vid|vis]
                      --out report.html [--json report.json] [--link]

Builds a shareable evaluation report (schema: docs/report.md) from the JSON that \`mmtrack eval\` prints, and
writes it as one self-contained HTML file (opens offline, fetches nothing). --config adds the merged config
(its _base_ files merged in); --json also writes the report JSON (the app imports it); --link prints the
report's link fragment (#report=v1...) when it is small enough.
`;

function parseFlags(args: string[]): Map<string, string> {
  const valued = ['--eval', '--config', '--title', '--task', '--out', '--json'];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--link') {
      flags.set(arg, '');
      continue;
    }
    if (!valued.includes(arg)) throw new UserError(`unknown argument '${arg}'\n\n${usage}`);
    const v = args[++i];
    if (v === undefined || v.startsWith('--')) throw new UserError(`${arg} needs a value\n\n${usage}`);
    flags.set(arg, v);
  }
  return flags;
}

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
  usage,
  async run(args, io) {
    const flags = parseFlags(args);
    const evalPath = flags.get('--eval');
    const out = flags.get('--out');
    if (!evalPath) throw new UserError(`missing --eval METRICS.json\n\n${usage}`);
    if (!out) throw new UserError(`missing --out report.html\n\n${usage}`);
    const task = flags.get('--task');
    if (task !== undefined && !REPORT_TASKS.includes(task as ReportTask)) throw new UserError(`--task must be one of ${REPORT_TASKS.join(', ')} (got '${task}')`);

    let metrics: unknown;
    try {
      metrics = JSON.parse(await readText(evalPath, '--eval'));
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw new UserError(`--eval ${evalPath}: not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    let config: { name: string; text: string } | null = null;
    const configPath = flags.get('--config');
    if (configPath) {
      try {
        config = { name: configPath, text: configToJson((await loadConfig(configPath, nodeConfigFs)).config) };
      } catch (err) {
        if (err instanceof ConfigError) throw new UserError(err.message);
        throw err;
      }
    }
    const { version } = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    let report;
    try {
      report = buildReport({
        metrics,
        metricsName: evalPath,
        ...(flags.has('--title') ? { title: flags.get('--title')! } : {}),
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
    await writeFile(out, renderReportHtml(report));
    const jsonPath = flags.get('--json');
    if (jsonPath) await writeFile(jsonPath, `${JSON.stringify(report, null, 1)}\n`);
    const result: Record<string, unknown> = { html: out, ...(jsonPath ? { json: jsonPath } : {}), task: report.task, sequences: report.metrics.perSequence.length };
    if (flags.has('--link')) {
      try {
        result.fragment = `#${await reportToFragment(report)}`;
      } catch (err) {
        if (!(err instanceof ReportLinkError)) throw err;
        result.fragment = null;
        io.stderr(`warning: no link: ${err.message}\n`);
      }
    }
    io.stdout(`${JSON.stringify(result, null, 1)}\n`);
    return 0;
  },
};

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractReportJson } from '../../core/report/report-html.ts';
import { reportFromFragment } from '../../core/report/report-link.ts';
import { parseReportJson } from '../../core/report/report-schema.ts';
import { main } from '../main.ts';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const shared = (p: string): string => path.resolve(repoRoot, '../shared', p);
const tmp = mkdtempSync(path.join(tmpdir(), 'mmtrack-report-'));

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('mmtrack report', () => {
  it('builds the HTML (and JSON, and link) from mmtrack eval output, with the merged config', async () => {
    const metrics = path.join(tmp, 'sot.json');
    const evalRun = await run(['eval', 'sot', '--gt', shared('sot'), '--results', shared('sot')]);
    expect(evalRun.code).toBe(0);
    writeFileSync(metrics, evalRun.stdout);
    const html = path.join(tmp, 'report.html');
    const json = path.join(tmp, 'report.json');
    const configDir = path.join(repoRoot, 'configs/sot/siamese_rpn');
    const config = path.join(configDir, readdirSync(configDir).filter((f) => f.endsWith('.py')).sort()[0]!);
    const r = await run(['report', '--eval', metrics, '--config', config, '--title', 'SiamRPN++ <street-car>', '--out', html, '--out-json', json, '--link']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as { html: string; task: string; sequences: number; fragment: string };
    expect(printed).toMatchObject({ html, json, task: 'sot', sequences: 1 });
    const page = readFileSync(html, 'utf8');
    const report = parseReportJson(readFileSync(json, 'utf8'));
    expect(parseReportJson(extractReportJson(page)!)).toEqual(report);
    expect(await reportFromFragment(printed.fragment)).toEqual(report);
    const expected = JSON.parse(readFileSync(shared('sot/expected.json'), 'utf8')) as { OVERALL: Record<string, number> };
    expect(report.metrics.unit).toBe('percent');
    expect(report.metrics.overall.success).toBeCloseTo(expected.OVERALL.success!, 6);
    expect(page).toContain(`<td>${report.metrics.overall.success!.toFixed(4)}</td>`);
    expect(page).toContain('<h1>SiamRPN++ &lt;street-car&gt;</h1>');
    // The merged config, as `mmtrack print-config` prints it.
    expect(report.config?.name).toBe(config);
    expect(`${report.config?.text}\n`).toBe((await run(['print-config', config])).stdout);
  });

  it('errors (exit 2) say what is wrong', async () => {
    const out = path.join(tmp, 'x.html');
    expect((await run(['report', '--out', out])).stderr).toMatch(/missing --eval METRICS\.json/);
    expect((await run(['report', '--eval', 'nope.json', '--out', out])).stderr).toMatch(/--eval nope\.json: no such file/);
    const notJson = path.join(tmp, 'bad.json');
    writeFileSync(notJson, '{oops');
    expect(await run(['report', '--eval', notJson, '--out', out])).toMatchObject({ code: 2, stderr: expect.stringMatching(/bad\.json:1: invalid JSON at column \d+/) as string });
    const empty = path.join(tmp, 'empty.json');
    writeFileSync(empty, '{"source": "nothing"}');
    expect((await run(['report', '--eval', empty, '--out', out])).stderr).toMatch(/empty\.json: no metrics found/);
    expect((await run(['report', '--eval', empty, '--out', out, '--task', 'xyz'])).stderr).toMatch(/--task must be one of mot, sot, vid, vis/);
    // Values that are not numbers made an empty report before; now the key is named.
    const words = path.join(tmp, 'words.json');
    writeFileSync(words, '{"OVERALL": {"success": "high", "precision": null}, "seq": {"success": 1}}');
    expect(await run(['report', '--eval', words, '--out', out])).toMatchObject({ code: 2, stderr: `mmtrack report: ${words}: OVERALL.success is "high", not a number (expected mmtrack eval's JSON output)\n` });
    const blank = path.join(tmp, 'blank.json');
    writeFileSync(blank, '{"COMBINED_SEQ": {"HOTA": null}}');
    expect((await run(['report', '--eval', blank, '--out', out])).stderr).toBe(`mmtrack report: ${blank}: COMBINED_SEQ: no metrics found (expected mmtrack eval's JSON output)\n`);
  });
});

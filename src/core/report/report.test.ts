import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from './report-build.ts';
import { extractReportJson, renderReportHtml } from './report-html.ts';
import { base64UrlDecode, base64UrlEncode, FRAGMENT_PREFIX, reportFromFragment, ReportLinkError, reportToFragment } from './report-link.ts';
import { type EvalReport, parseReportJson, REPORT_SCHEMA, REPORT_TASKS, REPORT_VERSION, validateReport } from './report-schema.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const EVIL = '<img src=x onerror=alert(1)>';
// 1x1 transparent PNG.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Bytes that do not compress (a linear congruential generator). */
function lcgBytes(n: number): Uint8Array {
  let state = 12345;
  return Uint8Array.from({ length: n }, () => (state = (state * 1103515245 + 12345) % 2147483648) >>> 16 & 255);
}

function motReport(): EvalReport {
  // The reference numbers of the shared MOT set stand in for `mmtrack eval mot` output (same shape).
  const expected = JSON.parse(readFileSync(resolve(repoRoot, '../shared/eval/mot/expected.json'), 'utf8')) as Record<string, unknown>;
  const [firstSeq] = Object.keys(expected).filter((k) => k !== 'COMBINED_SEQ' && typeof expected[k] === 'object');
  const metrics = { ...expected, [EVIL]: expected[firstSeq!] };
  return buildReport({
    metrics,
    metricsName: 'expected.json',
    title: 'Tracktor on MOT17-SYN',
    createdAt: '2025-01-02T03:04:05.000Z',
    config: { name: 'configs/mot/tracktor.py', text: 'model = dict(type="Tracktor") </pre><script>alert(1)</script>' },
    models: [{ name: 'detector.onnx', bytes: 1234, sha256: 'a'.repeat(64) }],
    curves: [{ title: 'Success plot', xLabel: 'overlap threshold', yLabel: 'success rate', series: [{ label: `${EVIL}`, x: [0, 0.5, 1], y: [1, 0.7, 0] }] }],
    frames: [{ sequence: EVIL, frame: 3, image: PNG, caption: 'overlay "quoted"' }],
    environment: { browser: 'Chromium 130', 'GPU adapter': 'SwiftShader', 'execution provider': 'webgpu' },
    timings: { inference: 1.5, evaluation: 0.25 },
  });
}

describe('report schema', () => {
  it('builds a valid report from mmtrack eval output', () => {
    const r = motReport();
    expect(r.task).toBe('mot');
    expect(r.metrics.unit).toBe('fraction');
    expect(r.metrics.overall.HOTA).toBeCloseTo(0.5367890643716821, 15);
    expect(r.metrics.perSequence.map((s) => s.name)).toContain(EVIL);
    expect(validateReport(r)).toEqual({ ok: true, report: r });
    expect(parseReportJson(JSON.stringify(r))).toEqual(r);
  });

  it('detects sot (percent), vid and vis', () => {
    const base = { metricsName: 'm.json', createdAt: '2025-01-01T00:00:00Z' };
    expect(buildReport({ ...base, metrics: { OVERALL: { success: 76.1, precision: 78 }, seq: { success: 76.1, precision: 78 } } }).metrics).toMatchObject({ unit: 'percent' });
    expect(buildReport({ ...base, metrics: { bbox_mAP: 0.6, bbox_mAP_s: -1, source: 'pycocotools' } })).toMatchObject({ task: 'vid', metrics: { overall: { bbox_mAP: 0.6, bbox_mAP_s: -1 } } });
    expect(buildReport({ ...base, metrics: { segm_mAP: 0.5 } }).task).toBe('vis');
    expect(() => buildReport({ ...base, metrics: [1, 2] })).toThrow(/m\.json: expected the JSON object/);
  });

  it('refuses a bad report and says where', () => {
    const r = motReport();
    const bad = (patch: (x: EvalReport) => void) => {
      const copy = structuredClone(r);
      patch(copy);
      const v = validateReport(copy);
      return v.ok ? [] : v.errors;
    };
    expect(bad((x) => Object.assign(x, { version: 2 }))).toEqual(['report.version: this app reads version 1, got 2']);
    expect(bad((x) => Object.assign(x, { extra: 1 }))).toEqual(['report.extra: unknown field']);
    expect(bad((x) => delete (x as Partial<EvalReport>).metrics)).toEqual(['report.metrics: missing']);
    expect(bad((x) => Object.assign(x, { metrics: null }))).toEqual(['report.metrics: expected an object, got null']);
    expect(bad((x) => Object.assign(x.metrics.perSequence[1]!.values, { HOTA: 'high' }))).toEqual(['report.metrics.perSequence[1].values.HOTA: expected a finite number, got "high"']);
    expect(bad((x) => Object.assign(x.metrics.overall, { MOTA: Number.NaN }))).toEqual(['report.metrics.overall.MOTA: expected a finite number, got NaN']);
    expect(bad((x) => Object.assign(x.frames[0]!, { image: 'javascript:alert(1)' }))).toEqual(['report.frames[0].image: expected a data:image/png|jpeg|webp;base64 URL']);
    expect(bad((x) => Object.assign(x.frames[0]!, { image: 'data:image/png;base64,AAAA" onerror="alert(1)' }))).toHaveLength(1);
    expect(bad((x) => Object.assign(x.models[0]!, { sha256: 'xyz' }))).toEqual(['report.models[0].sha256: expected 64 lowercase hex digits']);
    expect(bad((x) => Object.assign(x.curves[0]!.series[0]!, { y: [1] }))).toEqual(['report.curves[0].series[0]: x has 3 values, y 1']);
    expect(() => parseReportJson('{"schema": 1}', 'r.json')).toThrow(/^r\.json: not a valid evaluation report:\n {2}report\.version: missing\n/);
    expect(() => parseReportJson('{"schema": 1}', 'r.json')).toThrow(/\n {2}report\.schema: expected "mmtrack-web\.eval-report", got 1/);
    expect(() => parseReportJson('nope', 'r.json')).toThrow(/^r\.json: not JSON/);
  });
});

describe('report comparison (trackers compared on the same detections)', () => {
  const withComparison = (): EvalReport => ({
    ...motReport(),
    comparison: {
      metrics: ['IDF1', 'IDs', 'MT'],
      rows: [
        { label: EVIL, config: 'configs/mot/default.py', values: { IDF1: 0.9, IDs: 12, MT: 4 } },
        { label: 'ocsort', config: null, values: { IDF1: 0.95, IDs: 7, MT: 4 } },
      ],
    },
  });

  it('validates, and marks the best of each differing metric in the HTML (text escaped)', () => {
    const report = withComparison();
    expect(validateReport(report).ok).toBe(true);
    const html = renderReportHtml(report);
    expect(html).toContain('data-section="comparison"');
    expect(html).toContain('<td class="best">0.9500*</td>');
    expect(html).toContain('<td class="best">7*</td>');
    // MT is the same for both: nothing marked.
    expect(html).not.toMatch(/<td class="best">4\*<\/td>/);
    expect(html).not.toContain(EVIL);
    expect(JSON.parse(extractReportJson(html)!)).toEqual(report);
  });

  it('refuses a malformed comparison and says where', () => {
    const bad = withComparison() as unknown as { comparison: { rows: Array<Record<string, unknown>> } };
    bad.comparison.rows[1]!.values = { IDF1: 'high' };
    bad.comparison.rows[0]!.extra = 1;
    const r = validateReport(bad);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual(['report.comparison.rows[0].extra: unknown field', 'report.comparison.rows[1].values.IDF1: expected a finite number, got "high"']);
  });
});

describe('docs/report.md', () => {
  it("documents the validator's schema (top-level fields, constants, task names)", () => {
    const doc = readFileSync(resolve(repoRoot, 'docs/report.md'), 'utf8');
    const schema = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(doc)![1]!) as {
      required: string[];
      properties: { schema: { const: string }; version: { const: number }; task: { enum: string[] }; metrics: { required: string[] } };
    };
    expect(schema.required).toEqual(Object.keys(motReport()));
    expect(schema.properties.schema.const).toBe(REPORT_SCHEMA);
    expect(schema.properties.version.const).toBe(REPORT_VERSION);
    expect(schema.properties.task.enum).toEqual(REPORT_TASKS);
    expect(schema.properties.metrics.required).toEqual(Object.keys(motReport().metrics));
  });
});

describe('report HTML', () => {
  const report = motReport();
  const html = renderReportHtml(report);

  it('shows untrusted text literally, never as markup', () => {
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // The only <img> is the frame, from a validated data URL; the only <script> is the inert JSON block.
    expect(html.match(/<img /g)).toHaveLength(1);
    expect(html.match(/<script/g)).toEqual(['<script']);
    expect(html).toContain('<script type="application/json" id="mmtrack-report">');
  });

  it('is self-contained: no URL to fetch, and a CSP that forbids any', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(urls.every((u) => u.startsWith('data:'))).toBe(true);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).not.toMatch(/@import|url\((?!#)/); // url(#id) = the SVG's own clip path
  });

  it('shows the numbers, the curves and the environment', () => {
    expect(html).toContain('<td>0.5368</td>'); // HOTA
    expect(html).toContain('<td>1239</td>'); // FN
    expect(html).toContain('<polyline');
    expect(html).toContain('<th>GPU adapter</th><td>SwiftShader</td>');
    expect(html).toContain('1.500 s');
  });

  it('carries the report JSON for re-import, unchanged', () => {
    const json = extractReportJson(html)!;
    expect(json).not.toContain('</script>');
    expect(parseReportJson(json)).toEqual(report);
  });
});

describe('report link', () => {
  it('round-trips base64url', () => {
    for (let n = 0; n < 20; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 255);
      const text = base64UrlEncode(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(Array.from(base64UrlDecode(text))).toEqual(Array.from(bytes));
    }
  });

  it('round-trips a report through the fragment (same numbers, unicode names)', async () => {
    const report = { ...motReport(), title: 'Über-Tracker 🚀 数据', frames: [] };
    const fragment = await reportToFragment(report);
    expect(fragment.startsWith(FRAGMENT_PREFIX)).toBe(true);
    expect(fragment.length).toBeLessThan(JSON.stringify(report).length);
    expect(await reportFromFragment(`#${fragment}`)).toEqual(report);
  });

  it('says when a report is too large for a link', async () => {
    const big = { ...motReport(), frames: [{ sequence: 's', frame: 1, image: `data:image/png;base64,${Buffer.from(lcgBytes(60_000)).toString('base64')}`, caption: '' }] };
    await expect(reportToFragment(big)).rejects.toThrow(/too large for a link: \d+ KiB compressed, the limit is 32 KiB/);
  });

  it('refuses damaged or invalid links with the reason', async () => {
    await expect(reportFromFragment('#other=1')).rejects.toThrow(ReportLinkError);
    await expect(reportFromFragment(`${FRAGMENT_PREFIX}abc$`)).rejects.toThrow(/damaged \(not base64url\)/);
    await expect(reportFromFragment(`${FRAGMENT_PREFIX}${base64UrlEncode(Uint8Array.from([1, 2, 3, 4, 5]))}`)).rejects.toThrow(/does not decompress/);
    const tampered = await reportToFragment({ ...motReport(), version: 9 } as unknown as EvalReport);
    await expect(reportFromFragment(tampered)).rejects.toThrow(/link: not a valid evaluation report:\n {2}report\.version/);
  });
});

import { escapeXml, renderSvgChart } from '../logs/svg-chart.ts';
import type { EvalReport, MetricValue } from './report-schema.ts';

/**
 * A report as one self-contained HTML file: inline CSS, charts as inline SVG, frames as data URLs, no script and
 * no URL to fetch; a Content-Security-Policy (`default-src 'none'`) makes the browser refuse any request anyway.
 * Every string from the report is escaped (names, labels, config text): a sequence called
 * `<img src=x onerror=alert(1)>` is shown as that text. The report JSON rides along in an inert
 * `<script type="application/json">` block (with `<` escaped) so the file can be imported again.
 */
export function renderReportHtml(report: EvalReport): string {
  const e = escapeXml;
  const { metrics } = report;
  const keys = Object.keys(metrics.overall);
  const primary = HEADLINE[report.task].find((k) => k in metrics.overall) ?? keys[0];
  const out: string[] = [];
  out.push(
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(report.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${e(report.title)}</h1>`,
    `<p class="meta">${e(report.task.toUpperCase())} · ${e(report.createdAt)} · metrics as ${e(metrics.unit === 'percent' ? 'percentages' : 'fractions')} · report schema ${e(report.schema)} v${report.version}</p>`,
  );

  out.push('<h2>Metrics</h2>', '<table class="metrics" data-section="overall"><thead><tr>');
  for (const k of keys) out.push(`<th>${e(k)}</th>`);
  out.push('</tr></thead><tbody><tr>');
  for (const k of keys) out.push(`<td>${e(formatMetric(metrics.overall[k] ?? null))}</td>`);
  out.push('</tr></tbody></table>');

  if (metrics.perSequence.length) {
    const seqKeys = [...new Set(metrics.perSequence.flatMap((s) => Object.keys(s.values)))];
    const barKey = primary !== undefined && seqKeys.includes(primary) ? primary : seqKeys[0];
    const barMax = Math.max(1e-12, ...metrics.perSequence.map((s) => Math.abs(s.values[barKey ?? ''] ?? 0)));
    out.push('<h2>Per sequence</h2>', '<table class="metrics" data-section="per-sequence"><thead><tr><th>sequence</th>');
    if (barKey !== undefined) out.push(`<th>${e(barKey)} (bar)</th>`);
    for (const k of seqKeys) out.push(`<th>${e(k)}</th>`);
    out.push('</tr></thead><tbody>');
    for (const s of metrics.perSequence) {
      out.push(`<tr><td class="name">${e(s.name)}</td>`);
      if (barKey !== undefined) {
        const v = s.values[barKey] ?? null;
        const width = v === null ? 0 : Math.max(0, Math.min(100, (Math.abs(v) / barMax) * 100));
        out.push(`<td class="bar"><div style="width:${width.toFixed(1)}%"></div></td>`);
      }
      for (const k of seqKeys) out.push(`<td>${e(formatMetric(s.values[k] ?? null))}</td>`);
      out.push('</tr>');
    }
    out.push('</tbody></table>');
  }

  if (report.comparison) {
    const c = report.comparison;
    const best = comparisonBest(c);
    out.push('<h2>Trackers compared</h2>', '<p class="meta">the same detections; * best where the trackers differ</p>', '<table class="metrics" data-section="comparison"><thead><tr><th>tracker</th><th>config</th>');
    for (const m of c.metrics) out.push(`<th>${e(m)}</th>`);
    out.push('</tr></thead><tbody>');
    c.rows.forEach((row, i) => {
      out.push(`<tr><td class="name">${e(row.label)}</td><td class="name">${e(row.config ?? '-')}</td>`);
      for (const m of c.metrics) out.push(`<td${best[m]?.includes(i) ? ' class="best"' : ''}>${e(formatMetric(row.values[m] ?? null))}${best[m]?.includes(i) ? '*' : ''}</td>`);
      out.push('</tr>');
    });
    out.push('</tbody></table>');
  }

  if (report.curves.length) {
    out.push('<h2>Curves</h2>');
    report.curves.forEach((c, i) => {
      out.push(
        `<figure>${renderSvgChart(
          c.series.map((s) => ({ label: s.label, x: s.x, y: s.y })),
          { title: c.title, xLabel: c.xLabel, yLabel: c.yLabel, width: 720, plotHeight: 320, idPrefix: `curve-${i}` },
        )}</figure>`,
      );
    });
  }

  if (report.frames.length) {
    out.push('<h2>Frames</h2>', '<div class="frames">');
    for (const f of report.frames) {
      out.push(`<figure><img src="${e(f.image)}" alt="${e(`${f.sequence} frame ${f.frame}`)}"><figcaption>${e(f.sequence)} · frame ${e(String(f.frame))}${f.caption ? ` · ${e(f.caption)}` : ''}</figcaption></figure>`);
    }
    out.push('</div>');
  }

  if (report.dataset) {
    out.push('<h2>Dataset</h2>', table([['name', report.dataset.name], ['sequences', String(report.dataset.sequences)], ['frames', report.dataset.frames === null ? '-' : String(report.dataset.frames)]]));
  }
  if (report.models.length) {
    out.push('<h2>Models</h2>', '<table><thead><tr><th>file</th><th>bytes</th><th>sha256</th></tr></thead><tbody>');
    for (const m of report.models) out.push(`<tr><td>${e(m.name)}</td><td>${e(String(m.bytes))}</td><td class="mono">${e(m.sha256)}</td></tr>`);
    out.push('</tbody></table>');
  }
  if (Object.keys(report.environment).length) out.push('<h2>Environment</h2>', table(Object.entries(report.environment)));
  if (Object.keys(report.timings).length) out.push('<h2>Timings</h2>', table(Object.entries(report.timings).map(([k, v]) => [k, `${v.toFixed(3)} s`])));
  if (report.config) out.push('<h2>Config</h2>', `<p class="meta">${e(report.config.name)}</p>`, `<pre>${e(report.config.text)}</pre>`);

  out.push(`<script type="application/json" id="mmtrack-report">${embedJson(report)}</script>`, '</body>', '</html>', '');
  return out.join('\n');
}

/** Per metric, the comparison rows with the best value where the rows differ (fewer is better for counts of errors). */
export function comparisonBest(c: NonNullable<EvalReport['comparison']>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const m of c.metrics) {
    const values = c.rows.map((r) => r.values[m] ?? null);
    const numbers = values.filter((v): v is number => v !== null);
    if (new Set(numbers).size < 2) continue;
    const top = LOWER_IS_BETTER.has(m) ? Math.min(...numbers) : Math.max(...numbers);
    out[m] = values.flatMap((v, i) => (v === top ? [i] : []));
  }
  return out;
}

/** Metrics of a comparison where fewer is better (MMTracking's search metrics and TrackEval's counts of errors). */
const LOWER_IS_BETTER = new Set(['FN', 'FP', 'IDs', 'IDSW', 'ML', 'FM', 'Frag']);

/** The metric drawn as per-sequence bars, by task (first one present). */
const HEADLINE: Record<EvalReport['task'], string[]> = {
  mot: ['HOTA', 'MOTA', 'IDF1'],
  sot: ['success', 'eao', 'precision'],
  vid: ['bbox_mAP'],
  vis: ['segm_mAP'],
};

/** A metric as the evaluators print it, rounded for reading (4 significant decimals; integers as they are). */
export function formatMetric(v: MetricValue): string {
  if (v === null) return '-';
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(Math.abs(v) >= 100 ? 2 : 4);
}

function table(rows: [string, string][]): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('')}</table>`;
}

/** JSON safe inside <script>: `<`, `>`, `&` and the JS line separators escaped, so `</script>` cannot close it. */
function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The report embedded by {@link renderReportHtml}, as JSON text (to import an HTML report again). */
export function extractReportJson(html: string): string | null {
  const m = /<script type="application\/json" id="mmtrack-report">([\s\S]*?)<\/script>/.exec(html);
  return m ? m[1]! : null;
}

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
td.best { font-weight: 600; background: #eef7ee; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; } h2 { font-size: 1.15rem; margin-top: 1.8rem; border-bottom: 1px solid #ddd; }
.meta { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5rem 0; } th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: right; }
th { background: #f5f5f5; } td.name, table:not(.metrics) th, table:not(.metrics) td { text-align: left; }
td.bar { width: 160px; } td.bar div { height: 0.8rem; background: #1f77b4; }
.mono, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
pre { background: #f7f7f7; padding: 0.8rem; overflow: auto; max-height: 30rem; white-space: pre-wrap; word-break: break-all; }
.frames { display: flex; flex-wrap: wrap; gap: 1rem; } .frames img { max-width: 480px; height: auto; display: block; }
figure { margin: 0.5rem 0; } svg { max-width: 100%; height: auto; }
`;

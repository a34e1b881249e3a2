import { dataDomain, formatTick, niceStep, niceTicks } from './chart-scale.ts';
import { decimateMinMax, sliceXRange } from './decimate.ts';

/**
 * A line chart as a standalone SVG document, built as a string (no DOM): axes with ticks and grid, one polyline
 * per series (broken at NaN / ±Infinity), optional point markers, a legend under the plot and a title. Every piece
 * of text is XML-escaped, so labels taken from file names or logs cannot inject markup. Used by the CLI's
 * `analyze-logs plot_curve --out` and the app's "Export SVG" / "Export PNG".
 */
export interface SvgChartSeries {
  label: string;
  /** Ascending x. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Draw a circle on every point (the script's `marker='o'` for per-epoch metrics). */
  markers?: boolean;
  /** CSS colour (`#rrggbb` or a name); default from {@link SERIES_COLORS}. */
  color?: string;
}

export interface SvgChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Whole image width in px. Default 800. */
  width?: number;
  /** Height of the plot area in px (the legend adds rows below it). Default 400. */
  plotHeight?: number;
  /** Visible x range (zoom); default the data's range. */
  xDomain?: [number, number];
  /** Visible y range; default the data's range padded by 5 %. */
  yDomain?: [number, number];
  /** Points drawn per series at most (min/max decimation keeps spikes). Default 4 × width. */
  maxPointsPerSeries?: number;
  /** Prefix of the SVG's element ids, to keep several charts in one HTML page apart. */
  idPrefix?: string;
}

/** Matplotlib's default cycle ("tab10"), the colours MMTracking's figures use. */
export const SERIES_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";
const MARGIN = { left: 76, right: 24, top: 20, titleExtra: 28, axisBelow: 58 };
const LEGEND_ROW = 20;

/** Escapes the five XML special characters for text content and quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

function safeColor(color: string | undefined, index: number): string {
  if (color && /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,30})$/.test(color)) return color;
  return SERIES_COLORS[index % SERIES_COLORS.length]!;
}

const num = (v: number): string => (Math.round(v * 100) / 100).toString();

export function renderSvgChart(series: SvgChartSeries[], options: SvgChartOptions = {}): string {
  const width = options.width ?? 800;
  const plotHeight = options.plotHeight ?? 400;
  const id = (options.idPrefix ?? 'mmtrack-chart').replace(/[^A-Za-z0-9_-]/g, '_');
  const maxPoints = options.maxPointsPerSeries ?? width * 4;
  const top = MARGIN.top + (options.title ? MARGIN.titleExtra : 0);
  const left = MARGIN.left;
  const plotWidth = Math.max(10, width - left - MARGIN.right);
  const legendTop = top + plotHeight + MARGIN.axisBelow;
  const height = legendTop + series.length * LEGEND_ROW + 12;

  const [x0, x1] = options.xDomain ?? dataDomain(series.map((s) => s.x));
  const visible = series.map((s) => (options.xDomain ? sliceXRange(s.x, s.y, x0, x1) : { x: s.x, y: s.y }));
  const [y0, y1] = options.yDomain ?? dataDomain(visible.map((v) => v.y), 0.05);
  const sx = (x: number) => left + ((x - x0) / (x1 - x0 || 1)) * plotWidth;
  const sy = (y: number) => top + plotHeight - ((y - y0) / (y1 - y0 || 1)) * plotHeight;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT)}" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<defs><clipPath id="${id}-plot"><rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}"/></clipPath></defs>`,
  );
  if (options.title) out.push(`<text x="${num(left + plotWidth / 2)}" y="${MARGIN.top + 10}" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`);

  // Grid and ticks.
  const xStep = niceStep((x1 - x0) / 8 || 1);
  const yStep = niceStep((y1 - y0) / 6 || 1);
  out.push('<g stroke="#e5e5e5" stroke-width="1">');
  const xTicks = niceTicks(x0, x1, 8);
  const yTicks = niceTicks(y0, y1, 6);
  for (const t of xTicks) out.push(`<line x1="${num(sx(t))}" y1="${top}" x2="${num(sx(t))}" y2="${top + plotHeight}"/>`);
  for (const t of yTicks) out.push(`<line x1="${left}" y1="${num(sy(t))}" x2="${left + plotWidth}" y2="${num(sy(t))}"/>`);
  out.push('</g>');
  out.push(`<rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333333"/>`);
  out.push('<g fill="#333333">');
  for (const t of xTicks) {
    out.push(`<line x1="${num(sx(t))}" y1="${top + plotHeight}" x2="${num(sx(t))}" y2="${top + plotHeight + 5}" stroke="#333333"/>`);
    out.push(`<text x="${num(sx(t))}" y="${top + plotHeight + 19}" text-anchor="middle">${escapeXml(formatTick(t, xStep))}</text>`);
  }
  for (const t of yTicks) {
    out.push(`<line x1="${left - 5}" y1="${num(sy(t))}" x2="${left}" y2="${num(sy(t))}" stroke="#333333"/>`);
    out.push(`<text x="${left - 8}" y="${num(sy(t) + 4)}" text-anchor="end">${escapeXml(formatTick(t, yStep))}</text>`);
  }
  out.push('</g>');
  if (options.xLabel) out.push(`<text x="${num(left + plotWidth / 2)}" y="${top + plotHeight + 40}" text-anchor="middle" font-size="13">${escapeXml(options.xLabel)}</text>`);
  if (options.yLabel) {
    const cy = num(top + plotHeight / 2);
    out.push(`<text x="16" y="${cy}" transform="rotate(-90 16 ${cy})" text-anchor="middle" font-size="13">${escapeXml(options.yLabel)}</text>`);
  }

  // Series.
  out.push(`<g clip-path="url(#${id}-plot)" fill="none" stroke-width="1.2" stroke-linejoin="round">`);
  visible.forEach((v, i) => {
    const s = series[i]!;
    const color = safeColor(s.color, i);
    const d = decimateMinMax(v.x, v.y, maxPoints);
    for (const segment of finiteSegments(d.x, d.y)) {
      const points = segment.map(([x, y]) => `${num(sx(x))},${num(sy(y))}`).join(' ');
      out.push(`<polyline stroke="${escapeXml(color)}" points="${points}"/>`);
    }
    if (s.markers && d.x.length <= 1000) {
      for (let k = 0; k < d.x.length; k++) {
        if (!Number.isFinite(d.y[k]!)) continue;
        out.push(`<circle cx="${num(sx(d.x[k]!))}" cy="${num(sy(d.y[k]!))}" r="3.5" fill="${escapeXml(color)}" stroke="none"/>`);
      }
    }
  });
  out.push('</g>');

  // Legend, one row per series under the axes (labels are often long file paths).
  out.push('<g font-size="12">');
  series.forEach((s, i) => {
    const color = escapeXml(safeColor(s.color, i));
    const y = legendTop + i * LEGEND_ROW;
    out.push(`<line x1="${left}" y1="${y}" x2="${left + 24}" y2="${y}" stroke="${color}" stroke-width="2"/>`);
    if (s.markers) out.push(`<circle cx="${left + 12}" cy="${y}" r="3.5" fill="${color}"/>`);
    out.push(`<text x="${left + 32}" y="${y + 4}">${escapeXml(s.label)}</text>`);
  });
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}

/** Runs of consecutive points with finite y (a NaN loss breaks the line instead of dropping to 0). */
function finiteSegments(x: ArrayLike<number>, y: ArrayLike<number>): [number, number][][] {
  const segments: [number, number][][] = [];
  let current: [number, number][] = [];
  for (let i = 0; i < x.length; i++) {
    const xv = x[i]!;
    const yv = y[i]!;
    if (Number.isFinite(xv) && Number.isFinite(yv)) {
      current.push([xv, yv]);
    } else if (current.length) {
      segments.push(current);
      current = [];
    }
  }
  if (current.length) segments.push(current);
  return segments;
}

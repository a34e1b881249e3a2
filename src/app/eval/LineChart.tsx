import type { EvalCurve } from '../../core/eval/eval-run.ts';

const W = 360;
const H = 240;
const M = { left: 44, right: 10, top: 22, bottom: 36 };
const COLORS = ['#4da3ff', '#ff6b6b', '#f0b429', '#3ecf8e', '#c084fc', '#f472b6', '#22d3ee', '#a3e635', '#fb923c', '#94a3b8'];

/** Chart coordinates (SVG user units) from data coordinates: pure geometry, kept apart from the markup. */
export function chartScale(xs: readonly number[], yMax: number): { x: (v: number) => number; y: (v: number) => number } {
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const spanX = x1 - x0 || 1;
  const spanY = yMax || 1;
  return {
    x: (v) => M.left + ((v - x0) / spanX) * (W - M.left - M.right),
    y: (v) => H - M.bottom - (Math.max(0, Math.min(v, spanY)) / spanY) * (H - M.top - M.bottom),
  };
}

/** One curve set (success plot, precision plot, PR curves) as an inline SVG line chart with a legend. */
export function LineChart({ curve }: { curve: EvalCurve }) {
  const yMax = Math.max(1e-9, ...curve.series.flatMap((s) => s.y)) > 1.0001 ? 100 : 1;
  const sc = chartScale(curve.x, yMax);
  const ticksY = [0, 0.25, 0.5, 0.75, 1].map((t) => t * yMax);
  const x0 = curve.x[0] ?? 0;
  const x1 = curve.x[curve.x.length - 1] ?? 1;
  const ticksX = [0, 0.25, 0.5, 0.75, 1].map((t) => x0 + t * (x1 - x0));
  const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(2));
  return (
    <figure className="eval-chart" data-testid="eval-chart">
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={curve.title}>
        <text x={W / 2} y={14} textAnchor="middle" className="eval-chart-title">
          {curve.title}
        </text>
        {ticksY.map((t) => (
          <g key={`y${t}`}>
            <line x1={M.left} x2={W - M.right} y1={sc.y(t)} y2={sc.y(t)} className="eval-grid" />
            <text x={M.left - 4} y={sc.y(t) + 4} textAnchor="end" className="eval-tick">
              {fmt(t)}
            </text>
          </g>
        ))}
        {ticksX.map((t) => (
          <text key={`x${t}`} x={sc.x(t)} y={H - M.bottom + 14} textAnchor="middle" className="eval-tick">
            {fmt(t)}
          </text>
        ))}
        <text x={W / 2} y={H - 4} textAnchor="middle" className="eval-tick">
          {curve.xLabel}
        </text>
        <text x={10} y={H / 2} transform={`rotate(-90 10 ${H / 2})`} textAnchor="middle" className="eval-tick">
          {curve.yLabel}
        </text>
        {curve.series.map((s, i) => (
          <polyline
            key={s.name}
            fill="none"
            stroke={COLORS[i % COLORS.length]}
            strokeWidth={i === 0 ? 2 : 1}
            points={s.y.map((v, k) => `${sc.x(curve.x[k]!).toFixed(1)},${sc.y(v).toFixed(1)}`).join(' ')}
          >
            <title>{s.name}</title>
          </polyline>
        ))}
      </svg>
      <figcaption className="eval-legend">
        {curve.series.slice(0, COLORS.length).map((s, i) => (
          <span key={s.name}>
            <i style={{ background: COLORS[i % COLORS.length] }} />
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

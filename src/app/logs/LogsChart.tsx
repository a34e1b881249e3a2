import { useMemo, useState, type MouseEvent } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, usePlotArea, useXAxisInverseScale, XAxis, YAxis } from 'recharts';
import { formatTick, niceStep, niceTicks } from '../../core/logs/chart-scale.ts';
import { useLogsStore } from './logs-store.ts';

/** Drag across the plot to zoom into that x range (drawn inside the chart, where recharts' scales are known). */
function ZoomSelection({ onZoom }: { onZoom: (range: [number, number]) => void }) {
  const invert = useXAxisInverseScale();
  const area = usePlotArea();
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  if (!area || !invert) return null;
  const px = (e: MouseEvent<SVGRectElement>) => area.x + (e.clientX - e.currentTarget.getBoundingClientRect().left);
  const finish = () => {
    if (drag && Math.abs(drag.to - drag.from) > 4) onZoom([Number(invert(Math.min(drag.from, drag.to))), Number(invert(Math.max(drag.from, drag.to)))]);
    setDrag(null);
  };
  return (
    <g>
      <rect
        data-testid="logs-zoom-area"
        x={area.x}
        y={area.y}
        width={area.width}
        height={area.height}
        fill="transparent"
        style={{ cursor: 'crosshair' }}
        onMouseDown={(e) => setDrag({ from: px(e), to: px(e) })}
        onMouseMove={(e) => drag && setDrag({ from: drag.from, to: px(e) })}
        onMouseUp={finish}
        onMouseLeave={() => setDrag(null)}
      />
      {drag && <rect x={Math.min(drag.from, drag.to)} y={area.y} width={Math.abs(drag.to - drag.from)} height={area.height} fill="rgba(31,119,180,0.15)" pointerEvents="none" />}
    </g>
  );
}

/** The curves of the selected keys of every run, from the worker's (decimated) curve data. */
export function LogsChart() {
  const chart = useLogsStore((s) => s.chart);
  const zoom = useLogsStore((s) => s.zoom);
  const dispatch = useLogsStore((s) => s.dispatch);
  const lines = useMemo(
    () =>
      (chart?.series ?? []).map((s) => ({
        id: `${s.runId}/${s.key}`,
        label: s.label,
        color: s.color,
        perEpoch: s.perEpoch,
        points: Array.from(s.x, (x, i) => ({ x, y: Number.isFinite(s.y[i]!) ? s.y[i]! : null })),
      })),
    [chart],
  );
  const xDomain = useMemo((): [number, number] | null => {
    if (zoom) return zoom;
    let lo = Infinity;
    let hi = -Infinity;
    for (const l of lines) {
      for (const p of l.points) {
        lo = Math.min(lo, p.x);
        hi = Math.max(hi, p.x);
      }
    }
    return lo < hi ? [lo, hi] : null;
  }, [lines, zoom]);
  const xStep = xDomain ? niceStep((xDomain[1] - xDomain[0]) / 8) : 1;

  return (
    <div className="logs-chart" data-testid="logs-chart" data-series={lines.length} onDoubleClick={() => dispatch({ type: 'reset-zoom' })}>
      {lines.length === 0 ? (
        <p className="placeholder">Pick one or more keys to draw their curves.</p>
      ) : (
        <ResponsiveContainer width="100%" height={400}>
          <LineChart margin={{ top: 10, right: 24, bottom: 24, left: 8 }}>
            <CartesianGrid stroke="#e5e5e5" />
            <XAxis
              type="number"
              dataKey="x"
              domain={xDomain ?? ['dataMin', 'dataMax']}
              allowDataOverflow
              {...(xDomain ? { ticks: niceTicks(xDomain[0], xDomain[1], 8) } : {})}
              tickFormatter={(v: number) => formatTick(v, xStep)}
              label={{ value: chart?.xAxis ?? '', position: 'insideBottom', offset: -12 }}
            />
            <YAxis type="number" domain={['auto', 'auto']} allowDataOverflow width={64} />
            <Tooltip shared={false} />
            <Legend verticalAlign="top" itemSorter={null} />
            {lines.map((l) => (
              <Line
                key={l.id}
                data={l.points}
                dataKey="y"
                name={l.label}
                stroke={l.color}
                dot={l.perEpoch ? { r: 3, fill: l.color } : false}
                strokeWidth={1.2}
                isAnimationActive={false}
                connectNulls={false}
                type="linear"
              />
            ))}
            <ZoomSelection onZoom={(range) => dispatch({ type: 'zoom', range })} />
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}

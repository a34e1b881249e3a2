import { describe, expect, it } from 'vitest';
import { formatTick, niceTicks } from './chart-scale.ts';
import { escapeXml, renderSvgChart } from './svg-chart.ts';

describe('niceTicks', () => {
  it('uses 1/2/5 steps inside the range', () => {
    expect(niceTicks(0, 21000, 8)).toEqual([0, 5000, 10000, 15000, 20000]);
    expect(niceTicks(0.12, 0.97, 6)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(0.1, 0.3, 4)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3]);
  });

  it('labels ticks without float noise', () => {
    expect(niceTicks(0, 0.3, 6).map((t) => formatTick(t, 0.05))).toEqual(['0', '0.05', '0.10', '0.15', '0.20', '0.25', '0.30']);
    expect(formatTick(20000, 5000)).toBe('20000');
    expect(formatTick(2e7, 5e6)).toBe('2.0e+7');
    expect(formatTick(2.5e7, 5e6)).toBe('2.5e+7');
  });
});

describe('renderSvgChart', () => {
  const series = [
    { label: 'run1_loss', x: [0, 1, 2, 3], y: [4, 3, Number.NaN, 1] },
    { label: 'run1_bbox_mAP', x: [1, 2, 3], y: [0.2, 0.3, 0.4], markers: true },
  ];

  it('draws one polyline per finite run and markers where asked', () => {
    const svg = renderSvgChart(series, { title: 'losses', xLabel: 'iter' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3); // the NaN splits run1_loss in two
    expect(svg.match(/<circle /g)).toHaveLength(3 + 1); // 3 points + the legend's marker
    expect(svg).toContain('>losses</text>');
    expect(svg).toContain('>run1_bbox_mAP</text>');
    expect(svg).toContain('>iter</text>');
  });

  it('escapes every text: labels, title and axis names', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const svg = renderSvgChart([{ label: evil, x: [0, 1], y: [0, 1], color: '"/><script>' }], { title: `a & ${evil}`, xLabel: evil, yLabel: "'q'" });
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(svg).toContain('a &amp; &lt;img');
    expect(svg).toContain('&#39;q&#39;');
    expect(escapeXml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('thins out long series and keeps the zoomed range', () => {
    const n = 200_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => i % 97);
    const svg = renderSvgChart([{ label: 'big', x, y }], { width: 400, xDomain: [1000, 2000] });
    const points = svg.match(/points="([^"]*)"/)![1]!.split(' ');
    expect(points.length).toBeLessThanOrEqual(1600);
    expect(points.length).toBeGreaterThan(100);
    // Ticks follow the zoomed domain.
    expect(svg).toContain('>1000</text>');
    expect(svg).toContain('>2000</text>');
  });
});

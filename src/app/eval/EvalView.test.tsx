import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { runEvalJob } from '../../core/eval/eval-run.ts';
import type { EvalRunner } from '../../workers/eval-client.ts';
import type { EvalApi } from '../../workers/eval-protocol.ts';
import { inThreadWorker } from '../../workers/in-thread-worker.node.ts';
import { RpcClient } from '../../workers/rpc.ts';
import { createEvalStore } from './eval-store.ts';
import { chartScale } from './LineChart.tsx';

vi.mock('./eval.css', () => ({}));
const { EvalPanelView } = await import('./EvalView.tsx');

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const shared = (p: string): string => path.resolve(repoRoot, '../shared', p);

/** The eval worker's job served in this thread, behind the same RPC (progress, cancel) as the app's worker. */
const evalClient = new RpcClient<EvalApi>('eval', () =>
  inThreadWorker<EvalApi>({ evaluate: (input, { signal, progress }) => runEvalJob(input, { onProgress: (f, stage) => progress([f, stage]), isCancelled: () => signal.aborted }) }),
);
const directRunner: EvalRunner = (input, onProgress) => evalClient.start('evaluate', input, { onProgress: ([f, stage]) => onProgress(f, stage) });

const sotFiles = () => ({
  gt: { label: 'street-car', files: { 'street-car/groundtruth.txt': readFileSync(shared('sot/street-car/groundtruth.txt'), 'utf8') } },
  results: { label: 'tracker', files: { 'tracker/street-car.txt': readFileSync(shared('sot/street-car/result.txt'), 'utf8') } },
});

describe('evaluation view', () => {
  it('runs an SOT evaluation and shows the table and the success/precision plots', async () => {
    const store = createEvalStore(directRunner);
    const { gt, results } = sotFiles();
    store.getState().setGt(gt);
    store.getState().setResults(results);
    expect(renderToStaticMarkup(<EvalPanelView state={store.getState()} />)).toContain('street-car: 1 file');
    store.getState().run();
    expect(store.getState().status).toBe('running');
    expect(renderToStaticMarkup(<EvalPanelView state={store.getState()} />)).toContain('data-testid="eval-progress"');
    await vi.waitFor(() => expect(store.getState().status).toBe('done'));
    const html = renderToStaticMarkup(<EvalPanelView state={store.getState()} />);
    expect(html).toContain('<td>OVERALL</td><td>76.06</td><td>78.00</td><td>87.33</td>');
    expect(html.split('data-testid="eval-chart"').length - 1).toBe(2);
    expect(html).toContain('aria-label="Success plot"');
    expect(html).toContain('<polyline');
  });

  it('lists MOT sequences worst first and reports bad input', async () => {
    const store = createEvalStore(directRunner);
    const read = (p: string) => readFileSync(shared(p), 'utf8');
    const gtFiles: Record<string, string> = {};
    const resFiles: Record<string, string> = {};
    for (const s of ['MOT17-02-SYN', 'MOT17-03-SYN', 'MOT17-04-SYN']) {
      gtFiles[`MOT17-train/${s}/gt/gt.txt`] = read(`eval/mot/gt/mot_challenge/MOT17-train/${s}/gt/gt.txt`);
      gtFiles[`MOT17-train/${s}/seqinfo.ini`] = read(`eval/mot/gt/mot_challenge/MOT17-train/${s}/seqinfo.ini`);
      resFiles[`data/${s}.txt`] = read(`eval/mot/trackers/mot_challenge/MOT17-train/demo/data/${s}.txt`);
    }
    store.getState().setGt({ label: 'MOT17-train', files: gtFiles });
    store.getState().setResults({ label: 'data', files: resFiles });
    store.getState().run();
    await vi.waitFor(() => expect(store.getState().error ?? store.getState().status).toBe('done'), { timeout: 10_000 });
    const html = renderToStaticMarkup(<EvalPanelView state={store.getState()} />);
    const order = ['COMBINED_SEQ', 'MOT17-03-SYN', 'MOT17-02-SYN', 'MOT17-04-SYN'].map((n) => html.indexOf(`<td>${n}</td>`));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
    expect(html).toContain('<td>COMBINED_SEQ</td><td>0.5368</td>');

    store.getState().setResults({ label: 'bad', files: { 'x/other.txt': '1,1,0,0,1,1,1\n' } });
    store.getState().run();
    await vi.waitFor(() => expect(store.getState().status).toBe('error'));
    expect(renderToStaticMarkup(<EvalPanelView state={store.getState()} />)).toContain('no results for sequence MOT17-02-SYN');
  });

  it('cancels a running evaluation', async () => {
    const store = createEvalStore(directRunner);
    const { gt, results } = sotFiles();
    store.getState().setGt(gt);
    store.getState().setResults(results);
    store.getState().run();
    store.getState().cancel();
    await vi.waitFor(() => expect(store.getState().error ?? store.getState().status).toBe('cancelled'));
    expect(renderToStaticMarkup(<EvalPanelView state={store.getState()} />)).toContain('Evaluation cancelled.');
  });

  it('maps data to chart coordinates inside the plot area', () => {
    const sc = chartScale([0, 50], 100);
    expect(sc.x(0)).toBe(44);
    expect(sc.x(50)).toBe(350);
    expect(sc.y(0)).toBe(204);
    expect(sc.y(100)).toBe(22);
    expect(sc.y(150)).toBe(22);
  });
});

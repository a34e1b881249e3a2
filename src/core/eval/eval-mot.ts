import type { MotRows } from '../datasets/mot-challenge.ts';
import { Clear, type ClearResult } from './clear.ts';
import { Hota, type HotaResult } from './hota.ts';
import { Identity, type IdentityResult } from './identity.ts';
import { preprocessMotSequence, type MotPreprocessOptions } from './mot-preprocess.ts';

/** One sequence to evaluate: gt and tracker rows, and its length in frames (`seqinfo.ini` seqLength). */
export interface MotEvalInput {
  name: string;
  gt: MotRows;
  tracker: MotRows;
  seqLength: number;
}

export interface MotMetrics {
  hota: HotaResult;
  clear: ClearResult;
  identity: IdentityResult;
}

export interface MotEvalReport {
  sequences: Record<string, MotMetrics>;
  /** TrackEval's `COMBINED_SEQ`. */
  combined: MotMetrics;
}

/** Name TrackEval gives the all-sequences row. */
export const COMBINED_SEQ = 'COMBINED_SEQ';

/**
 * HOTA + CLEAR + Identity for MOTChallenge pedestrians, as TrackEval's `run_mot_challenge.py` with the default
 * config (MotChallenge2DBox, pedestrian, preprocessing on) computes them.
 * @param onProgress called after each sequence with (done, total).
 */
export function evalMot(inputs: readonly MotEvalInput[], options: MotPreprocessOptions & { onProgress?: (done: number, total: number) => void } = {}): MotEvalReport {
  const hota = new Hota();
  const clear = new Clear();
  const identity = new Identity();
  const sequences: Record<string, MotMetrics> = {};
  inputs.forEach((input, k) => {
    const data = preprocessMotSequence(input.name, input.gt, input.tracker, input.seqLength, options);
    sequences[input.name] = { hota: hota.evalSequence(data), clear: clear.evalSequence(data), identity: identity.evalSequence(data) };
    options.onProgress?.(k + 1, inputs.length);
  });
  const pick = <K extends keyof MotMetrics>(key: K): Record<string, MotMetrics[K]> => Object.fromEntries(Object.entries(sequences).map(([n, m]) => [n, m[key]]));
  const combined: MotMetrics = {
    hota: hota.combineSequences(pick('hota')),
    clear: clear.combineSequences(pick('clear')),
    identity: identity.combineSequences(pick('identity')),
  };
  return { sequences, combined };
}

/** The fields of the MOT summary table (`expected.json` layout), fractions / counts. */
export const MOT_SUMMARY_FIELDS = ['AssA', 'DetA', 'FN', 'FP', 'Frag', 'HOTA', 'IDF1', 'IDP', 'IDR', 'IDSW', 'LocA', 'ML', 'MOTA', 'MOTP', 'MT', 'PT', 'TP'] as const;
export type MotSummaryField = (typeof MOT_SUMMARY_FIELDS)[number];

/** One row of the summary table. With `all`, every TrackEval scalar (DetRe, MODA, IDTP, ...) is added. */
export function motSummaryRow(m: MotMetrics, all = false): Record<string, number> {
  const h = new Hota().summary(m.hota);
  const c = new Clear().summary(m.clear);
  const i = new Identity().summary(m.identity);
  const merged: Record<string, number> = { ...h, ...c, ...i };
  if (!all) return Object.fromEntries(MOT_SUMMARY_FIELDS.map((f) => [f, merged[f]!]));
  return Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]!]));
}

/** `{COMBINED_SEQ: row, SEQ: row, ...}` with keys sorted, the layout of TrackEval's exported summary. */
export function motSummaryTable(report: MotEvalReport, all = false): Record<string, Record<string, number>> {
  const rows: Record<string, Record<string, number>> = { [COMBINED_SEQ]: motSummaryRow(report.combined, all) };
  for (const [name, m] of Object.entries(report.sequences)) rows[name] = motSummaryRow(m, all);
  return Object.fromEntries(Object.keys(rows).sort().map((k) => [k, rows[k]!]));
}

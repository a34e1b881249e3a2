import type { MotRows } from '../datasets/mot-challenge.ts';
import { Clear, CLEAR_FLOAT_FIELDS, CLEAR_INTEGER_FIELDS, type ClearResult } from './clear.ts';
import { Hota, HOTA_ARRAY_FIELDS, type HotaResult } from './hota.ts';
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

/**
 * Every scalar TrackEval computes for HOTA, CLEAR and Identity, under TrackEval's names (per-alpha arrays as their
 * mean, as TrackEval's summaries report them): what `eval mot --all-fields` prints.
 */
export function trackEvalRow(m: MotMetrics): Record<string, number> {
  const row: Record<string, number> = {};
  const avg = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  for (const f of HOTA_ARRAY_FIELDS) row[f] = avg(m.hota[f]);
  for (const f of ['HOTA(0)', 'LocA(0)', 'HOTALocA(0)'] as const) row[f] = m.hota[f];
  for (const f of [...CLEAR_INTEGER_FIELDS, ...CLEAR_FLOAT_FIELDS]) row[f] = m.clear[f];
  for (const f of ['IDTP', 'IDFN', 'IDFP', 'IDR', 'IDP', 'IDF1'] as const) row[f] = m.identity[f];
  return Object.fromEntries(Object.keys(row).sort().map((k) => [k, row[k]!]));
}

/**
 * `{COMBINED_SEQ: row, SEQ: row, ...}` with keys sorted, the layout of TrackEval's exported summary: the short table
 * (MOT_SUMMARY_FIELDS), or with `all` every TrackEval field under its own name ({@link trackEvalRow}).
 */
export function motSummaryTable(report: MotEvalReport, all = false): Record<string, Record<string, number>> {
  const row = (m: MotMetrics) => (all ? trackEvalRow(m) : motSummaryRow(m));
  const rows: Record<string, Record<string, number>> = { [COMBINED_SEQ]: row(report.combined) };
  for (const [name, m] of Object.entries(report.sequences)) rows[name] = row(m);
  return Object.fromEntries(Object.keys(rows).sort().map((k) => [k, rows[k]!]));
}

import { type EvalReport, type MetricValue, REPORT_SCHEMA, REPORT_VERSION, type ReportTask } from './report-schema.ts';

/**
 * Builds a report from the JSON `mmtrack eval` prints: `{COMBINED_SEQ, SEQ...}` (mot, TrackEval), `{OVERALL,
 * SEQ...}` (sot), or one flat object of numbers (vid `bbox_*`, vis `segm_*`). String fields (notes such as
 * `source`) are left out.
 */
export interface ReportInputs {
  /** Parsed METRICS.json. */
  metrics: unknown;
  /** Where the metrics came from, for messages. */
  metricsName: string;
  title?: string;
  /** Default: detected from the metrics' shape. */
  task?: ReportTask;
  createdAt: string;
  config?: { name: string; text: string } | null;
  dataset?: EvalReport['dataset'];
  models?: EvalReport['models'];
  curves?: EvalReport['curves'];
  frames?: EvalReport['frames'];
  environment?: Record<string, string>;
  timings?: Record<string, number>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The metric values of a row. In a row (`OVERALL`, `COMBINED_SEQ`, a sequence) every value must be a number (or
 * null: no value); `notes` (the flat vid/vis form) lets strings through as notes. A row without a metric is an error:
 * a report of nothing would look like a report.
 */
function numbers(obj: Record<string, unknown>, where: string, notes = false): Record<string, MetricValue> {
  const out: Record<string, MetricValue> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'number') out[k] = Number.isFinite(v) ? v : null;
    else if (v === null) out[k] = null;
    else if (!(notes && typeof v === 'string')) throw new Error(`${where}${where ? '.' : ''}${k} is ${(JSON.stringify(v) ?? typeof v).slice(0, 40)}, not a number (expected mmtrack eval's JSON output)`);
  }
  if (!Object.values(out).some((v) => v !== null)) throw new Error(`${where || 'the file'}: no metrics found (expected mmtrack eval's JSON output)`);
  return out;
}

export function buildReport(inputs: ReportInputs): EvalReport {
  const m = inputs.metrics;
  if (!isObject(m)) throw new Error(`${inputs.metricsName}: expected the JSON object printed by mmtrack eval`);
  let task: ReportTask;
  let overall: Record<string, MetricValue>;
  let perSequence: EvalReport['metrics']['perSequence'] = [];
  const sequences = (combinedKey: string) =>
    Object.entries(m)
      .filter(([k, v]) => k !== combinedKey && isObject(v))
      .map(([name, v]) => ({ name, values: numbers(v as Record<string, unknown>, `${inputs.metricsName}: ${name}`) }));
  if (isObject(m.COMBINED_SEQ)) {
    task = 'mot';
    overall = numbers(m.COMBINED_SEQ, `${inputs.metricsName}: COMBINED_SEQ`);
    perSequence = sequences('COMBINED_SEQ');
  } else if (isObject(m.OVERALL)) {
    task = 'sot';
    overall = numbers(m.OVERALL, `${inputs.metricsName}: OVERALL`);
    perSequence = sequences('OVERALL');
  } else {
    overall = numbers(m, inputs.metricsName, true);
    task = Object.keys(overall).some((k) => k.startsWith('segm_')) ? 'vis' : 'vid';
  }
  if (inputs.task) task = inputs.task;
  // MMTracking's OPE prints percentages; TrackEval, COCO and VOT print fractions.
  const unit = task === 'sot' && ('success' in overall || 'precision' in overall) ? 'percent' : 'fraction';
  return {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    createdAt: inputs.createdAt,
    title: inputs.title ?? `${task.toUpperCase()} evaluation`,
    task,
    metrics: { unit, overall, perSequence },
    config: inputs.config ?? null,
    models: inputs.models ?? [],
    dataset: inputs.dataset ?? (perSequence.length ? { name: inputs.metricsName, sequences: perSequence.length, frames: null } : null),
    curves: inputs.curves ?? [],
    frames: inputs.frames ?? [],
    environment: inputs.environment ?? {},
    timings: inputs.timings ?? {},
  };
}

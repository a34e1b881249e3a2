/**
 * A shareable evaluation report, schema `mmtrack-web.eval-report` version 1 (documented in docs/report.md).
 * Everything in a report is untrusted input once it travels: {@link validateReport} checks every field (types,
 * finite numbers, known keys only, image data URLs) and says where a report is wrong; renderers still escape
 * every string.
 */
import { jsonNestingOffset, MAX_JSON_NESTING } from '../datasets/json-input.ts';

export const REPORT_SCHEMA = 'mmtrack-web.eval-report';
export const REPORT_VERSION = 1;

export type ReportTask = 'mot' | 'sot' | 'vid' | 'vis';
export const REPORT_TASKS: readonly ReportTask[] = ['mot', 'sot', 'vid', 'vis'];

/** A metric value; null where the toolkit gives none (e.g. an empty COCO area range printed as -1 stays -1). */
export type MetricValue = number | null;

export interface EvalReport {
  schema: typeof REPORT_SCHEMA;
  version: typeof REPORT_VERSION;
  /** ISO 8601 time the report was made. */
  createdAt: string;
  title: string;
  task: ReportTask;
  metrics: {
    /** `fraction` (TrackEval, COCO) or `percent` (MMTracking's OPE), as the evaluator printed them. */
    unit: 'fraction' | 'percent';
    /** Combined over sequences (TrackEval's COMBINED_SEQ, OPE's OVERALL, COCO's whole set). */
    overall: Record<string, MetricValue>;
    perSequence: { name: string; values: Record<string, MetricValue> }[];
  };
  /** The merged config as JSON text (sorted keys), null when none was given. */
  config: { name: string; text: string } | null;
  models: { name: string; bytes: number; sha256: string }[];
  dataset: { name: string; sequences: number; frames: number | null } | null;
  /** Success/precision plots, PR curves...: x/y series of equal length. */
  curves: { title: string; xLabel: string; yLabel: string; series: { label: string; x: number[]; y: number[] }[] }[];
  /** A few frames with their overlays drawn in, as PNG/JPEG/WebP data URLs. */
  frames: { sequence: string; frame: number; image: string; caption: string }[];
  /** Browser, GPU adapter, execution provider, versions... as label → text. */
  environment: Record<string, string>;
  /** Seconds, by stage (decode, inference, tracking, evaluation...). */
  timings: Record<string, number>;
  /**
   * Optional: trackers compared on the same detections (the MOT panel's *Compare*), one row per tracker; `overall`
   * holds the first row's values. Older reports have none.
   */
  comparison?: { metrics: string[]; rows: { label: string; config: string | null; values: Record<string, MetricValue> }[] };
}

export type ValidationResult = { ok: true; report: EvalReport } | { ok: false; errors: string[] };

const IMAGE_DATA_URL = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]*={0,2}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** Checks that `value` is a version-1 report; errors name the JSON path (`metrics.perSequence[2].values.HOTA`). */
export function validateReport(value: unknown): ValidationResult {
  const errors: string[] = [];
  const fail = (path: string, message: string): void => {
    if (errors.length < 50) errors.push(`${path}: ${message}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const object = (v: unknown, path: string, keys: readonly string[], optional: readonly string[] = []): v is Record<string, unknown> => {
    if (v === undefined && path !== 'report') return false;
    if (!isObject(v)) {
      fail(path, `expected an object, got ${describe(v)}`);
      return false;
    }
    for (const k of Object.keys(v)) if (!keys.includes(k) && !optional.includes(k)) fail(`${path}.${k}`, 'unknown field');
    for (const k of keys) if (!(k in v)) fail(`${path}.${k}`, 'missing');
    return true;
  };
  // `undefined` = a missing field, already reported by `object`.
  const string = (v: unknown, path: string, maxLength = 1_000_000): void => {
    if (v === undefined) return;
    if (typeof v !== 'string') fail(path, `expected a string, got ${describe(v)}`);
    else if (v.length > maxLength) fail(path, `longer than ${maxLength} characters`);
  };
  const finite = (v: unknown, path: string): void => {
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `expected a finite number, got ${describe(v)}`);
  };
  const array = (v: unknown, path: string, each: (item: unknown, path: string) => void, maxLength = 100_000): void => {
    if (v === undefined) return;
    if (!Array.isArray(v)) return fail(path, `expected an array, got ${describe(v)}`);
    if (v.length > maxLength) return fail(path, `more than ${maxLength} items`);
    v.forEach((item, i) => each(item, `${path}[${i}]`));
  };
  const record = (v: unknown, path: string, each: (item: unknown, path: string) => void): void => {
    if (v === undefined) return;
    if (!isObject(v)) return fail(path, `expected an object, got ${describe(v)}`);
    for (const [k, item] of Object.entries(v)) each(item, `${path}.${k}`);
  };
  const metric = (v: unknown, path: string): void => {
    if (v !== null) finite(v, path);
  };

  const top = ['schema', 'version', 'createdAt', 'title', 'task', 'metrics', 'config', 'models', 'dataset', 'curves', 'frames', 'environment', 'timings'];
  if (!object(value, 'report', top, ['comparison'])) return { ok: false, errors };
  const r = value;
  if (r.schema !== undefined && r.schema !== REPORT_SCHEMA) fail('report.schema', `expected "${REPORT_SCHEMA}", got ${describe(r.schema)}`);
  if (r.version !== undefined && r.version !== REPORT_VERSION) fail('report.version', `this app reads version ${REPORT_VERSION}, got ${describe(r.version)}`);
  string(r.createdAt, 'report.createdAt', 100);
  if (typeof r.createdAt === 'string' && Number.isNaN(Date.parse(r.createdAt))) fail('report.createdAt', 'not an ISO 8601 date');
  string(r.title, 'report.title', 1000);
  if (r.task !== undefined && !REPORT_TASKS.includes(r.task as ReportTask)) fail('report.task', `expected one of ${REPORT_TASKS.join(', ')}, got ${describe(r.task)}`);
  if (object(r.metrics, 'report.metrics', ['unit', 'overall', 'perSequence'])) {
    const m = r.metrics;
    if (m.unit !== undefined && m.unit !== 'fraction' && m.unit !== 'percent') fail('report.metrics.unit', `expected "fraction" or "percent", got ${describe(m.unit)}`);
    record(m.overall, 'report.metrics.overall', metric);
    array(m.perSequence, 'report.metrics.perSequence', (s, p) => {
      if (!object(s, p, ['name', 'values'])) return;
      string(s.name, `${p}.name`, 1000);
      record(s.values, `${p}.values`, metric);
    });
  }
  if (r.config !== null && object(r.config, 'report.config', ['name', 'text'])) {
    string(r.config.name, 'report.config.name', 1000);
    string(r.config.text, 'report.config.text');
  }
  array(r.models, 'report.models', (m, p) => {
    if (!object(m, p, ['name', 'bytes', 'sha256'])) return;
    string(m.name, `${p}.name`, 1000);
    finite(m.bytes, `${p}.bytes`);
    if (m.sha256 !== undefined && (typeof m.sha256 !== 'string' || !SHA256.test(m.sha256))) fail(`${p}.sha256`, 'expected 64 lowercase hex digits');
  });
  if (r.dataset !== null && object(r.dataset, 'report.dataset', ['name', 'sequences', 'frames'])) {
    string(r.dataset.name, 'report.dataset.name', 1000);
    finite(r.dataset.sequences, 'report.dataset.sequences');
    if (r.dataset.frames !== null) finite(r.dataset.frames, 'report.dataset.frames');
  }
  array(r.curves, 'report.curves', (c, p) => {
    if (!object(c, p, ['title', 'xLabel', 'yLabel', 'series'])) return;
    string(c.title, `${p}.title`, 1000);
    string(c.xLabel, `${p}.xLabel`, 1000);
    string(c.yLabel, `${p}.yLabel`, 1000);
    array(c.series, `${p}.series`, (s, q) => {
      if (!object(s, q, ['label', 'x', 'y'])) return;
      string(s.label, `${q}.label`, 1000);
      array(s.x, `${q}.x`, finite);
      array(s.y, `${q}.y`, finite);
      if (Array.isArray(s.x) && Array.isArray(s.y) && s.x.length !== s.y.length) fail(q, `x has ${s.x.length} values, y ${s.y.length}`);
    });
  });
  array(
    r.frames,
    'report.frames',
    (f, p) => {
      if (!object(f, p, ['sequence', 'frame', 'image', 'caption'])) return;
      string(f.sequence, `${p}.sequence`, 1000);
      finite(f.frame, `${p}.frame`);
      string(f.caption, `${p}.caption`, 1000);
      if (f.image !== undefined && (typeof f.image !== 'string' || !IMAGE_DATA_URL.test(f.image))) fail(`${p}.image`, 'expected a data:image/png|jpeg|webp;base64 URL');
    },
    50,
  );
  if (r.comparison !== undefined && object(r.comparison, 'report.comparison', ['metrics', 'rows'])) {
    const c = r.comparison;
    array(c.metrics, 'report.comparison.metrics', (m, p) => string(m, p, 100), 100);
    array(
      c.rows,
      'report.comparison.rows',
      (row, p) => {
        if (!object(row, p, ['label', 'config', 'values'])) return;
        string(row.label, `${p}.label`, 1000);
        if (row.config !== null) string(row.config, `${p}.config`, 1000);
        record(row.values, `${p}.values`, metric);
      },
      100,
    );
  }
  record(r.environment, 'report.environment', (v, p) => string(v, p, 10_000));
  record(r.timings, 'report.timings', finite);
  return errors.length ? { ok: false, errors } : { ok: true, report: value as unknown as EvalReport };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Parses and validates report JSON text; throws an Error listing what is wrong. */
export function parseReportJson(text: string, name = 'report'): EvalReport {
  let value: unknown;
  const deep = jsonNestingOffset(text);
  if (deep >= 0) throw new Error(`${name}: not a valid evaluation report: JSON nested more than ${MAX_JSON_NESTING} levels deep (at character ${deep + 1})`);
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${name}: not JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const result = validateReport(value);
  if (!result.ok) throw new Error(`${name}: not a valid evaluation report:\n  ${result.errors.join('\n  ')}`);
  return result.report;
}

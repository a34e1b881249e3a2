import { IssueCollector, type Parsed } from './issues.ts';
import { parseNumber, scanNumericRows, splitRows, utf8Bytes, type TextBytes } from './text-rows.ts';

/**
 * Single-object-tracking annotation and result files.
 *
 * - LaSOT, OTB100, UAV123, GOT-10k, TrackingNet `groundtruth.txt` and OPE result files: one `x,y,w,h` per frame
 *   (comma, tab or space separated; OTB mixes them). UAV123 marks frames without the target as `NaN,NaN,NaN,NaN`;
 *   GOT-10k/TrackingNet test sets give only the first frame.
 * - Per-frame flags: LaSOT `full_occlusion.txt` / `out_of_view.txt` (one comma-separated line of 0/1), GOT-10k
 *   `absence.label` / `cut_by_image.label` (0/1 per line) and `cover.label` (0..8 per line).
 * - VOT2018 `groundtruth.txt`: 8-number polygons `x1,y1,...,x4,y4` (or 4-number rectangles); VOT results: per frame
 *   `1` (initialised), `2` (failure), `0` (skipped frame after a failure) or a region.
 */

/** `[n*4]` boxes `x, y, w, h` in frame pixels, one per frame; NaN rows where the target is not annotated. */
export interface SotBoxes {
  count: number;
  xywh: Float64Array;
}

/**
 * Reads a `x,y,w,h`-per-line file. A malformed line becomes a NaN row (reported), so later frames keep their
 * frame index.
 */
export function parseSotBoxes(text: TextBytes, file: string, options: { maxBadRows?: number } = {}): Parsed<SotBoxes> {
  const issues: IssueCollector = new IssueCollector(file, options.maxBadRows);
  const bytes = utf8Bytes(text);
  // One frame per line up to the last non-blank line (blank: only spaces, tabs, CR, VT, FF).
  let lines = 0;
  let lastNonBlank = 0;
  for (let p = 0; p <= bytes.length; ) {
    let e = bytes.indexOf(10, p);
    if (e < 0) e = bytes.length;
    lines++;
    for (let i = p; i < e; i++) {
      const c = bytes[i]!;
      if (c !== 32 && (c < 9 || c > 13)) {
        lastNonBlank = lines;
        break;
      }
    }
    p = e + 1;
  }
  const count = lastNonBlank;
  const xywh = new Float64Array(count * 4).fill(NaN);
  const seen = new Uint8Array(count);
  scanNumericRows(
    bytes,
    4,
    (v, n, line) => {
      seen[line - 1] = 1;
      if (n !== 4) {
        issues.warn({ line, message: `expected 4 numbers x,y,w,h, got ${n} fields` });
        return;
      }
      xywh.set(v, (line - 1) * 4);
    },
    (line, message) => {
      seen[line - 1] = 1;
      issues.warn({ line, message });
    },
  );
  for (let i = 0; i < count; i++) if (!seen[i]) issues.warn({ line: i + 1, message: 'blank line where a frame x,y,w,h was expected' });
  issues.warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  issues.requireSomeRows(count - issues.warnings.length);
  return { value: { count, xywh }, warnings: issues.warnings };
}

/** Formats boxes as `x,y,w,h` lines (LaSOT toolkit result style); NaN rows are written as `NaN,NaN,NaN,NaN`. */
export function writeSotBoxes(boxes: SotBoxes, digits = 4): string {
  const out: string[] = [];
  for (let i = 0; i < boxes.count; i++) {
    const row = Array.from(boxes.xywh.subarray(i * 4, i * 4 + 4), (v) => (Number.isNaN(v) ? 'NaN' : String(Number(v.toFixed(digits)))));
    out.push(row.join(','));
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** Reads a per-frame flag/number file (any separators, any line layout) into one number per frame. */
export function parseFrameFlags(text: string, file: string): Float64Array {
  const issues: IssueCollector = new IssueCollector(file, 0);
  const values: number[] = [];
  for (const row of splitRows(text)) {
    for (const f of row.fields) {
      const v = parseNumber(f);
      if (v === undefined || Number.isNaN(v)) issues.fail({ line: row.line, message: `flag is not a number: '${f}'` });
      values.push(v);
    }
  }
  return Float64Array.from(values);
}

/** Which per-frame flags a SOT dataset provides; all optional, all one value per frame. */
export interface SotFlags {
  /** LaSOT `full_occlusion.txt`: 1 = target fully occluded. */
  fullOcclusion?: ArrayLike<number>;
  /** LaSOT `out_of_view.txt`: 1 = target out of view. */
  outOfView?: ArrayLike<number>;
  /** GOT-10k `absence.label`: 1 = target absent. */
  absence?: ArrayLike<number>;
}

/**
 * Visibility per frame as MMTracking 0.8's SOT datasets compute it: LaSOT `~(full_occlusion | out_of_view)`,
 * GOT-10k `~absence`; frames past the end of a flag file count as visible.
 */
export function sotVisibility(flags: SotFlags, frames: number): Uint8Array {
  const visible = new Uint8Array(frames).fill(1);
  for (const f of [flags.fullOcclusion, flags.outOfView, flags.absence]) {
    if (!f) continue;
    for (let i = 0; i < Math.min(frames, f.length); i++) if (f[i]) visible[i] = 0;
  }
  return visible;
}

/** One frame of a VOT trajectory. */
export type VotRegion =
  | { kind: 'special'; code: 0 | 1 | 2 }
  | { kind: 'rectangle'; x: number; y: number; w: number; h: number }
  | { kind: 'polygon'; points: Float64Array };

/** VOT special codes: 1 tracker (re)initialised, 2 failure, 0 frame skipped after a failure. */
export const VOT_INIT = 1;
export const VOT_FAILURE = 2;
export const VOT_UNKNOWN = 0;

/** Reads a VOT ground-truth or result file: one region or special code per line. Bad lines become code 0 (reported). */
export function parseVotRegions(text: string, file: string, options: { maxBadRows?: number } = {}): Parsed<VotRegion[]> {
  const issues: IssueCollector = new IssueCollector(file, options.maxBadRows);
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  const regions: VotRegion[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    const fields = raw === '' ? [] : raw.split(/\s*[,\t ]\s*|\s+/).filter((f) => f !== '');
    const v = fields.map(parseNumber);
    const bad = (message: string): void => {
      issues.warn({ line: i + 1, message });
      regions.push({ kind: 'special', code: 0 });
    };
    if (v.some((x) => x === undefined || Number.isNaN(x))) {
      bad(`not a number in '${raw}'`);
    } else if (v.length === 1) {
      const code = v[0]!;
      if (code !== 0 && code !== 1 && code !== 2) bad(`special code must be 0, 1 or 2, got ${code}`);
      else regions.push({ kind: 'special', code });
    } else if (v.length === 4) {
      regions.push({ kind: 'rectangle', x: v[0]!, y: v[1]!, w: v[2]!, h: v[3]! });
    } else if (v.length >= 6 && v.length % 2 === 0) {
      regions.push({ kind: 'polygon', points: Float64Array.from(v as number[]) });
    } else {
      bad(`expected a code (1 number), a rectangle (4) or a polygon (even count >= 6), got ${v.length} numbers`);
    }
  }
  return { value: regions, warnings: issues.warnings };
}

/** Formats a VOT trajectory (codes, `x,y,w,h` rectangles, polygons) one region per line. */
export function writeVotRegions(regions: readonly VotRegion[]): string {
  const out = regions.map((r) => {
    if (r.kind === 'special') return String(r.code);
    if (r.kind === 'rectangle') return `${r.x},${r.y},${r.w},${r.h}`;
    return Array.from(r.points).join(',');
  });
  return out.length ? `${out.join('\n')}\n` : '';
}

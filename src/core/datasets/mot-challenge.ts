import { IssueCollector, type Parsed } from './issues.ts';
import { parseNumber, scanNumericRows, utf8Bytes, type TextBytes } from './text-rows.ts';

/**
 * MOTChallenge text files (`gt/gt.txt`, tracker results, `seqinfo.ini`, seqmaps), as TrackEval's
 * MotChallenge2DBox reads them: https://github.com/JonathonLuiten/TrackEval/blob/master/trackeval/datasets/mot_challenge_2d_box.py
 *
 * Row formats (one box per line, comma or whitespace separated):
 * - MOT16/17/20 gt (9 columns): `frame, id, x, y, w, h, conf, class, visibility`; `conf` 0 marks a box to ignore.
 * - MOT15 gt (10 columns): `frame, id, x, y, w, h, conf, wx, wy, wz` (no class: every box is a pedestrian).
 * - tracker results: `frame, id, x, y, w, h, conf[, -1, -1, -1]` (at least 6 columns).
 */
export type MotGtFormat = 'mot15' | 'mot16';

/** Struct-of-arrays of MOT rows. Boxes are `x, y, w, h` in frame pixels (top-left corner, size). */
export interface MotRows {
  count: number;
  /** `[n]` 1-based frame number. */
  frame: Int32Array;
  /** `[n]` object / track id (TrackEval truncates it to an integer). */
  id: Int32Array;
  /** `[n*4]` x, y, w, h per row, pixels. */
  boxes: Float64Array;
  /** `[n]` gt: the zero-marked flag column (0 = ignore); tracker: detection confidence. */
  conf: Float64Array;
  /** `[n]` MOTChallenge class (1 pedestrian, 2 person_on_vehicle, ... 13 crowd); 1 for MOT15 gt and trackers. */
  cls: Int32Array;
  /** `[n]` visibility ratio in [0, 1]; 1 where the format has none. */
  visibility: Float64Array;
}

/** MOTChallenge class ids (TrackEval's `class_name_to_class_id`). */
export const MOT_CLASSES = {
  pedestrian: 1,
  person_on_vehicle: 2,
  car: 3,
  bicycle: 4,
  motorbike: 5,
  non_mot_vehicle: 6,
  static_person: 7,
  distractor: 8,
  occluder: 9,
  occluder_on_ground: 10,
  occluder_full: 11,
  reflection: 12,
  crowd: 13,
} as const;

/**
 * Collects rows into typed arrays (10⁵-row files: no per-row objects), sized up front from the file's length
 * (a MOTChallenge row takes 30-60 bytes), grown by doubling when a file's rows are shorter.
 */
class RowBuilder {
  private n = 0;
  private cap: number;
  private frame: Int32Array;
  private id: Int32Array;
  private boxes: Float64Array;
  private conf: Float64Array;
  private cls: Int32Array;
  private visibility: Float64Array;
  constructor(fileBytes: number) {
    const cap = Math.ceil(fileBytes / 32) + 16;
    this.cap = cap;
    this.frame = new Int32Array(cap);
    this.id = new Int32Array(cap);
    this.boxes = new Float64Array(cap * 4);
    this.conf = new Float64Array(cap);
    this.cls = new Int32Array(cap);
    this.visibility = new Float64Array(cap);
  }
  push(frame: number, id: number, x: number, y: number, w: number, h: number, conf: number, cls: number, vis: number): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.frame[i] = frame;
    this.id[i] = id;
    this.boxes[i * 4] = x;
    this.boxes[i * 4 + 1] = y;
    this.boxes[i * 4 + 2] = w;
    this.boxes[i * 4 + 3] = h;
    this.conf[i] = conf;
    this.cls[i] = cls;
    this.visibility[i] = vis;
  }
  private grow(): void {
    this.cap *= 2;
    const ints = (a: Int32Array): Int32Array => {
      const b = new Int32Array(this.cap * (a.length / this.n));
      b.set(a);
      return b;
    };
    const floats = (a: Float64Array): Float64Array => {
      const b = new Float64Array(this.cap * (a.length / this.n));
      b.set(a);
      return b;
    };
    this.frame = ints(this.frame);
    this.id = ints(this.id);
    this.boxes = floats(this.boxes);
    this.conf = floats(this.conf);
    this.cls = ints(this.cls);
    this.visibility = floats(this.visibility);
  }
  build(): MotRows {
    const n = this.n;
    // Views, not copies: the spare rows are never written (nor, for large files, even paged in).
    return {
      count: n,
      frame: this.frame.subarray(0, n),
      id: this.id.subarray(0, n),
      boxes: this.boxes.subarray(0, n * 4),
      conf: this.conf.subarray(0, n),
      cls: this.cls.subarray(0, n),
      visibility: this.visibility.subarray(0, n),
    };
  }
}

function checkFrameAndId(v: ArrayLike<number>, line: number, issues: IssueCollector, maxFrame: number | undefined): boolean {
  const frame = v[0]!;
  if (!Number.isInteger(frame) || frame < 1) {
    issues.warn({ line, message: `frame must be a positive integer, got ${frame}` });
    return false;
  }
  if (maxFrame !== undefined && frame > maxFrame) {
    issues.warn({ line, message: `frame ${frame} is past the sequence length ${maxFrame} (seqinfo.ini seqLength)` });
    return false;
  }
  if (!Number.isFinite(v[1]!)) {
    issues.warn({ line, message: `id is not a finite number: ${v[1]}` });
    return false;
  }
  for (let k = 2; k < 6; k++) {
    if (!Number.isFinite(v[k]!)) {
      issues.warn({ line, message: `box value in column ${k + 1} is not finite: ${v[k]}` });
      return false;
    }
  }
  return true;
}

export interface MotReadOptions {
  /** Frames past this are reported and skipped (TrackEval rejects them). */
  seqLength?: number;
  /** Skip more than this many malformed rows → the file is rejected. */
  maxBadRows?: number;
}

/**
 * Reads a MOTChallenge `gt.txt`. The format is detected from the column count of the first row (9 → MOT16/17/20,
 * 10 → MOT15) unless given.
 */
export function parseMotGt(text: TextBytes, file: string, options: MotReadOptions & { format?: MotGtFormat } = {}): Parsed<MotRows> & { format: MotGtFormat } {
  const issues: IssueCollector = new IssueCollector(file, options.maxBadRows);
  let format: MotGtFormat | undefined = options.format;
  const bytes = utf8Bytes(text);
  const b = new RowBuilder(bytes.length);
  scanNumericRows(
    bytes,
    10,
    (v, count, line) => {
      // The first row decides: 10 columns is MOT15, anything else MOT16/17/20.
      format ??= count === 10 ? 'mot15' : 'mot16';
      if (count < (format === 'mot15' ? 7 : 8)) {
        const want = format === 'mot15' ? 'MOT15: frame,id,x,y,w,h,conf,wx,wy,wz' : 'frame,id,x,y,w,h,conf,class,visibility';
        issues.warn({ line, message: `expected ${format === 'mot15' ? 10 : 9} columns (${want}), got ${count}` });
        return;
      }
      if (!checkFrameAndId(v, line, issues, options.seqLength)) return;
      const cls = format === 'mot15' ? MOT_CLASSES.pedestrian : Math.trunc(v[7]!);
      const vis = format === 'mot15' || count < 9 ? 1 : v[8]!;
      b.push(v[0]!, Math.trunc(v[1]!), v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, cls, vis);
    },
    (line, message) => issues.warn({ line, message }),
  );
  const value = b.build();
  issues.requireSomeRows(value.count);
  return { value, warnings: issues.warnings, format: format ?? 'mot16' };
}

/** Reads a MOTChallenge tracker result file (`SEQ.txt`). */
export function parseMotTracker(text: TextBytes, file: string, options: MotReadOptions = {}): Parsed<MotRows> {
  const issues: IssueCollector = new IssueCollector(file, options.maxBadRows);
  const bytes = utf8Bytes(text);
  const b = new RowBuilder(bytes.length);
  scanNumericRows(
    bytes,
    7,
    (v, count, line) => {
      if (count < 6) {
        issues.warn({ line, message: `expected at least 6 columns (frame,id,x,y,w,h[,conf,...]), got ${count}` });
        return;
      }
      if (!checkFrameAndId(v, line, issues, options.seqLength)) return;
      b.push(v[0]!, Math.trunc(v[1]!), v[2]!, v[3]!, v[4]!, v[5]!, count > 6 ? v[6]! : 1, MOT_CLASSES.pedestrian, 1);
    },
    (line, message) => issues.warn({ line, message }),
  );
  const value = b.build();
  issues.requireSomeRows(value.count);
  return { value, warnings: issues.warnings };
}

/** Formats tracker rows as MOTChallenge text (`frame,id,x,y,w,h,conf,-1,-1,-1`, three decimals like MMTracking). */
export function writeMotTracker(rows: MotRows): string {
  const out: string[] = [];
  for (let i = 0; i < rows.count; i++) {
    const b = rows.boxes;
    out.push(
      `${rows.frame[i]},${rows.id[i]},${b[i * 4]!.toFixed(3)},${b[i * 4 + 1]!.toFixed(3)},${b[i * 4 + 2]!.toFixed(3)},${b[i * 4 + 3]!.toFixed(3)},${rows.conf[i]!.toFixed(3)},-1,-1,-1`,
    );
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** `seqinfo.ini`'s `[Sequence]` section. */
export interface SeqInfo {
  name: string;
  seqLength: number;
  imDir?: string;
  frameRate?: number;
  imWidth?: number;
  imHeight?: number;
  imExt?: string;
}

/** Reads `seqinfo.ini` (INI, `[Sequence]` section; `seqLength` is required as TrackEval needs it). */
/** The longest sequence `seqinfo.ini` may declare: 1 000 000 frames, over 9 hours at 30 fps. */
export const MAX_SEQ_LENGTH = 1_000_000;

export function parseSeqInfo(text: string, file: string): SeqInfo {
  const issues: IssueCollector = new IssueCollector(file, 0);
  const values = new Map<string, { value: string; line: number }>();
  let section = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith(';') || raw.startsWith('#')) continue;
    if (raw.startsWith('[')) {
      if (!raw.endsWith(']')) issues.fail({ line: i + 1, message: `malformed section header '${raw}'` });
      section = raw.slice(1, -1).trim();
      continue;
    }
    const eq = raw.indexOf('=');
    if (eq < 0) issues.fail({ line: i + 1, message: `expected key=value, got '${raw}'` });
    if (section.toLowerCase() !== 'sequence') continue;
    values.set(raw.slice(0, eq).trim(), { value: raw.slice(eq + 1).trim(), line: i + 1 });
  }
  const num = (key: string, required: boolean): number | undefined => {
    const entry = values.get(key);
    if (!entry) {
      if (required) issues.fail({ message: `missing '${key}' in the [Sequence] section` });
      return undefined;
    }
    const v = parseNumber(entry.value);
    if (v === undefined || !Number.isFinite(v) || v < 0) issues.fail({ line: entry.line, message: `'${key}' must be a non-negative number, got '${entry.value}'` });
    return v;
  };
  const seqLength = num('seqLength', true)!;
  if (!Number.isInteger(seqLength)) issues.fail({ line: values.get('seqLength')!.line, message: `seqLength must be an integer, got ${seqLength}` });
  // Evaluation allocates per frame: a length no video has is refused before anything is allocated.
  if (seqLength > MAX_SEQ_LENGTH) issues.fail({ line: values.get('seqLength')!.line, message: `seqLength=${seqLength} is longer than any sequence evaluated here (at most ${MAX_SEQ_LENGTH} frames)` });
  const info: SeqInfo = { name: values.get('name')?.value ?? '', seqLength };
  const imDir = values.get('imDir')?.value;
  if (imDir !== undefined) info.imDir = imDir;
  const imExt = values.get('imExt')?.value;
  if (imExt !== undefined) info.imExt = imExt;
  const frameRate = num('frameRate', false);
  if (frameRate !== undefined) info.frameRate = frameRate;
  const imWidth = num('imWidth', false);
  if (imWidth !== undefined) info.imWidth = imWidth;
  const imHeight = num('imHeight', false);
  if (imHeight !== undefined) info.imHeight = imHeight;
  return info;
}

/** Reads a TrackEval seqmap (`seqmaps/MOT17-train.txt`): a header line (`name`), then one sequence per line. */
export function parseSeqmap(text: string, file: string): string[] {
  const lines = text.split('\n').map((l) => l.split(',')[0]!.trim());
  const seqs: string[] = [];
  for (let i = 1; i < lines.length; i++) if (lines[i]) seqs.push(lines[i]!);
  if (seqs.length === 0) new IssueCollector(file, 0).fail({ message: 'no sequence names after the header line' });
  const dup = seqs.find((s, i) => seqs.indexOf(s) !== i);
  if (dup !== undefined) new IssueCollector(file, 0).fail({ message: `sequence '${dup}' is listed twice` });
  return seqs;
}

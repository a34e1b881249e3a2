import { LineSplitter } from './line-splitter.ts';
import { LogColumn } from './log-column.ts';
import { parsePythonJson } from './python-json.ts';

/**
 * An MMCV `TextLoggerHook` JSON log (`*.log.json`) as MMTracking's `tools/analysis/analyze_logs.py` loads it
 * (`load_json_logs`): one JSON object per line; lines with an `epoch` are grouped by epoch (in first-seen order,
 * as Python's dict keeps them) and, within an epoch, every other key collects its values in line order.
 * Reference: https://github.com/open-mmlab/mmtracking/blob/v0.8.0/tools/analysis/analyze_logs.py
 *
 * Unlike the script, which stops at the first bad line, malformed lines are skipped and counted with their line
 * numbers; blank lines are ignored.
 */
export interface JsonLog {
  /** The log's name as the caller gave it (a path in the CLI, a file name in the app). */
  name: string;
  /** The first line when it has no `epoch` (MMCV writes env_info, config, seed, exp_name there), else null. */
  envInfo: Record<string, unknown> | null;
  /** Epochs in first-seen order. */
  epochs: EpochLog[];
  stats: JsonLogStats;
}

/** `log_dict[epoch]`: the lines of one epoch, column by column. */
export interface EpochLog {
  epoch: number;
  /** Lines of this epoch; a column's value sits on one of rows 0..rowCount-1. */
  rowCount: number;
  /** `key → values`, keys in first-seen order. */
  columns: Map<string, LogColumn>;
}

export interface MalformedLine {
  /** 1-based line number. */
  line: number;
  reason: string;
}

export interface JsonLogStats {
  /** Lines read (the unterminated last one included). */
  lines: number;
  /** Lines that went into `epochs`. */
  epochLines: number;
  blankLines: number;
  /** Valid JSON objects without `epoch` other than the first line (skipped, as MMTracking does). */
  linesWithoutEpoch: number;
  /** Lines that are not a JSON object (or whose `epoch` is not a number). */
  malformedCount: number;
  /** The first malformed lines (at most `maxMalformedKept`), for messages. */
  malformed: MalformedLine[];
  /** Characters read (UTF-16 code units). */
  chars: number;
}

/** What `TextDecoder` offers; the core declares only the part it uses (it is compiled without DOM types). */
export interface TextChunkDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

export interface JsonLogParserOptions {
  /** Lines longer than this (UTF-16 code units) count as malformed without being held in memory. */
  maxLineLength?: number;
  /** How many malformed lines keep their number and reason (all are counted). Default 100. */
  maxMalformedKept?: number;
  /** Needed by {@link JsonLogParser.pushBytes}: e.g. `new TextDecoder()` (UTF-8, streaming). */
  decoder?: TextChunkDecoder;
}

/**
 * Reads a JSON log chunk by chunk: text through {@link pushText} or bytes through {@link pushBytes} (a UTF-8
 * character split between two chunks is fine), then {@link finish}. Memory is the parsed numbers plus one line.
 */
export class JsonLogParser {
  private readonly splitter: LineSplitter;
  private readonly byEpoch = new Map<number, EpochLog>();
  private readonly epochs: EpochLog[] = [];
  private readonly interned = new Map<string, string>();
  private readonly maxKept: number;
  private readonly decoder: TextChunkDecoder | undefined;
  private envInfo: Record<string, unknown> | null = null;
  private firstContentLine = true;
  private finished = false;
  private readonly stats: JsonLogStats = { lines: 0, epochLines: 0, blankLines: 0, linesWithoutEpoch: 0, malformedCount: 0, malformed: [], chars: 0 };

  constructor(
    readonly name: string,
    options: JsonLogParserOptions = {},
  ) {
    this.maxKept = options.maxMalformedKept ?? 100;
    this.decoder = options.decoder;
    this.splitter = new LineSplitter(
      (text, line) => this.onLine(text, line),
      (line, length) => this.malformed(line, `line is ${length} characters long, over the limit`),
      options.maxLineLength,
    );
  }

  pushText(chunk: string): void {
    if (this.finished) throw new Error('JsonLogParser: pushText after finish');
    this.stats.chars += chunk.length;
    this.splitter.push(chunk);
  }

  pushBytes(bytes: Uint8Array): void {
    if (!this.decoder) throw new Error('JsonLogParser: pushBytes needs a decoder option');
    this.pushText(this.decoder.decode(bytes, { stream: true }));
  }

  finish(): JsonLog {
    if (!this.finished) {
      if (this.decoder) this.pushText(this.decoder.decode());
      this.splitter.end();
      this.finished = true;
      for (const e of this.epochs) for (const c of e.columns.values()) c.trim();
    }
    this.stats.lines = this.splitter.lines;
    return { name: this.name, envInfo: this.envInfo, epochs: this.epochs, stats: this.stats };
  }

  private malformed(line: number, reason: string): void {
    this.stats.malformedCount++;
    if (this.stats.malformed.length < this.maxKept) this.stats.malformed.push({ line, reason });
    this.firstContentLine = false;
  }

  private onLine(text: string, line: number): void {
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // UTF-8 BOM
    if (text.trim() === '') {
      this.stats.blankLines++;
      return;
    }
    const parsed = parsePythonJson(text);
    if (!parsed.ok) return this.malformed(line, `not valid JSON: ${parsed.reason}`);
    const value = parsed.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.malformed(line, 'not a JSON object');
    const record = value as Record<string, unknown>;
    const first = this.firstContentLine;
    this.firstContentLine = false;
    if (!('epoch' in record)) {
      if (first) this.envInfo = record;
      else this.stats.linesWithoutEpoch++;
      return;
    }
    const epochValue = record.epoch;
    if (typeof epochValue !== 'number' || !Number.isFinite(epochValue)) return this.malformed(line, `"epoch" is ${JSON.stringify(epochValue)}, not a number`);
    let epoch = this.byEpoch.get(epochValue);
    if (!epoch) {
      epoch = { epoch: epochValue, rowCount: 0, columns: new Map() };
      this.byEpoch.set(epochValue, epoch);
      this.epochs.push(epoch);
    }
    const row = epoch.rowCount++;
    for (const key in record) {
      if (key === 'epoch') continue;
      let column = epoch.columns.get(key);
      if (!column) {
        column = new LogColumn();
        epoch.columns.set(key, column);
      }
      let v = record[key];
      if (typeof v === 'string' && v.length <= 64) v = this.intern(v);
      column.push(v, row);
    }
    this.stats.epochLines++;
  }

  // `"mode": "train"` on every line would otherwise keep one string per line alive.
  private intern(s: string): string {
    const known = this.interned.get(s);
    if (known !== undefined) return known;
    if (this.interned.size < 10_000) this.interned.set(s, s);
    return s;
  }
}

/** Parses a whole log held as one string (tests, small files); large inputs go through {@link JsonLogParser}. */
export function parseJsonLogText(name: string, text: string): JsonLog {
  const parser = new JsonLogParser(name);
  parser.pushText(text);
  return parser.finish();
}

/** The column `key` of `epoch`, or undefined. */
export function column(epoch: EpochLog, key: string): LogColumn | undefined {
  return epoch.columns.get(key);
}

/** Keys found on any epoch line, in first-seen order (`epoch` itself excluded, as `load_json_logs` pops it). */
export function logKeys(log: JsonLog): string[] {
  const keys = new Set<string>();
  for (const e of log.epochs) for (const k of e.columns.keys()) keys.add(k);
  return [...keys];
}

/** Keys whose every value, in every epoch, is a number: the ones a curve can be drawn for. */
export function numericKeys(log: JsonLog): string[] {
  return logKeys(log).filter((k) => log.epochs.every((e) => e.columns.get(k)?.isNumeric ?? true));
}

/** `file:line: reason` lines for the kept malformed lines, plus a count of the rest. */
export function describeMalformed(log: JsonLog): string[] {
  const lines = log.stats.malformed.map((m) => `${log.name}:${m.line}: ${m.reason}`);
  const rest = log.stats.malformedCount - log.stats.malformed.length;
  if (rest > 0) lines.push(`${log.name}: ... and ${rest} more malformed lines`);
  return lines;
}

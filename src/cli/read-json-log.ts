import { createReadStream } from 'node:fs';
import { describeMalformed, type JsonLog, JsonLogParser } from '../core/logs/json-log.ts';
import { type CliIo, UserError } from './command.ts';

/**
 * Streams a `*.log.json` from disk into the core parser, chunk by chunk (never the whole file as one string).
 * @param chunkSize bytes per read (64 KiB: larger reads were slower and left more buffers for the GC to collect
 *   in the 200 MB benchmark); tests use tiny ones to split lines and UTF-8 characters.
 */
export async function readJsonLogFile(path: string, chunkSize = 64 * 1024): Promise<JsonLog> {
  const parser = new JsonLogParser(path, { decoder: new TextDecoder('utf-8') });
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: chunkSize })) parser.pushBytes(chunk as Buffer);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a log file' : err instanceof Error ? err.message : String(err);
    throw new UserError(`${path}: ${what}`);
  }
  return parser.finish();
}

/** Warns on stderr about the lines a log had to skip. */
export function warnMalformed(io: CliIo, log: JsonLog): void {
  if (log.stats.malformedCount === 0) return;
  io.stderr(`warning: ${log.name}: skipped ${log.stats.malformedCount} malformed line${log.stats.malformedCount === 1 ? '' : 's'}\n`);
  for (const line of describeMalformed(log)) io.stderr(`warning: ${line}\n`);
}

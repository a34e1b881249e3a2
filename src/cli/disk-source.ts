// The core readers' file access (TextFileSource) on the local disk, for the CLI.
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { TextFileSource } from '../core/datasets/file-source.ts';
import { DatasetError } from '../core/datasets/issues.ts';

// Whole-file synchronous reads: one read call instead of the promise API's chunks (the CLI reads one file at a
// time anyway).
function readDisk(p: string): Uint8Array;
function readDisk(p: string, encoding: 'utf8'): string;
function readDisk(p: string, encoding?: 'utf8'): string | Uint8Array {
  try {
    return encoding === undefined ? readFileSync(p) : readFileSync(p, encoding);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetError({ file: p, message: code === 'EISDIR' ? 'is a folder, not a file' : code === 'ENOENT' ? 'no such file' : String(err) });
  }
}

/** The evaluators' file access on the local disk. */
export const diskSource: TextFileSource = {
  readText: (p) => new Promise((resolve) => resolve(readDisk(p, 'utf8'))),
  readBytes: (p) => new Promise((resolve) => resolve(readDisk(p))),
  exists: (p) => Promise.resolve(existsSync(p)),
  list: async (dir) => (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name),
};


// The core readers' file access (TextFileSource) on the local disk, for the CLI.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import type { TextFileSource } from '../core/datasets/file-source.ts';
import { DatasetError } from '../core/datasets/issues.ts';

/** The evaluators' file access on the local disk. */
export const diskSource: TextFileSource = {
  async readText(p) {
    try {
      return await readFile(p, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new DatasetError({ file: p, message: code === 'EISDIR' ? 'is a folder, not a file' : code === 'ENOENT' ? 'no such file' : String(err) });
    }
  },
  exists: (p) => Promise.resolve(existsSync(p)),
  list: async (dir) => (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name),
};


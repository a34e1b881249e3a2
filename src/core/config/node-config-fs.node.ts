import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConfigFileSystem } from './config-fs.ts';

/** The config loader's file access on the local disk: `_base_` paths resolve against the referring file's folder. */
export const nodeConfigFs: ConfigFileSystem = {
  async readFile(file) {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new Error(`no such file (${path.resolve(file)})`, { cause: err });
      if (code === 'EISDIR') throw new Error('is a directory, not a config file', { cause: err });
      throw err;
    }
  },
  // MMCV's osp.join(dirname, ref): an absolute `_base_` path stands alone.
  resolve: (from, ref) => (path.isAbsolute(ref) ? path.normalize(ref) : path.normalize(path.join(path.dirname(from), ref))),
};

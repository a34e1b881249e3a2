import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ConfigFileSystem } from './config-fs.ts';

/** The largest config file read (MMTracking's configs are a few KB; a device or a log is not a config). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** The config loader's file access on the local disk: `_base_` paths resolve against the referring file's folder. */
export const nodeConfigFs: ConfigFileSystem = {
  async readFile(file) {
    try {
      const info = await stat(file);
      if (info.isDirectory()) throw new Error('is a directory, not a config file');
      if (!info.isFile()) throw new Error('is not a regular file (a device, a pipe or a socket?), not a config file');
      if (info.size > MAX_CONFIG_BYTES) throw new Error(`is ${(info.size / 1e6).toFixed(1)} MB; a config file may be at most ${MAX_CONFIG_BYTES / 1024 / 1024} MB`);
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

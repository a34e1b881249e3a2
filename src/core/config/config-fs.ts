/**
 * How the config loader reaches files, so the same code runs in Node (the CLI reads the disk), in the browser
 * (configs bundled into the app, or picked by the user) and in tests (in-memory files). Paths are opaque strings to
 * the loader: it only passes them back to `resolve` and `readFile` and shows them in messages.
 */
export interface ConfigFileSystem {
  /** The file's text. Throw (any error) when it cannot be read; the loader reports it with the referring place. */
  readFile(path: string): string | Promise<string>;
  /** The path of `_base_` entry `ref` written in file `from`. Default: {@link resolveRelativePath}. */
  resolve?(from: string, ref: string): string;
}

/** POSIX-style `dirname`: everything before the last `/` (`.` when there is none). */
export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : path.slice(0, slash);
}

/** Normalizes `a/./b/../c` to `a/c`, keeping a leading `/` and leading `..` segments of relative paths. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part === '..' && absolute) continue;
    else out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** MMCV's `osp.join(osp.dirname(from), ref)`, normalized; an absolute `ref` stands alone. */
export function resolveRelativePath(from: string, ref: string): string {
  if (ref.startsWith('/')) return normalizePath(ref);
  return normalizePath(`${dirname(from)}/${ref}`);
}

/** An in-memory file system over `{ path: text }` (bundled configs, files the user dropped, tests). */
export function memoryConfigFs(files: Readonly<Record<string, string>> | ReadonlyMap<string, string>): ConfigFileSystem {
  const entries: [string, string][] = files instanceof Map ? [...(files as ReadonlyMap<string, string>)] : Object.entries(files as Readonly<Record<string, string>>);
  const byPath = new Map<string, string>(entries.map(([p, text]) => [normalizePath(p), text]));
  return {
    readFile(path) {
      const text = byPath.get(normalizePath(path));
      if (text === undefined) throw new Error('no such file');
      return text;
    },
    resolve: resolveRelativePath,
  };
}

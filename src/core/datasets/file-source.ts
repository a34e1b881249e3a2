/**
 * The little file system the evaluators need, so core code never touches `fs`: the CLI backs it with the disk,
 * the app with dropped files / folders. Paths use `/` separators, relative to whatever root the caller chose.
 */
export interface TextFileSource {
  readText(path: string): Promise<string>;
  /** The file's bytes, where the source has them without decoding (the disk): the numeric readers prefer them. */
  readBytes?(path: string): Promise<Uint8Array>;
  exists(path: string): Promise<boolean>;
  /** Names (not paths) of the entries directly inside a folder; optional. */
  list?(dir: string): Promise<string[]>;
}

/** A file's bytes when the source reads bytes, else its text (the numeric readers take either). */
export function readTextBytes(src: TextFileSource, path: string): Promise<string | Uint8Array> {
  return src.readBytes ? src.readBytes(path) : src.readText(path);
}

export function joinPath(...parts: string[]): string {
  return parts
    .filter((p) => p !== '')
    .join('/')
    .replace(/\/{2,}/g, '/');
}

/** A TextFileSource over an in-memory map of path → text (tests, dropped files). */
export function memoryFileSource(files: Record<string, string> | Map<string, string>): TextFileSource {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  const norm = (p: string): string => p.replace(/\/{2,}/g, '/').replace(/^\.\//, '').replace(/\/$/, '');
  return {
    readText: (path) => {
      const text = map.get(norm(path));
      return text === undefined ? Promise.reject(new Error(`${path}: no such file`)) : Promise.resolve(text);
    },
    exists: (path) => {
      const p = norm(path);
      return Promise.resolve(map.has(p) || [...map.keys()].some((k) => k.startsWith(`${p}/`)));
    },
    list: (dir) => {
      const prefix = `${norm(dir)}/`;
      const names = new Set<string>();
      for (const k of map.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
      return Promise.resolve([...names].sort());
    },
  };
}

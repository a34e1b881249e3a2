/**
 * The config files the app knows: the repo's configs/ bundled into the app, plus the files the user picked. Paths
 * are virtual: `configs/...` for bundled files, `user/<relative path>` for picked ones (the folder structure when a
 * folder was picked, the bare name when loose files were picked).
 */
import { type ConfigFileSystem, normalizePath, resolveRelativePath } from '../../core/config/config-fs.ts';

export const USER_PREFIX = 'user/';

export function isConfigFile(path: string): boolean {
  return /\.(py|json|ya?ml)$/i.test(path);
}

/** A config the user can choose: not a `_base_` part. */
export function isSelectableConfig(path: string): boolean {
  return isConfigFile(path) && !path.split('/').includes('_base_');
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Resolves `_base_` entry `ref` of file `from`:
 * 1. relative to `from`, as MMCV does, when that file is known;
 * 2. for a picked file, the one picked file with the same name (loose files lose their folders);
 * 3. the bundled file at the same path under configs/ with the leading `../` dropped
 *    (`../../_base_/models/x.py` → `configs/_base_/models/x.py`), so a user's config can inherit the repo's bases.
 * Otherwise the relative path, which the loader then reports as missing.
 */
export function resolveConfigPath(files: ReadonlyMap<string, string>, from: string, ref: string): string {
  const relative = resolveRelativePath(from, ref);
  if (files.has(relative)) return relative;
  if (from.startsWith(USER_PREFIX)) {
    const name = basename(ref);
    const same = [...files.keys()].filter((p) => p.startsWith(USER_PREFIX) && basename(p) === name);
    if (same.length === 1) return same[0] as string;
    if (same.length > 1) throw new Error(`'${ref}' is ambiguous: several picked files are named ${name} (${same.join(', ')}); pick the folder instead`);
  }
  const tail = normalizePath(ref).replace(/^(\.\.\/)+/, '').replace(/^\.\//, '');
  const bundled = `configs/${tail}`;
  if (files.has(bundled)) return bundled;
  const suffix = [...files.keys()].filter((p) => p.startsWith('configs/') && p.endsWith(`/${tail}`));
  if (suffix.length === 1) return suffix[0] as string;
  return relative;
}

/** A {@link ConfigFileSystem} over the known files, with {@link resolveConfigPath}. */
export function configFileSystem(files: ReadonlyMap<string, string>): ConfigFileSystem {
  return {
    readFile(path) {
      const text = files.get(path);
      if (text === undefined) {
        throw new Error(
          path.startsWith(USER_PREFIX)
            ? 'not among the picked files: pick it together with the config, or pick the whole folder'
            : 'no such file among the bundled configs or the picked files',
        );
      }
      return text;
    },
    resolve: (from, ref) => resolveConfigPath(files, from, ref),
  };
}

/** A picked file: its path inside the picked folder (or its name) and its text. */
export interface PickedFile {
  relativePath: string;
  text: string;
}

/** Reads picked `File`s (from an `<input type="file">`, with or without `webkitdirectory`). */
export async function readPickedFiles(list: Iterable<File>): Promise<PickedFile[]> {
  const files = [...list].filter((f) => isConfigFile(f.name));
  return Promise.all(files.map(async (f) => ({ relativePath: f.webkitRelativePath || f.name, text: await f.text() })));
}

/** The virtual path of a picked file. */
export function userPath(relativePath: string): string {
  return USER_PREFIX + normalizePath(relativePath.replace(/\\/g, '/')).replace(/^(\.\.\/)+/, '').replace(/^\//, '');
}

/**
 * Which picked configs to offer first: those no other picked file names as a `_base_` (by file name) and not in a
 * `_base_` folder.
 */
export function topLevelPicked(picked: readonly PickedFile[]): string[] {
  const referenced = new Set<string>();
  for (const f of picked) {
    for (const m of f.text.matchAll(/['"]([^'"\n]+\.(?:py|json|ya?ml))['"]/g)) referenced.add(basename(m[1] as string));
  }
  return picked
    .map((f) => userPath(f.relativePath))
    .filter((p) => isSelectableConfig(p) && !referenced.has(basename(p)))
    .sort();
}

/** The choices grouped for the picker: picked files first ("Your files"), then by folder under configs/. */
export function groupChoices(choices: readonly string[]): { label: string; paths: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const path of choices) {
    const label = path.startsWith(USER_PREFIX) ? 'Your files' : path.slice('configs/'.length, path.lastIndexOf('/')) || 'configs';
    const list = groups.get(label) ?? [];
    list.push(path);
    groups.set(label, list);
  }
  return [...groups].map(([label, paths]) => ({ label, paths }));
}

/** What the picker shows for a path: the file name (and the sub-folder for picked folders). */
export function choiceLabel(path: string): string {
  return path.startsWith(USER_PREFIX) ? path.slice(USER_PREFIX.length) : basename(path);
}

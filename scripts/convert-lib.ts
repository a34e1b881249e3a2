/**
 * What the install-time conversions share (scripts/convert-models.ts, convert-sot-features.ts,
 * convert-vid-default.ts): finding `@vladmandic/human`'s CenterNet files, the fingerprint that says whether a converted
 * file is up to date (source files + converter code + the script), and atomic writes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const converterDir = join(repoRoot, 'src', 'runtime', 'convert');
export const HUMAN_SOURCE_FILES = ['models/centernet.json', 'models/centernet.bin'] as const;

export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** `node_modules/@vladmandic/human` from the repo root upwards (npm may hoist it). */
export function findHumanPackage(): string {
  for (let dir = repoRoot; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@vladmandic', 'human');
    if (existsSync(join(candidate, HUMAN_SOURCE_FILES[0]))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `@vladmandic/human is not installed: no node_modules/@vladmandic/human/${HUMAN_SOURCE_FILES[0]} above ${repoRoot}. ` +
      "It is a dependency of mmtrack-web (the default detector's weights); run `npm install`.",
  );
}

/** The package's CenterNet files, their sha256 and the package version. */
export function readHumanSources(): { json: Buffer; bin: Buffer; files: Record<string, string>; packageVersion: string } {
  const human = findHumanPackage();
  const json = readFileSync(join(human, HUMAN_SOURCE_FILES[0]));
  const bin = readFileSync(join(human, HUMAN_SOURCE_FILES[1]));
  const packageVersion = (JSON.parse(readFileSync(join(human, 'package.json'), 'utf8')) as { version: string }).version;
  return { json, bin, files: { [HUMAN_SOURCE_FILES[0]]: sha256(json), [HUMAN_SOURCE_FILES[1]]: sha256(bin) }, packageVersion };
}

/** A package's files (paths inside it) with their sha256 and the package version, from `node_modules` above the repo. */
export function readPackageFiles(pkg: string, paths: readonly string[], why: string): { bytes: Record<string, Buffer>; files: Record<string, string>; packageVersion: string } {
  let root: string | undefined;
  for (let dir = repoRoot; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', pkg);
    if (existsSync(join(candidate, paths[0]!))) {
      root = candidate;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  if (!root) throw new Error(`${pkg} is not installed: no node_modules/${pkg}/${paths[0]} above ${repoRoot}. It is a dependency of mmtrack-web (${why}); run \`npm install\`.`);
  const bytes: Record<string, Buffer> = {};
  const files: Record<string, string> = {};
  for (const p of paths) {
    bytes[p] = readFileSync(join(root, p));
    files[p] = sha256(bytes[p]);
  }
  const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { bytes, files, packageVersion };
}

/** Hash of what an output depends on: the source files, the converter's own code and the calling script. */
export function conversionFingerprint(sourceHashes: Record<string, string>, scriptPath: string): string {
  const h = createHash('sha256');
  for (const [path, hash] of Object.entries(sourceHashes)) h.update(`${path}:${hash}\n`);
  const converterFiles = readdirSync(converterDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.node.ts'))
    .sort();
  for (const f of converterFiles) h.update(`${f}:${sha256(readFileSync(join(converterDir, f)))}\n`);
  h.update(`script:${sha256(readFileSync(scriptPath))}\n`);
  return h.digest('hex');
}

/** A sidecar's JSON, or undefined when absent or unreadable (the step then converts). */
export function readSidecar<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Writes via a temporary file and a rename, so a reader never sees a half-written model. */
export function writeAtomically(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** `--force` and `--out DIR` (default public/models) of a conversion script. */
export function conversionArgs(args: readonly string[]): { force: boolean; outDir: string } {
  const outIndex = args.indexOf('--out');
  if (outIndex >= 0 && !args[outIndex + 1]) throw new Error('--out needs a directory');
  return { force: args.includes('--force'), outDir: outIndex >= 0 ? resolve(args[outIndex + 1]!) : join(repoRoot, 'public', 'models') };
}

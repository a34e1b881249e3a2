/**
 * Install-time step (`npm install` runs it as `postinstall`): converts the default detector's TFJS
 * weights shipped in `@vladmandic/human` to `public/models/centernet_mobilenetv3_coco.onnx` plus its
 * JSON sidecar (names, shapes, layout, sha256, provenance). The app downloads nothing at run time.
 *
 * Idempotent: when the sidecar's fingerprint (source files + converter sources) matches and the ONNX
 * file's sha256 is the recorded one, it does nothing. `--force` reconverts anyway.
 * Usage: `npx tsx scripts/convert-models.ts [--force] [--out DIR]` (DIR defaults to public/models).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CENTERNET_ONNX_FILE, CENTERNET_SIDECAR_FILE, convertCenterNet } from '../src/runtime/convert/centernet-mobilenetv3.ts';
import { centerNetSidecar } from '../src/runtime/convert/converted-model-sidecar.ts';
import type { ConvertedModelSidecar } from '../src/runtime/convert/converted-model-sidecar.ts';
import { convertSotFeatures } from './convert-sot-features.ts';

const scriptPath = fileURLToPath(import.meta.url);
const repoRoot = resolve(dirname(scriptPath), '..');
const converterDir = join(repoRoot, 'src', 'runtime', 'convert');
const SOURCE_FILES = ['models/centernet.json', 'models/centernet.bin'] as const;

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** `node_modules/@vladmandic/human` from the repo root upwards (npm may hoist it). */
function findHumanPackage(): string {
  for (let dir = repoRoot; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@vladmandic', 'human');
    if (existsSync(join(candidate, SOURCE_FILES[0]))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `@vladmandic/human is not installed: no node_modules/@vladmandic/human/${SOURCE_FILES[0]} above ${repoRoot}. ` +
      'It is a dependency of mmtrack-web (the default detector\'s weights); run `npm install`.',
  );
}

/** Hash of what the output depends on: the source files and the converter's own code. */
function fingerprintOf(sourceHashes: Record<string, string>): string {
  const h = createHash('sha256');
  for (const [path, hash] of Object.entries(sourceHashes)) h.update(`${path}:${hash}\n`);
  const converterFiles = readdirSync(converterDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.node.ts'))
    .sort();
  for (const f of converterFiles) h.update(`${f}:${sha256(readFileSync(join(converterDir, f)))}\n`);
  h.update(`script:${sha256(readFileSync(scriptPath))}\n`);
  return h.digest('hex');
}

function readSidecar(path: string): ConvertedModelSidecar | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ConvertedModelSidecar;
  } catch {
    return undefined;
  }
}

/** Writes via a temporary file and a rename, so a reader never sees a half-written model. */
function writeAtomically(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function main(): void {
  const started = performance.now();
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const outIndex = args.indexOf('--out');
  if (outIndex >= 0 && !args[outIndex + 1]) throw new Error('--out needs a directory');
  const outDir = outIndex >= 0 ? resolve(args[outIndex + 1]!) : join(repoRoot, 'public', 'models');
  const human = findHumanPackage();
  const sources = Object.fromEntries(SOURCE_FILES.map((f) => [f, readFileSync(join(human, f))])) as Record<(typeof SOURCE_FILES)[number], Buffer>;
  const sourceHashes = Object.fromEntries(Object.entries(sources).map(([f, bytes]) => [f, sha256(bytes)]));
  const fingerprint = fingerprintOf(sourceHashes);
  const onnxPath = join(outDir, CENTERNET_ONNX_FILE);
  const sidecarPath = join(outDir, CENTERNET_SIDECAR_FILE);
  const shown = relative(repoRoot, onnxPath);

  const existing = readSidecar(sidecarPath);
  if (!force && existing?.fingerprint === fingerprint && existsSync(onnxPath) && sha256(readFileSync(onnxPath)) === existing.sha256) {
    console.log(`convert-models: ${shown} is up to date (${((performance.now() - started) / 1000).toFixed(2)} s)`);
    return;
  }

  const packageVersion = (JSON.parse(readFileSync(join(human, 'package.json'), 'utf8')) as { version: string }).version;
  const conversion = convertCenterNet(sources['models/centernet.json'].toString('utf8'), sources['models/centernet.bin'], {
    source: `@vladmandic/human@${packageVersion} models/centernet.{json,bin}`,
    'source_sha256_centernet.bin': sourceHashes['models/centernet.bin']!,
  });
  const hash = sha256(conversion.bytes);
  mkdirSync(outDir, { recursive: true });
  writeAtomically(onnxPath, conversion.bytes);
  const sidecar = centerNetSidecar(conversion, hash, { packageVersion, files: sourceHashes }, fingerprint);
  writeAtomically(sidecarPath, `${JSON.stringify(sidecar, null, 2)}\n`);
  console.log(
    `convert-models: wrote ${shown} (${(conversion.bytes.length / 1e6).toFixed(1)} MB, ${conversion.model.graph.nodes.length} nodes, ` +
      `sha256 ${hash.slice(0, 12)}…) from @vladmandic/human@${packageVersion} in ${((performance.now() - started) / 1000).toFixed(2)} s`,
  );
}

try {
  main();
} catch (e) {
  console.error(`convert-models: ${(e as Error).message}`);
  process.exit(1);
}

// The default single object tracker's feature extractor, cut from the same weights (scripts/convert-sot-features.ts).
try {
  console.log(convertSotFeatures(process.argv.slice(2)));
} catch (e) {
  console.error(`convert-sot-features: ${(e as Error).message}`);
  process.exit(1);
}

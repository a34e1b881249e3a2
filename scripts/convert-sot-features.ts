/**
 * Install-time step for the default single object tracker (run by scripts/convert-models.ts after the detector,
 * or alone): cuts the default detector's MobileNetV3 backbone at stride 8 and converts it to
 * `public/models/mobilenetv3_features_s8.onnx` + a JSON sidecar (sha256, shapes, source, fingerprint). Same TFJS
 * weights as the detector (`@vladmandic/human` models/centernet.*), nothing downloaded.
 *
 * Idempotent like the detector's step: nothing is written while the fingerprint (sources + converter code + this
 * script) and the file's sha256 match the sidecar. Usage: `npx tsx scripts/convert-sot-features.ts [--force] [--out DIR]`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  convertMobileNetV3Features,
  MOBILENETV3_FEATURES_INPUT,
  MOBILENETV3_FEATURES_ONNX_FILE,
  MOBILENETV3_FEATURES_OUTPUT,
} from '../src/runtime/convert/mobilenetv3-features.ts';

const scriptPath = fileURLToPath(import.meta.url);
const repoRoot = resolve(dirname(scriptPath), '..');
const converterDir = join(repoRoot, 'src', 'runtime', 'convert');
const SOURCE_FILES = ['models/centernet.json', 'models/centernet.bin'] as const;
export const SOT_FEATURES_SIDECAR_FILE = MOBILENETV3_FEATURES_ONNX_FILE.replace(/\.onnx$/, '.json');

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

export interface FeatureSidecar {
  name: string;
  file: string;
  sha256: string;
  bytes: number;
  input: { name: string; shape: number[]; layout: 'NCHW'; colorOrder: 'RGB'; range: [number, number] };
  output: { name: string; shape: number[]; layout: 'NCHW'; stride: number; tfTensor: string };
  source: { package: string; packageVersion: string; files: Record<string, string>; licence: string };
  fingerprint: string;
}

function findHuman(): string {
  for (let dir = repoRoot; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@vladmandic', 'human');
    if (existsSync(join(candidate, SOURCE_FILES[0]))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`@vladmandic/human is not installed (no node_modules/@vladmandic/human/${SOURCE_FILES[0]} above ${repoRoot}); run \`npm install\``);
}

function writeAtomically(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Converts unless up to date; returns the line it printed. `args`: the script's `--force`, `--out DIR`. */
export function convertSotFeatures(args: readonly string[]): string {
  const started = performance.now();
  const force = args.includes('--force');
  const outIndex = args.indexOf('--out');
  const outDir = outIndex >= 0 && args[outIndex + 1] ? resolve(args[outIndex + 1]!) : join(repoRoot, 'public', 'models');
  const human = findHuman();
  const modelJson = readFileSync(join(human, SOURCE_FILES[0]));
  const modelBin = readFileSync(join(human, SOURCE_FILES[1]));
  const files = { [SOURCE_FILES[0]]: sha256(modelJson), [SOURCE_FILES[1]]: sha256(modelBin) };
  const h = createHash('sha256');
  for (const [f, hash] of Object.entries(files)) h.update(`${f}:${hash}\n`);
  for (const f of readdirSync(converterDir).filter((x) => x.endsWith('.ts') && !x.endsWith('.test.ts') && !x.endsWith('.node.ts')).sort()) h.update(`${f}:${sha256(readFileSync(join(converterDir, f)))}\n`);
  h.update(`script:${sha256(readFileSync(scriptPath))}\n`);
  const fingerprint = h.digest('hex');
  const onnxPath = join(outDir, MOBILENETV3_FEATURES_ONNX_FILE);
  const sidecarPath = join(outDir, SOT_FEATURES_SIDECAR_FILE);
  const shown = relative(repoRoot, onnxPath);
  let existing: FeatureSidecar | undefined;
  try {
    existing = JSON.parse(readFileSync(sidecarPath, 'utf8')) as FeatureSidecar;
  } catch {
    existing = undefined;
  }
  if (!force && existing?.fingerprint === fingerprint && existsSync(onnxPath) && sha256(readFileSync(onnxPath)) === existing.sha256) {
    return `convert-sot-features: ${shown} is up to date`;
  }
  const packageVersion = (JSON.parse(readFileSync(join(human, 'package.json'), 'utf8')) as { version: string }).version;
  const conversion = convertMobileNetV3Features(modelJson.toString('utf8'), new Uint8Array(modelBin), { source: `@vladmandic/human@${packageVersion} models/centernet.{json,bin}` });
  const hash = sha256(conversion.bytes);
  mkdirSync(outDir, { recursive: true });
  writeAtomically(onnxPath, conversion.bytes);
  const sidecar: FeatureSidecar = {
    name: 'mobilenetv3_features_s8',
    file: MOBILENETV3_FEATURES_ONNX_FILE,
    sha256: hash,
    bytes: conversion.bytes.length,
    input: { name: MOBILENETV3_FEATURES_INPUT.name, shape: [...MOBILENETV3_FEATURES_INPUT.shape], layout: 'NCHW', colorOrder: 'RGB', range: [0, 255] },
    output: { name: MOBILENETV3_FEATURES_OUTPUT.name, shape: conversion.outputs[0]!.shape.map(Number), layout: 'NCHW', stride: MOBILENETV3_FEATURES_OUTPUT.stride, tfTensor: MOBILENETV3_FEATURES_OUTPUT.tf },
    source: { package: '@vladmandic/human', packageVersion, files, licence: 'MIT (@vladmandic/human); see docs/models.md' },
    fingerprint,
  };
  writeAtomically(sidecarPath, `${JSON.stringify(sidecar, null, 2)}\n`);
  return `convert-sot-features: wrote ${shown} (${(conversion.bytes.length / 1e3).toFixed(0)} kB, sha256 ${hash.slice(0, 12)}…) in ${((performance.now() - started) / 1000).toFixed(2)} s`;
}

if (process.argv[1] && resolve(process.argv[1]) === scriptPath) {
  try {
    console.log(convertSotFeatures(process.argv.slice(2)));
  } catch (e) {
    console.error(`convert-sot-features: ${(e as Error).message}`);
    process.exit(1);
  }
}

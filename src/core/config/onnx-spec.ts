/**
 * The `onnx` section of a config: which ONNX files the config's models run, and the inputs/outputs the code
 * expects of each (names, dtypes, ranks or shapes). Schema (documented in docs/configs.md):
 *
 * ```python
 * onnx = dict(
 *     backbone=dict(                       # role: the name the model code asks for
 *         file='nanotrack_v2/backbone.onnx',  # relative to the model directory, or an http(s):// URL
 *         sha256=None,                     # optional hex digest checked after reading
 *         inputs=dict(input=dict(dtype='float32', shape=[1, 3, None, None])),
 *         outputs=dict(output=dict(dtype='float32', rank=4))))
 * ```
 * A shape entry is an int (fixed), `None` (any) or a string (a named dim that must agree wherever it appears).
 */
import { ConfigError } from './config-error.ts';
import { type ConfigDict, type ConfigValue, isConfigDict, previewValue, pythonTypeName } from './config-value.ts';
import { configOrigin } from './python-evaluator.ts';

export const ONNX_DTYPES = ['float32', 'float16', 'int64', 'int32', 'int8', 'uint8', 'bool'] as const;
export type OnnxDtype = (typeof ONNX_DTYPES)[number];

/** A dim of an expected shape: fixed size, any size (`null`), or a named size shared across tensors. */
export type OnnxDim = number | string | null;

export interface OnnxTensorSpec {
  name: string;
  dtype: OnnxDtype;
  rank: number;
  /** Present when the config gives `shape`; `rank` then equals its length. */
  shape?: OnnxDim[];
}

export interface OnnxModelSpec {
  /** The key under `onnx` (`detector`, `backbone`, `head`, `reid`...). */
  role: string;
  /** As written in the config. */
  file: string;
  /** Lower-case hex SHA-256 of the file, when the config pins it. */
  sha256?: string;
  inputs: OnnxTensorSpec[];
  outputs: OnnxTensorSpec[];
}

/** Reads and validates the `onnx` section; `[]` when the config has none. Problems are {@link ConfigError}s. */
export function readOnnxSection(config: ConfigDict): OnnxModelSpec[] {
  const section = config.onnx;
  if (section === undefined || section === null) return [];
  const fail = (path: string, value: ConfigValue | undefined, problem: string): never => {
    throw new ConfigError(`${path}: ${problem}`, configOrigin(value) ?? configOrigin(section));
  };
  if (!isConfigDict(section)) return fail('onnx', section, `expected dict(role=dict(file=..., inputs=..., outputs=...)), got ${previewValue(section)}`);
  return Object.entries(section).map(([role, model]) => {
    const path = `onnx.${role}`;
    if (!isConfigDict(model)) return fail(path, model, `expected dict(file=..., inputs=..., outputs=...), got ${previewValue(model)}`);
    for (const key of Object.keys(model)) {
      if (!['file', 'sha256', 'inputs', 'outputs'].includes(key)) fail(path, model, `unknown key '${key}'; accepted keys: file, sha256, inputs, outputs`);
    }
    const file = model.file;
    if (typeof file !== 'string' || file === '') return fail(`${path}.file`, model, 'expected a file path (relative to the model directory) or an http(s):// URL');
    if (/^[a-z][a-z0-9+.-]*:/i.test(file) && !/^https?:\/\//i.test(file)) fail(`${path}.file`, model, `only http:// and https:// URLs are supported, got '${file}'`);
    const spec: OnnxModelSpec = { role, file, inputs: tensors(model.inputs, `${path}.inputs`, fail), outputs: tensors(model.outputs, `${path}.outputs`, fail) };
    const sha = model.sha256;
    if (sha !== undefined && sha !== null) {
      // Digits without quotes are a Python int (rounded past 2**53): say so rather than "not 64 hex digits".
      if (typeof sha !== 'string') {
        const got = typeof sha === 'number' ? `the number ${previewValue(sha)}; write it in quotes, sha256='...'` : pythonTypeName(sha);
        return fail(`${path}.sha256`, model, `expected a string of 64 hex digits or None, got ${got}`);
      }
      const notHex = /[^0-9a-fA-F]/.exec(sha)?.[0];
      if (sha.length !== 64 || notHex) fail(`${path}.sha256`, model, `expected 64 hex digits or None, got ${sha.length} characters${notHex ? ` ('${notHex}' is not a hex digit)` : ''}`);
      spec.sha256 = sha.toLowerCase();
    }
    return spec;
  });
}

type Fail = (path: string, value: ConfigValue | undefined, problem: string) => never;

function tensors(value: ConfigValue | undefined, path: string, fail: Fail): OnnxTensorSpec[] {
  if (!isConfigDict(value) || Object.keys(value).length === 0) return fail(path, value, `expected dict(NAME=dict(dtype=..., shape=[...] or rank=N), ...), got ${value === undefined ? 'nothing' : previewValue(value)}`);
  return Object.entries(value).map(([name, t]) => {
    const here = `${path}.${name}`;
    if (!isConfigDict(t)) return fail(here, t, `expected dict(dtype=..., shape=[...] or rank=N), got ${previewValue(t)}`);
    for (const key of Object.keys(t)) if (!['dtype', 'shape', 'rank'].includes(key)) fail(here, t, `unknown key '${key}'; accepted keys: dtype, shape, rank`);
    const dtype = t.dtype;
    if (typeof dtype !== 'string' || !(ONNX_DTYPES as readonly string[]).includes(dtype)) fail(`${here}.dtype`, t, `expected one of ${ONNX_DTYPES.join(', ')}, got ${previewValue(dtype ?? null)}`);
    const spec: OnnxTensorSpec = { name, dtype: dtype as OnnxDtype, rank: -1 };
    if (t.shape !== undefined) {
      const shape = t.shape;
      if (!Array.isArray(shape) || shape.some((d) => !(d === null || typeof d === 'string' || (typeof d === 'number' && Number.isInteger(d) && d >= 0)))) {
        fail(`${here}.shape`, t, `expected a list of ints >= 0, None or dim names, got ${previewValue(shape)}`);
      }
      spec.shape = shape as OnnxDim[];
      spec.rank = (shape as OnnxDim[]).length;
    }
    if (t.rank !== undefined) {
      if (typeof t.rank !== 'number' || !Number.isInteger(t.rank) || t.rank < 0) fail(`${here}.rank`, t, `expected an int >= 0, got ${previewValue(t.rank)}`);
      if (spec.shape && spec.rank !== t.rank) fail(here, t, `rank=${String(t.rank)} disagrees with shape ${previewValue(t.shape ?? null)}`);
      spec.rank = t.rank;
    }
    if (spec.rank < 0) fail(here, t, 'give shape=[...] or rank=N');
    return spec;
  });
}

/** The file's location: `url` as written, or `modelDir/file` for a relative path. */
export function resolveOnnxFile(spec: OnnxModelSpec, modelDir: string): string {
  if (/^https?:\/\//i.test(spec.file)) return spec.file;
  return `${modelDir.replace(/\/+$/, '')}/${spec.file.replace(/^\.?\//, '')}`;
}

/** What an ONNX session reports about one tensor (dims: numbers, or strings/null for symbolic ones). */
export interface OnnxTensorInfo {
  name: string;
  dtype: string;
  shape: readonly (number | string | null)[];
}

/**
 * Compares a loaded model's inputs/outputs with the config's expectations; returns the problems (empty when they
 * agree). Named dims must take the same size wherever the model gives them a fixed size.
 */
export function checkOnnxIo(spec: OnnxModelSpec, model: { inputs: readonly OnnxTensorInfo[]; outputs: readonly OnnxTensorInfo[] }): string[] {
  const problems: string[] = [];
  const named = new Map<string, { size: number; where: string }>();
  const compare = (kind: 'input' | 'output', expected: OnnxTensorSpec[], actual: readonly OnnxTensorInfo[]) => {
    for (const e of expected) {
      const a = actual.find((t) => t.name === e.name);
      if (!a) {
        problems.push(`onnx.${spec.role}: the model has no ${kind} '${e.name}' (its ${kind}s: ${actual.map((t) => t.name).join(', ') || 'none'})`);
        continue;
      }
      const where = `onnx.${spec.role} ${kind} '${e.name}'`;
      if (a.dtype !== e.dtype) problems.push(`${where}: dtype is ${a.dtype}, the config expects ${e.dtype}`);
      if (a.shape.length !== e.rank) {
        problems.push(`${where}: rank is ${a.shape.length} ([${a.shape.join(', ')}]), the config expects ${e.rank}`);
        continue;
      }
      e.shape?.forEach((dim, i) => {
        const got = a.shape[i];
        if (typeof got !== 'number' || dim === null) return;
        if (typeof dim === 'number' && got !== dim) problems.push(`${where}: dim ${i} is ${got}, the config expects ${dim}`);
        if (typeof dim === 'string') {
          const seen = named.get(dim);
          if (seen && seen.size !== got) problems.push(`${where}: dim ${i} ('${dim}') is ${got} but ${seen.where} has ${seen.size}`);
          else if (!seen) named.set(dim, { size: got, where: `${where} dim ${i}` });
        }
      });
    }
  };
  compare('input', spec.inputs, model.inputs);
  compare('output', spec.outputs, model.outputs);
  return problems;
}

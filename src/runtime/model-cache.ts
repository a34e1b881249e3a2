import { sha256Hex } from './sha256.ts';

/**
 * ONNX files the user dropped, kept in the Origin Private File System by SHA-256 so they survive a reload
 * without being dropped again. Files are `models/<sha256>.onnx`; `models/index.json` keeps names and sizes.
 */
export interface CachedModel {
  sha256: string;
  name: string;
  bytes: number;
  addedAt: string;
}

async function modelsDir(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle('models', { create: true });
}

async function readIndex(dir: FileSystemDirectoryHandle): Promise<Record<string, CachedModel>> {
  try {
    const file = await (await dir.getFileHandle('index.json')).getFile();
    return JSON.parse(await file.text()) as Record<string, CachedModel>;
  } catch {
    return {};
  }
}

async function writeFileBytes(dir: FileSystemDirectoryHandle, name: string, data: BufferSource | string): Promise<void> {
  const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
  await writable.write(data);
  await writable.close();
}

/** Stores a model (no-op when the same bytes are stored already) and returns its entry. */
export async function cacheModel(bytes: ArrayBuffer, name: string): Promise<CachedModel> {
  const sha256 = await sha256Hex(bytes);
  const dir = await modelsDir();
  const index = await readIndex(dir);
  if (!index[sha256]) {
    await writeFileBytes(dir, `${sha256}.onnx`, bytes);
    index[sha256] = { sha256, name, bytes: bytes.byteLength, addedAt: new Date().toISOString() };
    await writeFileBytes(dir, 'index.json', JSON.stringify(index));
  }
  return index[sha256];
}

/** The bytes of a cached model, checked against its SHA-256; null when absent or damaged. */
export async function loadCachedModel(sha256: string): Promise<{ entry: CachedModel; bytes: ArrayBuffer } | null> {
  try {
    const dir = await modelsDir();
    const entry = (await readIndex(dir))[sha256];
    if (!entry) return null;
    const bytes = await (await (await dir.getFileHandle(`${sha256}.onnx`)).getFile()).arrayBuffer();
    return (await sha256Hex(bytes)) === sha256 ? { entry, bytes } : null;
  } catch {
    return null;
  }
}

// Outputs are checked before the work starts (a folder is created, a directory is not taken for a file), and files
// are written whole or not at all: a temporary file beside the target, then a rename.
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './command.ts';

async function kindOf(p: string): Promise<'file' | 'folder' | null> {
  try {
    return (await stat(p)).isDirectory() ? 'folder' : 'file';
  } catch {
    return null;
  }
}

async function makeFolder(folder: string, what: string): Promise<void> {
  if ((await kindOf(folder)) === 'file') throw new UserError(`${what} ${folder}: is a file, not a folder`);
  try {
    await mkdir(folder, { recursive: true });
  } catch (err) {
    throw new UserError(`${what} ${folder}: the folder cannot be created (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
}

/** An output file (`--out FILE`): not a directory; its folder exists or is created. */
export async function prepareOutputFile(file: string, flag: string): Promise<void> {
  if ((await kindOf(file)) === 'folder') throw new UserError(`${flag} ${file}: is a folder; give a file name`);
  await makeFolder(path.dirname(path.resolve(file)), `${flag} ${file}:`);
}

/** An output folder (`--out DIR`): not a file; created when missing. */
export async function prepareOutputFolder(folder: string, flag: string): Promise<void> {
  await makeFolder(path.resolve(folder), flag);
}

/**
 * Writes `data` to `file` atomically (temporary file, then rename), so no half-written output is left behind. The
 * temporary file is named after its writer (`tag`: this process, or a batch job, whose retry then overwrites its own).
 */
export async function writeOutputFile(file: string, data: string | Uint8Array, tag = String(process.pid)): Promise<void> {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${tag.replace(/[^\w.-]/g, '_')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new UserError(`${file}: could not be written (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
}

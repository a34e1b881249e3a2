import { isImageFile } from '../../media/image-folder-source.ts';
import type { VideoInput } from '../../media/open-video.ts';

/** Reads every file under a dropped directory entry (recursively), as `File`s. */
async function filesOfDirectory(dir: FileSystemDirectoryEntry): Promise<File[]> {
  const reader = dir.createReader();
  const entries: FileSystemEntry[] = [];
  // readEntries returns at most ~100 entries per call: read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    entries.push(...batch);
  }
  const files: File[] = [];
  for (const e of entries) {
    if (e.isFile) files.push(await new Promise<File>((resolve, reject) => (e as FileSystemFileEntry).file(resolve, reject)));
    else if (e.isDirectory) files.push(...(await filesOfDirectory(e as FileSystemDirectoryEntry)));
  }
  return files;
}

/**
 * Turns a drop into what to open: a dropped folder or several images → an image sequence; otherwise the first
 * file. Returns null when nothing usable was dropped.
 */
export async function inputFromDrop(dt: DataTransfer): Promise<VideoInput | null> {
  const entries = Array.from(dt.items)
    .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  const dir = entries.find((e) => e.isDirectory) as FileSystemDirectoryEntry | undefined;
  if (dir) return { kind: 'images', name: dir.name, files: await filesOfDirectory(dir) };
  return inputFromFiles(Array.from(dt.files));
}

/** Files from a picker: several images form a sequence (named after their folder when known); else the first file. */
export function inputFromFiles(files: File[]): VideoInput | null {
  if (files.length === 0) return null;
  if (files.length > 1 && files.every(isImageFile)) {
    const rel = (files[0] as File & { webkitRelativePath?: string }).webkitRelativePath ?? '';
    return { kind: 'images', name: rel.split('/')[0] || `${files.length} images`, files };
  }
  return { kind: 'file', file: files[0] as File };
}

/** Files from a folder picker (`webkitdirectory`): always an image sequence named after the folder. */
export function inputFromFolder(files: File[]): VideoInput | null {
  if (files.length === 0) return null;
  const rel = (files[0] as File & { webkitRelativePath?: string }).webkitRelativePath ?? '';
  return { kind: 'images', name: rel.split('/')[0] || 'folder', files };
}

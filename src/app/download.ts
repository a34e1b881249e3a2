/** Saves a Blob as a file through the browser's download. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `street.mp4` → `street-annotated.mp4`. */
export function derivedName(name: string, suffix: string, ext: string): string {
  const base = name.replace(/\.[^./]+$/, '');
  return `${base}${suffix}.${ext}`;
}

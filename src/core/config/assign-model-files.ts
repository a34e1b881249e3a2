import type { OnnxModelSpec } from './onnx-spec.ts';

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/**
 * Which dropped file is which `onnx` entry of a config: a file named as the entry's `file` (base name), else one
 * whose name contains the role (`backbone.onnx`, `my_bbox_head.onnx`), else the one file left for the one entry left.
 * Entries without a file are left out (the caller may have them remembered); a file that fits no entry is an error
 * naming it and the entries, rather than silently ignored.
 */
export function assignModelFiles(specs: readonly OnnxModelSpec[], fileNames: readonly string[]): Map<string, number> {
  const byRole = new Map<string, number>();
  const free = new Set(fileNames.map((_, i) => i));
  const take = (role: string, match: (name: string) => boolean) => {
    if (byRole.has(role)) return;
    const i = [...free].find((j) => match(fileNames[j]!.toLowerCase()));
    if (i === undefined) return;
    byRole.set(role, i);
    free.delete(i);
  };
  for (const s of specs) take(s.role, (n) => n === baseName(s.file).toLowerCase());
  // Longer roles first, so that 'bbox_head' is not taken by a role named 'head'.
  for (const s of [...specs].sort((a, b) => b.role.length - a.role.length)) take(s.role, (n) => n.includes(s.role.toLowerCase()));
  const open = specs.filter((s) => !byRole.has(s.role));
  if (open.length === 1 && free.size === 1) {
    byRole.set(open[0]!.role, [...free][0]!);
    free.clear();
  }
  if (free.size > 0) {
    const names = [...free].map((i) => fileNames[i]!).join(', ');
    const wanted = specs.map((s) => `onnx.${s.role} (${baseName(s.file)})`).join(', ');
    throw new Error(`${names}: not one of this config's model files; it needs ${wanted}: name each file as its entry's file or role`);
  }
  return byRole;
}

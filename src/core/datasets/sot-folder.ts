import { joinPath, readTextBytes, type TextFileSource } from './file-source.ts';
import { DatasetError, type DatasetIssue } from './issues.ts';
import { parseFrameFlags, parseSotBoxes, parseVotRegions, sotVisibility, type SotBoxes, type SotFlags, type VotRegion } from './sot.ts';

/** Ground-truth file names, in the order they are looked for (OTB uses `groundtruth_rect.txt`). */
const GT_NAMES = ['groundtruth.txt', 'groundtruth_rect.txt'];

async function findGt(src: TextFileSource, seqDir: string): Promise<string | undefined> {
  for (const n of GT_NAMES) if (await src.exists(joinPath(seqDir, n))) return joinPath(seqDir, n);
  return undefined;
}

/** Sequence folders directly under `gtRoot` that hold a ground-truth file, sorted by name. */
export async function listSotSequences(src: TextFileSource, gtRoot: string): Promise<string[]> {
  if (!src.list) throw new DatasetError({ file: gtRoot, message: 'cannot list this folder' });
  const names: string[] = [];
  for (const n of await src.list(gtRoot)) if (await findGt(src, joinPath(gtRoot, n))) names.push(n);
  if (names.length === 0) throw new DatasetError({ file: gtRoot, message: `no sequence folder with ${GT_NAMES.join(' or ')} (expected GT_ROOT/SEQ/groundtruth.txt)` });
  return names.sort();
}

export interface OpeSequenceFiles {
  name: string;
  gt: SotBoxes;
  pred: SotBoxes;
  /** From LaSOT / GOT-10k flag files when present, combined with the gt box validity (w, h > 0). */
  visible?: Uint8Array;
}

/**
 * Reads an OPE benchmark: `GT_ROOT/SEQ/groundtruth.txt` (+ LaSOT `full_occlusion.txt`/`out_of_view.txt`, GOT-10k
 * `absence.label` when present) and `RESULTS/SEQ.txt` or `RESULTS/SEQ/result.txt` (`x,y,w,h` per frame).
 */
export async function readOpeFolder(src: TextFileSource, gtRoot: string, resultsRoot: string): Promise<{ sequences: OpeSequenceFiles[]; warnings: DatasetIssue[] }> {
  const warnings: DatasetIssue[] = [];
  const sequences: OpeSequenceFiles[] = [];
  for (const name of await listSotSequences(src, gtRoot)) {
    const seqDir = joinPath(gtRoot, name);
    const gtPath = (await findGt(src, seqDir))!;
    // RESULTS/SEQ.txt (LaSOT toolkit layout), or RESULTS/SEQ/result.txt next to a sequence's own files.
    const candidates = [joinPath(resultsRoot, `${name}.txt`), joinPath(resultsRoot, name, 'result.txt')];
    let resPath: string | undefined;
    for (const c of candidates) if (resPath === undefined && (await src.exists(c))) resPath = c;
    if (resPath === undefined) throw new DatasetError({ file: candidates[0]!, message: `tracking results of sequence ${name} not found (expected RESULTS_FOLDER/${name}.txt)` });
    const seq = await readOpeSequence(src, name, gtPath, resPath);
    warnings.push(...seq.warnings);
    sequences.push(seq.value);
  }
  return { sequences, warnings };
}

/**
 * One OPE sequence: its ground truth, the LaSOT / GOT-10k flag files beside it (when present) and the results.
 */
export async function readOpeSequence(src: TextFileSource, name: string, gtPath: string, resPath: string): Promise<{ value: OpeSequenceFiles; warnings: DatasetIssue[] }> {
  const seqDir = gtPath.split('/').slice(0, -1).join('/');
  const gt = parseSotBoxes(await readTextBytes(src, gtPath), gtPath);
  const pred = parseSotBoxes(await readTextBytes(src, resPath), resPath);
  if (pred.value.count !== gt.value.count) {
    throw new DatasetError({ file: resPath, message: `${pred.value.count} result lines for ${gt.value.count} ground-truth frames in ${gtPath}` });
  }
  const flags: SotFlags = {};
  const flagFiles: [keyof SotFlags, string][] = [
    ['fullOcclusion', 'full_occlusion.txt'],
    ['outOfView', 'out_of_view.txt'],
    ['absence', 'absence.label'],
  ];
  let any = false;
  for (const [key, file] of flagFiles) {
    const p = joinPath(seqDir, file);
    if (await src.exists(p)) {
      flags[key] = parseFrameFlags(await src.readText(p), p);
      any = true;
    }
  }
  const seq: OpeSequenceFiles = { name, gt: gt.value, pred: pred.value };
  if (any) {
    // MMTracking (only_eval_visible): visible = flags & (w > 0 & h > 0), in float32 like its loadtxt.
    const visible = sotVisibility(flags, gt.value.count);
    for (let i = 0; i < gt.value.count; i++) {
      const w = Math.fround(gt.value.xywh[i * 4 + 2]!);
      const h = Math.fround(gt.value.xywh[i * 4 + 3]!);
      if (!(w > 0 && h > 0)) visible[i] = 0;
    }
    seq.visible = visible;
  }
  return { value: seq, warnings: [...gt.warnings, ...pred.warnings] };
}

export interface VotSequenceFiles {
  name: string;
  gt: VotRegion[];
  pred: VotRegion[];
}

/**
 * Reads a VOT benchmark: `GT_ROOT/SEQ/groundtruth.txt` (polygons) and `RESULTS/SEQ.txt` or the VOT toolkit's
 * `RESULTS/SEQ/SEQ_001.txt`.
 */
export async function readVotFolder(src: TextFileSource, gtRoot: string, resultsRoot: string): Promise<{ sequences: VotSequenceFiles[]; warnings: DatasetIssue[] }> {
  const warnings: DatasetIssue[] = [];
  const sequences: VotSequenceFiles[] = [];
  for (const name of await listSotSequences(src, gtRoot)) {
    const gtPath = (await findGt(src, joinPath(gtRoot, name)))!;
    const candidates = [joinPath(resultsRoot, `${name}.txt`), joinPath(resultsRoot, name, `${name}_001.txt`)];
    let resPath: string | undefined;
    for (const c of candidates) if (resPath === undefined && (await src.exists(c))) resPath = c;
    if (!resPath) throw new DatasetError({ file: candidates[0]!, message: `tracking results of sequence ${name} not found (expected RESULTS_FOLDER/${name}.txt or ${name}/${name}_001.txt)` });
    const gt = parseVotRegions(await src.readText(gtPath), gtPath);
    const pred = parseVotRegions(await src.readText(resPath), resPath);
    warnings.push(...gt.warnings, ...pred.warnings);
    if (pred.value.length !== gt.value.length) throw new DatasetError({ file: resPath, message: `${pred.value.length} result lines for ${gt.value.length} ground-truth frames in ${gtPath}` });
    sequences.push({ name, gt: gt.value, pred: pred.value });
  }
  return { sequences, warnings };
}

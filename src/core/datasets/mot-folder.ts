import { joinPath, readTextBytes, type TextFileSource } from './file-source.ts';
import { DatasetError, type DatasetIssue } from './issues.ts';
import { parseMotGt, parseMotTracker, parseSeqInfo, parseSeqmap, type MotRows, type SeqInfo } from './mot-challenge.ts';

/** One MOTChallenge sequence read from a TrackEval folder layout. */
export interface MotSequenceFiles {
  name: string;
  info: SeqInfo;
  gt: MotRows;
  tracker: MotRows;
}

/**
 * Reads TrackEval's MOTChallenge layout:
 * `GT/BENCH-SPLIT/SEQ/gt/gt.txt`, `GT/BENCH-SPLIT/SEQ/seqinfo.ini`, `GT/seqmaps/BENCH-SPLIT.txt` and
 * `RESULTS/SEQ.txt`. Without a seqmap, the sequence folders under `GT/BENCH-SPLIT` are used.
 */
export async function readMotChallengeFolder(
  src: TextFileSource,
  gtRoot: string,
  resultsRoot: string,
  options: { benchmark?: string; split?: string } = {},
): Promise<{ sequences: MotSequenceFiles[]; warnings: DatasetIssue[] }> {
  const benchSplit = `${options.benchmark ?? 'MOT17'}-${options.split ?? 'train'}`;
  const seqmapPath = joinPath(gtRoot, 'seqmaps', `${benchSplit}.txt`);
  let names: string[];
  if (await src.exists(seqmapPath)) {
    names = parseSeqmap(await src.readText(seqmapPath), seqmapPath);
  } else if (src.list && (await src.exists(joinPath(gtRoot, benchSplit)))) {
    names = (await src.list(joinPath(gtRoot, benchSplit))).filter((n) => n !== 'seqmaps');
    if (names.length === 0) throw new DatasetError({ file: joinPath(gtRoot, benchSplit), message: 'no sequence folders' });
  } else {
    throw new DatasetError({ file: seqmapPath, message: `seqmap not found (expected GT_FOLDER/seqmaps/${benchSplit}.txt)` });
  }
  const warnings: DatasetIssue[] = [];
  const sequences: MotSequenceFiles[] = [];
  for (const name of names) {
    const seq = await readMotSequence(src, name, joinPath(gtRoot, benchSplit, name), joinPath(resultsRoot, `${name}.txt`), options.benchmark);
    warnings.push(...seq.warnings);
    sequences.push(seq.value);
  }
  return { sequences, warnings };
}

/** One sequence: `SEQ_DIR/seqinfo.ini`, `SEQ_DIR/gt/gt.txt` and its tracker results. */
export async function readMotSequence(src: TextFileSource, name: string, seqDir: string, resPath: string, benchmark?: string): Promise<{ value: MotSequenceFiles; warnings: DatasetIssue[] }> {
  const infoPath = joinPath(seqDir, 'seqinfo.ini');
  const gtPath = joinPath(seqDir, 'gt', 'gt.txt');
  for (const p of [infoPath, gtPath]) if (!(await src.exists(p))) throw new DatasetError({ file: p, message: `ground truth file of sequence ${name} not found` });
  if (!(await src.exists(resPath))) throw new DatasetError({ file: resPath, message: `tracker results of sequence ${name} not found (expected RESULTS_FOLDER/${name}.txt)` });
  const info = parseSeqInfo(await src.readText(infoPath), infoPath);
  const gt = parseMotGt(await readTextBytes(src, gtPath), gtPath, { seqLength: info.seqLength, format: benchmark === 'MOT15' ? 'mot15' : undefined });
  const tr = parseMotTracker(await readTextBytes(src, resPath), resPath, { seqLength: info.seqLength });
  return { value: { name, info, gt: gt.value, tracker: tr.value }, warnings: [...gt.warnings, ...tr.warnings] };
}

// Running and evaluating the videos of a config's data.test (`mmtrack test`, and each job of `mmtrack batch`).
// One result file per video, `OUT/<name>.txt|json` in the dataset's own format, written whole or not at all.
import { nodeOrt } from '../runtime/node-ort.node.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type ConfigDict, getConfigPath, previewValue } from '../core/config/config-value.ts';
import { writeSotBoxes } from '../core/datasets/sot.ts';
import { readMotSequence } from '../core/datasets/mot-folder.ts';
import { readOpeSequence } from '../core/datasets/sot-folder.ts';
import type { DatasetIssue } from '../core/datasets/issues.ts';
import type { TestFamily, TestSet, TestVideo } from '../core/datasets/test-set.ts';
import { MOT_MODEL_TRACKERS } from '../core/models/mot/build-mot-tracker.ts';
import { SOT_MODEL_TYPES, sotModelSettings } from '../core/models/sot/sot-models.ts';
import { openFrames } from '../media/ffmpeg-frame-reader.node.ts';
import { parseYtvis, parseYtvisResults } from '../core/datasets/youtube-vis.ts';
import { YtvisResultsBuilder } from '../core/datasets/ytvis-results.ts';
import { toRleMasks } from '../core/structures/bit-masks.ts';
import { evalYtvis } from '../core/eval/ytvis-eval.ts';
import { loadVisRunner, VIS_MODEL_TYPES } from '../runtime/vis/vis-runner.ts';
import { type CocoDetection, parseCocoResults, parseCocoVid } from '../core/datasets/coco-vid.ts';
import { evalCocoBbox } from '../core/eval/coco-bbox.ts';
import { VID_MODELS } from '../core/models/vid/vid-config.ts';
import { loadCliModel } from './model-dir.ts';
import { UserError } from './command.ts';
import { motTable, opeTable, VID_KEYS, VIS_KEYS } from './commands/eval.ts';
import { loadVideoDetector } from './video-detector.ts';
import { loadSotForCli, readFirstBox, runSotSequence } from './commands/track-sot.ts';
import { diskSource } from './disk-source.ts';
import { writeOutputFile } from './output-path.ts';
import { MotVideoRunner } from './mot-video-runner.ts';

export interface VideoRunner {
  /** Runs one video and returns its result file's text; `onFrame(done)` after each frame. */
  run(video: TestVideo, onFrame?: (done: number) => void, signal?: AbortSignal): Promise<{ text: string; frames: number }>;
  release(): Promise<void>;
}

/** The family a config's model.type runs, checked against the dataset's. */
export function configFamily(config: ConfigDict, configName: string, dataset?: TestSet): TestFamily {
  const type = getConfigPath(config, 'model.type');
  const family: TestFamily | null =
    typeof type !== 'string' ? null
    : type in MOT_MODEL_TRACKERS ? 'mot'
    : (SOT_MODEL_TYPES as readonly string[]).includes(type) ? 'sot'
    : VIS_MODEL_TYPES.includes(type) ? 'vis'
    : VID_MODELS.has(type) ? 'vid'
    : null;
  if (!family) {
    throw new UserError(
      `${configName}: model.type ${previewValue(type ?? null)}: mmtrack test runs multiple object tracking (${Object.keys(MOT_MODEL_TRACKERS).join(', ')}), single object tracking (${SOT_MODEL_TYPES.join(', ')}), video object detection (${VID_MODELS.types.join(', ')}) and video instance segmentation (${VIS_MODEL_TYPES.join(', ')}) configs`,
    );
  }
  if (dataset && dataset.family !== family) throw new UserError(`${configName}: model.type ${type as string} is ${family.toUpperCase()}, but data.test.type ${dataset.type} is a ${dataset.family.toUpperCase()} dataset`);
  return family;
}

/** Every frame of the folder is one frame of the dataset: a different count would misalign the ground truth. */
function checkFrames(video: TestVideo, frames: number): void {
  if (frames !== video.frameCount) throw new UserError(`${video.frames}: ${frames} frames, but the dataset declares ${video.frameCount} for ${video.name}`);
}

export async function loadVideoRunner(config: ConfigDict, family: TestFamily, modelDir: string): Promise<VideoRunner> {
  if (family === 'mot') {
    const mot = await MotVideoRunner.load(config, modelDir);
    return {
      async run(video, onFrame, signal) {
        const r = await mot.run(openFrames(video.frames), { onFrame: (f) => onFrame?.(f.index + 1), ...(signal ? { signal } : {}) });
        checkFrames(video, r.frames);
        return { text: r.text, frames: r.frames };
      },
      release: () => mot.release(),
    };
  }
  if (family === 'vid') {
    const detector = await loadVideoDetector(config, modelDir);
    return {
      async run(video, onFrame, signal) {
        // COCO results as `detect` writes them, under the ann_file's image id of each frame.
        const results: CocoDetection[] = [];
        const imageIds = video.imageIds!;
        const r = await detector.run(
          video.frames,
          (d, index) => {
            const imageId = imageIds[index];
            if (imageId === undefined) throw new UserError(`${video.frames}: more frames than the ${video.frameCount} the dataset declares for ${video.name}`);
            results.push(...detector.toCoco(d, imageId));
            onFrame?.(index + 1);
          },
          signal ? { signal } : {},
        );
        checkFrames(video, r.frames);
        return { text: `${JSON.stringify(results)}\n`, frames: r.frames };
      },
      release: () => detector.release(),
    };
  }
  if (family === 'vis') {
    const { ort } = await nodeOrt();
    const vis = await loadVisRunner(ort, config, (spec) => loadCliModel(spec, modelDir));
    return {
      async run(video, onFrame, signal) {
        // YouTube-VIS results as `track` writes them, under the video's id in ann_file.
        const results = new YtvisResultsBuilder(video.videoId ?? 1);
        let n = 0;
        for await (const frame of openFrames(video.frames).frames()) {
          signal?.throwIfAborted();
          let r;
          try {
            r = await vis.track(frame.index, frame.data, frame.width, frame.height);
          } catch (err) {
            throw new UserError(`${video.frames}, frame ${frame.index + 1}: ${err instanceof Error ? err.message : String(err)}`);
          }
          results.addFrame(frame.index, r.detections.ids, r.detections.labels, r.detections.scores, toRleMasks(r.masks));
          onFrame?.(++n);
        }
        checkFrames(video, n);
        return { text: `${JSON.stringify(results.results(n))}\n`, frames: n };
      },
      release: () => vis.release(),
    };
  }
  const sot = await loadSotForCli(sotModelSettings(config), modelDir);
  return {
    async run(video, onFrame, signal) {
      // As MMTracking's SOT test: the first ground-truth box initialises the tracker.
      const init = await readFirstBox(video.gt);
      const results = await runSotSequence(sot.tracker, openFrames(video.frames), init, (_f, r) => {
        signal?.throwIfAborted();
        onFrame?.(r.index + 1);
      });
      checkFrames(video, results.length);
      return { text: writeSotBoxes({ count: results.length, xywh: Float64Array.from(results.flatMap((r) => r.box)) }), frames: results.length };
    },
    release: () => sot.release(),
  };
}

export function resultFile(outDir: string, video: TestVideo): string {
  return path.join(outDir, video.result);
}

export function hasResult(outDir: string, video: TestVideo): boolean {
  return existsSync(resultFile(outDir, video));
}

/**
 * Writes a video's result atomically: a temporary file named after the writer (`tag`: a process, a batch job's
 * attempt), then a rename over the target. A reader sees the old file or the new one, never a part.
 */
export async function writeResult(outDir: string, video: TestVideo, text: string, tag: string): Promise<string> {
  const file = resultFile(outDir, video);
  await writeOutputFile(file, text, tag);
  return file;
}

/** MOT metric names (MMTracking's `evaluation.metric`) → the summary fields they print. 'track' is CLEAR + Identity. */
const MOT_METRIC_FIELDS: Record<string, readonly string[]> = {
  HOTA: ['HOTA', 'DetA', 'AssA', 'LocA'],
  CLEAR: ['MOTA', 'MOTP', 'IDSW', 'FP', 'FN', 'TP', 'MT', 'PT', 'ML', 'Frag'],
  Identity: ['IDF1', 'IDP', 'IDR'],
};

/** Each family's metric names (MMTracking's) and those printed when the config names none. */
const FAMILY_METRICS: Record<TestFamily, { known: string[]; defaults: string[] }> = {
  mot: { known: ['HOTA', 'CLEAR', 'Identity', 'track'], defaults: ['HOTA', 'CLEAR', 'Identity'] },
  sot: { known: ['track'], defaults: ['track'] },
  vid: { known: ['bbox'], defaults: ['bbox'] },
  vis: { known: ['track_segm'], defaults: ['track_segm'] },
};

/**
 * The metrics to print: `--eval`, else the config's `evaluation.metric`, else every one the family has. Metrics this
 * tool does not compute are named in `skipped` (the caller says so), unknown ones are an error.
 */
export function testMetrics(config: ConfigDict, family: TestFamily, given: readonly string[] | undefined): { metrics: string[]; skipped: string[] } {
  const fromConfig = getConfigPath(config, 'evaluation.metric');
  let names: string[];
  if (given && given.length) names = [...given];
  else if (typeof fromConfig === 'string') names = [fromConfig];
  else if (Array.isArray(fromConfig) && fromConfig.every((m) => typeof m === 'string')) names = fromConfig;
  else names = FAMILY_METRICS[family].defaults;
  const known = FAMILY_METRICS[family].known;
  const notComputed = family === 'mot' ? ['bbox'] : [];
  const bad = names.filter((m) => !known.includes(m) && !notComputed.includes(m));
  if (bad.length) throw new UserError(`metric ${bad.map((m) => `'${m}'`).join(', ')} is not one of ${family.toUpperCase()}'s: ${known.join(', ')}`);
  return { metrics: names.filter((m) => known.includes(m)), skipped: names.filter((m) => notComputed.includes(m)) };
}

/** VID, VIS: every video's results file read and joined into one list (evaluated as one file, as MMTracking does). */
async function joinedResults<T>(set: TestSet, outDir: string, warnings: DatasetIssue[], parse: (text: string, file: string) => { value: T[]; warnings: DatasetIssue[] }): Promise<T[]> {
  const out: T[] = [];
  for (const v of set.videos) {
    const file = resultFile(outDir, v);
    const r = parse(await diskSource.readText(file), file);
    warnings.push(...r.warnings);
    out.push(...r.value);
  }
  return out;
}

/** Reads every video's result and ground truth and computes the metrics, as `mmtrack eval mot|sot|vid|vis` prints them. */
export async function evaluateTestSet(set: TestSet, outDir: string, metrics: readonly string[]): Promise<{ table: Record<string, number | Record<string, number>>; warnings: DatasetIssue[] }> {
  const warnings: DatasetIssue[] = [];
  if (set.family === 'vid') {
    // One COCO results list over every video, evaluated as `mmtrack eval vid` does.
    const annFile = set.annFile!;
    const ann = parseCocoVid(await diskSource.readText(annFile), annFile);
    warnings.push(...ann.warnings);
    const results = await joinedResults(set, outDir, warnings, parseCocoResults);
    // A detector trained on other classes (COCO's on ImageNet VID) scores 0 without an error: say so.
    const categories = new Set(ann.value.categories.map((c) => c.id));
    const foreign = results.filter((d) => !categories.has(d.category_id));
    if (foreign.length) {
      const ids = [...new Set(foreign.map((d) => d.category_id))].sort((x, y) => x - y);
      warnings.push({ file: annFile, kept: true, message: `${foreign.length} of ${results.length} detections have category ids not among its categories (${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', ...' : ''}): they count for nothing. Are the model's classes the dataset's?` });
    }
    const { metrics: m } = evalCocoBbox(ann.value, results);
    return { table: Object.fromEntries(VID_KEYS.map((k) => [k, m[k]])), warnings };
  }
  if (set.family === 'vis') {
    // One YouTube-VIS results list over every video, evaluated as `mmtrack eval vis` does.
    const annFile = set.annFile!;
    const ann = parseYtvis(await diskSource.readText(annFile), annFile);
    warnings.push(...ann.warnings);
    const results = await joinedResults(set, outDir, warnings, (text, file) => parseYtvisResults(text, file, ann.value.videos));
    const { metrics: m } = evalYtvis(ann.value, results);
    return { table: Object.fromEntries(VIS_KEYS.map((k) => [k, m[k]])), warnings };
  }
  if (set.family === 'sot') {
    const seqs = [];
    for (const v of set.videos) {
      const s = await readOpeSequence(diskSource, v.name, v.gt, resultFile(outDir, v));
      warnings.push(...s.warnings);
      seqs.push(s.value);
    }
    return { table: opeTable(seqs, set.imgPrefix), warnings };
  }
  const seqs = [];
  for (const v of set.videos) {
    const s = await readMotSequence(diskSource, v.name, path.dirname(v.seqInfo!), resultFile(outDir, v));
    warnings.push(...s.warnings);
    seqs.push(s.value);
  }
  const full = motTable(seqs, 'MOT17');
  const fields = new Set(metrics.flatMap((m) => (m === 'track' ? [...MOT_METRIC_FIELDS.CLEAR!, ...MOT_METRIC_FIELDS.Identity!] : MOT_METRIC_FIELDS[m]!)));
  const table = Object.fromEntries(Object.entries(full).map(([seq, row]) => [seq, Object.fromEntries(Object.entries(row).filter(([k]) => fields.has(k)))]));
  return { table, warnings };
}

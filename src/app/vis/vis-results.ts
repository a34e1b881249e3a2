/**
 * A VIS run's per-frame results (detections with ids and masks, as the detect store keeps them) as YouTube-VIS
 * results, per-instance mask PNGs, an instance list, and YouTube-VIS AP against a dropped ann.json.
 */
import { parseYtvis, parseYtvisResults } from '../../core/datasets/youtube-vis.ts';
import { type YtvisResultJson, YtvisResultsBuilder } from '../../core/datasets/ytvis-results.ts';
import type { SEGM_METRIC_NAMES } from '../../core/eval/ytvis-eval.ts';
import { evalYtvis } from '../../core/eval/ytvis-eval.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { maskPng } from '../../media/mask-png.ts';
import { fromRleMasks } from '../../core/structures/bit-masks.ts';

/** One instance of the run: its id, majority class, frames present. */
export interface VisInstance {
  id: number;
  label: number;
  frames: number;
  first: number;
  last: number;
}

/** The frames 0..n-1 the run has, in order; stops at the first missing one (a VIS run is sequential). */
function framesInOrder(results: ReadonlyMap<number, Detections>): [number, Detections][] {
  const out: [number, Detections][] = [];
  for (let f = 0; results.has(f); f++) out.push([f, results.get(f)!]);
  return out;
}

export function visInstances(results: ReadonlyMap<number, Detections>): VisInstance[] {
  const byId = new Map<number, VisInstance & { votes: Map<number, number> }>();
  for (const [f, d] of framesInOrder(results)) {
    d.ids?.forEach((id, i) => {
      if (id < 0) return;
      let t = byId.get(id);
      if (!t) byId.set(id, (t = { id, label: d.labels[i]!, frames: 0, first: f, last: f, votes: new Map() }));
      if (t.last !== f || t.frames === 0) t.frames++;
      t.last = f;
      t.votes.set(d.labels[i]!, (t.votes.get(d.labels[i]!) ?? 0) + 1);
    });
  }
  return [...byId.values()].map(({ votes, ...t }) => ({ ...t, label: [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0] }));
}

/** YouTube-VIS results of the run (`frameCount`: the video's length, so absent frames are null). */
export function visResultsJson(results: ReadonlyMap<number, Detections>, frameCount: number, videoId = 1): YtvisResultJson[] {
  const b = new YtvisResultsBuilder(videoId);
  for (const [f, d] of framesInOrder(results)) {
    if (!d.ids || !d.masks) throw new Error(`frame ${f + 1} has no track ids or masks: run a VIS config`);
    b.addFrame(f, d.ids, d.labels, d.scores, d.masks);
  }
  return b.results(frameCount);
}

/** Frames the run has in order from frame 0. */
export function visFramesDone(results: ReadonlyMap<number, Detections>): number {
  return framesInOrder(results).length;
}

async function deflate(raw: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([raw as BlobPart]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Every instance's mask on every frame as `<id>/<frame, 0-based, 6 digits>.png` (a later duplicate id overwrites). */
export async function visMaskPngs(results: ReadonlyMap<number, Detections>): Promise<{ name: string; data: Uint8Array }[]> {
  const files = new Map<string, Uint8Array>();
  for (const [f, d] of framesInOrder(results)) {
    if (!d.ids || !d.masks) continue;
    for (let i = 0; i < d.ids.length; i++) if (d.ids[i]! >= 0) files.set(`${d.ids[i]}/${String(f).padStart(6, '0')}.png`, await maskPng(fromRleMasks(d.masks, [i]), 0, deflate));
  }
  return [...files].map(([name, data]) => ({ name, data }));
}

/** YouTube-VIS AP of the run against `annText` (an ann.json with this one video). */
export function evaluateVis(results: ReadonlyMap<number, Detections>, frameCount: number, annText: string, annName: string): { metrics: Record<(typeof SEGM_METRIC_NAMES)[number], number>; warnings: string[] } {
  const ann = parseYtvis(annText, annName);
  const videos = ann.value.videos;
  if (videos.length !== 1) throw new Error(`${annName}: ${videos.length} videos; evaluating in place needs the ann.json of this one video`);
  const video = videos[0]!;
  const length = video.length ?? video.file_names?.length;
  if (length !== undefined && length !== frameCount) throw new Error(`${annName}: video ${video.id} has ${length} frames, this video ${frameCount}`);
  const ours = visResultsJson(results, frameCount, video.id);
  const res = parseYtvisResults(JSON.stringify(ours), 'this run', videos);
  const { metrics } = evalYtvis(ann.value, res.value);
  return { metrics, warnings: [...ann.warnings, ...res.warnings].map((w) => `${w.file}: ${w.path}: ${w.message}`) };
}

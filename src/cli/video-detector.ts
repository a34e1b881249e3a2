// A config's detector over a whole video, as `mmtrack detect` and `mmtrack test` (VID) run it: a VID config runs its
// video method (key frames, flow, aggregation, references), any other its detector frame by frame.
import { nodeOrt } from '../runtime/node-ort.node.ts';
import type { ConfigDict } from '../core/config/config-value.ts';
import type { OnnxModelSpec } from '../core/config/onnx-spec.ts';
import type { CocoDetection } from '../core/datasets/coco-vid.ts';
import { COCO_CATEGORY_IDS, COCO_CLASSES } from '../core/models/det/coco-classes.ts';
import type { Detections } from '../core/structures/detections.ts';
import { openFrames } from '../media/ffmpeg-frame-reader.node.ts';
import { type DetectorRunner, loadDetectorRunner } from '../runtime/detectors/detector-runner.ts';
import { isVidConfig, loadVidRunner, type RgbaFrame, type VidRunner } from '../runtime/vid/vid-runner.ts';
import { BufferedFrames } from './buffered-frames.ts';
import { loadCliModel } from './model-dir.ts';

export interface VideoDetectorRun {
  /** The input's name (file or folder). */
  name: string;
  frames: number;
  /** DFF: how many frames ran the whole network. */
  keyFrames: number;
}

export interface VideoDetector {
  /**
   * Every frame of `input` in order: `onFrame(detections, index)`. `onOpen` hears the frame count (0: unknown) once
   * the input is open, `onNote` what happens before the first frame (SELSA's pass over its references); `signal`
   * stops between frames.
   */
  run(input: string, onFrame: (d: Detections, index: number) => void, options?: { onOpen?: (frameCount: number) => void; onNote?: (text: string) => void; signal?: AbortSignal }): Promise<VideoDetectorRun>;
  /** The detections of a frame as COCO results under `imageId`. */
  toCoco(d: Detections, imageId: number): CocoDetection[];
  /** How the method ran, for the summary line: ' (DFF: 3 key frames, one every 10 frames)', or ''. */
  describe(run: VideoDetectorRun): string;
  release(): Promise<void>;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

export async function loadVideoDetector(config: ConfigDict, modelDir: string): Promise<VideoDetector> {
  const load = (s: OnnxModelSpec) => loadCliModel(s, modelDir);
  const { ort } = await nodeOrt();
  const vid = isVidConfig(config) ? await loadVidRunner(ort, config, load) : null;
  const runner: VidRunner | DetectorRunner = vid ?? (await loadDetectorRunner(ort, config, load));
  // COCO-trained detectors write COCO's category ids (person = 1, car = 3, ...); others label + 1.
  const coco = runner.classNames.length === COCO_CLASSES.length && runner.classNames.every((c, i) => c === COCO_CLASSES[i]);
  return {
    async run(input, onFrame, options = {}) {
      const frames = openFrames(input);
      options.onOpen?.(frames.frameCount);
      let n = 0;
      let keyFrames = 0;
      if (vid) {
        // SELSA's references span the whole video: one pass first reads them (and only them), kept for the run.
        const pinned = new Map<number, RgbaFrame>();
        const wanted = new Set(vid.referencesOf?.(frames.frameCount) ?? []);
        if (wanted.size > 0) {
          options.onNote?.(`reading ${wanted.size} reference frames of ${frames.frameCount}…`);
          for await (const f of openFrames(input).frames()) if (wanted.has(f.index)) pinned.set(f.index, f);
        }
        // Frames stay buffered while the method can still read them (FGFA: its window reaches R frames ahead).
        const buffered = new BufferedFrames(frames.frames(), frames.frameCount > 0 ? frames.frameCount : undefined, pinned);
        for (let t = 0; (await buffered.get(t)) !== null; t++) {
          options.signal?.throwIfAborted();
          const r = await vid.detect(t, buffered);
          if (r.keyFrame) keyFrames++;
          onFrame(r.detections, t);
          n++;
          buffered.dropBelow(t + 1 - vid.reach.before);
        }
      } else {
        for await (const frame of frames.frames()) {
          options.signal?.throwIfAborted();
          onFrame((await (runner as DetectorRunner).detect(frame.data, frame.width, frame.height)).detections, frame.index);
          n++;
        }
      }
      return { name: frames.name, frames: n, keyFrames };
    },
    toCoco(d, imageId) {
      const out: CocoDetection[] = [];
      for (let i = 0; i < d.scores.length; i++) {
        const [x1, y1, x2, y2] = [d.boxes[i * 4]!, d.boxes[i * 4 + 1]!, d.boxes[i * 4 + 2]!, d.boxes[i * 4 + 3]!];
        const label = d.labels[i]!;
        out.push({ image_id: imageId, bbox: [round(x1), round(y1), round(x2 - x1), round(y2 - y1)], category_id: coco ? (COCO_CATEGORY_IDS[label] ?? label + 1) : label + 1, score: round(d.scores[i]!, 5) });
      }
      return out;
    },
    describe(run) {
      if (!vid) return '';
      if (vid.keyFrameInterval) return ` (${vid.type}: ${run.keyFrames} key frames, one every ${vid.keyFrameInterval} frames)`;
      const method = vid.variant ? `${vid.type} + ${vid.variant}` : vid.type;
      if (vid.referencesOf) return ` (${method}: references ${vid.referencesOf(run.frames).join(', ')})`;
      return vid.reach.after > 0 ? ` (${method}, reading up to ${vid.reach.after} frames ahead)` : ` (${method}, causal: frames up to ${vid.reach.before - 1} before each, none ahead)`;
    },
    release: () => runner.release(),
  };
}

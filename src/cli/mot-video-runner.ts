// One MOT config's models, loaded once and run over any number of videos (`track` runs one, `test` and the batch
// workers run a dataset): the detector, the re-ID model where the tracker wants embeddings, a fresh tracker per video.
import { nodeOrt } from '../runtime/node-ort.node.ts';
import { type ConfigDict, getConfigPath, previewValue } from '../core/config/config-value.ts';
import { writeMotTracker } from '../core/datasets/mot-challenge.ts';
import { reidSettings } from '../core/models/mot/reid-settings.ts';
import { MotRun } from '../core/models/mot/mot-run.ts';
import { grayImage } from '../core/trackers/gray-image.ts';
import type { Detections } from '../core/structures/detections.ts';
import type { DetectorRunner } from '../runtime/detectors/detector-runner.ts';
import { loadReidRunner, type ReidRunner } from '../runtime/reid/reid-runner.ts';
import type { FrameStream, RgbaFrame } from '../media/ffmpeg-frame-reader.node.ts';
import { UserError } from './command.ts';
import { readModelFile } from './model-dir.ts';
import { loadCliMotDetector } from './mot-detector.ts';

export interface MotVideoResult {
  /** MOTChallenge tracker rows (frame, id, x, y, w, h, score, -1, -1, -1). */
  text: string;
  frames: number;
  tracks: number;
}

export class MotVideoRunner {
  private constructor(
    private readonly config: ConfigDict,
    private readonly detector: DetectorRunner,
    private readonly reid: ReidRunner | null,
  ) {}

  static async load(config: ConfigDict, modelDir: string): Promise<MotVideoRunner> {
    const detector = await loadCliMotDetector(config, modelDir);
    let reid: ReidRunner | null = null;
    try {
      const reidConfig = reidSettings(config, detector.preprocess);
      // Built once here so a config the tracker cannot take fails before any video is read.
      const probe = new MotRun(config, detector.classNames);
      if (probe.tracker.requires.regressor && !detector.regressor) {
        throw new UserError(`${probe.tracker.type} regresses boxes with a two-stage detector's bbox head; model.detector is ${previewValue(getConfigPath(config, 'model.detector.type') ?? null)}`);
      }
      if (reidConfig) {
        const file = await readModelFile(reidConfig.onnx, modelDir);
        const { ort, provider } = await nodeOrt();
        reid = await loadReidRunner(ort, reidConfig, file.bytes, file.path, { providers: [provider] });
      }
    } catch (err) {
      await detector.release();
      throw err;
    }
    return new MotVideoRunner(config, detector, reid);
  }

  /** Tracks one video from its first frame; `onFrame` sees each frame with its tracks (drawing, progress). */
  async run(frames: FrameStream, options: { scoreThr?: number; onFrame?: (frame: RgbaFrame, tracked: Detections, tracks: number) => Promise<void> | void; signal?: AbortSignal } = {}): Promise<MotVideoResult> {
    const { detector, reid } = this;
    const run = new MotRun(this.config, detector.classNames);
    const requires = run.tracker.requires;
    let n = 0;
    for await (const frame of frames.frames()) {
      options.signal?.throwIfAborted();
      const { detections } = await detector.detect(frame.data, frame.width, frame.height);
      // SORT-family trackers take embeddings with the detections; Tracktor asks for them (and the regression, the
      // grayscale frame for camera motion compensation) while it updates.
      if (reid && requires.embeddings) detections.embeddings = await reid.embed(frame.data, frame.width, frame.height, detections.boxes);
      const extras = {
        ...(requires.regressor && detector.regressor ? { regressor: detector.regressor } : {}),
        ...(requires.embedder && reid ? { embedder: { embed: (boxes: Float32Array) => reid.embed(frame.data, frame.width, frame.height, boxes) } } : {}),
        ...(requires.image ? { image: grayImage(frame.data, frame.width, frame.height) } : {}),
      };
      let tracked;
      try {
        tracked = await run.step(frame.index, detections, options.scoreThr ?? 0, extras);
      } catch (err) {
        throw new UserError(`${frames.name}, frame ${frame.index + 1}: ${err instanceof Error ? err.message : String(err)}`);
      }
      n++;
      await options.onFrame?.(frame, tracked, run.trackList().length);
    }
    return { text: writeMotTracker(run.motRows()), frames: n, tracks: run.trackList().length };
  }

  async release(): Promise<void> {
    await this.detector.release();
    await this.reid?.release();
  }
}

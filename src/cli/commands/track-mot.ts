import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { ConfigError } from '../../core/config/config-error.ts';
import { type ConfigDict, getConfigPath, previewValue } from '../../core/config/config-value.ts';
import { writeMotTracker } from '../../core/datasets/mot-challenge.ts';
import { reidSettings } from '../../core/models/mot/reid-settings.ts';
import { MotRun } from '../../core/models/mot/mot-run.ts';
import { grayImage } from '../../core/trackers/gray-image.ts';
import { ModelLoadError } from '../../runtime/model-session.ts';
import { loadReidRunner, type ReidRunner } from '../../runtime/reid/reid-runner.ts';
import { type CliIo, UserError } from '../command.ts';
import { openFrames } from '../../media/ffmpeg-frame-reader.node.ts';
import { DEFAULT_MODEL_DIR, readModelFile } from '../model-dir.ts';
import { loadCliMotDetector } from '../mot-detector.ts';
import { trackRgb } from '../../core/structures/overlay-scene.ts';
import { drawRect, openVideoWriter } from '../video-writer.ts';

export const MOT_TRACK_USAGE = `MOT configs: mmtrack track CONFIG --input VIDEO_OR_DIR --out OUT_DIR [--output-video vis.mp4] [--score-thr T]
                         [--model-dir DIR] [--cfg-options KEY=VALUE ...]
  writes OUT_DIR/<video name>.txt in MOTChallenge format (frame, id, x, y, w, h, score, -1, -1, -1)
  --score-thr   drop detections below T before tracking (default: keep what the detector returns)`;

interface MotArgs {
  input: string;
  out: string;
  outputVideo: string | null;
  scoreThr: number;
  modelDir: string;
}

function parseMotArgs(args: string[]): MotArgs {
  const r: Partial<MotArgs> = { outputVideo: null, scoreThr: 0, modelDir: DEFAULT_MODEL_DIR };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const v = () => {
      const x = args[++i];
      if (x === undefined || x.startsWith('--')) throw new UserError(`${a} needs a value\n${MOT_TRACK_USAGE}`);
      return x;
    };
    if (a === '--input') r.input = v();
    else if (a === '--out') r.out = v();
    else if (a === '--output-video') r.outputVideo = v();
    else if (a === '--model-dir') r.modelDir = v();
    else if (a === '--score-thr') {
      const t = Number(v());
      if (!Number.isFinite(t) || t < 0 || t > 1) throw new UserError(`--score-thr must be a number in [0, 1]`);
      r.scoreThr = t;
    } else throw new UserError(`unknown option '${a}' for a MOT config\n${MOT_TRACK_USAGE}`);
  }
  if (!r.input) throw new UserError(`missing --input\n${MOT_TRACK_USAGE}`);
  if (!r.out) throw new UserError(`missing --out (a folder)\n${MOT_TRACK_USAGE}`);
  return r as MotArgs;
}

/** `mmtrack track` for MOT configs: detector (CPU runner) + the config's tracker over every frame. */
export async function runMotTrack(config: ConfigDict, args: string[], io: CliIo): Promise<number> {
  const a = parseMotArgs(args);
  const detector = await loadCliMotDetector(config, a.modelDir);
  let run: MotRun;
  let reidConfig;
  try {
    reidConfig = reidSettings(config, detector.preprocess);
    run = new MotRun(config, detector.classNames);
  } catch (err) {
    await detector.release();
    if (err instanceof ConfigError) throw new UserError(err.message);
    throw err;
  }
  let reid: ReidRunner | null = null;
  if (reidConfig) {
    const file = await readModelFile(reidConfig.onnx, a.modelDir);
    try {
      reid = await loadReidRunner(ort, reidConfig, file.bytes, file.path, { providers: ['wasm'] });
    } catch (err) {
      if (err instanceof ModelLoadError) throw new UserError(err.message);
      throw err;
    }
  }
  const requires = run.tracker.requires;
  if (requires.regressor && !detector.regressor) throw new UserError(`${run.tracker.type} regresses boxes with a two-stage detector's bbox head; model.detector is ${previewValue(getConfigPath(config, 'model.detector.type') ?? null)}`);
  const frames = openFrames(a.input);
  const writer = a.outputVideo ? openVideoWriter(a.outputVideo, frames.width, frames.height, frames.fps) : null;
  const started = performance.now();
  let n = 0;
  for await (const frame of frames.frames()) {
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
      tracked = await run.step(frame.index, detections, a.scoreThr, extras);
    } catch (err) {
      throw new UserError(`${frames.name}, frame ${frame.index + 1}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (writer) {
      for (let i = 0; i < tracked.scores.length; i++) {
        const b = tracked.boxes;
        drawRect(frame.data, frame.width, frame.height, { x1: b[i * 4]!, y1: b[i * 4 + 1]!, x2: b[i * 4 + 2]!, y2: b[i * 4 + 3]!, rgb: trackRgb(tracked.ids?.[i] ?? 0) });
      }
      await writer.write(frame.data);
    }
    n++;
    io.stderr(`\rframe ${n}/${frames.frameCount || '?'}  ${((n * 1000) / (performance.now() - started)).toFixed(1)} frames/s  ${run.trackList().length} tracks`);
  }
  io.stderr('\n');
  await writer?.close();
  await detector.release();
  await reid?.release();
  await mkdir(a.out, { recursive: true });
  const name = basename(frames.name, extname(frames.name));
  const outFile = join(a.out, `${name}.txt`);
  await writeFile(outFile, writeMotTracker(run.motRows()));
  io.stderr(`${outFile}: ${run.trackList().length} tracks over ${n} frames${a.outputVideo ? `; video ${a.outputVideo}` : ''}\n`);
  return 0;
}

import { basename, extname, join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { type ConfigDict, getConfigPath, previewValue } from '../../core/config/config-value.ts';
import { writeMotTracker } from '../../core/datasets/mot-challenge.ts';
import { reidSettings } from '../../core/models/mot/reid-settings.ts';
import { MotRun } from '../../core/models/mot/mot-run.ts';
import { grayImage } from '../../core/trackers/gray-image.ts';
import { loadReidRunner, type ReidRunner } from '../../runtime/reid/reid-runner.ts';
import { numberFlag } from '../args.ts';
import { type CliIo, UserError } from '../command.ts';
import { prepareOutputFile, prepareOutputFolder, writeOutputFile } from '../output-path.ts';
import type { TrackFlags } from './track.ts';
import { openFrames } from '../../media/ffmpeg-frame-reader.node.ts';
import { DEFAULT_MODEL_DIR, readModelFile } from '../model-dir.ts';
import { loadCliMotDetector } from '../mot-detector.ts';
import { trackRgb } from '../../core/structures/overlay-scene.ts';
import { drawRect, openVideoWriter } from '../video-writer.ts';

/** `mmtrack track` for MOT configs: detector (CPU runner) + the config's tracker over every frame. */
export async function runMotTrack(config: ConfigDict, flags: TrackFlags, io: CliIo): Promise<number> {
  const a = { input: flags.input, out: flags.out, outputVideo: flags['output-video'] ?? null, scoreThr: numberFlag('min-det-score', flags['min-det-score'], { min: 0, max: 1 }) ?? 0, modelDir: flags['model-dir'] ?? DEFAULT_MODEL_DIR };
  await prepareOutputFolder(a.out, '--out');
  if (a.outputVideo) await prepareOutputFile(a.outputVideo, '--output-video');
  const detector = await loadCliMotDetector(config, a.modelDir);
  let run: MotRun;
  let reidConfig;
  try {
    reidConfig = reidSettings(config, detector.preprocess);
    run = new MotRun(config, detector.classNames);
  } catch (err) {
    await detector.release();
    throw err;
  }
  let reid: ReidRunner | null = null;
  if (reidConfig) {
    const file = await readModelFile(reidConfig.onnx, a.modelDir);
    reid = await loadReidRunner(ort, reidConfig, file.bytes, file.path, { providers: ['wasm'] });
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
  const name = basename(frames.name, extname(frames.name));
  const outFile = join(a.out, `${name}.txt`);
  await writeOutputFile(outFile, writeMotTracker(run.motRows()));
  io.stderr(`${outFile}: ${run.trackList().length} tracks over ${n} frames${a.outputVideo ? `; video ${a.outputVideo}` : ''}\n`);
  return 0;
}

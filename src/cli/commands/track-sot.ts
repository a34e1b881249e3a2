// `mmtrack track` for single object tracking configs (MMTracking's demo/demo_sot.py + a LaSOT-style result file).
import { nodeOrt } from '../../runtime/node-ort.node.ts';
import { readFile } from 'node:fs/promises';
import type { ConfigDict } from '../../core/config/config-value.ts';
import { parseSotBoxes, writeSotBoxes } from '../../core/datasets/sot.ts';
import { type SotModelSettings, sotModelSettings } from '../../core/models/sot/sot-models.ts';
import type { SingleObjectTracker, SotTrackResult, XywhBox } from '../../core/models/sot/sot-tracker.ts';
import { type LoadedSotTracker, loadSotTracker } from '../../runtime/sot/load-sot-tracker.ts';
import { type CliIo, UserError } from '../command.ts';
import { prepareOutputFile, writeOutputFile } from '../output-path.ts';
import type { TrackFlags } from './track.ts';
import { type FrameStream, openFrames, type RgbaFrame } from '../../media/ffmpeg-frame-reader.node.ts';
import { announceRuntime, DEFAULT_MODEL_DIR, readModelFile } from '../model-dir.ts';
import { drawRect, openVideoWriter } from '../video-writer.ts';
import { jsonText } from '../json-output.ts';

function parseBox(text: string, what: string): XywhBox {
  const v = text.split(/[,\s]+/).filter(Boolean).map(Number);
  if (v.length !== 4 || v.some((x) => !Number.isFinite(x))) throw new UserError(`${what}: expected x,y,w,h (4 numbers), got '${text}'`);
  if (v[2]! <= 0 || v[3]! <= 0) throw new UserError(`${what}: width and height must be > 0, got '${text}'`);
  return v as XywhBox;
}

/** First row of a `x,y,w,h` file. */
export async function readFirstBox(path: string): Promise<XywhBox> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UserError(`${path}: cannot read the ground-truth file`);
  }
  const boxes = parseSotBoxes(text, path).value;
  const first = Array.from(boxes.xywh.subarray(0, 4));
  if (boxes.count === 0 || first.some((v) => !Number.isFinite(v))) throw new UserError(`${path}: line 1 is not a x,y,w,h box`);
  if (first[2]! <= 0 || first[3]! <= 0) throw new UserError(`${path}: line 1 has width/height <= 0 (${first.join(',')})`);
  return first as XywhBox;
}

/** Loads the config's ONNX files from the model directory onto the CLI's runtime (`node-ort.node.ts`). */
export async function loadSotForCli(settings: SotModelSettings, modelDir: string): Promise<LoadedSotTracker> {
  const { ort, provider } = await nodeOrt();
  return loadSotTracker(ort, settings, async (spec) => {
    const file = await readModelFile(spec, modelDir);
    return { bytes: file.bytes, name: file.path };
  }, { providers: [provider] });
}

export interface SotFrameResult extends SotTrackResult {
  index: number;
}

/**
 * Runs a tracker over a frame stream: frame 0 initialises (its result is the init box, score -1 as MMTracking's
 * `best_score` there), later frames track. `onFrame` sees each frame with its result (drawing, progress).
 */
export async function runSotSequence(tracker: SingleObjectTracker, frames: FrameStream, init: XywhBox, onFrame?: (frame: RgbaFrame, r: SotFrameResult) => Promise<void> | void): Promise<SotFrameResult[]> {
  const results: SotFrameResult[] = [];
  for await (const frame of frames.frames()) {
    let r: SotFrameResult;
    if (frame.index === 0) {
      try {
        await tracker.init(frame, init);
      } catch (err) {
        if (err instanceof Error && /init box/.test(err.message)) throw new UserError(`${err.message} (${frames.name} is ${frame.width}x${frame.height})`);
        throw err;
      }
      r = { index: 0, box: [...init], score: -1 };
    } else r = { index: frame.index, ...(await tracker.track(frame)) };
    results.push(r);
    await onFrame?.(frame, r);
  }
  if (results.length === 0) throw new UserError(`${frames.name}: no frames`);
  return results;
}

const BOX_RGB: readonly [number, number, number] = [0, 255, 0];

export async function runSotTrack(config: ConfigDict, flags: TrackFlags, io: CliIo): Promise<number> {
  if (!flags.init && !flags['gt-bbox-file']) throw new UserError('give the first-frame box with --init x,y,w,h or --gt-bbox-file FILE (run mmtrack track --help)');
  if (flags.init && flags['gt-bbox-file']) throw new UserError('give either --init or --gt-bbox-file, not both');
  const a = {
    input: flags.input,
    out: flags.out,
    init: flags.init ? parseBox(flags.init, '--init') : null,
    gtBboxFile: flags['gt-bbox-file'] ?? null,
    outputVideo: flags['output-video'] ?? null,
    modelDir: flags['model-dir'] ?? DEFAULT_MODEL_DIR,
  };
  await prepareOutputFile(a.out, '--out');
  if (a.outputVideo) await prepareOutputFile(a.outputVideo, '--output-video');
  const settings = sotModelSettings(config);
  const init = a.init ?? (await readFirstBox(a.gtBboxFile!));
  const frames = openFrames(a.input);
  const sot = await loadSotForCli(settings, a.modelDir);
  await announceRuntime(io);
  const writer = a.outputVideo ? openVideoWriter(a.outputVideo, frames.width, frames.height, frames.fps) : null;
  const started = performance.now();
  let networkMs = 0;
  let results: SotFrameResult[];
  try {
    results = await runSotSequence(sot.tracker, frames, init, async (frame, r) => {
      if (r.index > 0) networkMs += sot.timings.backbone + sot.timings.head;
      if (writer) {
        const [x, y, w, h] = r.box;
        drawRect(frame.data, frame.width, frame.height, { x1: x, y1: y, x2: x + w, y2: y + h, rgb: BOX_RGB }, 3);
        await writer.write(frame.data);
      }
      const n = r.index + 1;
      io.stderr(`\rframe ${n}/${frames.frameCount || '?'}  ${((n * 1000) / (performance.now() - started)).toFixed(1)} frames/s  score ${r.score.toFixed(3)}`);
    });
  } finally {
    io.stderr('\n');
    await sot.release();
  }
  await writer?.close();
  const seconds = (performance.now() - started) / 1000;
  const xywh = Float64Array.from(results.flatMap((r) => r.box));
  await writeOutputFile(a.out, writeSotBoxes({ count: results.length, xywh }));
  const tracked = results.slice(1);
  io.stderr(`${a.out}: ${results.length} boxes for ${frames.name}${a.outputVideo ? `; video ${a.outputVideo}` : ''}\n`);
  io.stdout(
    jsonText(
      {
        model: settings.type,
        input: a.input,
        out: a.out,
        frames: results.length,
        frames_per_second: results.length / seconds,
        mean_score: tracked.length ? tracked.reduce((s, r) => s + r.score, 0) / tracked.length : null,
        network_ms_per_frame: tracked.length ? networkMs / tracked.length : null,
      },
      io,
      'summary',
    ),
  );
  return 0;
}

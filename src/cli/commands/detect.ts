import * as ort from 'onnxruntime-web';
import { COCO_CATEGORY_IDS, COCO_CLASSES } from '../../core/models/det/coco-classes.ts';
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import { type DetectorRunner, loadDetectorRunner, withDetectorScoreThr } from '../../runtime/detectors/detector-runner.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { isVidConfig, loadVidRunner, type RgbaFrame, type RgbaFrames } from '../../runtime/vid/vid-runner.ts';
import { type ArgsSpec, CFG_OPTIONS_FLAG, helpText, MODEL_DIR_FLAG, numberFlag, parseCommandArgs, usageLine, requiredFlag, optionalFlag } from '../args.ts';
import type { Command } from '../command.ts';
import { loadCliConfig } from '../config-args.ts';
import { prepareOutputFile, writeOutputFile } from '../output-path.ts';
import { openFrames } from '../../media/ffmpeg-frame-reader.node.ts';
import { DEFAULT_MODEL_DIR, loadCliModel } from '../model-dir.ts';
import { jsonText } from '../json-output.ts';

const spec = {
  positionals: [{ name: 'CONFIG', help: 'a detection, MOT or VID config (its detector runs)' }],
  flags: {
    input: requiredFlag('VIDEO_OR_DIR', 'a video file (any format ffmpeg reads) or a folder of images (sorted by file name)'),
    out: requiredFlag('RESULTS.json', 'the results file to write'),
    'score-thr': optionalFlag('T', "the detector's score threshold (sets test_cfg.score_thr; default: the config's)"),
    'model-dir': MODEL_DIR_FLAG,
    'cfg-options': CFG_OPTIONS_FLAG,
  },
} satisfies ArgsSpec;

const help = helpText({
  usage: [usageLine('detect', spec)],
  description: `Runs the config's detector on every frame — for a VID config its video method: DFF (key frames through
the backbone, the frames between them by warping the key frame's features with the flow) or FGFA (each frame's
features aggregated with its window's, warped by the flow) or SELSA (each frame's RoIs attending to those of 14
reference frames spread over the whole video, read in a first pass; with Temporal RoI Align, its RoI features also
gathered from the references' most similar locations); configs/vid/default.py (DFF on the default CenterNet,
a training-free flow) needs no model files — and writes COCO-style
results, which mmtrack eval vid reads: a JSON list of
{"image_id": frame (1-based), "bbox": [x, y, w, h], "category_id": id, "score": s}. For COCO-trained detectors
category_id is COCO's category id (person = 1, car = 3, ...); otherwise label + 1.`,
  variants: [{ spec }],
  footer: "Videos are decoded by ffmpeg (on PATH); the model runs on onnxruntime-web's wasm backend.",
});

export interface CocoDetection {
  image_id: number;
  bbox: [number, number, number, number];
  category_id: number;
  score: number;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Decoded frames by index over a sequential reader: read ahead on demand, dropped once no longer needed. */
class BufferedFrames implements RgbaFrames {
  private readonly frames = new Map<number, RgbaFrame>();
  private next = 0;
  private ended = false;

  /** `pinned`: frames read beforehand that stay (SELSA's references). */
  constructor(
    private readonly source: AsyncIterator<{ index: number } & RgbaFrame>,
    readonly count?: number,
    private readonly pinned: ReadonlyMap<number, RgbaFrame> = new Map(),
  ) {}

  async get(index: number): Promise<RgbaFrame | null> {
    const kept = this.pinned.get(index);
    if (kept) return kept;
    while (!this.ended && this.next <= index) {
      const r = await this.source.next();
      if (r.done) this.ended = true;
      else {
        this.frames.set(r.value.index, r.value);
        this.next = r.value.index + 1;
      }
    }
    return this.frames.get(index) ?? null;
  }

  dropBelow(index: number): void {
    for (const k of this.frames.keys()) if (k < index) this.frames.delete(k);
  }
}

export const detectCommand: Command = {
  name: 'detect',
  summary: "run a config's detector on a video or image folder, write COCO-style results",
  help,
  async run(args, io) {
    const { positionals, flags } = parseCommandArgs('detect', spec, args, io);
    const scoreThr = numberFlag('score-thr', flags['score-thr'], { min: 0, max: 1 });
    const a = { input: flags.input, out: flags.out };
    await prepareOutputFile(a.out, '--out');
    let config = await loadCliConfig(positionals[0]!, flags['cfg-options']);
    if (scoreThr !== undefined) config = withDetectorScoreThr(config, scoreThr);
    const load = (s: OnnxModelSpec) => loadCliModel(s, flags['model-dir'] ?? DEFAULT_MODEL_DIR);
    // A VID config runs its video method (key frames, flow, aggregation), which needs each frame's index.
    const vid = isVidConfig(config) ? await loadVidRunner(ort, config, load) : null;
    const runner = vid ?? (await loadDetectorRunner(ort, config, load));
    let keyFrames = 0;
    const coco = runner.classNames.length === COCO_CLASSES.length && runner.classNames.every((c, i) => c === COCO_CLASSES[i]);
    const frames = openFrames(a.input);
    const results: CocoDetection[] = [];
    const started = performance.now();
    let n = 0;
    const collect = (d: Detections, index: number) => {
      for (let i = 0; i < d.scores.length; i++) {
        const [x1, y1, x2, y2] = [d.boxes[i * 4]!, d.boxes[i * 4 + 1]!, d.boxes[i * 4 + 2]!, d.boxes[i * 4 + 3]!];
        const label = d.labels[i]!;
        results.push({ image_id: index + 1, bbox: [round(x1), round(y1), round(x2 - x1), round(y2 - y1)], category_id: coco ? (COCO_CATEGORY_IDS[label] ?? label + 1) : label + 1, score: round(d.scores[i]!, 5) });
      }
      n++;
      io.stderr(`\rframe ${n}/${frames.frameCount || '?'}  ${((n * 1000) / (performance.now() - started)).toFixed(1)} frames/s`);
    };
    if (vid) {
      // SELSA's references span the whole video: one pass first reads them (and only them), kept for the run.
      const pinned = new Map<number, RgbaFrame>();
      const wanted = new Set(vid.referencesOf?.(frames.frameCount) ?? []);
      if (wanted.size > 0) {
        io.stderr(`reading ${wanted.size} reference frames of ${frames.frameCount}…\n`);
        for await (const f of openFrames(a.input).frames()) if (wanted.has(f.index)) pinned.set(f.index, f);
      }
      // Frames stay buffered while the method can still read them (FGFA: its window reaches R frames ahead).
      const buffered = new BufferedFrames(frames.frames(), frames.frameCount > 0 ? frames.frameCount : undefined, pinned);
      for (let t = 0; (await buffered.get(t)) !== null; t++) {
        const r = await vid.detect(t, buffered);
        if (r.keyFrame) keyFrames++;
        collect(r.detections, t);
        buffered.dropBelow(t + 1 - vid.reach.before);
      }
    } else {
      for await (const frame of frames.frames()) collect((await (runner as DetectorRunner).detect(frame.data, frame.width, frame.height)).detections, frame.index);
    }
    io.stderr('\n');
    await runner.release();
    await writeOutputFile(a.out, jsonText(results, io, a.out));
    const method = vid?.keyFrameInterval
      ? ` (${vid.type}: ${keyFrames} key frames, one every ${vid.keyFrameInterval} frames)`
      : vid?.referencesOf
        ? ` (${vid.variant ? `${vid.type} + ${vid.variant}` : vid.type}: references ${vid.referencesOf(n).join(', ')})`
        : vid
          ? ` (${vid.type}, reading up to ${vid.reach.after} frames ahead)`
          : '';
    io.stderr(`${a.out}: ${results.length} detections in ${n} frames of ${frames.name}${method}\n`);
    return 0;
  },
};

import { writeFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-web';
import { parseCfgOptions } from '../../core/config/cfg-options.ts';
import { ConfigError } from '../../core/config/config-error.ts';
import { loadConfig } from '../../core/config/config-loader.ts';
import { COCO_CATEGORY_IDS, COCO_CLASSES } from '../../core/models/det/coco-classes.ts';
import { loadDetectorRunner, withDetectorScoreThr } from '../../runtime/detectors/detector-runner.ts';
import { type Command, UserError } from '../command.ts';
import { openFrames } from '../../media/ffmpeg-frame-reader.node.ts';
import { DEFAULT_MODEL_DIR, loadCliModel } from '../model-dir.ts';
import { nodeConfigFs } from '../../core/config/node-config-fs.node.ts';

const usage = `usage: mmtrack detect CONFIG --input VIDEO_OR_DIR --out RESULTS.json [--score-thr T] [--model-dir DIR]
                      [--cfg-options KEY=VALUE ...]

Runs the config's detector on every frame and writes COCO-style results: a JSON list of
{"image_id": frame (1-based), "bbox": [x, y, w, h], "category_id": id, "score": s}. For COCO-trained detectors
category_id is COCO's category id (person = 1, car = 3, ...); otherwise label + 1.

  --input       a video file (any format ffmpeg reads) or a folder of images (sorted by file name)
  --out         the results file to write
  --score-thr   keep detections with score >= T (default: the config's test_cfg.score_thr)
  --model-dir   folder the config's onnx files are relative to (default: the models npm install converted)
  --cfg-options override config values, as in print-config
Videos are decoded by ffmpeg (on PATH); the model runs on onnxruntime-web's wasm backend.
`;

interface DetectArgs {
  config: string;
  input: string;
  out: string;
  scoreThr: number | null;
  modelDir: string;
  options: string[];
}

function parseArgs(args: string[]): DetectArgs {
  const r: Partial<DetectArgs> & { options: string[] } = { options: [], modelDir: DEFAULT_MODEL_DIR, scoreThr: null };
  const value = (i: number, flag: string) => {
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UserError(`${flag} needs a value\n${usage}`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--input') r.input = value(i++, a);
    else if (a === '--out') r.out = value(i++, a);
    else if (a === '--model-dir') r.modelDir = value(i++, a);
    else if (a === '--score-thr') {
      const t = Number(value(i++, a));
      if (!Number.isFinite(t) || t < 0 || t > 1) throw new UserError(`--score-thr must be a number in [0, 1], got '${args[i]}'`);
      r.scoreThr = t;
    } else if (a === '--cfg-options') {
      while (i + 1 < args.length && !(args[i + 1] as string).startsWith('--')) r.options.push(args[++i] as string);
    } else if (a.startsWith('-')) throw new UserError(`unknown option '${a}'\n${usage}`);
    else if (r.config === undefined) r.config = a;
    else throw new UserError(`unexpected argument '${a}'\n${usage}`);
  }
  if (!r.config) throw new UserError(`missing CONFIG\n${usage}`);
  if (!r.input) throw new UserError(`missing --input\n${usage}`);
  if (!r.out) throw new UserError(`missing --out\n${usage}`);
  return r as DetectArgs;
}

export interface CocoDetection {
  image_id: number;
  bbox: [number, number, number, number];
  category_id: number;
  score: number;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

export const detectCommand: Command = {
  name: 'detect',
  summary: "run a config's detector on a video or image folder, write COCO-style results",
  usage,
  async run(args, io) {
    const a = parseArgs(args);
    let runner;
    try {
      let { config } = await loadConfig(a.config, nodeConfigFs, { cfgOptions: parseCfgOptions(a.options) });
      if (a.scoreThr !== null) config = withDetectorScoreThr(config, a.scoreThr);
      runner = await loadDetectorRunner(ort, config, (spec) => loadCliModel(spec, a.modelDir));
    } catch (err) {
      if (err instanceof ConfigError) throw new UserError(err.message);
      throw err;
    }
    const coco = runner.classNames.length === COCO_CLASSES.length && runner.classNames.every((c, i) => c === COCO_CLASSES[i]);
    const frames = openFrames(a.input);
    const results: CocoDetection[] = [];
    const started = performance.now();
    let n = 0;
    for await (const frame of frames.frames()) {
      const { detections: d } = await runner.detect(frame.data, frame.width, frame.height);
      for (let i = 0; i < d.scores.length; i++) {
        const [x1, y1, x2, y2] = [d.boxes[i * 4]!, d.boxes[i * 4 + 1]!, d.boxes[i * 4 + 2]!, d.boxes[i * 4 + 3]!];
        const label = d.labels[i]!;
        results.push({ image_id: frame.index + 1, bbox: [round(x1), round(y1), round(x2 - x1), round(y2 - y1)], category_id: coco ? (COCO_CATEGORY_IDS[label] ?? label + 1) : label + 1, score: round(d.scores[i]!, 5) });
      }
      n++;
      io.stderr(`\rframe ${n}/${frames.frameCount || '?'}  ${((n * 1000) / (performance.now() - started)).toFixed(1)} frames/s`);
    }
    io.stderr('\n');
    await runner.release();
    await writeFile(a.out, JSON.stringify(results));
    io.stderr(`${a.out}: ${results.length} detections in ${n} frames of ${frames.name}\n`);
    return 0;
  },
};

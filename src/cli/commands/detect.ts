import type { CocoDetection } from '../../core/datasets/coco-vid.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { withDetectorScoreThr } from '../../runtime/detectors/detector-runner.ts';
import { type ArgsSpec, CFG_OPTIONS_FLAG, helpText, MODEL_DIR_FLAG, numberFlag, parseCommandArgs, usageLine, requiredFlag, optionalFlag } from '../args.ts';
import type { Command } from '../command.ts';
import { loadCliConfig } from '../config-args.ts';
import { prepareOutputFile, writeOutputFile } from '../output-path.ts';
import { announceRuntime, DEFAULT_MODEL_DIR } from '../model-dir.ts';
import { loadVideoDetector } from '../video-detector.ts';
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
  footer: "Videos are decoded by ffmpeg (on PATH); the model runs on onnxruntime-node (native, all cores), or onnxruntime-web's wasm build where that does not load; MMTRACK_ORT=wasm|native picks one.",
});

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
    const detector = await loadVideoDetector(config, flags['model-dir'] ?? DEFAULT_MODEL_DIR);
    await announceRuntime(io);
    const results: CocoDetection[] = [];
    const started = performance.now();
    let run;
    try {
      let [done, count] = [0, 0];
      const onFrame = (d: Detections, index: number) => {
        results.push(...detector.toCoco(d, index + 1));
        done++;
        io.stderr(`\rframe ${done}/${count || '?'}  ${((done * 1000) / (performance.now() - started)).toFixed(1)} frames/s`);
      };
      run = await detector.run(a.input, onFrame, { onOpen: (n) => (count = n), onNote: (text) => io.stderr(`${text}\n`) });
    } finally {
      await detector.release();
    }
    io.stderr('\n');
    await writeOutputFile(a.out, jsonText(results, io, a.out));
    io.stderr(`${a.out}: ${results.length} detections in ${run.frames} frames of ${run.name}${detector.describe(run)}\n`);
    return 0;
  },
};

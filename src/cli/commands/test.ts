// `mmtrack test CONFIG`: MMTracking's tools/test.py. Runs the config's model over every video of its data.test,
// writes the results in the dataset's format and prints the config's evaluation.metric as `mmtrack eval` does.
import type { ConfigDict } from '../../core/config/config-value.ts';
import { readTestSet, type TestSet } from '../../core/datasets/test-set.ts';
import { type ArgsSpec, CFG_OPTIONS_FLAG, helpText, listFlag, MODEL_DIR_FLAG, parseCommandArgs, type ParsedArgs, requiredFlag, switchFlag, usageLine } from '../args.ts';
import { type CliIo, type Command } from '../command.ts';
import { loadCliConfig } from '../config-args.ts';
import { datasetProgress } from '../dataset-progress.ts';
import { diskSource } from '../disk-source.ts';
import { printJson, reportWarnings } from '../json-output.ts';
import { announceRuntime, DEFAULT_MODEL_DIR } from '../model-dir.ts';
import { prepareOutputFolder } from '../output-path.ts';
import { configFamily, evaluateTestSet, hasResult, loadVideoRunner, testMetrics, writeResult } from '../test-set-runner.ts';

export const testSpec = {
  positionals: [{ name: 'CONFIG', help: 'a MOT, SOT, VID or VIS config whose data.test names the dataset' }],
  flags: {
    out: requiredFlag('DIR', 'results folder: DIR/<video>.txt (MOT: MOTChallenge rows; SOT: LaSOT x,y,w,h lines) or DIR/<video>.json (VID: COCO results; VIS: YouTube-VIS results), what mmtrack eval reads'),
    metrics: listFlag('METRIC', "metrics to print instead of the config's evaluation.metric, as MMTracking's --eval (MOT: HOTA CLEAR Identity track; SOT: track; VID: bbox; VIS: track_segm)"),
    'format-only': switchFlag('write the results and stop (no evaluation), as for a test server'),
    resume: switchFlag('skip the videos whose result file is already in --out'),
    'model-dir': MODEL_DIR_FLAG,
    'cfg-options': CFG_OPTIONS_FLAG,
  },
} satisfies ArgsSpec;

export type TestFlags = ParsedArgs<typeof testSpec.flags>['flags'];

/** The dataset and metrics of a test run, checked before any model loads. */
export async function prepareTest(configPath: string, cfgOptions: string[], evalFlag: string[] | undefined): Promise<{ config: ConfigDict; set: TestSet; metrics: string[]; skipped: string[] }> {
  const config = await loadCliConfig(configPath, cfgOptions);
  const set = await readTestSet(config, configPath, diskSource);
  configFamily(config, configPath, set);
  return { config, set, ...testMetrics(config, set.family, evalFlag) };
}

/** Evaluates a finished results folder and prints the table (shared with `mmtrack batch collect`). */
export async function printTestMetrics(set: TestSet, out: string, metrics: string[], skipped: string[], io: CliIo): Promise<void> {
  for (const m of skipped) io.stderr(`warning: metric '${m}' is not computed by mmtrack test (it needs the detector's per-frame boxes, which are not kept); the others are\n`);
  const { table, warnings } = await evaluateTestSet(set, out, metrics);
  reportWarnings(io, warnings);
  printJson(io, table);
}

async function runTest(args: string[], io: CliIo): Promise<number> {
  const { positionals, flags } = parseCommandArgs('test', testSpec, args, io);
  const { config, set, metrics, skipped } = await prepareTest(positionals[0]!, flags['cfg-options'] ?? [], flags.metrics);
  await prepareOutputFolder(flags.out, '--out');
  const todo = flags.resume ? set.videos.filter((v) => !hasResult(flags.out, v)) : set.videos;
  if (todo.length < set.videos.length) io.stderr(`--resume: ${set.videos.length - todo.length} of ${set.videos.length} videos already have results in ${flags.out}\n`);
  if (todo.length) {
    const runner = await loadVideoRunner(config, set.family, flags['model-dir'] ?? DEFAULT_MODEL_DIR);
    await announceRuntime(io);
    const progress = datasetProgress(io, todo.length);
    try {
      for (const video of todo) {
        const p = progress.video(video.name, video.frameCount);
        const started = performance.now();
        const r = await runner.run(video, (done) => p.frame(done));
        const file = await writeResult(flags.out, video, r.text, `test-${process.pid}`);
        p.done(`${r.frames} frames in ${((performance.now() - started) / 1000).toFixed(1)} s → ${file}`);
      }
    } finally {
      progress.stop();
      await runner.release();
    }
  }
  if (flags['format-only']) return 0;
  await printTestMetrics(set, flags.out, metrics, skipped, io);
  return 0;
}

export const testCommand: Command = {
  name: 'test',
  summary: "run a config over its whole data.test and evaluate (MMTracking's tools/test.py)",
  help: helpText({
    usage: [usageLine('test', testSpec)],
    description: `Runs the config's model over every video of its data.test and prints the config's evaluation.metric as
mmtrack eval computes it (JSON on stdout; progress on stderr). Datasets:
  MOTChallengeDataset: ann_file = MMTracking's CocoVID JSON (tools/convert_datasets/mot/mot2coco.py), or
      ann_file=None to read img_prefix/SEQ/seqinfo.ini folders; ground truth img_prefix/SEQ/gt/gt.txt.
  LaSOTDataset (and SOTTestDataset, OTB100Dataset, UAV123Dataset, TrackingNetDataset, GOT10kDataset): ann_file =
      MMTracking's lasot_test_infos.txt (video_path,ann_path,start_frame_id,end_frame_id), or ann_file=None to read
      img_prefix/SEQ/groundtruth.txt folders (frames in SEQ/img/ or SEQ/); the first box initialises the tracker.
  YouTubeVISDataset: ann_file = MMTracking's CocoVID form (youtubevis2coco.py) or the official YouTube-VIS JSON
      (each video's frames in one folder under img_prefix, in name order); results DIR/<folder>.json carry the video's id; the metrics are eval vis's over all of them.
  ImagenetVIDDataset, CocoVideoDataset: ann_file = MMTracking's CocoVID JSON (each video's images by frame_id, in
      one folder under img_prefix, in name order); results DIR/<folder>.json (COCO, the ann_file's image ids); the
      metrics are eval vid's over all of them, with a warning when the model's category ids are not the dataset's.
Point a config at your copy with --cfg-options data.test.img_prefix=DIR data.test.ann_file=None.
Run it over several machines with mmtrack batch.`,
    variants: [{ spec: testSpec }],
  }),
  run: runTest,
};

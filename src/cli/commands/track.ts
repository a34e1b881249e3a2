// `mmtrack track CONFIG ...`: loads the config and hands the rest of the arguments to the runner of its task family,
// chosen by `model.type` (as MMTracking's demo_sot.py / demo_mot_vis.py are chosen by the config).
import { type ConfigDict, getConfigPath, previewValue } from '../../core/config/config-value.ts';
import { SOT_MODEL_TYPES } from '../../core/models/sot/sot-models.ts';
import { type CliIo, type Command, UserError } from '../command.ts';
import { loadCliConfig, splitConfigArgs } from '../config-args.ts';
import { MOT_MODEL_TRACKERS } from '../../core/models/mot/build-mot-tracker.ts';
import { MOT_TRACK_USAGE, runMotTrack } from './track-mot.ts';
import { runSotTrack, SOT_TRACK_USAGE } from './track-sot.ts';

/** A task family `mmtrack track` can run: which `model.type`s it takes and its runner. */
interface TrackFamily {
  name: string;
  modelTypes: readonly string[];
  usage: string;
  run(config: ConfigDict, args: string[], io: CliIo): Promise<number>;
}

const families: TrackFamily[] = [
  { name: 'multiple object tracking', modelTypes: Object.keys(MOT_MODEL_TRACKERS), usage: MOT_TRACK_USAGE, run: runMotTrack },
  { name: 'single object tracking', modelTypes: SOT_MODEL_TYPES, usage: SOT_TRACK_USAGE, run: runSotTrack },
];

const usage = `usage: mmtrack track CONFIG --input VIDEO_OR_DIR ... [--cfg-options KEY=VALUE ...]

Runs the config's tracker over a video file (any format ffmpeg reads) or a folder of images (sorted by name).
The config's model.type picks the task; each takes its own options:

${families.map((f) => f.usage).join('\n\n')}

  --cfg-options  override config values, as in print-config (e.g. model.test_cfg.rpn.lr=0.5,
                 onnx.backbone.file=my/backbone.onnx)
Videos are decoded by ffmpeg (on PATH); the networks run on onnxruntime-web's wasm backend.
`;

export const trackCommand: Command = {
  name: 'track',
  summary: "run a config's tracker (MOT: ByteTrack, SORT/DeepSORT, Tracktor; SOT: SiamRPN++, NanoTrack, SiamFC) over a video",
  usage,
  async run(args, io) {
    const { config: path, options, rest } = splitConfigArgs(args, usage);
    const config = await loadCliConfig(path, options);
    const type = getConfigPath(config, 'model.type');
    const family = typeof type === 'string' ? families.find((f) => f.modelTypes.includes(type)) : undefined;
    if (!family) {
      const supported = families.map((f) => `${f.name} (${f.modelTypes.join(', ')})`).join('; ');
      const what = typeof type === 'string' ? `'${type}'` : type === undefined ? 'is missing' : `is not a string (${previewValue(type)})`;
      throw new UserError(`${path}: model.type ${what}: mmtrack track runs ${supported}`);
    }
    return family.run(config, rest, io);
  },
};

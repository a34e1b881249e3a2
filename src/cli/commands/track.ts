// `mmtrack track CONFIG ...`: the runner of the config's task family (config-family.ts) over a video or image folder.
import { MOT_MODEL_TRACKERS } from '../../core/models/mot/build-mot-tracker.ts';
import { SOT_MODEL_TYPES } from '../../core/models/sot/sot-models.ts';
import { type ArgsSpec, CFG_OPTIONS_FLAG, MODEL_DIR_FLAG, type ParsedArgs, requiredFlag, optionalFlag } from '../args.ts';
import type { Command } from '../command.ts';
import { configFamilyCommand } from '../config-family.ts';
import { runMotTrack } from './track-mot.ts';
import { runSotTrack } from './track-sot.ts';
import { runVisTrack } from './track-vis.ts';
import { VIS_MODEL_TYPES } from '../../runtime/vis/vis-runner.ts';

export const trackSpec = {
  positionals: [{ name: 'CONFIG', help: 'a MOT, SOT or VIS config' }],
  flags: {
    input: requiredFlag('VIDEO_OR_DIR', 'a video file (any format ffmpeg reads) or a folder of images (sorted by name)'),
    out: requiredFlag('PATH', 'MOT: a folder, gets <video name>.txt (MOTChallenge); SOT: the LaSOT-style result file; VIS: the YouTube-VIS results JSON'),
    'output-video': optionalFlag('VIS.mp4', 'also write the video with the tracks drawn (H.264 MP4, via ffmpeg)'),
    'min-det-score': optionalFlag('T', "MOT: drop detections below T before tracking (default: keep what the detector returns; the detector's own threshold is --cfg-options ...test_cfg.score_thr=T)", ['score-thr']),
    init: optionalFlag('X,Y,W,H', "SOT: the target's box on the first frame, in pixels (a negative x as --init=-5,...)"),
    'gt-bbox-file': optionalFlag('FILE', 'SOT: take the first-frame box from the first row of a x,y,w,h file (as demo_sot.py --gt_bbox_file)'),
    'png-dir': optionalFlag('DIR', 'VIS: also write each instance\'s mask per frame as DIR/<id>/<frame>.png (1-bit, frame size)'),
    'model-dir': MODEL_DIR_FLAG,
    'cfg-options': CFG_OPTIONS_FLAG,
  },
} satisfies ArgsSpec;

export type TrackFlags = ParsedArgs<typeof trackSpec.flags>['flags'];

const COMMON = ['input', 'out', 'output-video', 'model-dir'] as const;

export const trackCommand: Command = configFamilyCommand({
  name: 'track',
  summary: "run a config's tracker (MOT: ByteTrack, OC-SORT, SORT/DeepSORT, Tracktor; SOT: SiamRPN++, NanoTrack, SiamFC; VIS: MaskTrack R-CNN) over a video",
  description: `Runs the config's tracker over a video file or a folder of images. The config's model.type picks the task:
  MOT (${Object.keys(MOT_MODEL_TRACKERS).join(', ')}): writes OUT/<video name>.txt in MOTChallenge format
      (frame, id, x, y, w, h, score, -1, -1, -1).
  SOT (${SOT_MODEL_TYPES.join(', ')}): needs --init or --gt-bbox-file; writes one x,y,w,h line per frame (the first is
      the init box) and prints a JSON summary on stdout: frames, frames/s, mean score, the network's ms per frame.
  VIS (${VIS_MODEL_TYPES.join(', ')}): writes OUT, YouTube-VIS results as MMTracking formats them (one entry per
      instance id: video_id 1, mean score, majority category_id, a compressed RLE per frame or null), which
      mmtrack eval vis reads; --png-dir adds the per-instance mask PNGs.`,
  spec: trackSpec,
  families: [
    { name: 'multiple object tracking', modelTypes: Object.keys(MOT_MODEL_TRACKERS), flags: [...COMMON, 'min-det-score'], run: runMotTrack },
    { name: 'single object tracking', modelTypes: SOT_MODEL_TYPES, flags: [...COMMON, 'init', 'gt-bbox-file'], run: runSotTrack },
    { name: 'video instance segmentation', modelTypes: VIS_MODEL_TYPES, flags: [...COMMON, 'png-dir'], run: runVisTrack },
  ],
  footer: "Videos are decoded by ffmpeg (on PATH); the networks run on onnxruntime-node (native, all cores), or onnxruntime-web's wasm build where that does not load; MMTRACK_ORT=wasm|native picks one.",
});

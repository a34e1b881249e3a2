/**
 * Motion models of VID methods (`model.motion`):
 * - `FlowNetSimple`, MMTracking's: what the runner needs from its config. The network itself is the `motion` ONNX
 *   graph; its input preparation and output scaling are ours (`src/core/ops/flownet-prepare.ts`), so these keys must
 *   match the graph's training. https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/motion/flownet_simple.py
 * - `PyramidalLucasKanade`, ours (not in MMTracking): a training-free coarse-to-fine flow computed by our code
 *   (`src/core/ops/lucas-kanade.ts`, kernels on the GPU), for the default VID method, which has no trained FlowNet.
 */
import { ConfigError } from '../../config/config-error.ts';
import { param } from '../../config/params.ts';
import { Registry } from '../../config/registry.ts';
import type { LucasKanadeOptions } from '../../ops/lucas-kanade.ts';

export interface FlowNetSettings {
  /** `img_scale_factor`: the image pair is resized by it before the network, the flow by 4 / it after. */
  imgScaleFactor: number;
  /** `flow_scale_factor` (default 5.0): FlowNet's output times 4 is in 1/20 pixels. */
  flowScaleFactor: number;
  flowImgNormMean: [number, number, number];
  flowImgNormStd: [number, number, number];
}

/** `PyramidalLucasKanade`: no graph; the flow is computed at the features' resolution. */
export type LucasKanadeSettings = LucasKanadeOptions;

export type MotionSettings = ({ type: 'FlowNetSimple' } & FlowNetSettings) | ({ type: 'PyramidalLucasKanade' } & LucasKanadeSettings);

export const MOTIONS = new Registry<MotionSettings>('motion models');

const three = (v: number[]) => v as [number, number, number];

MOTIONS.register('FlowNetSimple', {
  params: {
    img_scale_factor: param.number({ min: Number.MIN_VALUE }),
    // The network's layout lives in the ONNX graph; MMTracking's default is the only one its code supports.
    out_indices: param.array(param.integer()).default([2, 3, 4, 5, 6]),
    flow_scale_factor: param.number().default(5.0),
    flow_img_norm_std: param.array(param.number({ min: Number.MIN_VALUE }), 3).default([255.0, 255.0, 255.0]),
    flow_img_norm_mean: param.array(param.number(), 3).default([0.411, 0.432, 0.45]),
    init_cfg: param.any().optionalKey(),
  },
  create: (args, context) => {
    if (args.out_indices.join() !== '2,3,4,5,6') {
      throw new ConfigError(`${context.path}.out_indices: only MMTracking's [2, 3, 4, 5, 6] is supported (FlowNetSimple.forward assumes it)`, context.origin);
    }
    return {
      type: 'FlowNetSimple',
      imgScaleFactor: args.img_scale_factor,
      flowScaleFactor: args.flow_scale_factor,
      flowImgNormMean: three(args.flow_img_norm_mean),
      flowImgNormStd: three(args.flow_img_norm_std),
    };
  },
});

MOTIONS.register('PyramidalLucasKanade', {
  params: {
    // Pyramid levels at most (the coarsest keeps 8 px a side); each halves the resolution.
    num_levels: param.integer({ min: 1, max: 8 }).default(4),
    window_size: param.integer({ min: 3, max: 31 }).default(9),
    num_iters: param.integer({ min: 1, max: 20 }).default(3),
    regularization: param.number({ min: Number.MIN_VALUE }).default(1e-4),
  },
  create: (args, context) => {
    if (args.window_size % 2 !== 1) throw new ConfigError(`${context.path}.window_size: must be odd (a window centred on the pixel), got ${args.window_size}`, context.origin);
    return { type: 'PyramidalLucasKanade', levels: args.num_levels, windowSize: args.window_size, iterations: args.num_iters, regularization: args.regularization };
  },
});

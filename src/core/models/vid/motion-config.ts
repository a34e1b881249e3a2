/**
 * Motion models of MMTracking's VID methods (`model.motion`): what the runner needs from FlowNetSimple's config. The
 * network itself is the `motion` ONNX graph; its input preparation and output scaling are ours
 * (`src/core/ops/flownet-prepare.ts`), so these keys must match the graph's training.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/motion/flownet_simple.py
 */
import { ConfigError } from '../../config/config-error.ts';
import { param } from '../../config/params.ts';
import { Registry } from '../../config/registry.ts';

export interface FlowNetSettings {
  /** `img_scale_factor`: the image pair is resized by it before the network, the flow by 4 / it after. */
  imgScaleFactor: number;
  /** `flow_scale_factor` (default 5.0): FlowNet's output times 4 is in 1/20 pixels. */
  flowScaleFactor: number;
  flowImgNormMean: [number, number, number];
  flowImgNormStd: [number, number, number];
}

export const MOTIONS = new Registry<FlowNetSettings>('motion models');

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
      imgScaleFactor: args.img_scale_factor,
      flowScaleFactor: args.flow_scale_factor,
      flowImgNormMean: three(args.flow_img_norm_mean),
      flowImgNormStd: three(args.flow_img_norm_std),
    };
  },
});

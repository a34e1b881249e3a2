/**
 * MMDetection 2.x anchor generators (`AnchorGenerator`, `LegacyAnchorGenerator`): base anchors per FPN level and
 * their grid over a feature map.
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/core/anchor/anchor_generator.py
 *
 * Base anchors of a level (`gen_single_level_base_anchors`), float32 as torch computes them, with
 * `w = h = base_size` (the stride when `base_sizes` is not given), `hr = sqrt(ratio)`, `wr = 1 / hr`:
 * - scale major (default): `ws = w * wr[r] * scales[s]`, anchors ordered ratio by ratio, scales inside;
 *   otherwise `ws = w * scales[s] * wr[r]`, scales outer, ratios inside.
 * - `AnchorGenerator`: centre `(center_offset * w, center_offset * h)` (0 by default) or `centers[level]`;
 *   `x1 = cx - 0.5 * ws`, `x2 = cx + 0.5 * ws` — **no rounding**.
 * - `LegacyAnchorGenerator` (MMDetection 1.x boxes): centre `center_offset * (w - 1)`,
 *   `x1 = cx - 0.5 * (ws - 1)`, `x2 = cx + 0.5 * (ws - 1)`, each corner rounded half to even (`torch.round`).
 * Grid (`single_level_grid_priors`): the base anchors shifted by `(x * stride_w, y * stride_h)` for every cell,
 * ordered (y, x, anchor): anchor `a` of cell (y, x) is row `(y * W + x) * A + a`.
 */
import { ConfigError } from '../../config/config-error.ts';
import type { ConfigValue } from '../../config/config-value.ts';
import { previewValue } from '../../config/config-value.ts';
import { param } from '../../config/params.ts';
import { Registry } from '../../config/registry.ts';

const f = Math.fround;

export interface AnchorGeneratorOptions {
  /** `strides`: per level, one stride or (w, h), input pixels per feature cell. */
  strides: readonly (number | readonly [number, number])[];
  /** `ratios`: height / width of the anchors. */
  ratios: readonly number[];
  /** `scales`: anchor size in units of the base size. Exclusive with the octave pair. */
  scales?: readonly number[] | null;
  /** `base_sizes`: per level; default the level's smaller stride. */
  baseSizes?: readonly number[] | null;
  /** `scale_major` (default true). */
  scaleMajor?: boolean;
  /** `octave_base_scale` and `scales_per_octave`: scales `octave_base_scale * 2^(i / scales_per_octave)`. */
  octaveBaseScale?: number | null;
  scalesPerOctave?: number | null;
  /** `centers`: per level, the anchor centre within a cell (overrides `center_offset`). */
  centers?: readonly (readonly [number, number])[] | null;
  /** `center_offset` in [0, 1] (default 0). */
  centerOffset?: number;
  /** `LegacyAnchorGenerator`'s 1.x box convention (see the module comment). */
  legacy?: boolean;
}

/** Round half to even, as `torch.round`. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export class AnchorGenerator {
  /** Per level `[w, h]` stride. */
  readonly strides: readonly (readonly [number, number])[];
  /** Per level `[A*4]` base anchors x1, y1, x2, y2 around the cell origin. */
  readonly baseAnchors: readonly Float32Array[];

  constructor(options: AnchorGeneratorOptions) {
    const { ratios, centerOffset = 0, centers } = options;
    if (!(centerOffset >= 0 && centerOffset <= 1)) throw new Error(`AnchorGenerator: center_offset should be in [0, 1], got ${centerOffset}`);
    if (centerOffset !== 0 && centers) throw new Error('AnchorGenerator: centers cannot be set when center_offset != 0');
    this.strides = options.strides.map((s) => (typeof s === 'number' ? [s, s] : [s[0], s[1]]));
    if (centers && centers.length !== this.strides.length) throw new Error(`AnchorGenerator: ${centers.length} centers for ${this.strides.length} strides`);
    const baseSizes = options.baseSizes ?? this.strides.map(([w, h]) => Math.min(w, h));
    if (baseSizes.length !== this.strides.length) throw new Error(`AnchorGenerator: ${baseSizes.length} base sizes for ${this.strides.length} strides`);
    const hasOctave = options.octaveBaseScale != null && options.scalesPerOctave != null;
    const hasScales = options.scales != null;
    if (hasOctave === hasScales) throw new Error('AnchorGenerator: give either scales or octave_base_scale with scales_per_octave');
    let scales: number[];
    if (hasScales) scales = options.scales!.map(f);
    else {
      const n = options.scalesPerOctave!;
      scales = Array.from({ length: n }, (_, i) => f(2 ** (i / n) * options.octaveBaseScale!));
    }
    if (ratios.length === 0 || scales.length === 0) throw new Error('AnchorGenerator: ratios and scales must not be empty');
    const hr = ratios.map((r) => f(Math.sqrt(f(r))));
    const wr = hr.map((h) => f(1 / h));
    const scaleMajor = options.scaleMajor ?? true;
    const legacy = options.legacy ?? false;
    this.baseAnchors = baseSizes.map((size, level) => {
      const center = centers?.[level];
      const cx = center ? f(center[0]) : f(centerOffset * (legacy ? size - 1 : size));
      const cy = center ? f(center[1]) : f(centerOffset * (legacy ? size - 1 : size));
      const ws: number[] = [];
      const hs: number[] = [];
      if (scaleMajor) {
        for (let r = 0; r < ratios.length; r++) {
          for (const s of scales) {
            ws.push(f(f(size * wr[r]!) * s));
            hs.push(f(f(size * hr[r]!) * s));
          }
        }
      } else {
        for (const s of scales) {
          for (let r = 0; r < ratios.length; r++) {
            ws.push(f(f(size * s) * wr[r]!));
            hs.push(f(f(size * s) * hr[r]!));
          }
        }
      }
      const out = new Float32Array(ws.length * 4);
      ws.forEach((w, a) => {
        const h = hs[a]!;
        const halfW = legacy ? f(0.5 * f(w - 1)) : f(0.5 * w);
        const halfH = legacy ? f(0.5 * f(h - 1)) : f(0.5 * h);
        const box = [f(cx - halfW), f(cy - halfH), f(cx + halfW), f(cy + halfH)];
        out.set(legacy ? box.map(roundHalfEven) : box, a * 4);
      });
      return out;
    });
  }

  get numLevels(): number {
    return this.strides.length;
  }

  /** Anchors per cell of each level (`num_base_anchors`). */
  get numBaseAnchors(): number[] {
    return this.baseAnchors.map((b) => b.length / 4);
  }

  /**
   * `single_level_grid_priors`: all anchors of level `level` on a `height`×`width` feature map.
   * @returns float32 `[H*W*A*4]`, row `(y * W + x) * A + a`, input pixels.
   */
  singleLevelGridPriors(height: number, width: number, level: number): Float32Array {
    const base = this.baseAnchors[level];
    const stride = this.strides[level];
    if (!base || !stride) throw new Error(`AnchorGenerator: no level ${level} (${this.numLevels} levels)`);
    const a = base.length / 4;
    const out = new Float32Array(height * width * a * 4);
    for (let y = 0; y < height; y++) {
      const sy = f(y * stride[1]);
      for (let x = 0; x < width; x++) {
        const sx = f(x * stride[0]);
        const row = (y * width + x) * a * 4;
        for (let k = 0; k < a; k++) {
          out[row + k * 4] = f(base[k * 4]! + sx);
          out[row + k * 4 + 1] = f(base[k * 4 + 1]! + sy);
          out[row + k * 4 + 2] = f(base[k * 4 + 2]! + sx);
          out[row + k * 4 + 3] = f(base[k * 4 + 3]! + sy);
        }
      }
    }
    return out;
  }

  /** `grid_priors`: one {@link singleLevelGridPriors} per level, `featmapSizes` as (h, w). */
  gridPriors(featmapSizes: readonly (readonly [number, number])[]): Float32Array[] {
    if (featmapSizes.length !== this.numLevels) throw new Error(`AnchorGenerator: ${featmapSizes.length} feature maps for ${this.numLevels} levels`);
    return featmapSizes.map(([h, w], level) => this.singleLevelGridPriors(h, w, level));
  }
}

/** Anchor generators by config `type` (`rpn_head.anchor_generator`). */
export const ANCHOR_GENERATORS = new Registry<AnchorGenerator>('anchor generators');

const anchorParams = {
  strides: param.array(param.any()),
  ratios: param.array(param.number({ min: Number.MIN_VALUE })),
  scales: param.array(param.number({ min: Number.MIN_VALUE })).nullable().default(null),
  base_sizes: param.array(param.number({ min: Number.MIN_VALUE })).nullable().default(null),
  scale_major: param.boolean().default(true),
  octave_base_scale: param.number({ min: Number.MIN_VALUE }).nullable().default(null),
  scales_per_octave: param.integer({ min: 1 }).nullable().default(null),
  centers: param.array(param.array(param.number(), 2)).nullable().default(null),
  center_offset: param.number({ min: 0, max: 1 }).default(0),
};

function strideValue(value: ConfigValue): number | [number, number] | undefined {
  const ok = (v: ConfigValue | undefined): v is number => typeof v === 'number' && v > 0;
  if (ok(value)) return value;
  if (Array.isArray(value) && value.length === 2 && ok(value[0]) && ok(value[1])) return [value[0], value[1]];
  return undefined;
}

for (const [type, legacy] of [['AnchorGenerator', false], ['LegacyAnchorGenerator', true]] as const) {
  ANCHOR_GENERATORS.register(type, {
    params: anchorParams,
    create: (args, context) => {
      const fail = (problem: string): never => {
        throw new ConfigError(`${context.path}: ${problem}`, context.origin);
      };
      const strides = args.strides.map((s, i) => strideValue(s) ?? fail(`strides item ${i}: expected an int > 0 or (w, h), got ${previewValue(s)}`));
      try {
        return new AnchorGenerator({
          strides,
          ratios: args.ratios,
          scales: args.scales,
          baseSizes: args.base_sizes,
          scaleMajor: args.scale_major,
          octaveBaseScale: args.octave_base_scale,
          scalesPerOctave: args.scales_per_octave,
          centers: args.centers as [number, number][] | null,
          centerOffset: args.center_offset,
          legacy,
        });
      } catch (err) {
        return fail(err instanceof Error ? err.message.replace(/^AnchorGenerator: /, '') : String(err));
      }
    },
  });
}

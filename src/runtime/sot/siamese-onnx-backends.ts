/**
 * ONNX Runtime halves of the Siamese trackers (CPU path: crops and decoding in TypeScript, graphs on whatever EP
 * the sessions were created with). Prepare → run → post-process, as the detectors' runners.
 *
 * - {@link TwoBranchBackend} (SiamRPN++ exported from MMTracking): `template` graph crop → features (any number of
 *   outputs), `search` graph (crop, those features by name) → `cls_score`, `bbox_pred`.
 * - {@link SharedBackboneBackend} (NanoTrack): one `backbone` graph for both crops, a `head` graph
 *   (template features, search features) → cls, ltrb.
 */
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-web';
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import type { SiameseHeadBackend, SiameseHeadOutputs } from '../../core/models/sot/siamese-tracker.ts';
import type { OrtTensorModule } from '../model-session.ts';

/** Per-stage milliseconds of the last call (for benches and the app's read-out). */
export interface SiameseStageTimings {
  backbone: number;
  head: number;
}

function firstName(list: readonly { name: string }[], what: string): string {
  const n = list[0]?.name;
  if (n === undefined) throw new Error(`${what}: not declared in the config`);
  return n;
}

function headOutputs(out: InferenceSession.OnnxValueMapType, clsName: string, regName: string, where: string): SiameseHeadOutputs {
  const cls = out[clsName];
  const reg = out[regName];
  if (!cls || !reg) throw new Error(`${where}: the graph returned ${Object.keys(out).join(', ')}, expected ${clsName} and ${regName}`);
  const [, , height, width] = cls.dims as number[];
  if (cls.dims.length !== 4 || reg.dims.length !== 4 || height !== reg.dims[2] || width !== reg.dims[3]) {
    throw new Error(`${where}: cls ${cls.dims.join('x')} and reg ${reg.dims.join('x')} are not [1, C, H, W] maps of one size`);
  }
  return { cls: cls.data as Float32Array, reg: reg.data as Float32Array, height: height!, width: width! };
}

export class TwoBranchBackend implements SiameseHeadBackend {
  private features: Record<string, OrtTensor> | undefined;
  readonly timings: SiameseStageTimings = { backbone: 0, head: 0 };

  constructor(
    private readonly ort: OrtTensorModule,
    private readonly template: { session: InferenceSession; spec: OnnxModelSpec },
    private readonly search_: { session: InferenceSession; spec: OnnxModelSpec },
  ) {}

  async setTemplate(crop: Float32Array, size: number): Promise<void> {
    const t0 = performance.now();
    const input = new this.ort.Tensor('float32', crop, [1, 3, size, size]);
    const out = await this.template.session.run({ [firstName(this.template.spec.inputs, 'onnx.template input')]: input });
    input.dispose();
    for (const t of Object.values(this.features ?? {})) t.dispose();
    this.features = {};
    for (const o of this.template.spec.outputs) {
      const t = out[o.name];
      if (!t) throw new Error(`onnx.template: the graph returned ${Object.keys(out).join(', ')}, expected ${o.name}`);
      this.features[o.name] = t;
    }
    this.timings.backbone = performance.now() - t0;
  }

  async search(crop: Float32Array, size: number): Promise<SiameseHeadOutputs> {
    if (!this.features) throw new Error('SiamRPN: search before the template was set');
    const spec = this.search_.spec;
    const t0 = performance.now();
    const input = new this.ort.Tensor('float32', crop, [1, 3, size, size]);
    const out = await this.search_.session.run({ [firstName(spec.inputs, 'onnx.search input')]: input, ...this.features });
    input.dispose();
    this.timings.backbone = 0;
    this.timings.head = performance.now() - t0;
    return headOutputs(out, spec.outputs[0]!.name, spec.outputs[1]!.name, 'onnx.search');
  }
}

export class SharedBackboneBackend implements SiameseHeadBackend {
  private templateFeature: OrtTensor | undefined;
  readonly timings: SiameseStageTimings = { backbone: 0, head: 0 };

  constructor(
    private readonly ort: OrtTensorModule,
    private readonly backbone: { session: InferenceSession; spec: OnnxModelSpec },
    private readonly head: { session: InferenceSession; spec: OnnxModelSpec },
  ) {}

  private async features(crop: Float32Array, size: number): Promise<OrtTensor> {
    const input = new this.ort.Tensor('float32', crop, [1, 3, size, size]);
    const out = await this.backbone.session.run({ [firstName(this.backbone.spec.inputs, 'onnx.backbone input')]: input });
    input.dispose();
    const name = firstName(this.backbone.spec.outputs, 'onnx.backbone output');
    const f = out[name];
    if (!f) throw new Error(`onnx.backbone: the graph returned ${Object.keys(out).join(', ')}, expected ${name}`);
    return f;
  }

  async setTemplate(crop: Float32Array, size: number): Promise<void> {
    const t0 = performance.now();
    const f = await this.features(crop, size);
    this.templateFeature?.dispose();
    this.templateFeature = f;
    this.timings.backbone = performance.now() - t0;
  }

  async search(crop: Float32Array, size: number): Promise<SiameseHeadOutputs> {
    if (!this.templateFeature) throw new Error('NanoTrack: search before the template was set');
    const t0 = performance.now();
    const x = await this.features(crop, size);
    const t1 = performance.now();
    const [zName, xName] = this.head.spec.inputs.map((i) => i.name);
    const out = await this.head.session.run({ [zName!]: this.templateFeature, [xName!]: x });
    x.dispose();
    this.timings.backbone = t1 - t0;
    this.timings.head = performance.now() - t1;
    const [clsName, regName] = this.head.spec.outputs.map((o) => o.name);
    return headOutputs(out, clsName!, regName!, 'onnx.head');
  }
}

/** ONNX Runtime half of the SiamFC-style tracker: one graph, crop → features (the correlation is our code). */
import type { InferenceSession } from 'onnxruntime-web';
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import type { FeatureMap } from '../../core/ops/roi-align.ts';
import type { FeatureBackend } from '../../core/models/sot/siamfc-tracker.ts';
import type { SiameseStageTimings } from './siamese-onnx-backends.ts';
import type { OrtTensorModule } from '../model-session.ts';

export class OnnxFeatureBackend implements FeatureBackend {
  /** `backbone`: ms of the graph runs in the last `init`/`track` (summed over scales); `head`: unused (0). */
  readonly timings: SiameseStageTimings = { backbone: 0, head: 0 };

  constructor(
    private readonly ort: OrtTensorModule,
    private readonly model: { session: InferenceSession; spec: OnnxModelSpec },
  ) {}

  /** Starts a new frame's timing (the tracker calls `features` once per scale). */
  resetTimings(): void {
    this.timings.backbone = 0;
  }

  async features(crop: Float32Array, size: number): Promise<FeatureMap> {
    const t0 = performance.now();
    const input = new this.ort.Tensor('float32', crop, [1, 3, size, size]);
    const inName = this.model.spec.inputs[0]!.name;
    const outName = this.model.spec.outputs[0]!.name;
    const out = await this.model.session.run({ [inName]: input });
    input.dispose();
    const f = out[outName];
    if (!f) throw new Error(`onnx.backbone: the graph returned ${Object.keys(out).join(', ')}, expected ${outName}`);
    if (f.dims.length !== 4) throw new Error(`onnx.backbone: features of shape [${f.dims.join(', ')}], expected [1, C, H, W]`);
    this.timings.backbone += performance.now() - t0;
    return { data: f.data as Float32Array, shape: f.dims as unknown as [number, number, number, number] };
  }
}

import { type BoxEmbeddings, type DetectorFeatureReidSettings, pooledEmbeddings, reidInput } from '../../core/models/mot/detector-feature-reid.ts';
import { loadModelOpenDims } from '../model-open-dims.ts';
import type { LoadedModel, LoadOptions, OrtModule, OrtTensorModule } from '../model-session.ts';
import type { ReidRunner } from './reid-runner.ts';

/**
 * DeepSORT's appearance embeddings from the detector's backbone (src/core/models/mot/detector-feature-reid.ts):
 * the frame through the features graph (its spatial dims made symbolic when the config leaves them open, so the
 * graph exported for 255x255 crops takes whole frames), RoIAlign per box (CPU twin), L2 normalisation.
 */
export class DetectorFeatureReidRunner implements ReidRunner {
  private constructor(
    private readonly ort: OrtTensorModule,
    readonly model: LoadedModel,
    readonly settings: DetectorFeatureReidSettings,
  ) {}

  static async load(ort: OrtModule & OrtTensorModule, bytes: Uint8Array, fileName: string, settings: DetectorFeatureReidSettings, options: LoadOptions): Promise<DetectorFeatureReidRunner> {
    return new DetectorFeatureReidRunner(ort, await loadModelOpenDims(ort, bytes, fileName, settings.onnx, options), settings);
  }

  /** Embeddings of `boxes` (`[n*4]` x1, y1, x2, y2, frame pixels) on an RGBA frame. */
  async embed(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, boxes: Float32Array): Promise<BoxEmbeddings> {
    const s = this.settings;
    const { data, geometry } = reidInput(rgba, width, height, s);
    const input = new this.ort.Tensor('float32', data, [1, 3, geometry.paddedHeight, geometry.paddedWidth]);
    const out = await this.model.session.run({ [s.onnx.inputs[0]!.name]: input });
    input.dispose();
    const f = out[s.onnx.outputs[0]!.name];
    if (!f) throw new Error(`onnx.reid: the graph returned ${Object.keys(out).join(', ')}, expected ${s.onnx.outputs[0]!.name}`);
    if (f.dims.length !== 4) throw new Error(`onnx.reid: features of shape [${f.dims.join(', ')}], expected [1, C, H, W]`);
    const emb = pooledEmbeddings({ data: f.data as Float32Array, shape: f.dims as unknown as [number, number, number, number] }, boxes, geometry, s);
    f.dispose();
    return emb;
  }

  release(): Promise<void> {
    return this.model.session.release();
  }
}

import type { InferenceSession } from 'onnxruntime-web';
import { type DetectorFeatureReidSettings, type BoxEmbeddings, pooledEmbeddings, reidInput } from '../../core/models/mot/detector-feature-reid.ts';
import type { OrtTensorModule } from '../detectors/centernet-cpu.ts';
import { loadModel, type LoadedModel, ModelLoadError, type LoadOptions, type OrtModule } from '../model-session.ts';
import { sha256Hex } from '../sha256.ts';
import { openDims } from '../sot/load-sot-tracker.ts';
import { makeGraphDimsSymbolic } from '../sot/onnx-symbolic-dims.ts';

/**
 * DeepSORT's appearance embeddings from the detector's backbone (src/core/models/mot/detector-feature-reid.ts):
 * the frame through the features graph (its spatial dims made symbolic when the config leaves them open, so the
 * graph exported for 255x255 crops takes whole frames), RoIAlign per box (CPU twin), L2 normalisation.
 */
export class DetectorFeatureReidRunner {
  private constructor(
    private readonly ort: OrtTensorModule,
    readonly model: LoadedModel,
    readonly settings: DetectorFeatureReidSettings,
  ) {}

  static async load(ort: OrtModule & OrtTensorModule, bytes: Uint8Array, fileName: string, settings: DetectorFeatureReidSettings, options: LoadOptions): Promise<DetectorFeatureReidRunner> {
    const spec = settings.onnx;
    const dims = openDims(spec);
    let model: LoadedModel;
    if (Object.keys(dims).length === 0) model = await loadModel(ort, bytes, fileName, spec, options);
    else {
      // A pinned sha256 is the file's as distributed: check it before the in-memory edit.
      if (spec.sha256) {
        const actual = await sha256Hex(bytes);
        if (actual !== spec.sha256) throw new ModelLoadError(fileName, [`sha256 is ${actual}, the config (onnx.reid.sha256) pins ${spec.sha256}`]);
      }
      const { sha256: _pin, ...unpinned } = spec;
      model = await loadModel(ort, makeGraphDimsSymbolic(bytes, dims), fileName, unpinned, options);
    }
    return new DetectorFeatureReidRunner(ort, model, settings);
  }

  /** Embeddings of `boxes` (`[n*4]` x1, y1, x2, y2, frame pixels) on an RGBA frame. */
  async embed(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, boxes: Float32Array): Promise<BoxEmbeddings> {
    const s = this.settings;
    const { data, geometry } = reidInput(rgba, width, height, s);
    const input = new this.ort.Tensor('float32', data, [1, 3, geometry.paddedHeight, geometry.paddedWidth]);
    const session: InferenceSession = this.model.session;
    const out = await session.run({ [s.onnx.inputs[0]!.name]: input });
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

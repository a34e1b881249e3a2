import { type BoxEmbeddings, l2NormalizeRows } from '../../core/models/mot/detector-feature-reid.ts';
import { type OnnxReidSettings, reidCrops } from '../../core/models/mot/reid-settings.ts';
import { loadModelOpenDims } from '../model-open-dims.ts';
import type { LoadedModel, LoadOptions, OrtModule, OrtTensorModule } from '../model-session.ts';
import type { ReidRunner } from './reid-runner.ts';

/**
 * A trained ReID network (MMTracking's `BaseReID` exported to ONNX) on crops of the boxes: all crops in one run
 * when the graph's batch dim is open, else one run per crop; embeddings L2-normalised.
 */
export class OnnxReidRunner implements ReidRunner {
  private readonly batched: boolean;

  private constructor(
    private readonly ort: OrtTensorModule,
    readonly model: LoadedModel,
    readonly settings: OnnxReidSettings,
  ) {
    const batch = settings.onnx.inputs[0]?.shape?.[0];
    this.batched = batch === undefined || batch === null || typeof batch === 'string';
  }

  static async load(ort: OrtModule & OrtTensorModule, bytes: Uint8Array, fileName: string, settings: OnnxReidSettings, options: LoadOptions): Promise<OnnxReidRunner> {
    return new OnnxReidRunner(ort, await loadModelOpenDims(ort, bytes, fileName, settings.onnx, options), settings);
  }

  async embed(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, boxes: Float32Array): Promise<BoxEmbeddings> {
    const s = this.settings;
    const n = boxes.length / 4;
    const [h, w] = s.imgScale;
    const crops = reidCrops(rgba, width, height, boxes, s.imgScale, s.norm);
    const inName = s.onnx.inputs[0]!.name;
    const outName = s.onnx.outputs[0]!.name;
    const run = async (data: Float32Array, count: number): Promise<{ data: Float32Array; dim: number }> => {
      const input = new this.ort.Tensor('float32', data, [count, 3, h, w]);
      const out = await this.model.session.run({ [inName]: input });
      input.dispose();
      const e = out[outName];
      if (!e) throw new Error(`onnx.reid: the graph returned ${Object.keys(out).join(', ')}, expected ${outName}`);
      const dim = e.dims.slice(1).reduce((a, b) => a * b, 1);
      if (e.dims[0] !== count) throw new Error(`onnx.reid: ${count} crops gave embeddings of shape [${e.dims.join(', ')}]`);
      const copy = Float32Array.from(e.data as Float32Array);
      e.dispose();
      return { data: copy, dim };
    };
    if (n === 0) return { data: new Float32Array(0), dim: 0 };
    let result: { data: Float32Array; dim: number };
    if (this.batched) result = await run(crops, n);
    else {
      const size = 3 * h * w;
      const rows: Float32Array[] = [];
      let dim = 0;
      for (let i = 0; i < n; i++) {
        const r = await run(crops.subarray(i * size, (i + 1) * size), 1);
        rows.push(r.data);
        dim = r.dim;
      }
      const data = new Float32Array(n * dim);
      rows.forEach((r, i) => data.set(r, i * dim));
      result = { data, dim };
    }
    return l2NormalizeRows(result.data, result.dim);
  }

  release(): Promise<void> {
    return this.model.session.release();
  }
}

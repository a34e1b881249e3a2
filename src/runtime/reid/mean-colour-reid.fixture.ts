// A tiny "ReID network" for tests, written with the project's own ONNX encoder: crops [N, 3, h, w] → their channel
// means [N, 3] (GlobalAveragePool + Flatten). Its embeddings are known by hand, so the crop, normalisation,
// batching and L2 steps around a real ONNX Runtime session can be checked exactly.
import { OnnxDataType } from '../convert/onnx-proto.ts';
import { encodeOnnxModel } from '../convert/onnx-proto.ts';

/** @param batch 'N' for an open batch dim (one run for all crops), 1 for a graph exported with batch 1. */
export function meanColourReidOnnx(batch: 'N' | 1, size: readonly [number, number] = [256, 128]): Uint8Array {
  return encodeOnnxModel({
    irVersion: 8,
    opsetImports: [{ domain: '', version: 17 }],
    producerName: 'mmtrack-web tests',
    producerVersion: '0',
    graph: {
      name: 'mean_colour_reid',
      nodes: [
        { opType: 'GlobalAveragePool', inputs: ['input'], outputs: ['pooled'], name: 'pool' },
        { opType: 'Flatten', inputs: ['pooled'], outputs: ['output'], name: 'flatten', attributes: [{ name: 'axis', type: 'INT', i: 1 }] },
      ],
      initializers: [],
      inputs: [{ name: 'input', elemType: OnnxDataType.FLOAT, shape: [batch, 3, size[0], size[1]] }],
      outputs: [{ name: 'output', elemType: OnnxDataType.FLOAT, shape: [batch, 3] }],
    },
  });
}

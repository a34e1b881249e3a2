import { describe, expect, it } from 'vitest';
import { assignModelFiles } from './assign-model-files.ts';
import type { OnnxModelSpec } from './onnx-spec.ts';

const spec = (role: string, file: string) => ({ role, file, inputs: [], outputs: [] }) as unknown as OnnxModelSpec;
const fasterRcnn = [spec('backbone', 'tracktor_mot17/backbone.onnx'), spec('bbox_head', 'tracktor_mot17/bbox_head.onnx')];

describe('assignModelFiles', () => {
  it("matches the config's file names, then role names, then the one file left to the one entry left", () => {
    expect(assignModelFiles(fasterRcnn, ['bbox_head.onnx', 'BACKBONE.onnx'])).toEqual(new Map([['bbox_head', 0], ['backbone', 1]]));
    expect(assignModelFiles(fasterRcnn, ['frcnn_backbone_v2.onnx', 'frcnn_bbox_head_v2.onnx'])).toEqual(new Map([['backbone', 0], ['bbox_head', 1]]));
    expect(assignModelFiles(fasterRcnn, ['backbone.onnx', 'head.onnx'])).toEqual(new Map([['backbone', 0], ['bbox_head', 1]]));
    expect(assignModelFiles([spec('detector', 'centernet.onnx')], ['anything.onnx'])).toEqual(new Map([['detector', 0]]));
  });

  it('leaves entries without a file open (remembered ones fill them) and names a file that fits no entry', () => {
    expect(assignModelFiles(fasterRcnn, ['backbone.onnx'])).toEqual(new Map([['backbone', 0]]));
    expect(() => assignModelFiles(fasterRcnn, ['a.onnx', 'b.onnx'])).toThrow("a.onnx, b.onnx: not one of this config's model files; it needs onnx.backbone (backbone.onnx), onnx.bbox_head (bbox_head.onnx)");
    expect(() => assignModelFiles([spec('detector', 'x.onnx')], ['x.onnx', 'y.onnx'])).toThrow(/^y\.onnx: not one of/);
  });
});

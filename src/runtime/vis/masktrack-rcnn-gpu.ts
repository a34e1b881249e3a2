/**
 * MaskTrack R-CNN on one GPUDevice shared with onnxruntime-web (steps as in src/core/models/vis/masktrack-rcnn.ts).
 * The FPN features never leave the GPU: Faster R-CNN's GPU tail gives the boxes, our RoIAlign kernel makes the mask
 * and track RoI features where ORT wrote the maps, the mask head's logits go straight into the paste kernel, and
 * what comes back is the masks as bits and the embeddings (N x D floats) for the tracker.
 */
import type { InferenceSession } from 'onnxruntime-web';
import type { ImageMeta } from '../../core/models/det/faster-rcnn.ts';
import { frameBoxesToProposals, imageMeta, proposalRois } from '../../core/models/det/faster-rcnn.ts';
import type { MaskTrackRcnnModel } from '../../core/models/vis/masktrack-rcnn-config.ts';
import { checkEmbeddings, checkMaskPred, classMajor, noDetections, pasteBoxes, type VisFrameResult, type VisGraphRole } from '../../core/models/vis/masktrack-rcnn.ts';
import type { SingleRoiExtractorOptions } from '../../core/ops/roi-align.ts';
import { outputHW } from '../../core/ops/roi-align.ts';
import { MaskTrackRcnnTracker } from '../../core/trackers/masktrack-rcnn-tracker.ts';
import { readBuffer, uploadBuffer } from '../../gpu/device.ts';
import type { KernelContext } from '../../gpu/kernel-program.ts';
import { pasteMasksGpu, readBitMasks } from '../../gpu/paste-mask.ts';
import { preprocessFrame } from '../../gpu/preprocess.ts';
import { type GpuFeatureMap, singleRoiExtractorGpu } from '../../gpu/roi-align.ts';
import { gpuTwoStageDetections } from '../detectors/faster-rcnn-gpu.ts';
import { asGpuMap, type GpuOutput, type GpuTensor, keepOutputs, type OrtGpuModule, runOnGpu } from '../detectors/ort-gpu-run.ts';

const METHOD = 'MaskTrack R-CNN';

/** Runs one of the four graphs on GPU inputs; outputs stay on the GPU. */
export type VisGpuRunGraph = (role: VisGraphRole, feeds: Record<string, GpuTensor>) => Promise<Record<string, GpuOutput>>;

/** A {@link VisGpuRunGraph} over onnxruntime-web sessions on the WebGPU EP. */
export function ortVisGpuRunGraph(ort: OrtGpuModule, sessions: Record<VisGraphRole, InferenceSession>): VisGpuRunGraph {
  return (role, feeds) => runOnGpu(ort, sessions[role], feeds, `${METHOD} ${role}`);
}

export class MaskTrackRcnnGpuRunner {
  readonly tracker: MaskTrackRcnnTracker;

  constructor(
    readonly model: MaskTrackRcnnModel,
    private readonly run: VisGpuRunGraph,
    private readonly kernels: KernelContext,
  ) {
    this.tracker = new MaskTrackRcnnTracker(model.tracker);
  }

  /** From a frame: texture → pre-processing kernel → {@link trackTensor}. */
  async track(source: GPUCopyExternalImageSource, width: number, height: number, frameId: number): Promise<VisFrameResult> {
    const pre = await preprocessFrame(this.kernels, source, width, height, this.model.detector.preprocess);
    const g = pre.geometry;
    try {
      return await this.trackTensor({ buffer: pre.tensor, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, imageMeta(g), width, height, frameId);
    } finally {
      pre.tensor.destroy();
    }
  }

  /** From a pre-processed `[1, 3, H, W]` image in a GPU buffer of a `width` x `height` frame. */
  async trackTensor(image: GpuTensor, meta: ImageMeta, width: number, height: number, frameId: number): Promise<VisFrameResult> {
    const { detector, graphs, mask, trackHead } = this.model;
    const bb = detector.graphs.backbone;
    const out = await this.run('backbone', { [bb.input]: image });
    const kept = keepOutputs(out, [...bb.features, ...bb.rpnCls, ...bb.rpnReg], 'backbone', METHOD);
    try {
      const nf = bb.features.length;
      const feats = kept.slice(0, nf).map((t, i) => asGpuMap(t, `feature map '${bb.features[i]}'`, METHOD));
      const cls = kept.slice(nf, nf + bb.rpnCls.length);
      const reg = kept.slice(nf + bb.rpnCls.length);
      const twoStage = { kernels: this.kernels, rpn: detector.settings.rpn, rcnn: detector.settings.rcnn, bboxHead: detector.graphs.bboxHead, runBboxHead: (feeds: Record<string, GpuTensor>) => this.run('bbox_head', feeds) };
      // 1-2.
      const { detections: scoreOrder } = await gpuTwoStageDetections(twoStage, feats, cls, reg, meta, { ort: 0, readback: 0 });
      const detections = classMajor(scoreOrder);
      const n = detections.scores.length;
      if (n === 0) return noDetections(this.tracker, frameId, width, height);
      const rois = frameBoxesToProposals(detections.boxes, meta);
      // 3. Mask RoIs → mask head → paste, all on the GPU; the bits come back.
      const maskPred = await this.head('mask_head', graphs.maskHead, feats, rois, mask.roiExtractor);
      let masks: VisFrameResult['masks'];
      try {
        checkMaskPred(maskPred.dims, n, mask);
        const labels = uploadBuffer(this.kernels.device, detections.labels, 'labels');
        const hostBoxes = pasteBoxes(rois, meta);
        const boxes = uploadBuffer(this.kernels.device, hostBoxes, 'paste boxes');
        const bits = await pasteMasksGpu(this.kernels, { maskPred: maskPred.buffer, labels, boxes, hostBoxes, count: n, channels: mask.channels, size: mask.maskSize, width, height, threshold: mask.threshold });
        labels.destroy();
        boxes.destroy();
        masks = await readBitMasks(this.kernels, bits, n, width, height);
        bits.destroy();
      } finally {
        maskPred.dispose();
      }
      // 4. Track RoIs → track head; the embeddings come back for the tracker.
      const embed = await this.head('track_head', graphs.trackHead, feats, rois, trackHead.roiExtractor);
      let embeddings: Float32Array;
      try {
        checkEmbeddings(embed.dims, n);
        embeddings = await readBuffer(this.kernels.device, embed.buffer, Float32Array, n * embed.dims[1]!);
      } finally {
        embed.dispose();
      }
      const ids = this.tracker.track(frameId, { ...detections, embeddings, dim: embed.dims[1]! });
      return { detections: { ...detections, ids }, masks };
    } finally {
      for (const t of kept) t.dispose();
    }
  }

  /** RoIAlign of `rois` (resized-image pixels) by our kernel with `extractor`, then the head's one output. */
  private async head(role: 'mask_head' | 'track_head', graph: MaskTrackRcnnModel['graphs']['maskHead'], feats: GpuFeatureMap[], rois: Float32Array, extractor: SingleRoiExtractorOptions): Promise<GpuOutput> {
    const k = rois.length / 4;
    const roiBuffer = uploadBuffer(this.kernels.device, proposalRois(rois), 'rois');
    const roiFeats = await singleRoiExtractorGpu(this.kernels, feats, roiBuffer, k, extractor);
    roiBuffer.destroy();
    const [oh, ow] = outputHW(extractor.roiLayer.outputSize);
    try {
      const out = await this.run(role, { [graph.input]: { buffer: roiFeats, dims: [k, feats[0]!.shape[1], oh, ow] } });
      return keepOutputs(out, [graph.output], role, METHOD)[0]!;
    } finally {
      roiFeats.destroy();
    }
  }
}

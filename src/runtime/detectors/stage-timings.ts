/** Milliseconds per pipeline stage of one frame, shown in the app's timing panel and printed by benchmarks. */
export interface StageTimings {
  preprocess: number;
  ort: number;
  kernels: number;
  readback: number;
  /** DeepSORT's appearance embeddings (features graph + RoIAlign), when the config has `model.reid`. */
  reid?: number;
  /**
   * A VID method's own stages (DFF: backbone on key frames, flow and warp on the others, head), in order, and whether
   * the frame was a key frame.
   */
  video?: { keyFrame: boolean; stages: { name: string; ms: number }[]; window?: number[] };
  total: number;
}

export function emptyTimings(): StageTimings {
  return { preprocess: 0, ort: 0, kernels: 0, readback: 0, total: 0 };
}

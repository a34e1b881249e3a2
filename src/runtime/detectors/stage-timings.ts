/** Milliseconds per pipeline stage of one frame, shown in the app's timing panel and printed by benchmarks. */
export interface StageTimings {
  preprocess: number;
  ort: number;
  kernels: number;
  readback: number;
  /** DeepSORT's appearance embeddings (features graph + RoIAlign), when the config has `model.reid`. */
  reid?: number;
  total: number;
}

export function emptyTimings(): StageTimings {
  return { preprocess: 0, ort: 0, kernels: 0, readback: 0, total: 0 };
}

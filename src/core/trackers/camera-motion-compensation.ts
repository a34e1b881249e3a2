/**
 * MMTracking's `CameraMotionCompensation`
 * (https://github.com/open-mmlab/mmtracking/blob/master/mmtrack/models/motion/camera_motion_compensation.py):
 * the camera motion between two frames by ECC ({@link findTransformEcc}), applied to the tracks' last boxes so that
 * Tracktor regresses them from where they now are.
 */
import { type EccOptions, EccError, type GrayImage, type MotionType, findTransformEcc, identityWarp } from './ecc.ts';

/** The config keys, exactly MMTracking's. */
export interface CameraMotionCompensationParams {
  /** `'cv2.MOTION_TRANSLATION' | 'cv2.MOTION_EUCLIDEAN' | 'cv2.MOTION_AFFINE'` (default Euclidean). */
  warp_mode?: string;
  /** Iterations at most (default 50). */
  num_iters?: number;
  /** Stop when the correlation changes by less than this (default 0.001). */
  stop_eps?: number;
}

/** The `warp_mode` strings MMTracking evaluates (`eval('cv2.MOTION_...')`), and what they mean here. */
export const WARP_MODES: Readonly<Record<string, MotionType>> = {
  'cv2.MOTION_TRANSLATION': 'translation',
  'cv2.MOTION_EUCLIDEAN': 'euclidean',
  'cv2.MOTION_AFFINE': 'affine',
};

export class CameraMotionCompensation {
  readonly warpMode: string;
  readonly numIters: number;
  readonly stopEps: number;
  /** How the last {@link getWarpMatrix} went: `'ok'`, or why ECC failed and the identity was used. */
  lastStatus = 'ok';
  private readonly motionType: MotionType;

  constructor(params: CameraMotionCompensationParams = {}) {
    this.warpMode = params.warp_mode ?? 'cv2.MOTION_EUCLIDEAN';
    const motionType = WARP_MODES[this.warpMode];
    if (!motionType) {
      throw new Error(`CameraMotionCompensation: warp_mode '${this.warpMode}' is not supported; use one of ${Object.keys(WARP_MODES).join(', ')} (the boxes are warped by a 2x3 matrix)`);
    }
    this.motionType = motionType;
    this.numIters = params.num_iters ?? 50;
    this.stopEps = params.stop_eps ?? 0.001;
    if (!(Number.isInteger(this.numIters) && this.numIters >= 1)) throw new Error(`CameraMotionCompensation: num_iters must be an integer >= 1, got ${this.numIters}`);
    if (!(this.stopEps >= 0)) throw new Error(`CameraMotionCompensation: stop_eps must be >= 0, got ${this.stopEps}`);
  }

  /**
   * `get_warp_matrix(img, ref_img)`: the 2x3 warp (row-major `[6]`) taking frame-pixel positions in `image` (the
   * previous frame) to `refImage` (the current one). Both images must have the same size and `scale`. Where ECC
   * does not converge (OpenCV would throw and stop MMTracking's run), the identity is returned and
   * {@link lastStatus} says why.
   */
  getWarpMatrix(image: GrayImage, refImage: GrayImage): Float64Array {
    const scale = image.scale ?? 1;
    if ((refImage.scale ?? 1) !== scale) throw new Error(`CameraMotionCompensation: images of different scales (${scale} and ${refImage.scale ?? 1})`);
    if (!(scale > 0)) throw new Error(`CameraMotionCompensation: image scale must be > 0, got ${scale}`);
    const options: EccOptions = { motionType: this.motionType, numIters: this.numIters, stopEps: this.stopEps };
    let warp: Float64Array;
    try {
      warp = findTransformEcc(image, refImage, options).warp;
      this.lastStatus = 'ok';
    } catch (err) {
      if (!(err instanceof EccError)) throw err;
      this.lastStatus = err.message;
      return identityWarp();
    }
    // Image pixels u = s·x: x' = A x + t / s.
    warp[2] = warp[2]! / scale;
    warp[5] = warp[5]! / scale;
    return warp;
  }

  /** `warp_bboxes`: both corners of each `x1, y1, x2, y2` box (`[n*4]`) through the warp, in place. */
  warpBboxes(boxes: Float64Array | Float32Array, warp: ArrayLike<number>): void {
    const [a, b, c, d, e, f] = [warp[0]!, warp[1]!, warp[2]!, warp[3]!, warp[4]!, warp[5]!];
    for (let k = 0; k + 1 < boxes.length; k += 2) {
      const x = boxes[k]!;
      const y = boxes[k + 1]!;
      boxes[k] = a * x + b * y + c;
      boxes[k + 1] = d * x + e * y + f;
    }
  }
}

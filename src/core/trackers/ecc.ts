/**
 * Enhanced Correlation Coefficient image alignment: G. D. Evangelidis and E. Z. Psarakis, "Parametric Image
 * Alignment Using Enhanced Correlation Coefficient Maximization", IEEE TPAMI 30(10), 2008
 * (https://doi.org/10.1109/TPAMI.2008.113), as OpenCV's `cv::findTransformECC`
 * (https://github.com/opencv/opencv/blob/4.x/modules/video/src/ecc.cpp) computes it, which MMTracking's
 * `CameraMotionCompensation` calls. Pure TypeScript on grayscale float images; see docs/mot.md for why.
 *
 * Finds the warp `W` (2x3, row-major `[w00, w01, w02, w10, w11, w12]`) such that `input(W(x)) ≈ template(x)`:
 * a point `x` of the template (the previous frame) lies at `W(x)` in the input (the current frame).
 *
 * Each iteration (Algorithm 1 of the paper, the "forward additive" form OpenCV uses):
 * 1. warp the input and its gradients back onto the template grid (bilinear);
 * 2. zero-mean both over the pixels that land inside the input; `rho` = their correlation coefficient;
 * 3. Jacobian `J` of the warped input with respect to the warp parameters, Hessian `H = Jᵀ J`;
 * 4. `lambda` (photometric scale) from the projections of both images onto `J`;
 * 5. `Δp = H⁻¹ Jᵀ (lambda · template − input)`, added to the parameters;
 * until `num_iters` iterations or `|rho − previous rho| < stop_eps`.
 *
 * Differences from OpenCV, both deliberate: (a) a coarse-to-fine Gaussian pyramid (OpenCV's `pyrDown`, coarsest
 * level about 32 px on its short side) runs the same iteration at each level, starting from the coarser level's
 * warp (a coarse level that fails to converge is skipped), so large camera motion converges and the
 * full-resolution level needs few iterations; (b) a template pixel counts only when
 * its warped position lies inside the input (OpenCV also counts pixels up to half a pixel outside, blended with 0),
 * and interpolation is exact bilinear rather than OpenCV's 1/32-pixel tables. No Gaussian pre-smoothing
 * (MMTracking passes `gaussFiltSize = 1`).
 */

/** A single-channel image: `data[y * width + x]`, any intensity range. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
  /**
   * Image pixels per frame pixel (`u = scale · x`): 1 when the image is the frame itself, 0.25 for a quarter-size
   * copy. Only {@link CameraMotionCompensation} reads it, to express the warp in frame pixels. Default 1.
   */
  readonly scale?: number;
}

/** OpenCV's `MOTION_TRANSLATION` (2 parameters), `MOTION_EUCLIDEAN` (3) and `MOTION_AFFINE` (6). */
export type MotionType = 'translation' | 'euclidean' | 'affine';

export interface EccOptions {
  motionType: MotionType;
  /** Iterations per pyramid level at most (`TERM_CRITERIA_COUNT`). */
  numIters: number;
  /** Stop a level when the correlation coefficient changes by less than this (`TERM_CRITERIA_EPS`). */
  stopEps: number;
  /** Number of halvings below the given resolution; default: until the short side would drop below 32 px. */
  pyramidLevels?: number;
}

export interface EccResult {
  /** `[6]` row-major 2x3 warp, template → input, in the given images' pixels. */
  warp: Float64Array;
  /** Final enhanced correlation coefficient (in [-1, 1]). */
  rho: number;
  /** Iterations run, all levels together. */
  iterations: number;
}

/** Thrown where OpenCV raises `StsNoConv`: images without overlap or correlation, NaN. */
export class EccError extends Error {
  override name = 'EccError';
}

const MIN_PYRAMID_SIDE = 32;

/** Identity 2x3 warp. */
export function identityWarp(): Float64Array {
  return Float64Array.of(1, 0, 0, 0, 1, 0);
}

/**
 * `cv::findTransformECC(template, input, warp, motionType, criteria, noMask, 1)` with the pyramid described above.
 * @param initialWarp start value in full-resolution pixels (default identity). @throws {@link EccError}.
 */
export function findTransformEcc(template: GrayImage, input: GrayImage, options: EccOptions, initialWarp: ArrayLike<number> = identityWarp()): EccResult {
  checkImage('template', template);
  checkImage('input', input);
  if (template.width !== input.width || template.height !== input.height) {
    throw new Error(`findTransformEcc: template is ${template.width}x${template.height}, input ${input.width}x${input.height}`);
  }
  const autoLevels = Math.max(0, Math.floor(Math.log2(Math.min(template.width, template.height) / MIN_PYRAMID_SIDE)));
  const levels = options.pyramidLevels ?? autoLevels;
  const templates: GrayImage[] = [template];
  const inputs: GrayImage[] = [input];
  for (let l = 0; l < levels; l++) {
    const t = templates[templates.length - 1]!;
    if (Math.min(t.width, t.height) < 4) break;
    templates.push(pyrDown(t));
    inputs.push(pyrDown(inputs[inputs.length - 1]!));
  }
  // Start at the coarsest level: bring the initial warp down, level by level.
  const warp = Float64Array.from(initialWarp);
  for (let l = 1; l < templates.length; l++) toCoarser(warp);
  let rho = 0;
  let iterations = 0;
  for (let l = templates.length - 1; l >= 0; l--) {
    const before = warp.slice();
    try {
      const r = eccLevel(templates[l]!, inputs[l]!, warp, options);
      rho = r.rho;
      iterations += r.iterations;
    } catch (err) {
      // A coarse level may lack the texture to converge: go on from the warp it started with.
      if (!(err instanceof EccError) || l === 0) throw err;
      warp.set(before);
    }
    if (l > 0) toFiner(warp);
  }
  return { warp, rho, iterations };
}

/** `pyrDown` keeps every other pixel: `x_f = 2 x_c`, so the translation doubles. */
function toFiner(w: Float64Array): void {
  w[2] = 2 * w[2]!;
  w[5] = 2 * w[5]!;
}

function toCoarser(w: Float64Array): void {
  w[2] = w[2]! / 2;
  w[5] = w[5]! / 2;
}

/**
 * OpenCV's `pyrDown`: smooth with the 5-tap binomial kernel `[1 4 6 4 1] / 16` in x and y
 * (`BORDER_REFLECT_101`), keep every other pixel; the result is `ceil(w / 2) x ceil(h / 2)`.
 */
export function pyrDown(img: GrayImage): GrayImage {
  const { width: w, height: h, data: src } = img;
  const width = Math.ceil(w / 2);
  const height = Math.ceil(h / 2);
  const k = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];
  const reflect = (i: number, n: number): number => {
    if (n === 1) return 0;
    let j = i;
    while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j;
    return j;
  };
  // Horizontal pass at the kept columns, then vertical at the kept rows.
  const tmp = new Float32Array(width * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let t = -2; t <= 2; t++) s += k[t + 2]! * src[y * w + reflect(2 * x + t, w)]!;
      tmp[y * width + x] = s;
    }
  }
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let t = -2; t <= 2; t++) s += k[t + 2]! * tmp[reflect(2 * y + t, h) * width + x]!;
      data[y * width + x] = s;
    }
  }
  return { width, height, data };
}

/** OpenCV's `filter2D` with `[-0.5, 0, 0.5]` along x and y, `BORDER_REFLECT_101` (zero at the edges). */
function gradients(img: GrayImage): { gx: Float32Array; gy: Float32Array } {
  const { width: w, height: h, data } = img;
  const gx = new Float32Array(w * h);
  const gy = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const up = y === 0 ? Math.min(1, h - 1) : y - 1;
    const down = y === h - 1 ? Math.max(h - 2, 0) : y + 1;
    for (let x = 0; x < w; x++) {
      const left = x === 0 ? Math.min(1, w - 1) : x - 1;
      const right = x === w - 1 ? Math.max(w - 2, 0) : x + 1;
      gx[y * w + x] = 0.5 * (data[y * w + right]! - data[y * w + left]!);
      gy[y * w + x] = 0.5 * (data[down * w + x]! - data[up * w + x]!);
    }
  }
  return { gx, gy };
}

function numParams(motion: MotionType): number {
  return motion === 'translation' ? 2 : motion === 'euclidean' ? 3 : 6;
}

/** One level of OpenCV's iteration; updates `warp` in place. */
function eccLevel(template: GrayImage, input: GrayImage, warp: Float64Array, options: EccOptions): { rho: number; iterations: number } {
  const { motionType, numIters, stopEps } = options;
  const np = numParams(motionType);
  const { gx, gy } = gradients(input);
  const tw = template.width;
  const th = template.height;
  const iw = input.width;
  const ih = input.height;
  const tdata = template.data;
  const idata = input.data;
  const jac = new Float64Array(np);
  const hess = new Float64Array(np * np);
  const sumJ = new Float64Array(np);
  const sumJI = new Float64Array(np);
  const sumJT = new Float64Array(np);
  let rho = -1;
  let lastRho = -stopEps;
  let it: number;
  for (it = 1; it <= numIters && Math.abs(rho - lastRho) >= stopEps; it++) {
    const [w00, w01, w02, w10, w11, w12] = warp as unknown as [number, number, number, number, number, number];
    const cosT = w00;
    const sinT = w10;
    hess.fill(0);
    sumJ.fill(0);
    sumJI.fill(0);
    sumJT.fill(0);
    let count = 0;
    let sumI = 0;
    let sumT = 0;
    let sumII = 0;
    let sumTT = 0;
    let sumIT = 0;
    // Steps 1-3 in one pass: warped input, its gradients, the Jacobian, and every sum the step needs.
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        const X = w00 * x + w01 * y + w02;
        const Y = w10 * x + w11 * y + w12;
        if (!(X >= 0 && Y >= 0 && X <= iw - 1 && Y <= ih - 1)) continue;
        const x0 = Math.min(Math.floor(X), iw - 2 < 0 ? 0 : iw - 2);
        const y0 = Math.min(Math.floor(Y), ih - 2 < 0 ? 0 : ih - 2);
        const fx = X - x0;
        const fy = Y - y0;
        const x1 = Math.min(x0 + 1, iw - 1);
        const y1 = Math.min(y0 + 1, ih - 1);
        const a = (1 - fx) * (1 - fy);
        const b = fx * (1 - fy);
        const c = (1 - fx) * fy;
        const d = fx * fy;
        const p00 = y0 * iw + x0;
        const p01 = y0 * iw + x1;
        const p10 = y1 * iw + x0;
        const p11 = y1 * iw + x1;
        const iv = a * idata[p00]! + b * idata[p01]! + c * idata[p10]! + d * idata[p11]!;
        const gxv = a * gx[p00]! + b * gx[p01]! + c * gx[p10]! + d * gx[p11]!;
        const gyv = a * gy[p00]! + b * gy[p01]! + c * gy[p10]! + d * gy[p11]!;
        const tv = tdata[y * tw + x]!;
        if (motionType === 'translation') {
          jac[0] = gxv;
          jac[1] = gyv;
        } else if (motionType === 'euclidean') {
          // d(W x)/dθ = (−x sinθ − y cosθ, x cosθ − y sinθ)
          jac[0] = gxv * (-x * sinT - y * cosT) + gyv * (x * cosT - y * sinT);
          jac[1] = gxv;
          jac[2] = gyv;
        } else {
          // OpenCV's parameter order: w00, w10, w01, w11, w02, w12.
          jac[0] = gxv * x;
          jac[1] = gyv * x;
          jac[2] = gxv * y;
          jac[3] = gyv * y;
          jac[4] = gxv;
          jac[5] = gyv;
        }
        count++;
        sumI += iv;
        sumT += tv;
        sumII += iv * iv;
        sumTT += tv * tv;
        sumIT += iv * tv;
        for (let k = 0; k < np; k++) {
          const jk = jac[k]!;
          sumJ[k] = sumJ[k]! + jk;
          sumJI[k] = sumJI[k]! + jk * iv;
          sumJT[k] = sumJT[k]! + jk * tv;
          for (let l = 0; l <= k; l++) hess[k * np + l] = hess[k * np + l]! + jk * jac[l]!;
        }
      }
    }
    if (count === 0) throw new EccError('ECC: the warped image does not overlap the template');
    for (let k = 0; k < np; k++) for (let l = 0; l < k; l++) hess[l * np + k] = hess[k * np + l]!;
    // Step 2: zero-mean sums; OpenCV's imgNorm² = N·var(input), tmpNorm² = N·var(template).
    const meanI = sumI / count;
    const meanT = sumT / count;
    const imgNorm2 = sumII - count * meanI * meanI;
    const tmpNorm2 = sumTT - count * meanT * meanT;
    const correlation = sumIT - count * meanI * meanT;
    lastRho = rho;
    rho = correlation / Math.sqrt(imgNorm2 * tmpNorm2);
    if (Number.isNaN(rho)) throw new EccError('ECC: NaN encountered (a flat image?)');
    const imageProjection = new Float64Array(np);
    const templateProjection = new Float64Array(np);
    for (let k = 0; k < np; k++) {
      imageProjection[k] = sumJI[k]! - meanI * sumJ[k]!;
      templateProjection[k] = sumJT[k]! - meanT * sumJ[k]!;
    }
    const hessInv = invertSymmetric(hess, np);
    if (!hessInv) throw new EccError('ECC: singular Hessian (too little texture)');
    // Step 4: lambda.
    const iph = matVec(hessInv, imageProjection, np);
    const lambdaN = imgNorm2 - dot(imageProjection, iph);
    const lambdaD = correlation - dot(templateProjection, iph);
    if (lambdaD <= 0) {
      throw new EccError('ECC: the algorithm stopped before its convergence; images may be uncorrelated or non-overlapped');
    }
    const lambda = lambdaN / lambdaD;
    // Step 5: Δp = H⁻¹ Jᵀ (lambda·templateZM − inputZM), Jᵀ applied term by term.
    const errorProjection = new Float64Array(np);
    for (let k = 0; k < np; k++) errorProjection[k] = lambda * templateProjection[k]! - imageProjection[k]!;
    const deltaP = matVec(hessInv, errorProjection, np);
    updateWarp(warp, deltaP, motionType);
  }
  return { rho, iterations: it - 1 };
}

/** OpenCV's `update_warping_matrix_ECC`. */
function updateWarp(w: Float64Array, dp: Float64Array, motion: MotionType): void {
  if (motion === 'translation') {
    w[2] = w[2]! + dp[0]!;
    w[5] = w[5]! + dp[1]!;
  } else if (motion === 'euclidean') {
    const theta = Math.asin(Math.max(-1, Math.min(1, w[3]!))) + dp[0]!;
    w[2] = w[2]! + dp[1]!;
    w[5] = w[5]! + dp[2]!;
    w[0] = w[4] = Math.cos(theta);
    w[3] = Math.sin(theta);
    w[1] = -w[3];
  } else {
    w[0] = w[0]! + dp[0]!;
    w[3] = w[3]! + dp[1]!;
    w[1] = w[1]! + dp[2]!;
    w[4] = w[4]! + dp[3]!;
    w[2] = w[2]! + dp[4]!;
    w[5] = w[5]! + dp[5]!;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

function matVec(m: Float64Array, v: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += m[i * n + j]! * v[j]!;
    out[i] = s;
  }
  return out;
}

/** Gauss–Jordan inverse with partial pivoting of a small `[n*n]` matrix; undefined when singular. */
function invertSymmetric(a: Float64Array, n: number): Float64Array | undefined {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (let k = 0; k < n * n; k++) scale = Math.max(scale, Math.abs(a[k]!));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]!) > Math.abs(m[pivot * n + col]!)) pivot = r;
    const pv = m[pivot * n + col]!;
    if (!(Math.abs(pv) > scale * 1e-14)) return undefined;
    if (pivot !== col) {
      for (let k = 0; k < n; k++) {
        [m[col * n + k], m[pivot * n + k]] = [m[pivot * n + k]!, m[col * n + k]!];
        [inv[col * n + k], inv[pivot * n + k]] = [inv[pivot * n + k]!, inv[col * n + k]!];
      }
    }
    for (let k = 0; k < n; k++) {
      m[col * n + k] = m[col * n + k]! / pv;
      inv[col * n + k] = inv[col * n + k]! / pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r * n + col]!;
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        m[r * n + k] = m[r * n + k]! - f * m[col * n + k]!;
        inv[r * n + k] = inv[r * n + k]! - f * inv[col * n + k]!;
      }
    }
  }
  return inv;
}

function checkImage(name: string, img: GrayImage): void {
  if (!(Number.isInteger(img.width) && Number.isInteger(img.height) && img.width > 0 && img.height > 0)) {
    throw new Error(`findTransformEcc: ${name} has size ${img.width}x${img.height}`);
  }
  if (img.data.length !== img.width * img.height) {
    throw new Error(`findTransformEcc: ${name} has ${img.data.length} values for ${img.width}x${img.height} pixels`);
  }
}

/**
 * Seeded NMS inputs shared by the CPU and GPU tests and the benchmark: clustered boxes (so that many
 * overlap), coordinates on a 1/8-pixel grid (float32 sums and products stay exact, so IoU ties at the
 * threshold are exact too), a few distinct score levels (ties) and some zero-area boxes.
 */
import { seededRandom } from './seeded-random.ts';

export interface NmsTestInput {
  boxes: Float32Array;
  scores: Float32Array;
  classIds: Int32Array;
}

export function randomNmsInput(n: number, options: { seed: number; numClasses: number; imageSize?: number; scoreLevels?: number }): NmsTestInput {
  const rand = seededRandom(options.seed);
  const size = options.imageSize ?? 1000;
  const grid = (v: number) => Math.round(v * 8) / 8;
  const boxes = new Float32Array(n * 4);
  const scores = new Float32Array(n);
  const classIds = new Int32Array(n);
  const clusters = Array.from({ length: Math.max(1, Math.floor(n / 20)) }, () => [rand() * size, rand() * size, 10 + rand() * 150, 10 + rand() * 150]);
  for (let i = 0; i < n; i++) {
    const [cx, cy, w, h] = clusters[Math.floor(rand() * clusters.length)]!;
    const bw = rand() < 0.02 ? 0 : w! * (0.7 + 0.6 * rand());
    const bh = bw === 0 ? rand() * 20 : h! * (0.7 + 0.6 * rand());
    const x = cx! + (rand() - 0.5) * w! * 0.5;
    const y = cy! + (rand() - 0.5) * h! * 0.5;
    // Clip to the image: boxes at the borders, as after a detector's decode.
    boxes[i * 4] = grid(Math.min(Math.max(x - bw / 2, 0), size));
    boxes[i * 4 + 1] = grid(Math.min(Math.max(y - bh / 2, 0), size));
    boxes[i * 4 + 2] = grid(Math.min(Math.max(x + bw / 2, 0), size));
    boxes[i * 4 + 3] = grid(Math.min(Math.max(y + bh / 2, 0), size));
    scores[i] = options.scoreLevels ? Math.floor(rand() * options.scoreLevels) / options.scoreLevels : rand();
    classIds[i] = Math.floor(rand() * options.numClasses);
  }
  return { boxes, scores, classIds };
}

import type { Detections } from '../../core/structures/detections.ts';
import type { OverlayScene } from '../../core/structures/overlay-scene.ts';

/** How many past frames a trail shows. */
export const TRAIL_FRAMES = 30;

/**
 * Overlay scenes of a MOT run, built frame by frame in order: boxes with ids and classes, fading trails of the last
 * TRAIL_FRAMES frames, the selected track highlighted. A live run adds one frame at a time (no rebuild per frame).
 */
export class SceneBuilder {
  /** id → recent [frame, cx, bottom] points, oldest first, at most TRAIL_FRAMES frames back. */
  private readonly centres = new Map<number, Array<[number, number, number]>>();
  readonly scenes = new Map<number, OverlayScene>();

  constructor(
    private readonly classNames: readonly string[],
    private readonly selected: number | null,
  ) {}

  add(f: number, d: Detections): void {
    const boxes = [];
    for (let i = 0; i < d.scores.length; i++) {
      const id = d.ids?.[i] ?? -1;
      const [x1, y1, x2, y2] = [d.boxes[i * 4]!, d.boxes[i * 4 + 1]!, d.boxes[i * 4 + 2]!, d.boxes[i * 4 + 3]!];
      boxes.push({ x1, y1, x2, y2, trackId: id, label: this.classNames[d.labels[i]!], score: d.scores[i]!, highlighted: this.selected === id });
      const list = this.centres.get(id) ?? [];
      list.push([f, (x1 + x2) / 2, y2]);
      while (list.length && list[0]![0] <= f - TRAIL_FRAMES) list.shift();
      this.centres.set(id, list);
    }
    const trails = [];
    for (const id of d.ids ?? []) {
      const recent = this.centres.get(id) ?? [];
      if (recent.length < 2) continue;
      const points = new Float32Array(recent.length * 2);
      recent.forEach(([, x, y], k) => points.set([x, y], k * 2));
      trails.push({ trackId: id, points });
    }
    this.scenes.set(f, { boxes, trails });
  }

  /** Every frame of `frames`, in order. */
  static of(frames: ReadonlyMap<number, Detections>, classNames: readonly string[], selected: number | null): SceneBuilder {
    const b = new SceneBuilder(classNames, selected);
    for (const [f, d] of [...frames.entries()].sort((a, c) => a[0] - c[0])) b.add(f, d);
    return b;
  }
}

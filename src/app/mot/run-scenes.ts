import type { Detections } from '../../core/structures/detections.ts';
import type { OverlayBox, OverlayScene, OverlayTrail, SceneLookup } from '../../core/structures/overlay-scene.ts';

/** How many past frames a trail shows. */
export const TRAIL_FRAMES = 30;

/** Scenes made and kept at once: the player redraws the frame shown, the exporter walks forward. */
const CACHED_SCENES = 8;

/**
 * Overlay scenes of a MOT run: boxes with ids and classes, fading trails of the last TRAIL_FRAMES frames, the
 * selected track highlighted. A scene is made when a frame is drawn, from the run's tracked boxes, and not kept: a
 * long run holds its tracks, not a scene a frame. A frame's scene never changes once tracked (a re-track or a new
 * selection makes a new view), so the last few made are reused, and a frame drawn twice is the same object.
 */
export class RunScenes implements SceneLookup {
  private readonly made = new Map<number, OverlayScene>();

  constructor(
    /** The run's tracked boxes by frame (read live: a running run's frames appear here as they are tracked). */
    private readonly frames: ReadonlyMap<number, Detections>,
    private readonly classNames: readonly string[],
    private readonly selected: number | null,
  ) {}

  /** Tracked frames (for tests and tools; the overlay only calls `get`). */
  get size(): number {
    return this.frames.size;
  }

  /** Every tracked frame's scene, in frame order (for tests and tools: it makes them all). */
  *values(): IterableIterator<OverlayScene> {
    for (const f of [...this.frames.keys()].sort((a, b) => a - b)) yield this.get(f)!;
  }

  get(f: number): OverlayScene | undefined {
    let scene = this.made.get(f);
    if (scene) return scene;
    const d = this.frames.get(f);
    if (!d) return undefined;
    scene = { boxes: this.boxes(d), trails: this.trails(f, d) };
    if (this.made.size >= CACHED_SCENES) this.made.delete(this.made.keys().next().value!);
    this.made.set(f, scene);
    return scene;
  }

  private boxes(d: Detections): OverlayBox[] {
    const boxes: OverlayBox[] = [];
    for (let i = 0; i < d.scores.length; i++) {
      const id = d.ids?.[i] ?? -1;
      boxes.push({ x1: d.boxes[i * 4]!, y1: d.boxes[i * 4 + 1]!, x2: d.boxes[i * 4 + 2]!, y2: d.boxes[i * 4 + 3]!, trackId: id, label: this.classNames[d.labels[i]!], score: d.scores[i]!, highlighted: this.selected === id });
    }
    return boxes;
  }

  /** Each of frame f's tracks: its bottom centres over frames f-TRAIL_FRAMES+1..f, oldest first, as x, y pairs. */
  private trails(f: number, d: Detections): OverlayTrail[] {
    if (!d.ids) return [];
    const centres = new Map<number, number[]>();
    for (const id of d.ids) centres.set(id, []);
    for (let k = Math.max(0, f - TRAIL_FRAMES + 1); k <= f; k++) {
      const past = this.frames.get(k);
      if (!past?.ids) continue;
      for (let i = 0; i < past.ids.length; i++) {
        const list = centres.get(past.ids[i]!);
        if (list) list.push((past.boxes[i * 4]! + past.boxes[i * 4 + 2]!) / 2, past.boxes[i * 4 + 3]!);
      }
    }
    const trails: OverlayTrail[] = [];
    for (const [id, points] of centres) if (points.length >= 4) trails.push({ trackId: id, points: Float32Array.from(points) });
    return trails;
  }
}

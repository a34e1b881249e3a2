import { create } from 'zustand';
import type { OverlayScene, SceneLookup } from '../../core/structures/overlay-scene.ts';

/**
 * Per-frame overlay scenes (0-based frame index → what to draw). Task results (detections, tracks, masks) are
 * turned into scenes by their own stores and put here; the player and the exporter only read them.
 */
export interface OverlayState {
  /**
   * The store's own map (`setScenes`; `putScene` adds to it in place, so a live run costs one entry a frame, not a
   * copy), or a task's view that makes each scene when it is drawn (`setSource`).
   */
  scenes: SceneLookup;
  /** Where the scenes came from, shown in the UI ("MOT17-02.txt", "ByteTrack run"...). */
  sourceLabel: string | null;
  /** Bumped on every change (readers that hold `scenes` itself re-read on it). */
  version: number;
  /** Replaces every scene (copied: the caller keeps its map). */
  setScenes: (scenes: ReadonlyMap<number, OverlayScene>, sourceLabel: string) => void;
  /**
   * Shows a view of a task's results as it is, not copied: a MOT run keeps its tracked boxes, not a scene a frame.
   * Its owner calls `touch()` when the view has more to show.
   */
  setSource: (source: SceneLookup, sourceLabel: string) => void;
  /** Tells subscribers the view shown has changed. */
  touch: () => void;
  /** Adds or replaces one frame's scene of the scenes shown now (`sourceLabel` must be theirs; else use setScenes). */
  putScene: (index: number, scene: OverlayScene) => void;
  clear: () => void;
}

export const useOverlayStore = create<OverlayState>()((set, get) => ({
  scenes: new Map(),
  sourceLabel: null,
  version: 0,
  setScenes: (scenes, sourceLabel) => set({ scenes: new Map(scenes), sourceLabel, version: get().version + 1 }),
  setSource: (source, sourceLabel) => set({ scenes: source, sourceLabel, version: get().version + 1 }),
  touch: () => set({ version: get().version + 1 }),
  putScene: (index, scene) => {
    const scenes = get().scenes;
    // setScenes always stores a Map of its own; a view is its owner's to change.
    if (!(scenes instanceof Map)) throw new Error(`putScene: the overlay shows a view (${get().sourceLabel ?? 'unlabelled'}), not scenes of its own`);
    scenes.set(index, scene);
    set({ version: get().version + 1 });
  },
  clear: () => set({ scenes: new Map(), sourceLabel: null, version: get().version + 1 }),
}));

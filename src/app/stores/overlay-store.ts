import { create } from 'zustand';
import type { OverlayScene } from '../../core/structures/overlay-scene.ts';

/**
 * Per-frame overlay scenes (0-based frame index → what to draw). Task results (detections, tracks, masks) are
 * turned into scenes by their own stores and put here; the player and the exporter only read them.
 */
export interface OverlayState {
  /** The store's own map: `putScene` adds to it in place, so a live run costs one entry a frame, not a copy. */
  scenes: ReadonlyMap<number, OverlayScene>;
  /** Where the scenes came from, shown in the UI ("MOT17-02.txt", "ByteTrack run"...). */
  sourceLabel: string | null;
  /** Bumped on every change (readers that hold `scenes` itself re-read on it). */
  version: number;
  /** Replaces every scene (copied: the caller keeps its map). */
  setScenes: (scenes: ReadonlyMap<number, OverlayScene>, sourceLabel: string) => void;
  /** Adds or replaces one frame's scene of the scenes shown now (`sourceLabel` must be theirs; else use setScenes). */
  putScene: (index: number, scene: OverlayScene) => void;
  clear: () => void;
}

export const useOverlayStore = create<OverlayState>()((set, get) => ({
  scenes: new Map(),
  sourceLabel: null,
  version: 0,
  setScenes: (scenes, sourceLabel) => set({ scenes: new Map(scenes), sourceLabel, version: get().version + 1 }),
  putScene: (index, scene) => {
    (get().scenes as Map<number, OverlayScene>).set(index, scene);
    set({ version: get().version + 1 });
  },
  clear: () => set({ scenes: new Map(), sourceLabel: null, version: get().version + 1 }),
}));

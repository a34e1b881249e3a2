import { create } from 'zustand';
import type { OverlayScene } from '../../core/structures/overlay-scene.ts';

/**
 * Per-frame overlay scenes (0-based frame index → what to draw). Task results (detections, tracks, masks) are
 * turned into scenes by their own stores and put here; the player and the exporter only read them.
 */
export interface OverlayState {
  scenes: ReadonlyMap<number, OverlayScene>;
  /** Where the scenes came from, shown in the UI ("MOT17-02.txt", "ByteTrack run"...). */
  sourceLabel: string | null;
  setScenes: (scenes: ReadonlyMap<number, OverlayScene>, sourceLabel: string) => void;
  clear: () => void;
}

export const useOverlayStore = create<OverlayState>()((set) => ({
  scenes: new Map(),
  sourceLabel: null,
  setScenes: (scenes, sourceLabel) => set({ scenes, sourceLabel }),
  clear: () => set({ scenes: new Map(), sourceLabel: null }),
}));

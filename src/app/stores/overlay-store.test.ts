import { describe, expect, it } from 'vitest';
import { useOverlayStore } from './overlay-store.ts';

describe('overlay store', () => {
  it('keeps its own copy of the scenes, adds one frame in place, and tells subscribers each time', () => {
    const mine = new Map([[0, { boxes: [] }]]);
    useOverlayStore.getState().setScenes(mine, 'run');
    mine.set(1, { boxes: [] });
    expect(useOverlayStore.getState().scenes.size).toBe(1);

    const seen: number[] = [];
    const unsubscribe = useOverlayStore.subscribe((s) => seen.push(s.scenes.get(5)?.boxes?.length ?? -1));
    const before = useOverlayStore.getState().scenes;
    useOverlayStore.getState().putScene(5, { boxes: [{ x1: 0, y1: 0, x2: 1, y2: 1 }] });
    unsubscribe();
    expect(useOverlayStore.getState().scenes).toBe(before);
    expect(useOverlayStore.getState().scenes.size).toBe(2);
    expect(seen).toEqual([1]);
    expect(useOverlayStore.getState().sourceLabel).toBe('run');
  });
});

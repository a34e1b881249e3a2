import { describe, expect, it } from 'vitest';
import type { OverlayScene } from '../../core/structures/overlay-scene.ts';
import { useOverlayStore } from './overlay-store.ts';

describe('overlay store', () => {
  it('keeps its own copy of the scenes, adds one frame in place, and tells subscribers each time', () => {
    const mine = new Map([[0, { boxes: [] }]]);
    useOverlayStore.getState().setScenes(mine, 'run');
    mine.set(1, { boxes: [] });
    expect((useOverlayStore.getState().scenes as Map<number, OverlayScene>).size).toBe(1);

    const seen: number[] = [];
    const unsubscribe = useOverlayStore.subscribe((s) => seen.push(s.scenes.get(5)?.boxes?.length ?? -1));
    const before = useOverlayStore.getState().scenes;
    useOverlayStore.getState().putScene(5, { boxes: [{ x1: 0, y1: 0, x2: 1, y2: 1 }] });
    unsubscribe();
    expect(useOverlayStore.getState().scenes).toBe(before);
    expect((useOverlayStore.getState().scenes as Map<number, OverlayScene>).size).toBe(2);
    expect(seen).toEqual([1]);
    expect(useOverlayStore.getState().sourceLabel).toBe('run');
  });

  it('shows a view as it is, tells subscribers on touch(), and refuses putScene into a view', () => {
    const frames = new Map<number, OverlayScene>([[0, { boxes: [] }]]);
    const view = { get: (f: number) => frames.get(f) };
    useOverlayStore.getState().setSource(view, 'live run');
    expect(useOverlayStore.getState().scenes).toBe(view);
    const versions: number[] = [];
    const unsubscribe = useOverlayStore.subscribe((s) => versions.push(s.version));
    frames.set(1, { boxes: [{ x1: 0, y1: 0, x2: 1, y2: 1 }] });
    useOverlayStore.getState().touch();
    unsubscribe();
    expect(versions).toHaveLength(1);
    expect(useOverlayStore.getState().scenes.get(1)?.boxes).toHaveLength(1);
    expect(() => useOverlayStore.getState().putScene(2, { boxes: [] })).toThrow(/putScene: the overlay shows a view \(live run\)/);
    useOverlayStore.getState().setScenes(new Map(), 'own');
    expect(() => useOverlayStore.getState().putScene(2, { boxes: [] })).not.toThrow();
  });
});

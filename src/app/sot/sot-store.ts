import { create } from 'zustand';
import { parseSotBoxes, writeSotBoxes } from '../../core/datasets/sot.ts';
import { evalOpeSequence, type OpeResult } from '../../core/eval/sot-ope.ts';
import type { XywhBox } from '../../core/models/sot/sot-tracker.ts';
import type { OverlayScene } from '../../core/structures/overlay-scene.ts';
import { SotClient } from '../../workers/sot-client.ts';
import { configStore } from '../config/config-store.ts';
import { useDetectStore } from '../detect/detect-store.ts';
import { derivedName, downloadBlob } from '../download.ts';
import { cloneFrame } from '../../media/decoded-frame.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { useOverlayStore } from '../stores/overlay-store.ts';

const MODEL_BASE = `${import.meta.env.BASE_URL}models/`;
const TARGET_COLOR = 'rgb(0, 230, 118)';

export interface SotResult {
  box: XywhBox;
  score: number;
  /** The user (re-)initialised here: the box is theirs. */
  init: boolean;
}

/** A SOT result drawn: the target's box, labelled `init` where the user drew it, else with the tracker's score. */
export function sotScene(r: SotResult): OverlayScene {
  const [x, y, w, h] = r.box;
  return { boxes: [{ x1: x, y1: y, x2: x + w, y2: y + h, label: r.init ? 'init' : 'target', score: r.init ? undefined : r.score, color: TARGET_COLOR }] };
}

export interface SotState {
  status: 'idle' | 'loading' | 'drawing' | 'tracking' | 'paused' | 'error';
  message: string | null;
  /** The box being drawn or adjusted (frame pixels), before Enter starts tracking. */
  draft: XywhBox | null;
  /**
   * Per 0-based frame; every re-initialisation is kept. The store's own map, added to in place as frames are tracked
   * (a copy a frame would cost O(frames) each frame of a long run): `resultsVersion` changes with it.
   */
  results: ReadonlyMap<number, SotResult>;
  resultsVersion: number;
  /** The latest frame (highest index) with a result, or null. */
  lastFrame: number | null;
  fps: number | null;
  /** ONNX files the user dropped, by file name. */
  modelFiles: Readonly<Record<string, ArrayBuffer>>;
  model: { type: string; files: string[] } | null;
  evaluation: { gtName: string; success: number; precision: number; normPrecision: number; curves: OpeResult } | null;
  startDrawing: () => void;
  setDraft: (box: XywhBox | null) => void;
  cancelDrawing: () => void;
  start: () => Promise<void>;
  /** A live camera's frame: loads the config's tracker if needed and initialises it on `frame` (transferred). */
  liveInit: (frame: ImageBitmap, box: XywhBox) => Promise<void>;
  /** A live camera's next frame (transferred): the target's box and score. */
  liveTrack: (frame: ImageBitmap) => Promise<{ box: XywhBox; score: number }>;
  pause: () => void;
  addModelFiles: (files: File[]) => Promise<void>;
  initFromGtFile: (file: File) => Promise<void>;
  exportTxt: () => void;
  evaluate: (file: File) => Promise<void>;
}

const client = new SotClient();
let loadedKey: string | null = null;
let stop = false;

export const useSotStore = create<SotState>()((set, get) => {
  const trajectoryLabel = (): string => `${get().model?.type ?? 'SOT'} trajectory`;

  function publish(): void {
    const scenes = new Map<number, OverlayScene>();
    for (const [f, r] of get().results) scenes.set(f, sotScene(r));
    useOverlayStore.getState().setScenes(scenes, trajectoryLabel());
  }

  /** Records frame `index`'s result in place; returns the state fields that tell subscribers. */
  function record(index: number, r: SotResult): Pick<SotState, 'resultsVersion' | 'lastFrame'> {
    (get().results as Map<number, SotResult>).set(index, r);
    const last = get().lastFrame;
    return { resultsVersion: get().resultsVersion + 1, lastFrame: last === null || index > last ? index : last };
  }

  /** A new, empty trajectory (a new video). */
  const emptyResults = (): Pick<SotState, 'results' | 'resultsVersion' | 'lastFrame'> => ({ results: new Map(), resultsVersion: get().resultsVersion + 1, lastFrame: null });

  /** Shows one newly tracked frame: added to the trajectory on screen, not a rebuild of every frame's scene. */
  function publishFrame(index: number): void {
    const overlay = useOverlayStore.getState();
    const r = get().results.get(index);
    if (overlay.sourceLabel === trajectoryLabel() && r) overlay.putScene(index, sotScene(r));
    else publish();
  }

  /** Loads the chosen config's tracker in the worker when the config or the dropped files changed. */
  async function ensureModel(): Promise<void> {
    await configStore.getState().ensureSelected();
    const config = configStore.getState().config;
    if (!config) throw new Error(`no config loaded (${configStore.getState().error ?? 'choose one'})`);
    const key = `${configStore.getState().selected}|${JSON.stringify(configStore.getState().options)}|${Object.keys(get().modelFiles).sort().join(',')}`;
    if (key === loadedKey) return;
    set({ status: 'loading', message: 'Loading the tracker…' });
    const loaded = await client.load(config, { ...get().modelFiles }, MODEL_BASE);
    loadedKey = key;
    set({ model: { type: loaded.modelType, files: loaded.files } });
  }

  async function trackForward(from: number): Promise<void> {
    const info = usePlayerStore.getState().info;
    if (!info) return;
    stop = false;
    let expected = from + 1;
    const started = performance.now();
    usePlayerStore.getState().setFrameHook(async (index, frame) => {
      if (index !== expected) return;
      const r = await client.track(await cloneFrame(frame));
      set({ ...record(index, { box: r.box, score: r.score, init: false }), fps: ((index - from) * 1000) / (performance.now() - started) });
      publishFrame(index);
    });
    try {
      for (; expected < info.frameCount; expected++) {
        if (stop || usePlayerStore.getState().info !== info) break;
        await usePlayerStore.getState().seek(expected);
      }
    } finally {
      usePlayerStore.getState().setFrameHook(null);
    }
    set({ status: stop ? 'paused' : 'idle', message: stop ? 'Paused: draw a new box to re-initialise, or press Start to go on.' : `Tracked to frame ${info.frameCount}.` });
  }

  usePlayerStore.subscribe((s, prev) => {
    if (s.info !== prev.info) set({ ...emptyResults(), draft: null, evaluation: null, status: 'idle', message: null, fps: null });
  });

  return {
    status: 'idle',
    message: null,
    draft: null,
    results: new Map(),
    resultsVersion: 0,
    lastFrame: null,
    fps: null,
    modelFiles: {},
    model: null,
    evaluation: null,

    async liveInit(frame, box) {
      try {
        await ensureModel();
      } catch (err) {
        frame.close();
        throw err;
      } finally {
        if (get().status === 'loading') set({ status: 'idle', message: null });
      }
      await client.init(frame, box);
    },
    async liveTrack(frame) {
      const r = await client.track(frame);
      return { box: r.box, score: r.score };
    },

    startDrawing() {
      if (get().status === 'tracking') return;
      set({ status: 'drawing', message: 'Drag a box around the target; drag its corners to adjust; Enter starts, Esc cancels.' });
    },
    setDraft(draft) {
      set({ draft });
    },
    cancelDrawing() {
      set({ status: 'idle', draft: null, message: null });
    },

    async start() {
      const player = usePlayerStore.getState();
      if (!player.info || get().status === 'tracking' || get().status === 'loading') return;
      const frameIndex = player.currentFrame;
      const draft = get().draft;
      try {
        if (useDetectStore.getState().enabled) await useDetectStore.getState().setEnabled(false);
        await ensureModel();
        if (draft) {
          if (!player.image) throw new Error('no frame on screen');
          await client.init(await cloneFrame(player.image), draft);
          set({ ...record(frameIndex, { box: draft, score: 1, init: true }), draft: null });
          publish();
        } else if (!get().results.has(frameIndex)) {
          throw new Error('draw a box around the target first (or load the first box from a ground-truth file)');
        }
        set({ status: 'tracking', message: null });
        await trackForward(frameIndex);
      } catch (err) {
        set({ status: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    },

    pause() {
      stop = true;
    },

    async addModelFiles(files) {
      const modelFiles = { ...get().modelFiles };
      for (const f of files) if (f.name.endsWith('.onnx')) modelFiles[f.name] = await f.arrayBuffer();
      set({ modelFiles, message: `Model files: ${Object.keys(modelFiles).join(', ')}` });
      loadedKey = null;
    },

    async initFromGtFile(file) {
      const parsed = parseSotBoxes(await file.text(), file.name);
      const first = parsed.value.xywh;
      if (parsed.value.count === 0 || Number.isNaN(first[0])) return set({ status: 'error', message: `${file.name}: no box on its first line` });
      await usePlayerStore.getState().seek(0);
      set({ draft: [first[0]!, first[1]!, first[2]!, first[3]!], status: 'drawing', message: `First box from ${file.name}: Enter (or Start) tracks from frame 1.` });
    },

    exportTxt() {
      const info = usePlayerStore.getState().info;
      if (!info) return;
      const xywh = new Float64Array(info.frameCount * 4).fill(Number.NaN);
      for (const [f, r] of get().results) xywh.set(r.box, f * 4);
      downloadBlob(new Blob([writeSotBoxes({ count: info.frameCount, xywh })], { type: 'text/plain' }), derivedName(info.name, '-sot', 'txt'));
    },

    async evaluate(file) {
      const info = usePlayerStore.getState().info;
      if (!info) return;
      const gt = parseSotBoxes(await file.text(), file.name).value;
      const n = Math.min(gt.count, info.frameCount);
      const pred = new Float64Array(n * 4).fill(0);
      for (const [f, r] of get().results) if (f < n) pred.set(r.box, f * 4);
      const curves = evalOpeSequence({ gt: gt.xywh.subarray(0, n * 4), pred });
      const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
      set({ evaluation: { gtName: file.name, success: 100 * mean(curves.success), precision: 100 * (curves.precision[20] ?? 0), normPrecision: 100 * (curves.normPrecision[20] ?? 0), curves } });
    },
  };
});

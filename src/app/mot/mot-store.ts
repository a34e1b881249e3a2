import { create } from 'zustand';
import { writeMotTracker } from '../../core/datasets/mot-challenge.ts';
import { MotRun, type TrackSummary } from '../../core/models/mot/mot-run.ts';
import type { Detections } from '../../core/structures/detections.ts';
import type { OverlayScene } from '../../core/structures/overlay-scene.ts';
import { configStore } from '../config/config-store.ts';
import { useDetectStore } from '../detect/detect-store.ts';
import { derivedName, downloadBlob } from '../download.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { useOverlayStore } from '../stores/overlay-store.ts';

/** How many past frames a trail shows. */
const TRAIL_FRAMES = 30;

export interface MotState {
  status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  progress: { done: number; total: number } | null;
  /** Frames per second of detection + tracking during the run. */
  fps: number | null;
  error: string | null;
  tracks: TrackSummary[];
  selectedTrack: number | null;
  /** The run's config path, for labels and exports. */
  configPath: string | null;
  track: () => Promise<void>;
  cancel: () => void;
  selectTrack: (id: number | null) => void;
  /** Runs the tracker again on the cached detections with a new score threshold (no detector run). */
  retrack: (minScore: number) => Promise<void>;
  exportMotTxt: () => void;
  exportCocoVid: () => void;
}

let run: MotRun | null = null;
let scenes: SceneBuilder | null = null;
let cancelled = false;
/** The detection score threshold the current `run` was tracked with. */
let minScoreOfRun = 0;

/**
 * Overlay scenes of a run, built frame by frame in order: boxes with ids and classes, fading trails of the last
 * TRAIL_FRAMES frames, the selected track highlighted. A live run adds one frame at a time (no rebuild per frame).
 */
class SceneBuilder {
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
      const pts = (this.centres.get(id) ?? []).map(([, x, y]) => [x, y] as [number, number]);
      if (pts.length > 1) trails.push({ trackId: id, points: pts });
    }
    this.scenes.set(f, { boxes, trails });
  }

  static of(r: MotRun, classNames: readonly string[], selected: number | null): SceneBuilder {
    const b = new SceneBuilder(classNames, selected);
    for (const [f, d] of [...r.frames.entries()].sort((a, c) => a[0] - c[0])) b.add(f, d);
    return b;
  }
}

export const useMotStore = create<MotState>()((set, get) => {
  /** Rebuilds every scene (a new selection, a re-track); `step` adds one frame during a run. */
  function publish(): void {
    if (!run) return;
    scenes = SceneBuilder.of(run, useDetectStore.getState().detector?.classNames ?? [], get().selectedTrack);
    show();
  }
  function show(): void {
    if (scenes) useOverlayStore.getState().setScenes(new Map(scenes.scenes), `${get().configPath ?? 'MOT'} tracks`);
  }

  // The score slider re-tracks a finished run on its cached detections.
  useDetectStore.subscribe((s, prev) => {
    if (s.scoreThreshold !== prev.scoreThreshold && get().status === 'done') void get().retrack(s.scoreThreshold);
  });
  // A new video drops the run.
  usePlayerStore.subscribe((s, prev) => {
    if (s.info !== prev.info) {
      run = null;
      set({ status: 'idle', progress: null, tracks: [], selectedTrack: null, error: null });
      useDetectStore.getState().setShowDetections(true);
    }
  });

  return {
    status: 'idle',
    progress: null,
    fps: null,
    error: null,
    tracks: [],
    selectedTrack: null,
    configPath: null,

    async track() {
      const player = usePlayerStore.getState();
      const info = player.info;
      const config = configStore.getState().config;
      if (!info || get().status === 'running') return;
      set({ status: 'running', error: null, progress: { done: 0, total: info.frameCount }, fps: null, tracks: [], selectedTrack: null, configPath: configStore.getState().selected });
      cancelled = false;
      try {
        if (!config) throw new Error('choose a MOT config first');
        const detect = useDetectStore.getState();
        // Detections come from the detector (cached per frame); the frame hook shows them while tracking runs.
        await detect.setEnabled(true);
        const names = useDetectStore.getState().detector?.classNames;
        if (useDetectStore.getState().status !== 'ready' || !names) throw new Error(useDetectStore.getState().error ?? 'the detector did not load');
        run = new MotRun(config, names);
        scenes = new SceneBuilder(names, null);
        minScoreOfRun = 0;
        useDetectStore.getState().setShowDetections(false);
        const started = performance.now();
        for (let i = 0; i < info.frameCount; i++) {
          if (cancelled || usePlayerStore.getState().info !== info) throw Object.assign(new Error('cancelled'), { cancelled: true });
          await usePlayerStore.getState().seek(i); // decodes, runs the detector through the frame hook, shows the frame
          const dets: Detections | undefined = useDetectStore.getState().results.get(i);
          if (!dets) throw new Error(`frame ${i + 1}: the detector returned nothing (${useDetectStore.getState().error ?? usePlayerStore.getState().error ?? 'see the status above'})`);
          scenes?.add(i, await run.step(i, dets));
          set({ progress: { done: i + 1, total: info.frameCount }, fps: ((i + 1) * 1000) / (performance.now() - started), tracks: run.trackList() });
          show();
        }
        set({ status: 'done' });
      } catch (err) {
        if ((err as { cancelled?: boolean }).cancelled) set({ status: 'cancelled' });
        else set({ status: 'error', error: err instanceof Error ? err.message : String(err) });
      }
    },

    cancel() {
      cancelled = true;
    },

    selectTrack(id) {
      set({ selectedTrack: id });
      publish();
      const t = get().tracks.find((x) => x.id === id);
      if (t) void usePlayerStore.getState().seek(t.firstFrame);
    },

    async retrack(minScore) {
      const config = configStore.getState().config;
      const names = useDetectStore.getState().detector?.classNames;
      const cached = useDetectStore.getState().results;
      if (!run || get().status !== 'done' || !config || !names || minScore === minScoreOfRun) return;
      const next = new MotRun(config, names);
      for (let i = 0; cached.has(i); i++) await next.step(i, cached.get(i) as Detections, minScore);
      run = next;
      minScoreOfRun = minScore;
      set({ tracks: run.trackList() });
      publish();
    },

    exportCocoVid() {
      const info = usePlayerStore.getState().info;
      if (!run || !info) return;
      const names = useDetectStore.getState().detector?.classNames ?? [];
      const name = info.name.replace(/\.[^./]+$/, '');
      const json = run.cocoVid({ name, width: info.width, height: info.height, frameCount: info.frameCount }, names);
      downloadBlob(new Blob([JSON.stringify(json)], { type: 'application/json' }), derivedName(info.name, '-cocovid', 'json'));
    },

    exportMotTxt() {
      const info = usePlayerStore.getState().info;
      if (!run || !info) return;
      downloadBlob(new Blob([writeMotTracker(run.motRows())], { type: 'text/plain' }), derivedName(info.name, '', 'txt'));
    },
  };
});

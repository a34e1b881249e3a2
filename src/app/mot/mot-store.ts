import { create } from 'zustand';
import { type ConfigDict, isConfigDict } from '../../core/config/config-value.ts';
import { needsFrame } from '../../core/trackers/tracker.ts';
import { writeMotTracker } from '../../core/datasets/mot-challenge.ts';
import { configWithCombination, getSearchAxes, searchCombinations } from '../../core/models/mot/mot-param-search.ts';
import { MotRun, type TrackSummary } from '../../core/models/mot/mot-run.ts';
import type { Detections } from '../../core/structures/detections.ts';
import type { OverlayScene } from '../../core/structures/overlay-scene.ts';
import { configStore } from '../config/config-store.ts';
import { useDetectStore } from '../detect/detect-store.ts';
import { derivedName, downloadBlob } from '../download.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { useOverlayStore } from '../stores/overlay-store.ts';
import { loadMotRun, saveMotRun, videoKey } from './mot-run-db.ts';

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
  /** The detector's class names of the run (labels of the track list and exports). */
  classNames: readonly string[];
  /** Set when the config has search grids (lists in model.tracker): which values the run tracked with. */
  gridNote: string | null;
  /** Set when the run was read back from the browser's storage (a reload, or the same video opened again). */
  restoredAt: number | null;
  /** The classes ticked in the panel, replacing the config's `classes`; null: the config's. */
  classes: string[] | null;
  track: () => Promise<void>;
  cancel: () => void;
  selectTrack: (id: number | null) => void;
  /**
   * Runs the tracker again on the run's cached detections (no detector run) with a new score threshold, or with the
   * config as it is now (`reconfigure`, after its overrides changed).
   */
  retrack: (minScore: number, reconfigure?: boolean) => Promise<void>;
  /** Tracks these classes instead of the config's `classes` (null: the config's again); a finished run re-tracks. */
  setClasses: (classes: string[] | null) => Promise<void>;
  exportMotTxt: () => void;
  exportCocoVid: () => void;
}

let run: MotRun | null = null;
let scenes: SceneBuilder | null = null;
let cancelled = false;
/** The detection score threshold the current `run` was tracked with. */
let minScoreOfRun = 0;
/** The detector's output per frame that `run` tracked (kept with the run: re-tracking and search use it). */
let runDetections = new Map<number, Detections>();
/** The config `run` tracked with (a grid config's first combination). */
let runConfig: ConfigDict | null = null;

/** What the current run tracked: its config, detections per frame and score threshold (for evaluation and search). */
export function currentMotRun(): { run: MotRun; config: ConfigDict; detections: ReadonlyMap<number, Detections>; minScore: number } | null {
  return run && runConfig ? { run, config: runConfig, detections: runDetections, minScore: minScoreOfRun } : null;
}

/** The config with the classes ticked in the MOT panel as its `classes` (unchanged when none are ticked). */
export function withTickedClasses(config: ConfigDict): ConfigDict {
  const classes = useMotStore.getState().classes;
  return classes ? { ...config, classes } : config;
}

/**
 * The config to track with: a config with search grids (lists in model.tracker, for the parameter search) tracks
 * with the first value of each, and says so.
 */
function trackingConfig(base: ConfigDict): { config: ConfigDict; note: string | null } {
  const config = withTickedClasses(base);
  const model = config.model;
  const axes = isConfigDict(model) ? getSearchAxes(model.tracker) : [];
  if (axes.length === 0) return { config, note: null };
  const first = searchCombinations(axes)[0]!;
  return {
    config: configWithCombination(config, first),
    note: `model.tracker has search grids; tracked with the first values (${Object.entries(first).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}). Drop ground truth and run the parameter search to compare them.`,
  };
}

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
    scenes = SceneBuilder.of(run, get().classNames, get().selectedTrack);
    show();
  }
  function show(): void {
    if (scenes) useOverlayStore.getState().setScenes(new Map(scenes.scenes), `${get().configPath ?? 'MOT'} tracks`);
  }

  /** Keeps the finished run in IndexedDB for this video (a failure to store is reported, the run stays). */
  async function save(): Promise<void> {
    const info = usePlayerStore.getState().info;
    if (!run || !runConfig || !info) return;
    try {
      await saveMotRun({
        key: videoKey(info),
        videoName: info.name,
        configPath: get().configPath,
        config: runConfig,
        classNames: [...get().classNames],
        minScore: minScoreOfRun,
        frames: [...run.frames.entries()],
        detections: [...runDetections.entries()],
        savedAt: Date.now(),
      });
    } catch (err) {
      set({ error: `The run could not be kept for the next visit: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  /** Brings back the run kept for this video, if any. */
  async function restore(info: NonNullable<ReturnType<typeof usePlayerStore.getState>['info']>): Promise<void> {
    let saved;
    try {
      saved = await loadMotRun(videoKey(info));
    } catch (err) {
      set({ error: `The stored run of ${info.name} could not be read: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    if (!saved || usePlayerStore.getState().info !== info || get().status !== 'idle') return;
    try {
      run = MotRun.fromFrames(saved.config, saved.classNames, saved.frames);
    } catch (err) {
      set({ error: `The stored run of ${info.name} no longer loads (${err instanceof Error ? err.message : String(err)}); track again` });
      return;
    }
    runConfig = saved.config;
    runDetections = new Map(saved.detections);
    minScoreOfRun = saved.minScore;
    set({ status: 'done', configPath: saved.configPath, classNames: saved.classNames, tracks: run.trackList(), restoredAt: saved.savedAt, progress: null, fps: null });
    useDetectStore.getState().setShowDetections(false);
    publish();
  }

  // The score slider re-tracks a finished run on its cached detections.
  useDetectStore.subscribe((s, prev) => {
    if (s.scoreThreshold !== prev.scoreThreshold && get().status === 'done') void get().retrack(s.scoreThreshold);
  });
  // A new video drops the run, and brings back the one kept for it.
  usePlayerStore.subscribe((s, prev) => {
    if (s.info !== prev.info) {
      run = null;
      runConfig = null;
      runDetections = new Map();
      set({ status: 'idle', progress: null, tracks: [], selectedTrack: null, error: null, gridNote: null, restoredAt: null });
      useDetectStore.getState().setShowDetections(true);
      if (s.info) void restore(s.info);
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
    classNames: [],
    gridNote: null,
    restoredAt: null,
    classes: null,

    async setClasses(classes) {
      set({ classes });
      if (get().status === 'done') await get().retrack(minScoreOfRun, true);
    },

    async track() {
      const player = usePlayerStore.getState();
      const info = player.info;
      const config = configStore.getState().config;
      if (!info || get().status === 'running') return;
      set({ status: 'running', error: null, progress: { done: 0, total: info.frameCount }, fps: null, tracks: [], selectedTrack: null, configPath: configStore.getState().selected, gridNote: null, restoredAt: null });
      cancelled = false;
      try {
        if (!config) throw new Error('choose a MOT config first');
        const tracking = trackingConfig(config);
        const detect = useDetectStore.getState();
        // Detections come from the detector (cached per frame); the frame hook shows them while tracking runs.
        await detect.setEnabled(true);
        const names = useDetectStore.getState().detector?.classNames;
        if (useDetectStore.getState().status !== 'ready' || !names) throw new Error(useDetectStore.getState().error ?? 'the detector did not load');
        run = new MotRun(tracking.config, names);
        const requires = run.tracker.requires;
        const detector = useDetectStore.getState().detector!;
        if (requires.regressor && !detector.regresses) throw new Error(`${run.tracker.type} regresses boxes with a two-stage detector's bbox head; this config's detector is ${detector.detectorType}`);
        if (requires.embedder && !detector.embeds) throw new Error(`${run.tracker.type} has reid but no ReID model is loaded (drop it on "ReID model")`);
        // Tracktor works on each frame in the worker (regression, ReID, grayscale image): detect every frame afresh,
        // so that the worker's frame is the one being tracked.
        const perFrame = needsFrame(requires);
        if (perFrame) useDetectStore.getState().forgetResults();
        runConfig = tracking.config;
        runDetections = new Map();
        set({ classNames: names, gridNote: tracking.note });
        scenes = new SceneBuilder(names, null);
        minScoreOfRun = 0;
        useDetectStore.getState().setShowDetections(false);
        const started = performance.now();
        for (let i = 0; i < info.frameCount; i++) {
          if (cancelled || usePlayerStore.getState().info !== info) throw Object.assign(new Error('cancelled'), { cancelled: true });
          await usePlayerStore.getState().seek(i); // decodes, runs the detector through the frame hook, shows the frame
          const dets: Detections | undefined = useDetectStore.getState().results.get(i);
          if (!dets) throw new Error(`frame ${i + 1}: the detector returned nothing (${useDetectStore.getState().error ?? usePlayerStore.getState().error ?? 'see the status above'})`);
          runDetections.set(i, dets);
          const extras = perFrame ? await useDetectStore.getState().trackerInputs(i, requires) : {};
          scenes?.add(i, await run.step(i, dets, 0, extras));
          set({ progress: { done: i + 1, total: info.frameCount }, fps: ((i + 1) * 1000) / (performance.now() - started), tracks: run.trackList() });
          show();
        }
        set({ status: 'done' });
        await save();
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

    async retrack(minScore, reconfigure = false) {
      if (!run || !runConfig || get().status !== 'done') return;
      if (!reconfigure && minScore === minScoreOfRun) return;
      let config = runConfig;
      let note = get().gridNote;
      let next: MotRun;
      try {
        if (reconfigure) {
          const current = configStore.getState().config;
          if (!current) throw new Error(configStore.getState().error ?? 'no config loaded');
          ({ config, note } = trackingConfig(current));
        }
        next = new MotRun(config, get().classNames);
        if (needsFrame(next.tracker.requires)) {
          throw new Error(`${next.tracker.type} cannot re-track cached detections: it regresses boxes (and re-identifies, compensates camera motion) on each frame with the detector; press Track to run it again`);
        }
        for (let i = 0; runDetections.has(i); i++) await next.step(i, runDetections.get(i)!, minScore);
      } catch (err) {
        set({ error: err instanceof Error ? err.message : String(err) });
        return;
      }
      run = next;
      runConfig = config;
      minScoreOfRun = minScore;
      set({ tracks: run.trackList(), gridNote: note, error: null, ...(reconfigure ? { configPath: configStore.getState().selected } : {}) });
      publish();
      await save();
    },

    exportCocoVid() {
      const info = usePlayerStore.getState().info;
      if (!run || !info) return;
      const name = info.name.replace(/\.[^./]+$/, '');
      const json = run.cocoVid({ name, width: info.width, height: info.height, frameCount: info.frameCount }, get().classNames);
      downloadBlob(new Blob([JSON.stringify(json)], { type: 'application/json' }), derivedName(info.name, '-cocovid', 'json'));
    },

    exportMotTxt() {
      const info = usePlayerStore.getState().info;
      if (!run || !info) return;
      downloadBlob(new Blob([writeMotTracker(run.motRows())], { type: 'text/plain' }), derivedName(info.name, '', 'txt'));
    },
  };
});

import { create } from 'zustand';
import type { ConfigDict } from '../../core/config/config-value.ts';
import { writeMotTracker } from '../../core/datasets/mot-challenge.ts';
import type { TrackSummary } from '../../core/models/mot/mot-run.ts';
import type { Detections } from '../../core/structures/detections.ts';
import type { VideoInfo } from '../../media/video-info.ts';
import { CancelledError, isCancelled } from '../../workers/rpc.ts';
import { configStore } from '../config/config-store.ts';
import { useDetectStore } from '../detect/detect-store.ts';
import { derivedName, downloadBlob } from '../download.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { useOverlayStore } from '../stores/overlay-store.ts';
import { loadMotRun, saveMotRun, videoKey } from './mot-run-db.ts';
import { type MotFrameSource, MotSession, type MotRunSettings, withClasses } from './mot-session.ts';

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
  /** The run (tracks, the detections it tracked, its score threshold); null before the first Track. */
  session: MotSession | null;
  /** The detection score threshold the tracks were made with: the slider's value. */
  minScore: number | null;
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

/** The current run: its config, detections per frame and score threshold (for evaluation and search). */
export function currentMotRun(): MotSession | null {
  return useMotStore.getState().session;
}

/** What the panels say a run starts from: the chosen config, its path, the ticked classes. */
function runSettings(config: ConfigDict): MotRunSettings {
  return { config, configPath: configStore.getState().selected, classes: useMotStore.getState().classes };
}

/** The config with the classes ticked in the MOT panel as its `classes` (unchanged when none are ticked). */
export function withTickedClasses(config: ConfigDict): ConfigDict {
  return withClasses(config, useMotStore.getState().classes);
}

/** Frames of the video on screen: the player seeks (decode), the detector runs through its frame hook (cached). */
function playerFrameSource(info: VideoInfo): MotFrameSource {
  return {
    frameCount: info.frameCount,
    async detections(i) {
      if (usePlayerStore.getState().info !== info) throw new CancelledError('another video was opened');
      await usePlayerStore.getState().seek(i);
      const dets: Detections | undefined = useDetectStore.getState().results.get(i);
      if (!dets) throw new Error(`frame ${i + 1}: the detector returned nothing (${useDetectStore.getState().error ?? usePlayerStore.getState().error ?? 'see the status above'})`);
      return dets;
    },
    trackerInputs: (i, requires) => useDetectStore.getState().trackerInputs(i, requires),
    forgetCache: () => useDetectStore.getState().forgetResults(),
  };
}

/** How often a live run's track list is rebuilt. */
const TRACK_LIST_REFRESH_MS = 500;

export const useMotStore = create<MotState>()((set, get) => {
  /** Shows the run's scenes (a new selection, a re-track, a run starting): a view of the run, not a copy. */
  function show(session: MotSession): void {
    useOverlayStore.getState().setSource(session.scenes(), session.overlayLabel);
  }

  /** A newly tracked frame: the view shown already reads it from the run, so subscribers are told, no more. */
  function showFrame(session: MotSession): void {
    const overlay = useOverlayStore.getState();
    if (overlay.scenes === session.scenes()) overlay.touch();
    else show(session);
  }

  /** The store reflects the session: tracks, threshold, config path, grid note. */
  function reflect(session: MotSession): Partial<MotState> {
    return { session, tracks: session.tracks(), minScore: session.minScore, configPath: session.configPath, classNames: session.classNames, gridNote: session.gridNote };
  }

  /** Keeps the finished run in IndexedDB for this video (a failure to store is reported, the run stays). */
  async function save(session: MotSession): Promise<void> {
    const info = usePlayerStore.getState().info;
    if (!info) return;
    try {
      await saveMotRun({ key: videoKey(info), videoName: info.name, ...session.toRecord(), savedAt: Date.now() });
    } catch (err) {
      set({ error: `The run could not be kept for the next visit: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  /** Brings back the run kept for this video, if any. */
  async function restore(info: VideoInfo): Promise<void> {
    let saved;
    try {
      saved = await loadMotRun(videoKey(info));
    } catch (err) {
      set({ error: `The stored run of ${info.name} could not be read: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    if (!saved || usePlayerStore.getState().info !== info || get().status !== 'idle') return;
    let session: MotSession;
    try {
      session = MotSession.fromRecord(saved);
    } catch (err) {
      set({ error: `The stored run of ${info.name} no longer loads (${err instanceof Error ? err.message : String(err)}); track again` });
      return;
    }
    set({ status: 'done', ...reflect(session), restoredAt: saved.savedAt, progress: null, fps: null });
    // The slider shows the threshold the restored tracks were made with.
    useDetectStore.getState().setScoreThreshold(session.minScore);
    useDetectStore.getState().setShowDetections(false);
    show(session);
  }

  // The score slider re-tracks a finished run on its cached detections.
  useDetectStore.subscribe((s, prev) => {
    if (s.scoreThreshold !== prev.scoreThreshold && get().status === 'done') void get().retrack(s.scoreThreshold);
  });
  // A new video drops the run, and brings back the one kept for it.
  usePlayerStore.subscribe((s, prev) => {
    if (s.info !== prev.info) {
      get().session?.cancel();
      set({ status: 'idle', session: null, minScore: null, progress: null, tracks: [], selectedTrack: null, error: null, gridNote: null, restoredAt: null });
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
    session: null,
    minScore: null,

    async setClasses(classes) {
      set({ classes });
      if (get().status === 'done') await get().retrack(get().minScore ?? 0, true);
    },

    async track() {
      const info = usePlayerStore.getState().info;
      const config = configStore.getState().config;
      if (!info || get().status === 'running') return;
      set({ status: 'running', error: null, progress: { done: 0, total: info.frameCount }, fps: null, tracks: [], selectedTrack: null, gridNote: null, restoredAt: null });
      try {
        if (!config) throw new Error('choose a MOT config first');
        // Detections come from the detector (cached per frame); the frame hook shows them while tracking runs.
        await useDetectStore.getState().setEnabled(true);
        const detect = useDetectStore.getState();
        const detector = detect.detector;
        if (detect.status !== 'ready' || !detector) throw new Error(detect.error ?? 'the detector did not load');
        // As MMTracking, a run tracks every detection the detector returns (its test_cfg.score_thr decides); the
        // slider moves to 0 to show it, and re-tracks the cached detections when moved.
        useDetectStore.getState().setScoreThreshold(0);
        const session = MotSession.create(runSettings(config), detector.classNames, 0);
        const requires = session.tracker.requires;
        if (requires.regressor && !detector.regresses) throw new Error(`${session.tracker.type} regresses boxes with a two-stage detector's bbox head; this config's detector is ${detector.detectorType}`);
        if (requires.embedder && !detector.embeds) throw new Error(`${session.tracker.type} has reid but no ReID model is loaded (drop it on "ReID model")`);
        set(reflect(session));
        useDetectStore.getState().setShowDetections(false);
        const started = performance.now();
        // The track list is rebuilt a few times a second, not every frame: a long run has thousands of tracks.
        let listedAt = 0;
        await session.track(playerFrameSource(info), (done, total) => {
          const now = performance.now();
          const list = now - listedAt >= TRACK_LIST_REFRESH_MS || done === total;
          if (list) listedAt = now;
          set({ progress: { done, total }, fps: (done * 1000) / (now - started), ...(list ? { tracks: session.tracks() } : {}) });
          showFrame(session);
        });
        set({ status: 'done', tracks: session.tracks() });
        await save(session);
      } catch (err) {
        if (isCancelled(err)) set({ status: 'cancelled' });
        else set({ status: 'error', error: err instanceof Error ? err.message : String(err) });
      }
    },

    cancel() {
      get().session?.cancel();
    },

    selectTrack(id) {
      const session = get().session;
      set({ selectedTrack: id });
      if (!session) return;
      session.select(id);
      show(session);
      const t = get().tracks.find((x) => x.id === id);
      if (t) void usePlayerStore.getState().seek(t.firstFrame);
    },

    async retrack(minScore, reconfigure = false) {
      const session = get().session;
      if (!session || get().status !== 'done') return;
      if (!reconfigure && minScore === session.minScore) return;
      try {
        let settings: MotRunSettings | undefined;
        if (reconfigure) {
          const current = configStore.getState().config;
          if (!current) throw new Error(configStore.getState().error ?? 'no config loaded');
          settings = runSettings(current);
        }
        await session.retrack(minScore, settings);
      } catch (err) {
        set({ error: err instanceof Error ? err.message : String(err) });
        return;
      }
      set({ ...reflect(session), error: null });
      show(session);
      await save(session);
    },

    exportCocoVid() {
      const info = usePlayerStore.getState().info;
      const session = get().session;
      if (!session || !info) return;
      const name = info.name.replace(/\.[^./]+$/, '');
      const json = session.result.cocoVid({ name, width: info.width, height: info.height, frameCount: info.frameCount }, session.classNames);
      downloadBlob(new Blob([JSON.stringify(json)], { type: 'application/json' }), derivedName(info.name, '-cocovid', 'json'));
    },

    exportMotTxt() {
      const info = usePlayerStore.getState().info;
      const session = get().session;
      if (!session || !info) return;
      downloadBlob(new Blob([writeMotTracker(session.result.motRows())], { type: 'text/plain' }), derivedName(info.name, '', 'txt'));
    },
  };
});

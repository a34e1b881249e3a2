import { create } from 'zustand';
import { type ConfigDict, isConfigDict } from '../../core/config/config-value.ts';
import { assignModelFiles } from '../../core/config/assign-model-files.ts';
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import { reidSettings } from '../../core/models/mot/reid-settings.ts';
import { framesToRead } from '../../core/models/vid/frame-reads.ts';
import { adaptiveStrideReferences } from '../../core/models/vid/selsa.ts';
import { cloneFrame } from '../../media/decoded-frame.ts';
import type { OverlayBox, OverlayMask, OverlayScene } from '../../core/structures/overlay-scene.ts';
import { isVisConfig } from '../../core/models/vis/vis-config.ts';
import type { Detections } from '../../core/structures/detections.ts';
import type { TrackerFrame, TrackerRequirements } from '../../core/trackers/tracker.ts';
import type { StageTimings } from '../../runtime/detectors/stage-timings.ts';
import { cacheModel, loadCachedModel } from '../../runtime/model-cache.ts';
import { detectorGraphSpecs } from '../../runtime/detectors/detector-runner.ts';
import { type DetectorInfo, InferenceClient } from '../../workers/inference-client.ts';
import type { ModelBytes } from '../../workers/inference-protocol.ts';
import { configStore } from '../config/config-store.ts';
import { videoKey } from '../stores/runs-db.ts';
import { loadDetectRun, saveDetectRun } from './detect-run-db.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { useOverlayStore } from '../stores/overlay-store.ts';

/** Where the app's default models are served from (converted from npm packages by `npm install`). */
const DEFAULT_MODEL_BASE = `${import.meta.env.BASE_URL}models/`;

/** A model file the user dropped (or fetched from a URL they typed). */
interface UserFile {
  name: string;
  bytes: ArrayBuffer;
}

/** Where the user's file for one `onnx` entry of a config is remembered: its sha256 in the OPFS model cache. */
const rememberedKey = (spec: OnnxModelSpec) => `mmtrack.model:${spec.role}:${spec.file}`;

/** A file the user dropped on an earlier visit, by its localStorage key (sha256 in the OPFS model cache). */
async function rememberedFile(key: string): Promise<UserFile | null> {
  const sha256 = localStorage.getItem(key);
  const cached = sha256 ? await loadCachedModel(sha256) : null;
  return cached ? { name: cached.entry.name, bytes: cached.bytes } : null;
}

/** Keeps a dropped file in the OPFS model cache and its sha256 under `key`, for the next visit. */
async function rememberFile(key: string, file: UserFile): Promise<void> {
  localStorage.setItem(key, (await cacheModel(file.bytes, file.name)).sha256);
}

/** The app's own copy of an `onnx` entry's file (converted by `npm install`); other files must be dropped. */
async function defaultModel(spec: OnnxModelSpec, all: readonly OnnxModelSpec[]): Promise<ModelBytes> {
  const name = spec.file.split('/').pop() ?? spec.file;
  const drop = `drop your exported ONNX file${all.length > 1 ? 's' : ''} (${all.map((s) => s.file.split('/').pop()).join(', ')}) on "Use my ONNX…"`;
  if (/^https?:\/\//.test(spec.file)) throw new Error(`onnx.${spec.role}.file is a URL (${spec.file}); ${drop}`);
  const url = `${DEFAULT_MODEL_BASE}${spec.file}`;
  const res = await fetch(url);
  // The dev server answers unknown paths with the app's index.html.
  if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) {
    throw new Error(`onnx.${spec.role}: ${spec.file} is not one of the app's default models (${url}: ${res.ok ? 'not found' : `HTTP ${res.status}`}); ${drop}`);
  }
  return { fileName: name, model: await res.arrayBuffer() };
}

export interface DetectState {
  enabled: boolean;
  status: 'off' | 'loading' | 'ready' | 'error';
  /** The model in use: where it came from and how it runs. */
  model: { name: string; source: 'default' | 'user'; bytes: number } | null;
  detector: DetectorInfo | null;
  error: string | null;
  /** Display threshold: re-filters cached results without running the detector again. */
  scoreThreshold: number;
  /** Detections per 0-based frame of the current video (cleared when the video or model changes). */
  results: ReadonlyMap<number, Detections>;
  timings: StageTimings | null;
  /** Whether detections are drawn (off while a tracking run owns the overlay). */
  showDetections: boolean;
  setShowDetections: (on: boolean) => void;
  setEnabled: (on: boolean) => Promise<void>;
  setScoreThreshold: (t: number) => void;
  /** Loads the user's ONNX file(s) for the config's detector (Faster R-CNN: backbone and bbox_head), remembered across visits. */
  loadModelFiles: (files: File[]) => Promise<void>;
  /** Fetches an ONNX file from a URL the user typed (the only way the app downloads a model) and loads it. */
  loadModelUrl: (url: string) => Promise<void>;
  loadDefaultModel: () => Promise<void>;
  /** Drops the cached detections, so that every frame shown is detected again (Tracktor needs the worker on each frame). */
  forgetResults: () => void;
  /**
   * What a tracker needs besides the detections of frame `frameIndex`, the frame detected last (Tracktor): the
   * detector's box regression, ReID embeddings of boxes and the grayscale frame, computed in the worker.
   */
  trackerInputs: (frameIndex: number, requires: TrackerRequirements) => Promise<Omit<TrackerFrame, 'frameId' | 'embeddings'>>;
  /**
   * Detects on a frame that is not the player's (a live camera frame, `frameIndex` counted by the caller), loading
   * the config's detector first if needed; the frame is transferred (closed). The player's results are not touched.
   */
  detectLive: (frameIndex: number, frame: ImageBitmap) => Promise<Detections>;
  /** Loads a trained ReID model (ONNX) for configs with `model.reid=dict(type='BaseReID')`, remembered across visits. */
  loadReidFile: (file: File) => Promise<void>;
  /** A whole-video run in progress: frames detected of the video's; null when none runs. */
  run: { done: number; total: number } | null;
  /** When the detections on screen were brought back from an earlier visit's run (ms since 1970), else null. */
  restoredAt: number | null;
  /**
   * Detects every frame of the video in order (frames already detected are not run again), with progress; kept in
   * IndexedDB for this video and pipeline when it ends or is cancelled, so a reload brings the detections back.
   */
  runAll: () => Promise<void>;
  /** Stops a whole-video run after the frame in progress (what was detected is kept). */
  cancelRun: () => void;
  /** A VIS model's masks: fill opacity (0 hides them). */
  maskOpacity: number;
  setMaskOpacity: (a: number) => void;
  /** A VIS run's instance picked in the list: highlighted on every frame (null: none). */
  selectedInstance: number | null;
  /** Picks an instance (null: none) and shows frame `seekTo`. */
  selectInstance: (id: number | null, seekTo?: number) => void;
}

const client = new InferenceClient();
/** Model files dropped but not yet loaded successfully, by {@link rememberedKey}; and a dropped ReID model. */
const dropped = new Map<string, UserFile>();
let droppedReid: UserFile | null = null;
let loaded: Promise<void> | null = null;

function sceneOf(d: Detections, threshold: number, classNames: readonly string[], maskOpacity: number, selected: number | null = null): OverlayScene {
  const boxes: OverlayBox[] = [];
  const masks: OverlayMask[] = [];
  for (let i = 0; i < d.scores.length; i++) {
    const score = d.scores[i]!;
    if (score < threshold) continue;
    // A VIS model's detections carry track ids; -1 is a detection its tracker dropped (no instance).
    const trackId = d.ids?.[i];
    if (trackId !== undefined && trackId < 0) continue;
    const label = d.labels[i]!;
    boxes.push({ x1: d.boxes[i * 4]!, y1: d.boxes[i * 4 + 1]!, x2: d.boxes[i * 4 + 2]!, y2: d.boxes[i * 4 + 3]!, label: classNames[label] ?? `class ${label}`, score, ...(trackId !== undefined && { trackId, highlighted: selected === trackId }) });
    if (d.masks && maskOpacity > 0) masks.push({ width: d.masks.width, height: d.masks.height, rle: d.masks.counts[i]!, alpha: maskOpacity, ...(trackId !== undefined && { trackId }) });
  }
  return masks.length > 0 ? { boxes, masks } : { boxes };
}

/** Where the ReID model the user dropped is remembered (its sha256 in the OPFS model cache). */
const USER_REID_KEY = 'mmtrack.reidModel';

/**
 * The `onnx.reid` file of the config's `model.reid`: the detector's features graph is served with the default models;
 * a trained ReID model (`BaseReID`) is the user's, dropped in the MOT panel (or remembered from an earlier visit).
 */
async function reidModelOf(config: ConfigDict, userReid: UserFile | null): Promise<ModelBytes | null> {
  const settings = reidSettings(config);
  if (!settings) return null;
  const file = settings.onnx.file;
  if (settings.type === 'BaseReID') {
    const mine = userReid ?? (await rememberedFile(USER_REID_KEY));
    if (mine) return { fileName: mine.name, model: mine.bytes };
    throw new Error(`${file}: this config's ReID model (model.reid type BaseReID) is not loaded; drop the ONNX file on "ReID model" in the MOT panel`);
  }
  if (/^https?:\/\//.test(file)) throw new Error(`onnx.reid.file is a URL (${file}); the app loads the ReID features graph from its own models`);
  const url = `${DEFAULT_MODEL_BASE}${file}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`onnx.reid: ${file} is missing from ${url} (HTTP ${res.status}); run npm install to convert it`);
  return { fileName: file, model: await res.arrayBuffer() };
}

/** What of a config the loaded detector depends on: a change of any of it needs a reload (and new detections). */
function pipelineKey(config: ConfigDict | null): string {
  const model = config?.model;
  const part = (v: unknown) => JSON.stringify(v ?? null);
  // A VID method's type, motion model and key-frame interval change what runs too.
  // A VIS model tracks and segments in the worker too: its track head, tracker, segmentor and MOT method count.
  const vis = isConfigDict(model) && isVisConfig(config!) ? [part(model.track_head), part(model.tracker), part(model.segmentor), part(model.mot)] : [];
  return isConfigDict(model) ? [part(model.type), part(model.detector), part(model.motion), part(model.test_cfg), part(model.reid), part(config?.onnx), ...vis].join('|') : '';
}

export const useDetectStore = create<DetectState>()((set, get) => {
  /** `pipelineKey` of the config the detector was loaded with. */
  let loadedKey: string | null = null;
  /** A VID method's key frame whose features the worker holds (frames after it are warped from it). */
  let keyFrameRun: number | null = null;
  /** FGFA, SELSA: the other frames the worker holds, and whether SELSA's references are computed for this video. */
  let held = new Set<number>();
  let referencesKept = false;
  /** A VIS model: the worker's tracker has seen frames 0 .. trackedUpTo - 1 of this video, in order. */
  let trackedUpTo = 0;
  const forgetVideoState = () => {
    trackedUpTo = 0;
    keyFrameRun = null;
    held = new Set();
    referencesKept = false;
  };
  /** Set by cancelRun: the whole-video loop stops before its next frame. */
  let cancelRequested = false;
  /** The IndexedDB key of the current video's run with the loaded pipeline, or null. */
  const runKey = (): string | null => {
    const info = usePlayerStore.getState().info;
    return info && loadedKey !== null ? `${videoKey(info)}\n${loadedKey}` : null;
  };
  /** Keeps the video's detections for the next visit (a failure to store is reported; the detections stay). */
  async function saveRun(): Promise<void> {
    const key = runKey();
    const info = usePlayerStore.getState().info;
    if (!key || !info) return;
    const frames = [...get().results];
    try {
      await saveDetectRun({ key, videoName: info.name, frames, complete: frames.length === info.frameCount, savedAt: Date.now() });
    } catch (err) {
      set({ error: `The detections could not be kept for the next visit: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  /** Brings back the detections an earlier visit's run kept for this video and pipeline, if any. */
  async function restoreRun(): Promise<void> {
    const key = runKey();
    if (!key || get().status !== 'ready') return;
    let saved;
    try {
      saved = await loadDetectRun(key);
    } catch (err) {
      set({ error: `The stored detections could not be read: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    if (!saved || runKey() !== key || get().run) return;
    set({ results: new Map([...saved.frames, ...get().results]), restoredAt: saved.savedAt });
    publish();
  }
  /** Marks a VID method's key frames (DFF) or reference frames (SELSA) on the timeline, or clears the marks. */
  function markKeyFrames(): void {
    const player = usePlayerStore.getState();
    const video = get().enabled ? get().detector?.video : null;
    if (!video || !player.info) return player.setMarks(null);
    const name = video.variant ? `${video.method} + ${video.variant}` : video.method;
    if (video.reads?.kind === 'references') return player.setMarks({ frames: adaptiveStrideReferences(player.info.frameCount, video.reads.numRefImgs), label: `${name} reference frames` });
    if (video.reads) return player.setMarks(null);
    const frames: number[] = [];
    for (let f = 0; f < player.info.frameCount; f += video.keyFrameInterval) frames.push(f);
    player.setMarks({ frames, label: `${video.method} key frames (every ${video.keyFrameInterval})` });
  }
  /** FGFA's window or SELSA's references for frame `index`: the frames the worker does not hold yet, decoded. */
  async function otherFrames(index: number): Promise<{ frameCount: number; others: { index: number; frame: VideoFrame | ImageBitmap }[] } | null> {
    const reads = get().detector?.video?.reads;
    const player = usePlayerStore.getState();
    if (!reads || !player.info) return null;
    const others: { index: number; frame: VideoFrame | ImageBitmap }[] = [];
    try {
      for (const j of framesToRead(reads, index, player.info.frameCount, referencesKept)) if (!held.has(j)) others.push({ index: j, frame: await player.frameAt(j) });
    } catch (err) {
      // The frames decoded before the failure are not handed over: close them.
      for (const o of others) o.frame.close();
      throw err;
    }
    return { frameCount: player.info.frameCount, others };
  }
  function publish(): void {
    const { results, scoreThreshold, detector, showDetections } = get();
    if (!showDetections) return;
    const names = detector?.classNames ?? [];
    useOverlayStore.getState().setScenes(new Map([...results].map(([i, d]) => [i, sceneOf(d, scoreThreshold, names, get().maskOpacity, get().selectedInstance)])), detectionsLabel());
  }
  const detectionsLabel = () => `${get().model?.name ?? 'detector'} detections`;

  /**
   * Reads the chosen config, then for each ONNX file of its detector the file the user just dropped, the one they
   * dropped on an earlier visit, or the app's default model; loads them in the worker.
   */
  async function load(userFiles: UserFile[] = [], userReid: UserFile | null = null): Promise<void> {
    set({ status: 'loading', error: null, results: new Map(), restoredAt: null });
    forgetVideoState();
    try {
      await configStore.getState().ensureSelected();
      const config = configStore.getState().config;
      if (!config) throw new Error(`no config loaded (${configStore.getState().error ?? 'choose one in the Config panel'})`);
      loadedKey = pipelineKey(config);
      const specs = detectorGraphSpecs(config);
      // Files dropped now wait in memory until a load succeeds (a Faster R-CNN's two files and a ReID model may come
      // one drop at a time); then they are remembered for the next visit.
      for (const [role, i] of assignModelFiles(specs, userFiles.map((f) => f.name))) dropped.set(rememberedKey(specs.find((x) => x.role === role)!), userFiles[i]!);
      if (userReid) droppedReid = userReid;
      const graphs: Record<string, ModelBytes> = {};
      let source: 'default' | 'user' = 'default';
      for (const spec of specs) {
        const mine = dropped.get(rememberedKey(spec)) ?? (await rememberedFile(rememberedKey(spec)));
        graphs[spec.role] = mine ? { fileName: mine.name, model: mine.bytes } : await defaultModel(spec, specs);
        if (mine) source = 'user';
      }
      // `?ep=webgpu` / `?ep=wasm` in the page URL force an execution provider; default: WebGPU on a hardware GPU.
      const epParam = new URLSearchParams(location.search).get('ep');
      const ep = epParam === 'webgpu' || epParam === 'wasm' ? epParam : 'auto';
      // `?threads=N` sets ORT's wasm threads (default: the cores less one, at most 4, in a cross-origin isolated page).
      const threads = Number(new URLSearchParams(location.search).get('threads'));
      const reid = await reidModelOf(config, droppedReid);
      const detector = await client.loadDetector({ config, graphs, ep, ...(Number.isInteger(threads) && threads > 0 ? { wasmThreads: threads } : {}), ...(reid ? { reid } : {}) });
      for (const spec of specs) {
        const mine = dropped.get(rememberedKey(spec));
        if (mine) await rememberFile(rememberedKey(spec), mine);
        dropped.delete(rememberedKey(spec));
      }
      if (droppedReid && reid) await rememberFile(USER_REID_KEY, droppedReid);
      if (reid) droppedReid = null;
      const all = specs.map((s) => graphs[s.role]!);
      set({ status: 'ready', detector, model: { name: all.map((g) => g.fileName).join(' + '), source, bytes: all.reduce((n, g) => n + g.model.byteLength, 0) } });
      markKeyFrames();
      await restoreRun();
    } catch (err) {
      set({ status: 'error', error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }

  /** The player's frame hook: detect once per frame (cached), then show the boxes. */
  async function onFrame(index: number, frame: VideoFrame | ImageBitmap): Promise<void> {
    if (!get().enabled || get().results.has(index)) return;
    await loaded;
    if (get().status !== 'ready') return;
    // A VID method warps its key frame's features: after a jump, that key frame runs first.
    const video = get().detector?.video;
    const results = new Map(get().results);
    if (video) {
      const key = index - (index % video.keyFrameInterval);
      if (key !== index && keyFrameRun !== key) {
        const r = await client.detect(key, await usePlayerStore.getState().frameAt(key));
        results.set(key, r.detections);
        keyFrameRun = key;
      }
    }
    // A VIS model's tracker needs every frame in order from frame 0: the worker's tracker has seen frames
    // 0..trackedUpTo-1; the frames from there to this one run first (from 0 again after a jump back), with progress
    // and Cancel as a whole-video run (a cancelled catch-up leaves this frame undetected).
    if (video?.sequential) {
      if (index < trackedUpTo) trackedUpTo = 0;
      const start = trackedUpTo;
      const catchUp = index - start;
      const ownRun = catchUp > 0 && !get().run;
      if (ownRun) {
        cancelRequested = false;
        set({ run: { done: 0, total: catchUp } });
      }
      try {
        for (let j = start; j < index; j++) {
          if (ownRun && cancelRequested) {
            set({ results });
            return;
          }
          const r = await client.detect(j, await usePlayerStore.getState().frameAt(j));
          results.set(j, r.detections);
          trackedUpTo = j + 1;
          if (ownRun) set({ run: { done: j + 1 - start, total: catchUp } });
        }
      } finally {
        if (ownRun) set({ run: null });
      }
      trackedUpTo = index + 1;
    }
    const copy = await cloneFrame(frame);
    const r = await client.detect(index, copy, await otherFrames(index));
    if (video) keyFrameRun = index - (index % video.keyFrameInterval);
    held = new Set(r.held);
    if (video?.reads?.kind === 'references') referencesKept = true;
    results.set(index, r.detections);
    set({ results, timings: r.timings });
    // Only this frame's scene is new: add it to the detections on screen instead of rebuilding every frame's.
    const { scoreThreshold, detector, showDetections } = get();
    const overlay = useOverlayStore.getState();
    if (!showDetections) return;
    if (overlay.sourceLabel !== detectionsLabel()) return publish();
    overlay.putScene(index, sceneOf(r.detections, scoreThreshold, detector?.classNames ?? [], get().maskOpacity, get().selectedInstance));
  }

  client.onGpuLost = (reason) => {
    set({ error: `The GPU device was lost (${reason}); restarting the detector and going on from the current frame.` });
    loaded =
      client
        .reload()
        ?.then(async (detector) => {
          set({ detector, status: 'ready' });
          forgetVideoState();
          // Go on from the frame on screen: detect it again with the rebuilt device and session.
          const player = usePlayerStore.getState();
          if (get().enabled && player.info) await player.seek(player.currentFrame);
        })
        .catch((err: unknown) => set({ status: 'error', error: `The detector could not be rebuilt after the GPU was lost: ${err instanceof Error ? err.message : String(err)}` })) ?? null;
  };
  usePlayerStore.subscribe((s, prev) => {
    if (s.info === prev.info) return;
    cancelRequested = true;
    set({ results: new Map(), restoredAt: null });
    forgetVideoState();
    markKeyFrames();
    void restoreRun();
  });
  // Another detector, ReID or model section in the chosen config: reload, and detect the frame on screen again.
  configStore.subscribe((s, prev) => {
    if (s.config === prev.config || !s.config || loaded === null || get().status === 'loading' || pipelineKey(s.config) === loadedKey) return;
    loaded = load().catch(() => undefined);
    void loaded.then(() => {
      const player = usePlayerStore.getState();
      if (get().enabled && player.info) return player.seek(player.currentFrame);
    });
  });

  return {
    enabled: false,
    status: 'off',
    model: null,
    detector: null,
    error: null,
    scoreThreshold: 0.15,
    results: new Map(),
    timings: null,
    showDetections: true,
    run: null,
    restoredAt: null,
    async runAll() {
      const info = usePlayerStore.getState().info;
      if (!info || get().run) return;
      if (!get().enabled) await get().setEnabled(true);
      await loaded;
      if (get().status !== 'ready') return;
      usePlayerStore.getState().pause();
      cancelRequested = false;
      set({ run: { done: 0, total: info.frameCount }, error: null });
      try {
        for (let i = 0; i < info.frameCount && !cancelRequested; i++) {
          // The frame hook detects the frame (one already detected is not run again) before the seek returns.
          await usePlayerStore.getState().seek(i);
          if (usePlayerStore.getState().info !== info) return;
          if (!get().results.has(i)) {
            set({ error: `Detecting every frame stopped at frame ${i + 1}: ${usePlayerStore.getState().error ?? get().error ?? 'the frame was not detected (was another frame chosen meanwhile?)'}` });
            break;
          }
          set({ run: { done: i + 1, total: info.frameCount } });
        }
        await saveRun();
      } finally {
        set({ run: null });
      }
    },
    cancelRun() {
      cancelRequested = true;
    },
    maskOpacity: 0.45,
    setMaskOpacity(a) {
      set({ maskOpacity: Math.min(Math.max(a, 0), 1) });
      publish();
    },
    selectedInstance: null,
    selectInstance(id, seekTo) {
      set({ selectedInstance: id });
      publish();
      if (seekTo !== undefined) void usePlayerStore.getState().seek(seekTo);
    },
    setShowDetections(on) {
      set({ showDetections: on });
      if (on) publish();
    },
    async setEnabled(on) {
      set({ enabled: on });
      const player = usePlayerStore.getState();
      if (!on) {
        player.setFrameHook(null);
        player.setMarks(null);
        useOverlayStore.getState().clear();
        return;
      }
      loaded ??= load().catch(() => undefined);
      player.setFrameHook(onFrame);
      await loaded;
      // Detect on the frame already on screen.
      if (player.info) await player.seek(player.currentFrame);
    },
    forgetResults() {
      set({ results: new Map() });
    },
    async detectLive(frameIndex, frame) {
      loaded ??= load().catch(() => undefined);
      await loaded;
      if (get().status !== 'ready') {
        frame.close();
        throw new Error(get().error ?? 'the detector is not loaded');
      }
      if (get().detector?.video) {
        frame.close();
        throw new Error(`${get().detector!.video!.method} reads other frames of a video by index; a live camera has none: use a per-frame detector`);
      }
      return (await client.detect(frameIndex, frame)).detections;
    },
    async trackerInputs(frameIndex, requires) {
      return {
        ...(requires.regressor ? { regressor: { regressBoxes: (boxes: Float32Array) => client.regress(frameIndex, boxes) } } : {}),
        ...(requires.embedder ? { embedder: { embed: (boxes: Float32Array) => client.embed(frameIndex, boxes) } } : {}),
        ...(requires.image ? { image: await client.gray(frameIndex) } : {}),
      };
    },
    setScoreThreshold(t) {
      set({ scoreThreshold: t });
      publish();
    },
    async loadModelFiles(files) {
      const userFiles = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
      loaded = load(userFiles).catch(() => undefined);
      await loaded;
      const player = usePlayerStore.getState();
      if (get().enabled && player.info) await player.seek(player.currentFrame);
    },
    async loadModelUrl(url) {
      let file: File;
      try {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        file = new File([await res.arrayBuffer()], url.split('/').pop()?.split('?')[0] || 'model.onnx');
      } catch (err) {
        set({ status: 'error', error: `${url}: could not be downloaded (${err instanceof Error ? err.message : String(err)})` });
        return;
      }
      await get().loadModelFiles([file]);
    },
    async loadReidFile(file) {
      loaded = load([], { name: file.name, bytes: await file.arrayBuffer() }).catch(() => undefined);
      await loaded;
      const player = usePlayerStore.getState();
      if (get().enabled && player.info) await player.seek(player.currentFrame);
    },
    async loadDefaultModel() {
      const config = configStore.getState().config;
      dropped.clear();
      try {
        for (const spec of config ? detectorGraphSpecs(config) : []) localStorage.removeItem(rememberedKey(spec));
      } catch {
        // A config without a runnable detector: load() below says why.
      }
      loaded = load().catch(() => undefined);
      await loaded;
    },
  };
});

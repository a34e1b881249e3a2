import { create } from 'zustand';
import { getConfigPath } from '../../core/config/config-value.ts';
import { writeMotTracker } from '../../core/datasets/mot-challenge.ts';
import { writeSotBoxes } from '../../core/datasets/sot.ts';
import { MOT_MODEL_TRACKERS } from '../../core/models/mot/build-mot-tracker.ts';
import { MotRun } from '../../core/models/mot/mot-run.ts';
import { SOT_MODEL_TYPES } from '../../core/models/sot/sot-models.ts';
import type { XywhBox } from '../../core/models/sot/sot-tracker.ts';
import type { OverlayScene } from '../../core/structures/overlay-scene.ts';
import { needsFrame } from '../../core/trackers/tracker.ts';
import { LiveRecorder } from '../../media/live-recorder.ts';
import { renderAnnotatedFrame } from '../../media/render-frame.ts';
import { configStore } from '../config/config-store.ts';
import { useDetectStore } from '../detect/detect-store.ts';
import { downloadBlob } from '../download.ts';
import { RunScenes } from '../mot/run-scenes.ts';
import { trackingConfig } from '../mot/mot-session.ts';
import { useMotStore } from '../mot/mot-store.ts';
import { type SotResult, sotScene, useSotStore } from '../sot/sot-store.ts';
import { cameraErrorMessage } from './camera-errors.ts';

/**
 * Live tracking from a camera. MOT: the config's detector and tracker on the newest camera frame whenever the previous
 * one is done (frames that arrive meanwhile are dropped and counted). SOT: the user draws the target's box on the live
 * image; the tracker is initialised on the frame then shown and takes over from the next one. Each processed frame is
 * drawn annotated on the camera view and recorded: the annotated MP4 (encoded as it goes) and the results of what was
 * shown, MOTChallenge rows (frame = processed-frame number, from 1) or LaSOT `x,y,w,h` lines (from the init frame). A
 * denied permission, a missing camera or one unplugged during a run ends with a message; what was recorded stays.
 */
export interface CameraState {
  devices: { id: string; label: string }[];
  deviceId: string | null;
  /** Requested capture size (the camera may give another; the session uses what it gives). */
  resolution: string;
  status: 'off' | 'starting' | 'live' | 'stopped' | 'error';
  message: string | null;
  /** Camera frames processed (detected, tracked, shown) and dropped (arrived while busy). */
  stats: { processed: number; dropped: number; fps: number | null; tracks: number; width: number; height: number };
  /** MOT (a MOT config) or SOT (a SOT config), fixed when a session starts. */
  mode: 'mot' | 'sot';
  /** SOT: the box being drawn on the live image (frame pixels), and the target's last box. */
  draft: XywhBox | null;
  target: XywhBox | null;
  /** What the last session recorded (kept until the next start): the results text is MOTChallenge or LaSOT. */
  recording: { mp4: Blob | null; text: string; frames: number; encoder: string | null } | null;
  /** The live stream (scripting and tests; null when none). */
  stream: MediaStream | null;
  /** Where live frames are drawn (the panel's canvas). */
  canvas: HTMLCanvasElement | null;
  setCanvas: (canvas: HTMLCanvasElement | null) => void;
  listDevices: () => Promise<void>;
  setDevice: (id: string | null) => void;
  setResolution: (r: string) => void;
  start: () => Promise<void>;
  stop: (reason?: string) => void;
  downloadMp4: () => void;
  downloadResults: () => void;
  setDraft: (box: XywhBox | null) => void;
  /** SOT: initialise the tracker with the drawn box on the next live frame. */
  commitDraft: () => void;
}

/** The live mode of a config's `model.type`: MOT methods and SOT trackers run live; other families do not. */
export function liveMode(modelType: unknown): 'mot' | 'sot' | null {
  if (typeof modelType !== 'string') return null;
  return modelType in MOT_MODEL_TRACKERS ? 'mot' : (SOT_MODEL_TYPES as readonly string[]).includes(modelType) ? 'sot' : null;
}

export const RESOLUTIONS = ['640x480', '1280x720', '1920x1080'] as const;

let session: { token: number; stream: MediaStream; video: HTMLVideoElement } | null = null;
let token = 0;
/** SOT: the box the user committed, taken by the loop on its next frame. */
let committed: XywhBox | null = null;

export const useCameraStore = create<CameraState>()((set, get) => {
  /** The processing loop of one session: newest frame → detect/track → draw → record, until the token changes. */
  async function loop(my: number, stream: MediaStream, video: HTMLVideoElement, mode: 'mot' | 'sot'): Promise<void> {
    const settings = trackingConfig({ config: configStore.getState().config!, classes: useMotStore.getState().classes });
    const detect = useDetectStore.getState();
    const sot = useSotStore.getState();
    let run: MotRun | null = null;
    let scenes: RunScenes | null = null;
    let recorder: LiveRecorder | null = null;
    const sotBoxes: number[] = [];
    let arrived = 0;
    const countFrame = () => {
      arrived++;
      if (token === my) video.requestVideoFrameCallback(countFrame);
    };
    video.requestVideoFrameCallback(countFrame);
    const width = video.videoWidth;
    const height = video.videoHeight;
    const started = performance.now();
    const times: number[] = [];
    let processed = 0;
    let initialised = false;
    try {
      recorder = await LiveRecorder.start(width, height).catch((err: unknown) => {
        set({ message: err instanceof Error ? err.message : String(err) });
        return null;
      });
      while (token === my) {
        if (video.readyState < 2 || arrived === 0) {
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        const frame = await createImageBitmap(video);
        const at = (performance.now() - started) / 1000;
        let scene: OverlayScene | undefined;
        if (mode === 'mot') {
          const dets = await detect.detectLive(processed, await createImageBitmap(frame));
          if (!run || !scenes) {
            const classNames = useDetectStore.getState().detector?.classNames ?? [];
            run = new MotRun(settings.config, classNames);
            scenes = new RunScenes(run.frames, classNames, null);
          }
          const extras = needsFrame(run.tracker.requires) ? await detect.trackerInputs(processed, run.tracker.requires) : {};
          await run.step(processed, dets, useMotStore.getState().minScore ?? 0, extras);
          scene = scenes.get(processed);
        } else {
          const pending = committed;
          let result: SotResult | null = null;
          if (pending) {
            committed = null;
            await sot.liveInit(await createImageBitmap(frame), pending);
            initialised = true;
            sotBoxes.length = 0;
            result = { box: pending, score: 1, init: true };
          } else if (initialised) {
            result = { ...(await sot.liveTrack(await createImageBitmap(frame))), init: false };
          }
          if (result) {
            sotBoxes.push(...result.box);
            scene = sotScene(result);
            if (token === my) set({ target: result.box });
          }
        }
        const canvas = get().canvas;
        if (canvas) {
          if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
          const ctx = canvas.getContext('2d');
          if (ctx) renderAnnotatedFrame(ctx, frame, width, height, scene);
        }
        await recorder?.add(frame, scene, at);
        frame.close();
        processed++;
        times.push(performance.now());
        if (times.length > 10) times.shift();
        const fps = times.length > 1 ? ((times.length - 1) * 1000) / (times[times.length - 1]! - times[0]!) : null;
        if (token === my) set({ stats: { processed, dropped: Math.max(0, arrived - processed), fps, tracks: run ? run.trackList().length : initialised ? 1 : 0, width, height } });
      }
    } catch (err) {
      if (token === my) {
        token++;
        session = null;
        stream.getTracks().forEach((t) => t.stop());
        set({ status: 'error', stream: null, message: `Live tracking stopped after ${processed} frames: ${err instanceof Error ? err.message : String(err)}. What was recorded is kept.` });
      }
    } finally {
      const mp4 = await recorder?.finish().catch(() => null);
      const text = mode === 'mot' ? (run ? writeMotTracker(run.motRows()) : '') : sotBoxes.length ? writeSotBoxes({ count: sotBoxes.length / 4, xywh: Float64Array.from(sotBoxes) }) : '';
      set({ recording: { mp4: mp4 ?? null, text, frames: processed, encoder: recorder?.encoder ?? null } });
    }
  }

  return {
    devices: [],
    deviceId: null,
    resolution: '640x480',
    status: 'off',
    message: null,
    stats: { processed: 0, dropped: 0, fps: null, tracks: 0, width: 0, height: 0 },
    recording: null,
    mode: 'mot',
    draft: null,
    target: null,
    stream: null,
    canvas: null,
    setCanvas: (canvas) => set({ canvas }),

    async listDevices() {
      try {
        const all = await navigator.mediaDevices.enumerateDevices();
        set({ devices: all.filter((d) => d.kind === 'videoinput').map((d, i) => ({ id: d.deviceId, label: d.label || `camera ${i + 1}` })) });
      } catch (err) {
        set({ message: cameraErrorMessage(err) });
      }
    },
    setDevice: (id) => set({ deviceId: id }),
    setResolution: (resolution) => set({ resolution }),

    async start() {
      if (get().status === 'starting' || get().status === 'live') return;
      if (!navigator.mediaDevices?.getUserMedia) {
        set({ status: 'error', message: 'This browser gives no camera access to this page (it needs https or localhost).' });
        return;
      }
      const config = configStore.getState().config;
      const modelType = config ? getConfigPath(config, 'model.type') : undefined;
      const mode = liveMode(modelType);
      if (!config || !mode) {
        set({ status: 'error', message: `Live tracking runs MOT and SOT configs; the chosen config is ${typeof modelType === 'string' ? modelType : 'not loaded'}. Pick one (e.g. configs/mot/default.py).` });
        return;
      }
      committed = null;
      const my = ++token;
      set({ status: 'starting', mode, draft: null, target: null, message: mode === 'sot' ? 'Drag a box around the target on the live image; the tracker takes over from the next frame.' : null, recording: null, stats: { processed: 0, dropped: 0, fps: null, tracks: 0, width: 0, height: 0 } });
      const [w, h] = get().resolution.split('x').map(Number) as [number, number];
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: w }, height: { ideal: h }, ...(get().deviceId ? { deviceId: { exact: get().deviceId! } } : {}) }, audio: false });
      } catch (err) {
        if (token === my) set({ status: 'error', message: cameraErrorMessage(err) });
        return;
      }
      if (token !== my) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      try {
        await video.play();
      } catch (err) {
        stream.getTracks().forEach((t) => t.stop());
        set({ status: 'error', message: cameraErrorMessage(err) });
        return;
      }
      session = { token: my, stream, video };
      // Unplugged (or revoked) mid-run: stop, keep what was recorded.
      for (const t of stream.getVideoTracks()) t.addEventListener('ended', () => get().stop('The camera was disconnected.'));
      set({ status: 'live', stream });
      void get().listDevices();
      void loop(my, stream, video, mode);
    },

    stop(reason) {
      const s = session;
      if (!s) return;
      session = null;
      token++;
      s.stream.getTracks().forEach((t) => t.stop());
      s.video.srcObject = null;
      set({ status: reason ? 'error' : 'stopped', stream: null, message: reason ? `${reason} Live tracking stopped; what was recorded is kept.` : get().message });
    },

    downloadMp4() {
      const r = get().recording;
      if (r?.mp4) downloadBlob(r.mp4, 'camera-session.mp4');
    },
    downloadResults() {
      const r = get().recording;
      if (r) downloadBlob(new Blob([r.text], { type: 'text/plain' }), 'camera-session.txt');
    },
    setDraft: (draft) => set({ draft }),
    commitDraft() {
      const d = get().draft;
      if (!d || d[2] < 2 || d[3] < 2 || get().status !== 'live') return;
      committed = d;
      set({ draft: null, message: null });
    },
  };
});

import { create } from 'zustand';
import { writeMotTracker } from '../../core/datasets/mot-challenge.ts';
import { MOT_MODEL_TRACKERS } from '../../core/models/mot/build-mot-tracker.ts';
import { MotRun } from '../../core/models/mot/mot-run.ts';
import { needsFrame } from '../../core/trackers/tracker.ts';
import { LiveRecorder } from '../../media/live-recorder.ts';
import { renderAnnotatedFrame } from '../../media/render-frame.ts';
import { configStore } from '../config/config-store.ts';
import { useDetectStore } from '../detect/detect-store.ts';
import { downloadBlob } from '../download.ts';
import { SceneBuilder } from '../mot/scene-builder.ts';
import { trackingConfig } from '../mot/mot-session.ts';
import { useMotStore } from '../mot/mot-store.ts';

/**
 * Live MOT from a camera: the config's detector and tracker on the newest camera frame whenever the previous one is
 * done (frames that arrive meanwhile are dropped and counted), the annotated frame on the camera canvas, and a
 * recording of what was shown: the annotated MP4 (encoded as it goes) and the MOTChallenge rows of the processed
 * frames (frame = processed-frame number, from 1). A denied permission, a missing camera or one unplugged during a run
 * ends with a message; what was recorded stays downloadable.
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
  /** What the last session recorded (kept until the next start). */
  recording: { mp4: Blob | null; motText: string; frames: number; encoder: string | null } | null;
  /** Where live frames are drawn (the panel's canvas). */
  canvas: HTMLCanvasElement | null;
  setCanvas: (canvas: HTMLCanvasElement | null) => void;
  listDevices: () => Promise<void>;
  setDevice: (id: string | null) => void;
  setResolution: (r: string) => void;
  start: () => Promise<void>;
  stop: (reason?: string) => void;
  downloadMp4: () => void;
  downloadMot: () => void;
}

export const RESOLUTIONS = ['640x480', '1280x720', '1920x1080'] as const;

/** The camera errors getUserMedia gives, in the user's terms. */
export function cameraErrorMessage(err: unknown): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  const text = err instanceof Error ? err.message : String(err);
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera permission was denied: allow the camera for this page (address bar → site settings) and press Start again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return name === 'NotFoundError' ? 'No camera was found: connect one and press Start again.' : `The camera cannot give that device or resolution (${text}): pick another.`;
    case 'NotReadableError':
    case 'AbortError':
      return `The camera could not be started (another application may be using it): ${text}`;
    default:
      return `The camera could not be started: ${text}`;
  }
}

let session: { token: number; stream: MediaStream; video: HTMLVideoElement } | null = null;
let token = 0;

export const useCameraStore = create<CameraState>()((set, get) => {
  /** The processing loop of one session: newest frame → detect → track → draw → record, until the token changes. */
  async function loop(my: number, stream: MediaStream, video: HTMLVideoElement): Promise<void> {
    const settings = trackingConfig({ config: configStore.getState().config!, classes: useMotStore.getState().classes });
    const detect = useDetectStore.getState();
    let run: MotRun | null = null;
    let builder: SceneBuilder | null = null;
    let recorder: LiveRecorder | null = null;
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
        const dets = await detect.detectLive(processed, await createImageBitmap(frame));
        if (!run || !builder) {
          const classNames = useDetectStore.getState().detector?.classNames ?? [];
          run = new MotRun(settings.config, classNames);
          builder = new SceneBuilder(classNames, null);
        }
        const extras = needsFrame(run.tracker.requires) ? await detect.trackerInputs(processed, run.tracker.requires) : {};
        builder.add(processed, await run.step(processed, dets, useMotStore.getState().minScore ?? 0, extras));
        const scene = builder.scenes.get(processed);
        builder.scenes.delete(processed - 1);
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
        if (token === my) set({ stats: { processed, dropped: Math.max(0, arrived - processed), fps, tracks: run.trackList().length, width, height } });
      }
    } catch (err) {
      if (token === my) {
        token++;
        stream.getTracks().forEach((t) => t.stop());
        set({ status: 'error', message: `Live tracking stopped after ${processed} frames: ${err instanceof Error ? err.message : String(err)}. What was recorded is kept.` });
      }
    } finally {
      const mp4 = await recorder?.finish().catch(() => null);
      set({ recording: { mp4: mp4 ?? null, motText: run ? writeMotTracker(run.motRows()) : '', frames: processed, encoder: recorder?.encoder ?? null } });
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
      const modelType = config?.model && typeof config.model === 'object' && !Array.isArray(config.model) ? (config.model as { type?: unknown }).type : undefined;
      if (!config || typeof modelType !== 'string' || !(modelType in MOT_MODEL_TRACKERS)) {
        set({ status: 'error', message: `Live tracking runs MOT configs; the chosen config is ${typeof modelType === 'string' ? modelType : 'not loaded'}. Pick a MOT config (e.g. configs/mot/default.py).` });
        return;
      }
      const my = ++token;
      set({ status: 'starting', message: null, recording: null, stats: { processed: 0, dropped: 0, fps: null, tracks: 0, width: 0, height: 0 } });
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
      set({ status: 'live' });
      void get().listDevices();
      void loop(my, stream, video);
    },

    stop(reason) {
      const s = session;
      if (!s) return;
      session = null;
      token++;
      s.stream.getTracks().forEach((t) => t.stop());
      s.video.srcObject = null;
      set({ status: reason ? 'error' : 'stopped', message: reason ? `${reason} Live tracking stopped; what was recorded is kept.` : get().message });
    },

    downloadMp4() {
      const r = get().recording;
      if (r?.mp4) downloadBlob(r.mp4, 'camera-session.mp4');
    },
    downloadMot() {
      const r = get().recording;
      if (r) downloadBlob(new Blob([r.motText], { type: 'text/plain' }), 'camera-session.txt');
    },
  };
});

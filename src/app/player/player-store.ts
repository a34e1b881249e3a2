import { create } from 'zustand';
import type { DecodedFrame } from '../../media/frame-source.ts';
import type { VideoInput } from '../../media/open-video.ts';
import { truncationMessage, type VideoInfo } from '../../media/video-info.ts';
import { DecodeClient } from '../../workers/decode-client.ts';
import { isCancelled } from '../../workers/rpc.ts';

/** How many frames playback keeps requested ahead of the one on screen (bounds decoded-frame memory). */
const PREFETCH = 4;

export interface PlayerState {
  status: 'idle' | 'opening' | 'ready';
  /** Name of the file being opened or shown. */
  fileName: string | null;
  info: VideoInfo | null;
  /** The input the current video came from, and ffmpeg's re-encode when that path was used (export reads them). */
  input: VideoInput | null;
  playable: Blob | null;
  openProgress: { stage: string; fraction: number } | null;
  /** A failure the user must see (names the file), also a truncated file that still plays what it has. */
  error: string | null;
  /** 0-based index of the frame on screen. */
  currentFrame: number;
  /** The decoded image of `currentFrame`; owned by the store (closed when replaced). */
  image: DecodedFrame | null;
  playing: boolean;
  /** Frames decoded per second over the recent frames (decoder time only). */
  decodeFps: number | null;

  /**
   * Work to do on each frame before it is shown (e.g. run the detector), awaited so that results appear on every
   * frame while playing. The hook must not close the frame.
   */
  frameHook: ((index: number, frame: DecodedFrame) => Promise<void>) | null;
  setFrameHook: (hook: ((index: number, frame: DecodedFrame) => Promise<void>) | null) => void;
  /** Frames marked on the timeline (e.g. a VID method's key frames), with what they are. */
  marks: { frames: readonly number[]; label: string } | null;
  setMarks: (marks: PlayerState['marks']) => void;
  /** Decodes frame `index` without showing it (a VID method's key frame before a frame after it); the caller closes it. */
  frameAt: (index: number) => Promise<DecodedFrame>;
  open: (input: VideoInput) => Promise<void>;
  cancelOpen: () => void;
  play: () => void;
  pause: () => void;
  togglePlay: () => void;
  seek: (frame: number) => Promise<void>;
  step: (delta: number) => Promise<void>;
}

let client: DecodeClient | null = null;
const decoder = () => (client ??= new DecodeClient());
/** Bumped by every seek/pause/open: a playback loop that sees a newer token stops. */
let playToken = 0;
const recentDecodeMs: number[] = [];

function fpsFrom(ms: number): number | null {
  recentDecodeMs.push(ms);
  if (recentDecodeMs.length > 30) recentDecodeMs.shift();
  const mean = recentDecodeMs.reduce((a, b) => a + b, 0) / recentDecodeMs.length;
  return mean > 0 ? 1000 / mean : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const usePlayerStore = create<PlayerState>()((set, get) => {
  /** Runs the frame hook; its failure is reported but never stops playback or seeking. */
  async function runHook(index: number, image: DecodedFrame): Promise<void> {
    const hook = get().frameHook;
    if (!hook) return;
    try {
      await hook(index, image);
    } catch (err) {
      set({ error: err instanceof Error ? err.message : String(err) });
    }
  }

  function show(index: number, image: DecodedFrame, decodeMs: number): void {
    const prev = get().image;
    set({ currentFrame: index, image, decodeFps: fpsFrom(decodeMs) });
    if (prev && prev !== image) prev.close();
  }

  async function playLoop(token: number): Promise<void> {
    const { info } = get();
    if (!info) return;
    const start = get().currentFrame + 1 >= info.frameCount ? 0 : get().currentFrame + 1;
    const queue: Array<ReturnType<DecodeClient['frame']>> = [];
    let next = start;
    const t0 = performance.now();
    for (let i = start; i < info.frameCount; i++) {
      while (queue.length < PREFETCH && next < info.frameCount) queue.push(decoder().frame(next++));
      let got;
      try {
        got = await (queue.shift() as ReturnType<DecodeClient['frame']>);
      } catch (err) {
        if (isCancelled(err)) return;
        set({ playing: false, error: err instanceof Error ? err.message : String(err) });
        return;
      }
      if (token !== playToken) return got.frame.close();
      await runHook(got.index, got.frame);
      if (token !== playToken) return got.frame.close();
      const due = t0 + ((i - start) * 1000) / info.fps;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      if (token !== playToken) return got.frame.close();
      show(got.index, got.frame, got.decodeMs);
    }
    if (token === playToken) set({ playing: false });
  }

  return {
    status: 'idle',
    fileName: null,
    info: null,
    input: null,
    playable: null,
    openProgress: null,
    error: null,
    currentFrame: 0,
    image: null,
    playing: false,
    decodeFps: null,
    frameHook: null,
    setFrameHook: (frameHook) => set({ frameHook }),
    marks: null,
    setMarks: (marks) => set({ marks }),
    async frameAt(index) {
      return (await decoder().frame(index)).frame;
    },

    async open(given) {
      playToken++;
      // `?decoder=ffmpeg` in the page URL sends files through ffmpeg.wasm even when WebCodecs could decode them.
      const forced = new URLSearchParams(location.search).get('decoder') === 'ffmpeg';
      const input: VideoInput = given.kind === 'file' && forced ? { ...given, decoder: 'ffmpeg' } : given;
      const fileName = input.kind === 'file' ? input.file.name : input.name;
      set({ status: 'opening', fileName, error: null, playing: false, openProgress: { stage: 'probe', fraction: 0 } });
      try {
        const { info, playable } = await decoder().open(input, (stage, fraction) => set({ openProgress: { stage, fraction } }));
        get().image?.close();
        recentDecodeMs.length = 0;
        set({ status: 'ready', info, input, playable, image: null, currentFrame: 0, openProgress: null, error: truncationMessage(info) });
        await get().seek(0);
      } catch (err) {
        if (isCancelled(err) && get().fileName !== fileName) return;
        const prev = get();
        set({
          status: prev.info ? 'ready' : 'idle',
          fileName: prev.info?.name ?? null,
          openProgress: null,
          error: isCancelled(err) ? `${fileName}: opening cancelled` : err instanceof Error ? err.message : String(err),
        });
      }
    },

    cancelOpen() {
      decoder().cancelOpen();
    },

    play() {
      const { info, playing } = get();
      if (!info || playing) return;
      const token = ++playToken;
      decoder().dropPending();
      set({ playing: true });
      void playLoop(token);
    },

    pause() {
      if (!get().playing) return;
      playToken++;
      decoder().dropPending();
      set({ playing: false });
    },

    togglePlay() {
      if (get().playing) get().pause();
      else get().play();
    },

    async seek(frame) {
      const { info } = get();
      if (!info) return;
      const index = Math.max(0, Math.min(info.frameCount - 1, Math.round(frame)));
      const wasPlaying = get().playing;
      playToken++;
      decoder().dropPending();
      set({ currentFrame: index, playing: false });
      try {
        const got = await decoder().frame(index);
        if (get().currentFrame !== index || get().info !== info) return got.frame.close();
        await runHook(index, got.frame);
        if (get().currentFrame !== index || get().info !== info) return got.frame.close();
        show(index, got.frame, got.decodeMs);
        if (wasPlaying) get().play();
      } catch (err) {
        if (isCancelled(err)) return;
        set({ error: err instanceof Error ? err.message : String(err) });
      }
    },

    async step(delta) {
      get().pause();
      await get().seek(get().currentFrame + delta);
    },
  };
});

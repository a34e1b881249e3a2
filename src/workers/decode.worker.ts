/// <reference lib="webworker" />
// Decodes one video at a time, off the main thread: opening (WebCodecs or ffmpeg.wasm) and frames on request.
import type { FrameSource } from '../media/frame-source.ts';
import { terminateFfmpeg } from '../media/ffmpeg.ts';
import { openVideo } from '../media/open-video.ts';
import { MediaOpenError } from '../media/video-info.ts';
import type { DecodeRequest, DecodeResponse } from './decode-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let source: FrameSource | null = null;
let currentOpen = 0;
let gen = 0;
let queue: Promise<void> = Promise.resolve();

function post(msg: DecodeResponse, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function open(openId: number, req: Extract<DecodeRequest, { type: 'open' }>): Promise<void> {
  // The previous video stays playable until the new one has opened (a failed open keeps it on screen).
  currentOpen = openId;
  const name = req.input.kind === 'file' ? req.input.file.name : req.input.name;
  try {
    const opened = await openVideo(req.input, (stage, fraction) => post({ type: 'open-progress', openId, stage, fraction }));
    if (openId !== currentOpen) return opened.close();
    source?.close();
    source = opened;
    // When ffmpeg.wasm produced the frames, hand the re-encode over so export need not decode the original again.
    const playable = opened.info.path === 'ffmpeg' ? (opened.playable ?? null) : null;
    post({ type: 'opened', openId, info: opened.info, playable });
  } catch (err) {
    if (openId !== currentOpen) return;
    const message = err instanceof MediaOpenError ? err.message : `${name}: ${messageOf(err)}`;
    post({ type: 'open-failed', openId, message, cancelled: false });
  }
}

async function serveFrame(req: Extract<DecodeRequest, { type: 'frame' }>): Promise<void> {
  if (req.gen < gen || !source) return post({ type: 'frame-skipped', reqId: req.reqId });
  const started = performance.now();
  try {
    const frame = await source.frame(req.index);
    post({ type: 'frame', reqId: req.reqId, index: req.index, frame, decodeMs: performance.now() - started }, [frame]);
  } catch (err) {
    post({ type: 'frame-failed', reqId: req.reqId, index: req.index, message: messageOf(err) });
  }
}

scope.onmessage = (ev: MessageEvent<DecodeRequest>) => {
  const req = ev.data;
  switch (req.type) {
    case 'open':
      gen++;
      queue = queue.then(() => open(req.openId, req));
      break;
    case 'cancel-open':
      if (req.openId === currentOpen) {
        currentOpen = -1;
        terminateFfmpeg();
        post({ type: 'open-failed', openId: req.openId, message: 'Opening was cancelled.', cancelled: true });
      }
      break;
    case 'frame':
      queue = queue.then(() => serveFrame(req));
      break;
    case 'set-gen':
      gen = req.gen;
      break;
    case 'close':
      source?.close();
      source = null;
      break;
  }
};

/// <reference lib="webworker" />
// Decodes one video at a time, off the main thread: opening (WebCodecs or ffmpeg.wasm) and frames on request.
import type { FrameSource } from '../media/frame-source.ts';
import { terminateFfmpeg } from '../media/ffmpeg.ts';
import { openVideo } from '../media/open-video.ts';
import { MediaOpenError } from '../media/video-info.ts';
import type { DecodeApi } from './decode-protocol.ts';
import { CancelledError, serveRpc } from './rpc.ts';

let source: FrameSource | null = null;

serveRpc<DecodeApi>(
  {
    async open(input, { signal, progress }) {
      // The previous video stays playable until the new one has opened (a failed open keeps it on screen).
      const name = input.kind === 'file' ? input.file.name : input.name;
      signal.addEventListener('abort', terminateFfmpeg, { once: true });
      let opened: FrameSource;
      try {
        opened = await openVideo(input, (stage, fraction) => progress({ stage, fraction }));
      } catch (err) {
        if (signal.aborted) throw new CancelledError('Opening was cancelled.');
        throw err instanceof MediaOpenError ? err : new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        signal.removeEventListener('abort', terminateFfmpeg);
      }
      if (signal.aborted) {
        opened.close();
        throw new CancelledError('Opening was cancelled.');
      }
      source?.close();
      source = opened;
      // When ffmpeg.wasm produced the frames, hand the re-encode over so export need not decode the original again.
      return { info: opened.info, playable: opened.info.path === 'ffmpeg' ? (opened.playable ?? null) : null };
    },
    async frame(index, { transfer }) {
      if (!source) throw new Error('no video is open');
      const started = performance.now();
      const frame = await source.frame(index);
      transfer(frame);
      return { frame, index, decodeMs: performance.now() - started };
    },
    close() {
      source?.close();
      source = null;
    },
  },
  { serial: true },
);

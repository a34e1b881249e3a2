/// <reference lib="webworker" />
// Renders every frame with its overlay and encodes the MP4, off the main thread.
import { exportAnnotatedMp4 } from '../media/export-mp4.ts';
import type { FrameSource } from '../media/frame-source.ts';
import { openImageFolder } from '../media/image-folder-source.ts';
import { openWebCodecsSource } from '../media/webcodecs-source.ts';
import type { ExportRequest, ExportResponse } from './export-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const jobs = new Map<number, AbortController>();
const post = (msg: ExportResponse) => scope.postMessage(msg);

async function run(req: Extract<ExportRequest, { type: 'start' }>): Promise<void> {
  const abort = new AbortController();
  jobs.set(req.jobId, abort);
  let source: FrameSource | null = null;
  try {
    source = req.input.kind === 'video' ? await openWebCodecsSource(req.input.blob, req.input.name) : await openImageFolder(req.input.files, req.input.name);
    const result = await exportAnnotatedMp4(source, {
      scenes: req.scenes,
      encoder: req.encoder,
      signal: abort.signal,
      onProgress: (done, total) => post({ type: 'progress', jobId: req.jobId, done, total }),
    });
    post({ type: 'done', jobId: req.jobId, ...result });
  } catch (err) {
    const cancelled = abort.signal.aborted;
    post({ type: 'failed', jobId: req.jobId, cancelled, message: cancelled ? 'Export cancelled.' : `${req.input.name}: export failed: ${err instanceof Error ? err.message : String(err)}` });
  } finally {
    source?.close();
    jobs.delete(req.jobId);
  }
}

scope.onmessage = (ev: MessageEvent<ExportRequest>) => {
  const req = ev.data;
  if (req.type === 'start') void run(req);
  else jobs.get(req.jobId)?.abort();
};

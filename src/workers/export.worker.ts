/// <reference lib="webworker" />
// Renders every frame with its overlay and encodes the MP4, off the main thread.
import { exportAnnotatedMp4 } from '../media/export-mp4.ts';
import type { FrameSource } from '../media/frame-source.ts';
import { openImageFolder } from '../media/image-folder-source.ts';
import { openWebCodecsSource } from '../media/webcodecs-source.ts';
import type { ExportApi } from './export-protocol.ts';
import { serveRpc } from './rpc.ts';

serveRpc<ExportApi>({
  async export({ input, scenes, encoder }, { signal, progress }) {
    let source: FrameSource | null = null;
    try {
      source = input.kind === 'video' ? await openWebCodecsSource(input.blob, input.name) : await openImageFolder(input.files, input.name);
      return await exportAnnotatedMp4(source, { scenes, encoder, signal, onProgress: (done, total) => progress([done, total]) });
    } catch (err) {
      throw new Error(`${input.name}: export failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    } finally {
      source?.close();
    }
  },
});

// `mmtrack track` for VIS configs (MMTracking's demo_mot_vis.py on a MaskTrack R-CNN config): the model over every
// frame, YouTube-VIS results (what `mmtrack eval vis` and MMTracking read), per-instance mask PNGs, the annotated MP4.
import { nodeOrt } from '../../runtime/node-ort.node.ts';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { ConfigDict } from '../../core/config/config-value.ts';
import { YtvisResultsBuilder } from '../../core/datasets/ytvis-results.ts';
import { type BitMasks, maskBit, toRleMasks } from '../../core/structures/bit-masks.ts';
import { trackRgb } from '../../core/structures/overlay-scene.ts';
import { openFrames } from '../../media/ffmpeg-frame-reader.node.ts';
import { maskPng } from '../../media/mask-png.ts';
import { loadVisRunner } from '../../runtime/vis/vis-runner.ts';
import { type CliIo, UserError } from '../command.ts';
import { jsonText } from '../json-output.ts';
import { announceRuntime, DEFAULT_MODEL_DIR, loadCliModel } from '../model-dir.ts';
import { prepareOutputFile, prepareOutputFolder, writeOutputFile } from '../output-path.ts';
import { drawRect, openVideoWriter } from '../video-writer.ts';
import type { TrackFlags } from './track.ts';

/** Blends mask `i` into the frame in `rgb` at 50 %. */
function drawMask(rgba: Uint8Array, masks: BitMasks, i: number, rgb: readonly [number, number, number]): void {
  for (let y = 0; y < masks.height; y++) {
    for (let x = 0; x < masks.width; x++) {
      if (!maskBit(masks, i, y, x)) continue;
      const p = (y * masks.width + x) * 4;
      for (let c = 0; c < 3; c++) rgba[p + c] = (rgba[p + c]! + rgb[c]!) >> 1;
    }
  }
}

export async function runVisTrack(config: ConfigDict, flags: TrackFlags, io: CliIo): Promise<number> {
  const a = { input: flags.input, out: flags.out, pngDir: flags['png-dir'] ?? null, outputVideo: flags['output-video'] ?? null, modelDir: flags['model-dir'] ?? DEFAULT_MODEL_DIR };
  await prepareOutputFile(a.out, '--out');
  if (a.pngDir) await prepareOutputFolder(a.pngDir, '--png-dir');
  if (a.outputVideo) await prepareOutputFile(a.outputVideo, '--output-video');
  const { ort } = await nodeOrt();
  const runner = await loadVisRunner(ort, config, (spec) => loadCliModel(spec, a.modelDir));
  await announceRuntime(io);
  try {
    const frames = openFrames(a.input);
    const writer = a.outputVideo ? openVideoWriter(a.outputVideo, frames.width, frames.height, frames.fps) : null;
    const results = new YtvisResultsBuilder(1);
    const ids = new Set<number>();
    const started = performance.now();
    let n = 0;
    let pngs = 0;
    for await (const frame of frames.frames()) {
      let r;
      try {
        r = await runner.track(frame.index, frame.data, frame.width, frame.height);
      } catch (err) {
        throw new UserError(`${frames.name}, frame ${frame.index + 1}: ${err instanceof Error ? err.message : String(err)}`);
      }
      const d = r.detections;
      results.addFrame(frame.index, d.ids, d.labels, d.scores, toRleMasks(r.masks));
      for (let i = 0; i < d.ids.length; i++) {
        const id = d.ids[i]!;
        if (id < 0) continue;
        ids.add(id);
        // PNG_DIR/<instance id>/<frame, 0-based>.png (a later detection with the same id on the frame overwrites).
        if (a.pngDir) {
          await prepareOutputFolder(join(a.pngDir, String(id)), '--png-dir');
          await writeOutputFile(join(a.pngDir, String(id), `${String(frame.index).padStart(6, '0')}.png`), await maskPng(r.masks, i, (raw) => deflateSync(raw)));
          pngs++;
        }
        if (writer) {
          const rgb = trackRgb(id);
          drawMask(frame.data, r.masks, i, rgb);
          const b = d.boxes;
          drawRect(frame.data, frame.width, frame.height, { x1: b[i * 4]!, y1: b[i * 4 + 1]!, x2: b[i * 4 + 2]!, y2: b[i * 4 + 3]!, rgb });
        }
      }
      await writer?.write(frame.data);
      n++;
      io.stderr(`\rframe ${n}/${frames.frameCount || '?'}  ${((n * 1000) / (performance.now() - started)).toFixed(1)} frames/s  ${ids.size} instances`);
    }
    io.stderr('\n');
    await writer?.close();
    const json = results.results(n);
    await writeOutputFile(a.out, jsonText(json, io, a.out));
    io.stderr(`${a.out}: ${json.length} instances over ${n} frames of ${frames.name} (${runner.type})${a.pngDir ? `; ${pngs} mask PNGs in ${a.pngDir}` : ''}${a.outputVideo ? `; video ${a.outputVideo}` : ''}\n`);
    return 0;
  } finally {
    await runner.release();
  }
}

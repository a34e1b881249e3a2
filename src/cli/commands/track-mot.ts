import { basename, extname, join } from 'node:path';
import type { ConfigDict } from '../../core/config/config-value.ts';
import { numberFlag } from '../args.ts';
import type { CliIo } from '../command.ts';
import { prepareOutputFile, prepareOutputFolder, writeOutputFile } from '../output-path.ts';
import type { TrackFlags } from './track.ts';
import { openFrames } from '../../media/ffmpeg-frame-reader.node.ts';
import { announceRuntime, DEFAULT_MODEL_DIR } from '../model-dir.ts';
import { MotVideoRunner } from '../mot-video-runner.ts';
import { trackRgb } from '../../core/structures/overlay-scene.ts';
import { drawRect, openVideoWriter } from '../video-writer.ts';

/** `mmtrack track` for MOT configs: detector (CPU runner) + the config's tracker over every frame. */
export async function runMotTrack(config: ConfigDict, flags: TrackFlags, io: CliIo): Promise<number> {
  const a = { input: flags.input, out: flags.out, outputVideo: flags['output-video'] ?? null, scoreThr: numberFlag('min-det-score', flags['min-det-score'], { min: 0, max: 1 }) ?? 0, modelDir: flags['model-dir'] ?? DEFAULT_MODEL_DIR };
  await prepareOutputFolder(a.out, '--out');
  if (a.outputVideo) await prepareOutputFile(a.outputVideo, '--output-video');
  const runner = await MotVideoRunner.load(config, a.modelDir);
  await announceRuntime(io);
  try {
    const frames = openFrames(a.input);
    const writer = a.outputVideo ? openVideoWriter(a.outputVideo, frames.width, frames.height, frames.fps) : null;
    const started = performance.now();
    const result = await runner.run(frames, {
      scoreThr: a.scoreThr,
      onFrame: async (frame, tracked, tracks) => {
        if (writer) {
          const b = tracked.boxes;
          for (let i = 0; i < tracked.scores.length; i++) {
            drawRect(frame.data, frame.width, frame.height, { x1: b[i * 4]!, y1: b[i * 4 + 1]!, x2: b[i * 4 + 2]!, y2: b[i * 4 + 3]!, rgb: trackRgb(tracked.ids?.[i] ?? 0) });
          }
          await writer.write(frame.data);
        }
        const n = frame.index + 1;
        io.stderr(`\rframe ${n}/${frames.frameCount || '?'}  ${((n * 1000) / (performance.now() - started)).toFixed(1)} frames/s  ${tracks} tracks`);
      },
    });
    io.stderr('\n');
    await writer?.close();
    const name = basename(frames.name, extname(frames.name));
    const outFile = join(a.out, `${name}.txt`);
    await writeOutputFile(outFile, result.text);
    io.stderr(`${outFile}: ${result.tracks} tracks over ${result.frames} frames${a.outputVideo ? `; video ${a.outputVideo}` : ''}\n`);
  } finally {
    await runner.release();
  }
  return 0;
}

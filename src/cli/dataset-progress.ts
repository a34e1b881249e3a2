// Progress of a run over many videos: on a terminal, cli-progress bars (one overall, one for the video running);
// elsewhere (a pipe, a log file, tests) one line per video, so logs stay readable.
import type CliProgress from 'cli-progress';
import { createRequire } from 'node:module';
import { type CliIo, processIo } from './command.ts';

export interface VideoProgress {
  frame(done: number): void;
  done(line: string): void;
}

export interface DatasetProgress {
  video(name: string, frames: number): VideoProgress;
  /** A line about one video (skipped, failed), printed above the bars. */
  log(line: string): void;
  stop(): void;
}

export function datasetProgress(io: CliIo, total: number, tty = io === processIo && process.stderr.isTTY === true): DatasetProgress {
  let finished = 0;
  if (!tty) {
    return {
      video: (name) => ({ frame: () => undefined, done: (line) => io.stderr(`[${++finished}/${total}] ${name}: ${line}\n`) }),
      log: (line) => io.stderr(`${line}\n`),
      stop: () => undefined,
    };
  }
  // Loaded for a terminal only: pipes, tests and every start of the CLI skip it.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const multi = new cliProgress.MultiBar(
    { stream: process.stderr, clearOnComplete: false, hideCursor: true, format: '{label} |{bar}| {value}/{total} {unit} {extra}', barsize: 30, etaBuffer: 20 },
    cliProgress.Presets.shades_classic,
  );
  const overall = multi.create(total, 0, { label: 'all videos'.padEnd(24), unit: 'videos', extra: '' });
  return {
    video(name, frames) {
      const started = performance.now();
      const bar = multi.create(frames, 0, { label: name.slice(0, 24).padEnd(24), unit: 'frames', extra: '' });
      return {
        frame(done) {
          bar.update(done, { extra: `${((done * 1000) / (performance.now() - started)).toFixed(1)} frames/s` });
        },
        done(line) {
          multi.remove(bar);
          multi.log(`${name}: ${line}\n`);
          overall.increment();
        },
      };
    },
    log: (line) => multi.log(`${line}\n`),
    stop: () => multi.stop(),
  };
}

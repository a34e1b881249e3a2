// Reading ffmpeg's log lines: durations, progress, codecs and failure reasons (pure, unit-tested).

/** The input duration from ffmpeg's `Duration: 00:00:02.67` line. */
export function durationSeconds(log: string[]): number | null {
  for (const line of log) {
    const m = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(line);
    if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  }
  return null;
}

/** The codec ffmpeg reports for the first video stream (`mpeg4`, `mjpeg`...), for the info panel. */
export function probedVideoCodec(log: string[]): string | null {
  for (const line of log) {
    const m = /Stream #\d+:\d+.*: Video: ([a-z0-9_]+)/i.exec(line);
    if (m) return m[1] ?? null;
  }
  return null;
}

/** Seconds from a progress line's `time=00:00:01.23`, or null. */
export function timeSeconds(line: string): number | null {
  const t = /time=(\d+):(\d+):(\d+(?:\.\d+)?)/.exec(line);
  return t ? Number(t[1]) * 3600 + Number(t[2]) * 60 + Number(t[3]) : null;
}

/** The most telling line of ffmpeg's log for a failed command, in plain words where we know the phrase. */
export function ffmpegFailureReason(log: string[]): string {
  const text = log.join('\n');
  if (/moov atom not found/i.test(text)) return "the MP4 has no 'moov' box (index missing): the file is incomplete";
  if (/Invalid data found when processing input/i.test(text)) return 'ffmpeg found invalid data';
  if (/Output file #0 does not contain any stream|does not contain any stream/i.test(text)) return 'the file contains no video stream';
  const decoder = /Decoder \(codec ([^)]+)\) not found|Unknown decoder '([^']+)'/i.exec(text);
  if (decoder) return `no decoder for codec ${decoder[1] ?? decoder[2]}`;
  const last = [...log].reverse().find((l) => /error|invalid|unsupported|failed/i.test(l));
  return last ? `ffmpeg: ${last.trim()}` : 'ffmpeg could not read it';
}

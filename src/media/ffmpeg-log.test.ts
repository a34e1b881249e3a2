import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { durationSeconds, ffmpegFailureReason, probedVideoCodec, timeSeconds } from './ffmpeg-log.ts';

const media = (name: string) => resolve(__dirname, '../../../shared/media', name);

/** Real ffmpeg (Debian's) log lines for a file: the same text ffmpeg.wasm prints. */
function ffmpegLog(path: string): string[] {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-i', path, '-frames:v', '1', '-f', 'null', '-'], { encoding: 'utf8' });
  if (r.error) throw new Error(`ffmpeg is needed for this test (apt-get install ffmpeg): ${r.error.message}`);
  return r.stderr.split('\n');
}

describe('reading ffmpeg logs', () => {
  it('finds duration and codec of the MPEG-4 Part 2 clip', () => {
    const log = ffmpegLog(media('street-1080p-mpeg4.mp4'));
    expect(durationSeconds(log)).toBeCloseTo(2.67, 2);
    expect(probedVideoCodec(log)).toBe('mpeg4');
  });
  it('names the reason for a missing moov and for garbage', () => {
    expect(ffmpegFailureReason(ffmpegLog(media('missing-moov-h264.mp4')))).toMatch(/no 'moov' box/);
    expect(ffmpegFailureReason(['[in#0] something', 'media: Invalid data found when processing input'])).toBe('ffmpeg found invalid data');
    expect(ffmpegFailureReason(['Decoder (codec av1) not found for input stream #0:0'])).toBe('no decoder for codec av1');
    expect(ffmpegFailureReason(['all fine'])).toBe('ffmpeg could not read it');
  });
  it('reads progress times', () => {
    expect(timeSeconds('frame=   10 fps=0.0 q=-0.0 size=N/A time=00:01:02.50 bitrate=N/A')).toBeCloseTo(62.5);
    expect(timeSeconds('no time here')).toBeNull();
  });
});

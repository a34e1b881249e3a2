import { ALL_FORMATS, BlobSource, EncodedPacketSink, Input, IsobmffInputFormat, UnsupportedInputFormatError, VideoSampleSink, type InputVideoTrack, type VideoSample } from 'mediabunny';
import type { FrameSource } from './frame-source.ts';
import { blobByteSource, scanTopLevelBoxes } from './isobmff-boxes.ts';
import { MediaOpenError, type DecodePath, type VideoInfo } from './video-info.ts';

/** The container was read but the browser can't decode its video codec: the caller falls back to ffmpeg.wasm. */
export class CodecNotDecodableError extends Error {
  override name = 'CodecNotDecodableError';
  constructor(
    readonly codec: string,
    readonly container: string,
  ) {
    super(`the browser cannot decode ${codec} video`);
  }
}

/** The bytes are not a container mediabunny knows (AVI, raw streams, garbage): the caller tries ffmpeg.wasm. */
export class ContainerNotRecognisedError extends Error {
  override name = 'ContainerNotRecognisedError';
}

/** Reads the video's packets (metadata only, no decoding) to get every frame's presentation time. */
async function listFrameTimestamps(track: InputVideoTrack): Promise<number[]> {
  const sink = new EncodedPacketSink(track);
  const ts: number[] = [];
  for await (const p of sink.packets(undefined, undefined, { metadataOnly: true })) ts.push(p.timestamp);
  return ts.sort((a, b) => a - b);
}

/** For an MP4 cut short: how many packets (decode order) have all their bytes, and their presentation times. */
async function readableTimestamps(track: InputVideoTrack): Promise<number[]> {
  const sink = new EncodedPacketSink(track);
  const ts: number[] = [];
  for await (const p of sink.packets()) {
    if (p.data.byteLength < p.byteLength) break;
    ts.push(p.timestamp);
  }
  return ts.sort((a, b) => a - b);
}

/** Explains why an MP4 has no readable video track, from its top-level boxes. */
async function explainEmptyMp4(blob: Blob): Promise<string> {
  const scan = await scanTopLevelBoxes(blobByteSource(blob));
  if (scan && !scan.boxes.some((b) => b.type === 'moov')) {
    return "the MP4 has no 'moov' box (the index a camera or encoder writes when it finishes), so its frames cannot be located; the recording was not finalised or the file was cut";
  }
  return 'the file contains no video track';
}

/**
 * Opens a video with mediabunny (demux) + WebCodecs (decode). Throws `ContainerNotRecognisedError` or
 * `CodecNotDecodableError` when ffmpeg.wasm should try instead, and `MediaOpenError` for files nobody can read.
 */
export async function openWebCodecsSource(blob: Blob, name: string, path: DecodePath = 'webcodecs'): Promise<FrameSource> {
  const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  let container: string;
  let isobmff: boolean;
  try {
    const format = await input.getFormat();
    container = format.name;
    isobmff = format instanceof IsobmffInputFormat;
  } catch (err) {
    input.dispose();
    if (err instanceof UnsupportedInputFormatError) throw new ContainerNotRecognisedError(`${name}: unrecognised container`);
    throw err;
  }
  try {
    const track = await input.getPrimaryVideoTrack();
    if (!track) throw new MediaOpenError(name, isobmff ? await explainEmptyMp4(blob) : `the ${container} file contains no video track`);
    const codec = (await track.getCodec()) ?? (await track.getCodecParameterString()) ?? 'an unknown codec';
    if (!(await track.canDecode())) throw new CodecNotDecodableError(codec, container);

    let timestamps = await listFrameTimestamps(track);
    const listed = timestamps.length;
    let truncated: VideoInfo['truncated'];
    const scan = isobmff ? await scanTopLevelBoxes(blobByteSource(blob)) : null;
    if (scan?.truncated) {
      timestamps = await readableTimestamps(track);
      if (timestamps.length < listed) truncated = { firstMissingFrame: timestamps.length + 1, listedFrames: listed };
    }
    if (timestamps.length === 0) throw new MediaOpenError(name, truncated ? 'the file is truncated before its first frame' : 'the video track has no frames');

    const metrics = await track.computeFrameRateMetrics().catch(() => null);
    const span = (timestamps.at(-1) ?? 0) - (timestamps[0] ?? 0);
    const fps = metrics?.bestGuessFrameRate ?? (timestamps.length > 1 && span > 0 ? (timestamps.length - 1) / span : 30);
    const info: VideoInfo = {
      name,
      width: await track.getDisplayWidth(),
      height: await track.getDisplayHeight(),
      frameCount: timestamps.length,
      fps,
      codec,
      container,
      path,
      ...(truncated ? { truncated } : {}),
    };
    return new WebCodecsFrameSource(input, track, timestamps, info, blob);
  } catch (err) {
    input.dispose();
    throw err;
  }
}

class WebCodecsFrameSource implements FrameSource {
  private readonly sink: VideoSampleSink;
  private iterator: AsyncGenerator<VideoSample, void, unknown> | null = null;
  private nextIndex = -1;

  constructor(
    private readonly input: Input,
    track: InputVideoTrack,
    private readonly timestamps: number[],
    readonly info: VideoInfo,
    readonly playable: Blob,
  ) {
    this.sink = new VideoSampleSink(track);
  }

  async frame(index: number): Promise<VideoFrame> {
    const ts = this.timestamps[index];
    if (ts === undefined) throw new RangeError(`${this.info.name}: frame ${index + 1} is outside 1..${this.info.frameCount}`);
    if (index !== this.nextIndex || !this.iterator) {
      await this.iterator?.return();
      this.iterator = this.sink.samples(ts);
      this.nextIndex = index;
    }
    // Pull samples until the one at this frame's time (a restarted iterator may begin slightly earlier).
    for (;;) {
      const r = await this.iterator.next();
      if (r.done) {
        this.iterator = null;
        throw new MediaOpenError(this.info.name, `decoding stopped before frame ${index + 1} (the data of that frame is missing or corrupt)`);
      }
      const sample = r.value;
      if (sample.timestamp < ts - 1e-6) {
        sample.close();
        continue;
      }
      this.nextIndex = index + 1;
      const frame = sample.toVideoFrame();
      sample.close();
      return frame;
    }
  }

  close(): void {
    void this.iterator?.return();
    this.iterator = null;
    this.input.dispose();
  }
}

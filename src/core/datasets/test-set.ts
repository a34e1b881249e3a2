/**
 * The videos of a config's `data.test`, as MMTracking's test datasets list them, for `mmtrack test` and
 * `mmtrack batch`. Only what running and evaluating needs: each video's frames, its ground truth and its name.
 *
 * - `MOTChallengeDataset`: `ann_file` is the CocoVID JSON of MMTracking's `mot2coco.py` (videos by name, images
 *   `file_name` relative to `img_prefix`); `ann_file=None` reads the MOTChallenge folders under `img_prefix`
 *   (`SEQ/seqinfo.ini`, `SEQ/<imDir>/`). Ground truth: `img_prefix/SEQ/gt/gt.txt` + `seqinfo.ini`, as its
 *   `evaluate` does.
 * - `LaSOTDataset` (and the other OPE datasets): `ann_file` is MMTracking 0.14's `lasot_test_infos.txt`
 *   (a comment line, then `video_path,ann_path,start_frame_id,end_frame_id`); `ann_file=None` reads the sequence
 *   folders under `img_prefix` (`SEQ/groundtruth.txt`, frames in `SEQ/img/` or in `SEQ/`).
 * - `YouTubeVISDataset`: `ann_file` is MMTracking's CocoVID form of YouTube-VIS (youtubevis2coco.py) or the official
 *   JSON (videos with `file_names`); frames relative to `img_prefix`.
 * - `ImagenetVIDDataset`, `CocoVideoDataset`: `ann_file` is MMTracking's CocoVID JSON (images with `video_id`,
 *   `frame_id` and `file_name` relative to `img_prefix`).
 */
import { type ConfigDict, type ConfigValue, getConfigPath, isConfigDict, previewValue } from '../config/config-value.ts';
import { type CocoImage, parseCocoVid } from './coco-vid.ts';
import { joinPath, type TextFileSource } from './file-source.ts';
import { DatasetError } from './issues.ts';
import { parseSeqInfo } from './mot-challenge.ts';
import { isObject, parseJsonText } from './json-input.ts';
import { readYtvis } from './youtube-vis.ts';

export type TestFamily = 'mot' | 'sot' | 'vis' | 'vid';

export interface TestVideo {
  /** The sequence name: the result file is `<name>.txt`. */
  name: string;
  /** The folder of its frames (sorted by name, as MMTracking reads them). */
  frames: string;
  /** Frames the dataset declares (seqinfo `seqLength`, CocoVID images, LaSOT end-start+1). */
  frameCount: number;
  /** MOT: `SEQ/gt/gt.txt`; SOT: `groundtruth.txt`. */
  gt: string;
  /** MOT: `SEQ/seqinfo.ini`. */
  seqInfo?: string;
  /** VIS, VID: the video's id in `ann_file` (VIS results carry it). */
  videoId?: number;
  /** VID: the `ann_file` image id of each frame (COCO results carry it). */
  imageIds?: number[];
  /** The result file's name in the results folder: `<name>.txt` (MOT, SOT) or `<name>.json` (VIS, VID). */
  result: string;
}

export interface TestSet {
  type: string;
  family: TestFamily;
  annFile: string | null;
  imgPrefix: string;
  videos: TestVideo[];
}

/** `data.test.type`s and their family. MMTracking's OPE datasets share LaSOT's layout in 0.14's converters. */
export const TEST_DATASET_TYPES: Record<string, TestFamily> = {
  MOTChallengeDataset: 'mot',
  LaSOTDataset: 'sot',
  SOTTestDataset: 'sot',
  OTB100Dataset: 'sot',
  UAV123Dataset: 'sot',
  TrackingNetDataset: 'sot',
  GOT10kDataset: 'sot',
  YouTubeVISDataset: 'vis',
  ImagenetVIDDataset: 'vid',
  CocoVideoDataset: 'vid',
};

function stringKey(test: ConfigDict, key: string, configName: string, optional: boolean): string | null {
  const v: ConfigValue | undefined = test[key];
  if ((v === undefined || v === null) && optional) return null;
  if (typeof v !== 'string' || v === '') throw new DatasetError({ file: configName, message: `data.test.${key} must be a path, got ${v === undefined ? 'nothing' : previewValue(v)}` });
  return v;
}

/** Reads `data.test` of a loaded config (already merged with `--cfg-options`). */
export async function readTestSet(config: ConfigDict, configName: string, src: TextFileSource): Promise<TestSet> {
  const test = getConfigPath(config, 'data.test');
  if (!isConfigDict(test)) {
    throw new DatasetError({ file: configName, message: "has no data.test: add a dataset (e.g. _base_ '../_base_/datasets/mot_challenge.py') or give --cfg-options data.test.type=MOTChallengeDataset data.test.ann_file=None data.test.img_prefix=DIR" });
  }
  const type = test.type;
  const family = typeof type === 'string' ? TEST_DATASET_TYPES[type] : undefined;
  if (!family) throw new DatasetError({ file: configName, message: `data.test.type ${previewValue(type ?? null)} is not one mmtrack test reads (${Object.keys(TEST_DATASET_TYPES).join(', ')})` });
  const imgPrefix = stringKey(test, 'img_prefix', configName, false)!;
  const annFile = stringKey(test, 'ann_file', configName, true);
  if (!(await src.exists(imgPrefix))) throw new DatasetError({ file: imgPrefix, message: `data.test.img_prefix of ${type as string}: no such folder` });
  if (annFile !== null && !(await src.exists(annFile))) {
    throw new DatasetError({ file: annFile, message: `data.test.ann_file of ${type as string}: no such file (data.test.ann_file=None reads the sequence folders under img_prefix instead)` });
  }
  if ((family === 'vis' || family === 'vid') && annFile === null) {
    throw new DatasetError({ file: configName, message: `data.test.ann_file of ${type as string} must name its ${family === 'vis' ? 'YouTube-VIS' : 'CocoVID'} JSON (its videos list their frames)` });
  }
  const videos =
    family === 'mot' ? await motVideos(src, imgPrefix, annFile) : family === 'sot' ? await sotVideos(src, imgPrefix, annFile) : family === 'vis' ? await visVideos(src, imgPrefix, annFile!) : await vidVideos(src, imgPrefix, annFile!);
  if (videos.length === 0) throw new DatasetError({ file: annFile ?? imgPrefix, message: `${type as string}: no videos` });
  const seen = new Set<string>();
  for (const v of videos) {
    if (seen.has(v.name)) throw new DatasetError({ file: annFile ?? imgPrefix, message: `two videos are called ${v.name}: their result files would collide` });
    seen.add(v.name);
  }
  return { type: type as string, family, annFile, imgPrefix, videos };
}

async function motSequence(src: TextFileSource, imgPrefix: string, name: string, frameDir: string | null): Promise<TestVideo> {
  const seqDir = joinPath(imgPrefix, name);
  const seqInfo = joinPath(seqDir, 'seqinfo.ini');
  const gt = joinPath(seqDir, 'gt', 'gt.txt');
  if (!(await src.exists(seqInfo))) throw new DatasetError({ file: seqInfo, message: `seqinfo.ini of sequence ${name} not found (MOTChallenge layout: img_prefix/SEQ/seqinfo.ini)` });
  const info = parseSeqInfo(await src.readText(seqInfo), seqInfo);
  const frames = frameDir ?? joinPath(seqDir, info.imDir ?? 'img1');
  if (!(await src.exists(frames))) throw new DatasetError({ file: frames, message: `the frames of sequence ${name} are not there` });
  return { name, frames, frameCount: info.seqLength, gt, seqInfo, result: `${name}.txt` };
}

async function motVideos(src: TextFileSource, imgPrefix: string, annFile: string | null): Promise<TestVideo[]> {
  if (annFile === null) {
    if (!src.list) throw new DatasetError({ file: imgPrefix, message: 'cannot list this folder' });
    const names: string[] = [];
    for (const n of (await src.list(imgPrefix)).sort()) if (await src.exists(joinPath(imgPrefix, n, 'seqinfo.ini'))) names.push(n);
    if (names.length === 0) throw new DatasetError({ file: imgPrefix, message: 'no MOTChallenge sequence folder (SEQ/seqinfo.ini) under data.test.img_prefix' });
    return Promise.all(names.map((n) => motSequence(src, imgPrefix, n, null)));
  }
  // MMTracking's CocoVID: a video's frames are its images' folder (mot2coco writes SEQ/img1/000001.jpg).
  const ann = parseCocoVid(await src.readText(annFile), annFile).value;
  const out: TestVideo[] = [];
  for (const video of ann.videos) {
    const name = video.name;
    if (typeof name !== 'string' || name === '' || name.includes('/') || name.startsWith('.')) throw new DatasetError({ file: annFile, message: `video id ${video.id}: name ${previewValue(name ?? null)} is not a sequence folder name` });
    const images = ann.images.filter((im) => im.video_id === video.id);
    const dirs = new Set(images.map((im) => (im.file_name ?? '').split('/').slice(0, -1).join('/')));
    if (images.length === 0 || dirs.size !== 1) throw new DatasetError({ file: annFile, message: `video ${name}: ${images.length === 0 ? 'no images' : `its images lie in ${dirs.size} folders`}` });
    const seq = await motSequence(src, imgPrefix, name, joinPath(imgPrefix, [...dirs][0]!));
    if (seq.frameCount !== images.length) throw new DatasetError({ file: annFile, message: `video ${name}: ${images.length} images, but ${seq.seqInfo} says seqLength=${seq.frameCount}` });
    out.push(seq);
  }
  return out;
}

async function sotVideos(src: TextFileSource, imgPrefix: string, annFile: string | null): Promise<TestVideo[]> {
  const out: TestVideo[] = [];
  if (annFile === null) {
    if (!src.list) throw new DatasetError({ file: imgPrefix, message: 'cannot list this folder' });
    for (const name of (await src.list(imgPrefix)).sort()) {
      const gt = joinPath(imgPrefix, name, 'groundtruth.txt');
      if (!(await src.exists(gt))) continue;
      const img = joinPath(imgPrefix, name, 'img');
      const frames = (await src.exists(img)) ? img : joinPath(imgPrefix, name);
      // The frame count is the ground truth's (one box per frame); the runner checks the folder against it.
      const rows = (await src.readText(gt)).split('\n').filter((l) => l.trim() !== '').length;
      out.push({ name, frames, frameCount: rows, gt, result: `${name}.txt` });
    }
    if (out.length === 0) throw new DatasetError({ file: imgPrefix, message: 'no sequence folder with groundtruth.txt under data.test.img_prefix' });
    return out;
  }
  const lines = (await src.readText(annFile)).split('\n');
  // MMTracking's loader skips the first line (a comment).
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const parts = line.split(',');
    const start = Number(parts[2]);
    const end = Number(parts[3]);
    if (parts.length < 4 || !parts[0] || !parts[1] || !Number.isInteger(start) || !Number.isInteger(end) || end < start) {
      throw new DatasetError({ file: annFile, line: i + 1, message: `expected video_path,ann_path,start_frame_id,end_frame_id, got '${line}'` });
    }
    const videoPath = parts[0].replace(/\/+$/, '');
    // LaSOT: 'airplane/airplane-1/img' → airplane-1 (the sequence folder holds img/ and groundtruth.txt).
    const segs = videoPath.split('/');
    const name = segs[segs.length - 1] === 'img' && segs.length > 1 ? segs[segs.length - 2]! : segs[segs.length - 1]!;
    out.push({ name, frames: joinPath(imgPrefix, videoPath), frameCount: end - start + 1, gt: joinPath(imgPrefix, parts[1]), result: `${name}.txt` });
  }
  for (const v of out) {
    if (!(await src.exists(v.frames))) throw new DatasetError({ file: v.frames, message: `the frames of sequence ${v.name} are not there (from ${annFile})` });
    if (!(await src.exists(v.gt))) throw new DatasetError({ file: v.gt, message: `the ground truth of sequence ${v.name} is not there (from ${annFile})` });
  }
  return out;
}

/**
 * The one folder a video's frames (`file_names`, in frame order) lie in; the runner reads the folder sorted by name,
 * so frame order must be name order.
 */
function videoFolder(files: readonly string[], annFile: string, video: string): string {
  const dirs = new Set(files.map((f) => f.split('/').slice(0, -1).join('/')));
  if (files.length === 0 || dirs.size !== 1) throw new DatasetError({ file: annFile, message: `video ${video}: ${files.length === 0 ? 'no frames' : `its frames lie in ${dirs.size} folders`}` });
  if (files.some((f, i) => i > 0 && files[i - 1]! >= f)) throw new DatasetError({ file: annFile, message: `video ${video}: its frames' file names are not in frame order` });
  return [...dirs][0]!;
}

async function folderVideo(src: TextFileSource, imgPrefix: string, annFile: string, video: string, files: readonly string[]): Promise<{ name: string; frames: string }> {
  const dir = videoFolder(files, annFile, video);
  const frames = joinPath(imgPrefix, dir);
  if (!(await src.exists(frames))) throw new DatasetError({ file: frames, message: `the frames of video ${video} are not there (from ${annFile})` });
  return { name: dir.split('/').pop()!, frames };
}

/**
 * YouTube-VIS: the official JSON (each video's `file_names`) or MMTracking's CocoVID form of it (what
 * tools/convert_datasets/youtubevis/youtubevis2coco.py writes and MMTracking's configs name: `images` with
 * `video_id`, `frame_id`, `file_name`).
 */
async function visVideos(src: TextFileSource, imgPrefix: string, annFile: string): Promise<TestVideo[]> {
  const root = parseJsonText(await src.readText(annFile), annFile);
  const ann = readYtvis(root, annFile).value;
  const images = isObject(root) ? root.images : undefined;
  const fromImages = new Map<number, { frame: number; file: string }[]>();
  if (Array.isArray(images)) {
    for (const im of images) {
      if (!isObject(im) || typeof im.video_id !== 'number' || typeof im.frame_id !== 'number' || typeof im.file_name !== 'string') continue;
      const list = fromImages.get(im.video_id) ?? [];
      list.push({ frame: im.frame_id, file: im.file_name });
      fromImages.set(im.video_id, list);
    }
  }
  const out: TestVideo[] = [];
  for (const video of ann.videos) {
    const files = video.file_names ?? (fromImages.get(video.id) ?? []).sort((a, b) => a.frame - b.frame).map((f) => f.file);
    const { name, frames } = await folderVideo(src, imgPrefix, annFile, String(video.id), files);
    out.push({ name, frames, frameCount: files.length, gt: annFile, videoId: video.id, result: `${name}.json` });
  }
  return out;
}

/** ImageNet VID (CocoVID): each video's images by `frame_id`; the results carry their image ids. */
async function vidVideos(src: TextFileSource, imgPrefix: string, annFile: string): Promise<TestVideo[]> {
  const ann = parseCocoVid(await src.readText(annFile), annFile).value;
  const byVideo = new Map<number | undefined, CocoImage[]>();
  for (const im of ann.images) {
    const list = byVideo.get(im.video_id);
    if (list) list.push(im);
    else byVideo.set(im.video_id, [im]);
  }
  const out: TestVideo[] = [];
  for (const video of ann.videos) {
    const images = (byVideo.get(video.id) ?? []).sort((a, b) => (a.frame_id ?? 0) - (b.frame_id ?? 0));
    const label = video.name ?? String(video.id);
    if (images.some((im, i) => im.frame_id !== i)) throw new DatasetError({ file: annFile, message: `video ${label}: frame_id must run 0, 1, 2, ... over its images` });
    const { name, frames } = await folderVideo(src, imgPrefix, annFile, label, images.map((im) => im.file_name ?? ''));
    out.push({ name, frames, frameCount: images.length, gt: annFile, videoId: video.id, imageIds: images.map((im) => im.id), result: `${name}.json` });
  }
  return out;
}

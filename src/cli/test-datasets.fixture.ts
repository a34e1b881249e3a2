// Small MOTChallenge- and LaSOT-layout datasets for the `mmtrack test` and `mmtrack batch` tests, made from the
// shared street clip and the pan/zoom street-car sequence (whose car box is exact ground truth).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const shared = fileURLToPath(new URL('../../../shared/', import.meta.url));
const carImages = join(shared, 'sot/street-car/img');
const carGt = readFileSync(join(shared, 'sot/street-car/groundtruth.txt'), 'utf8').trim().split('\n');

/** Frames `first..first+count-1` (0-based) of the street-car sequence, as `dir/000001.jpg...`. */
function carFrames(dir: string, first: number, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) copyFileSync(join(carImages, `${String(first + i + 1).padStart(6, '0')}.jpg`), join(dir, `${String(i + 1).padStart(6, '0')}.jpg`));
}

function seqInfo(name: string, length: number, w: number, h: number): string {
  return `[Sequence]\nname=${name}\nimDir=img1\nframeRate=30\nseqLength=${length}\nimWidth=${w}\nimHeight=${h}\nimExt=.jpg\n`;
}

/**
 * `root/MOT17-train/SEQ/{img1,gt/gt.txt,seqinfo.ini}`: `street` (the 8 street frames at 480x270, two annotated
 * pedestrians) and `carN` (frames of the pan/zoom sequence, the car as one annotated object). Returns img_prefix.
 */
/** The 8 frames of the shared street clip at 480x270 as `dir/000001.jpg...`. */
function streetFrames(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', join(shared, 'media/street-540p-h264.mp4'), '-vf', 'scale=480:270', '-q:v', '3', '-start_number', '1', join(dir, '%06d.jpg')]);
  if (r.status !== 0) throw new Error(String(r.stderr));
}

export function makeMotDataset(root: string, carSequences: Array<{ first: number; count: number }>, withStreet = true): string {
  const prefix = join(root, 'MOT17-train');
  const seqs: string[] = [];
  if (withStreet) {
    const dir = join(prefix, 'street');
    streetFrames(join(dir, 'img1'));
    writeFileSync(join(dir, 'seqinfo.ini'), seqInfo('street', 8, 480, 270));
    const rows: string[] = [];
    for (let f = 1; f <= 8; f++) rows.push(`${f},1,${100 + 2 * f},80,40,110,1,1,1`, `${f},2,300,${90 - f},35,100,1,1,0.8`);
    mkdirSync(join(dir, 'gt'));
    writeFileSync(join(dir, 'gt/gt.txt'), `${rows.join('\n')}\n`);
    seqs.push('street');
  }
  carSequences.forEach(({ first, count }, k) => {
    const name = `car${k + 1}`;
    const dir = join(prefix, name);
    carFrames(join(dir, 'img1'), first, count);
    writeFileSync(join(dir, 'seqinfo.ini'), seqInfo(name, count, 640, 360));
    mkdirSync(join(dir, 'gt'));
    writeFileSync(join(dir, 'gt/gt.txt'), carGt.slice(first, first + count).map((b, i) => `${i + 1},1,${b},1,1,1`).join('\n') + '\n');
    seqs.push(name);
  });
  mkdirSync(join(root, 'seqmaps'), { recursive: true });
  writeFileSync(join(root, 'seqmaps/MOT17-train.txt'), `name\n${seqs.join('\n')}\n`);
  return prefix;
}

/** `root/SEQ/{img/,groundtruth.txt}` LaSOT-style sequences cut from the pan/zoom sequence. Returns img_prefix. */
export function makeSotDataset(root: string, sequences: Array<{ first: number; count: number }>): string {
  sequences.forEach(({ first, count }, k) => {
    const dir = join(root, `car-${k + 1}`);
    carFrames(join(dir, 'img'), first, count);
    writeFileSync(join(dir, 'groundtruth.txt'), `${carGt.slice(first, first + count).join('\n')}\n`);
    if (k === 0) {
      // LaSOT's visibility flags: frame 3 fully occluded, frame 4 out of view (MMTracking skips both).
      const flags = (at: number) => Array.from({ length: count }, (_, i) => (i === at ? 1 : 0)).join(',');
      writeFileSync(join(dir, 'full_occlusion.txt'), `${flags(2)}\n`);
      writeFileSync(join(dir, 'out_of_view.txt'), `${flags(3)}\n`);
    }
  });
  return root;
}

/** `imgPrefix/street/` (the 8 street frames) and `imgPrefix/street-head/` (the first 5): two videos' folders. */
function streetVideos(imgPrefix: string): Array<{ id: number; folder: string; files: string[] }> {
  streetFrames(join(imgPrefix, 'street'));
  mkdirSync(join(imgPrefix, 'street-head'));
  const names = (dir: string, n: number) => Array.from({ length: n }, (_, i) => `${dir}/${String(i + 1).padStart(6, '0')}.jpg`);
  for (const f of names('street-head', 5)) copyFileSync(join(imgPrefix, f.replace('street-head', 'street')), join(imgPrefix, f));
  return [
    { id: 1, folder: 'street', files: names('street', 8) },
    { id: 2, folder: 'street-head', files: names('street-head', 5) },
  ];
}

/** Two box-shaped pedestrians moving over the street frames (frame `f` 1-based): `[x, y, w, h]`. */
type Box = [number, number, number, number];
const pedestrians: ReadonlyArray<(f: number) => Box> = [(f) => [100 + 2 * f, 80, 40, 110], (f) => [300, 90 - f, 35, 100]];

/**
 * A YouTube-VIS dataset over {@link streetVideos}: `root/ann.json` (one person category, the two pedestrians of each
 * video as box-shaped polygons) and the same in MMTracking's CocoVID form. Returns both files and img_prefix.
 */
export function makeVisDataset(root: string): { annFile: string; cocoVidFile: string; imgPrefix: string } {
  const imgPrefix = join(root, 'JPEGImages');
  const videos = streetVideos(imgPrefix).map((v) => ({ id: v.id, width: 480, height: 270, length: v.files.length, file_names: v.files }));
  let id = 0;
  const annotations = videos.flatMap((v) =>
    pedestrians.map((at) => {
      const boxes = Array.from({ length: v.length }, (_, f) => at(f + 1));
      return {
        id: ++id,
        video_id: v.id,
        category_id: 1,
        iscrowd: 0,
        segmentations: boxes.map(([x, y, w, h]) => [[x, y, x + w, y, x + w, y + h, x, y + h]]),
        bboxes: boxes,
        areas: boxes.map(([, , w, h]) => w * h),
        height: 270,
        width: 480,
      };
    }),
  );
  const annFile = join(root, 'ann.json');
  const categories = [{ id: 1, name: 'person' }];
  writeFileSync(annFile, JSON.stringify({ categories, videos, annotations }));
  // The same as MMTracking's youtubevis2coco.py writes it: one image per frame, one annotation per object and frame.
  let imageId = 0;
  let annId = 0;
  const images: Array<{ id: number; video_id: number; frame_id: number; file_name: string; width: number; height: number }> = [];
  const perFrame: unknown[] = [];
  for (const v of videos) {
    v.file_names.forEach((file_name, frame_id) => {
      images.push({ id: ++imageId, video_id: v.id, frame_id, file_name, width: v.width, height: v.height });
      for (const t of annotations.filter((t) => t.video_id === v.id)) {
        perFrame.push({ id: ++annId, video_id: v.id, image_id: imageId, category_id: t.category_id, instance_id: t.id, bbox: t.bboxes[frame_id], segmentation: t.segmentations[frame_id], area: t.areas[frame_id], iscrowd: 0 });
      }
    });
  }
  const cocoVidFile = join(root, 'youtube_vis_2019_train.json');
  writeFileSync(cocoVidFile, JSON.stringify({ categories, videos: videos.map(({ id, width, height, file_names }) => ({ id, name: file_names[0]!.split('/')[0], width, height })), images, annotations: perFrame }));
  return { annFile, cocoVidFile, imgPrefix };
}

/**
 * An ImageNet-VID-style CocoVID dataset over {@link streetVideos}: `root/ann.json` with COCO's person category, the
 * two pedestrians per frame, and image ids that are not frame numbers (video 2's start at 101). Returns the ann file,
 * img_prefix and each video's image ids.
 */
export function makeVidDataset(root: string): { annFile: string; imgPrefix: string; imageIds: Record<string, number[]> } {
  const imgPrefix = join(root, 'Data/VID');
  const vids = streetVideos(imgPrefix);
  const imageIds: Record<string, number[]> = {};
  const images = vids.flatMap((v) => {
    imageIds[v.folder] = v.files.map((_, f) => (v.id - 1) * 100 + f + 1);
    return v.files.map((file_name, f) => ({ id: imageIds[v.folder]![f]!, video_id: v.id, frame_id: f, file_name, width: 480, height: 270 }));
  });
  let id = 0;
  const annotations = images.flatMap((im) =>
    pedestrians.map((at, k) => {
      const bbox = at(im.frame_id + 1);
      return { id: ++id, image_id: im.id, video_id: im.video_id, instance_id: k + 1, category_id: 1, bbox, area: bbox[2] * bbox[3], iscrowd: 0 };
    }),
  );
  const annFile = join(root, 'ann.json');
  writeFileSync(annFile, JSON.stringify({ categories: [{ id: 1, name: 'person' }], videos: vids.map((v) => ({ id: v.id, name: v.folder })), images, annotations }));
  return { annFile, imgPrefix, imageIds };
}

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

/**
 * A YouTube-VIS dataset: `root/JPEGImages/{street,street-head}/` (the 8 street frames; the first 5 of them) and
 * `root/ann.json` (one person category, two box-shaped pedestrian tracks per video as polygons). Returns the ann
 * file and img_prefix.
 */
export function makeVisDataset(root: string): { annFile: string; imgPrefix: string } {
  const imgPrefix = join(root, 'JPEGImages');
  streetFrames(join(imgPrefix, 'street'));
  mkdirSync(join(imgPrefix, 'street-head'));
  const names = (dir: string, n: number) => Array.from({ length: n }, (_, i) => `${dir}/${String(i + 1).padStart(6, '0')}.jpg`);
  for (const f of names('street-head', 5)) copyFileSync(join(imgPrefix, f.replace('street-head', 'street')), join(imgPrefix, f));
  const videos = [
    { id: 1, width: 480, height: 270, length: 8, file_names: names('street', 8) },
    { id: 2, width: 480, height: 270, length: 5, file_names: names('street-head', 5) },
  ];
  const box = (x: number, y: number, w: number, h: number) => ({ poly: [[x, y, x + w, y, x + w, y + h, x, y + h]], bbox: [x, y, w, h], area: w * h });
  let id = 0;
  const annotations = videos.flatMap((v) =>
    [(f: number) => box(100 + 2 * f, 80, 40, 110), (f: number) => box(300, 90 - f, 35, 100)].map((at) => {
      const boxes = Array.from({ length: v.length }, (_, f) => at(f + 1));
      return { id: ++id, video_id: v.id, category_id: 1, iscrowd: 0, segmentations: boxes.map((b) => b.poly), bboxes: boxes.map((b) => b.bbox), areas: boxes.map((b) => b.area), height: 270, width: 480 };
    }),
  );
  const annFile = join(root, 'ann.json');
  writeFileSync(annFile, JSON.stringify({ categories: [{ id: 1, name: 'person' }], videos, annotations }));
  return { annFile, imgPrefix };
}

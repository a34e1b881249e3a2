// The hostile-input suite (issue 16): one malformed input per reader and command, as a careless or hostile user would
// give it, through `mmtrack` itself. Each case asserts its exact outcome: exit 2 with a message that names the file
// (or flag) and the problem, or exit 0 with a warning and a result that is still right. None may print a stack
// trace or an "internal error". Reader-level detail lives beside each reader (hostile-configs.test.ts,
// mot-challenge.test.ts, json-readers.test.ts, ...); this file is the map over all of them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.node.ts';

const repo = resolve(import.meta.dirname, '../..');
const shared = resolve(repo, '../shared');
const dir = mkdtempSync(join(tmpdir(), 'hostile-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes files under the suite's folder (folders made as needed); returns the folder. */
function files(sub: string, contents: Record<string, string | Uint8Array>): string {
  const root = join(dir, sub);
  for (const [path, data] of Object.entries(contents)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), data);
  }
  return root;
}

const garbage = Uint8Array.from({ length: 3000 }, (_, i) => (i * 2654435761) % 251);
const nanotrack = `${repo}/configs/sot/nanotrack/nanotrack_v2.py`;
const centernet = `${repo}/configs/det/centernet_mobilenetv3_coco.py`;
const street = `${shared}/media/street-540p-h264.mp4`;

interface Case {
  name: string;
  args: () => string[];
  code: 0 | 2;
  stderr: RegExp;
  stdout?: (out: string) => void;
}

const motGt = (seqinfo: string, gt: string) =>
  files(`mot-${seqinfo.length}-${gt.length}`, {
    'gt/seqmaps/MOT17-train.txt': 'name\nS1\n',
    'gt/MOT17-train/S1/seqinfo.ini': seqinfo,
    'gt/MOT17-train/S1/gt/gt.txt': gt,
    'res/S1.txt': '1,1,10,10,20,20,0.9,-1,-1,-1\n',
  });

const CASES: Case[] = [
  // Configs.
  { name: 'config: an f-string calling a function', args: () => ['print-config', files('cfg1', { 'a.py': "x = f'{open(1)}'\n" }) + '/a.py'], code: 2, stderr: /a\.py:1:8: only dict\(\.\.\.\) can be called in a config, not 'open\(\.\.\.\)'/ },
  { name: 'config: 5000 nested brackets', args: () => ['print-config', files('cfg2', { 'a.py': `a = ${'['.repeat(5000)}` }) + '/a.py'], code: 2, stderr: /a\.py:1:105: the value is nested more than 100 levels deep/ },
  { name: 'config: a YAML python tag', args: () => ['print-config', files('cfg3', { 't.yaml': 'a: !!python/object:os.system x\n' }) + '/t.yaml'], code: 2, stderr: /t\.yaml:1:4: the YAML tag !!python\/object:os\.system is not supported/ },
  { name: 'config: a device, not a file', args: () => ['print-config', '/dev/zero'], code: 2, stderr: /\/dev\/zero: unsupported config file type/ },
  {
    name: 'config: an infinite float prints as null with a warning',
    args: () => ['print-config', files('cfg4', { 'a.py': 'a = 1e400\nb = 2\n' }) + '/a.py'],
    code: 0,
    stderr: /warning: .*\ba\b.*inf/,
    stdout: (out) => expect(JSON.parse(out)).toEqual({ a: null, b: 2 }),
  },
  // MOT ground truth and results.
  {
    name: 'mot: a seqLength of two billion',
    args: () => { const d = motGt('[Sequence]\nname=S1\nseqLength=2000000000\n', '1,1,10,10,20,20,1,1,1\n'); return ['eval', 'mot', '--gt', `${d}/gt`, '--results', `${d}/res`]; },
    code: 2,
    stderr: /S1\/seqinfo\.ini:3: seqLength=2000000000 is longer than any sequence evaluated here \(at most 1000000 frames\)/,
  },
  {
    name: 'mot: ground truth whose every row is malformed',
    args: () => { const d = motGt('[Sequence]\nname=S1\nseqLength=5\n', 'a,b,c\nnan,1,1,1,1,1,1,1,1\n'); return ['eval', 'mot', '--gt', `${d}/gt`, '--results', `${d}/res`]; },
    code: 2,
    stderr: /gt\.txt: every row is malformed \(2; first: .*gt\.txt:1: /,
  },
  {
    name: 'mot: --benchmark with a path in it',
    args: () => ['eval', 'mot', '--gt', dir, '--results', dir, '--benchmark', '../../etc'],
    code: 2,
    stderr: /--benchmark must be a name such as MOT17 or train .*got '\.\.\/\.\.\/etc'/,
  },
  // VIS.
  {
    name: 'vis: a MaskTrack R-CNN config without its exported graphs',
    args: () => ['track', `${repo}/configs/vis/masktrack_rcnn/masktrack_rcnn_r50_fpn_12e_youtubevis2019.py`, '--input', street, '--out', join(dir, 'vis.json'), '--model-dir', files('vis1', { 'x.txt': '' })],
    code: 2,
    stderr: /onnx\.backbone: model file not found: .*vis1\/masktrack_rcnn_r50_fpn_12e_youtubevis2019\/backbone\.onnx/,
  },
  {
    name: 'vis: a mask head whose graph is random bytes',
    args: () => ['track', `${repo}/src/core/models/vis/fixtures/masktrack_rcnn_tiny.py`, '--input', street, '--out', join(dir, 'vis.json'), '--model-dir', `${repo}/src/core/models/vis/fixtures`, '--cfg-options', `onnx.mask_head.file=${files('vis2', { 'm.onnx': garbage })}/m.onnx`],
    code: 2,
    stderr: /vis2\/m\.onnx/,
  },
  { name: 'vis: a SOT flag on a VIS config', args: () => ['track', `${repo}/configs/vis/default.py`, '--input', street, '--out', join(dir, 'vis.json'), '--init', '1,1,10,10'], code: 2, stderr: /--init does not apply to video instance segmentation \(.*default\.py is PersonMaskDemo\)/ },
  // SOT.
  { name: 'sot: GT_ROOT is a file', args: () => ['eval', 'sot', '--gt', street, '--results', dir], code: 2, stderr: /GT_ROOT .*street-540p-h264\.mp4: is a file, expected a folder/ },
  {
    name: 'sot: a first-frame box file of binary garbage',
    args: () => ['track', nanotrack, '--input', street, '--gt-bbox-file', files('sot1', { 'g.txt': garbage }) + '/g.txt', '--out', join(dir, 'o.txt')],
    code: 2,
    stderr: /g\.txt: more than 10 malformed rows \(first: .*g\.txt:1: column 1 is not a number/,
  },
  // VID (COCO-style).
  { name: 'vid: annotations nested 100 000 deep', args: () => ['eval', 'vid', '--ann', files('vid1', { 'a.json': '['.repeat(100000) }) + '/a.json', '--results', `${shared}/eval/vid/results.json`], code: 2, stderr: /a\.json:1: JSON nested more than 100 levels deep at column 101/ },
  {
    name: "vid: results with Python's NaN",
    args: () => ['eval', 'vid', '--ann', `${shared}/eval/vid/ann.json`, '--results', files('vid2', { 'r.json': '[{"image_id":1,"category_id":1,"bbox":[0,0,5,5],"score":NaN}]' }) + '/r.json'],
    code: 2,
    stderr: /r\.json:1: invalid JSON at column 57: NaN is not JSON \(Python's json\.dumps writes it for a non-finite float/,
  },
  {
    name: 'vid: annotations whose every row is malformed',
    args: () => [
      'eval', 'vid', '--results', `${shared}/eval/vid/results.json`, '--ann',
      files('vid3', { 'a.json': JSON.stringify({ images: [{ id: 1, file_name: 'a', video_id: 1, frame_id: 0, width: 9, height: 9 }], annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: ["a", 0, 1, 5], area: 5, iscrowd: 0 }], categories: [{ id: 1, name: 'a' }] }) }) + '/a.json',
    ],
    code: 2,
    stderr: /a\.json: every row is malformed \(1; first: .*annotations\[0\]: /,
  },
  // VIS (YouTube-VIS).
  {
    name: 'vis: ground truth whose only track has a broken RLE',
    args: () => [
      'eval', 'vis', '--results', `${shared}/eval/vis/results.json`, '--ann',
      files('vis1', { 'a.json': JSON.stringify({ videos: [{ id: 1, width: 4, height: 4, length: 1, file_names: ['a'] }], annotations: [{ id: 1, video_id: 1, category_id: 1, segmentations: [{ size: [4, 4], counts: 'zzzz' }], areas: [1], bboxes: [[0, 0, 1, 1]], iscrowd: 0 }], categories: [{ id: 1, name: 'p' }] }) }) + '/a.json',
    ],
    code: 2,
    stderr: /a\.json: every row is malformed \(1; first: .*segmentations\[0\]: RLE string has an invalid character 'z' at 0\)/,
  },
  // Training logs.
  { name: 'logs: binary garbage', args: () => ['analyze-logs', 'cal_train_time', files('log1', { 'x.bin': garbage }) + '/x.bin'], code: 2, stderr: /x\.bin: not a JSON log \(the file name must end with \.json/ },
  {
    name: 'logs: a NaN loss is a gap in the curve, with a warning',
    args: () => ['analyze-logs', 'plot_curve', files('log2', { 'r.log.json': '{"mode": "train", "epoch": 1, "iter": 50, "loss": NaN}\n{"mode": "train", "epoch": 1, "iter": 100, "loss": 0.5}\n' }) + '/r.log.json', '--keys', 'loss'],
    code: 0,
    stderr: /warning: .*r\.log\.json: loss is NaN or infinite at 1 of 2 points; left as gaps in the curve/,
    stdout: (out) => expect((JSON.parse(out) as { series: { y: unknown[] }[] }).series[0]!.y).toEqual([null, 0.5]),
  },
  { name: 'logs: an empty file', args: () => ['analyze-logs', 'cal_train_time', files('log3', { 'e.log.json': '' }) + '/e.log.json'], code: 2, stderr: /e\.log\.json: no line with an "epoch"/ },
  // Reports.
  { name: 'report: metrics nested 100 000 deep', args: () => ['report', '--eval', files('rep1', { 'm.json': '{"a":'.repeat(100000) }) + '/m.json', '--out', join(dir, 'r.html')], code: 2, stderr: /m\.json:1: JSON nested more than 100 levels deep/ },
  { name: 'report: metrics that are not numbers', args: () => ['report', '--eval', files('rep2', { 'm.json': '{"OVERALL": {"success": "high"}}' }) + '/m.json', '--out', join(dir, 'r.html')], code: 2, stderr: /OVERALL\.success is "high", not a number/ },
  // Media.
  { name: 'media: a text file named .mp4', args: () => ['detect', centernet, '--input', `${shared}/media/not-a-video.mp4`, '--out', join(dir, 'd.json')], code: 2, stderr: /not-a-video\.mp4: not a video or image ffmpeg can read/ },
  { name: 'media: an MP4 without its moov box', args: () => ['detect', centernet, '--input', `${shared}/media/missing-moov-h264.mp4`, '--out', join(dir, 'd.json')], code: 2, stderr: /missing-moov-h264\.mp4: not a video or image ffmpeg can read/ },
  { name: 'media: a folder of non-images', args: () => ['detect', centernet, '--input', files('img1', { 'a.jpg': 'hi', 'b.png': 'x' }), '--out', join(dir, 'd.json')], code: 2, stderr: /a\.jpg: not an image \(frame 1 of the folder\): its first bytes are not JPEG, PNG, BMP, WebP or TIFF/ },
  // ONNX.
  {
    name: 'onnx: a truncated model',
    args: () => ['track', nanotrack, '--input', street, '--init', '1,1,10,10', '--out', join(dir, 'o.txt'), '--model-dir', files('onnx1', { 'nanotrack-v2/backbone.onnx': garbage.slice(0, 1000) })],
    code: 2,
    stderr: /nanotrack-v2\/backbone\.onnx: onnx\.backbone: ONNX protobuf: /,
  },
  {
    name: "onnx: another network's model in the backbone's place",
    args: () => ['track', nanotrack, '--input', street, '--init', '1,1,10,10', '--out', join(dir, 'o.txt'), '--model-dir', `${shared}/models/nanotrack-v2/..`, '--cfg-options', 'onnx.backbone.file=nanotrack-v2/head.onnx'],
    code: 2,
    stderr: /head\.onnx: onnx\.backbone: no graph input or output named/,
  },
  { name: 'onnx: a missing part', args: () => ['track', nanotrack, '--input', street, '--init', '1,1,10,10', '--out', join(dir, 'o.txt'), '--model-dir', files('onnx2', { 'x.txt': '' })], code: 2, stderr: /onnx\.backbone: model file not found: .*onnx2\/nanotrack-v2\/backbone\.onnx/ },
  // Flags.
  { name: 'flags: the same flag twice', args: () => ['track', nanotrack, '--input', street, '--input', street, '--out', 'o.txt'], code: 2, stderr: /--input is given more than once \(run mmtrack track --help\)/ },
  { name: 'flags: an unknown flag', args: () => ['eval', 'mot', '--gt', dir, '--results', dir, '--frobnicate'], code: 2, stderr: /unknown option '--frobnicate'/ },
  { name: 'flags: a flag missing its value', args: () => ['track', nanotrack, '--input', '--init', '1,1,10,10', '--out', 'o.txt'], code: 2, stderr: /Option '--input' argument is ambiguous/ },
  { name: 'flags: a NaN box', args: () => ['track', nanotrack, '--input', street, '--init', '1,1,nan,10', '--out', 'o.txt'], code: 2, stderr: /--init: expected x,y,w,h \(4 numbers\), got '1,1,nan,10'/ },
  { name: 'flags: an output path that is a folder', args: () => ['track', nanotrack, '--input', street, '--init', '1,1,10,10', '--out', dir, '--model-dir', `${shared}/models`], code: 2, stderr: /--out .*: is a folder; give a file name/ },
];

describe('hostile inputs through mmtrack', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const r = await runCli(c.args());
    expect(r.stderr).not.toMatch(/internal error|\n\s+at \S+ \(/);
    expect(r.stderr).toMatch(c.stderr);
    expect(r.code).toBe(c.code);
    if (c.code === 2) expect(r.stdout).toBe('');
    c.stdout?.(r.stdout);
  }, 30_000);
});

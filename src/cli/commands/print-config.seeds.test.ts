/**
 * The four annotated configs of MMTracking's documentation (shared/seeds: DFF, Tracktor, SiameseRPN++ and
 * MMDetection's Mask R-CNN) are written out under configs/ as MMTracking/MMDetection split them (`_base_` files +
 * a short child). print-config on each must give exactly the values the seed shows. The reference is the seed's
 * own text, read with the config parser; the few places where a seed is not valid Python or contradicts itself are
 * repaired explicitly below, each with its reason.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readOnnxSection } from '../../core/config/onnx-spec.ts';
import { ConfigError } from '../../core/config/config-error.ts';
import type { ConfigDict, ConfigValue } from '../../core/config/config-value.ts';
import { evaluatePythonConfig } from '../../core/config/python-evaluator.ts';
import { parsePythonConfig } from '../../core/config/python-parser.ts';
import { main } from '../main.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const seedsDir = `${repoRoot}../shared/seeds/`;

function seedText(name: string): string {
  return readFileSync(`${seedsDir}${name}`, 'utf8');
}

/** The first ```python block after `heading` in a Markdown seed. */
function pythonBlock(text: string, heading: string): string {
  const start = text.indexOf(heading);
  const m = /```python\n([\s\S]*?)```/.exec(text.slice(start));
  if (start < 0 || !m) throw new Error(`no python block after '${heading}'`);
  return m[1] as string;
}

function evalSeed(source: string, label: string): ConfigDict {
  return evaluatePythonConfig(parsePythonConfig(source, label));
}

async function printConfig(config: string, ...cfgOptions: string[]): Promise<ConfigDict> {
  let stdout = '';
  let stderr = '';
  const args = ['print-config', `${repoRoot}configs/${config}`, ...(cfgOptions.length ? ['--cfg-options', ...cfgOptions] : [])];
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as ConfigDict;
}

/** Python's json round trip: what print-config's JSON of `value` reads back as. */
function asJson(value: ConfigValue): ConfigValue {
  return JSON.parse(JSON.stringify(value)) as ConfigValue;
}

function at(root: ConfigValue, path: string): ConfigValue | undefined {
  return path.split('.').reduce<ConfigValue | undefined>((node, key) => (node === undefined || node === null || typeof node !== 'object' ? undefined : (node as Record<string, ConfigValue>)[key]), root);
}

function dropPath(root: ConfigDict, path: string): void {
  const keys = path.split('.');
  const parent = at(root, keys.slice(0, -1).join('.')) as ConfigDict;
  delete parent[keys.at(-1) as string];
}

describe('print-config reproduces the annotated configs of the seeds', () => {
  it('DFF (seeds/000): configs/vid/dff/dff_faster_rcnn_r50_dc5_1x_imagenetvid.py', async () => {
    const expected = evalSeed(pythonBlock(seedText('000_eef91d29989444b7.txt'), 'An example of DFF'), 'seed-000');
    // The seed's data paths lack the '/' after data_root = 'data/ILSVRC/' (e.g. 'data/ILSVRCannotations/...'):
    // the seed contradicts its own data_root; the config derives the paths from data_root as MMTracking does.
    const fixed = JSON.parse(JSON.stringify(expected).replace(/data\/ILSVRC(annotations|Data)/g, 'data/ILSVRC/$1')) as ConfigDict;
    // `port` is set by the seed's distributed launcher, not by the config (MMTracking's default_runtime has none).
    dropPath(fixed, 'dist_params.port');
    // `work_dir` comes from tools/train.py --work-dir; --cfg-options plays that part here.
    const printed = await printConfig('vid/dff/dff_faster_rcnn_r50_dc5_1x_imagenetvid.py', 'work_dir=../mmtrack_output/tmp');
    // `onnx` is mmtrack-web's own key (the four graphs the user exports); everything else must be the seed's.
    const { onnx, ...mmtrackKeys } = printed;
    expect(mmtrackKeys).toEqual(asJson(fixed));
    expect(readOnnxSection({ onnx: onnx ?? null }).map((m) => m.role).sort()).toEqual(['backbone', 'bbox_head', 'motion', 'rpn_head']);
    // A few values as the seed spells them.
    expect(at(printed, 'model.test_cfg.key_frame_interval')).toBe(10);
    expect(at(printed, 'model.detector.rpn_head.loss_bbox.beta')).toBe(0.1111111111111111);
    expect(at(printed, 'model.detector.train_cfg.rpn_proposal.nms_post')).toBe(1000);
    expect(at(printed, 'model.detector.train_cfg.rcnn.sampler.num')).toBe(512);
    expect(at(printed, 'lr_config.warmup_ratio')).toBe(0.3333333333333333);
    expect(at(printed, 'model.train_cfg')).toBeNull();
    expect(at(printed, 'data.train.1.ann_file')).toBe('data/ILSVRC/annotations/imagenet_det_30plus1cls.json');
    expect(at(printed, 'work_dir')).toBe('../mmtrack_output/tmp');
  });

  it('Tracktor (seeds/001): configs/mot/tracktor/tracktor_faster-rcnn_r50_fpn_4e_mot17-private-half.py', async () => {
    const text = seedText('001_46ba92bb3bc9971f.txt');
    const start = text.indexOf('\nmodel = dict(', text.indexOf('An example of Tracktor'));
    const source = text.slice(start, text.indexOf('An example of SiameseRPN++', start)).replace(/\s+$/, '\n');
    const expected = evalSeed(source, 'seed-001');
    dropPath(expected, 'dist_params.port');
    const printed = await printConfig('mot/tracktor/tracktor_faster-rcnn_r50_fpn_4e_mot17-private-half.py', 'work_dir=None');
    // `onnx` is mmtrack-web's own key (the files the user exports); everything else must be the seed's.
    const { onnx, ...mmtrackKeys } = printed;
    expect(mmtrackKeys).toEqual(asJson(expected));
    expect(readOnnxSection({ onnx: onnx ?? null }).map((m) => m.role).sort()).toEqual(['backbone', 'bbox_head', 'reid']);
    expect(at(printed, 'model.detector.roi_head.bbox_head.num_classes')).toBe(1);
    expect(at(printed, 'model.detector.rpn_head.bbox_coder.clip_border')).toBe(false);
    expect(at(printed, 'model.motion.stop_eps')).toBe(1e-5);
    expect(at(printed, 'model.tracker.reid.img_scale')).toEqual([256, 128]);
    expect(at(printed, 'lr_config.warmup_ratio')).toBe(0.01);
    expect(at(printed, 'data.train.ann_file')).toBe('data/MOT17/annotations/train_cocoformat.json');
    expect(at(printed, 'search_metrics')).toEqual(['MOTA', 'IDF1', 'FN', 'FP', 'IDs', 'MT', 'ML']);
  });

  it('SiameseRPN++ (seeds/004): configs/sot/siamese_rpn/siamese_rpn_r50_1x_lasot.py', async () => {
    const raw = pythonBlock(seedText('004_e3e163e20bc1c967.txt'), 'An example of SiameseRPN++');
    // The seed is not valid Python as printed: `lr_config = dict((` opens a parenthesis too many.
    expect(() => evalSeed(raw, 'seed-004')).toThrow(ConfigError);
    expect(() => evalSeed(raw, 'seed-004')).toThrow(/^seed-004:185:11: '=' inside parentheses: keyword arguments only go in dict\(\.\.\.\) \(is a '\(' doubled/);
    const expected = evalSeed(raw.replace('lr_config = dict((', 'lr_config = dict('), 'seed-004');
    const printed = await printConfig('sot/siamese_rpn/siamese_rpn_r50_1x_lasot.py');
    // `onnx` is mmtrack-web's own key (which ONNX files run the model), added to the seed's config: everything else
    // must be the seed's.
    const { onnx, ...mmtrackKeys } = printed;
    expect(mmtrackKeys).toEqual(asJson(expected));
    expect(readOnnxSection({ onnx: onnx ?? null }).map((m) => m.role).sort()).toEqual(['search', 'template']);
    expect(at(printed, 'model.test_cfg.rpn')).toEqual({ penalty_k: 0.05, window_influence: 0.42, lr: 0.38 });
    expect(at(printed, 'model.train_cfg.rpn.exemplar_size')).toBe(127);
    expect(at(printed, 'data.train.0.dataset.ann_file')).toBe('data/ILSVRC/annotations/imagenet_vid_train.json');
    expect(at(printed, 'data.train.0.dataset.pipeline.3.target_size')).toEqual([127, 255]);
    expect(at(printed, 'lr_config.lr_configs.1')).toEqual({ type: 'log', start_lr_factor: 1.0, end_lr_factor: 0.1, end_epoch: 20 });
  });

  it('Mask R-CNN (seeds/002, MMDetection): configs/det/mask_rcnn_r50_fpn_1x_coco.py', async () => {
    const raw = pythonBlock(seedText('002_2eefee44cf7b4d4b.txt'), 'An Example of Mask R-CNN');
    // As printed, the seed has a mis-encoded full-width comma after style='pytorch'...
    expect(() => evalSeed(raw, 'seed-002')).toThrow(/^seed-002:13:24: unexpected character 'ï' \(U\+00EF\)/);
    let source = raw.replace("style='pytorch'\u00ef\u00bc\u0152", "style='pytorch',");
    // ...and indents train_cfg/test_cfg after closing model = dict(...) (an IndentationError in Python).
    expect(() => evalSeed(source, 'seed-002')).toThrow(/^seed-002:\d+:5: unexpected indent/);
    source = source.replace('\n    train_cfg = dict(', '\ntrain_cfg = dict(').replace('\n    test_cfg = dict(', '\ntest_cfg = dict(');
    const expected = evalSeed(source, 'seed-002');
    // The same tutorial says train_cfg/test_cfg belong in the model dict (the top-level form is deprecated).
    const model = expected.model as ConfigDict;
    model.train_cfg = expected.train_cfg as ConfigDict;
    model.test_cfg = expected.test_cfg as ConfigDict;
    delete expected.train_cfg;
    delete expected.test_cfg;
    const printed = await printConfig('det/mask_rcnn_r50_fpn_1x_coco.py', 'work_dir=work_dir');
    expect(printed).toEqual(asJson(expected));
    expect(at(printed, 'model.roi_head.mask_head.num_classes')).toBe(80);
    expect(at(printed, 'model.test_cfg.rcnn.mask_thr_binary')).toBe(0.5);
    expect(at(printed, 'data.train.pipeline.4.mean')).toEqual([123.675, 116.28, 103.53]);
    expect(at(printed, 'lr_config.step')).toEqual([8, 11]);
    expect(at(printed, 'runner')).toEqual({ type: 'EpochBasedRunner', max_epochs: 12 });
  });
});

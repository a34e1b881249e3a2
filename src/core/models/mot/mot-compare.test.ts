import { describe, expect, it } from 'vitest';
import type { ConfigDict } from '../../config/config-value.ts';
import { evalMot, motSummaryRow } from '../../eval/eval-mot.ts';
import { detectionsFrom, loadSynSequence } from '../../trackers/mot17-syn-detections.node.ts';
import { compareOnVideo } from './mot-compare.ts';
import { MotRun } from './mot-run.ts';

const model = (type: string, tracker: Record<string, unknown>) => ({ model: { type, motion: { type: 'KalmanFilter' }, tracker } }) as unknown as ConfigDict;
const BYTE = model('ByteTrack', { type: 'ByteTracker', num_frames_retain: 30 });
const OCSORT = model('OCSORT', { type: 'OCSORTTracker', num_frames_retain: 30 });
const SHORT = model('OCSORT', { type: 'OCSORTTracker', num_frames_retain: [1, 30] });

describe('compareOnVideo', () => {
  const { gt, seqLength } = loadSynSequence('MOT17-03-SYN');
  const detections = detectionsFrom(gt, seqLength, 5, 0.15, 0.02);
  const classNames = ['pedestrian'];

  it('tracks each entry over the cached detections (its grid\'s first combination), scores it, ranks the rows', async () => {
    const progress: number[] = [];
    const r = await compareOnVideo(
      [
        { name: 'byte', config: BYTE },
        { name: 'oc', config: OCSORT },
        { name: 'oc-short', config: SHORT },
      ],
      classNames,
      { name: 'MOT17-03-SYN', detections, gt, seqLength },
      { onProgress: (done) => progress.push(done) },
    );
    expect(progress).toEqual([1, 2, 3]);
    expect(r.runs.map((x) => x.label)).toEqual(['byte', 'oc', 'oc-short']);
    // Each run is that tracker's own run over the same detections, and its metrics TrackEval's on it.
    for (const [k, config] of [BYTE, OCSORT, model('OCSORT', { type: 'OCSORTTracker', num_frames_retain: 1 })].entries()) {
      const run = new MotRun(config, classNames);
      for (let f = 0; f < detections.length; f++) await run.step(f, detections[f]!);
      expect(r.runs[k]!.frames).toEqual([...run.frames.entries()]);
      expect(r.runs[k]!.trackCount).toBe(run.trackList().length);
      const summary = motSummaryRow(evalMot([{ name: 's', gt, tracker: run.motRows(), seqLength }]).combined, true);
      expect(r.runs[k]!.metrics!.IDF1).toBe(summary.IDF1);
      expect(r.runs[k]!.metrics!.IDs).toBe(summary.IDSW);
    }
    for (const m of r.metrics) {
      const values = r.runs.map((x) => x.metrics![m]!);
      const top = ['FN', 'FP', 'IDs', 'ML'].includes(m) ? Math.min(...values) : Math.max(...values);
      expect(r.best[m]).toEqual(values.flatMap((v, i) => (v === top ? [i] : [])));
      expect(r.differing.includes(m)).toBe(new Set(values).size > 1);
    }
    expect(r.differing).toContain('IDs');
  });

  it('without ground truth keeps the tracks and scores nothing; refuses one entry and trackers that need the frames', async () => {
    const r = await compareOnVideo([{ name: 'byte', config: BYTE }, { name: 'oc', config: OCSORT }], classNames, { name: 'v', detections, gt: null, seqLength });
    expect(r.runs.every((x) => x.metrics === null && x.frames.length === seqLength)).toBe(true);
    expect(r.best).toEqual({});
    await expect(compareOnVideo([{ name: 'byte', config: BYTE }], classNames, { name: 'v', detections, gt: null, seqLength })).rejects.toThrow(/pick at least one config to compare with/);
    const tracktor = model('Tracktor', { type: 'TracktorTracker' });
    delete (tracktor.model as Record<string, unknown>).motion;
    await expect(compareOnVideo([{ name: 'byte', config: BYTE }, { name: 'tracktor', config: tracktor }], classNames, { name: 'v', detections, gt: null, seqLength })).rejects.toThrow(/tracktor: TracktorTracker needs more than the cached boxes/);
  });
});

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detections } from '../structures/detections.ts';
import { buildTracker } from '../models/mot/mot-registry.ts';
import { ocsortDetectionsJson } from './mot17-syn-detections.node.ts';

// Produced by scripts/fixtures/ocsort_reference.py: MMTracking's OCSORTTracker (with its SortTracker, BaseTracker and
// KalmanFilter) restated line by line in PyTorch, over the detections ocsortDetectionsJson() makes from the shared
// MOT17-like ground truth, with MMTracking's config parameters and a variant.
interface Fixture {
  detections_sha256: string;
  params: Record<string, Record<string, number | boolean>>;
  runs: Record<string, Record<string, [number, number][][]>>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/ocsort_mot17syn.json', import.meta.url), 'utf8')) as Fixture;

describe('OCSORTTracker vs the line-by-line PyTorch restatement of MMTracking', () => {
  const text = ocsortDetectionsJson();
  const sequences = (JSON.parse(text) as { sequences: Record<string, number[][][]> }).sequences;

  it('tracks the detections the reference tracked (same generator, same sha256)', () => {
    expect(createHash('sha256').update(text).digest('hex')).toBe(fixture.detections_sha256);
  });

  for (const [name, params] of Object.entries(fixture.params)) {
    it(`${name} parameters: the same boxes in the same order with the same ids on every frame of the three sequences`, () => {
      let total = 0;
      let recovered = 0;
      for (const [seq, frames] of Object.entries(sequences)) {
        const tracker = buildTracker('OCSORTTracker', params);
        const expected = fixture.runs[name]![seq]!;
        frames.forEach((rows, frameId) => {
          const d: Detections = { boxes: Float32Array.from(rows.flatMap((r) => r.slice(0, 4))), scores: Float32Array.from(rows, (r) => r[4]!), labels: new Int32Array(rows.length) };
          const out = tracker.update(d, { frameId });
          const index = (k: number) => rows.findIndex((r) => r[0] === out.boxes[4 * k] && r[1] === out.boxes[4 * k + 1] && r[2] === out.boxes[4 * k + 2] && r[3] === out.boxes[4 * k + 3]);
          const got = Array.from(out.ids!, (id, k) => [index(k), id]);
          expect(got, `${seq} frame ${frameId}`).toEqual(expected[frameId]);
          total += got.length;
        });
        // The scene must exercise the association: objects come back after gaps under the same id.
        const seen = new Map<number, number>();
        expected.forEach((f, t) => f.forEach(([, id]) => {
          if (seen.has(id) && seen.get(id)! < t - 1) recovered++;
          seen.set(id, t);
        }));
      }
      expect(total).toBeGreaterThan(2500);
      expect(recovered).toBeGreaterThan(20);
    });
  }
});

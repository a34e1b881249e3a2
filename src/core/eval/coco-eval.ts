/**
 * The COCOeval engine (evaluate → accumulate → summarize) shared by COCO bbox mAP (items are images) and
 * YouTube-VIS video mAP (items are videos). Port of pycocotools' `COCOeval`
 * (https://github.com/cocodataset/cocoapi/blob/master/PythonAPI/pycocotools/cocoeval.py): greedy matching of
 * score-sorted detections at each IoU threshold, crowd/area-range ignores, 101-point interpolated precision.
 */

/** A ground-truth object of one item (image or video). */
export interface EvalGt {
  /** Annotation id; matched detections store it, and (as in pycocotools) id 0 would read as "unmatched". */
  id: number;
  itemId: number;
  categoryId: number;
  /** Area used for the area ranges (COCO `area`, YouTube-VIS mean of per-frame areas). */
  area: number;
  iscrowd: boolean;
}

/** A detection of one item. */
export interface EvalDt {
  /** 1-based index in the results file (pycocotools' `loadRes` numbering). */
  id: number;
  itemId: number;
  categoryId: number;
  area: number;
  score: number;
}

export interface CocoEvalParams {
  itemIds: number[];
  catIds: number[];
  iouThrs: Float64Array;
  recThrs: Float64Array;
  maxDets: number[];
  areaRng: [number, number][];
  areaRngLbl: string[];
}

/** numpy `linspace(start, stop, num)`: `i * step + start`, last value exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const step = (stop - start) / (num - 1);
  const out = Float64Array.from({ length: num }, (_, i) => i * step + start);
  out[num - 1] = stop;
  return out;
}

/** COCOeval's default detection parameters (`Params.setDetParams`). */
export function defaultCocoParams(itemIds: number[], catIds: number[]): CocoEvalParams {
  return {
    itemIds: [...new Set(itemIds)].sort((a, b) => a - b),
    catIds: [...new Set(catIds)].sort((a, b) => a - b),
    iouThrs: linspace(0.5, 0.95, Math.round((0.95 - 0.5) / 0.05) + 1),
    recThrs: linspace(0, 1, Math.round(1 / 0.01) + 1),
    maxDets: [1, 10, 100],
    areaRng: [
      [0 ** 2, 1e5 ** 2],
      [0 ** 2, 32 ** 2],
      [32 ** 2, 96 ** 2],
      [96 ** 2, 1e5 ** 2],
    ],
    areaRngLbl: ['all', 'small', 'medium', 'large'],
  };
}

/** IoU of score-sorted detections (rows) with gts (columns), row-major `[D*G]`. */
export type IouFn<G extends EvalGt, D extends EvalDt> = (dts: readonly D[], gts: readonly G[]) => Float64Array;

interface EvalItemResult {
  dtScores: Float64Array;
  /** `[T*D]` matched gt id (0 = unmatched). */
  dtMatches: Float64Array;
  /** `[T*D]` 1 = ignored. */
  dtIgnore: Uint8Array;
  gtIgnore: Uint8Array;
  numDt: number;
}

export interface CocoAccumulated {
  params: CocoEvalParams;
  /** `[T][R][K][A][M]` flattened; -1 where a category has no gt in the setting. */
  precision: Float64Array;
  /** `[T][K][A][M]` flattened. */
  recall: Float64Array;
  /** `[T][R][K][A][M]` score at each recall point. */
  scores: Float64Array;
}

/** Stable sort of indices by descending score (numpy `argsort(-score, kind='mergesort')`). */
function byScore<D extends EvalDt>(dts: readonly D[]): D[] {
  return dts
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.score - a.d.score || a.i - b.i)
    .map((x) => x.d);
}

/** Runs evaluate + accumulate. */
export function cocoEvaluate<G extends EvalGt, D extends EvalDt>(gts: readonly G[], dts: readonly D[], params: CocoEvalParams, iou: IouFn<G, D>, onProgress?: (done: number, total: number) => void): CocoAccumulated {
  const key = (item: number, cat: number): string => `${item}|${cat}`;
  const gtBy = new Map<string, G[]>();
  const dtBy = new Map<string, D[]>();
  const catSet = new Set(params.catIds);
  const itemSet = new Set(params.itemIds);
  for (const g of gts) {
    if (!catSet.has(g.categoryId) || !itemSet.has(g.itemId)) continue;
    const k = key(g.itemId, g.categoryId);
    const l = gtBy.get(k);
    if (l) l.push(g);
    else gtBy.set(k, [g]);
  }
  for (const d of dts) {
    if (!catSet.has(d.categoryId) || !itemSet.has(d.itemId)) continue;
    const k = key(d.itemId, d.categoryId);
    const l = dtBy.get(k);
    if (l) l.push(d);
    else dtBy.set(k, [d]);
  }
  const T = params.iouThrs.length;
  const maxDet = params.maxDets[params.maxDets.length - 1]!;
  const K = params.catIds.length;
  const A = params.areaRng.length;
  const I = params.itemIds.length;
  // evalImgs[k][a][i]
  const evalImgs: (EvalItemResult | null)[] = new Array<EvalItemResult | null>(K * A * I).fill(null);
  let done = 0;
  for (let k = 0; k < K; k++) {
    const cat = params.catIds[k]!;
    for (let i = 0; i < I; i++) {
      const item = params.itemIds[i]!;
      const gAll = gtBy.get(key(item, cat)) ?? [];
      const dAll = dtBy.get(key(item, cat)) ?? [];
      if (gAll.length === 0 && dAll.length === 0) continue;
      const dSorted = byScore(dAll).slice(0, maxDet);
      const ious = dSorted.length && gAll.length ? iou(dSorted, gAll) : new Float64Array(0);
      for (let a = 0; a < A; a++) {
        const [lo, hi] = params.areaRng[a]!;
        const gIgnoreRaw = gAll.map((g) => (g.iscrowd || g.area < lo || g.area > hi ? 1 : 0));
        // gt sorted ignore-last (stable); dt already score-sorted.
        const gOrder = gAll.map((_, j) => j).sort((x, y) => gIgnoreRaw[x]! - gIgnoreRaw[y]! || x - y);
        const G = gAll.length;
        const D = dSorted.length;
        const gtIg = Uint8Array.from(gOrder, (j) => gIgnoreRaw[j]!);
        const crowd = gOrder.map((j) => gAll[j]!.iscrowd);
        const gtm = new Float64Array(T * G);
        const dtm = new Float64Array(T * D);
        const dtIg = new Uint8Array(T * D);
        if (ious.length > 0) {
          for (let t = 0; t < T; t++) {
            for (let d = 0; d < D; d++) {
              let best = Math.min(params.iouThrs[t]!, 1 - 1e-10);
              let m = -1;
              for (let gi = 0; gi < G; gi++) {
                if (gtm[t * G + gi]! > 0 && !crowd[gi]) continue;
                if (m > -1 && gtIg[m] === 0 && gtIg[gi] === 1) break;
                const v = ious[d * G + gOrder[gi]!]!;
                if (v < best) continue;
                best = v;
                m = gi;
              }
              if (m === -1) continue;
              dtIg[t * D + d] = gtIg[m]!;
              dtm[t * D + d] = gAll[gOrder[m]!]!.id;
              gtm[t * G + m] = dSorted[d]!.id;
            }
          }
        }
        for (let d = 0; d < D; d++) {
          const ar = dSorted[d]!.area;
          if (ar < lo || ar > hi) for (let t = 0; t < T; t++) if (dtm[t * D + d] === 0) dtIg[t * D + d] = 1;
        }
        evalImgs[(k * A + a) * I + i] = { dtScores: Float64Array.from(dSorted, (x) => x.score), dtMatches: dtm, dtIgnore: dtIg, gtIgnore: gtIg, numDt: D };
      }
    }
    onProgress?.(++done, K);
  }
  return accumulate(evalImgs, params);
}

function accumulate(evalImgs: (EvalItemResult | null)[], p: CocoEvalParams): CocoAccumulated {
  const T = p.iouThrs.length;
  const R = p.recThrs.length;
  const K = p.catIds.length;
  const A = p.areaRng.length;
  const M = p.maxDets.length;
  const I = p.itemIds.length;
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const scores = new Float64Array(T * R * K * A * M).fill(-1);
  const pIdx = (t: number, r: number, k: number, a: number, m: number): number => (((t * R + r) * K + k) * A + a) * M + m;
  const rIdx = (t: number, k: number, a: number, m: number): number => ((t * K + k) * A + a) * M + m;
  const spacing1 = 2.220446049250313e-16;
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < A; a++) {
      const E = [];
      for (let i = 0; i < I; i++) {
        const e = evalImgs[(k * A + a) * I + i];
        if (e) E.push(e);
      }
      if (E.length === 0) continue;
      for (let m = 0; m < M; m++) {
        const maxDet = p.maxDets[m]!;
        // Concatenate the first maxDet detections of every item, then stable-sort by score.
        const entries: { score: number; e: EvalItemResult; d: number }[] = [];
        for (const e of E) for (let d = 0; d < Math.min(maxDet, e.numDt); d++) entries.push({ score: e.dtScores[d]!, e, d });
        const order = entries.map((_, j) => j).sort((x, y) => entries[y]!.score - entries[x]!.score || x - y);
        let npig = 0;
        for (const e of E) for (const g of e.gtIgnore) if (g === 0) npig++;
        if (npig === 0) continue;
        const nd = order.length;
        for (let t = 0; t < T; t++) {
          const pr = new Float64Array(nd);
          const rc = new Float64Array(nd);
          let tp = 0;
          let fp = 0;
          for (let j = 0; j < nd; j++) {
            const { e, d } = entries[order[j]!]!;
            const D = e.numDt;
            const matched = e.dtMatches[t * D + d]! !== 0;
            const ignored = e.dtIgnore[t * D + d]! !== 0;
            if (matched && !ignored) tp++;
            if (!matched && !ignored) fp++;
            rc[j] = tp / npig;
            pr[j] = tp / (fp + tp + spacing1);
          }
          recall[rIdx(t, k, a, m)] = nd ? rc[nd - 1]! : 0;
          for (let j = nd - 1; j > 0; j--) if (pr[j]! > pr[j - 1]!) pr[j - 1] = pr[j]!;
          let j = 0;
          for (let r = 0; r < R; r++) {
            // numpy searchsorted(rc, recThr, side='left'); past the end the rest stay 0.
            const thr = p.recThrs[r]!;
            while (j < nd && rc[j]! < thr) j++;
            if (j >= nd) {
              for (let rr = r; rr < R; rr++) {
                precision[pIdx(t, rr, k, a, m)] = 0;
                scores[pIdx(t, rr, k, a, m)] = 0;
              }
              break;
            }
            precision[pIdx(t, r, k, a, m)] = pr[j]!;
            scores[pIdx(t, r, k, a, m)] = entries[order[j]!]!.score;
          }
        }
      }
    }
  }
  return { params: p, precision, recall, scores };
}

/**
 * `COCOeval._summarize`: mean of the precision (ap) or recall values > -1 for one IoU threshold (or all), area
 * range label and maxDets; -1 when there are none.
 */
export function summarizeValue(acc: CocoAccumulated, ap: boolean, options: { iouThr?: number; areaRng?: string; maxDets?: number } = {}): number {
  const p = acc.params;
  const T = p.iouThrs.length;
  const R = p.recThrs.length;
  const K = p.catIds.length;
  const A = p.areaRng.length;
  const M = p.maxDets.length;
  const a = p.areaRngLbl.indexOf(options.areaRng ?? 'all');
  const m = p.maxDets.indexOf(options.maxDets ?? 100);
  const ts = options.iouThr === undefined ? [...Array(T).keys()] : [...Array(T).keys()].filter((t) => p.iouThrs[t] === options.iouThr);
  if (a < 0 || m < 0) return -1;
  let sum = 0;
  let n = 0;
  for (const t of ts) {
    for (let k = 0; k < K; k++) {
      if (ap) {
        for (let r = 0; r < R; r++) {
          const v = acc.precision[(((t * R + r) * K + k) * A + a) * M + m]!;
          if (v > -1) {
            sum += v;
            n++;
          }
        }
      } else {
        const v = acc.recall[((t * K + k) * A + a) * M + m]!;
        if (v > -1) {
          sum += v;
          n++;
        }
      }
    }
  }
  return n === 0 ? -1 : sum / n;
}

/** The 12 COCO stats in `COCOeval.stats` order (AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl). */
export function summarizeStats(acc: CocoAccumulated): number[] {
  const md = acc.params.maxDets;
  return [
    summarizeValue(acc, true),
    summarizeValue(acc, true, { iouThr: 0.5, maxDets: md[2] }),
    summarizeValue(acc, true, { iouThr: 0.75, maxDets: md[2] }),
    summarizeValue(acc, true, { areaRng: 'small', maxDets: md[2] }),
    summarizeValue(acc, true, { areaRng: 'medium', maxDets: md[2] }),
    summarizeValue(acc, true, { areaRng: 'large', maxDets: md[2] }),
    summarizeValue(acc, false, { maxDets: md[0] }),
    summarizeValue(acc, false, { maxDets: md[1] }),
    summarizeValue(acc, false, { maxDets: md[2] }),
    summarizeValue(acc, false, { areaRng: 'small', maxDets: md[2] }),
    summarizeValue(acc, false, { areaRng: 'medium', maxDets: md[2] }),
    summarizeValue(acc, false, { areaRng: 'large', maxDets: md[2] }),
  ];
}

/** Interpolated precision at the 101 recall points for one category, IoU threshold index, all areas, maxDets 100. */
export function precisionCurve(acc: CocoAccumulated, catIndex: number, iouIndex: number): Float64Array {
  const p = acc.params;
  const R = p.recThrs.length;
  const K = p.catIds.length;
  const A = p.areaRng.length;
  const M = p.maxDets.length;
  const m = M - 1;
  return Float64Array.from({ length: R }, (_, r) => acc.precision[(((iouIndex * R + r) * K + catIndex) * A + 0) * M + m]!);
}

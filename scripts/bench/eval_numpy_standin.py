#!/usr/bin/env python3
"""TIMING STAND-IN, NOT REFERENCE CODE.

TrackEval and MMTracking cannot be installed here (PyPI is unreachable), so the evaluation benches time this
independent numpy/scipy implementation instead. It was written for this project from the published algorithms and
reproduces the *computational structure* of the reference tools (what decides their speed): TrackEval's per-file
python csv reading, per-timestep dense numpy IoU matrices, scipy.optimize.linear_sum_assignment per frame, dense
id-by-id matrices for HOTA/Identity; MMTracking eval_sot_ope's np.loadtxt, float32 pairwise overlap matrix per
sequence (computed row by row, as mmdet's bbox_overlaps does) of which only the diagonal is used.
It prints its combined metrics so the bench can check it agrees with mmtrack-web. It is not used by any test.

usage: eval_numpy_standin.py mot GT_ROOT RESULTS_ROOT | sot GT_ROOT RESULTS_ROOT
"""
import csv
import json
import os
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

EPS = np.finfo(float).eps
DISTRACTORS = (2, 7, 8, 12)


def read_rows(path):
    by_frame = {}
    with open(path) as fp:
        for row in csv.reader(fp):
            if row:
                by_frame.setdefault(int(float(row[0])), []).append(row)
    return by_frame


def ious_xywh(a, b):
    a = a.copy(); b = b.copy()
    a[:, 2:] += a[:, :2]; b[:, 2:] += b[:, :2]
    lo = np.maximum(a[:, None, :2], b[None, :, :2])
    hi = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(hi - lo, 0, None), axis=2)
    area_a = np.prod(a[:, 2:] - a[:, :2], axis=1)
    area_b = np.prod(b[:, 2:] - b[:, :2], axis=1)
    union = area_a[:, None] + area_b[None, :] - inter
    inter[area_a <= EPS, :] = 0
    inter[:, area_b <= EPS] = 0
    inter[union <= EPS] = 0
    union[union <= EPS] = 1
    return inter / union


def load_sequence(gt_file, tr_file, length):
    g, t = read_rows(gt_file), read_rows(tr_file)
    seq = []
    for f in range(1, length + 1):
        gd = np.asarray(g.get(f, []), dtype=float).reshape(-1, 9)
        td = np.asarray(t.get(f, []), dtype=float)
        td = td.reshape(-1, td.shape[1] if td.size else 10)
        sim = ious_xywh(gd[:, 2:6], td[:, 2:6])
        drop = np.zeros(len(td), bool)
        if len(gd) and len(td):
            score = np.where(sim >= 0.5 - EPS, sim, 0)
            r, c = linear_sum_assignment(-score)
            ok = score[r, c] > EPS
            drop[c[ok][np.isin(gd[r[ok], 7].astype(int), DISTRACTORS)]] = True
        keep = (gd[:, 6].astype(int) != 0) & (gd[:, 7].astype(int) == 1)
        seq.append((gd[keep, 1].astype(int), td[~drop, 1].astype(int), sim[keep][:, ~drop]))
    gids = np.unique(np.concatenate([s[0] for s in seq]))
    tids = np.unique(np.concatenate([s[1] for s in seq]))
    return [(np.searchsorted(gids, a), np.searchsorted(tids, b), s) for a, b, s in seq], len(gids), len(tids)


def clear_identity_hota(seq, ng, nt):
    alphas = np.arange(0.05, 0.99, 0.05)
    # CLEAR
    c = dict(TP=0, FN=0, FP=0, IDSW=0, MOTP_sum=0.0)
    last = np.full(ng, np.nan); prev = np.full(ng, np.nan)
    seen = np.zeros(ng); matched = np.zeros(ng); frag = np.zeros(ng)
    # Identity / HOTA accumulators
    pot_id = np.zeros((ng, nt)); pot_h = np.zeros((ng, nt)); gcount = np.zeros((ng, 1)); tcount = np.zeros((1, nt))
    for g, t, s in seq:
        if len(g) and len(t):
            pot_id[g[:, None], t[None, :]] += s >= 0.5
            den = s.sum(0)[None, :] + s.sum(1)[:, None] - s
            pot_h[g[:, None], t[None, :]] += np.where(den > EPS, s / np.where(den > EPS, den, 1), 0)
        gcount[g] += 1; tcount[0, t] += 1
        if len(g) == 0:
            c['FP'] += len(t); continue
        if len(t) == 0:
            c['FN'] += len(g); seen[g] += 1; continue
        score = 1000 * (t[None, :] == prev[g][:, None]) + s
        score[s < 0.5 - EPS] = 0
        r, cc = linear_sum_assignment(-score)
        ok = score[r, cc] > EPS
        r, cc = r[ok], cc[ok]
        mg, mt = g[r], t[cc]
        c['IDSW'] += int(np.sum(~np.isnan(last[mg]) & (last[mg] != mt)))
        seen[g] += 1; matched[mg] += 1
        was = np.isnan(prev)
        last[mg] = mt; prev[:] = np.nan; prev[mg] = mt
        frag += was & ~np.isnan(prev)
        c['TP'] += len(r); c['FN'] += len(g) - len(r); c['FP'] += len(t) - len(r)
        c['MOTP_sum'] += float(s[r, cc].sum())
    ratio = matched[seen > 0] / seen[seen > 0]
    c['MT'] = int(np.sum(ratio > 0.8)); c['PT'] = int(np.sum(ratio >= 0.2)) - c['MT']; c['ML'] = ng - c['MT'] - c['PT']
    c['Frag'] = int(np.sum(frag[frag > 0] - 1))
    # Identity: (ng+nt)^2 assignment
    n = ng + nt
    fn = np.zeros((n, n)); fp = np.zeros((n, n))
    fn[:ng, :nt] = gcount - pot_id; fn[np.arange(ng), nt + np.arange(ng)] = gcount[:, 0]; fn[:ng, nt:][fn[:ng, nt:] == 0] = 1e10
    fp[:ng, :nt] = tcount - pot_id; fp[ng + np.arange(nt), np.arange(nt)] = tcount[0]; fp[ng:, :nt][fp[ng:, :nt] == 0] = 1e10
    r, cc = linear_sum_assignment(fn + fp)
    idfn, idfp = int(fn[r, cc].sum()), int(fp[r, cc].sum())
    ident = dict(IDTP=int(gcount.sum()) - idfn, IDFN=idfn, IDFP=idfp)
    # HOTA
    align = pot_h / (gcount + tcount - pot_h)
    h = dict(TP=np.zeros(len(alphas)), FN=np.zeros(len(alphas)), FP=np.zeros(len(alphas)), Loc=np.zeros(len(alphas)))
    mc = [np.zeros((ng, nt)) for _ in alphas]
    for g, t, s in seq:
        if len(g) == 0 or len(t) == 0:
            h['FP'] += len(t); h['FN'] += len(g); continue
        r, cc = linear_sum_assignment(-(align[g[:, None], t[None, :]] * s))
        v = s[r, cc]
        for a, al in enumerate(alphas):
            ok = v >= al - EPS
            h['TP'][a] += ok.sum(); h['FN'][a] += len(g) - ok.sum(); h['FP'][a] += len(t) - ok.sum()
            h['Loc'][a] += v[ok].sum()
            mc[a][g[r[ok]], t[cc[ok]]] += 1
    h['AssA'] = np.array([np.sum(m * m / np.maximum(1, gcount + tcount - m)) for m in mc])
    return c, ident, h


def run_mot(gt_root, res_root):
    split = os.path.join(gt_root, 'MOT17-train')
    names = open(os.path.join(gt_root, 'seqmaps', 'MOT17-train.txt')).read().split()[1:]
    tot = None
    for name in names:
        info = open(os.path.join(split, name, 'seqinfo.ini')).read()
        length = int(info.split('seqLength=')[1].split()[0])
        seq, ng, nt = load_sequence(os.path.join(split, name, 'gt', 'gt.txt'), os.path.join(res_root, name + '.txt'), length)
        c, i, h = clear_identity_hota(seq, ng, nt)
        if tot is None:
            tot = (c, i, h)
        else:
            for d, e in zip(tot, (c, i, h)):
                for k in d:
                    d[k] = d[k] + e[k]
    c, i, h = tot
    det_a = h['TP'] / np.maximum(1, h['TP'] + h['FN'] + h['FP'])
    ass_a = h['AssA'] / np.maximum(1, h['TP'])
    return dict(HOTA=float(np.mean(np.sqrt(det_a * ass_a))), MOTA=(c['TP'] - c['FP'] - c['IDSW']) / max(1, c['TP'] + c['FN']),
                IDF1=i['IDTP'] / max(1, i['IDTP'] + 0.5 * i['IDFP'] + 0.5 * i['IDFN']), IDSW=c['IDSW'], Frag=c['Frag'], TP=c['TP'])


def run_sot(gt_root, res_root):
    succ, prec, norm = [], [], []
    for name in sorted(os.listdir(gt_root)):
        gt = np.loadtxt(os.path.join(gt_root, name, 'groundtruth.txt'), delimiter=',', dtype=np.float32)
        pr = np.loadtxt(os.path.join(res_root, name + '.txt'), delimiter=',', dtype=np.float32)
        gt[:, 2:] += gt[:, :2]; pr[:, 2:] += pr[:, :2]
        n = len(gt)
        valid = (gt[:, 2] > gt[:, 0]) & (gt[:, 3] > gt[:, 1])
        a, b = gt[valid], pr[valid]
        m = np.zeros((len(a), len(b)), np.float32)  # pairwise matrix, row by row; only its diagonal is used
        area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
        for k in range(len(a)):
            w = np.maximum(np.minimum(a[k, 2], b[:, 2]) - np.maximum(a[k, 0], b[:, 0]), 0)
            hh = np.maximum(np.minimum(a[k, 3], b[:, 3]) - np.maximum(a[k, 1], b[:, 1]), 0)
            ov = w * hh
            m[k] = ov / np.maximum((a[k, 2] - a[k, 0]) * (a[k, 3] - a[k, 1]) + area_b - ov, np.float32(1e-6))
        iou = -np.ones(n); iou[valid] = np.diagonal(m)
        succ.append([np.sum(iou > t) / n for t in np.arange(0, 1.05, 0.05)])
        gc = (gt[:, :2] + gt[:, 2:]) / 2; pc = (pr[:, :2] + pr[:, 2:]) / 2
        wh = gt[:, 2:] - gt[:, :2] + np.float32(1e-16)
        for centers, out, ths in (((gc, pc), prec, np.arange(51)), ((gc / wh, pc / wh), norm, np.arange(51) / 100.)):
            ok = (centers[0][:, 0] > 0) & (centers[0][:, 1] > 0)
            d = -np.ones(n); d[ok] = np.sqrt(np.sum((centers[0][ok] - centers[1][ok]) ** 2, axis=1))
            out.append([np.sum(d <= t) / n for t in ths])
    return dict(success=float(np.mean(succ) * 100), precision=float(np.mean(prec, axis=0)[20] * 100), norm_precision=float(np.mean(norm, axis=0)[20] * 100))


if __name__ == '__main__':
    task, gt_root, res_root = sys.argv[1:4]
    t0, c0 = time.perf_counter(), time.process_time()
    metrics = run_mot(gt_root, res_root) if task == 'mot' else run_sot(gt_root, res_root)
    print(json.dumps(dict(seconds=time.perf_counter() - t0, cpu_seconds=time.process_time() - c0, metrics=metrics)))

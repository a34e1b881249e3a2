#!/usr/bin/env python3
"""Timing stand-in for MMTracking's `tools/analysis/analyze_logs.py` on one big log, for scripts/bench/logs.bench.ts.

An independent re-implementation (written from reading the script, not copied) of `load_json_logs` (json.loads
per line, per epoch a defaultdict of lists) followed by the script's `plot_curve` data for KEYS: a per-iteration
key as numpy arrays of global iterations and values, a mAP key as one value per epoch. No plotting.
Prints one JSON line: {"load_s", "curves_s", "maxrss_kb", "lines", "points"}.

    python3 scripts/bench/logs_load_json_logs.py LOG.json KEY...
"""
import json
import resource
import sys
import time
from collections import defaultdict

import numpy as np


def load_json_logs(path):
    log_dict = {}
    lines = 0
    with open(path, 'r') as f:
        for text in f:
            lines += 1
            record = json.loads(text.strip())
            if 'epoch' not in record:
                continue
            epoch = record.pop('epoch')
            per_key = log_dict.setdefault(epoch, defaultdict(list))
            for k, v in record.items():
                per_key[k].append(v)
    return log_dict, lines


def curve(log_dict, key):
    epochs = list(log_dict.keys())
    if 'mAP' in key:
        ys = []
        for e in epochs:
            ys += log_dict[e][key]
        return np.arange(1, max(epochs) + 1), np.array(ys)
    first = log_dict[epochs[0]]
    n = first['iter'][-2] if first['mode'][-1] == 'val' else first['iter'][-1]
    xs, ys = [], []
    for e in epochs:
        iters = log_dict[e]['iter']
        if log_dict[e]['mode'][-1] == 'val':
            iters = iters[:-1]
        xs.append(np.array(iters) + (e - 1) * n)
        ys.append(np.array(log_dict[e][key][:len(iters)]))
    return np.concatenate(xs), np.concatenate(ys)


def main():
    path, keys = sys.argv[1], sys.argv[2:]
    t0 = time.perf_counter()
    log_dict, lines = load_json_logs(path)
    t1 = time.perf_counter()
    points = sum(len(curve(log_dict, k)[1]) for k in keys)
    t2 = time.perf_counter()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({'load_s': t1 - t0, 'curves_s': t2 - t1, 'maxrss_kb': maxrss, 'lines': lines, 'points': points}))


if __name__ == '__main__':
    main()

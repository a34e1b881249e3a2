import type { ConfigDict } from '../core/config/config-value.ts';
import type { MotRows } from '../core/datasets/mot-challenge.ts';
import type { CompareEntry, CompareVideo, VideoComparison } from '../core/models/mot/mot-compare.ts';
import type { MotSearchResult, MotSearchRow, MotSearchSequence, SearchAxis } from '../core/models/mot/mot-param-search.ts';
import type { Method } from './rpc.ts';

/** A parameter search over one video's cached detections (axes found on the main thread, where tuples are known). */
export interface MotSearchJob {
  config: ConfigDict;
  axes: SearchAxis[];
  classNames: string[];
  sequence: MotSearchSequence;
  minScore: number;
  searchMetrics: string[];
}

/** Trackers compared on one video's cached detections (entries' axes found on the main thread). */
export interface MotCompareJob {
  entries: CompareEntry[];
  classNames: string[];
  video: CompareVideo;
  minScore: number;
  metrics: string[];
}

/** The MOT search worker's API. */
export type MotSearchApi = {
  /** The grid, combination by combination (progress: each finished row). */
  search: Method<MotSearchJob, MotSearchResult, { done: number; total: number; row: MotSearchRow }>;
  /** Each entry's tracks over the video, scored against the ground truth when there is one (progress: entries done). */
  compare: Method<MotCompareJob, VideoComparison, { done: number; total: number }>;
  /** TrackEval's HOTA/CLEAR/Identity (every scalar field) of one sequence. */
  evaluate: Method<{ gt: MotRows; tracker: MotRows; seqLength: number; name: string }, Record<string, number>>;
};

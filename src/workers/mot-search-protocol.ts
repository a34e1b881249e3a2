import type { ConfigDict } from '../core/config/config-value.ts';
import type { MotRows } from '../core/datasets/mot-challenge.ts';
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

/** The MOT search worker's API. */
export type MotSearchApi = {
  /** The grid, combination by combination (progress: each finished row). */
  search: Method<MotSearchJob, MotSearchResult, { done: number; total: number; row: MotSearchRow }>;
  /** TrackEval's HOTA/CLEAR/Identity (every scalar field) of one sequence. */
  evaluate: Method<{ gt: MotRows; tracker: MotRows; seqLength: number; name: string }, Record<string, number>>;
};

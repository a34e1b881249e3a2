import type { ConfigDict } from '../core/config/config-value.ts';
import type { MotRows } from '../core/datasets/mot-challenge.ts';
import type { MotSearchResult, MotSearchRow, MotSearchSequence, SearchAxis } from '../core/models/mot/mot-param-search.ts';

/** A parameter search over one video's cached detections (axes found on the main thread, where tuples are known). */
export interface MotSearchJob {
  config: ConfigDict;
  axes: SearchAxis[];
  classNames: string[];
  sequence: MotSearchSequence;
  minScore: number;
  searchMetrics: string[];
}

/** Messages to the MOT search worker. */
export type MotSearchRequest =
  | { type: 'search'; jobId: number; job: MotSearchJob }
  | { type: 'evaluate'; jobId: number; gt: MotRows; tracker: MotRows; seqLength: number; name: string }
  | { type: 'cancel'; jobId: number };

/** Messages from the MOT search worker. */
export type MotSearchResponse =
  | { type: 'progress'; jobId: number; done: number; total: number; row: MotSearchRow }
  | { type: 'searched'; jobId: number; result: MotSearchResult }
  | { type: 'evaluated'; jobId: number; metrics: Record<string, number> }
  | { type: 'failed'; jobId: number; message: string; cancelled: boolean };

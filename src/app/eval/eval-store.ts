import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EvalJobInput, EvalReport, EvalTask } from '../../core/eval/eval-run.ts';
import { startEvalInWorker, type EvalRunner } from '../../workers/eval-client.ts';
import { isCancelled, type Job } from '../../workers/rpc.ts';

/** A set of dropped files: relative path → text, and a label for the UI. */
export interface DroppedFiles {
  label: string;
  files: Record<string, string>;
}

export interface EvalState {
  gt: DroppedFiles | null;
  results: DroppedFiles | null;
  /** Task chosen by the user, or 'auto' to detect it from the files. */
  task: EvalTask | 'auto';
  status: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  progress: { fraction: number; stage: string } | null;
  report: EvalReport | null;
  error: string | null;

  setGt: (files: DroppedFiles) => void;
  setResults: (files: DroppedFiles) => void;
  setTask: (task: EvalTask | 'auto') => void;
  /** Evaluates `gt` against `results` in the worker (a new run cancels the previous one). */
  run: () => void;
  cancel: () => void;
  reset: () => void;
}

/**
 * The evaluation view's state. The runner is injected (the eval worker in the app, a direct call in tests), so
 * the store holds state and applies actions, and components only dispatch.
 */
export function createEvalStore(runner: EvalRunner): StoreApi<EvalState> {
  let job: Job<EvalReport> | null = null;
  let current: object | null = null;
  return createStore<EvalState>()((set, get) => ({
    gt: null,
    results: null,
    task: 'auto',
    status: 'idle',
    progress: null,
    report: null,
    error: null,
    setGt: (gt) => set({ gt }),
    setResults: (results) => set({ results }),
    setTask: (task) => set({ task }),
    run: () => {
      const { gt, results, task } = get();
      if (!gt || !results) {
        set({ status: 'error', error: 'Drop the ground truth and the results first.' });
        return;
      }
      job?.cancel();
      const input: EvalJobInput = { gt: gt.files, results: results.files, ...(task === 'auto' ? {} : { task }) };
      // A token per run: messages of a superseded run are ignored (progress may come before the job returns).
      const token = {};
      current = token;
      set({ status: 'running', progress: { fraction: 0, stage: 'starting' }, error: null });
      const mine = runner(input, (fraction, stage) => {
        if (current === token) set({ progress: { fraction, stage } });
      });
      job = mine;
      mine.result.then(
        (report) => {
          if (current !== token) return;
          job = null;
          set({ status: 'done', report, progress: null });
        },
        (err: unknown) => {
          if (current !== token) return;
          job = null;
          const cancelled = isCancelled(err);
          set({ status: cancelled ? 'cancelled' : 'error', error: cancelled ? null : err instanceof Error ? err.message : String(err), progress: null });
        },
      );
    },
    cancel: () => job?.cancel(),
    reset: () => {
      job?.cancel();
      job = null;
      current = null;
      set({ gt: null, results: null, status: 'idle', progress: null, report: null, error: null });
    },
  }));
}

let appStore: StoreApi<EvalState> | null = null;

/** The app's store, running evaluations in the eval worker (the worker starts on the first run). */
export function appEvalStore(): StoreApi<EvalState> {
  appStore ??= createEvalStore(startEvalInWorker);
  return appStore;
}

export function useEvalStore<T>(store: StoreApi<EvalState>, selector: (s: EvalState) => T): T {
  return useStore(store, selector);
}

/** Reads picked / dropped `File`s as text, keyed by their path inside the dropped folder (or their name). */
export async function readDroppedFiles(files: readonly File[], label: string): Promise<DroppedFiles> {
  const out: Record<string, string> = {};
  for (const f of files) {
    if (!/\.(txt|ini|json|label)$/i.test(f.name)) continue;
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    out[rel] = await f.text();
  }
  return { label, files: out };
}

// One MOT run, owned by one object: the config it tracks with, the detections it tracked, the one score threshold
// (the slider's), the frame loop, re-tracking and what is kept across reloads. No store, worker or player in here:
// the app hands it a frame source, tests a synthetic one.
import type { ConfigDict } from '../../core/config/config-value.ts';
import { configWithCombination, firstCombination, trackerSearchAxes } from '../../core/models/mot/mot-param-search.ts';
import { MotRun, type TrackSummary } from '../../core/models/mot/mot-run.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { needsFrame, type TrackerFrame, type TrackerRequirements } from '../../core/trackers/tracker.ts';
import { CancelledError } from '../../workers/rpc.ts';
import { RunScenes } from './run-scenes.ts';

/** Where a run's frames come from (the app: the player seeks, the detector runs through the frame hook). */
export interface MotFrameSource {
  readonly frameCount: number;
  /** The detector's output on frame `index` (0-based, asked in order). */
  detections(index: number): Promise<Detections>;
  /** What the tracker needs besides the detections of the frame just detected (Tracktor: regression, ReID, grayscale). */
  trackerInputs(index: number, requires: TrackerRequirements): Promise<Omit<TrackerFrame, 'frameId' | 'embeddings'>>;
  /** Forget cached detections, so that each frame is detected afresh (trackers that work on the frame itself). */
  forgetCache(): void;
}

/** What a run is made of, as kept in IndexedDB (mot-run-db.ts). */
export interface MotSessionRecord {
  configPath: string | null;
  /** The config the run tracked with (overrides, ticked classes and grid choice applied). */
  config: ConfigDict;
  classNames: string[];
  /** The detection score threshold the tracks were made with. */
  minScore: number;
  /** Tracked boxes (with ids) per 0-based frame. */
  frames: Array<[number, Detections]>;
  /** The detector's output per frame, as tracked. */
  detections: Array<[number, Detections]>;
}

/** The settings a run starts from: the config in the panel, the ticked classes, the threshold on the slider. */
export interface MotRunSettings {
  config: ConfigDict;
  configPath: string | null;
  /** The classes ticked in the MOT panel, replacing the config's `classes`; null: the config's. */
  classes: readonly string[] | null;
}

/** The config with `classes` (the ticked classes) as its `classes`; unchanged for null. */
export function withClasses(config: ConfigDict, classes: readonly string[] | null): ConfigDict {
  return classes ? { ...config, classes: [...classes] } : config;
}

/**
 * The config to track with: the ticked classes as `classes`; a config with search grids (lists in model.tracker, for
 * the parameter search) tracks with the first value of each, and says so.
 */
export function trackingConfig({ config: base, classes }: Pick<MotRunSettings, 'config' | 'classes'>): { config: ConfigDict; note: string | null } {
  const config = withClasses(base, classes);
  const axes = trackerSearchAxes(config);
  if (axes.length === 0) return { config, note: null };
  const first = firstCombination(axes);
  return {
    config: configWithCombination(config, first),
    note: `model.tracker has search grids; tracked with the first values (${Object.entries(first).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}). Drop ground truth and run the parameter search to compare them.`,
  };
}

export class MotSession {
  private cancelRequested = false;
  private view: RunScenes;
  private selected: number | null = null;

  private constructor(
    private run: MotRun,
    /** The config tracked with. */
    public config: ConfigDict,
    public configPath: string | null,
    readonly classNames: readonly string[],
    /** The detector's output per frame that the run tracked (re-tracking and the parameter search use it). */
    readonly detections: Map<number, Detections>,
    /** The one score threshold: detections below it are not tracked. */
    public minScore: number,
    public gridNote: string | null,
  ) {
    this.view = new RunScenes(run.frames, classNames, null);
  }

  /** A run about to track with `settings` over a detector of `classNames`, at the slider's `minScore`. */
  static create(settings: MotRunSettings, classNames: readonly string[], minScore: number): MotSession {
    const { config, note } = trackingConfig(settings);
    return new MotSession(new MotRun(config, classNames), config, settings.configPath, classNames, new Map(), minScore, note);
  }

  /** A run read back from storage: tracks, exports and re-tracking as if it had just run. */
  static fromRecord(r: MotSessionRecord): MotSession {
    return new MotSession(MotRun.fromFrames(r.config, r.classNames, r.frames), r.config, r.configPath, r.classNames, new Map(r.detections), r.minScore, null);
  }

  toRecord(): MotSessionRecord {
    return { configPath: this.configPath, config: this.config, classNames: [...this.classNames], minScore: this.minScore, frames: [...this.run.frames.entries()], detections: [...this.detections.entries()] };
  }

  get tracker() {
    return this.run.tracker;
  }

  get frameCount(): number {
    return this.detections.size;
  }

  tracks(): TrackSummary[] {
    return this.run.trackList();
  }

  /** The tracked boxes per frame (MOTChallenge / CocoVID exports). */
  get result(): MotRun {
    return this.run;
  }

  /** What the overlay says its scenes are (the detect and SOT stores tell theirs from it by this label). */
  get overlayLabel(): string {
    return `${this.configPath ?? 'MOT'} tracks`;
  }

  /** Overlay scenes of the tracked frames: a view of the run, made frame by frame as they are drawn. */
  scenes(): RunScenes {
    return this.view;
  }

  select(id: number | null): void {
    this.selected = id;
    this.view = new RunScenes(this.run.frames, this.classNames, id);
  }

  cancel(): void {
    this.cancelRequested = true;
  }

  /**
   * Tracks every frame of `source` in order at `minScore`, calling `onFrame` after each. Rejects with CancelledError
   * after `cancel()` (between frames), with the detector's or tracker's message otherwise.
   */
  async track(source: MotFrameSource, onFrame: (done: number, total: number, frame: number) => void): Promise<void> {
    const requires = this.run.tracker.requires;
    // Tracktor works on each frame in the worker (regression, ReID, grayscale image): detect every frame afresh, so
    // that the worker's frame is the one being tracked.
    const perFrame = needsFrame(requires);
    if (perFrame) source.forgetCache();
    this.cancelRequested = false;
    for (let i = 0; i < source.frameCount; i++) {
      if (this.cancelRequested) throw new CancelledError('tracking cancelled');
      const dets = await source.detections(i);
      this.detections.set(i, dets);
      const extras = perFrame ? await source.trackerInputs(i, requires) : {};
      await this.run.step(i, dets, this.minScore, extras);
      onFrame(i + 1, source.frameCount, i);
    }
  }

  /**
   * Tracks the cached detections again (no detector run) at `minScore`, or with new settings (the config's
   * overrides or ticked classes changed). Throws, leaving the run as it was, for trackers that need the frame.
   */
  async retrack(minScore: number, settings?: MotRunSettings): Promise<void> {
    const { config, note } = settings ? trackingConfig(settings) : { config: this.config, note: this.gridNote };
    const next = new MotRun(config, this.classNames);
    if (needsFrame(next.tracker.requires)) {
      throw new Error(`${next.tracker.type} cannot re-track cached detections: it regresses boxes (and re-identifies, compensates camera motion) on each frame with the detector; press Track to run it again`);
    }
    for (let i = 0; this.detections.has(i); i++) await next.step(i, this.detections.get(i)!, minScore);
    this.run = next;
    this.config = config;
    this.gridNote = note;
    this.minScore = minScore;
    if (settings) this.configPath = settings.configPath;
    this.view = new RunScenes(next.frames, this.classNames, this.selected);
  }
}

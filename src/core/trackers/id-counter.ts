/**
 * The source of track ids, passed into a tracker rather than kept in a global (supervision's `IdCounter`,
 * https://github.com/roboflow/supervision/blob/develop/supervision/tracker/byte_tracker/core.py). MMTracking keeps
 * `num_tracks` on the tracker and restarts it at 0 on `reset()`; a tracker here calls {@link IdCounter.reset} from
 * its own `reset()`, so by default ids restart at `start` for every video, as in MMTracking.
 */
export class IdCounter {
  private value: number;

  /** @param start the first id handed out (MMTracking: 0; MOTChallenge files often want 1). */
  constructor(readonly start = 0) {
    if (!Number.isInteger(start)) throw new Error(`IdCounter: start must be an integer, got ${start}`);
    this.value = start;
  }

  /** A new id, one more than the previous one. */
  next(): number {
    return this.value++;
  }

  /** The id {@link next} would return, without taking it. */
  peek(): number {
    return this.value;
  }

  /** Starts again at `start`. */
  reset(): void {
    this.value = this.start;
  }
}

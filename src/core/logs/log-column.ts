/**
 * The values of one key within one epoch, in line order: MMTracking's `log_dict[epoch][key]` list
 * (`tools/analysis/analyze_logs.py`, `load_json_logs`), stored compactly. Numbers live in a growing
 * `Float64Array`; a column that ever receives something else (the `mode` strings, `bbox_mAP_copypaste`, null)
 * switches to a plain array. Each value remembers its row (its line's position within the epoch), so a key that
 * is missing from some lines still pairs each value with its own line's `iter` and `mode`.
 */
export class LogColumn {
  private nums: Float64Array = new Float64Array(8);
  private others: unknown[] | null = null;
  /** Row of each value; null while the key was on every row of the epoch so far (value i is on row i). */
  private rows: Int32Array | null = null;
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** True while every value is a JSON number (NaN and ±Infinity included). */
  get isNumeric(): boolean {
    return this.others === null;
  }

  /** Appends `value`, found on row `row` of the epoch (rows only grow). */
  push(value: unknown, row: number): void {
    const i = this.size;
    if (this.rows === null && row !== i) {
      this.rows = new Int32Array(Math.max(8, this.nums.length));
      for (let k = 0; k < i; k++) this.rows[k] = k;
    }
    if (this.rows !== null) {
      if (i === this.rows.length) this.rows = grow(this.rows, new Int32Array(this.rows.length * 2));
      this.rows[i] = row;
    }
    if (this.others !== null) {
      this.others.push(value);
    } else if (typeof value === 'number') {
      if (i === this.nums.length) this.nums = grow(this.nums, new Float64Array(this.nums.length * 2));
      this.nums[i] = value;
    } else {
      this.others = Array.from(this.nums.subarray(0, i));
      this.others.push(value);
      this.nums = new Float64Array(0);
    }
    this.size = i + 1;
  }

  /** The i-th value as it was in the log. */
  valueAt(i: number): unknown {
    if (i < 0 || i >= this.size) return undefined;
    return this.others !== null ? this.others[i] : this.nums[i];
  }

  /** The i-th value if it is a number, else NaN. */
  numberAt(i: number): number {
    const v = this.valueAt(i);
    return typeof v === 'number' ? v : Number.NaN;
  }

  /** Row (line within the epoch) of the i-th value. */
  rowAt(i: number): number {
    return this.rows !== null ? (this.rows[i] ?? -1) : i;
  }

  /** Index of the value on `row`, or -1 when the key is not on that row. */
  indexOfRow(row: number): number {
    if (this.rows === null) return row >= 0 && row < this.size ? row : -1;
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.rows[mid]!;
      if (r === row) return mid;
      if (r < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The values as numbers (non-numbers become NaN); a view, not a copy, for a numeric column. */
  numbers(): Float64Array {
    if (this.others === null) return this.nums.subarray(0, this.size);
    return Float64Array.from(this.others, (v) => (typeof v === 'number' ? v : Number.NaN));
  }

  /** The values as a plain array (the Python list). */
  toArray(): unknown[] {
    return this.others !== null ? this.others.slice() : Array.from(this.nums.subarray(0, this.size));
  }

  /** Drops the spare capacity once the log is read. */
  trim(): void {
    if (this.others === null && this.nums.length > this.size) this.nums = this.nums.slice(0, this.size);
    if (this.rows !== null && this.rows.length > this.size) this.rows = this.rows.slice(0, this.size);
  }
}

function grow<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

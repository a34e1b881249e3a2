/**
 * Problems found while reading an annotation or result file. Every reader names the file and the place
 * (1-based line for text files, a JSON path such as `annotations[3].bbox` for JSON) and says what is wrong.
 * A few bad rows are collected as warnings and skipped; a file that cannot be used at all throws a
 * {@link DatasetError}.
 */
export interface DatasetIssue {
  /** File name as the caller passed it (a path in the CLI, a dropped file's name in the app). */
  file: string;
  /** 1-based line number, for text files. */
  line?: number;
  /** JSON path, for JSON files (`annotations[3].bbox`). */
  path?: string;
  message: string;
  /** The row (or file) is still used, e.g. with a default filled in: a note, not a skipped row. */
  kept?: true;
}

/** `file:line: message` / `file: path: message`, the form every reader uses in errors and warnings. */
export function formatIssue(issue: DatasetIssue): string {
  const where = issue.line !== undefined ? `${issue.file}:${issue.line}` : issue.path !== undefined ? `${issue.file}: ${issue.path}` : issue.file;
  return `${where}: ${issue.message}`;
}

/** A file that cannot be evaluated (unreadable JSON, wrong column count everywhere, missing required key...). */
export class DatasetError extends Error {
  override name = 'DatasetError';
  readonly issue: DatasetIssue;
  constructor(issue: DatasetIssue) {
    super(formatIssue(issue));
    this.issue = issue;
  }
}

/** The value a reader produced plus the rows it skipped. */
export interface Parsed<T> {
  value: T;
  warnings: DatasetIssue[];
}

/**
 * Collects skipped rows; once more than `maxBadRows` rows of one file are bad the file is rejected, because a
 * file that is mostly broken is a wrong file, not a file with a few typos.
 */
export class IssueCollector {
  readonly warnings: DatasetIssue[] = [];
  constructor(
    readonly file: string,
    private readonly maxBadRows = 10,
  ) {}

  /** Records a bad row; throws a DatasetError when the file has too many. */
  warn(issue: Omit<DatasetIssue, 'file'>): void {
    this.warnings.push({ file: this.file, ...issue });
    if (this.warnings.length > this.maxBadRows) {
      throw new DatasetError({
        file: this.file,
        message: `more than ${this.maxBadRows} malformed rows (first: ${formatIssue(this.warnings[0]!)}); is this the right file?`,
      });
    }
  }

  /**
   * Refuses a file whose every row was malformed (`kept` rows read): under the bad-row limit it would otherwise be
   * scored as an empty sequence.
   */
  requireSomeRows(kept: number): void {
    const skipped = this.warnings.filter((w) => !w.kept);
    if (kept === 0 && skipped.length > 0) {
      this.fail({ message: `every row is malformed (${skipped.length}; first: ${formatIssue(skipped[0]!)}); is this the right file?` });
    }
  }

  fail(issue: Omit<DatasetIssue, 'file'>): never {
    throw new DatasetError({ file: this.file, ...issue });
  }
}

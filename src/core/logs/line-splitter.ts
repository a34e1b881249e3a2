/**
 * Cuts a stream of text chunks into lines without ever holding more than one line plus one chunk: the chunk
 * boundaries may fall anywhere (inside a line, between `\r` and `\n`). Lines end at `\n`; a trailing `\r` is
 * removed. A line longer than `maxLineLength` characters is not accumulated: it is reported to `onOverlong`
 * once its end is found, so a log without newlines cannot make us build a 500 MB string.
 */
export class LineSplitter {
  private carry = '';
  private carryParts: string[] = [];
  private carryLength = 0;
  private overlong = false;
  private lineNumber = 0;

  /**
   * @param onLine called with each complete line (no `\n`, no trailing `\r`) and its 1-based line number.
   * @param onOverlong called instead of `onLine` for a line longer than `maxLineLength` characters.
   * @param maxLineLength characters (UTF-16 code units).
   */
  constructor(
    private readonly onLine: (text: string, lineNumber: number) => void,
    private readonly onOverlong: (lineNumber: number, length: number) => void,
    private readonly maxLineLength = 64 * 1024 * 1024,
  ) {}

  /** Lines seen so far, the unterminated last one included once {@link end} ran. */
  get lines(): number {
    return this.lineNumber;
  }

  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      this.emit(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk, start);
  }

  /** Flushes the last line when the text does not end with `\n`. */
  end(): void {
    if (this.carryLength > 0 || this.overlong) this.emit('', 0, 0);
  }

  private keep(chunk: string, start: number): void {
    const length = chunk.length - start;
    if (this.overlong) {
      this.carryLength += length;
      return;
    }
    if (this.carryLength + length > this.maxLineLength) {
      this.overlong = true;
      this.carry = '';
      this.carryParts = [];
      this.carryLength += length;
      return;
    }
    // Parts are joined once at the line's end: repeated `carry += part` would copy a long line many times.
    if (this.carryLength === 0) this.carry = chunk.slice(start);
    else this.carryParts.push(chunk.slice(start));
    this.carryLength += length;
  }

  private emit(chunk: string, start: number, end: number): void {
    this.lineNumber++;
    if (this.overlong || this.carryLength + (end - start) > this.maxLineLength) {
      const length = this.carryLength + (end - start);
      this.overlong = false;
      this.carry = '';
      this.carryParts = [];
      this.carryLength = 0;
      this.onOverlong(this.lineNumber, length);
      return;
    }
    let line: string;
    if (this.carryLength === 0) {
      line = chunk.slice(start, end);
    } else {
      line = this.carryParts.length ? this.carry + this.carryParts.join('') + chunk.slice(start, end) : this.carry + chunk.slice(start, end);
      this.carry = '';
      this.carryParts = [];
      this.carryLength = 0;
    }
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.onLine(line, this.lineNumber);
  }
}

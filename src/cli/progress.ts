// Progress of `golong-reward score` (and check, profile) on stderr. On a terminal: one redrawn line, shown only once a
// file turns out to be big (small files finish before anyone looks). Forced with --progress onto a
// non-terminal (a CI log): a plain line every 10%, or every 10,000 items when the total is unknown.

export interface ProgressOptions {
  /** Draw even when stderr is not a terminal, and from the first item. */
  force?: boolean;
  /** Items before a terminal bar appears (default 2000). */
  showAfter?: number;
  /** What is being done, and to what (default "scoring", "items"). */
  verb?: string;
  unit?: string;
}

const REDRAW_MS = 100;
const WIDTH = 30;

export class ProgressBar {
  private readonly tty: boolean;
  private readonly enabled: boolean;
  private readonly started = performance.now();
  private lastDraw = 0;
  private lastStep = -1;
  private drawn = false;
  private total: number | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly options: ProgressOptions = {},
  ) {
    this.tty = stream.isTTY === true;
    this.enabled = this.tty || options.force === true;
  }

  /** The size of the input when known, in the input's unit (bytes of a JSONL file, rows of a parquet file). */
  setTotal(total: number | undefined): void {
    this.total = total !== undefined && total > 0 ? total : undefined;
  }

  /** `items` scored so far; `position` reached in the input, in the unit of the total. */
  update(items: number, position = 0): void {
    if (!this.enabled) return;
    if (this.tty && !this.options.force && items < (this.options.showAfter ?? 2000)) return;
    const fraction = this.total ? Math.min(1, position / this.total) : undefined;
    if (this.tty) {
      const now = performance.now();
      if (now - this.lastDraw < REDRAW_MS) return;
      this.lastDraw = now;
      this.stream.write(`\r${this.render(items, fraction)}\x1b[K`);
      this.drawn = true;
      return;
    }
    const step = fraction === undefined ? Math.floor(items / 10_000) : Math.floor(fraction * 10);
    if (step > this.lastStep) {
      this.lastStep = step;
      if (items > 0) this.stream.write(`${this.render(items, fraction)}\n`);
    }
  }

  /** Clears the terminal line (the summary follows) or prints the last line. */
  finish(items: number): void {
    if (!this.enabled) return;
    if (this.tty) {
      if (this.drawn) this.stream.write('\r\x1b[K');
      return;
    }
    this.stream.write(`${this.render(items, this.total ? 1 : undefined)}\n`);
  }

  private render(items: number, fraction: number | undefined): string {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? items / seconds : 0;
    const stats = `${items.toLocaleString('en-US')} ${this.options.unit ?? 'items'}, ${Math.round(rate).toLocaleString('en-US')}/s, ${seconds.toFixed(1)} s`;
    if (fraction === undefined) return `${this.options.verb ?? 'scoring'}: ${stats}`;
    const filled = Math.round(fraction * WIDTH);
    const eta = fraction > 0 && fraction < 1 ? `, ~${Math.ceil((seconds * (1 - fraction)) / fraction)} s left` : '';
    return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${stats}${eta}`;
  }
}

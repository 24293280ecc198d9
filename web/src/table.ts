// A virtualised table: only the rows in view (plus a margin) exist in the DOM, so 100,000 rows
// scroll as smoothly as 100. Rows have a fixed height; cells are HTML strings from the caller.
import { h } from './dom.js';

export interface Column<T> {
  title: string;
  width: string;
  cell: (row: T) => string;
  className?: string;
}

const ROW_HEIGHT = 26;
const MARGIN_ROWS = 10;

export class VirtualTable<T> {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly body: HTMLElement;
  private rows: readonly T[] = [];
  private selected = -1;
  private frame = 0;

  constructor(
    private readonly columns: readonly Column<T>[],
    private readonly key: (row: T) => number,
    private readonly onSelect: (row: T) => void,
  ) {
    const template = columns.map((c) => c.width).join(' ');
    const header = h('div', { class: 'vt-head', style: `grid-template-columns:${template}` }, ...columns.map((c) => h('div', { class: `vt-cell ${c.className ?? ''}` }, c.title)));
    this.body = h('div', { class: 'vt-body' });
    this.spacer = h('div', { class: 'vt-spacer' }, this.body);
    this.viewport = h('div', { class: 'vt-viewport', id: 'file-table', tabindex: 0 }, this.spacer);
    this.element = h('div', { class: 'vt' }, header, this.viewport);
    this.body.style.setProperty('--vt-columns', template);
    this.viewport.addEventListener('scroll', () => this.schedule());
    this.viewport.addEventListener('click', (event) => {
      const rowEl = (event.target as HTMLElement).closest('.vt-row') as HTMLElement | null;
      if (!rowEl) return;
      const index = Number(rowEl.dataset.index);
      const row = this.rows[index];
      if (row === undefined) return;
      this.selected = this.key(row);
      this.onSelect(row);
      this.render();
    });
  }

  setRows(rows: readonly T[]): void {
    this.rows = rows;
    this.spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.render();
  }

  /** Re-draws the rows in view (after their data changed). */
  refresh(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 480;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - MARGIN_ROWS);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / ROW_HEIGHT) + MARGIN_ROWS);
    const html: string[] = [];
    for (let i = first; i < last; i++) {
      const row = this.rows[i]!;
      const selected = this.key(row) === this.selected ? ' selected' : '';
      html.push(`<div class="vt-row${selected}" data-index="${i}" data-key="${this.key(row)}">${this.columns.map((c) => `<div class="vt-cell ${c.className ?? ''}">${c.cell(row)}</div>`).join('')}</div>`);
    }
    this.body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.body.innerHTML = html.join('');
  }
}

// File view: open a JSONL of verl rows or native items, a verl parquet dataset (with its responses
// column or a responses file), or a results file of `golong-reward score --details`; score it
// through POST /score in chunks (progress, cancel), then explain every zero (a second pass with
// details on the zero-scored items only, so the common case pays nothing). Per reward type:
// count, mean, share 0 / 1, errors, a histogram and zeros by reason. Filters, sort, a virtualised
// table, an item's explanation on click, export of the filtered items, and where a file carries
// `expected` scores (the parity files do), where ours differ. Items are scored with the
// reward-hacking audit on (it never changes a score): a filter shows the rollouts it flagged.
import { CHART_CSS, HISTOGRAM_BINS, binOf, histogramSvg } from '../shared/charts.js';
import { explainHtml } from '../shared/explain.js';
import { clip, esc, num, pct } from '../shared/html.js';
import { ZERO_KIND_LABEL, zeroReason, type ZeroReason } from '../shared/zeroReason.js';
import { copyPyMember, parseJsonPy, stringifyJsonPy } from '../../rewards/pyjson.js';
import { ApiError, check, JsonText, score, tasks, type CheckProblem, type ScoreResult, type TasksInfo } from './api.js';
import { download, h } from './dom.js';
import { InputError, loadFile, MAX_ITEMS, type Loaded } from './fileInput.js';
import { VirtualTable } from './table.js';

const CHUNK_ITEMS = 500;
const CHUNK_BYTES = 4 << 20;
const IN_FLIGHT = 2;
const TOLERANCE = 1e-9;

interface Row {
  n: number;
  line: number;
  id: string;
  item?: Record<string, unknown>;
  /** The item's line as in the file: what is sent, as `golong-reward score` sends it. */
  text?: string;
  raw?: string;
  source: string;
  /** The dataset check's verdict on the row's data_source, ground truth and extra_info, once run. */
  problem?: CheckProblem;
  subtask: string;
  rewardType: string;
  result?: ScoreResult;
  zero?: ZeroReason;
  expected?: number | null;
  expectedError?: string;
  differs: boolean;
}

interface TypeStats {
  type: string;
  count: number;
  sum: number;
  zeros: number;
  ones: number;
  errors: number;
  bins: number[];
  reasons: Map<string, { kind: ZeroReason['kind']; n: number }>;
}

const SORTS: Record<string, (a: Row, b: Row) => number> = {
  file: (a, b) => a.n - b.n,
  'score ascending': (a, b) => (a.result?.score ?? 2) - (b.result?.score ?? 2) || a.n - b.n,
  'score descending': (a, b) => (b.result?.score ?? -1) - (a.result?.score ?? -1) || a.n - b.n,
  id: (a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }) || a.n - b.n,
  'difference from expected': (a, b) => diff(b) - diff(a) || a.n - b.n,
};

function diff(r: Row): number {
  if (typeof r.expected !== 'number' || typeof r.result?.score !== 'number') return r.differs ? 1 : 0;
  return Math.abs(r.result.score - r.expected);
}

/** The reward type an item routes to (GET /tasks), so that its error counts there. */
function routedRewardType(item: Record<string, unknown> | undefined, info: TasksInfo | undefined): string {
  if (!item || !info) return '';
  if (typeof item.data_source === 'string') {
    const ds = item.data_source;
    if (ds === 'longbench_pro') {
      const mode = (item.extra_info as Record<string, unknown> | null | undefined)?.reward_mode;
      return info.longbench_pro_subtasks.find((t) => t.name === mode)?.reward_type ?? '';
    }
    const route = info.data_sources.find((d) => (d.match === 'exact' ? d.data_source === ds : ds.includes(d.data_source)));
    return route ? ds : '';
  }
  if (typeof item.task === 'string') {
    const task = item.task;
    return info.longbench_pro_subtasks.find((t) => t.name === task)?.reward_type ?? info.scorers.find((s) => s.name === task || s.reward_type === task)?.reward_type ?? '';
  }
  return '';
}

const option = (value: string, label = value) => h('option', { value }, label);

export class FileView {
  private rows: Row[] = [];
  private filtered: Row[] = [];
  private loaded: Loaded | undefined;
  private info: TasksInfo | undefined;
  private abort: AbortController | undefined;
  private hasExpected = false;
  private selected: Row | undefined;
  private renderTimer = 0;

  private readonly fileInput = h('input', { type: 'file', id: 'file-input', accept: '.jsonl,.json,.ndjson,.txt,.parquet' });
  private readonly responsesInput = h('input', { type: 'file', id: 'file-responses', accept: '.jsonl,.json,.txt' });
  private readonly responseColumn = h('input', { type: 'text', id: 'file-response-column', placeholder: 'responses', size: 12 });
  private readonly openButton = h('button', { type: 'button', id: 'file-open' }, 'Open and score');
  private readonly cancelButton = h('button', { type: 'button', id: 'file-cancel', hidden: true }, 'Cancel');
  private readonly progress = h('progress', { id: 'file-progress', max: 1, value: 0, hidden: true });
  private readonly status = h('p', { id: 'file-status', class: 'muted' }, `Open a JSONL of verl rows or native items, a verl .parquet dataset, or a results file of golong-reward score --details (at most ${MAX_ITEMS.toLocaleString('en-US')} items).`);
  private readonly summary = h('div', { id: 'file-summary' });
  private readonly filterType = h('select', { id: 'filter-type' });
  private readonly filterSource = h('select', { id: 'filter-source' });
  private readonly filterSubtask = h('select', { id: 'filter-subtask' });
  private readonly filterError = h('select', { id: 'filter-error' });
  private readonly filterZero = h('select', { id: 'filter-zero' });
  private readonly filterFlag = h('select', { id: 'filter-flag' });
  private readonly filterMin = h('input', { type: 'number', id: 'filter-min', min: 0, max: 1, step: 0.05, placeholder: '0', size: 5 });
  private readonly filterMax = h('input', { type: 'number', id: 'filter-max', min: 0, max: 1, step: 0.05, placeholder: '1', size: 5 });
  private readonly filterDiffers = h('input', { type: 'checkbox', id: 'filter-differs' });
  private readonly sort = h('select', { id: 'file-sort' }, ...Object.keys(SORTS).map((k) => option(k)));
  private readonly count = h('span', { id: 'file-count', class: 'muted' });
  private readonly exportButton = h('button', { type: 'button', id: 'file-export' }, 'Export filtered JSONL');
  private readonly checkButton = h('button', { type: 'button', id: 'file-check', title: 'POST /check: is each row scoreable at all? (its ground truth against its route)' }, 'Check the dataset rows');
  private readonly checkSummary = h('p', { id: 'file-check-summary', class: 'muted' });
  private readonly detail = h('div', { id: 'file-detail', class: 'detail' }, h('p', { class: 'muted' }, 'Click a row to see why it got its score.'));
  private readonly table: VirtualTable<Row>;
  private readonly controls: HTMLElement;
  private readonly differsField: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly openInPlayground: (item: Record<string, unknown>) => void,
  ) {
    this.table = new VirtualTable<Row>(
      [
        { title: '#', width: '60px', cell: (r) => String(r.line), className: 'num' },
        { title: 'id', width: 'minmax(120px,1.2fr)', cell: (r) => esc(r.id) },
        { title: 'data_source / task', width: 'minmax(120px,1fr)', cell: (r) => esc(r.source) },
        { title: 'reward type', width: 'minmax(110px,1fr)', cell: (r) => esc(r.rewardType) },
        { title: 'score', width: '80px', className: 'num', cell: (r) => (r.result ? (r.result.score === null ? '<span class="err">error</span>' : num(r.result.score)) : '<span class="muted">…</span>') },
        { title: 'expected', width: '80px', className: 'num', cell: (r) => (r.expectedError ? esc(r.expectedError) : typeof r.expected === 'number' ? `${num(r.expected)}${r.differs ? ' <span class="err" title="differs">≠</span>' : ''}` : '') },
        { title: 'why', width: 'minmax(160px,2fr)', cell: (r) => this.why(r) },
      ],
      (r) => r.n,
      (r) => void this.select(r),
    );
    this.differsField = h('label', { hidden: true }, this.filterDiffers, ' only where the score differs from expected');
    this.controls = h(
      'div',
      { class: 'filters', hidden: true },
      h('label', {}, 'reward type ', this.filterType),
      h('label', {}, 'data source / task ', this.filterSource),
      h('label', {}, 'sub-task ', this.filterSubtask),
      h('label', {}, 'error ', this.filterError),
      h('label', {}, 'zero reason ', this.filterZero),
      h('label', { title: 'reward-hacking audit: rollouts that look like they game their reward (README, "Reward-hacking audit")' }, 'audit flag ', this.filterFlag),
      h('label', {}, 'score from ', this.filterMin, ' to ', this.filterMax),
      this.differsField,
      h('label', {}, 'sort ', this.sort),
      this.count,
      this.exportButton,
      this.checkButton,
    );
    root.append(
      h('div', { class: 'intro' }, h('p', {}, 'Score a whole file and see where its rewards come from: per reward type, the zeros by reason, and each item\'s explanation.')),
      h(
        'div',
        { class: 'row file-open' },
        h('label', { class: 'field' }, 'File (.jsonl, .parquet, or a results .jsonl)', this.fileInput),
        h('label', { class: 'field' }, 'parquet: responses file (optional)', this.responsesInput),
        h('label', { class: 'field' }, 'parquet: response column', this.responseColumn),
        this.openButton,
        this.cancelButton,
        this.progress,
      ),
      this.status,
      this.checkSummary,
      this.summary,
      this.controls,
      h('div', { class: 'split file-split' }, h('div', { class: 'pane' }, this.table.element), h('div', { class: 'pane' }, this.detail)),
    );
    this.fileInput.addEventListener('change', () => void this.open());
    this.openButton.addEventListener('click', () => void this.open());
    this.cancelButton.addEventListener('click', () => this.abort?.abort());
    this.exportButton.addEventListener('click', () => this.export());
    this.checkButton.addEventListener('click', () => void this.checkRows());
    for (const el of [this.filterType, this.filterSource, this.filterSubtask, this.filterError, this.filterZero, this.filterFlag, this.sort, this.filterDiffers]) el.addEventListener('change', () => this.applyFilters());
    for (const el of [this.filterMin, this.filterMax]) el.addEventListener('input', () => this.applyFilters());
    const style = h('style', {}, CHART_CSS);
    root.append(style);
  }

  private why(r: Row): string {
    const problem = r.problem ? `<span class="err" title="${esc(r.problem.message)}">${esc(r.problem.problem)}</span> ` : '';
    return problem + this.scoreWhy(r);
  }

  private scoreWhy(r: Row): string {
    if (r.result?.error) return `<span class="err">${esc(r.result.error.code)}</span> ${esc(clip(r.result.error.message, 120))}`;
    const flags = (r.result?.audit ?? []).map((f) => `<span class="x-flag" title="${esc(f.message)}">${esc(f.flag)}</span> `).join('');
    if (r.zero) return `${flags}<span class="x-zero x-zero-${r.zero.kind}">${esc(r.zero.reason)}</span>`;
    return flags;
  }

  private setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.className = error ? 'error' : 'muted';
  }

  private async open(): Promise<void> {
    const file = this.fileInput.files?.[0];
    if (!file) {
      this.setStatus('Choose a file first.', true);
      return;
    }
    this.abort?.abort();
    this.rows = [];
    this.filtered = [];
    this.table.setRows([]);
    this.summary.replaceChildren();
    this.controls.hidden = true;
    this.checkSummary.textContent = '';
    this.selected = undefined;
    this.detail.replaceChildren(h('p', { class: 'muted' }, 'Click a row to see why it got its score.'));
    const started = performance.now();
    this.setStatus(`reading ${file.name}…`);
    try {
      this.info = await tasks();
      this.loaded = await loadFile(file, { responsesFile: this.responsesInput.files?.[0], responseColumn: this.responseColumn.value.trim() }, (done, total) =>
        this.setStatus(`reading ${file.name}: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}…`),
      );
    } catch (err) {
      this.setStatus(err instanceof InputError ? err.message : `${file.name} could not be opened: ${(err as Error).message}`, true);
      return;
    }
    this.rows = this.loaded.rows.map((l, n) => this.toRow(l, n));
    this.hasExpected = this.rows.some((r) => r.expected !== undefined || r.expectedError !== undefined);
    this.differsField.hidden = !this.hasExpected;
    this.checkButton.hidden = !(this.loaded.kind === 'items' && this.rows.some((r) => typeof r.item?.data_source === 'string'));
    this.controls.hidden = false;
    this.applyFilters();
    if (this.loaded.kind === 'results') {
      this.finishStats();
      this.setStatus(`${file.name}: ${this.rows.length.toLocaleString('en-US')} results of golong-reward score, shown as they are (not re-scored).`);
      return;
    }
    await this.scoreAll(file.name, started);
  }

  private toRow(l: Loaded['rows'][number], n: number): Row {
    const item = l.item;
    const result = l.result ?? (l.parseError ? { id: n, score: null, error: { code: 'bad_item', message: l.parseError } } : undefined);
    const id = item && (typeof item.id === 'string' || typeof item.id === 'number') ? String(item.id) : String(n);
    const extra = item?.extra_info as Record<string, unknown> | null | undefined;
    const subtask = item?.data_source === 'longbench_pro' && typeof extra?.reward_mode === 'string' ? extra.reward_mode : typeof item?.task === 'string' && /^T\d+\.\d+ /.test(item.task) ? item.task : '';
    const row: Row = {
      n,
      line: l.line,
      id,
      item,
      text: l.text,
      raw: l.raw,
      source: typeof item?.data_source === 'string' ? item.data_source : typeof item?.task === 'string' ? item.task : '',
      subtask,
      rewardType: result?.reward_type ?? routedRewardType(item, this.info),
      result,
      differs: false,
    };
    if (item && typeof item.expected === 'number') row.expected = item.expected;
    if (item && typeof item.expected_error === 'string') row.expectedError = item.expected_error;
    if (result) this.setResult(row, result);
    return row;
  }

  private setResult(row: Row, result: ScoreResult): void {
    row.result = result;
    if (result.reward_type) row.rewardType = result.reward_type;
    row.zero = zeroReason(result);
    if (row.expected !== undefined) row.differs = result.score === null || Math.abs(result.score - row.expected!) > TOLERANCE;
    else if (row.expectedError !== undefined) row.differs = result.score !== null;
  }

  /** The item as sent to the scorer: its line as in the file (verl rows ignore extra fields such as `expected`). */
  private payload(row: Row): unknown {
    return row.text !== undefined ? new JsonText(row.text) : row.item!;
  }

  /** Scores `rows` in chunks, two requests in flight; `done` counts items finished so far. */
  private async scoreChunks(rows: Row[], details: boolean, signal: AbortSignal, onChunk: (done: number) => void): Promise<void> {
    const chunks: Row[][] = [];
    let chunk: Row[] = [];
    let bytes = 0;
    for (const row of rows) {
      const size = (row.item!.solution_str as string | undefined)?.length ?? (row.item!.response as string | undefined)?.length ?? 1000;
      if (chunk.length >= CHUNK_ITEMS || (chunk.length > 0 && bytes + size > CHUNK_BYTES)) {
        chunks.push(chunk);
        chunk = [];
        bytes = 0;
      }
      chunk.push(row);
      bytes += size;
    }
    if (chunk.length) chunks.push(chunk);
    let done = 0;
    let next = 0;
    const worker = async () => {
      while (next < chunks.length && !signal.aborted) {
        const mine = chunks[next++]!;
        const results = await this.scoreWithRetry(mine.map((r) => this.payload(r)), details, signal);
        mine.forEach((row, k) => this.setResult(row, results[k]!));
        done += mine.length;
        onChunk(done);
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, chunks.length) }, worker));
  }

  /** A 503 (the service is shedding load) is retried after a pause; anything else is reported. */
  private async scoreWithRetry(items: readonly unknown[], details: boolean, signal: AbortSignal): Promise<ScoreResult[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await score(items, details, signal, true);
      } catch (err) {
        if (err instanceof ApiError && err.status === 503 && attempt < 10) {
          await new Promise((resolve) => setTimeout(resolve, 1000 * Math.min(5, attempt + 1)));
          continue;
        }
        throw err;
      }
    }
  }

  private async scoreAll(name: string, started: number): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    const toScore = this.rows.filter((r) => r.item && !r.result);
    this.progress.hidden = false;
    this.cancelButton.hidden = false;
    this.progress.max = Math.max(1, toScore.length);
    this.progress.value = 0;
    const total = toScore.length.toLocaleString('en-US');
    try {
      await this.scoreChunks(toScore, false, abort.signal, (done) => {
        this.progress.value = done;
        this.setStatus(`scoring ${name}: ${done.toLocaleString('en-US')} of ${total}…`);
        this.scheduleRender();
      });
      if (abort.signal.aborted) throw new DOMException('cancelled', 'AbortError');
      // Second pass: the zeros again, with details, to say why each is 0.
      const zeros = this.rows.filter((r) => r.item && r.result?.score === 0 && !r.result.details);
      if (zeros.length > 0) {
        this.progress.max = zeros.length;
        this.progress.value = 0;
        await this.scoreChunks(zeros, true, abort.signal, (done) => {
          this.progress.value = done;
          this.setStatus(`explaining the zeros of ${name}: ${done.toLocaleString('en-US')} of ${zeros.length.toLocaleString('en-US')}…`);
          this.scheduleRender();
        });
        if (abort.signal.aborted) throw new DOMException('cancelled', 'AbortError');
      }
      const seconds = (performance.now() - started) / 1000;
      this.finishStats();
      this.setStatus(`${name}: ${this.rows.length.toLocaleString('en-US')} items scored in ${seconds.toFixed(1)} s.`);
      document.body.dataset.fileState = 'done';
    } catch (err) {
      const scored = this.rows.filter((r) => r.result).length;
      if ((err as Error).name === 'AbortError') this.setStatus(`Cancelled: ${scored.toLocaleString('en-US')} of ${this.rows.length.toLocaleString('en-US')} items have a result.`, true);
      else this.setStatus(`Scoring stopped: ${(err as Error).message}`, true);
      this.finishStats();
    } finally {
      this.progress.hidden = true;
      this.cancelButton.hidden = true;
      if (this.abort === abort) this.abort = undefined;
    }
  }

  /** While scoring, the table follows every chunk; the summary (histograms of every type) every 2 s. */
  private scheduleRender(): void {
    this.table.refresh();
    if (this.renderTimer) return;
    this.renderTimer = window.setTimeout(() => {
      this.renderTimer = 0;
      this.renderSummary();
    }, 2000);
  }

  private finishStats(): void {
    clearTimeout(this.renderTimer);
    this.renderTimer = 0;
    this.fillFilterOptions();
    this.applyFilters();
  }

  private fillFilterOptions(): void {
    const fill = (select: HTMLSelectElement, values: Iterable<string>, all: string, extra: [string, string][] = []) => {
      const current = select.value;
      select.replaceChildren(option('', all), ...extra.map(([v, l]) => option(v, l)), ...[...new Set(values)].filter((v) => v !== '').sort().map((v) => option(v)));
      select.value = [...select.options].some((o) => o.value === current) ? current : '';
    };
    fill(this.filterType, this.rows.map((r) => r.rewardType), '(all)');
    fill(this.filterSource, this.rows.map((r) => r.source), '(all)');
    fill(this.filterSubtask, this.rows.map((r) => r.subtask), '(all)');
    fill(this.filterError, this.rows.map((r) => r.result?.error?.code ?? ''), '(all)', [
      ['*', '(any error)'],
      ['-', '(no error)'],
    ]);
    fill(this.filterZero, this.rows.map((r) => r.zero?.reason ?? ''), '(all)', [['*', '(any zero)']]);
    fill(this.filterFlag, this.rows.flatMap((r) => (r.result?.audit ?? []).map((f) => f.flag)), '(all)', [
      ['*', '(any flag)'],
      ['-', '(no flag)'],
    ]);
  }

  private applyFilters(): void {
    const type = this.filterType.value;
    const source = this.filterSource.value;
    const subtask = this.filterSubtask.value;
    const error = this.filterError.value;
    const zero = this.filterZero.value;
    const flag = this.filterFlag.value;
    const min = this.filterMin.value === '' ? -Infinity : Number(this.filterMin.value);
    const max = this.filterMax.value === '' ? Infinity : Number(this.filterMax.value);
    const differs = this.filterDiffers.checked;
    const scoreFiltered = this.filterMin.value !== '' || this.filterMax.value !== '';
    this.filtered = this.rows.filter((r) => {
      if (type && r.rewardType !== type) return false;
      if (source && r.source !== source) return false;
      if (subtask && r.subtask !== subtask) return false;
      const code = r.result?.error?.code;
      if (error === '*' ? !code : error === '-' ? code : error && code !== error) return false;
      if (zero === '*' ? !r.zero : zero && r.zero?.reason !== zero) return false;
      const flags = r.result?.audit;
      if (flag === '*' ? !flags?.length : flag === '-' ? flags?.length : flag && !flags?.some((f) => f.flag === flag)) return false;
      if (scoreFiltered) {
        const s = r.result?.score;
        if (typeof s !== 'number' || s < min || s > max) return false;
      }
      if (differs && !r.differs) return false;
      return true;
    });
    this.filtered.sort(SORTS[this.sort.value] ?? SORTS.file!);
    this.count.textContent = `${this.filtered.length.toLocaleString('en-US')} of ${this.rows.length.toLocaleString('en-US')} items`;
    this.table.setRows(this.filtered);
    this.renderSummary();
  }

  private renderSummary(): void {
    const byType = new Map<string, TypeStats>();
    const errorCodes = new Map<string, number>();
    const flagCounts = new Map<string, number>();
    let differ = 0;
    for (const r of this.filtered) {
      if (r.differs) differ++;
      const res = r.result;
      if (!res) continue;
      for (const f of res.audit ?? []) flagCounts.set(f.flag, (flagCounts.get(f.flag) ?? 0) + 1);
      const type = r.rewardType || '(no reward type)';
      let t = byType.get(type);
      if (!t) byType.set(type, (t = { type, count: 0, sum: 0, zeros: 0, ones: 0, errors: 0, bins: new Array<number>(HISTOGRAM_BINS).fill(0), reasons: new Map() }));
      if (res.score === null) {
        t.errors++;
        const code = res.error?.code ?? 'unknown';
        errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
        continue;
      }
      t.count++;
      t.sum += res.score;
      t.bins[binOf(res.score)]!++;
      if (res.score === 1) t.ones++;
      if (res.score === 0) {
        t.zeros++;
        const z = r.zero ?? { kind: 'unknown' as const, reason: 'not explained yet' };
        const entry = t.reasons.get(z.reason) ?? { kind: z.kind, n: 0 };
        entry.n++;
        t.reasons.set(z.reason, entry);
      }
    }
    const cards = [...byType.values()]
      .sort((a, b) => a.type.localeCompare(b.type))
      .map((t) => {
        const reasons = [...t.reasons.entries()].sort((a, b) => b[1].n - a[1].n);
        const byKind = new Map<string, number>();
        for (const [, { kind, n }] of reasons) byKind.set(kind, (byKind.get(kind) ?? 0) + n);
        const reasonRows = reasons
          .map(([reason, { kind, n }]) => `<tr><td><span class="x-zero x-zero-${kind}">${esc(ZERO_KIND_LABEL[kind])}</span></td><td>${esc(reason)}</td><td class="num">${n}</td></tr>`)
          .join('');
        const kinds = [...byKind.entries()].map(([k, n]) => `${esc(ZERO_KIND_LABEL[k as ZeroReason['kind']])} ${n}`).join(' · ');
        return (
          `<div class="card" data-type="${esc(t.type)}"><h3>${esc(t.type)}</h3>` +
          `<table class="stats"><tr><th>count</th><td class="num">${t.count}</td><th>mean</th><td class="num">${t.count ? num(t.sum / t.count) : '-'}</td></tr>` +
          `<tr><th>share 0</th><td class="num">${pct(t.zeros, t.count)}</td><th>share 1</th><td class="num">${pct(t.ones, t.count)}</td></tr>` +
          `<tr><th>errors</th><td class="num">${t.errors}</td><th></th><td></td></tr></table>` +
          (t.count ? histogramSvg({ bins: t.bins, zeros: t.zeros, ones: t.ones, label: t.type }, 300, 110) : '') +
          (t.zeros ? `<h4>zeros by reason <span class="muted">${kinds}</span></h4><table class="reasons">${reasonRows}</table>` : '') +
          '</div>'
        );
      })
      .join('');
    const codes = [...errorCodes.entries()].map(([c, n]) => `<code>${esc(c)}</code> ${n}`).join(', ');
    const flags = [...flagCounts.entries()].sort((a, b) => b[1] - a[1]).map(([f, n]) => `<code>${esc(f)}</code> ${n}`).join(', ');
    const expected = this.hasExpected ? `<p id="file-differ" class="${differ ? 'error' : 'ok'}">${differ} of ${this.filtered.length} items differ from the file's expected score.</p>` : '';
    const audit = flags ? `<p id="file-flags">Audit flags (the rollout may be gaming its reward; the score is unchanged): ${flags}</p>` : '';
    this.summary.innerHTML = `${expected}${codes ? `<p>Errors by code: ${codes}</p>` : ''}${audit}<div class="cards">${cards}</div>`;
  }

  private async select(row: Row): Promise<void> {
    this.selected = row;
    const input = row.item && !row.result?.error?.code.startsWith('bad_item') ? this.inputHtml(row) : row.raw !== undefined ? `<h4>line ${row.line}</h4><pre class="x-pre">${esc(clip(row.raw, 2000))}</pre>` : '';
    const openButton = row.item && this.loaded?.kind === 'items' ? h('button', { type: 'button', id: 'file-open-playground' }, 'Open in playground') : '';
    const body = h('div', { id: 'file-explanation' });
    this.detail.replaceChildren(h('h3', {}, `Item ${row.id} (line ${row.line})`), openButton, body, h('div', { class: 'input' }));
    if (openButton) openButton.addEventListener('click', () => this.openInPlayground(row.item!));
    const inputEl = this.detail.lastElementChild as HTMLElement;
    inputEl.innerHTML = input;
    let result = row.result;
    if (result && !result.details && !result.error && row.item && this.loaded?.kind === 'items') {
      body.innerHTML = '<p class="muted">asking the service for the details…</p>';
      try {
        const [withDetails] = await score([this.payload(row)], true, undefined, true);
        this.setResult(row, withDetails!);
        result = withDetails!;
        this.table.refresh();
      } catch (err) {
        body.innerHTML = `<p class="error">${esc((err as Error).message)}</p>`;
        return;
      }
      if (this.selected !== row) return;
    }
    body.innerHTML = result ? explainHtml(result, { maxText: 20_000, maxWords: 5000 }) : '<p class="muted">not scored yet</p>';
    if (result?.audit?.length) {
      const findings = result.audit.map((f) => `<li><code>${esc(f.flag)}</code> ${esc(f.message)}</li>`).join('');
      body.insertAdjacentHTML('afterbegin', `<div id="file-row-audit" class="error"><p>Audit: this rollout may be gaming its reward (the score is the reference's):</p><ul>${findings}</ul></div>`);
    }
    if (row.problem) {
      body.insertAdjacentHTML('afterbegin', `<p class="error" id="file-row-problem">dataset check: <code>${esc(row.problem.problem)}</code> (${esc(row.problem.severity)}) ${esc(row.problem.message)}</p>`);
    }
    if (row.expected !== undefined || row.expectedError !== undefined) {
      body.insertAdjacentHTML(
        'afterbegin',
        `<p class="${row.differs ? 'error' : 'ok'}">expected ${row.expectedError ? esc(row.expectedError) : num(row.expected, 6)}${row.differs ? ': the service differs' : ': same'}</p>`,
      );
    }
  }

  private inputHtml(row: Row): string {
    const item = row.item!;
    const response = typeof item.solution_str === 'string' ? item.solution_str : typeof item.response === 'string' ? item.response : undefined;
    const truth = 'ground_truth' in item ? item.ground_truth : item.reference;
    const parts = ['<details class="input-item"><summary>input</summary>'];
    if (response !== undefined) parts.push(`<h4>${'solution_str' in item ? 'solution_str' : 'response'} (${response.length.toLocaleString('en-US')} characters)</h4><pre class="x-pre">${esc(clip(response, 6000))}</pre>`);
    if (truth !== undefined) parts.push(`<h4>${'ground_truth' in item ? 'ground_truth' : 'reference'}</h4><pre class="x-pre">${esc(clip(JSON.stringify(truth, null, 1), 6000))}</pre>`);
    if (item.extra_info !== undefined) parts.push(`<h4>extra_info</h4><pre class="x-pre">${esc(clip(JSON.stringify(item.extra_info), 2000))}</pre>`);
    if (item.options !== undefined) parts.push(`<h4>options</h4><pre class="x-pre">${esc(JSON.stringify(item.options))}</pre>`);
    parts.push('</details>');
    return parts.join('');
  }

  /**
   * The dataset doctor on the file's verl rows: each distinct (data_source, ground truth,
   * extra_info) is sent once to POST /check (rollouts of a prompt share it; no responses are sent),
   * and its problem, if any, is shown on every row that carries it.
   */
  private async checkRows(): Promise<void> {
    const distinct = new Map<string, { row: Record<string, unknown>; rows: Row[] }>();
    for (const r of this.rows) {
      if (typeof r.item?.data_source !== 'string') continue;
      // A JSONL line is read again with Python's number types (a 100.0 ground truth is a float).
      const item = r.text !== undefined ? (parseJsonPy(r.text) as Record<string, unknown>) : r.item;
      const row: Record<string, unknown> = { data_source: item.data_source };
      for (const key of ['ground_truth', 'reward_model', 'extra_info']) {
        if (key in item) {
          row[key] = item[key];
          copyPyMember(item, key, row, key);
        }
      }
      const key = stringifyJsonPy(row);
      const entry = distinct.get(key) ?? { row, rows: [] };
      entry.rows.push(r);
      distinct.set(key, entry);
    }
    const entries = [...distinct.values()];
    this.checkButton.disabled = true;
    this.checkSummary.className = 'muted';
    const byCode = new Map<string, number>();
    let withProblems = 0;
    try {
      for (let start = 0; start < entries.length; start += CHUNK_ITEMS) {
        this.checkSummary.textContent = `checking the dataset rows: ${start.toLocaleString('en-US')} of ${entries.length.toLocaleString('en-US')}…`;
        const chunk = entries.slice(start, start + CHUNK_ITEMS);
        const problems = await check(chunk.map((e) => e.row));
        for (const p of problems) {
          withProblems++;
          byCode.set(p.problem, (byCode.get(p.problem) ?? 0) + 1);
          for (const r of chunk[p.index]!.rows) r.problem = p;
        }
      }
    } catch (err) {
      this.checkSummary.textContent = `The dataset check stopped: ${(err as Error).message}`;
      this.checkSummary.className = 'error';
      return;
    } finally {
      this.checkButton.disabled = false;
    }
    const codes = [...byCode.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ');
    this.checkSummary.textContent =
      `Dataset check: ${entries.length.toLocaleString('en-US')} distinct rows, ` +
      (withProblems ? `${withProblems.toLocaleString('en-US')} with a problem (${codes}); click a row to read it.` : 'none with a problem.');
    this.checkSummary.className = withProblems ? 'error' : 'ok';
    this.table.refresh();
    if (this.selected) void this.select(this.selected);
  }

  private export(): void {
    const lines = this.filtered.map((r) => (r.item ? JSON.stringify(r.item) : r.raw ?? ''));
    const base = (this.loaded?.name ?? 'items').replace(/\.(jsonl|json|ndjson|parquet|txt)$/i, '');
    download(`${base}.filtered.jsonl`, lines.join('\n') + (lines.length ? '\n' : ''));
  }
}

// Live view: the trainer's reward curves per task, as the service sees them. Polls
// GET /batches/recent every few seconds (only while the view is shown) and draws each reward
// type's mean reward over the recent batches. The debugger's own requests are left out unless asked for.
import { lineChartSvg, SERIES_COLORS, type Series } from '../shared/charts.js';
import { esc, num } from '../shared/html.js';
import type { BatchSummary } from '../../src/batchLog.js';
import { apiJson } from './api.js';
import { h } from './dom.js';


export const POLL_MS = 2000;

export class LiveView {
  private batches: BatchSummary[] = [];
  private capacity = 0;
  private timer = 0;
  private visible = false;
  private inFlight = false;
  private readonly chart = h('div', { id: 'live-chart', class: 'chart' });
  private readonly legend = h('div', { id: 'live-legend', class: 'legend' });
  private readonly table = h('div', { id: 'live-table' });
  private readonly status = h('p', { id: 'live-status', class: 'muted' });
  private readonly showDebugger = h('input', { type: 'checkbox', id: 'live-debugger' });

  constructor(root: HTMLElement) {
    root.append(
      h('div', { class: 'intro' }, h('p', {}, `Mean reward per reward type over the batches the service scored recently (GET /batches/recent, refreshed every ${POLL_MS / 1000} s): a trainer's reward curves per task, seen from the reward service. No rollout text is kept, only counts and means.`)),
      h('div', { class: 'row' }, h('label', {}, this.showDebugger, " include the debugger's own requests"), this.status),
      this.chart,
      this.legend,
      this.table,
    );
    this.showDebugger.addEventListener('change', () => this.render());
  }

  show(visible: boolean): void {
    this.visible = visible;
    if (visible) void this.poll();
    else clearTimeout(this.timer);
  }

  private async poll(): Promise<void> {
    clearTimeout(this.timer);
    if (!this.visible || this.inFlight) return;
    this.inFlight = true;
    try {
      const after = this.batches.at(-1)?.seq ?? 0;
      const body = await apiJson<{ capacity: number; batches: BatchSummary[] }>(`/batches/recent?after=${after}`);
      this.capacity = body.capacity;
      // A restarted service starts its sequence again.
      if (body.batches.length && body.batches[0]!.seq <= after) this.batches = [];
      this.batches = [...this.batches, ...body.batches].slice(-Math.max(1, this.capacity));
      this.status.textContent = `updated ${new Date().toLocaleTimeString()} · ${this.batches.length} batches kept (the service keeps ${this.capacity})`;
      this.status.className = 'muted';
      this.render();
    } catch (err) {
      this.status.textContent = `could not load GET /batches/recent: ${(err as Error).message}`;
      this.status.className = 'error';
    } finally {
      this.inFlight = false;
      if (this.visible) this.timer = window.setTimeout(() => void this.poll(), POLL_MS);
    }
  }

  private render(): void {
    const shown = this.showDebugger.checked ? this.batches : this.batches.filter((b) => b.origin !== 'debugger');
    const types = [...new Set(shown.flatMap((b) => Object.keys(b.by_reward_type)))].sort();
    const series: Series[] = types.map((type) => ({
      name: type,
      points: shown
        .filter((b) => b.by_reward_type[type])
        .map((b) => {
          const t = b.by_reward_type[type]!;
          return { x: Date.parse(b.time), y: t.mean, title: `${type}: mean ${num(t.mean)} over ${t.n} items (batch ${b.seq}, ${new Date(b.time).toLocaleTimeString()})` };
        }),
    }));
    this.chart.innerHTML = shown.length
      ? lineChartSvg(series, (x) => new Date(x).toLocaleTimeString())
      : '<p class="muted">No batch yet. Batches appear here as trainers (or curl) post to /score or /openrlhf/reward.</p>';
    this.legend.innerHTML = types
      .map((type, i) => {
        const last = [...shown].reverse().find((b) => b.by_reward_type[type]);
        return `<span class="legend-item" data-type="${esc(type)}"><span class="swatch" style="background:${SERIES_COLORS[i % SERIES_COLORS.length]}"></span>${esc(type)} <span class="muted">${last ? num(last.by_reward_type[type]!.mean) : ''}</span></span>`;
      })
      .join('');
    const recent = shown.slice(-15).reverse();
    this.table.innerHTML = recent.length
      ? `<table class="batches"><tr><th>batch</th><th>time</th><th>route</th><th>items</th><th>errors</th><th>duration</th><th>reward types (n, mean)</th><th>error codes</th></tr>${recent
          .map(
            (b) =>
              `<tr data-seq="${b.seq}"><td class="num">${b.seq}</td><td>${esc(new Date(b.time).toLocaleTimeString())}</td><td>${esc(b.route)}${b.origin === 'debugger' ? ' <span class="muted">(debugger)</span>' : ''}</td><td class="num">${b.items}</td><td class="num">${b.errors}</td>` +
              `<td class="num">${num(b.duration_ms, 1)} ms</td><td>${Object.entries(b.by_reward_type)
                .map(([t, v]) => `${esc(t)} ${v.n}·${num(v.mean, 3)}`)
                .join(', ')}</td><td>${Object.entries(b.error_codes)
                .map(([c, n]) => `${esc(c)} ${n}`)
                .join(', ')}</td></tr>`,
          )
          .join('')}</table>`
      : '';
  }
}

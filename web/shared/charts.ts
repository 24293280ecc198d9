// SVG charts as strings, shared by the page and the static report (no scripts, no external assets).
import { esc } from './html.js';

export const HISTOGRAM_BINS = 20;

export interface HistogramData {
  /** Counts of scores in [k/20, (k+1)/20); 1.0 falls in the last bin. */
  bins: readonly number[];
  /** Scores exactly 0 and exactly 1 (drawn darker over the end bins). */
  zeros: number;
  ones: number;
  label: string;
}

/** The bin of a score in [0, 1]. */
export const binOf = (score: number): number => Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(score * HISTOGRAM_BINS)));

/** A bar chart of the score bins, with exact 0 and exact 1 marked in a darker shade. */
export function histogramSvg(h: HistogramData, width = 520, height = 170): string {
  const left = 40;
  const bottom = 24;
  const top = 10;
  const plotW = width - left - 10;
  const plotH = height - bottom - top;
  const max = Math.max(1, ...h.bins);
  const barW = plotW / h.bins.length;
  const parts: string[] = [];
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" class="axis"/>`);
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" class="axis"/>`);
  parts.push(`<text x="${left - 4}" y="${top + 4}" class="tick" text-anchor="end">${max}</text>`);
  parts.push(`<text x="${left - 4}" y="${top + plotH}" class="tick" text-anchor="end">0</text>`);
  h.bins.forEach((n, k) => {
    const barH = (n / max) * plotH;
    const x = left + k * barW;
    const exact = k === 0 ? h.zeros : k === h.bins.length - 1 ? h.ones : 0;
    const lo = (k / h.bins.length).toFixed(2);
    const hi = ((k + 1) / h.bins.length).toFixed(2);
    const range = k === h.bins.length - 1 ? `[${lo}, ${hi}]` : `[${lo}, ${hi})`;
    parts.push(`<rect x="${(x + 1).toFixed(1)}" y="${(top + plotH - barH).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${barH.toFixed(1)}" class="bar"><title>${range}: ${n}</title></rect>`);
    if (exact > 0) {
      const eh = (exact / max) * plotH;
      parts.push(
        `<rect x="${(x + 1).toFixed(1)}" y="${(top + plotH - eh).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${eh.toFixed(1)}" class="exact"><title>${k === 0 ? 'exactly 0' : 'exactly 1'}: ${exact}</title></rect>`,
      );
    }
  });
  for (const v of [0, 0.25, 0.5, 0.75, 1]) parts.push(`<text x="${(left + v * plotW).toFixed(1)}" y="${height - 8}" class="tick" text-anchor="middle">${v}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="histogram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="score histogram of ${esc(h.label)}">${parts.join('')}</svg>`;
}

export interface Series {
  name: string;
  /** Points in x order; y in [0, 1]. */
  points: readonly { x: number; y: number; title?: string }[];
}

export const SERIES_COLORS = ['#3366cc', '#dc3912', '#ff9900', '#109618', '#990099', '#0099c6', '#dd4477', '#66aa00', '#b82e2e', '#316395', '#994499', '#22aa99', '#aaaa11', '#6633cc', '#e67300'];

/** Line chart of mean rewards (y in [0, 1]) over x (batch time), one colour per series. */
export function lineChartSvg(series: readonly Series[], xLabel: (x: number) => string, width = 900, height = 320): string {
  const left = 44;
  const right = 12;
  const top = 12;
  const bottom = 30;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs) : 1;
  const sx = (x: number) => left + (x1 === x0 ? plotW / 2 : ((x - x0) / (x1 - x0)) * plotW);
  const sy = (y: number) => top + (1 - y) * plotH;
  const parts: string[] = [];
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${left}" y1="${sy(v).toFixed(1)}" x2="${left + plotW}" y2="${sy(v).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${(sy(v) + 4).toFixed(1)}" class="tick" text-anchor="end">${v}</text>`);
  }
  if (xs.length) {
    parts.push(`<text x="${left}" y="${height - 8}" class="tick">${esc(xLabel(x0))}</text>`);
    parts.push(`<text x="${left + plotW}" y="${height - 8}" class="tick" text-anchor="end">${esc(xLabel(x1))}</text>`);
  }
  series.forEach((s, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length]!;
    const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join('');
    if (s.points.length > 1) parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8" class="series" data-series="${esc(s.name)}"/>`);
    for (const p of s.points) {
      parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="2.6" fill="${color}" class="point" data-series="${esc(s.name)}"><title>${esc(p.title ?? `${s.name}: ${p.y}`)}</title></circle>`);
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="linechart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="mean reward per reward type over recent batches">${parts.join('')}</svg>`;
}

export const CHART_CSS = `
svg .bar{fill:#5b8def}svg .exact{fill:#1f4fb8}svg .axis{stroke:#8a94a3}svg .grid{stroke:#e4e8ee}svg .tick{font-size:10px;fill:#6b7685}
`;

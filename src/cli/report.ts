// The self-contained HTML report of `golong-reward score --report FILE`: inline CSS and inline SVG
// only (no scripts, fonts or other assets), so it can be mailed, attached to an issue or opened
// offline. Per reward type: summary numbers, a score histogram, the zeros by reason and the
// worst-scoring examples with their explanations; a breakdown by data source and sub-task.
import { ITEM_ERROR_MEANINGS, type ItemErrorCode } from '../../rewards/index.js';
import { CHART_CSS, histogramSvg } from '../../web/shared/charts.js';
import { auditReportSection } from './reportAudit.js';
import { breakdownHtml, EXPLAIN_CSS, REPORT_EXPLAIN_CSS, worstExamplesHtml, zeroReasonsHtml } from './reportExplain.js';
import type { Example, RewardTypeStats, SummaryData } from './summary.js';

export interface ReportMeta {
  /** The scored file, as given on the command line. */
  source: string;
  semantics: string;
  generatedAt: Date;
  seconds: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const fmt = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const pct = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

function histogram(t: RewardTypeStats): string {
  return histogramSvg({ bins: t.bins, zeros: t.zeros, ones: t.ones, label: t.rewardType });
}

function exampleRows(examples: readonly Example[], withError: boolean): string {
  return examples
    .map((e) => {
      const cut = e.responseChars === e.response.length ? '' : ` <span class="muted">(${e.responseChars.toLocaleString('en-US')} chars, cut)</span>`;
      const scoreCell = withError ? `<td><code>${escapeHtml(e.error?.code ?? '')}</code></td><td>${escapeHtml(e.error?.message ?? '')}</td>` : `<td class="num">${e.score === null ? '-' : fmt(e.score)}</td>`;
      return (
        `<tr><td><code>${escapeHtml(String(e.id))}</code></td>${scoreCell}<td>${escapeHtml(e.source ?? '')}</td>` +
        `<td><pre>${escapeHtml(e.response)}</pre>${cut}</td></tr>`
      );
    })
    .join('\n');
}

function typeSection(t: RewardTypeStats): string {
  const errors = t.errors > 0 ? `<tr><th>not scored</th><td class="num"><a href="#errors">${t.errors}</a></td></tr>` : '';
  if (t.count === 0) {
    return `<section>
<h2 id="${escapeHtml(encodeURIComponent(t.rewardType))}">${escapeHtml(t.rewardType)}</h2>
<p>No item of this reward type could be scored (${t.errors}); see <a href="#errors">the errors</a>.</p>
</section>`;
  }
  return `<section>
<h2 id="${escapeHtml(encodeURIComponent(t.rewardType))}">${escapeHtml(t.rewardType)}</h2>
<div class="row">
<table class="stats">
<tr><th>count</th><td class="num">${t.count}</td></tr>
<tr><th>mean</th><td class="num">${fmt(t.sum / t.count)}</td></tr>
<tr><th>share of 0</th><td class="num">${pct(t.zeros, t.count)}</td></tr>
<tr><th>share of 1</th><td class="num">${pct(t.ones, t.count)}</td></tr>
<tr><th>min / max</th><td class="num">${fmt(t.min)} / ${fmt(t.max)}</td></tr>
${errors}
</table>
${histogram(t)}
</div>
${zeroReasonsHtml(t)}
${worstExamplesHtml(t)}
</section>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#1d2430;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde3ea;padding-bottom:4px}h3{font-size:14px;margin:14px 0 6px}
.muted{color:#6b7685}table{border-collapse:collapse}th,td{padding:4px 8px;border-bottom:1px solid #eef1f5;text-align:left;vertical-align:top}
th{font-weight:600;background:#f6f8fa}.num{text-align:right;font-variant-numeric:tabular-nums}
.row{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap}.stats th{background:none}
.examples{width:100%;table-layout:fixed}.examples td{word-break:break-word}
col.id{width:170px}col.score{width:70px}col.code{width:130px}col.message{width:260px}col.source{width:150px}
pre{margin:0;white-space:pre-wrap;word-break:break-word;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;max-height:14em;overflow:auto}
` + CHART_CSS + EXPLAIN_CSS + REPORT_EXPLAIN_CSS;

/** The whole report page. */
export function renderReport(data: SummaryData, meta: ReportMeta): string {
  const overview = data.byRewardType
    .map(
      (t) =>
        `<tr><td><a href="#${escapeHtml(encodeURIComponent(t.rewardType))}">${escapeHtml(t.rewardType)}</a></td><td class="num">${t.count}</td><td class="num">${fmt(t.sum / t.count)}</td>` +
        `<td class="num">${pct(t.zeros, t.count)}</td><td class="num">${pct(t.ones, t.count)}</td><td class="num">${t.errors}</td></tr>`,
    )
    .join('\n');
  const codes = Object.entries(data.errorsByCode)
    .map(([code, n]) => `<li><code>${escapeHtml(code)}</code> ${n}: ${escapeHtml(Object.hasOwn(ITEM_ERROR_MEANINGS, code) ? ITEM_ERROR_MEANINGS[code as ItemErrorCode] : '')}</li>`)
    .join('\n');
  const errorSection =
    data.errors === 0
      ? ''
      : `<section><h2 id="errors">Items that could not be scored (${data.errors})</h2>
<p>By reason:</p>
<ul>
${codes}
</ul>
<p>${data.errorExamples.length < data.errors ? `The first ${data.errorExamples.length}:` : 'Each of them:'}</p>
<table class="examples"><colgroup><col class="id"><col class="code"><col class="message"><col class="source"><col></colgroup>
<tr><th>id</th><th>code</th><th>message</th><th>source</th><th>response</th></tr>
${exampleRows(data.errorExamples, true)}
</table></section>`;
  const sections = data.byRewardType.map(typeSection).join('\n');
  const title = `golong-reward report: ${meta.source}`;
  const header = `<h1>golong-reward report</h1>
<p class="muted"><code>${escapeHtml(meta.source)}</code> · ${data.items.toLocaleString('en-US')} items · ${data.scored.toLocaleString('en-US')} scored · ${data.errors.toLocaleString('en-US')} not scored · semantics ${escapeHtml(meta.semantics)} · ${meta.seconds.toFixed(1)} s · ${escapeHtml(meta.generatedAt.toISOString())}</p>`;
  return renderPage(
    title,
    `${header}
<table>
<tr><th>reward type</th><th>count</th><th>mean</th><th>share of 0</th><th>share of 1</th><th>errors</th></tr>
${overview}
${data.unroutedErrors > 0 ? `<tr><td><a href="#errors">(no reward type)</a></td><td class="num">0</td><td></td><td></td><td></td><td class="num">${data.unroutedErrors}</td></tr>` : ''}
</table>
${auditReportSection(data.audit)}
${sections}
${breakdownHtml(data)}
${errorSection}`,
  );
}

/**
 * The hook for report sections of other commands and features: a whole self-contained page
 * (this file's CSS, no scripts) around `body`. `golong-reward check --report` renders its page
 * with it (checkReport.ts).
 */
export function renderPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style></head>
<body>
${body}
</body></html>
`;
}

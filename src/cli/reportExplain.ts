// The report's explanations: the worst examples of each reward type with why they scored what
// they did (ground truth, extracted answer, deciding rule, drawn by the same module as the reward
// debugger page), the zeros by reason, and the breakdown by data source and LongBench-Pro
// sub-task. Separate from report.ts so that other sections can hook in beside it.
import { explainHtml } from '../../web/shared/explain.js';
import { esc, num, pct } from '../../web/shared/html.js';
import { ZERO_KIND_LABEL } from '../../web/shared/zeroReason.js';
import type { Example, GroupStats, RewardTypeStats, SummaryData } from './summary.js';

export { EXPLAIN_CSS } from '../../web/shared/explain.js';

export function zeroReasonsHtml(t: RewardTypeStats): string {
  if (t.zeroReasons.length === 0) return '';
  const rows = t.zeroReasons
    .map((r) => `<tr><td><span class="x-zero x-zero-${r.kind}">${esc(ZERO_KIND_LABEL[r.kind])}</span></td><td>${esc(r.reason)}</td><td class="num">${r.count}</td><td class="num">${pct(r.count, t.zeros)}</td></tr>`)
    .join('\n');
  return `<h3>Zeros by reason</h3>
<table class="reasons"><tr><th>kind</th><th>reason</th><th>zeros</th><th>share of zeros</th></tr>
${rows}
</table>`;
}

function exampleHtml(e: Example): string {
  const cut = e.responseChars === e.response.length ? '' : ` <span class="muted">(${e.responseChars.toLocaleString('en-US')} chars, cut)</span>`;
  const explanation = e.result ? explainHtml(e.result, { maxText: 1500, maxWords: 600 }) : '';
  return `<div class="example">
<p class="example-head"><code>${esc(String(e.id))}</code> · score ${e.score === null ? '-' : num(e.score)} · ${esc(e.source ?? '')}</p>
${explanation}
<details><summary>response${cut}</summary><pre>${esc(e.response)}</pre></details>
</div>`;
}

/** The worst examples of a reward type, each with its explanation. */
export function worstExamplesHtml(t: RewardTypeStats): string {
  return `<h3>Worst-scoring examples</h3>
<p class="muted">The lowest scores; among zeros, one example per reason in turn.</p>
${t.worst.map(exampleHtml).join('\n')}`;
}

function groupTable(title: string, id: string, head: string, groups: readonly GroupStats[]): string {
  if (groups.length === 0) return '';
  const rows = groups
    .map(
      (g) =>
        `<tr><td>${esc(g.key)}</td><td class="num">${g.count}</td><td class="num">${g.count ? num(g.sum / g.count) : '-'}</td>` +
        `<td class="num">${pct(g.zeros, g.count)}</td><td class="num">${pct(g.ones, g.count)}</td><td class="num">${g.errors}</td></tr>`,
    )
    .join('\n');
  return `<section><h2 id="${id}">${esc(title)}</h2>
<table><tr><th>${esc(head)}</th><th>count</th><th>mean</th><th>share of 0</th><th>share of 1</th><th>errors</th></tr>
${rows}
</table></section>`;
}

/** Per data source and per LongBench-Pro sub-task. */
export function breakdownHtml(data: SummaryData): string {
  return groupTable('By data source', 'by-data-source', 'data_source / task', data.bySource) + groupTable('By LongBench-Pro sub-task', 'by-subtask', 'sub-task', data.bySubtask);
}

export const REPORT_EXPLAIN_CSS = `
.example{border:1px solid #e4e8ee;border-radius:6px;padding:6px 10px;margin:8px 0}
.example-head{margin:0 0 4px;font-weight:600}
table.reasons{margin:4px 0}
`;

// The HTML report of `golong-reward check --report FILE`: one self-contained page (report.ts's
// renderPage: inline CSS, no scripts) with the counts per problem code and per data source /
// LongBench-Pro sub-task, and the reported rows with their reasons.
import { PROBLEM_CODES, type CheckSummaryData, type ProblemCode, type ProblemLine } from '../../rewards/ideal/index.js';
import { escapeHtml, renderPage, type ReportMeta } from './report.js';

const num = (n: number) => n.toLocaleString('en-US');
const score = (x: number | null) => (x === null ? '-' : String(Number(x.toFixed(6))));

function codesCell(problems: Record<string, number>): string {
  const entries = Object.entries(problems).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.length === 0 ? '<span class="muted">-</span>' : entries.map(([code, n]) => `<code>${escapeHtml(code)}</code> ${num(n)}`).join(', ');
}

/** The check's section: what the doctor found, per code and per source, and the rows themselves. */
export function checkSection(data: CheckSummaryData, lines: readonly ProblemLine[]): string {
  const byCode = Object.entries(data.by_code)
    .map(([code, n]) => {
      const known = PROBLEM_CODES[code as ProblemCode];
      return `<tr><td><code>${escapeHtml(code)}</code></td><td>${escapeHtml(known?.severity ?? '')}</td><td class="num">${num(n)}</td><td>${escapeHtml(known?.doc ?? '')}</td></tr>`;
    })
    .join('\n');
  const bySource = data.by_source
    .map(
      (g) =>
        `<tr><td>${escapeHtml(g.data_source ?? '(no data_source)')}</td><td>${escapeHtml(g.subtask ?? '')}</td><td class="num">${num(g.rows)}</td>` +
        `<td class="num">${num(g.fine)}</td><td>${codesCell(g.problems)}</td></tr>`,
    )
    .join('\n');
  const rows = lines
    .map(
      (l) =>
        `<tr><td><code>${escapeHtml(String(l.id))}</code></td><td>${escapeHtml(l.data_source ?? '')}${l.subtask !== undefined ? `<br><span class="muted">${escapeHtml(l.subtask)}</span>` : ''}</td>` +
        `<td><code>${escapeHtml(l.problem)}</code><br><span class="muted">${escapeHtml(l.severity)}</span></td><td>${escapeHtml(l.message)}` +
        `${l.problems ? `<br><span class="muted">also: ${l.problems.slice(1).map((p) => escapeHtml(p.problem)).join(', ')}</span>` : ''}</td>` +
        `<td class="num">${score(l.ideal_score)} / ${score(l.best_score)}</td></tr>`,
    )
    .join('\n');
  const cut = lines.length < data.with_problems ? `<p>The first ${num(lines.length)} of ${num(data.with_problems)} reported rows (all of them are in the JSONL output):</p>` : '';
  return `<section>
<h2 id="check">Dataset check</h2>
<p>${num(data.with_problems)} of ${num(data.rows)} rows have a problem; ${num(data.fine)} are fine. Each row counts under its first (most severe) problem.
<b>fatal</b>: every rollout scores 0 or is an item error; <b>capped</b>: even the ideal response scores below the scorer's best; <b>warning</b>: odd but scorable.</p>
${byCode === '' ? '' : `<table>
<tr><th>problem</th><th>severity</th><th>rows</th><th>meaning</th></tr>
${byCode}
</table>`}
<h3>Per data source and sub-task</h3>
<table>
<tr><th>data source</th><th>sub-task</th><th>rows</th><th>fine</th><th>problems by code</th></tr>
${bySource}
</table>
${rows === '' ? '' : `<h3>Rows with a problem</h3>
${cut}<table class="examples"><colgroup><col class="id"><col class="source"><col class="code"><col><col class="score"></colgroup>
<tr><th>id</th><th>data source</th><th>problem</th><th>reason</th><th>ideal / best</th></tr>
${rows}
</table>`}
</section>`;
}

/** The whole page of `check --report`. */
export function renderCheckReport(data: CheckSummaryData, lines: readonly ProblemLine[], meta: ReportMeta): string {
  const header = `<h1>golong-reward dataset check</h1>
<p class="muted"><code>${escapeHtml(meta.source)}</code> · ${num(data.rows)} rows · ${num(data.with_problems)} with a problem · semantics ${escapeHtml(meta.semantics)} · ${meta.seconds.toFixed(1)} s · ${escapeHtml(meta.generatedAt.toISOString())}</p>`;
  return renderPage(`golong-reward check: ${meta.source}`, `${header}\n${checkSection(data, lines)}`);
}

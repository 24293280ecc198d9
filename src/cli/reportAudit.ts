// The "Suspicious rollouts" section of the HTML report (`score --audit --report FILE`): the rate
// of each audit flag per reward type, and examples with the evidence highlighted. Self-contained
// like the rest of the report: inline CSS, no scripts.
import type { AuditSummaryData } from './auditSummary.js';
import { escapeHtml } from './report.js';

const pct = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

const CSS = `
.audit td.hit{font-weight:600;color:#9a3412}.audit .muted{color:#6b7685}
.audit mark{background:#fde68a;color:inherit;padding:0 1px;border-radius:2px}
.audit pre{margin:0;white-space:pre-wrap;word-break:break-word;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;max-height:16em;overflow:auto}
`;

/** The section, or '' when the file was scored without --audit. */
export function auditReportSection(audit: AuditSummaryData | undefined): string {
  if (!audit) return '';
  const rows = audit.byRewardType
    .flatMap((t) =>
      t.flags.map(
        (f) =>
          `<tr><td>${escapeHtml(t.rewardType)}</td><td><a href="#audit-${escapeHtml(f.flag)}"><code>${escapeHtml(f.flag)}</code></a></td>` +
          `<td class="num">${t.items}</td><td class="num${f.count > 0 ? ' hit' : ''}">${f.count}</td><td class="num${f.count > 0 ? ' hit' : ''}">${pct(f.count, t.items)}</td></tr>`,
      ),
    )
    .join('\n');
  const byFlag = new Map<string, typeof audit.examples>();
  for (const e of audit.examples) byFlag.set(e.flag, [...(byFlag.get(e.flag) ?? []), e]);
  const examples = [...byFlag.entries()]
    .map(
      ([flag, list]) =>
        `<h3 id="audit-${escapeHtml(flag)}"><code>${escapeHtml(flag)}</code></h3>\n` +
        list
          .map((e) => {
            const score = e.referenceScore !== undefined ? `${e.score} (reference ${e.referenceScore})` : String(e.score);
            const text =
              (e.cutBefore ? '<span class="muted">…</span>' : '') +
              escapeHtml(e.before) +
              (e.evidence ? `<mark>${escapeHtml(e.evidence)}</mark>` : '') +
              escapeHtml(e.after) +
              (e.cutAfter ? '<span class="muted">…</span>' : '');
            return (
              `<p>item <code>${escapeHtml(String(e.id))}</code> · ${escapeHtml(e.rewardType)}${e.source ? ` · ${escapeHtml(e.source)}` : ''} · score ${escapeHtml(score)} · ` +
              `<span class="muted">${e.responseChars.toLocaleString('en-US')} chars</span><br>${escapeHtml(e.message)}</p>\n<pre>${text}</pre>`
            );
          })
          .join('\n'),
    )
    .join('\n');
  return `<section class="audit">
<style>${CSS}</style>
<h2 id="suspicious-rollouts">Suspicious rollouts</h2>
<p>${audit.flagged.toLocaleString('en-US')} of ${audit.items.toLocaleString('en-US')} scored items raised a reward-hacking audit flag (${pct(audit.flagged, audit.items)})${
    audit.penalized > 0 ? `; audit_penalty replaced ${audit.penalized} scores` : '; scores are the reference\'s'
  }. Each flag's rule: <code>golong-reward tasks</code>, <code>audit_flags</code>.</p>
<table><tr><th>reward type</th><th>flag</th><th>items</th><th>flagged</th><th>rate</th></tr>
${rows}
</table>
${examples || '<p>No item raised a flag.</p>'}
</section>`;
}

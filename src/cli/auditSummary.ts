// The "suspicious rollouts" part of `golong-reward score --audit`: per reward type and flag, how
// many items raised it and at what rate, plus a few examples per flag with the evidence cut out
// of the response (for the HTML report's highlighting). Bounded memory: counts and examples.
import type { ItemResult } from '../../rewards/index.js';
import { flagsForScorer } from '../../rewards/index.js';
import type { ItemContext } from './summary.js';

/** Examples kept per flag. */
const EXAMPLES_PER_FLAG = 3;
/** Characters of context kept on each side of the evidence, and most of the evidence itself. */
const CONTEXT_CHARS = 240;
const EVIDENCE_CHARS = 600;

export interface AuditExample {
  id: string | number;
  flag: string;
  rewardType: string;
  score: number;
  /** With a penalty: the reference's score. */
  referenceScore?: number;
  source?: string;
  message: string;
  /** The response around the evidence: before it, the evidence (cut in the middle when long), after it. */
  before: string;
  evidence: string;
  after: string;
  /** Whether text was left out before `before` / after `after`. */
  cutBefore: boolean;
  cutAfter: boolean;
  responseChars: number;
}

export interface AuditFlagCount {
  flag: string;
  count: number;
}

export interface AuditTypeCounts {
  rewardType: string;
  /** Scored items of this reward type. */
  items: number;
  /** Items with at least one flag. */
  flagged: number;
  /** Every flag that applies to the type's scorers, table order, with its count (0 included). */
  flags: AuditFlagCount[];
}

export interface AuditSummaryData {
  items: number;
  flagged: number;
  byRewardType: AuditTypeCounts[];
  examples: AuditExample[];
  /** Penalties applied (items whose score the penalty replaced). */
  penalized: number;
}

function cut(text: string, span: [number, number] | undefined): Pick<AuditExample, 'before' | 'evidence' | 'after' | 'cutBefore' | 'cutAfter'> {
  if (!span) {
    // No location: the end of the response, where answers and loops are.
    const from = Math.max(0, text.length - CONTEXT_CHARS * 2);
    return { before: text.slice(from), evidence: '', after: '', cutBefore: from > 0, cutAfter: false };
  }
  const [start, end] = span;
  let evidence = text.slice(start, end);
  if (evidence.length > EVIDENCE_CHARS) evidence = `${evidence.slice(0, EVIDENCE_CHARS / 2)} … ${evidence.slice(-EVIDENCE_CHARS / 2)}`;
  const from = Math.max(0, start - CONTEXT_CHARS);
  const to = Math.min(text.length, end + CONTEXT_CHARS);
  return { before: text.slice(from, start), evidence, after: text.slice(end, to), cutBefore: from > 0, cutAfter: to < text.length };
}

export class AuditSummary {
  private readonly types = new Map<string, { items: number; flagged: number; counts: Map<string, number> }>();
  private readonly examples = new Map<string, AuditExample[]>();
  private items = 0;
  private flagged = 0;
  private penalized = 0;

  add(result: ItemResult, index: number, context: ItemContext = {}): void {
    if (result.score === null || result.reward_type === undefined) return;
    this.items++;
    let t = this.types.get(result.reward_type);
    if (!t) this.types.set(result.reward_type, (t = { items: 0, flagged: 0, counts: new Map() }));
    t.items++;
    if (result.scorer) for (const flag of flagsForScorer(result.scorer)) if (!t.counts.has(flag)) t.counts.set(flag, 0);
    if (result.reference_score !== undefined) this.penalized++;
    if (!result.audit) return;
    this.flagged++;
    t.flagged++;
    for (const f of result.audit) {
      t.counts.set(f.flag, (t.counts.get(f.flag) ?? 0) + 1);
      const kept = this.examples.get(f.flag) ?? [];
      if (kept.length >= EXAMPLES_PER_FLAG) continue;
      const response = context.response ?? '';
      kept.push({
        id: result.id ?? index,
        flag: f.flag,
        rewardType: result.reward_type,
        score: result.score,
        ...(result.reference_score !== undefined && { referenceScore: result.reference_score }),
        ...(context.source !== undefined && { source: context.source }),
        message: f.message,
        ...cut(response, f.span),
        responseChars: response.length,
      });
      this.examples.set(f.flag, kept);
    }
  }

  data(): AuditSummaryData {
    const byRewardType = [...this.types.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([rewardType, t]) => ({ rewardType, items: t.items, flagged: t.flagged, flags: [...t.counts.entries()].map(([flag, count]) => ({ flag, count })) }));
    return { items: this.items, flagged: this.flagged, byRewardType, examples: [...this.examples.values()].flat(), penalized: this.penalized };
  }
}

const pct = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

/** The "suspicious rollouts" table printed on stderr after the summary. */
export function formatAuditTable(data: AuditSummaryData): string {
  const header = ['reward type', 'flag', 'items', 'flagged', 'rate'];
  const rows = data.byRewardType.flatMap((t) => t.flags.map((f) => [t.rewardType, f.flag, String(t.items), String(f.count), pct(f.count, t.items)]));
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  const out = [
    `suspicious rollouts: ${data.flagged} of ${data.items} scored items raised an audit flag (${pct(data.flagged, data.items)})` +
      (data.penalized > 0 ? `; ${data.penalized} scores replaced by audit_penalty` : ''),
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ];
  const shown = new Set<string>();
  for (const e of data.examples) {
    if (shown.has(e.flag)) continue; // one example per flag here; the HTML report has more
    shown.add(e.flag);
    out.push(`  ${e.flag}, e.g. item ${e.id} (${e.rewardType}, score ${e.score}): ${e.message}`);
  }
  out.push('(rules: golong-reward tasks, audit_flags; the audit never changes a score unless --audit-penalty is given)');
  return out.join('\n') + '\n';
}

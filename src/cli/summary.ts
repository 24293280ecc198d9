// What `golong-reward score` tells a researcher about a scored file: per reward type the count,
// mean, share of exact 0 and exact 1, a score histogram and the worst-scoring examples; and the
// items that could not be scored, by error code. Bounded memory: counts, bins and a few examples.
import { ITEM_ERROR_MEANINGS, type ItemErrorCode, type ItemResult } from '../../rewards/index.js';
import { LBP_SUBTASK_METRIC } from '../../rewards/longbenchPro.js';
import { resolveTask } from '../../rewards/registry.js';
import { verlBranch } from '../../rewards/verlRouting.js';

export const HISTOGRAM_BINS = 20;
/** Characters of a response kept for an example. */
const SNIPPET_CHARS = 600;

export interface Example {
  id: string | number;
  score: number | null;
  /** Where the item came from: data_source (verl row) or task (native item). */
  source?: string;
  response: string;
  /** Characters the response had before it was cut to a snippet. */
  responseChars: number;
  error?: { code: string; message: string };
  /** Input order, to break ties. */
  index: number;
}

export interface RewardTypeStats {
  rewardType: string;
  count: number;
  sum: number;
  zeros: number;
  ones: number;
  min: number;
  max: number;
  /** Scores in [k/20, (k+1)/20); 1.0 falls in the last bin. */
  bins: number[];
  /** Items of this reward type that could not be scored. */
  errors: number;
  /** Lowest scores first (ties: input order). */
  worst: Example[];
}

export interface SummaryData {
  items: number;
  scored: number;
  errors: number;
  byRewardType: RewardTypeStats[];
  /** Errors of items with no routed reward type (unknown data_source or task, malformed item). */
  unroutedErrors: number;
  errorsByCode: Record<string, number>;
  /** The first item that could not be scored, per error code. */
  firstErrorByCode: Record<string, Example>;
  /** The first items that could not be scored. */
  errorExamples: Example[];
}

export interface ItemContext {
  source?: string;
  response?: string;
  /** The reward type the item is routed to, so that its error counts there; absent when unroutable. */
  rewardType?: string;
}

/** The reward type an item's data_source (and LongBench-Pro sub-task) or task routes to. */
function routedRewardType(r: Record<string, unknown>): string | undefined {
  if (typeof r.data_source === 'string') {
    const branch = verlBranch(r.data_source);
    if (branch === undefined) return undefined;
    if (branch !== 'longbench_pro') return r.data_source;
    const extra = r.extra_info as Record<string, unknown> | null | undefined;
    const mode = extra !== null && typeof extra === 'object' ? extra.reward_mode : undefined;
    return typeof mode === 'string' && Object.hasOwn(LBP_SUBTASK_METRIC, mode) ? LBP_SUBTASK_METRIC[mode] : undefined;
  }
  return typeof r.task === 'string' ? resolveTask(r.task)?.rewardType : undefined;
}

/** The data_source or task, the response text and the routed reward type of an item. */
export function itemContext(item: unknown): ItemContext {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return {};
  const r = item as Record<string, unknown>;
  const source = typeof r.data_source === 'string' ? r.data_source : typeof r.task === 'string' ? r.task : undefined;
  const response = typeof r.solution_str === 'string' ? r.solution_str : typeof r.response === 'string' ? r.response : undefined;
  return { source, response, rewardType: routedRewardType(r) };
}

function snippet(text: string): string {
  return text.length <= SNIPPET_CHARS ? text : text.slice(0, SNIPPET_CHARS / 2) + ' … ' + text.slice(-SNIPPET_CHARS / 2);
}

export class ScoreSummary {
  private readonly types = new Map<string, RewardTypeStats>();
  private readonly errorCounts = new Map<string, number>();
  private readonly errorExamples: Example[] = [];
  private readonly firstErrors = new Map<string, Example>();
  private items = 0;
  /** Errors of items with no routed reward type (unknown data_source or task, malformed item). */
  private unrouted = 0;

  constructor(
    /** Worst examples kept per reward type. */
    private readonly worstPerType = 10,
    private readonly errorExampleLimit = 20,
  ) {}

  add(result: ItemResult, index: number, context: ItemContext = {}): void {
    this.items++;
    const example = (): Example => ({
      id: result.id ?? index,
      score: result.score,
      source: context.source,
      response: snippet(context.response ?? ''),
      responseChars: context.response?.length ?? 0,
      ...(result.error && { error: result.error }),
      index,
    });
    if (result.score === null) {
      const code = result.error?.code ?? 'unknown';
      this.errorCounts.set(code, (this.errorCounts.get(code) ?? 0) + 1);
      if (this.errorExamples.length < this.errorExampleLimit || !this.firstErrors.has(code)) {
        const e = example();
        if (this.errorExamples.length < this.errorExampleLimit) this.errorExamples.push(e);
        if (!this.firstErrors.has(code)) this.firstErrors.set(code, e);
      }
      if (context.rewardType !== undefined) this.typeStats(context.rewardType).errors++;
      else this.unrouted++;
      return;
    }
    const score = result.score;
    const t = this.typeStats(result.reward_type ?? '(none)');
    t.count++;
    t.sum += score;
    if (score === 0) t.zeros++;
    if (score === 1) t.ones++;
    t.min = Math.min(t.min, score);
    t.max = Math.max(t.max, score);
    t.bins[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(score * HISTOGRAM_BINS)))]!++;
    // Keep the k lowest; a new item enters only when strictly lower than the current worst-kept.
    const worst = t.worst;
    if (worst.length < this.worstPerType || score < worst[worst.length - 1]!.score!) {
      let at = worst.length;
      while (at > 0 && worst[at - 1]!.score! > score) at--;
      worst.splice(at, 0, example());
      if (worst.length > this.worstPerType) worst.pop();
    }
  }

  private typeStats(type: string): RewardTypeStats {
    let t = this.types.get(type);
    if (!t) {
      t = { rewardType: type, count: 0, sum: 0, zeros: 0, ones: 0, min: Infinity, max: -Infinity, bins: new Array<number>(HISTOGRAM_BINS).fill(0), errors: 0, worst: [] };
      this.types.set(type, t);
    }
    return t;
  }

  data(): SummaryData {
    const byRewardType = [...this.types.values()].sort((a, b) => a.rewardType.localeCompare(b.rewardType));
    const errors = [...this.errorCounts.values()].reduce((a, b) => a + b, 0);
    return {
      items: this.items,
      scored: this.items - errors,
      errors,
      byRewardType,
      unroutedErrors: this.unrouted,
      errorsByCode: Object.fromEntries([...this.errorCounts.entries()].sort((a, b) => b[1] - a[1])),
      firstErrorByCode: Object.fromEntries(this.firstErrors),
      errorExamples: this.errorExamples,
    };
  }
}

const pct = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

/** The summary table printed on stderr at the end of `score`. */
export function formatSummaryTable(data: SummaryData): string {
  const header = ['reward type', 'count', 'mean', 'share 0', 'share 1', 'errors'];
  const mean = (t: RewardTypeStats) => (t.count === 0 ? '-' : (t.sum / t.count).toFixed(4));
  const rows: string[][] = data.byRewardType.map((t) => [t.rewardType, String(t.count), mean(t), pct(t.zeros, t.count), pct(t.ones, t.count), String(t.errors)]);
  if (data.unroutedErrors > 0) rows.push(['(no reward type)', '0', '-', '-', '-', String(data.unroutedErrors)]);
  const sum = data.byRewardType.reduce((a, t) => a + t.sum, 0);
  const zeros = data.byRewardType.reduce((a, t) => a + t.zeros, 0);
  const ones = data.byRewardType.reduce((a, t) => a + t.ones, 0);
  const total = ['all', String(data.scored), data.scored === 0 ? '-' : (sum / data.scored).toFixed(4), pct(zeros, data.scored), pct(ones, data.scored), String(data.errors)];
  const widths = header.map((h, c) => Math.max(h.length, total[c]!.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(header), rule, ...rows.map(line), rule, line(total)];
  out.push('(count, mean and shares are over scored items; errors are items that could not be scored, under the reward type they route to)');
  out.push(...formatErrorReasons(data));
  return out.join('\n') + '\n';
}

/** A message cut to `max` characters, for one-line listings. */
const clip = (text: string, max = 240) => (text.length <= max ? text : text.slice(0, max - 1) + '…');

/** Why items could not be scored: per error code, the count, the code in words and the first item's message. */
export function formatErrorReasons(data: SummaryData): string[] {
  const codes = Object.entries(data.errorsByCode);
  if (codes.length === 0) return [];
  const width = Math.max(...codes.map(([code]) => code.length));
  const countWidth = Math.max(...codes.map(([, n]) => String(n).length));
  const out = [`could not be scored: ${data.errors} item${data.errors === 1 ? '' : 's'}, by reason`];
  for (const [code, n] of codes) {
    const meaning = Object.hasOwn(ITEM_ERROR_MEANINGS, code) ? ITEM_ERROR_MEANINGS[code as ItemErrorCode] : 'an error code this version does not describe';
    out.push(`  ${code.padEnd(width)}  ${String(n).padStart(countWidth)}  ${meaning}`);
    const first = data.firstErrorByCode[code];
    if (first?.error) out.push(`  ${' '.repeat(width)}  ${' '.repeat(countWidth)}  first: item ${JSON.stringify(first.id)}: ${clip(first.error.message)}`);
  }
  return out;
}

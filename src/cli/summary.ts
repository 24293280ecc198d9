// What `golong-reward score` tells a researcher about a scored file: per reward type the count,
// mean, share of exact 0 and exact 1, a score histogram, the zeros by reason and the worst-scoring
// examples (the lowest scores, spread over the reasons for their zeros); per data source and per
// LongBench-Pro sub-task the same counts; and the items that could not be scored, by error code.
// Bounded memory: counts, bins and a few examples.
import { ITEM_ERROR_MEANINGS, type ItemErrorCode, type ItemResult } from '../../rewards/index.js';
import { zeroReason, type ZeroReason } from '../../web/shared/zeroReason.js';
import type { AuditSummaryData } from './auditSummary.js';
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
  /** The result, with its details when the items were scored with them (the report explains it). */
  result?: ItemResult;
  /** Why a zero is a zero (from the result's details). */
  zero?: ZeroReason;
}

/** Counts of one group of items (a data source, a sub-task). */
export interface GroupStats {
  key: string;
  count: number;
  sum: number;
  zeros: number;
  ones: number;
  errors: number;
}

export interface ZeroReasonCount extends ZeroReason {
  count: number;
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
  /** Lowest scores first; among equal lowest scores, one per zero reason in turn (ties: input order). */
  worst: Example[];
  /** The zeros by reason, most frequent first. */
  zeroReasons: ZeroReasonCount[];
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
  /** Per data_source (verl rows) or task (native items). */
  bySource: GroupStats[];
  /** Per LongBench-Pro sub-task. */
  bySubtask: GroupStats[];
  /** With --audit: the suspicious rollouts (auditSummary.ts). */
  audit?: AuditSummaryData;
}

export interface ItemContext {
  source?: string;
  /** The LongBench-Pro sub-task (extra_info.reward_mode, or a native task naming one). */
  subtask?: string;
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
  const context: ItemContext = { source, response, rewardType: routedRewardType(r) };
  const extra = r.extra_info as Record<string, unknown> | null | undefined;
  const mode = r.data_source === 'longbench_pro' && extra !== null && typeof extra === 'object' ? extra.reward_mode : r.task;
  if (typeof mode === 'string' && Object.hasOwn(LBP_SUBTASK_METRIC, mode)) context.subtask = mode;
  return context;
}

function snippet(text: string): string {
  return text.length <= SNIPPET_CHARS ? text : text.slice(0, SNIPPET_CHARS / 2) + ' … ' + text.slice(-SNIPPET_CHARS / 2);
}

/** Zero examples kept per reason and type, to pick the worst examples from. */
const ZERO_EXAMPLES_PER_REASON = 3;

interface TypeState {
  stats: RewardTypeStats;
  /** The lowest non-zero scores (ascending, ties in input order). */
  lowest: Example[];
  /** The first zeros of each reason, reasons in order of first appearance. */
  zerosByReason: Map<string, { reason: ZeroReason; count: number; examples: Example[] }>;
}

export class ScoreSummary {
  private readonly types = new Map<string, TypeState>();
  private readonly sources = new Map<string, GroupStats>();
  private readonly subtasks = new Map<string, GroupStats>();
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
    const zero = zeroReason(result);
    const example = (): Example => ({
      id: result.id ?? index,
      score: result.score,
      source: context.source,
      response: snippet(context.response ?? ''),
      responseChars: context.response?.length ?? 0,
      ...(result.error && { error: result.error }),
      index,
      result,
      ...(zero && { zero }),
    });
    for (const [groups, key] of [
      [this.sources, context.source],
      [this.subtasks, context.subtask],
    ] as const) {
      if (key !== undefined) countIn(groups, key, result.score);
    }
    if (result.score === null) {
      const code = result.error?.code ?? 'unknown';
      this.errorCounts.set(code, (this.errorCounts.get(code) ?? 0) + 1);
      if (this.errorExamples.length < this.errorExampleLimit || !this.firstErrors.has(code)) {
        const e = example();
        if (this.errorExamples.length < this.errorExampleLimit) this.errorExamples.push(e);
        if (!this.firstErrors.has(code)) this.firstErrors.set(code, e);
      }
      if (context.rewardType !== undefined) this.typeState(context.rewardType).stats.errors++;
      else this.unrouted++;
      return;
    }
    const score = result.score;
    const state = this.typeState(result.reward_type ?? '(none)');
    const t = state.stats;
    t.count++;
    t.sum += score;
    if (score === 1) t.ones++;
    t.min = Math.min(t.min, score);
    t.max = Math.max(t.max, score);
    t.bins[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(score * HISTOGRAM_BINS)))]!++;
    if (score === 0) {
      t.zeros++;
      const reason = zero ?? { kind: 'unknown' as const, reason: 'score 0' };
      let entry = state.zerosByReason.get(reason.reason);
      if (!entry) state.zerosByReason.set(reason.reason, (entry = { reason, count: 0, examples: [] }));
      entry.count++;
      if (entry.examples.length < ZERO_EXAMPLES_PER_REASON) entry.examples.push(example());
      return;
    }
    // Keep the k lowest non-zero scores; a new item enters only when strictly lower than the last kept.
    const lowest = state.lowest;
    if (lowest.length < this.worstPerType || score < lowest[lowest.length - 1]!.score!) {
      let at = lowest.length;
      while (at > 0 && lowest[at - 1]!.score! > score) at--;
      lowest.splice(at, 0, example());
      if (lowest.length > this.worstPerType) lowest.pop();
    }
  }

  private typeState(type: string): TypeState {
    let state = this.types.get(type);
    if (!state) {
      const stats: RewardTypeStats = {
        rewardType: type,
        count: 0,
        sum: 0,
        zeros: 0,
        ones: 0,
        min: Infinity,
        max: -Infinity,
        bins: new Array<number>(HISTOGRAM_BINS).fill(0),
        errors: 0,
        worst: [],
        zeroReasons: [],
      };
      state = { stats, lowest: [], zerosByReason: new Map() };
      this.types.set(type, state);
    }
    return state;
  }

  /** The worst examples: zeros first, one per reason in turn (most frequent reason first), then the lowest non-zero scores. */
  private worstOf(state: TypeState): Example[] {
    const reasons = [...state.zerosByReason.values()].sort((a, b) => b.count - a.count);
    const worst: Example[] = [];
    for (let round = 0; worst.length < this.worstPerType && round < ZERO_EXAMPLES_PER_REASON; round++) {
      for (const r of reasons) if (r.examples[round] && worst.length < this.worstPerType) worst.push(r.examples[round]!);
    }
    for (const e of state.lowest) if (worst.length < this.worstPerType) worst.push(e);
    return worst;
  }

  data(): SummaryData {
    const byRewardType = [...this.types.values()]
      .map((state) => ({
        ...state.stats,
        worst: this.worstOf(state),
        zeroReasons: [...state.zerosByReason.values()].sort((a, b) => b.count - a.count).map((r) => ({ ...r.reason, count: r.count })),
      }))
      .sort((a, b) => a.rewardType.localeCompare(b.rewardType));
    const errors = [...this.errorCounts.values()].reduce((a, b) => a + b, 0);
    const groups = (m: Map<string, GroupStats>) => [...m.values()].sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
    return {
      items: this.items,
      scored: this.items - errors,
      errors,
      byRewardType,
      unroutedErrors: this.unrouted,
      errorsByCode: Object.fromEntries([...this.errorCounts.entries()].sort((a, b) => b[1] - a[1])),
      firstErrorByCode: Object.fromEntries(this.firstErrors),
      errorExamples: this.errorExamples,
      bySource: groups(this.sources),
      bySubtask: groups(this.subtasks),
    };
  }
}

function countIn(groups: Map<string, GroupStats>, key: string, score: number | null): void {
  let g = groups.get(key);
  if (!g) groups.set(key, (g = { key, count: 0, sum: 0, zeros: 0, ones: 0, errors: 0 }));
  if (score === null) {
    g.errors++;
    return;
  }
  g.count++;
  g.sum += score;
  if (score === 0) g.zeros++;
  if (score === 1) g.ones++;
}

const pct = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

/**
 * A plain-text table: the first column left-aligned, the others right-aligned (unless `leftAligned`),
 * a rule under the header and above the footer rows. No trailing newline.
 */
export function textTable(header: readonly string[], rows: readonly string[][], footer: readonly string[][] = [], leftAligned: ReadonlySet<number> = new Set()): string {
  const all = [header, ...rows, ...footer];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c === 0 || leftAligned.has(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line), ...(footer.length > 0 ? [rule, ...footer.map(line)] : [])].join('\n');
}

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
  const out = [textTable(header, rows, [total])];
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

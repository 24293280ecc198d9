// The cost of the reward-hacking audit: every per-scorer case of cases.ts (verl rows, as trainers
// send them) scored with the audit off and on, plus long responses (math and Summary behind a
// ~100,000-character think section) and a response ending in a 100,000-character loop. The
// budget (issue 12): with the audit on, at most +15 % per item on every budgeted case and on the
// long-response cases. Run alone with `node dist/bench/run.js --only=audit`.
import { clearScorerCaches, scoreItem, type ItemResult } from '../rewards/index.js';
import { scorerCases } from './cases.js';
import { mathItems, summaryItems, type VerlRow } from './generate.js';
import { median } from './measure.js';
import { Rng } from './prng.js';
import { thinkSection } from './text.js';

export const AUDIT_MAX_OVERHEAD = 0.15;
const LONG_THINK_WORDS = 16_000; // about 100,000 characters
/** Each gold is scored by 16 rollouts (GoLongRL's group size), then never again. */
const ROLLOUTS_PER_GOLD = 16;

export interface AuditCostCase {
  name: string;
  rows: VerlRow[];
  /** Judged against AUDIT_MAX_OVERHEAD (the loop case only shows what a flagged loop costs). */
  budgeted: boolean;
  /** Both loops with the audit off: what the method reads when there is no difference. */
  control?: boolean;
  note?: string;
}

export interface AuditCostResult {
  case: string;
  items: number;
  offUs: number;
  onUs: number;
  /** Median over the rounds of (on + on) / (off + off) - 1 (not onUs / offUs - 1: each is a median on its own). */
  overhead: number;
  /** 95 % interval of that median (distribution-free, from the rounds' order statistics). */
  overheadInterval: [number, number];
  /** Rounds the case ran, over all processes (more when its interval was wide or held the budget line). */
  rounds: number;
  /** Each process's own median (processes compile the code their own way: their medians differ by more than one process's interval says). */
  processMedians: number[];
  budgeted: boolean;
  pass?: boolean;
  /** Items the audit flagged. */
  flagged: number;
  note?: string;
}

/** The last \\boxed{…} answer of a generated math rollout (they box a plain answer). */
function boxedGold(row: VerlRow): string {
  const all = [...row.solution_str.matchAll(/\\boxed\{([^{}]*)\}/g)];
  return all.length > 0 ? all[all.length - 1]![1]! : '0';
}

/** The think section replaced by a long one (the answer part kept). */
function withLongThink(row: VerlRow, think: string): VerlRow {
  const end = row.solution_str.lastIndexOf('</think>');
  return { ...row, solution_str: `<think>\n${think}\n${row.solution_str.slice(end)}` };
}

export function auditCostCases(seed: number): AuditCostCase[] {
  const r = new Rng(seed ^ 0xa0d17);
  const longThink = thinkSection(r, 'en', LONG_THINK_WORDS);
  const loopUnit = 'Let me re-check the total once more: 84 plus 7 gives 91, so the running total is 91. ';
  const loop = loopUnit.repeat(Math.ceil(100_000 / loopUnit.length));
  const flat = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T; // flat strings, as a worker sees them
  const scorers = scorerCases(seed);
  return [
    // The unbudgeted summaries (100 and 2,000 words) are left out: a round would last seconds
    // longer for cases the 300-word ones and the long one already cover.
    ...scorers
      .filter((c) => c.budgetUs !== undefined || c.scorer !== 'rouge_l')
      .map((c): AuditCostCase => ({ name: c.name, rows: c.items.map((i) => i.verl), budgeted: c.budgetUs !== undefined })),
    {
      name: 'math_verify int, long',
      rows: flat(mathItems(seed ^ 0x1, 'int', 16).map((i) => withLongThink(i.verl, longThink))),
      budgeted: true,
      note: 'a 100,000-character think section before the answer',
    },
    {
      name: 'rouge_l en 300w, long',
      rows: flat(summaryItems(seed ^ 0x2, 'en', 300, 8).map((i) => withLongThink(i.verl, longThink))),
      budgeted: true,
      note: 'a 100,000-character think section before the summary (ROUGE-L reads all of it)',
    },
    {
      name: 'minerva, long',
      rows: flat(
        mathItems(seed ^ 0x4, 'int', 16).map((i) => {
          const gold = boxedGold(i.verl);
          return { data_source: 'math_dapo', solution_str: `<think>\n${longThink}\n</think>\n\nPutting it together.\nAnswer: ${gold}`, ground_truth: gold, extra_info: {} };
        }),
      ),
      budgeted: true,
      note: 'GoLongRL math_dapo route (Minerva "Answer:" matching) behind a 100,000-character think section',
    },
    {
      name: 'math_verify_metric, long',
      rows: flat(mathItems(seed ^ 0x5, 'int', 16).map((i) => ({ ...withLongThink(i.verl, longThink), data_source: 'aime2024', ground_truth: boxedGold(i.verl) }))),
      budgeted: true,
      note: 'the aime*/MATH## route, which gives Math-Verify the whole response, behind a 100,000-character think section',
    },
    {
      name: 'loop, 100k chars',
      rows: flat(mathItems(seed ^ 0x3, 'int', 8).map((i) => ({ ...i.verl, solution_str: `${i.verl.solution_str}\n${loop}` }))),
      budgeted: false,
      note: 'the answer followed by a 100,000-character loop: what measuring a flagged loop costs (math_verify reads only the last 500 characters)',
    },
    {
      name: 'control: em, off / off',
      rows: scorers.find((c) => c.name === 'em')!.items.map((i) => i.verl),
      budgeted: false,
      control: true,
      note: 'the em rows with the audit off in both loops of the pair: how far the method strays when nothing differs',
    },
  ];
}

/** How the paired rounds run (bench/run.ts gives them; --quick shrinks them). */
export interface AuditBenchOptions {
  /** Warm-up per loop before any timing. */
  warmupMs: number;
  /** About how long one timed run of one loop lasts (four per round: off, on, on, off or the reverse). */
  runMs: number;
  /** Rounds every case gets (fewer only when they would overrun the case's share of `budgetMs`)... */
  minRounds: number;
  /** ...and at most, while its interval is wide or holds the budget line. */
  maxRounds: number;
  /** An interval this narrow (half its width, as a fraction) lets a case stop, unless it holds the budget line. */
  halfWidth: number;
  /** CPU time all timed runs may take together, shared equally by the cases: a case stops when its share is spent. */
  budgetMs: number;
}

/** Rounds a case gets even past its share of the time: the fewest that give the median an interval. */
const FEWEST_ROUNDS = 6;

/**
 * One case's rows scored with the audit off or on. A run clears the gold caches and scores a group
 * of rows `uses` times each (whole reuse cycles, as in training: each gold a miss once, then hits),
 * pass after pass; the next run takes the next group. Slow items get a group of a few rows, so that
 * a run lasts about `runMs` instead of 16 passes over all 64 rows (a fifth of a second per run for a
 * summary); fast ones get all rows and as many cycles as fill `runMs`. The off and on loops of a
 * case share the sizing and advance group by group in lockstep, so each round compares the same rows.
 */
class GroupLoop {
  private next = 0;
  readonly cpuUs: number[] = [];

  constructor(
    private readonly rows: readonly unknown[],
    private readonly fn: (row: unknown) => ItemResult,
    private readonly uses: number,
  ) {}

  /** Whole cycles over every row for `ms`; returns the wall milliseconds per call. */
  warmUp(ms: number): number {
    const start = performance.now();
    let calls = 0;
    do calls += this.cycles(0, this.rows.length, 1);
    while (performance.now() - start < ms);
    return (performance.now() - start) / calls;
  }

  private cycles(start: number, group: number, count: number): number {
    const { rows, fn, uses } = this;
    const n = rows.length;
    for (let c = 0; c < count; c++) {
      clearScorerCaches();
      for (let u = 0; u < uses; u++) for (let j = 0; j < group; j++) if (fn(rows[(start + j) % n]!).score !== null) sink++;
    }
    return count * uses * group;
  }

  /** One timed run of `group` rows from where the last ended, `count` cycles: CPU µs per call. */
  run(group: number, count: number): number {
    const c0 = process.cpuUsage();
    const calls = this.cycles(this.next, group, count);
    const c = process.cpuUsage(c0);
    this.next = (this.next + group) % this.rows.length;
    const us = (c.user + c.system) / calls;
    this.cpuUs.push(us);
    return us;
  }
}

let sink = 0;

/**
 * A distribution-free 95 % interval for the median of `sorted` (ascending): the order statistics
 * k and n + 1 - k (1-based), k the largest with P(Binomial(n, 1/2) < k) <= 2.5 %. Undefined for
 * fewer than 6 values (no such k).
 */
export function medianInterval(sorted: readonly number[]): [number, number] | undefined {
  const n = sorted.length;
  let p = 0.5 ** n; // P(B = 0)
  let cdf = 0; // P(B < k)
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (cdf + p > 0.025) break;
    cdf += p;
    k = i + 1;
    p = (p * (n - i)) / (i + 1);
  }
  return k === 0 ? undefined : [sorted[k - 1]!, sorted[n - k]!];
}

/**
 * Paired rounds. After every loop has warmed up, each round gives every case still running four
 * back-to-back runs, off, on, on, off (or on, off, off, on, alternating by round and case), and
 * the round's ratio is (on + on) / (off + off): drift inside the round (a neighbour's load rising,
 * the clock) cancels to first order, which an off/on pair does not. Runs are short (`runMs`, about
 * a millisecond for the cheap cases): the machine's speed moves within tens of milliseconds here,
 * and many short rounds gave a median that held still where fewer long ones did not (the control
 * pair: -0.3 % (-3.2 … +0.9 %) over 92 rounds of 1 ms runs, -0.2 … +0.8 % in later runs of 129 to
 * 330 rounds, against -2.4 % (-8.7 … +4.6 %) over 29 rounds of 10 ms in the last run before). A
 * case's overhead is the median of its rounds' ratios with a distribution-free 95 % interval.
 * Cases run at least `minRounds` rounds (unbudgeted ones no more) and stop once the interval is
 * narrow (`halfWidth`) and, for a budgeted case, lies on one side of the budget line; a case near
 * the line runs up to `maxRounds`. Each case has an equal share of `budgetMs` of CPU time (a
 * summary's round lasts a hundred times an EM round, and one budget for all let the slow cases
 * spend it before the cheap ones had their rounds); past it, a case still undecided goes on with
 * what the decided ones left, up to three shares, and stops (after FEWEST_ROUNDS) when that is spent. One process's rounds; `summariseAudit` pools those of several processes (bench/run.ts
 * runs the section in fresh child processes) and judges the pooled median against the budget, the
 * interval saying how close it was.
 */
export function runAuditRounds(opts: AuditBenchOptions, seed: number, only?: (name: string) => boolean): AuditRounds[] {
  const cases = auditCostCases(seed).filter((c) => only === undefined || only(c.name));
  const off = (item: unknown): ItemResult => scoreItem(item, { timeoutMs: 10_000 });
  const on = (item: unknown): ItemResult => scoreItem(item, { timeoutMs: 10_000, audit: true });
  const pairs = cases.map((c) => ({ off: new GroupLoop(c.rows, off, ROLLOUTS_PER_GOLD), on: new GroupLoop(c.rows, c.control ? off : on, ROLLOUTS_PER_GOLD), group: 0, count: 0, spentMs: 0, ratios: [] as number[] }));
  process.stderr.write(`  ${cases.length} cases, audit off and on: warm-up, then rounds of off/on/on/off until each interval is narrow\n`);
  for (const [k, p] of pairs.entries()) {
    const perCallMs = Math.max(p.off.warmUp(opts.warmupMs), p.on.warmUp(opts.warmupMs));
    const n = cases[k]!.rows.length;
    const cycleMs = perCallMs * ROLLOUTS_PER_GOLD * n;
    if (cycleMs >= opts.runMs) {
      p.group = Math.min(n, Math.max(1, Math.round(opts.runMs / (perCallMs * ROLLOUTS_PER_GOLD))));
      p.count = 1;
    } else {
      p.group = n;
      p.count = Math.round(opts.runMs / cycleMs);
    }
  }
  let state = 0x9e3779b9;
  const random = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const running = new Set(pairs.keys());
  const shareMs = opts.budgetMs / Math.max(1, cases.length);
  let spentMs = 0;
  for (let r = 0; running.size > 0; r++) {
    const order = [...running];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const p = pairs[k]!;
      const c0 = process.cpuUsage();
      let offUs: number;
      let onUs: number;
      if ((r + k) % 2 === 0) {
        offUs = p.off.run(p.group, p.count);
        onUs = p.on.run(p.group, p.count);
        onUs += p.on.run(p.group, p.count);
        offUs += p.off.run(p.group, p.count);
      } else {
        onUs = p.on.run(p.group, p.count);
        offUs = p.off.run(p.group, p.count);
        offUs += p.off.run(p.group, p.count);
        onUs += p.on.run(p.group, p.count);
      }
      const c = process.cpuUsage(c0);
      const ms = (c.user + c.system) / 1000;
      p.spentMs += ms;
      spentMs += ms;
      p.ratios.push(onUs / offUs - 1);
      const rounds = p.ratios.length;
      // Past its share a case goes on with what the decided ones left, up to three shares.
      if (rounds >= FEWEST_ROUNDS && p.spentMs >= shareMs && (spentMs >= opts.budgetMs || p.spentMs >= 3 * shareMs)) {
        running.delete(k);
        continue;
      }
      if (rounds < opts.minRounds) continue;
      const interval = medianInterval(p.ratios.slice().sort((a, b) => a - b))!;
      const narrow = interval[1] - interval[0] <= 2 * opts.halfWidth;
      const decided = !cases[k]!.budgeted || interval[1] <= AUDIT_MAX_OVERHEAD || interval[0] > AUDIT_MAX_OVERHEAD;
      // Unbudgeted cases (but the control) are shown, not judged: their minimum rounds do.
      const shown = !cases[k]!.budgeted && !cases[k]!.control;
      if (shown || (narrow && decided) || rounds >= opts.maxRounds) running.delete(k);
    }
    if ((r + 1) % 50 === 0) process.stderr.write(`  round ${r + 1}: ${running.size} cases still running\n`);
  }
  return cases.map((c, k) => ({ case: c.name, ratios: pairs[k]!.ratios, offUs: pairs[k]!.off.cpuUs, onUs: pairs[k]!.on.cpuUs }));
}

/** One process's rounds of one case (what an audit child process prints for the parent). */
export interface AuditRounds {
  case: string;
  /** Each round's (on + on) / (off + off) - 1. */
  ratios: number[];
  /** Each timed run's CPU µs per call. */
  offUs: number[];
  onUs: number[];
}

/**
 * The cases' results from the rounds of one or more processes, pooled: the overhead is the median
 * of all rounds' ratios, with the interval of that median; each process's median is kept too.
 */
export function summariseAudit(seed: number, perProcess: readonly (readonly AuditRounds[])[], only?: (name: string) => boolean): AuditCostResult[] {
  const cases = auditCostCases(seed).filter((c) => only === undefined || only(c.name));
  const on = (item: unknown): ItemResult => scoreItem(item, { timeoutMs: 10_000, audit: true });
  return cases.map((c) => {
    const runs = perProcess.map((rounds) => rounds.find((r) => r.case === c.name)).filter((r): r is AuditRounds => r !== undefined && r.ratios.length > 0);
    if (runs.length === 0) throw new Error(`no rounds of the audit case ${JSON.stringify(c.name)}`);
    const ratios = runs.flatMap((r) => r.ratios).sort((a, b) => a - b);
    const overhead = median(ratios);
    const flagged = c.control ? 0 : c.rows.filter((row) => on(row).audit !== undefined).length;
    return {
      case: c.name,
      items: c.rows.length,
      offUs: median(runs.flatMap((r) => r.offUs)),
      onUs: median(runs.flatMap((r) => r.onUs)),
      overhead,
      overheadInterval: medianInterval(ratios) ?? [ratios[0]!, ratios[ratios.length - 1]!],
      rounds: ratios.length,
      processMedians: runs.map((r) => median(r.ratios)),
      budgeted: c.budgeted,
      ...(c.budgeted && { pass: overhead <= AUDIT_MAX_OVERHEAD }),
      flagged,
      ...(c.note && { note: c.note }),
    };
  });
}

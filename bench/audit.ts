// The cost of the reward-hacking audit: every per-scorer case of cases.ts (verl rows, as trainers
// send them) scored with the audit off and on, plus long responses (math and Summary behind a
// ~100,000-character think section) and a response ending in a 100,000-character loop. The
// budget (issue 12): with the audit on, at most +15 % per item on every budgeted case and on the
// long-response cases. Run alone with `node dist/bench/run.js --only=audit`.
import { clearScorerCaches, scoreItem } from '../rewards/index.js';
import { scorerCases } from './cases.js';
import { mathItems, summaryItems, type VerlRow } from './generate.js';
import { median, TimedLoop, type LoopOptions } from './measure.js';
import { Rng } from './prng.js';
import { thinkSection } from './text.js';

export const AUDIT_MAX_OVERHEAD = 0.15;
const LONG_THINK_WORDS = 16_000; // about 100,000 characters

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
  /** Median over the paired rounds of on / off - 1 (not onUs / offUs - 1: each is a median on its own). */
  overhead: number;
  /** First and third quartiles of the rounds' on / off - 1: how far to trust `overhead`. */
  overheadQuartiles: [number, number];
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

/**
 * Paired rounds: after every loop has warmed up, each round times every case's off and on loops
 * back to back (cases in a shuffled order, which of the pair goes first alternating), and the
 * overhead is the median over rounds of on / off. Two runs a few milliseconds apart share the
 * machine's state (a neighbour's burst, the clock, the caches), so the ratio cancels most of what
 * moves CPU time on a shared machine; medians of the two loops taken apart did not (the same case
 * moved by 20–40 points between runs).
 */
export function runAuditCost(opts: LoopOptions, seed: number, only?: (name: string) => boolean): AuditCostResult[] {
  const cases = auditCostCases(seed).filter((c) => only === undefined || only(c.name));
  const off = (item: unknown) => scoreItem(item, { timeoutMs: 10_000 });
  const on = (item: unknown) => scoreItem(item, { timeoutMs: 10_000, audit: true });
  const reuse = { uses: 16, clear: clearScorerCaches };
  const pairs = cases.map((c) => ({ off: new TimedLoop<unknown>(c.rows, off, reuse), on: new TimedLoop<unknown>(c.rows, c.control ? off : on, reuse) }));
  process.stderr.write(`  ${cases.length} cases, audit off and on: warm-up, then ${opts.runs} rounds of back-to-back pairs\n`);
  for (const p of pairs) {
    p.off.warmUp(opts);
    p.on.warmUp(opts);
  }
  let state = 0x9e3779b9;
  const random = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const order = pairs.map((_, i) => i);
  for (let r = 0; r < opts.runs; r++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const p = pairs[k]!;
      if ((r + k) % 2 === 0) {
        p.off.run();
        p.on.run();
      } else {
        p.on.run();
        p.off.run();
      }
    }
    if ((r + 1) % 5 === 0 || r + 1 === opts.runs) process.stderr.write(`  round ${r + 1}/${opts.runs}\n`);
  }
  return cases.map((c, k) => {
    const offTiming = pairs[k]!.off.timing();
    const onTiming = pairs[k]!.on.timing();
    const ratios = onTiming.runs.map((us, r) => us / offTiming.runs[r]! - 1).sort((a, b) => a - b);
    const overhead = median(ratios);
    const flagged = c.control ? 0 : c.rows.filter((row) => on(row).audit !== undefined).length;
    return {
      case: c.name,
      items: c.rows.length,
      offUs: offTiming.us,
      onUs: onTiming.us,
      overhead,
      overheadQuartiles: [ratios[Math.floor((ratios.length - 1) / 4)]!, ratios[Math.ceil((3 * (ratios.length - 1)) / 4)]!],
      budgeted: c.budgeted,
      ...(c.budgeted && { pass: overhead <= AUDIT_MAX_OVERHEAD }),
      flagged,
      ...(c.note && { note: c.note }),
    };
  });
}

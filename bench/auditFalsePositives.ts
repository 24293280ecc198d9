// How often each audit flag fires on realistic rollouts: the "realistic" families of the public
// parity file (tags[1] == "realistic"; generated responses of every scorer, right and wrong,
// none written to game a reward), per reward type and flag, overall and on items scoring 1.0.
// A flag firing on more than 2 % of the full-score items of a reward type needs a sharper rule
// (test/auditFalsePositives.test.ts holds it to that).
//
//   npm run audit:fp              the table (markdown, as in README: the reward types of the math
//                                 routes, one per data source, in one row)
//   node dist/bench/auditFalsePositives.js --by-reward-type | --json
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUDIT_FLAGS, scoreItem, type AuditFlagName } from '../rewards/index.js';
import { flagsForScorer } from '../rewards/audit/index.js';

/** The repository's root: this file runs from bench/ (vitest, on the sources) and from dist/bench/ (npm run audit:fp). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const PARITY_FILE = join(repoRoot(), '..', 'shared', 'parity', 'scores.public.jsonl');
/** The most a flag may fire on realistic full-score items of a reward type. */
export const MAX_FULL_SCORE_RATE = 0.02;

export interface FlagRate {
  rewardType: string;
  flag: AuditFlagName;
  items: number;
  fired: number;
  fullScoreItems: number;
  firedOnFullScore: number;
  /** Ids of the full-score items it fired on. */
  fullScoreIds: string[];
}

interface Row {
  id: string;
  data_source: string;
  solution_str: string;
  ground_truth: unknown;
  extra_info: unknown;
  tags: string[];
}

export function realisticRows(path = PARITY_FILE): Row[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row)
    .filter((r) => r.tags[1] === 'realistic');
}

/** The math routes report their data_source as reward type; README groups them in one row. */
export const MATH_ROUTES = 'math_verify routes (every data source)';
const byRewardType = (rewardType: string): string => rewardType;
const mathGrouped = (rewardType: string, scorer: string): string => (scorer === 'math_verify' ? MATH_ROUTES : rewardType);

/** Every (reward type, applicable flag) pair met, in reward-type then table order. */
export function measureFlagRates(rows: readonly Row[], group: (rewardType: string, scorer: string) => string = byRewardType): FlagRate[] {
  const rates = new Map<string, FlagRate>();
  const order = AUDIT_FLAGS.map((f) => f.flag as AuditFlagName);
  for (const row of rows) {
    const { id, data_source, solution_str, ground_truth, extra_info } = row;
    const r = scoreItem({ id, data_source, solution_str, ground_truth, extra_info }, { audit: true });
    if (r.score === null || r.reward_type === undefined || r.scorer === undefined) continue;
    const fired = new Set(r.audit?.map((f) => f.flag));
    const rewardType = group(r.reward_type, r.scorer);
    for (const flag of flagsForScorer(r.scorer)) {
      const key = `${rewardType}\u0000${flag}`;
      let rate = rates.get(key);
      if (!rate) rates.set(key, (rate = { rewardType, flag, items: 0, fired: 0, fullScoreItems: 0, firedOnFullScore: 0, fullScoreIds: [] }));
      rate.items++;
      if (fired.has(flag)) rate.fired++;
      if (r.score === 1) {
        rate.fullScoreItems++;
        if (fired.has(flag)) {
          rate.firedOnFullScore++;
          rate.fullScoreIds.push(id);
        }
      }
    }
  }
  return [...rates.values()].sort((a, b) => a.rewardType.localeCompare(b.rewardType) || order.indexOf(a.flag) - order.indexOf(b.flag));
}

const pct = (n: number, d: number): string => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)} %`);

export function markdownTable(rates: readonly FlagRate[]): string {
  const lines = ['| reward type | flag | fires (all items) | fires (items scoring 1.0) |', '|---|---|---|---|'];
  for (const r of rates) {
    lines.push(`| ${r.rewardType} | ${r.flag} | ${r.fired}/${r.items} (${pct(r.fired, r.items)}) | ${r.firedOnFullScore}/${r.fullScoreItems} (${pct(r.firedOnFullScore, r.fullScoreItems)}) |`);
  }
  return lines.join('\n');
}

export const overLimit = (rates: readonly FlagRate[]): FlagRate[] =>
  rates.filter((r) => r.fullScoreItems > 0 && r.firedOnFullScore / r.fullScoreItems > MAX_FULL_SCORE_RATE);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = realisticRows();
  const rates = measureFlagRates(rows, process.argv.includes('--by-reward-type') ? byRewardType : mathGrouped);
  if (process.argv.includes('--json')) console.log(JSON.stringify(rates, null, 2));
  else {
    console.log(`${rows.length} realistic rows of ${PARITY_FILE}\n`);
    console.log(markdownTable(rates));
  }
  const over = overLimit(rates);
  for (const r of over) console.error(`over ${MAX_FULL_SCORE_RATE * 100} % on full-score items: ${r.rewardType} ${r.flag} (${r.fullScoreIds.join(', ')})`);
  process.exitCode = over.length > 0 ? 1 : 0;
}

// Per-scorer parity against the reference cases, without the service's dispatcher: the think
// gate and the response/ground-truth selection for the data sources whose scorer takes one
// (scorers.md section 2), applied here so a scorer's parity test depends only on that scorer.
import { readFileSync } from 'node:fs';
import { ScoreFailure, type ScoreContext, type ScorerOutput } from '../../rewards/types.js';
import { afterLast, pyCount } from '../../rewards/text.js';

export interface ParityRow {
  id: string;
  data_source: string;
  solution_str: string;
  ground_truth: unknown;
  expected?: number;
  expected_error?: string;
  tags: string[];
}

const SCORES = new URL('../../../shared/parity/scores.public.jsonl', import.meta.url);

export function parityRows(dataSource: string): ParityRow[] {
  return readFileSync(SCORES, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ParityRow)
    .filter((row) => row.data_source === dataSource);
}

type Scorer = (response: string, groundTruth: unknown, ctx: ScoreContext) => ScorerOutput;

/**
 * Scores a row as the reference dispatcher would reach the scorer: 0 when the think gate fails;
 * `wholeResponse` scorers get solution_str and the raw ground truth, the others the text after the
 * last `</think>` and the last element of a list ground truth.
 */
export function scoreRow(row: ParityRow, scorer: Scorer, wholeResponse: boolean): number {
  const s = row.solution_str;
  if (!s.includes('</think>') || pyCount(s, '<think>') > 1 || pyCount(s, '</think>') > 1) return 0;
  const ctx: ScoreContext = { details: false, deadline: Infinity };
  if (wholeResponse) return scorer(s, row.ground_truth, ctx).score;
  const gt = Array.isArray(row.ground_truth) ? row.ground_truth[row.ground_truth.length - 1] : row.ground_truth;
  return scorer(afterLast(s, '</think>'), gt, ctx).score;
}

/** Mismatches (with ids) between the scorer and the reference for every row of a data source. */
export function parityMismatches(dataSource: string, scorer: Scorer, wholeResponse: boolean): { total: number; mismatches: string[] } {
  const rows = parityRows(dataSource);
  const mismatches: string[] = [];
  for (const row of rows) {
    let got: string;
    let ok: boolean;
    try {
      const score = scoreRow(row, scorer, wholeResponse);
      got = String(score);
      ok = row.expected_error === undefined && row.expected !== undefined && Math.abs(score - row.expected) <= 1e-9;
    } catch (e) {
      if (!(e instanceof ScoreFailure)) throw e;
      got = `ScoreFailure ${e.code}: ${e.message}`;
      ok = row.expected_error !== undefined;
    }
    if (!ok) mismatches.push(`${row.id}: expected ${row.expected_error ?? row.expected}, got ${got}`);
  }
  return { total: rows.length, mismatches };
}

// Loads the reference parity cases from ../shared/parity (never copied into this repo) and judges
// results against them.
import { readFileSync } from 'node:fs';
import type { AdvantageParams, Estimator } from '../../rewards/advantages/index.js';
import type { ItemResult } from '../../rewards/index.js';

export interface ScoreCase {
  id: string;
  data_source: string;
  solution_str: string;
  ground_truth: unknown;
  extra_info: unknown;
  expected?: number;
  expected_error?: string;
  tags: string[];
}

export const PARITY_DIR = new URL('../../../shared/parity/', import.meta.url);

export function readJsonl<T>(name: string): T[] {
  return readFileSync(new URL(name, PARITY_DIR), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** Reference cases of one parity file (default: the main one). */
export const loadScoreCases = (file = 'scores.public.jsonl'): ScoreCase[] => readJsonl<ScoreCase>(file);

/** GoLongRL's other math routes (math_dapo, math_verify.compute_score), scored by the reference. */
export const EXTRA_ROUTES_FILE = 'scores.extra-routes.public.jsonl';

/** Math-Verify 0.8.0's own test pairs as math_longcot_math_verify rows, scored by the reference. */
export const MVSUITE_FILE = 'scores.mvsuite.public.jsonl';

/** The row as a verl item (what a trainer posts). */
export function verlItem(c: ScoreCase): Record<string, unknown> {
  return { id: c.id, data_source: c.data_source, solution_str: c.solution_str, ground_truth: c.ground_truth, extra_info: c.extra_info };
}

/** Parity families: all math data sources count as one, as the acceptance bar does. */
export const familyOf = (c: ScoreCase): string => (/math/.test(c.data_source) ? 'math' : c.data_source);

const ROUTED_EXACT = new Set([
  'longbench_pro',
  'multitableqa_pretraining',
  'retrieval_calculate',
  'selection',
  'EM',
  'math_dapo',
  'math',
  'math_dapo_reasoning',
  'math_dapo_math_verify',
  'math_longcot',
]);
const ROUTED_PREFIX = /^(?:MATH##|aime)/;
const ROUTED_CONTAINS = /math_longcot_math_verify|model_verify|retrieval_summary_calculate|model_judge/;

/** Data sources the GoLongRL dispatcher routes (scorers.md section 2), written out independently of our router. */
export const isRoutedDataSource = (ds: string): boolean => ROUTED_EXACT.has(ds) || ROUTED_PREFIX.test(ds) || ROUTED_CONTAINS.test(ds);

/**
 * Whether a result agrees with the reference for this case (to 1e-9; errors where it raised).
 * Two documented divergences are accepted: an unknown data_source is an error even where the
 * reference's think gate returned 0 first, and cases tagged spec-divergence may be errors.
 */
export function agrees(c: ScoreCase, r: Pick<ItemResult, 'score' | 'error'>): boolean {
  const numberMatches = typeof r.score === 'number' && c.expected !== undefined && Math.abs(r.score - c.expected) <= 1e-9;
  if (c.expected_error !== undefined) return r.score === null && r.error !== undefined;
  if (!isRoutedDataSource(c.data_source)) return c.expected === 0 && r.error?.code === 'unknown_data_source';
  if (c.tags.includes('spec-divergence')) return numberMatches || r.error !== undefined;
  return numberMatches;
}

export function describeMismatch(c: ScoreCase, r: Pick<ItemResult, 'score' | 'error'>): string {
  const want = c.expected_error !== undefined ? `error (${c.expected_error})` : String(c.expected);
  const got = r.error ? `error ${r.error.code}: ${r.error.message.slice(0, 120)}` : String(r.score);
  return `${c.id} [${c.data_source}] expected ${want}, got ${got}`;
}

export interface AdvantageCase {
  id: string;
  estimator: Estimator;
  params: AdvantageParams;
  uids: string[];
  reward_modes: string[];
  scores: number[];
  expected_advantages?: number[];
  expected_metrics?: Record<string, number>;
  expected_error?: string;
  tags: string[];
}

export const loadAdvantageCases = (): AdvantageCase[] => readJsonl<AdvantageCase>('advantages.public.jsonl');

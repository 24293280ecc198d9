// EM (GoLongRL EM_judge.compute_score): exact match of the stripped response and gold label.
import { jsPyTypeName, pyGetItem } from '../pyjson.js';
import { pyStrip } from '../text.js';
import { ScoreFailure, type ScoreContext, type ScorerOutput } from '../types.js';

/** `response.strip() == label.strip()` with Python's whitespace set. */
export function emMatch(response: string, label: string): boolean {
  return pyStrip(response) === pyStrip(label);
}

/**
 * Python `ground_truth["golden_label"]` followed by a str method call on it: the label, or a
 * bad_ground_truth failure carrying the exception the reference raises.
 */
export function goldenLabelString(groundTruth: unknown, method: string): string {
  const item = pyGetItem(groundTruth, 'golden_label');
  if (!item.ok) throw new ScoreFailure('bad_ground_truth', `ground_truth["golden_label"] raises ${item.error}`, 'ground_truth.golden_label');
  if (typeof item.value !== 'string') {
    const type = jsPyTypeName(item.value);
    throw new ScoreFailure('bad_ground_truth', `golden_label is ${type}, not a string; the reference raises AttributeError: '${type}' object has no attribute '${method}'`, 'ground_truth.golden_label');
  }
  return item.value;
}

/** GoLongRL `EM_judge.compute_score`. `response` is the text after `</think>`. */
export function emScore(response: string, groundTruth: unknown, ctx: ScoreContext): ScorerOutput {
  const label = goldenLabelString(groundTruth, 'strip');
  const matched = emMatch(response, label);
  return {
    score: matched ? 1 : 0,
    ...(ctx.details && { details: { response: pyStrip(response), golden_label: pyStrip(label), rule: matched ? 'stripped texts are equal' : 'stripped texts differ' } }),
  };
}

// GRPO: each sample's score relative to its prompt group, in units of the group's std.
import { grpoMean, grpoVariance, groupSize, shareAbove, type GroupedBatch } from './groups.js';

export const EPSILON = 1e-6;

export interface GroupRelativeOptions {
  /** Divide by the group std (GRPO) or not (Dr. GRPO). */
  divideByStd: boolean;
  /** Boost positive advantages of prompts the group mostly failed. */
  difficultyReweight: boolean;
  difficultyGamma: number;
}

/** GRPO and Dr. GRPO share everything but the division by the group std. */
export function groupRelativeAdvantages(b: GroupedBatch, opts: GroupRelativeOptions): Float64Array {
  const numGroups = b.groups.keys.length;
  const centre = new Float64Array(numGroups);
  const denominator = new Float64Array(numGroups);
  for (let g = 0; g < numGroups; g++) {
    centre[g] = grpoMean(b, g);
    denominator[g] = opts.divideByStd ? Math.sqrt(grpoVariance(b, g)) + EPSILON : 1;
  }
  const advantages = new Float64Array(b.scores.length);
  for (let i = 0; i < b.scores.length; i++) {
    const g = b.groups.of[i]!;
    advantages[i] = (b.scores[i]! - centre[g]!) / denominator[g]!;
  }
  if (opts.difficultyReweight) {
    // Pass rate on the raw scores (the reference computes it on overwritten advantages by accident).
    const passRate = shareAbove(b, b.group.mean);
    const weight = new Float64Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const rate = groupSize(b, g) > 1 ? passRate[g]! : 0.5;
      weight[g] = Math.min(Math.max(Math.exp(opts.difficultyGamma * (0.5 - rate)), 1), 2);
    }
    for (let i = 0; i < advantages.length; i++) {
      if (advantages[i]! > 0) advantages[i]! *= weight[b.groups.of[i]!]!;
    }
  }
  return advantages;
}

export function grpoAdvantages(b: GroupedBatch, opts: Omit<GroupRelativeOptions, 'divideByStd'>): Float64Array {
  return groupRelativeAdvantages(b, { ...opts, divideByStd: true });
}

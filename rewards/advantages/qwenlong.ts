// QwenLong-L1.5 task-level normalisation: centre and scale by all samples of the same reward type.
import { EPSILON } from './grpo.js';
import { moments, type GroupedBatch } from './groups.js';

export function qwenlongAdvantages(b: GroupedBatch): Float64Array {
  const { mean, m2 } = moments(b.scores, b.types);
  const denominator = new Float64Array(b.types.keys.length);
  for (let t = 0; t < denominator.length; t++) {
    const n = b.types.size[t]!;
    // A reward type with one sample keeps std 1 (its mean is still its own score).
    denominator[t] = (n > 1 ? Math.sqrt(m2[t]! / (n - 1)) : 1) + EPSILON;
  }
  const advantages = new Float64Array(b.scores.length);
  for (let i = 0; i < b.scores.length; i++) {
    const t = b.types.of[i]!;
    advantages[i] = (b.scores[i]! - mean[t]!) / denominator[t]!;
  }
  return advantages;
}

// TMN-Reweight (GoLongRL): centre per prompt, scale per task, reweight by smoothed prompt difficulty.
import { EPSILON } from './grpo.js';
import { grpoMean, grpoVariance, groupSize, shareAbove, type GroupedBatch } from './groups.js';

export interface TmnOptions {
  /** Divide by the task scale (RMS of the task's group stds); false leaves s − mean_g. */
  normByTaskScale: boolean;
  difficultyReweight: boolean;
  /** Weight of the prompt's own mean against its task's mean when judging a pass (α). */
  difficultySmoothAlpha: number;
  difficultyGamma: number;
}

export interface TmnResult {
  advantages: Float64Array;
  /** Present when difficulty reweighting ran. */
  meanPassRate?: number;
}

/** Mean over the groups of each reward type of a per-group value. */
function meanPerType(b: GroupedBatch, perGroup: Float64Array): Float64Array {
  const numTypes = b.types.keys.length;
  const sum = new Float64Array(numTypes);
  const count = new Float64Array(numTypes);
  for (let g = 0; g < perGroup.length; g++) {
    sum[b.typeOfGroup[g]!]! += perGroup[g]!;
    count[b.typeOfGroup[g]!]!++;
  }
  for (let t = 0; t < numTypes; t++) sum[t]! /= count[t]!;
  return sum;
}

export function tmnGrpoAdvantages(b: GroupedBatch, opts: TmnOptions): TmnResult {
  const numGroups = b.groups.keys.length;
  const centre = new Float64Array(numGroups);
  const variance = new Float64Array(numGroups);
  for (let g = 0; g < numGroups; g++) {
    centre[g] = grpoMean(b, g);
    variance[g] = grpoVariance(b, g);
  }
  // One denominator per task: tasks with larger reward spread no longer dominate the batch.
  const taskScale = meanPerType(b, variance).map(Math.sqrt);
  const advantages = new Float64Array(b.scores.length);
  for (let i = 0; i < b.scores.length; i++) {
    const g = b.groups.of[i]!;
    const centred = b.scores[i]! - centre[g]!;
    advantages[i] = opts.normByTaskScale ? centred / (taskScale[b.typeOfGroup[g]!]! + EPSILON) : centred;
  }
  if (!opts.difficultyReweight) return { advantages };

  const alpha = opts.difficultySmoothAlpha;
  const taskMean = meanPerType(b, centre);
  const smoothedMean = new Float64Array(numGroups);
  for (let g = 0; g < numGroups; g++) {
    const tm = taskMean[b.typeOfGroup[g]!]!;
    smoothedMean[g] = groupSize(b, g) > 1 ? alpha * centre[g]! + (1 - alpha) * tm : tm;
  }
  const passRate = shareAbove(b, smoothedMean);
  const gamma = opts.difficultyGamma;
  for (let i = 0; i < advantages.length; i++) {
    const g = b.groups.of[i]!;
    // Above the prompt's own mean: boosted when the prompt is hard; otherwise damped when it is easy.
    const exponent = b.scores[i]! > centre[g]! ? 0.5 - passRate[g]! : passRate[g]! - 0.5;
    advantages[i]! *= Math.exp(gamma * exponent);
  }
  let passRateSum = 0;
  for (let g = 0; g < numGroups; g++) passRateSum += passRate[g]!;
  return { advantages, meanPassRate: passRateSum / numGroups };
}

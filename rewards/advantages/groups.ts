// Shared O(n) grouping: samples by prompt (uid) and by reward type, with float64 group moments.
import { AdvantageInputError } from './errors.js';

/** Samples partitioned by a string key; parts are numbered in order of first appearance. */
export interface Partition {
  /** Part index of each sample. */
  readonly of: Int32Array;
  /** Key of each part. */
  readonly keys: readonly string[];
  /** Number of samples in each part. */
  readonly size: Int32Array;
}

export function partition(keys: readonly string[]): Partition {
  const indexOf = new Map<string, number>();
  const of = new Int32Array(keys.length);
  const names: string[] = [];
  const counts: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    let p = indexOf.get(key);
    if (p === undefined) {
      p = names.length;
      indexOf.set(key, p);
      names.push(key);
      counts.push(0);
    }
    of[i] = p;
    counts[p]!++;
  }
  return { of, keys: names, size: Int32Array.from(counts) };
}

/** Per-part mean and sum of squared deviations (M2), computed in two passes for accuracy. */
export interface Moments {
  readonly mean: Float64Array;
  /** Σ (s − mean)² over the part; variance is M2 / (n − 1) (unbiased) or M2 / n (population). */
  readonly m2: Float64Array;
}

export function moments(scores: readonly number[], part: Partition): Moments {
  const k = part.keys.length;
  const mean = new Float64Array(k);
  const m2 = new Float64Array(k);
  // Sequential sums in input order, then / n: the same rounding as the reference's bincount.
  for (let i = 0; i < scores.length; i++) mean[part.of[i]!]! += scores[i]!;
  for (let p = 0; p < k; p++) mean[p]! /= part.size[p]!;
  for (let i = 0; i < scores.length; i++) {
    const d = scores[i]! - mean[part.of[i]!]!;
    m2[part.of[i]!]! += d * d;
  }
  return { mean, m2 };
}

/** A batch grouped by prompt and by reward type; every prompt group has exactly one reward type. */
export interface GroupedBatch {
  readonly scores: readonly number[];
  readonly groups: Partition;
  readonly group: Moments;
  readonly types: Partition;
  /** Reward type index of each prompt group. */
  readonly typeOfGroup: Int32Array;
}

export function groupBatch(uids: readonly string[], rewardTypes: readonly string[], scores: readonly number[]): GroupedBatch {
  const groups = partition(uids);
  const types = partition(rewardTypes);
  const typeOfGroup = new Int32Array(groups.keys.length).fill(-1);
  for (let i = 0; i < uids.length; i++) {
    const g = groups.of[i]!;
    const t = types.of[i]!;
    if (typeOfGroup[g] === -1) typeOfGroup[g] = t;
    else if (typeOfGroup[g] !== t) {
      throw new AdvantageInputError(
        `group ${JSON.stringify(uids[i])} mixes reward types ${JSON.stringify(types.keys[typeOfGroup[g]!])} and ` +
          `${JSON.stringify(rewardTypes[i])} (at index ${i}); all samples of a prompt must share one reward type`,
        `reward_types[${i}]`,
      );
    }
  }
  return { scores, groups, group: moments(scores, groups), types, typeOfGroup };
}

export const groupSize = (b: GroupedBatch, g: number): number => b.groups.size[g]!;

/** Group mean with the GRPO convention: a singleton group is centred on 0, not on its own score. */
export const grpoMean = (b: GroupedBatch, g: number): number => (groupSize(b, g) > 1 ? b.group.mean[g]! : 0);

/** Unbiased group variance with the GRPO convention: 1 for a singleton group. */
export const grpoVariance = (b: GroupedBatch, g: number): number => (groupSize(b, g) > 1 ? b.group.m2[g]! / (groupSize(b, g) - 1) : 1);

/** Population standard deviation of a group (0 for a singleton). */
export const populationStd = (b: GroupedBatch, g: number): number => Math.sqrt(b.group.m2[g]! / groupSize(b, g));

/** Per group: share of its samples whose score is strictly above that group's threshold. */
export function shareAbove(b: GroupedBatch, threshold: Float64Array): Float64Array {
  const above = new Float64Array(b.groups.keys.length);
  for (let i = 0; i < b.scores.length; i++) {
    const g = b.groups.of[i]!;
    if (b.scores[i]! > threshold[g]!) above[g]!++;
  }
  for (let g = 0; g < above.length; g++) above[g]! /= groupSize(b, g);
  return above;
}

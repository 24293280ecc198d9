// Batch metrics per reward type, as the reference trainer logs them (compute_reward_mode_metrics).
import { grpoVariance, moments, populationStd, type GroupedBatch } from './groups.js';

/** `reward_mode/<type>/<name>` with the trainer's key escaping: spaces → `_`, dots → `-`. */
export function rewardModeKey(rewardType: string, name: string): string {
  return `reward_mode/${rewardType.replaceAll(' ', '_').replaceAll('.', '-')}/${name}`;
}

export function rewardModeMetrics(b: GroupedBatch): Record<string, number> {
  const numTypes = b.types.keys.length;
  const numGroups = b.groups.keys.length;
  const typeScores = moments(b.scores, b.types);
  const stdSum = new Float64Array(numTypes);
  const varSum = new Float64Array(numTypes);
  const groupCount = new Float64Array(numTypes);
  let totalStdSum = 0;
  for (let g = 0; g < numGroups; g++) {
    const t = b.typeOfGroup[g]!;
    const std = populationStd(b, g);
    stdSum[t]! += std;
    varSum[t]! += grpoVariance(b, g);
    groupCount[t]!++;
    totalStdSum += std;
  }
  const metrics: Record<string, number> = {};
  for (let t = 0; t < numTypes; t++) {
    const type = b.types.keys[t]!;
    const meanVar = varSum[t]! / groupCount[t]!;
    metrics[rewardModeKey(type, 'mean_reward')] = typeScores.mean[t]!;
    metrics[rewardModeKey(type, 'std_reward')] = Math.sqrt(typeScores.m2[t]! / b.types.size[t]!);
    metrics[rewardModeKey(type, 'mean_std_reward')] = stdSum[t]! / groupCount[t]!;
    metrics[rewardModeKey(type, 'sqrt_mean_var')] = meanVar > 0 ? Math.sqrt(meanVar) : 0;
    metrics[rewardModeKey(type, 'rate_adv')] = totalStdSum > 0 ? stdSum[t]! / totalStdSum : 0;
    metrics[rewardModeKey(type, 'rate_num')] = groupCount[t]! / numGroups;
  }
  return metrics;
}

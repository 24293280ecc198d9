// Dr. GRPO: GRPO without the division by the group std (removes the std's difficulty bias).
import { groupRelativeAdvantages, type GroupRelativeOptions } from './grpo.js';
import type { GroupedBatch } from './groups.js';

export function drgrpoAdvantages(b: GroupedBatch, opts: Omit<GroupRelativeOptions, 'divideByStd'>): Float64Array {
  return groupRelativeAdvantages(b, { ...opts, divideByStd: false });
}

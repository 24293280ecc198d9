// The batch view of the audit: per reward type, how many items raised each flag that applies to
// its scorer (0 included, so every batch reports the same keys for a reward type). POST /score
// returns it as `summary.audit`; /metrics and the OpenRLHF route count from it.
import { flagsForScorer, type ItemResult } from '../rewards/index.js';

/** reward type -> flag -> items that raised it. */
export type AuditCounts = Record<string, Record<string, number>>;

/** From parallel arrays ('' for none): reward types, scorers, and comma-joined flags per item. */
export function auditCounts(rewardTypes: readonly string[], scorers: readonly string[], flags: readonly string[]): AuditCounts {
  const out: AuditCounts = {};
  for (let i = 0; i < rewardTypes.length; i++) {
    const type = rewardTypes[i]!;
    if (type === '' || scorers[i] === '') continue;
    const counts = (out[type] ??= {});
    for (const flag of flagsForScorer(scorers[i]!)) counts[flag] ??= 0;
    if (flags[i] !== '') for (const flag of flags[i]!.split(',')) counts[flag] = (counts[flag] ?? 0) + 1;
  }
  return out;
}

/** The same from result objects (errors have no reward type and are left out). */
export function auditCountsOfResults(results: readonly ItemResult[]): AuditCounts {
  return auditCounts(
    results.map((r) => (r.score === null ? '' : (r.reward_type ?? ''))),
    results.map((r) => r.scorer ?? ''),
    results.map((r) => (r.audit ? r.audit.map((f) => f.flag).join(',') : '')),
  );
}

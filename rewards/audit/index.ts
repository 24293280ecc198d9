// The reward-hacking audit: per item, flags for responses that look like they game a reward
// (flags.ts), found from what the scorer computed (trace.ts, checks.ts). It never changes a score;
// only an explicit audit_penalty does (applyPenalties), and the response says so in `semantics`.
import type { AuditFinding, AuditFlagName } from './flags.js';

export { auditTrace, nothingToAudit } from './checks.js';
export { AUDIT_FLAGS, AUDIT_FLAG_NAMES, flagsForScorer, isAuditFlag, type AuditFinding, type AuditFlagEntry, type AuditFlagName } from './flags.js';
export { tailLoop, type TailLoop } from './repetition.js';
export { freshTrace, type AuditTrace } from './trace.js';

/** `{flag: value}`: a flagged item's score becomes at most `value` (this project's rule, not the reference's). */
export type AuditPenalties = Partial<Record<AuditFlagName, number>>;

/** What `semantics` says when penalties may have changed scores. */
export const PENALTY_SEMANTICS_SUFFIX = '+audit_penalty';

/**
 * Applies the penalties of the flags found: the score becomes the lowest penalty value among
 * them when that is lower (a penalty never raises a score), and the reference's number is kept.
 * Returns undefined when no finding has a penalty; marks the findings that do.
 */
export function applyPenalties(score: number, findings: AuditFinding[], penalties: AuditPenalties): { score: number; referenceScore: number } | undefined {
  let cap = Number.POSITIVE_INFINITY;
  for (const f of findings) {
    const value = penalties[f.flag];
    if (value === undefined) continue;
    f.penalty = value;
    if (value < cap) cap = value;
  }
  if (cap === Number.POSITIVE_INFINITY) return undefined;
  return { score: Math.min(score, cap), referenceScore: score };
}

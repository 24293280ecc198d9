// The audit options, as every entry point takes them: `audit` (bool) and `audit_penalty`
// ({flag: value in [0, 1]}) in a /score body; the same penalty as a "flag:value,flag:value" string
// in the OpenRLHF query and the CLI. The flags come from the library's table (rewards/audit/flags.ts).
import { z } from 'zod';
import { AUDIT_FLAG_NAMES, type AuditPenalties } from '../../rewards/audit/index.js';

const expected = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`);

export const AUDIT_DESCRIPTION =
  'Run the reward-hacking audit: flagged items get `audit: [{flag, message, span}]` and the summary counts flags per reward type ' +
  '(flags and their rules: GET /tasks, `audit_flags`). Scores never change, unless `audit_penalty` is given.';

export const AUDIT_PENALTY_DESCRIPTION =
  "This project's option, not the reference's: `{flag: value}` caps the score of an item with that flag at `value` (0 to 1; the " +
  'lowest value among its flags; a penalty never raises a score), keeps the reference\'s number in `reference_score`, and makes ' +
  '`semantics` "golongrl-reference+audit_penalty". Implies the audit.';

const penaltyValue = z
  .number({ error: expected('a number between 0 and 1') })
  .min(0, { error: 'must be between 0 and 1' })
  .max(1, { error: 'must be between 0 and 1' });

export const auditOption = z.boolean({ error: expected('true or false') }).optional().describe(AUDIT_DESCRIPTION);

export const auditPenaltyObject = z.strictObject(
  Object.fromEntries(AUDIT_FLAG_NAMES.map((flag) => [flag, penaltyValue.optional()])) as Record<string, z.ZodOptional<typeof penaltyValue>>,
  { error: expected(`an object {flag: value between 0 and 1}; flags: ${AUDIT_FLAG_NAMES.join(', ')}`) },
);

export const auditPenaltyOption = auditPenaltyObject.optional().describe(AUDIT_PENALTY_DESCRIPTION);

/** `audit_penalty` written "flag:value,flag:value" (query string, CLI, environment). */
export const auditPenaltyList = z
  .string()
  .transform(parsePenaltyList)
  .pipe(auditPenaltyObject)
  .describe(`${AUDIT_PENALTY_DESCRIPTION} Written flag:value[,flag:value], e.g. repetition_loop:0.`);

/** Fields an `audit_penalty` object may have (for "unknown field" messages). */
export const AUDIT_PENALTY_FIELDS: readonly string[] = AUDIT_FLAG_NAMES;

/**
 * "flag:value,flag:value" (query string, CLI, environment) as an object for auditPenaltyOption to
 * check; a piece without ":" is kept as written under its own name, so the check names it.
 */
export function parsePenaltyList(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const piece of text.split(',')) {
    const item = piece.trim();
    if (item === '') continue;
    const colon = item.lastIndexOf(':');
    if (colon === -1) {
      out[item] = 'a value (write flag:value)';
      continue;
    }
    const raw = item.slice(colon + 1).trim();
    const value = raw === '' ? raw : Number(raw);
    out[item.slice(0, colon).trim()] = Number.isNaN(value) ? raw : value;
  }
  return out;
}

/** The penalties, or undefined for an empty object. */
export function penaltiesOrUndefined(penalties: AuditPenalties | undefined): AuditPenalties | undefined {
  return penalties && Object.keys(penalties).length > 0 ? penalties : undefined;
}

/** One flag an item raised (response documentation). */
export const auditFindingSchema = z.object({
  flag: z.enum(AUDIT_FLAG_NAMES as [string, ...string[]]).describe('The flag (GET /tasks, audit_flags, has its rule).'),
  message: z.string().describe('What was found, quoting the evidence.'),
  span: z
    .tuple([z.number().int(), z.number().int()])
    .optional()
    .describe("Where the evidence is in the response as sent: [start, end) in UTF-16 code units (JavaScript string indices; Python's too unless the text has characters beyond U+FFFF)."),
  penalty: z.number().optional().describe('With audit_penalty: the value this flag caps the score at.'),
});

export const itemAuditSchema = z.array(auditFindingSchema).describe('With the audit on: the flags this item raised (absent when none).');
export const referenceScoreSchema = z.number().describe('With audit_penalty, on a penalised item: the reference\'s score, which `score` replaced.');
const FLAG_COUNTS_EXAMPLE = { pairwise_short_list: 1, answer_list_padding: 0, duplicate_answers: 0, answer_in_think: 0, repetition_loop: 0 };
export const summaryAuditSchema = z
  .record(z.string(), z.record(z.string(), z.number().int()).meta({ example: FLAG_COUNTS_EXAMPLE }))
  .describe('With the audit on: per reward type, how many items raised each flag that applies to it (0 included).')
  .meta({ example: { Pairwise_Accuracy: FLAG_COUNTS_EXAMPLE } });

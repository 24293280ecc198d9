// Request and response schemas of POST /advantages: zod for validation (plain-sentence 400s),
// JSON Schema derived from it for the OpenAPI document.
import { z } from 'zod';
import { ESTIMATORS, MAX_ABS_GAMMA, MAX_ABS_SCORE, PARAM_DEFAULTS } from '../../rewards/advantages/index.js';
import { didYouMean, quotedAlternatives, suggestNames } from '../../rewards/suggest.js';
import { ADVANTAGES_EXAMPLES, ADVANTAGES_RESPONSE_EXAMPLES, documented, withoutUnsafeIntegerBounds } from './openapiDocs.js';

/** Message for a value of the wrong type, or "is required" when it is absent. */
const expected = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`);

/** Message for a value outside an enumeration: the likely value when one is close (`GRPO` → `grpo`). */
export const oneOf =
  (values: readonly string[]) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : `must be one of ${values.join(', ')}${didYouMean(issue.input, values)}`;

const uid = z.union([z.string().min(1, { error: 'must be a non-empty string' }), z.number().int()], {
  error: expected('a non-empty string or an integer'),
});
const rewardType = z.string({ error: expected('a string') }).min(1, { error: 'must be a non-empty string' });
const score = z
  .number({ error: expected('a finite number') })
  .min(-MAX_ABS_SCORE, { error: 'must be at least -1e100' })
  .max(MAX_ABS_SCORE, { error: 'must be at most 1e100' });

const item = z.strictObject(
  {
    uid: uid.describe('Prompt (group) id: samples of one prompt share it.'),
    reward_type: rewardType.describe('Reward type (task metric), e.g. "F1_Score"; one per prompt.'),
    score: score.describe('The sample\'s reward.'),
  },
  { error: expected('an object {uid, reward_type, score}') },
);

const ITEM_FORM = 'items, or the parallel arrays uids, reward_types and scores';
const ARRAY_FIELDS = ['uids', 'reward_types', 'scores'] as const;

export const advantagesBodySchema = z
  .strictObject(
    {
      estimator: z.enum(ESTIMATORS, { error: oneOf(ESTIMATORS) }).describe('Advantage estimator.'),
      difficulty_reweight: z
        .boolean({ error: expected('true or false') })
        .optional()
        .describe('grpo, drgrpo, tmn_grpo: reweight advantages by prompt difficulty. Default false.'),
      difficulty_smooth_alpha: z
        .number({ error: expected('a number between 0 and 1') })
        .min(0, { error: 'must be between 0 and 1' })
        .max(1, { error: 'must be between 0 and 1' })
        .optional()
        .describe(`tmn_grpo: weight α of the prompt's own mean against its task mean when judging passes. Default ${PARAM_DEFAULTS.difficulty_smooth_alpha}; the paper uses 0.8.`),
      difficulty_gamma: z
        .number({ error: expected('a finite number') })
        .min(-MAX_ABS_GAMMA, { error: `must be between -${MAX_ABS_GAMMA} and ${MAX_ABS_GAMMA}` })
        .max(MAX_ABS_GAMMA, { error: `must be between -${MAX_ABS_GAMMA} and ${MAX_ABS_GAMMA}` })
        .optional()
        .describe(`grpo, drgrpo, tmn_grpo: strength γ of the difficulty weight exp(γ·(0.5 − pass rate)). Default ${PARAM_DEFAULTS.difficulty_gamma}.`),
      norm_adv_by_task_scale: z
        .boolean({ error: expected('true or false') })
        .optional()
        .describe('tmn_grpo: divide by the task scale (RMS of the task\'s group stds). Default true.'),
      items: z.array(item, { error: expected('an array') }).optional().describe('The samples; or give uids, reward_types and scores instead.'),
      uids: z.array(uid, { error: expected('an array') }).optional().describe('Parallel-array form: prompt id of each sample.'),
      reward_types: z.array(rewardType, { error: expected('an array') }).optional().describe('Parallel-array form: reward type of each sample.'),
      scores: z.array(score, { error: expected('an array') }).optional().describe('Parallel-array form: score of each sample.'),
    },
    { error: expected('a JSON object') },
  )
  .superRefine((body, ctx) => {
    const given = ARRAY_FIELDS.filter((f) => body[f] !== undefined);
    if (body.items !== undefined) {
      if (given.length > 0) ctx.addIssue({ code: 'custom', path: [given[0]!], message: `cannot be combined with items; give ${ITEM_FORM}` });
      return;
    }
    if (given.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: `is required; give ${ITEM_FORM}` });
      return;
    }
    const missing = ARRAY_FIELDS.find((f) => body[f] === undefined);
    if (missing) {
      ctx.addIssue({ code: 'custom', path: [missing], message: `is required together with ${given.join(' and ')}` });
      return;
    }
    const n = body.uids!.length;
    for (const f of ['reward_types', 'scores'] as const) {
      if (body[f]!.length !== n) {
        ctx.addIssue({ code: 'custom', path: [f], message: `has ${body[f]!.length} entries but uids has ${n}; the arrays must be parallel` });
        return;
      }
    }
  });

export type AdvantagesBody = z.infer<typeof advantagesBodySchema>;

export const advantagesResponseSchema = z.object({
  advantages: z.array(z.number()).describe('One advantage per sample, in input order.'),
  metrics: z
    .record(z.string(), z.number())
    .describe('Per-reward-type batch metrics `reward_mode/<type>/<name>`, plus `difficulty/mean_pass_rate` for tmn_grpo with reweighting.')
    .meta({ example: { 'reward_mode/F1_Score/mean_reward': 0.5 } }),
});

const toJsonSchema = (schema: z.ZodType) => withoutUnsafeIntegerBounds(z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }) as Record<string, unknown>);

/** For the route's OpenAPI documentation (validation itself runs through zod). */
export const advantagesBodyJsonSchema = {
  ...toJsonSchema(advantagesBodySchema),
  description: `Scores already known; only the estimator runs. Give ${ITEM_FORM}.`,
  'x-examples': ADVANTAGES_EXAMPLES,
};
export const advantagesResponseJsonSchema = documented(
  toJsonSchema(advantagesResponseSchema),
  'One advantage per sample in input order, and the batch metrics the reference trainer logs.',
  ADVANTAGES_RESPONSE_EXAMPLES,
);

/** `items[3].score` from a zod path. */
export function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out === '' ? '' : '.'}${String(part)}`;
  return out;
}

const SHOWN_ISSUES = 3;

/**
 * Zod issues as plain sentences naming the field, e.g. "scores[3] must be a finite number".
 * `allowedFields(path)` lists the fields an object at that path may have, for unknown-field errors.
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  allowedFields: (path: readonly PropertyKey[]) => readonly string[] | undefined = () => undefined,
  root = 'body',
): string {
  const sentences = issues.slice(0, SHOWN_ISSUES).map((issue) => {
    const field = fieldName(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => JSON.stringify(k)).join(', ');
      const allowed = allowedFields(issue.path);
      const likely = allowed && issue.keys.length === 1 ? suggestNames(issue.keys[0]!, allowed) : [];
      const hint = likely.length > 0 ? `did you mean ${quotedAlternatives(likely)}? ` : '';
      return `${field === '' ? root : field} has unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}` + (allowed ? ` (${hint}fields: ${allowed.join(', ')})` : '');
    }
    return `${field === '' ? root : field} ${issue.message}`;
  });
  const more = issues.length - SHOWN_ISSUES;
  return sentences.join('; ') + (more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : '');
}

/** Fields an object in an /advantages body may have, by where it sits. */
export function advantagesBodyFields(path: readonly PropertyKey[]): readonly string[] | undefined {
  if (path.length === 0) return Object.keys(advantagesBodySchema.shape);
  if (path.length === 2 && path[0] === 'items') return Object.keys(item.shape);
  return undefined;
}

// Request and response schemas of POST /score. The envelope is validated with zod (plain-sentence
// 400s); items are deliberately `unknown` here: the library validates each one and a malformed
// item becomes that item's error, never the batch's. The JSON Schemas below document the API.
import { z } from 'zod';
import { AdvantageInputError, advantagesForScored, ESTIMATORS, MAX_ABS_GAMMA } from '../../rewards/advantages/index.js';
import { describeIssues, oneOf } from './advantages.js';
import { anyJson, documented, SCORE_EXAMPLES, SCORE_RESPONSE_EXAMPLES, withoutUnsafeIntegerBounds } from './openapiDocs.js';
import { AUDIT_PENALTY_FIELDS, auditOption, auditPenaltyOption, itemAuditSchema, referenceScoreSchema, summaryAuditSchema } from './audit.js';

/** Message for a value of the wrong type, or "is required" when it is absent. */
export const expected = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`);

export interface ScoreLimits {
  maxItems: number;
  maxItemTimeoutMs: number;
}

const advantagesOptionShape = {
  estimator: z.enum(ESTIMATORS, { error: oneOf(ESTIMATORS) }).describe('Advantage estimator.'),
  difficulty_reweight: z.boolean({ error: expected('true or false') }).optional().describe('grpo, drgrpo, tmn_grpo: reweight by prompt difficulty.'),
  difficulty_smooth_alpha: z
    .number({ error: expected('a number between 0 and 1') })
    .min(0, { error: 'must be between 0 and 1' })
    .max(1, { error: 'must be between 0 and 1' })
    .optional()
    .describe("tmn_grpo: weight α of a prompt's own mean against its task mean."),
  difficulty_gamma: z
    .number({ error: expected('a finite number') })
    .min(-MAX_ABS_GAMMA, { error: `must be between -${MAX_ABS_GAMMA} and ${MAX_ABS_GAMMA}` })
    .max(MAX_ABS_GAMMA, { error: `must be between -${MAX_ABS_GAMMA} and ${MAX_ABS_GAMMA}` })
    .optional()
    .describe('grpo, drgrpo, tmn_grpo: strength γ of the difficulty weight.'),
  norm_adv_by_task_scale: z.boolean({ error: expected('true or false') }).optional().describe('tmn_grpo: divide by the task scale.'),
};

const advantagesOption = z
  .strictObject(advantagesOptionShape, { error: expected('an object {estimator, ...parameters}') })
  // The library knows which parameters each estimator takes; ask it before any scoring is done.
  .superRefine((params, ctx) => {
    try {
      advantagesForScored([], params);
    } catch (err) {
      if (!(err instanceof AdvantageInputError)) throw err;
      // "difficulty_gamma must be ..." is reported at that field, without repeating its name.
      const field = err.field !== undefined && err.field in advantagesOptionShape ? err.field : undefined;
      const message = field !== undefined && err.message.startsWith(`${field} `) ? err.message.slice(field.length + 1) : err.message;
      ctx.addIssue({ code: 'custom', path: field === undefined ? [] : [field], message });
    }
  })
  .describe(
    'Also compute advantages (POST /advantages semantics) over the scored items, grouped by each item\'s `uid`, with the reward type the scorer reported. ' +
      'Items without a uid or a score are left out (listed in `advantages_excluded`).',
  );

export type AdvantagesOption = z.infer<typeof advantagesOption>;

/** A per-item time budget in milliseconds, 1 to the configured maximum (also POST /check's). */
export function timeoutMsField(maxItemTimeoutMs: number) {
  return z
    .number({ error: expected(`an integer number of milliseconds between 1 and ${maxItemTimeoutMs}`) })
    .int({ error: `must be an integer number of milliseconds between 1 and ${maxItemTimeoutMs}` })
    .min(1, { error: `must be between 1 and ${maxItemTimeoutMs}` })
    .max(maxItemTimeoutMs, { error: `must be between 1 and ${maxItemTimeoutMs}` })
    .optional();
}

export function scoreBodySchema({ maxItems, maxItemTimeoutMs }: ScoreLimits) {
  return z.strictObject(
    {
      items: z
        .array(z.unknown(), { error: expected('an array of item objects') })
        .max(maxItems, { error: (issue) => `must have at most ${maxItems} items, not ${(issue.input as unknown[]).length}` })
        .describe(`The items to score, at most ${maxItems}: verl rows and native items, mixed freely.`),
      details: z.boolean({ error: expected('true or false') }).optional().describe('Add per-item explanations (`details`). Default false.'),
      timeout_ms: timeoutMsField(maxItemTimeoutMs).describe('Time budget of each item in milliseconds; an item over it gets the item error `timeout`.'),
      advantages: advantagesOption.optional(),
      audit: auditOption,
      audit_penalty: auditPenaltyOption,
    },
    { error: expected('a JSON object {items: [...]}') },
  ).superRefine((body, ctx) => {
    if (body.audit === false && body.audit_penalty !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['audit_penalty'], message: 'needs the audit, but audit is false: drop one of the two' });
    }
  });
}

export type ScoreBody = z.infer<ReturnType<typeof scoreBodySchema>>;

export const SCORE_BODY_FIELDS: readonly string[] = ['items', 'details', 'timeout_ms', 'advantages', 'audit', 'audit_penalty'];

/** Envelope zod issues as plain sentences naming the field. */
export function describeScoreIssues(issues: readonly z.core.$ZodIssue[]): string {
  return describeIssues(issues, (path) => {
    if (path.length === 0) return SCORE_BODY_FIELDS;
    if (path.length === 1 && path[0] === 'advantages') return Object.keys(advantagesOptionShape);
    if (path.length === 1 && path[0] === 'audit_penalty') return AUDIT_PENALTY_FIELDS;
    return undefined;
  });
}

// ---- documentation-only shapes (validation of items happens in the library) ----

const idDoc = { description: "Echoed in the result; the item's index when absent.", anyOf: [{ type: 'string' }, { type: 'number' }], example: 'r-0' };
const uidDoc = { description: 'Prompt (group) id, for the `advantages` option.', anyOf: [{ type: 'string' }, { type: 'number' }], example: 'prompt-17' };

const verlRowDoc = {
  title: 'verl row',
  type: 'object',
  description: 'A verl row, routed by data_source as GoLongRL\'s dispatcher does. GET /tasks lists the data sources with the ground_truth each expects and an example row.',
  properties: {
    id: idDoc,
    data_source: { type: 'string', description: 'verl data_source (GET /tasks lists them).', example: 'longbench_pro' },
    solution_str: { type: 'string', description: 'The rollout text, including any <think> section.', example: '<think>…</think>[Answer]\nfoo\nbar' },
    ground_truth: anyJson('Any JSON, as in the verl parquet row; its shape depends on the data_source (GET /tasks: data_sources[].ground_truth).', { doc_ids: ['foo', 'bar'], summary: 'English' }),
    extra_info: anyJson('Any JSON, as in the verl parquet row; LongBench-Pro and the judge routes read reward_mode from it.', { reward_mode: 'T5.1 Full-Sentence Citation Alignment' }),
    uid: uidDoc,
  },
  required: ['data_source', 'solution_str', 'ground_truth'],
};

const nativeItemDoc = {
  title: 'native item',
  type: 'object',
  description: 'A native item: a scorer named directly (GET /tasks lists the tasks, what reference each takes and their options).',
  properties: {
    id: idDoc,
    task: { type: 'string', description: 'Scorer name, reward type or LongBench-Pro sub-task.', example: 'rouge_l' },
    response: { type: 'string', description: 'The text to score.', example: 'the cat sat on the mat' },
    reference: anyJson('Any JSON; its shape depends on the task (GET /tasks: scorers[].reference), e.g. a list of answers.', ['a cat was sitting on the mat']),
    options: { type: 'object', description: 'Task options (GET /tasks: scorers[].options).', properties: { language: { type: 'string', enum: ['en', 'English', 'zh', 'Chinese'] }, think: { type: 'string', enum: ['none', 'strip', 'gate'] } }, example: { language: 'en' } },
    uid: uidDoc,
  },
  required: ['task', 'response', 'reference'],
  additionalProperties: false,
};

const itemError = z.object({
  code: z
    .enum(['unknown_data_source', 'unknown_task', 'bad_ground_truth', 'bad_item', 'judge_required', 'timeout', 'worker_crashed', 'input_too_large', 'internal_error'])
    .describe('Stable machine code.'),
  message: z.string().describe('What is wrong and how to fix it, for a person.'),
  field: z.string().optional().describe('The item field at fault, as a dotted path (e.g. "ground_truth.doc_ids", "options.language"), when one is.'),
});

const itemResult = z.object({
  id: z.union([z.string(), z.number()]).describe("The item's id, or its index in `items` when it had none."),
  score: z.number().nullable().describe('The reward in [0, 1]; null when the item has an error.'),
  reward_type: z.string().optional().describe('Reward type (TMN-Reweight group), e.g. "F1_Score".'),
  scorer: z.string().optional().describe('Which scorer decided, e.g. "f1".'),
  details: z.record(z.string(), z.unknown()).optional().describe('With `details: true`: what was extracted and which rule decided.').meta({ example: { metric: 'F1_Score', answers: ['paris'], predictions: ['paris'], precision: 1, recall: 1 } }),
  warnings: z.array(z.string()).optional().describe('Non-fatal problems, e.g. a ground truth the reference reads oddly.'),
  error: itemError.optional().describe('Why the item has no score.'),
  advantage: z.number().nullable().optional().describe('With the `advantages` option: this item\'s advantage (null when left out).'),
  audit: itemAuditSchema.optional(),
  reference_score: referenceScoreSchema.optional(),
});

export const scoreResponseSchema = z.object({
  results: z.array(itemResult).describe('One result per item, in request order.'),
  summary: z.object({
    items: z.number().int(),
    scored: z.number().int(),
    errors: z.number().int(),
    by_reward_type: z
      .record(z.string(), z.object({ n: z.number().int(), mean: z.number() }))
      .describe('Count and mean score per reward type.')
      .meta({ example: { F1_Score: { n: 1, mean: 1 } } }),
    audit: summaryAuditSchema.optional(),
  }),
  semantics: z.string().describe('Which reference semantics the scores follow: "golongrl-reference", or "golongrl-reference+audit_penalty" when audit_penalty was given.'),
  metrics: z
    .record(z.string(), z.number())
    .optional()
    .describe('With the `advantages` option: batch metrics `reward_mode/<type>/<name>`.')
    .meta({ example: { 'reward_mode/F1_Score/mean_reward': 0.5 } }),
  advantages_excluded: z
    .array(z.object({ index: z.number().int(), reason: z.string() }))
    .optional()
    .describe('With the `advantages` option: items left out of the estimator, and why.'),
  advantages_error: z
    .object({ message: z.string(), field: z.string().optional() })
    .optional()
    .describe('With the `advantages` option: why advantages could not be computed (scores are still returned).'),
});

const toJsonSchema = (schema: z.ZodType, io: 'input' | 'output' = 'input') =>
  withoutUnsafeIntegerBounds(z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>);

/** The /score body as documented: the envelope, with items described as either form, and examples. */
export function scoreBodyJsonSchema(limits: ScoreLimits): Record<string, unknown> {
  const schema = toJsonSchema(scoreBodySchema(limits));
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  properties.items = { ...properties.items, items: { anyOf: [verlRowDoc, nativeItemDoc] } };
  return { ...schema, 'x-examples': SCORE_EXAMPLES };
}

export const scoreResponseJsonSchema = documented(
  toJsonSchema(scoreResponseSchema, 'output'),
  'One result per item in request order (a score, or an item error: one bad item never fails the batch), a summary by reward type, and the semantics version.',
  SCORE_RESPONSE_EXAMPLES,
);

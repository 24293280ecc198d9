// Request and response schemas of POST /openrlhf/reward, OpenRLHF's `--remote_rm_url` protocol.
// OpenRLHF posts `{query, prompts, labels}` (parallel lists; the newer single-turn executor sends
// one sample per request, the older experience maker one shard of the batch) and reads `rewards`,
// `scores` and `extra_logs` from the reply. The envelope is validated with zod (plain-sentence
// 400s); labels stay `unknown` here because a bad label is that sample's error, not the batch's.
import { z } from 'zod';
import { AUDIT_FLAG_NAMES } from '../../rewards/audit/index.js';
import { knownTaskNames, resolveTask } from '../../rewards/registry.js';
import { didYouMean } from '../../rewards/suggest.js';
import { describeIssues } from './advantages.js';
import { anyJson, documented, OPENRLHF_EXAMPLES, OPENRLHF_RESPONSE_EXAMPLES, withoutUnsafeIntegerBounds } from './openapiDocs.js';
import { AUDIT_PENALTY_FIELDS, auditPenaltyList, itemAuditSchema, referenceScoreSchema } from './audit.js';

const expected = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`);

export function openrlhfBodySchema(maxItems: number) {
  const list = <T extends z.ZodType>(element: T, what: string) =>
    z
      .array(element, { error: expected(what) })
      .max(maxItems, { error: (issue) => `must have at most ${maxItems} entries, not ${(issue.input as unknown[]).length}` });
  return z
    .looseObject(
      {
        query: list(z.string({ error: expected('a string') }), 'an array of strings').describe('Prompt + response texts, as OpenRLHF decodes them.'),
        prompts: list(z.string({ error: expected('a string') }), 'an array of strings').describe('The prompt of each query.'),
        labels: list(z.unknown(), 'an array (one label per query)').describe(
          'Each a JSON string (or object) {data_source, ground_truth, extra_info} (verl row) or {task, reference, options} (native); ' +
            'with `?task=NAME`, plain strings are that task\'s reference.',
        ),
      },
      { error: expected('a JSON object {query, prompts, labels}') },
    )
    .superRefine((body, ctx) => {
      for (const field of ['prompts', 'labels'] as const) {
        if (body[field].length !== body.query.length) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `must have one entry per query (${body.query.length}), not ${body[field].length}`,
          });
        }
      }
    });
}

export type OpenrlhfBody = z.infer<ReturnType<typeof openrlhfBodySchema>>;

const ON_ERROR = /^(fail|[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?)$/;

export const openrlhfQuerySchema = z.strictObject(
  {
    on_error: z
      .string()
      .regex(ON_ERROR, { error: 'must be a number (the reward given to samples that cannot be scored) or "fail"' })
      .refine((v) => v === 'fail' || Number.isFinite(Number(v)), { error: 'must be a finite number or "fail"' })
      .optional()
      .describe(
        'What a sample that cannot be scored (bad label, unknown task, timeout…) gets: a number (default 0), reported in ' +
          '`extra_logs.golong_item_error` and `results`; or `fail` to answer 422 naming the samples instead.',
      ),
    task: z
      .string()
      .min(1, { error: 'must not be empty' })
      // A request-wide task that names nothing would turn every plain label into an item error
      // (every reward the on_error value): the whole request is refused instead.
      .refine((task) => resolveTask(task) !== undefined, {
        error: (issue) => {
          const known = knownTaskNames();
          return `must name a scorer, a reward type or a LongBench-Pro sub-task, not ${JSON.stringify(issue.input)}${didYouMean(issue.input, known)}; known: ${known.join(', ')}`;
        },
      })
      .optional()
      .describe('Native task for labels that are plain strings (not JSON objects) or objects without a task, e.g. `math_verify` (GET /tasks lists the names).'),
    strip_eos: z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .optional()
      .describe(
        'Remove end-of-sequence markers (`<|im_end|>`, `<|endoftext|>`, `</s>`, …) trailing the response, as verl does by decoding with ' +
          'skip_special_tokens (default true).',
      ),
    audit: z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .optional()
      .describe(
        'Run the reward-hacking audit: results get `audit` flags, and `extra_logs` gets `golong_audit_<flag>` (0/1 per sample) for every flag ' +
          'on every request (GET /tasks, audit_flags). Rewards never change, unless audit_penalty is given.',
      ),
    audit_penalty: auditPenaltyList.optional(),
  },
  { error: 'must be query parameters' },
).superRefine((query, ctx) => {
  if ((query.audit === 'false' || query.audit === '0') && query.audit_penalty !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['audit_penalty'], message: 'needs the audit, but audit is false: drop one of the two' });
  }
});

export type OpenrlhfQuery = z.infer<typeof openrlhfQuerySchema>;

const BODY_FIELDS = ['query', 'prompts', 'labels'];
const QUERY_FIELDS = ['on_error', 'task', 'strip_eos', 'audit', 'audit_penalty'];

export const describeOpenrlhfBodyIssues = (issues: readonly z.core.$ZodIssue[]): string =>
  describeIssues(issues, (path) => (path.length === 0 ? BODY_FIELDS : undefined));

export const describeOpenrlhfQueryIssues = (issues: readonly z.core.$ZodIssue[]): string =>
  describeIssues(issues, (path) => (path.length === 0 ? QUERY_FIELDS : path.length === 1 && path[0] === 'audit_penalty' ? AUDIT_PENALTY_FIELDS : undefined), 'query string');

/** extra_logs keys: fixed, one number per sample (OpenRLHF concatenates them across shards by key). */
export const EXTRA_LOG_KEYS = ['golong_item_error', 'golong_prompt_not_prefix'] as const;
/** With ?audit=true, also these: one per flag of the table, on every request. */
export const AUDIT_LOG_KEYS: readonly string[] = AUDIT_FLAG_NAMES.map((flag) => `golong_audit_${flag}`);

const perSample = (what: string) => z.array(z.number()).describe(what);

export const openrlhfResponseSchema = z.object({
  rewards: perSample('One reward per query, in order: the score in [0, 1], or the on_error value for a sample that could not be scored.'),
  scores: perSample('Same as rewards (OpenRLHF uses it for dynamic filtering).'),
  extra_logs: z
    .object({
      golong_item_error: perSample('1 where the sample could not be scored (its reward is the on_error value), else 0.'),
      golong_prompt_not_prefix: perSample('1 where the query did not start with its prompt (see the route description), else 0.'),
      ...Object.fromEntries(AUDIT_LOG_KEYS.map((key) => [key, perSample(`With ?audit=true: 1 where the sample raised ${key.slice('golong_audit_'.length)}, else 0.`).optional()])),
    })
    .describe('Per-sample numbers OpenRLHF logs (e.g. to wandb); always the same keys (with ?audit=true, one more per audit flag).'),
  results: z
    .array(
      z.object({
        id: z.number().int().describe('Index of the sample.'),
        score: z.number().nullable(),
        reward_type: z.string().optional(),
        scorer: z.string().optional(),
        warnings: z.array(z.string()).optional(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
        audit: itemAuditSchema.optional(),
        reference_score: referenceScoreSchema.optional(),
      }),
    )
    .describe('Per-sample results as POST /score gives them (OpenRLHF ignores this field): why a sample scored what it did, or its error.'),
  semantics: z.string().describe('"golongrl-reference", or "golongrl-reference+audit_penalty" with audit_penalty.'),
});

export type OpenrlhfResponse = z.infer<typeof openrlhfResponseSchema>;

const toJsonSchema = (schema: z.ZodType, io: 'input' | 'output' = 'input') =>
  withoutUnsafeIntegerBounds(z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>);

export const openrlhfBodyJsonSchema = (maxItems: number) => {
  const schema = toJsonSchema(openrlhfBodySchema(maxItems));
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  // A label is any JSON (a JSON string as OpenRLHF sends it, or the object itself).
  properties.labels = { ...properties.labels, items: anyJson('A JSON string (or object) of a verl row or a native item; a plain string with ?task=NAME.', '{"data_source": "EM", "ground_truth": {"golden_label": "Porto"}, "extra_info": {}}') };
  // Other fields OpenRLHF may add are ignored; the document shows only the three that are read.
  delete schema.additionalProperties;
  return { ...schema, 'x-examples': OPENRLHF_EXAMPLES };
};
export const openrlhfQueryJsonSchema = toJsonSchema(openrlhfQuerySchema);
export const openrlhfResponseJsonSchema = documented(
  toJsonSchema(openrlhfResponseSchema, 'output'),
  'One reward per sample in order (the on_error value for a sample that could not be scored), the per-sample extra_logs OpenRLHF logs, and each sample\'s result.',
  OPENRLHF_RESPONSE_EXAMPLES,
);

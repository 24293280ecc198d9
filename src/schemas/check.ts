// Request and response schemas of POST /check (the dataset doctor). The envelope is validated with
// zod; rows are `unknown` here: a row that is not an object is that row's problem, never the batch's.
import { z } from 'zod';
import { PROBLEM_CODES } from '../../rewards/ideal/index.js';
import { describeIssues } from './advantages.js';
import { documented, withoutUnsafeIntegerBounds } from './openapiDocs.js';
import { expected, timeoutMsField, type ScoreLimits } from './score.js';

export function checkBodySchema({ maxItems, maxItemTimeoutMs }: ScoreLimits) {
  return z.strictObject(
    {
      rows: z
        .array(z.unknown(), { error: expected('an array of dataset rows') })
        .max(maxItems, { error: (issue) => `must have at most ${maxItems} rows, not ${(issue.input as unknown[]).length}` })
        .describe(
          `Dataset rows to check, at most ${maxItems}: verl rows {data_source, reward_model: {ground_truth}, extra_info} ` +
            '(or ground_truth at the top level), no responses needed.',
        ),
      timeout_ms: timeoutMsField(maxItemTimeoutMs).describe('Time budget of each row in milliseconds; a row over it is reported as check_failed.'),
      include_ideal: z.boolean({ error: expected('true or false') }).optional().describe('Add each reported row\'s `ideal_response` (the response that was scored). Default false.'),
    },
    { error: expected('a JSON object {rows: [...]}') },
  );
}

export type CheckBody = z.infer<ReturnType<typeof checkBodySchema>>;

export const CHECK_BODY_FIELDS: readonly string[] = ['rows', 'timeout_ms', 'include_ideal'];

export function describeCheckIssues(issues: readonly z.core.$ZodIssue[]): string {
  return describeIssues(issues, (path) => (path.length === 0 ? CHECK_BODY_FIELDS : undefined));
}

// ---- documentation-only shapes ----

const codes = Object.keys(PROBLEM_CODES) as [string, ...string[]];
const severity = z.enum(['fatal', 'capped', 'warning']);
const problem = z.object({ problem: z.enum(codes), severity, message: z.string() });

const problemLine = z.object({
  index: z.number().int().describe('Position of the row in `rows`.'),
  id: z.union([z.string(), z.number()]).describe("The row's `id`, or its index when it has none."),
  data_source: z.string().nullable(),
  subtask: z.string().optional().describe('LongBench-Pro sub-task (extra_info.reward_mode).'),
  reward_type: z.string().nullable(),
  scorer: z.string().nullable(),
  problem: z.enum(codes).describe('The first (most severe) problem code; GET /tasks lists every code.'),
  severity: severity.describe('fatal: every rollout scores 0 or errors; capped: even the ideal response scores below the best; warning: odd but scorable.'),
  message: z.string().describe('The reason, in words.'),
  ideal_score: z.number().nullable().describe('What the ideal response built from the ground truth scored; null when it could not be scored.'),
  best_score: z.number().nullable().describe('The most the scorer can give (1; ROUGE-L 0.999999995).'),
  problems: z.array(problem).optional().describe('Every problem of the row, when it has more than one.'),
  ideal_response: z.string().optional().describe('With include_ideal: the response that was scored.'),
});

const sourceCounts = z.object({
  data_source: z.string().nullable(),
  subtask: z.string().optional(),
  rows: z.number().int(),
  fine: z.number().int(),
  problems: z.record(z.string(), z.number().int()).describe('Rows by first problem code.').meta({ example: { label_not_a_choice: 1 } }),
});

export const checkResponseSchema = z.object({
  problems: z.array(problemLine).describe('One entry per row with a problem, in row order; fine rows are only counted.'),
  summary: z.object({
    rows: z.number().int(),
    fine: z.number().int(),
    with_problems: z.number().int(),
    by_code: z.record(z.string(), z.number().int()).describe('Rows by first problem code, most frequent first.').meta({ example: { label_not_a_choice: 1, too_few_answers: 1 } }),
    by_severity: z.record(z.string(), z.number().int()).describe('Rows by the severity of their first problem: fatal, capped, warning.').meta({ example: { fatal: 2 } }),
    by_source: z.array(sourceCounts).describe('Per data source and LongBench-Pro sub-task.'),
  }),
  semantics: z.string(),
});

/** The request of the OpenAPI example (test/openapiExamples.test.ts and test/checkHttp.test.ts post it and compare the answer with CHECK_EXAMPLE_RESPONSE). */
export const CHECK_EXAMPLE_BODY = {
  rows: [
    { id: 'em-1', data_source: 'EM', reward_model: { ground_truth: { golden_label: 'Porto' } }, extra_info: {} },
    { id: 'sel-1', data_source: 'selection', reward_model: { ground_truth: { golden_label: '(B)' } }, extra_info: {} },
    { id: 'lbp-1', data_source: 'longbench_pro', reward_model: { ground_truth: { doc_ids: ['Paris'], summary: 'English' } }, extra_info: { reward_mode: 'T2.1 Global Timeline Reconstruction' } },
    { id: 'lbp-2', data_source: 'longbench_pro', reward_model: { ground_truth: { doc_ids: ['Lyon', 'Nice'] } }, extra_info: { reward_mode: 'T5.1 Full-Sentence Citation Alignment' } },
  ],
};

/** What POST /check answers to CHECK_EXAMPLE_BODY. */
export const CHECK_EXAMPLE_RESPONSE = {
  problems: [
    {
      index: 1,
      id: 'sel-1',
      data_source: 'selection',
      reward_type: 'selection',
      scorer: 'choice',
      problem: 'label_not_a_choice',
      severity: 'fatal',
      message: 'golden_label "(B)" is not one of the letters A-D, nor a text containing "The correct answer is (X)" (write the bare letter, or "The correct answer is (X)"): every rollout scores 0',
      ideal_score: null,
      best_score: 1,
    },
    {
      index: 2,
      id: 'lbp-1',
      data_source: 'longbench_pro',
      subtask: 'T2.1 Global Timeline Reconstruction',
      reward_type: 'Pairwise_Accuracy',
      scorer: 'pairwise',
      problem: 'too_few_answers',
      severity: 'fatal',
      message: 'Pairwise_Accuracy needs at least two answers to order, and doc_ids has 1: every rollout scores 0',
      ideal_score: null,
      best_score: 1,
    },
    {
      index: 3,
      id: 'lbp-2',
      data_source: 'longbench_pro',
      subtask: 'T5.1 Full-Sentence Citation Alignment',
      reward_type: 'F1_Score',
      scorer: 'f1',
      problem: 'bad_ground_truth',
      severity: 'fatal',
      message: 'ground_truth has no "summary" field: the reference\'s ground_truth["summary"] raises KeyError: \'summary\' for every rollout (/score answers bad_ground_truth)',
      ideal_score: null,
      best_score: 1,
    },
  ],
  summary: {
    rows: 4,
    fine: 1,
    with_problems: 3,
    by_code: { bad_ground_truth: 1, label_not_a_choice: 1, too_few_answers: 1 },
    by_severity: { fatal: 3 },
    by_source: [
      { data_source: 'EM', rows: 1, fine: 1, problems: {} },
      { data_source: 'longbench_pro', subtask: 'T2.1 Global Timeline Reconstruction', rows: 1, fine: 0, problems: { too_few_answers: 1 } },
      { data_source: 'longbench_pro', subtask: 'T5.1 Full-Sentence Citation Alignment', rows: 1, fine: 0, problems: { bad_ground_truth: 1 } },
      { data_source: 'selection', rows: 1, fine: 0, problems: { label_not_a_choice: 1 } },
    ],
  },
  semantics: 'golongrl-reference',
};

const toJsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  withoutUnsafeIntegerBounds(z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>);

export function checkBodyJsonSchema(limits: ScoreLimits): Record<string, unknown> {
  return { ...toJsonSchema(checkBodySchema(limits), 'input'), 'x-examples': { dataset: { summary: 'Four dataset rows, three of them broken', value: CHECK_EXAMPLE_BODY } } };
}

export const checkResponseJsonSchema = documented(
  toJsonSchema(checkResponseSchema, 'output'),
  'The rows with a problem, in row order (code, severity, the reason in words, what the ideal response scored), and counts per problem code and per data source and LongBench-Pro sub-task.',
  { dataset: { summary: 'Three rows reported, one fine', value: CHECK_EXAMPLE_RESPONSE } },
);

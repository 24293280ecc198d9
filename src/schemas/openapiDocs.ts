// What the OpenAPI document (and Swagger UI at /docs) shows beyond the validation schemas: real
// request and response examples, "any JSON" for ground truths, a description for every response,
// and the error responses every route can give. Swagger UI fills "Try it out" with the first
// example, so the first one of each route must succeed as it stands (a test posts every example).
import { VERL_ROW_EXAMPLES } from '../../rewards/verlExamples.js';

type JsonSchema = Record<string, unknown>;

/** Any JSON value (object, array, string, number, boolean or null), with an example. */
export function anyJson(description: string, example: unknown): JsonSchema {
  return {
    description,
    nullable: true,
    anyOf: [{ type: 'object' }, { type: 'array', items: {} }, { type: 'string' }, { type: 'number' }, { type: 'boolean' }],
    example,
  };
}

/**
 * zod writes ±Number.MAX_SAFE_INTEGER as the bounds of every integer, which Swagger UI then shows as
 * the example value ("statusCode": 9007199254740991); those bounds say nothing, so they go.
 */
export function withoutUnsafeIntegerBounds<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(withoutUnsafeIntegerBounds) as T;
  if (schema === null || typeof schema !== 'object') return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if ((key === 'minimum' || key === 'maximum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) continue;
    out[key] = withoutUnsafeIntegerBounds(value);
  }
  return out as T;
}

/** A named example, as OpenAPI's `examples` map holds it. */
export interface NamedExample {
  summary: string;
  value: unknown;
}

/** A response schema with its description and examples (fastify-swagger's x- keys). */
export function documented(schema: JsonSchema, description: string, examples?: Record<string, NamedExample>): JsonSchema {
  return { ...withoutUnsafeIntegerBounds(schema), 'x-response-description': description, ...(examples && { 'x-examples': examples }) };
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer', description: 'The HTTP status, repeated.', example: 400 },
    error: { type: 'string', description: 'HTTP reason phrase.', example: 'Bad Request' },
    message: { type: 'string', description: 'What was wrong with the request and how to fix it, naming the field.' },
  },
  required: ['statusCode', 'error', 'message'],
  additionalProperties: false,
};

const errorExample = (statusCode: number, error: string, message: string): Record<string, NamedExample> => ({
  [String(statusCode)]: { summary: error, value: { statusCode, error, message } },
});

/** Why each error status happens, with a real message. */
const ERRORS = {
  400: {
    description: 'The envelope is wrong (not JSON, a field of the wrong type, an unknown field or query parameter); the message names the field. Nothing was scored.',
    example: errorExample(400, 'Bad Request', 'timeout_ms must be an integer number of milliseconds between 1 and 60000'),
  },
  401: {
    description: 'A token is configured (GOLONG_REWARD_TOKEN) and `Authorization: Bearer <token>` is missing or wrong. Use the Authorize button above.',
    example: errorExample(401, 'Unauthorized', 'missing Authorization: Bearer <token> header'),
  },
  413: {
    description: 'The body is over the limit (GOLONG_REWARD_BODY_LIMIT, counted after gzip decompression); the message states the limit.',
    example: errorExample(
      413,
      'Payload Too Large',
      'request body is larger than the limit of 256 MiB (268435456 bytes, counted after gzip decompression); split the batch or raise GOLONG_REWARD_BODY_LIMIT',
    ),
  },
  415: {
    description: 'The content type is not application/json, or the Content-Encoding is neither gzip nor identity.',
    example: errorExample(415, 'Unsupported Media Type', 'content type "text/plain" is not supported; send application/json (optionally with Content-Encoding: gzip)'),
  },
  422: {
    description: 'With `on_error=fail`: some samples could not be scored; the message lists them.',
    example: errorExample(422, 'Unprocessable Entity', '1 of 2 samples could not be scored: sample 1: unknown_task (…); drop on_error=fail to score them as 0 (or on_error=<number>)'),
  },
  503: {
    description: 'The service is shutting down, or (scoring routes) too many batches are in progress: retry after the Retry-After header\'s seconds.',
    example: errorExample(503, 'Service Unavailable', 'too many batches in progress (4 scoring, 32 queued); retry after 2 s'),
  },
} as const;

export type ErrorStatus = keyof typeof ERRORS;

/** The documented error responses for `statuses`. */
export function errorResponses(...statuses: ErrorStatus[]): Record<number, JsonSchema> {
  const out: Record<number, JsonSchema> = {};
  for (const status of statuses) {
    const { description, example } = ERRORS[status];
    out[status] = {
      ...documented(ERROR_SCHEMA, description, example),
      ...(status === 503 && { headers: { 'retry-after': { type: 'integer', description: 'Seconds to wait before retrying (load shedding).' } } }),
    };
  }
  return out;
}

/** The POST routes' error responses: every one of them can give each of these. */
export const POST_ERRORS = [400, 401, 413, 415, 503] as const;

// ---- request examples ----

const ROW_ORDER = ['longbench_pro', 'multitableqa_pretraining', 'retrieval_calculate', 'selection', 'EM', 'math_longcot_math_verify', 'model_judge', 'aime', 'math_dapo', 'math_dapo_math_verify'];

/** One verl row of each kind (from rewards/verlExamples.ts, the rows GET /tasks shows) and native items. */
const mixedItems = (): unknown[] => [
  ...ROW_ORDER.map((route, i) => ({ id: `row-${i}`, ...VERL_ROW_EXAMPLES[route]! })),
  { id: 'native-0', task: 'rouge_l', response: 'the cat sat on the mat', reference: ['a cat was sitting on the mat'], options: { language: 'en' } },
  { id: 'native-1', task: 'T3.2 Single-Hop Fact QA', response: '[Answer]\nParis', reference: ['Paris'] },
];

export const SCORE_EXAMPLES: Record<string, NamedExample> = {
  mixed: { summary: 'A verl row of each kind and two native items', value: { items: mixedItems() } },
  advantages: {
    summary: 'Scores and TMN-Reweight advantages in one round trip',
    value: {
      items: [
        { task: 'f1', response: '[Answer]\nParis', reference: ['Paris'], uid: 'q1' },
        { task: 'f1', response: '[Answer]\nLyon', reference: ['Paris'], uid: 'q1' },
        { task: 'accuracy', response: '[Answer]\n42', reference: ['42'], uid: 'q2' },
        { task: 'accuracy', response: '[Answer]\n41', reference: ['42'], uid: 'q2' },
      ],
      advantages: { estimator: 'tmn_grpo', difficulty_reweight: true, difficulty_smooth_alpha: 0.8 },
    },
  },
  details: {
    summary: 'Explanations (details) and a per-item time budget',
    value: { details: true, timeout_ms: 2000, items: [{ task: 'f1', response: '[Answer]\nParis\nLyon', reference: ['Paris', 'Nice'] }] },
  },
  item_errors: {
    summary: 'Bad items get an error each; the rest are scored',
    value: {
      items: [
        { id: 'ok', ...VERL_ROW_EXAMPLES.EM! },
        { id: 'typo', data_source: 'longbench-pro', solution_str: '</think>x', ground_truth: { doc_ids: ['x'], summary: 'English' }, extra_info: {} },
        { id: 'no-gt', data_source: 'EM', solution_str: '</think>Porto' },
      ],
    },
  },
};

export const ADVANTAGES_EXAMPLES: Record<string, NamedExample> = {
  items: {
    summary: 'Samples as objects',
    value: {
      estimator: 'tmn_grpo',
      difficulty_reweight: true,
      difficulty_smooth_alpha: 0.8,
      items: [
        { uid: 'q1', reward_type: 'F1_Score', score: 1 },
        { uid: 'q1', reward_type: 'F1_Score', score: 0 },
        { uid: 'q2', reward_type: 'EM', score: 0.5 },
        { uid: 'q2', reward_type: 'EM', score: 1 },
      ],
    },
  },
  arrays: {
    summary: 'Samples as parallel arrays',
    value: { estimator: 'grpo', uids: ['q1', 'q1', 'q2', 'q2'], reward_types: ['F1_Score', 'F1_Score', 'EM', 'EM'], scores: [1, 0, 0.5, 1] },
  },
};

const CHAT_PROMPT = '<|im_start|>user\nWhich city is at the mouth of the Douro?<|im_end|>\n<|im_start|>assistant\n';

export const OPENRLHF_EXAMPLES: Record<string, NamedExample> = {
  labels: {
    summary: 'Labels as OpenRLHF sends them: JSON strings of a verl row or a native item',
    value: {
      query: [`${CHAT_PROMPT}<think>It flows into the Atlantic at Porto.</think>Porto<|im_end|>`, `${CHAT_PROMPT}Lisbon<|im_end|>`],
      prompts: [CHAT_PROMPT, CHAT_PROMPT],
      labels: [
        JSON.stringify({ data_source: 'EM', ground_truth: { golden_label: 'Porto' }, extra_info: {} }),
        JSON.stringify({ task: 'em', reference: 'Porto' }),
      ],
    },
  },
};

// ---- response examples: what the service answers to the request examples of the same name
// (test/openapiExamples.test.ts posts each request example and compares) ----

export const SCORE_RESPONSE_EXAMPLES: Record<string, NamedExample> = {
  mixed: { summary: "Every item scored", value: {"results": [{"id": "row-0", "score": 1, "reward_type": "F1_Score", "scorer": "f1"}, {"id": "row-1", "score": 1, "reward_type": "multitableqa_pretraining", "scorer": "iou"}, {"id": "row-2", "score": 1, "reward_type": "retrieval_calculate", "scorer": "retrieval_calculate"}, {"id": "row-3", "score": 1, "reward_type": "selection", "scorer": "choice"}, {"id": "row-4", "score": 1, "reward_type": "EM", "scorer": "em"}, {"id": "row-5", "score": 1, "reward_type": "dapo_math_longcot_math_verify", "scorer": "math_verify"}, {"id": "row-6", "score": 1, "reward_type": "model_judge", "scorer": "math_verify"}, {"id": "row-7", "score": 1, "reward_type": "aime2024", "scorer": "math_verify_metric"}, {"id": "row-8", "score": 1, "reward_type": "math_dapo", "scorer": "minerva"}, {"id": "row-9", "score": 1, "reward_type": "math_dapo_math_verify", "scorer": "math_verify"}, {"id": "native-0", "score": 0.6666666618055556, "reward_type": "Summary", "scorer": "rouge_l"}, {"id": "native-1", "score": 1, "reward_type": "Accuracy", "scorer": "accuracy"}], "summary": {"items": 12, "scored": 12, "errors": 0, "by_reward_type": {"F1_Score": {"n": 1, "mean": 1}, "multitableqa_pretraining": {"n": 1, "mean": 1}, "retrieval_calculate": {"n": 1, "mean": 1}, "selection": {"n": 1, "mean": 1}, "EM": {"n": 1, "mean": 1}, "dapo_math_longcot_math_verify": {"n": 1, "mean": 1}, "model_judge": {"n": 1, "mean": 1}, "aime2024": {"n": 1, "mean": 1}, "math_dapo": {"n": 1, "mean": 1}, "math_dapo_math_verify": {"n": 1, "mean": 1}, "Summary": {"n": 1, "mean": 0.6666666618055556}, "Accuracy": {"n": 1, "mean": 1}}}, "semantics": "golongrl-reference"} },
  advantages: { summary: "Scores with advantages and the batch metrics", value: {"results": [{"id": 0, "score": 1, "reward_type": "F1_Score", "scorer": "f1", "advantage": 0.7071057811879616}, {"id": 1, "score": 0, "reward_type": "F1_Score", "scorer": "f1", "advantage": -0.7071057811879616}, {"id": 2, "score": 1, "reward_type": "Accuracy", "scorer": "accuracy", "advantage": 0.7071057811879616}, {"id": 3, "score": 0, "reward_type": "Accuracy", "scorer": "accuracy", "advantage": -0.7071057811879616}], "summary": {"items": 4, "scored": 4, "errors": 0, "by_reward_type": {"F1_Score": {"n": 2, "mean": 0.5}, "Accuracy": {"n": 2, "mean": 0.5}}}, "semantics": "golongrl-reference", "metrics": {"reward_mode/F1_Score/mean_reward": 0.5, "reward_mode/F1_Score/std_reward": 0.5, "reward_mode/F1_Score/mean_std_reward": 0.5, "reward_mode/F1_Score/sqrt_mean_var": 0.7071067811865476, "reward_mode/F1_Score/rate_adv": 0.5, "reward_mode/F1_Score/rate_num": 0.5, "reward_mode/Accuracy/mean_reward": 0.5, "reward_mode/Accuracy/std_reward": 0.5, "reward_mode/Accuracy/mean_std_reward": 0.5, "reward_mode/Accuracy/sqrt_mean_var": 0.7071067811865476, "reward_mode/Accuracy/rate_adv": 0.5, "reward_mode/Accuracy/rate_num": 0.5, "difficulty/mean_pass_rate": 0.5}, "advantages_excluded": []} },
  details: { summary: "A score with its explanation", value: {"results": [{"id": 0, "score": 0.5, "reward_type": "F1_Score", "scorer": "f1", "details": {"metric": "F1_Score", "answer_marker": "[Answer]", "answer_area": "Paris\nLyon", "answers": ["paris", "nice"], "predictions": ["paris", "lyon"], "common": ["paris"], "answer_set_size": 2, "prediction_set_size": 2, "precision": 0.5, "recall": 0.5, "rule": "F1 of the distinct answer lines against the distinct references", "lines": [{"text": "paris", "status": "matched"}, {"text": "lyon", "status": "unmatched"}], "reference_lines": [{"text": "paris", "status": "found"}, {"text": "nice", "status": "missing"}]}}], "summary": {"items": 1, "scored": 1, "errors": 0, "by_reward_type": {"F1_Score": {"n": 1, "mean": 0.5}}}, "semantics": "golongrl-reference"} },
  item_errors: { summary: "Item errors beside a score", value: {"results": [{"id": "ok", "score": 1, "reward_type": "EM", "scorer": "em"}, {"id": "typo", "score": null, "error": {"code": "unknown_data_source", "field": "data_source", "message": "unknown data_source \"longbench-pro\" (did you mean \"longbench_pro\"?); known: MATH##*, aime*, math_dapo, math, math_dapo_reasoning, math_dapo_math_verify, math_longcot, longbench_pro, multitableqa_pretraining, retrieval_calculate, selection, EM, *math_longcot_math_verify*, *model_verify*, *retrieval_summary_calculate*, *model_judge*, *retrieval_model_judge* (x* stands for any data_source starting with x, e.g. \"aime2024\") (*x* stands for any data_source containing x, e.g. \"dapo_math_longcot_math_verify\")"}}, {"id": "no-gt", "score": null, "error": {"code": "bad_ground_truth", "field": "ground_truth", "message": "ground_truth is missing. \"EM\" rows need ground_truth {\"golden_label\": \"<answer>\"} (a list: its last element is used)"}}], "summary": {"items": 3, "scored": 1, "errors": 2, "by_reward_type": {"EM": {"n": 1, "mean": 1}}}, "semantics": "golongrl-reference"} },
};

export const ADVANTAGES_RESPONSE_EXAMPLES: Record<string, NamedExample> = {
  items: { summary: "Advantages and metrics", value: {"advantages": [0.7071057811879616, -0.7071057811879616, -0.7071047811922043, 0.7071047811922043], "metrics": {"reward_mode/F1_Score/mean_reward": 0.5, "reward_mode/F1_Score/std_reward": 0.5, "reward_mode/F1_Score/mean_std_reward": 0.5, "reward_mode/F1_Score/sqrt_mean_var": 0.7071067811865476, "reward_mode/F1_Score/rate_adv": 0.6666666666666666, "reward_mode/F1_Score/rate_num": 0.5, "reward_mode/EM/mean_reward": 0.75, "reward_mode/EM/std_reward": 0.25, "reward_mode/EM/mean_std_reward": 0.25, "reward_mode/EM/sqrt_mean_var": 0.3535533905932738, "reward_mode/EM/rate_adv": 0.3333333333333333, "reward_mode/EM/rate_num": 0.5, "difficulty/mean_pass_rate": 0.5}} },
  arrays: { summary: "The same from parallel arrays (grpo)", value: {"advantages": [0.7071057811879616, -0.7071057811879616, -0.7071047811922043, 0.7071047811922043], "metrics": {"reward_mode/F1_Score/mean_reward": 0.5, "reward_mode/F1_Score/std_reward": 0.5, "reward_mode/F1_Score/mean_std_reward": 0.5, "reward_mode/F1_Score/sqrt_mean_var": 0.7071067811865476, "reward_mode/F1_Score/rate_adv": 0.6666666666666666, "reward_mode/F1_Score/rate_num": 0.5, "reward_mode/EM/mean_reward": 0.75, "reward_mode/EM/std_reward": 0.25, "reward_mode/EM/mean_std_reward": 0.25, "reward_mode/EM/sqrt_mean_var": 0.3535533905932738, "reward_mode/EM/rate_adv": 0.3333333333333333, "reward_mode/EM/rate_num": 0.5}} },
};

export const OPENRLHF_RESPONSE_EXAMPLES: Record<string, NamedExample> = {
  labels: { summary: "One reward per sample", value: {"rewards": [1, 0], "scores": [1, 0], "extra_logs": {"golong_item_error": [0, 0], "golong_prompt_not_prefix": [0, 0]}, "results": [{"id": 0, "score": 1, "reward_type": "EM", "scorer": "em"}, {"id": 1, "score": 0, "reward_type": "EM", "scorer": "em"}], "semantics": "golongrl-reference"} },
};

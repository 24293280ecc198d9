// GET /batches/recent: the last batch summaries kept in memory (the reward debugger's live view).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BatchLog } from '../batchLog.js';
import { documented, errorResponses, withoutUnsafeIntegerBounds } from '../schemas/openapiDocs.js';

const querySchema = z.strictObject({
  after: z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be 0 or more' })
    .optional()
    .describe('Only batches with a larger `seq` (the live view passes the last one it has).'),
  limit: z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .optional()
    .describe('At most this many (the newest); default all that are kept.'),
});

const batchSchema = z.object({
  seq: z.number().int().describe('Sequence number since the service started.'),
  time: z.string().describe('When the batch finished scoring (ISO 8601).'),
  route: z.enum(['/score', '/openrlhf/reward']),
  origin: z.enum(['client', 'debugger']).describe('"debugger" for the reward debugger\'s own requests (header X-Golong-Origin: debugger).'),
  items: z.number().int(),
  scored: z.number().int(),
  errors: z.number().int(),
  duration_ms: z.number().describe('Scoring time of the batch, after it got its turn.'),
  by_reward_type: z.record(z.string(), z.object({ n: z.number().int(), mean: z.number() })).meta({ example: { F1_Score: { n: 1210, mean: 0.412 } } }),
  error_codes: z.record(z.string(), z.number().int()).describe('Item errors by code.').meta({ example: { bad_ground_truth: 2 } }),
});

const responseSchema = z.object({
  capacity: z.number().int().describe('How many batch summaries the service keeps (GOLONG_REWARD_RECENT_BATCHES).'),
  batches: z.array(batchSchema).describe('Oldest first.'),
});

const RESPONSE_EXAMPLE = {
  capacity: 200,
  batches: [
    {
      seq: 41,
      time: '2026-11-30T03:12:09.412Z',
      route: '/score',
      origin: 'client',
      items: 2048,
      scored: 2046,
      errors: 2,
      duration_ms: 912.4,
      by_reward_type: { F1_Score: { n: 1210, mean: 0.412 }, Summary: { n: 203, mean: 0.231 }, EM: { n: 633, mean: 0.58 } },
      error_codes: { bad_ground_truth: 2 },
    },
  ],
};

export async function batchesRoutes(app: FastifyInstance, { batches }: { batches: BatchLog }): Promise<void> {
  app.get<{ Querystring: z.infer<typeof querySchema> }>(
    '/batches/recent',
    {
      schema: {
        summary: 'Recent batch summaries (the reward debugger\'s live view)',
        description:
          'The last N batches scored by POST /score and POST /openrlhf/reward, kept in memory: time, items, duration, per reward type the count ' +
          'and mean score, item errors by code. Never any rollout text. Per-reward-type mean-reward curves over these are the trainer\'s reward curves as the service sees them.',
        tags: ['operations'],
        querystring: withoutUnsafeIntegerBounds(z.toJSONSchema(querySchema, { target: 'openapi-3.0', io: 'input' })),
        response: {
          200: documented(z.toJSONSchema(responseSchema, { target: 'openapi-3.0' }) as Record<string, unknown>, 'The kept batch summaries, oldest first, and how many the service keeps.', {
            recent: { summary: 'One batch kept', value: RESPONSE_EXAMPLE },
          }),
          ...errorResponses(400, 401, 503),
        },
      },
      validatorCompiler: () => (data: unknown) => {
        const parsed = querySchema.safeParse(data);
        if (parsed.success) return { value: parsed.data };
        const issue = parsed.error.issues[0]!;
        const field = issue.path.join('.');
        const message = issue.code === 'unrecognized_keys' ? `unknown query parameter ${issue.keys.join(', ')} (known: after, limit)` : `${field} ${issue.message}`;
        return { error: Object.assign(new Error(message), { statusCode: 400, code: 'FST_ERR_VALIDATION' }) };
      },
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => ({ capacity: batches.capacity, batches: batches.recent(request.query.after, request.query.limit) }),
  );
}

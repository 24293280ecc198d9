// POST /advantages: advantages and batch metrics for scores the trainer already has.
// The estimators are O(n) float64 arithmetic, so they run on the event loop rather than in the
// scoring worker pool: for 100k samples the estimator takes ~30-70 ms and the whole request
// (JSON parse, zod validation, estimator, serialisation) ~0.3 s on 2 shared cores.
import type {} from '@fastify/swagger'; // adds summary/tags to route schemas
import type { FastifyInstance } from 'fastify';
import { AdvantageInputError, computeAdvantages, uidKey, type AdvantageOutput } from '../../rewards/advantages/index.js';
import {
  advantagesBodyFields,
  advantagesBodyJsonSchema,
  advantagesBodySchema,
  advantagesResponseJsonSchema,
  describeIssues,
  type AdvantagesBody,
} from '../schemas/advantages.js';
import { errorResponses, POST_ERRORS } from '../schemas/openapiDocs.js';
import { rejectQueryParameters } from './noQuery.js';

/** A 400 the server's error handler passes through with this message. */
function badRequest(message: string): Error & { statusCode: number; code: string } {
  return Object.assign(new Error(message), { statusCode: 400, code: 'FST_ERR_VALIDATION' });
}

/** The body in parallel-array form, whichever form it came in; uids as strings. */
function columns(body: AdvantagesBody): { uids: string[]; rewardTypes: string[]; scores: number[] } {
  if (body.items) {
    return {
      uids: body.items.map((it) => uidKey(it.uid)!),
      rewardTypes: body.items.map((it) => it.reward_type),
      scores: body.items.map((it) => it.score),
    };
  }
  return { uids: body.uids!.map((u) => uidKey(u)!), rewardTypes: body.reward_types!, scores: body.scores! };
}

export async function advantagesRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: AdvantagesBody; Reply: AdvantageOutput }>(
    '/advantages',
    {
      schema: {
        summary: 'Advantages (GRPO, Dr. GRPO, QwenLong, TMN-Reweight) for known scores',
        description:
          'Runs one advantage estimator over a batch of already-scored samples and returns one advantage per sample in input order, ' +
          'plus the per-reward-type batch metrics the reference trainer logs. Samples are grouped by uid (prompt); every sample of a ' +
          'group must have the same reward_type.',
        tags: ['advantages'],
        body: advantagesBodyJsonSchema,
        response: { 200: advantagesResponseJsonSchema, ...errorResponses(...POST_ERRORS) },
      },
      onRequest: rejectQueryParameters(Object.keys(advantagesBodySchema.shape)),
      // Validation runs through zod so that a 400 names the field in a plain sentence.
      validatorCompiler: () => (data: unknown) => {
        const parsed = advantagesBodySchema.safeParse(data);
        return parsed.success ? { value: parsed.data } : { error: badRequest(describeIssues(parsed.error.issues, advantagesBodyFields)) };
      },
    },
    async (request) => {
      const body = request.body;
      const params = {
        difficulty_reweight: body.difficulty_reweight,
        difficulty_smooth_alpha: body.difficulty_smooth_alpha,
        difficulty_gamma: body.difficulty_gamma,
        norm_adv_by_task_scale: body.norm_adv_by_task_scale,
      };
      try {
        return computeAdvantages({ estimator: body.estimator, ...columns(body), params });
      } catch (err) {
        // Left for the library: a group mixing reward types, a parameter the estimator does not take.
        if (err instanceof AdvantageInputError) throw badRequest(err.message);
        throw err;
      }
    },
  );
}

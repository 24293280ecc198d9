// POST /score: a batch of verl rows and native items, scored on the worker pool, results in
// request order; optionally with advantages in the same round trip.
import type {} from '@fastify/swagger'; // adds summary/tags to route schemas
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AdvantageInputError, advantagesForScored } from '../../rewards/advantages/index.js';
import { PENALTY_SEMANTICS_SUFFIX, SEMANTICS, type ItemResult } from '../../rewards/index.js';
import { auditCounts, type AuditCounts } from '../auditCounts.js';
import { admissionHook, admissionTurn, type Admission } from '../admission.js';
import { batchOrigin, countErrorCodes, summarizeBatch, type BatchLog } from '../batchLog.js';
import { itemCount, type ParsedBatch } from '../batchParse.js';
import { readBodyBlocks } from '../bodyBlocks.js';
import type { Config } from '../config.js';
import type { ScoringPool } from '../pool.js';
import { emptyJsonResults, type JsonResults } from '../workerProtocol.js';
import { errorResponses, POST_ERRORS } from '../schemas/openapiDocs.js';
import { SCORE_BODY_FIELDS, scoreBodyJsonSchema, scoreResponseJsonSchema, type AdvantagesOption } from '../schemas/score.js';
import type { ServiceMetrics } from './metrics.js';
import { rejectQueryParameters } from './noQuery.js';

export interface ScoreRouteDeps {
  config: Config;
  pool: ScoringPool;
  admission: Admission;
  metrics: ServiceMetrics;
  batches: BatchLog;
}

type Id = string | number;
type ResultOut = ItemResult & { id: Id; advantage?: number | null };

interface ScoreResponse {
  results: ResultOut[];
  summary: { items: number; scored: number; errors: number; by_reward_type: Record<string, { n: number; mean: number }>; audit?: AuditCounts };
  semantics: string;
  metrics?: Record<string, number>;
  advantages_excluded?: { index: number; reason: string }[];
  advantages_error?: { message: string; field?: string };
}


/** Adds the advantages (or why there are none) to the response; each result text gets its `advantage`. */
function addAdvantages(response: Omit<ScoreResponse, 'results'>, json: JsonResults, uids: readonly unknown[], option: AdvantagesOption): void {
  try {
    const out = advantagesForScored(
      uids.map((uid, i) => ({
        uid,
        ...(json.rewardTypes[i] !== '' && { reward_type: json.rewardTypes[i] }),
        score: Number.isNaN(json.scores[i]!) ? null : json.scores[i]!,
      })),
      option,
    );
    // A result text is a JSON object: the advantage goes in as its last field.
    json.texts.forEach((text, i) => (json.texts[i] = `${text.slice(0, -1)},"advantage":${JSON.stringify(out.advantages[i] ?? null)}}`));
    response.metrics = out.metrics;
    response.advantages_excluded = out.excluded;
  } catch (err) {
    // Scores were computed; a bad estimator input must not throw them away.
    if (!(err instanceof AdvantageInputError)) throw err;
    response.advantages_error = { message: err.message, ...(err.field !== undefined && { field: err.field }) };
  }
}

export async function scoreRoutes(app: FastifyInstance, { config, pool, admission, metrics, batches }: ScoreRouteDeps): Promise<void> {
  // In this scope only: JSON bodies are parsed and validated (zod) on a worker thread.
  app.removeContentTypeParser('application/json');
  const limits = { maxItems: config.maxItems, maxItemTimeoutMs: config.maxItemTimeoutMs, maxResponseChars: config.maxResponseChars };
  app.addContentTypeParser('application/json', async (request: FastifyRequest, payload: NodeJS.ReadableStream) => {
    const parsed = await pool.parseBody(await readBodyBlocks(request, payload, config.bodyLimitBytes), limits);
    if (!parsed.ok) throw Object.assign(new Error(parsed.message), { statusCode: 400, code: parsed.code });
    return parsed;
  });

  app.post<{ Body: ParsedBatch; Reply: ScoreResponse | string }>(
    '/score',
    {
      schema: {
        summary: 'Score a batch of rollouts',
        description:
          'Scores verl rows ({data_source, solution_str, ground_truth, extra_info}) and native items ({task, response, reference, options}), ' +
          'mixed in one batch, on a worker-thread pool. Results keep the request order and carry the item\'s id (or its index). ' +
          'A bad item never fails the batch: it gets score null and an error {code, message}, also when the item alone is not valid JSON. ' +
          'Accepts Content-Encoding: gzip.',
        tags: ['scoring'],
        body: scoreBodyJsonSchema(config),
        response: { 200: scoreResponseJsonSchema, ...errorResponses(...POST_ERRORS) },
      },
      onRequest: [rejectQueryParameters(SCORE_BODY_FIELDS), admissionHook(admission, config.retryAfterSeconds)],
      // Already validated with zod by the parser (src/batchParse.ts); the JSON Schema above documents it.
      validatorCompiler: () => (data: unknown) => ({ value: data }),
      // Results carry free-form details; plain JSON.stringify is both correct and fast here.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request, reply) => {
      const { packed, details, timeoutMs, advantages, audit, auditPenalty } = request.body;
      const n = itemCount(packed);
      const signal = await admissionTurn(request, reply);
      if (!signal) return reply; // the client left while queued
      const started = performance.now();

      // The workers parse and check each item (not valid JSON, response over the size limit)
      // and send each result back as JSON with its id (the item's, else its index).
      const uids: unknown[] | undefined = advantages ? new Array(n) : undefined;
      const json = emptyJsonResults(n, audit);
      await pool.scoreBatch(
        packed,
        Array.from({ length: n }, (_, i) => i),
        {
          details,
          timeoutMs: timeoutMs ?? config.itemTimeoutMs,
          signal,
          maxResponseChars: config.maxResponseChars,
          json,
          ...(uids && { uids }),
          ...(audit && { audit, ...(auditPenalty && { auditPenalty }) }),
        },
      );
      if (signal.aborted) {
        request.log.info({ items: n }, 'client disconnected; batch abandoned');
        return reply;
      }

      const rest: Omit<ScoreResponse, 'results'> = { summary: summarizeBatch(json.scores, json.rewardTypes), semantics: auditPenalty ? SEMANTICS + PENALTY_SEMANTICS_SUFFIX : SEMANTICS };
      if (json.auditFlags) rest.summary.audit = auditCounts(json.rewardTypes, json.scorers!, json.auditFlags);
      if (advantages) addAdvantages(rest, json, uids!, advantages);
      const body = `{"results":[${json.texts.join(',')}],${JSON.stringify(rest).slice(1)}`;

      const seconds = (performance.now() - started) / 1000;
      metrics.recordCounts(json.rewardTypes, json.errorCodes, json.scores);
      if (rest.summary.audit) metrics.recordAudit(rest.summary.audit);
      metrics.batchDuration.observe(seconds);
      metrics.batchItems.observe(n);
      batches.add({ route: '/score', origin: batchOrigin(request.headers), ...rest.summary, duration_ms: Math.round(seconds * 1e4) / 10, error_codes: countErrorCodes(json.errorCodes) });
      request.log.info({ items: n, errors: rest.summary.errors, ms: Math.round(seconds * 1000) }, 'batch scored');
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
}

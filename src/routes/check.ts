// POST /check: the dataset doctor over HTTP. Dataset rows (no responses) are parsed on a worker
// thread and checked in chunks on the scoring pool, never on the event loop; admission and load
// shedding are /score's (the same pool does the work). The answer lists the rows with a problem
// and counts per data source and LongBench-Pro sub-task.
import type {} from '@fastify/swagger'; // adds summary/tags to route schemas
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SEMANTICS } from '../../rewards/index.js';
import { CheckSummary, problemLine, type CheckSummaryData, type ProblemLine } from '../../rewards/ideal/index.js';
import { admissionHook, admissionTurn, type Admission } from '../admission.js';
import { itemCount, type ParsedCheck } from '../batchParse.js';
import { readBodyBlocks } from '../bodyBlocks.js';
import type { Config } from '../config.js';
import type { ScoringPool } from '../pool.js';
import { CHECK_BODY_FIELDS, checkBodyJsonSchema, checkResponseJsonSchema } from '../schemas/check.js';
import { errorResponses, POST_ERRORS } from '../schemas/openapiDocs.js';
import { rejectQueryParameters } from './noQuery.js';
import type { ServiceMetrics } from './metrics.js';

export interface CheckRouteDeps {
  config: Config;
  pool: ScoringPool;
  admission: Admission;
  metrics: ServiceMetrics;
}

interface CheckResponse {
  problems: ProblemLine[];
  summary: CheckSummaryData;
  semantics: string;
}

export async function checkRoutes(app: FastifyInstance, { config, pool, admission, metrics }: CheckRouteDeps): Promise<void> {
  // In this scope only: the body is parsed and validated (zod) on a worker thread, as /score's is.
  app.removeContentTypeParser('application/json');
  const limits = { maxItems: config.maxItems, maxItemTimeoutMs: config.maxItemTimeoutMs, maxResponseChars: config.maxResponseChars };
  app.addContentTypeParser('application/json', async (request: FastifyRequest, payload: NodeJS.ReadableStream) => {
    const parsed = await pool.parseBody(await readBodyBlocks(request, payload, config.bodyLimitBytes), limits, 'check');
    if (!parsed.ok) throw Object.assign(new Error(parsed.message), { statusCode: 400, code: parsed.code });
    return parsed;
  });

  app.post<{ Body: ParsedCheck; Reply: CheckResponse }>(
    '/check',
    {
      schema: {
        summary: 'Check a dataset before training',
        description:
          'The dataset doctor. For every verl dataset row (no responses needed): routes it as /score does, checks the ground truth\'s shape ' +
          '(where the reference raises, which exception and why), and scores an ideal response built from the ground truth ' +
          '(GET /tasks says how, per scorer). Every row whose ideal response scores below the scorer\'s best, or whose ground truth is odd, ' +
          'is listed with a problem code and the reason in words; fine rows are only counted. Rows are checked in chunks on the worker pool; ' +
          'admission and load shedding are those of /score. Post big datasets in chunks (at most GOLONG_REWARD_MAX_ITEMS rows each).',
        tags: ['scoring'],
        body: checkBodyJsonSchema(config),
        response: { 200: checkResponseJsonSchema, ...errorResponses(...POST_ERRORS) },
      },
      onRequest: [rejectQueryParameters(CHECK_BODY_FIELDS), admissionHook(admission, config.retryAfterSeconds)],
      // Validated with zod by the parser (src/batchParse.ts); the JSON Schema above documents it.
      validatorCompiler: () => (data: unknown) => ({ value: data }),
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request, reply) => {
      const { packed, timeoutMs, includeIdeal } = request.body;
      const n = itemCount(packed);
      const signal = await admissionTurn(request, reply);
      if (!signal) return reply; // the client left while queued
      const started = performance.now();
      const checks = await pool.checkBatch(
        packed,
        Array.from({ length: n }, (_, i) => i),
        { timeoutMs: timeoutMs ?? config.itemTimeoutMs, signal, includeIdeal },
      );
      if (signal.aborted) {
        request.log.info({ rows: n }, 'client disconnected; check abandoned');
        return reply;
      }
      const summary = new CheckSummary();
      const problems: ProblemLine[] = [];
      checks.forEach((check, i) => {
        summary.add(check);
        const line = problemLine(check, i);
        if (line) problems.push(line);
      });
      const data = summary.data();
      metrics.recordCheck(n, data.by_code);
      request.log.info({ rows: n, with_problems: data.with_problems, ms: Math.round(performance.now() - started) }, 'dataset checked');
      return { problems, summary: data, semantics: SEMANTICS };
    },
  );
}

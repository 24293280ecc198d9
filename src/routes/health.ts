// Liveness and readiness. Both stay open when auth is on (probes carry no token).
import type { FastifyInstance } from 'fastify';
import type { ScoringPool } from '../pool.js';
import { documented, errorResponses } from '../schemas/openapiDocs.js';

export interface HealthState {
  /** Set on SIGTERM/SIGINT: readiness fails so that load balancers stop sending work. */
  draining: boolean;
}

const statusSchema = {
  type: 'object',
  properties: { status: { type: 'string', example: 'ready' }, workers: { type: 'integer', description: 'Scoring worker threads.', example: 2 } },
  required: ['status'],
};

export async function healthRoutes(app: FastifyInstance, { pool, state }: { pool: ScoringPool; state: HealthState }): Promise<void> {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness',
        description: 'Answers as long as the event loop runs (scoring happens on worker threads). Open without a token.',
        tags: ['operations'],
        security: [],
        response: { 200: documented(statusSchema, 'The process is alive.', { ok: { summary: 'Alive', value: { status: 'ok' } } }), ...errorResponses(503) },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness',
        description:
          '200 once every scoring worker has loaded its dictionaries (jieba) and math code; 503 while starting and while draining on shutdown. Open without a token.',
        tags: ['operations'],
        security: [],
        response: {
          200: documented(statusSchema, 'Every scoring worker is warm: send work.', { ready: { summary: 'Ready', value: { status: 'ready', workers: 2 } } }),
          503: documented(statusSchema, 'Starting (workers still loading) or draining (shutting down): send no work.', {
            starting: { summary: 'Starting', value: { status: 'starting', workers: 2 } },
            draining: { summary: 'Draining', value: { status: 'draining', workers: 2 } },
          }),
        },
      },
    },
    async (_request, reply) => {
      const workers = pool.stats().threads;
      if (state.draining) return reply.code(503).send({ status: 'draining', workers });
      if (!pool.ready) return reply.code(503).send({ status: 'starting', workers });
      return { status: 'ready', workers };
    },
  );
}

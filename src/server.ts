// The HTTP service: fastify with auth, gzip bodies, error mapping (never a 500 for client input),
// metrics, OpenAPI, and the scoring worker pool behind /score and /check.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { Transform, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { SEMANTICS } from '../rewards/index.js';
import { didYouMean } from '../rewards/suggest.js';
import { Admission } from './admission.js';
import { BatchLog, summarizeResults } from './batchLog.js';
import { jsonBodyParser, notGzipHint } from './bodyHints.js';
import { formatBytes, type Config } from './config.js';
import { ScoringPool } from './pool.js';
import { advantagesRoutes } from './routes/advantages.js';
import { batchesRoutes } from './routes/batches.js';
import { checkRoutes } from './routes/check.js';
import { healthRoutes, type HealthState } from './routes/health.js';
import { metricsRoutes, ServiceMetrics } from './routes/metrics.js';
import { openrlhfRoutes, poolScoreItems } from './routes/openrlhf.js';
import { scoreRoutes } from './routes/score.js';
import { tasksRoutes } from './routes/tasks.js';
import { isUiPath, uiRoutes } from './routes/ui.js';

/** Routes that stay open when a token is set: orchestrators probe them without credentials. */
const PROBE_PATHS = new Set(['/healthz', '/readyz']);

/**
 * The API documentation holds no data, and a browser cannot send a bearer token to open it (so
 * Swagger UI's Authorize button would never be reached): open unless GOLONG_REWARD_PROTECT_DOCS.
 */
export const isDocsPath = (path: string): boolean => path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/');

/** Paths whose requests are logged at debug: probes and scrapes arrive every few seconds. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** fastify's request lines ("incoming request", "request completed"), at debug for probes and scrapes. */
class QuietProbesLogController extends LogController {
  private static quiet(request: FastifyRequest): boolean {
    return QUIET_PATHS.has(request.url.split('?', 1)[0]!);
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    if (QuietProbesLogController.quiet(request)) request.log.debug({ req: request }, 'incoming request');
    else super.incomingRequest(request, reply);
  }

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    if (!error && QuietProbesLogController.quiet(request)) reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
    else super.requestCompleted(error, request, reply);
  }
}

export interface Service {
  config: Config;
  pool: ScoringPool;
  state: HealthState;
  metrics: ServiceMetrics;
}

declare module 'fastify' {
  interface FastifyInstance {
    service: Service;
  }
}

export interface BuildOptions {
  /** Start the worker threads when the server is ready (false for generating the OpenAPI file). */
  startWorkers?: boolean;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time token check: equal-length digests, so neither content nor length leaks. */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

type HttpError = Error & { statusCode: number };
const httpError = (statusCode: number, message: string, code?: string): HttpError => Object.assign(new Error(message), { statusCode, code });

/** Decompresses a gzip body, stopping (413) as soon as the decompressed size passes the limit. */
function gunzipLimited(payload: NodeJS.ReadableStream, limit: number): Transform & { receivedEncodedLength?: number } {
  let out = 0;
  const limiter: Transform & { receivedEncodedLength?: number } = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      out += chunk.length;
      if (out > limit) callback(httpError(413, 'body too large', 'FST_ERR_CTP_BODY_TOO_LARGE'));
      else callback(null, chunk);
    },
  });
  // fastify compares Content-Length with the bytes received on the wire, not the decompressed size.
  limiter.receivedEncodedLength = 0;
  let first = true;
  payload.on('data', (chunk: Buffer) => {
    limiter.receivedEncodedLength! += chunk.length;
    // Plain JSON sent with Content-Encoding: gzip: say so, rather than zlib's "incorrect header check".
    const hint = first ? notGzipHint(chunk) : undefined;
    first = false;
    if (hint) limiter.destroy(httpError(400, `body is not valid gzip data: ${hint}`, 'GOLONG_NOT_GZIP'));
  });
  pipeline(payload, createGunzip(), limiter, () => {});
  return limiter;
}

/** Status and plain message for any error fastify or a route raised. */
function describeError(err: FastifyError, request: FastifyRequest, config: Config): { status: number; message: string } {
  const code = err.code ?? '';
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        message: `request body is larger than the limit of ${formatBytes(config.bodyLimitBytes)} (${config.bodyLimitBytes} bytes, counted after gzip decompression); split the batch or raise GOLONG_REWARD_BODY_LIMIT`,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = request.headers['content-type'];
      const curl = type?.startsWith('application/x-www-form-urlencoded') ? " (curl -d sends that type unless told otherwise: add -H 'Content-Type: application/json')" : '';
      return {
        status: 415,
        message: `content type ${JSON.stringify(type ?? '(none)')} is not supported${curl}; send application/json (optionally with Content-Encoding: gzip)`,
      };
    }
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, message: 'Content-Length does not match the length of the body' };
    case 'FST_ERR_VALIDATION':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, message: err.message };
  }
  if (code.startsWith('Z_')) return { status: 400, message: `body is not valid gzip data: ${err.message}` };
  const status = err.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, message: err.message };
  return { status: 500, message: `internal error (request id ${request.id}); this is a bug in the service, not in the request` };
}

export function buildServer(config: Config, { startWorkers = true }: BuildOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Never log credentials; bodies are never logged (requests are logged with method, url and status only).
      redact: ['req.headers.authorization'],
    },
    logController: new QuietProbesLogController(),
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  const pool = new ScoringPool(config, { onWorkerLost: (reason) => metrics.workersLost.inc({ reason }) });
  const admission = new Admission(config.maxConcurrentBatches, config.maxQueuedBatches);
  const metrics = new ServiceMetrics(pool, admission);
  const batches = new BatchLog(config.recentBatches);
  const state: HealthState = { draining: false };
  app.decorate('service', { config, pool, state, metrics });

  // JSON only (fastify would also accept text/plain). Plain JSON.parse: its SyntaxError says what is
  // wrong, and "__proto__" keys stay inert own properties (the envelope schema is strict; items are only read).
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBodyParser(JSON.parse));

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const path = request.url.split('?', 1)[0]!;
    if (config.token === undefined) return;
    // The reward debugger's static page carries no data either; it asks for the token before its data calls.
    if (PROBE_PATHS.has(path) || isUiPath(path) || (!config.protectDocs && isDocsPath(path))) return;
    const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
    if (match && tokenMatches(match[1]!, config.token)) return;
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="golong-reward"')
      .send({ statusCode: 401, error: 'Unauthorized', message: match ? 'the bearer token is not valid' : 'missing Authorization: Bearer <token> header' });
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding === 'identity') return payload;
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipLimited(payload, config.bodyLimitBytes);
    throw httpError(415, `Content-Encoding ${JSON.stringify(encoding)} is not supported; send the body uncompressed or with gzip`);
  });

  // While draining, responses close their connection: server.close() only waits for connections,
  // and a keep-alive one would otherwise outlive the last in-flight batch.
  app.addHook('onSend', async (_request, reply) => {
    if (state.draining) reply.header('connection', 'close');
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.requestDuration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });

  // Every route as "METHOD /path", for the 404 message (collected as routes are added).
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true && route.url !== '/openapi.json' && route.url !== '/docs';
    if (hidden || route.url.includes('*') || /^\/docs\/./.test(route.url)) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    const sameUrl = routes.filter((r) => r.url === path).map((r) => r.method);
    const urls = [...new Set(routes.map((r) => r.url))];
    const hint = sameUrl.length > 0 ? `; ${path} takes ${sameUrl.join(' or ')}` : didYouMean(path, urls);
    const list = routes.map((r) => `${r.method} ${r.url}`).join(', ');
    return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${path}${hint}; routes: ${list}` });
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { status, message } = describeError(err, request, config);
    if (status >= 500) request.log.error({ err }, 'request failed');
    // The message can quote the body (JSON syntax errors do); only debug logs may carry it.
    else request.log.info({ statusCode: status, code: err.code }, 'request rejected');
    request.log.debug({ message }, 'rejection message');
    return reply.code(status).send({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message });
  });

  app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'golong-reward',
        version: '0.1.0',
        description:
          `Verifiable rewards for long-context RL (GoLongRL's scorers and TMN-Reweight advantages), semantics "${SEMANTICS}". ` +
          'When the service runs with GOLONG_REWARD_TOKEN set, every data route needs `Authorization: Bearer <token>` (press Authorize and paste the token); ' +
          '/healthz, /readyz and this documentation (/docs, /openapi.json) stay open unless GOLONG_REWARD_PROTECT_DOCS is set. ' +
          'Each operation\'s examples run as they stand ("Try it out" starts from the first one). GET /tasks lists every task and data source, with the ground truth each expects.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'scoring', description: 'Rewards' },
        { name: 'advantages', description: 'Advantage estimators' },
        { name: 'operations', description: 'Health, readiness, metrics' },
      ],
    },
  });
  app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true, displayRequestDuration: true } });
  app.register(async (scope) => {
    scope.get('/openapi.json', { schema: { hide: true } }, async () => scope.swagger());
  });

  app.register(scoreRoutes, { config, pool, admission, metrics, batches });
  app.register(advantagesRoutes);
  app.register(openrlhfRoutes, {
    scoreItems: poolScoreItems(pool, config.itemTimeoutMs),
    maxItems: config.maxItems,
    maxResponseChars: config.maxResponseChars,
    onResults: (results, seconds) => {
      metrics.recordResults(results);
      batches.add({ route: '/openrlhf/reward', origin: 'client', duration_ms: Math.round(seconds * 1e4) / 10, ...summarizeResults(results) });
    },
    admission: { admission, retryAfterSeconds: config.retryAfterSeconds },
  });
  app.register(tasksRoutes);
  app.register(checkRoutes, { config, pool, admission, metrics });
  app.register(healthRoutes, { pool, state });
  app.register(metricsRoutes, { metrics });
  app.register(batchesRoutes, { batches });
  app.register(uiRoutes);

  if (startWorkers) {
    app.addHook('onReady', async () => {
      pool.start();
      void pool.whenReady().then(() => app.log.info({ workers: config.workers }, 'scoring workers warm'));
    });
  }
  app.addHook('onClose', async () => {
    metrics.stop();
    await pool.close();
  });
  return app;
}

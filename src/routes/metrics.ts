// Prometheus metrics: one registry per server instance, exposed at GET /metrics.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ItemResult } from '../../rewards/index.js';
import { auditCountsOfResults, type AuditCounts } from '../auditCounts.js';
import type { Admission } from '../admission.js';
import type { ScoringPool } from '../pool.js';
import { errorResponses } from '../schemas/openapiDocs.js';

const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Score buckets: exact zeros (the think gate, wrong answers), tenths, and near-perfect. */
const SCORE_BUCKETS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99, 1];

/**
 * golong_reward_item_score: a Prometheus histogram by reward type, counted here and exposed through
 * the registry. prom-client's Histogram.observe() hashes its labels on every call, which cost
 * ~10 µs per score: 80+ ms on the event loop for an 8,192-item batch; this is an array increment.
 */
class ScoreHistogram {
  readonly name = 'golong_reward_item_score';
  readonly help = 'Scores of scored items (in [0, 1]), by reward type.';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly byType = new Map<string, { buckets: Float64Array; sum: number; count: number }>();

  constructor(registry: Registry) {
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  observe(rewardType: string, score: number): void {
    let h = this.byType.get(rewardType);
    if (!h) this.byType.set(rewardType, (h = { buckets: new Float64Array(SCORE_BUCKETS.length), sum: 0, count: 0 }));
    for (let b = 0; b < SCORE_BUCKETS.length; b++) if (score <= SCORE_BUCKETS[b]!) h.buckets[b]!++;
    h.sum += score;
    h.count++;
  }

  get() {
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    for (const [reward_type, h] of this.byType) {
      SCORE_BUCKETS.forEach((le, b) => values.push({ metricName: `${this.name}_bucket`, labels: { le, reward_type }, value: h.buckets[b]! }));
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', reward_type }, value: h.count });
      values.push({ metricName: `${this.name}_sum`, labels: { reward_type }, value: h.sum });
      values.push({ metricName: `${this.name}_count`, labels: { reward_type }, value: h.count });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  reset(): void {
    this.byType.clear();
  }
}

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'golong_reward_http_requests_total',
    help: 'HTTP requests by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'golong_reward_http_request_duration_seconds',
    help: 'HTTP request latency by route.',
    labelNames: ['route', 'method'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly batchDuration = new Histogram({
    name: 'golong_reward_batch_duration_seconds',
    help: 'Time to score one /score batch (after it got its turn).',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly batchItems = new Histogram({
    name: 'golong_reward_batch_items',
    help: 'Items per /score batch.',
    buckets: [1, 16, 128, 1024, 4096, 8192, 16384, 65536, 100000],
    registers: [this.registry],
  });
  readonly items = new Counter({
    name: 'golong_reward_items_scored_total',
    help: 'Items scored, by reward type.',
    labelNames: ['reward_type'] as const,
    registers: [this.registry],
  });
  readonly itemErrors = new Counter({
    name: 'golong_reward_item_errors_total',
    help: 'Item errors, by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  /** Scores by reward type: mean reward per task over time is rate(_sum) / rate(_count); le="0" counts the zeros. */
  readonly scores = new ScoreHistogram(this.registry);
  readonly timeouts = new Counter({
    name: 'golong_reward_item_timeouts_total',
    help: 'Items that exceeded their time budget.',
    registers: [this.registry],
  });
  readonly checkRows = new Counter({
    name: 'golong_reward_check_rows_total',
    help: 'Dataset rows checked by POST /check.',
    registers: [this.registry],
  });
  readonly checkProblems = new Counter({
    name: 'golong_reward_check_problems_total',
    help: 'Dataset rows POST /check reported, by their first problem code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly workersLost = new Counter({
    name: 'golong_reward_workers_replaced_total',
    help: 'Worker threads terminated (hung item) or crashed, and replaced.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly auditFlags = new Counter({
    name: 'golong_reward_audit_flags_total',
    help: 'Items the reward-hacking audit flagged (requests with audit on), by reward type and flag.',
    labelNames: ['reward_type', 'flag'] as const,
    registers: [this.registry],
  });
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });

  constructor(pool: ScoringPool, admission: Admission) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.loopDelay.enable();
    const loopDelay = this.loopDelay;
    new Gauge({
      name: 'golong_reward_batches_queued',
      help: '/score batches admitted and waiting for a turn.',
      registers,
      collect() {
        this.set(admission.queuedCount);
      },
    });
    new Gauge({
      name: 'golong_reward_batches_active',
      help: '/score batches being scored.',
      registers,
      collect() {
        this.set(admission.activeCount);
      },
    });
    new Gauge({
      name: 'golong_reward_pool_threads',
      help: 'Scoring worker threads, by state.',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const s = pool.stats();
        this.set({ state: 'busy' }, s.busyThreads);
        this.set({ state: 'idle' }, s.threads - s.busyThreads);
      },
    });
    new Gauge({
      name: 'golong_reward_pool_queued_tasks',
      help: 'Chunks waiting for a scoring thread.',
      registers,
      collect() {
        this.set(pool.stats().queuedTasks);
      },
    });
    new Gauge({
      name: 'golong_reward_pool_utilization',
      help: 'Share of the pool\'s thread time spent scoring since start (0-1).',
      registers,
      collect() {
        this.set(pool.stats().utilization);
      },
    });
    new Gauge({
      name: 'golong_reward_event_loop_delay_seconds',
      help: 'Event-loop delay since the previous scrape (monitorEventLoopDelay).',
      labelNames: ['quantile'] as const,
      registers,
      collect() {
        const toS = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
        this.set({ quantile: '0.5' }, toS(loopDelay.percentile(50)));
        this.set({ quantile: '0.99' }, toS(loopDelay.percentile(99)));
        this.set({ quantile: '1' }, toS(loopDelay.max));
        loopDelay.reset();
      },
    });
  }

  recordResults(results: readonly ItemResult[]): void {
    this.recordCounts(
      results.map((r) => r.reward_type ?? ''),
      results.map((r) => r.error?.code ?? ''),
      results.map((r) => r.score ?? Number.NaN),
    );
    if (results.some((r) => r.audit)) this.recordAudit(auditCountsOfResults(results));
  }

  /** A POST /check batch: rows checked, and reported rows by first problem code. */
  recordCheck(rows: number, byCode: Readonly<Record<string, number>>): void {
    this.checkRows.inc(rows);
    for (const [code, n] of Object.entries(byCode)) this.checkProblems.inc({ code }, n);
  }

  /** Items by reward type, their scores, and errors by code, from parallel arrays ('' / NaN for none). */
  recordCounts(rewardTypes: readonly string[], errorCodes: readonly string[], scores?: ArrayLike<number>): void {
    const scored = new Map<string, number>();
    const errors = new Map<string, number>();
    for (let i = 0; i < rewardTypes.length; i++) {
      const code = errorCodes[i]!;
      if (code !== '') errors.set(code, (errors.get(code) ?? 0) + 1);
      else if (rewardTypes[i] !== '') {
        const type = rewardTypes[i]!;
        scored.set(type, (scored.get(type) ?? 0) + 1);
        const score = scores?.[i];
        if (score !== undefined && !Number.isNaN(score)) this.scores.observe(type, score);
      }
    }
    for (const [reward_type, n] of scored) this.items.inc({ reward_type }, n);
    for (const [code, n] of errors) this.itemErrors.inc({ code }, n);
    const timeouts = errors.get('timeout');
    if (timeouts) this.timeouts.inc(timeouts);
  }

  /** Adds a batch's audit counts (summary.audit) to golong_reward_audit_flags_total. */
  recordAudit(counts: AuditCounts): void {
    for (const [reward_type, flags] of Object.entries(counts)) {
      for (const [flag, n] of Object.entries(flags)) if (n > 0) this.auditFlags.inc({ reward_type, flag }, n);
    }
  }

  stop(): void {
    this.loopDelay.disable();
  }
}

export async function metricsRoutes(app: FastifyInstance, { metrics }: { metrics: ServiceMetrics }): Promise<void> {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        description:
          'Prometheus text format: requests by route and status, latency histograms, items and a score histogram by reward type, item errors by code, ' +
          'audit flags by reward type and flag (golong_reward_audit_flags_total), ' +
          'timeouts, replaced workers, queued and active batches, pool threads and utilisation, event-loop delay, and Node process metrics.',
        tags: ['operations'],
        produces: ['text/plain'],
        response: { 200: { description: 'Prometheus text exposition format (also on GOLONG_REWARD_METRICS_PORT without the token, when set).', type: 'string' }, ...errorResponses(401, 503) },
      },
    },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}

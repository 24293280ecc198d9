// The scoring worker pool: items go to piscina worker threads in chunks; a watchdog terminates a
// thread whose current item overran its budget, and a chunk that lost its thread (hang or crash)
// is re-run without the offending item, which alone gets `timeout` or `worker_crashed`.
import { Piscina } from 'piscina';
import type { AuditPenalties, ItemResult } from '../rewards/index.js';
import { sharedDictTrie } from '../rewards/jiebaDag.js';
import { lostRowCheck, type RowCheck } from '../rewards/ideal/index.js';
import type { Config } from './config.js';
import { enableGc, releaseMainMemory } from './memory.js';
import { itemByteLength, itemIdOf, select, type BodyLimits, type PackedItems, type ParsedBatch, type ParsedCheck, type RejectedBody } from './batchParse.js';
import { putJsonResult, WARM_MESSAGE, type BodyBlocksTask, type ChunkOutput, type ChunkTask, type JsonResults, type PoolWorkerData } from './workerProtocol.js';

export type PoolConfig = Pick<Config, 'workers' | 'chunkItems' | 'chunkBytes' | 'timeoutGraceMs' | 'testHooks'>;

export interface BatchOptions {
  /** `check`: the items are dataset rows to check (see checkBatch); default `score`. */
  kind?: 'score' | 'check';
  details: boolean;
  timeoutMs: number;
  /** Aborted when the client has gone: no further chunks are started. */
  signal?: AbortSignal;
  /** Longest solution_str/response in characters; a longer one is the item error input_too_large. */
  maxResponseChars?: number;
  /** Run the reward-hacking audit; `auditPenalty` applies penalties (and implies it). */
  audit?: boolean;
  auditPenalty?: AuditPenalties;
  /** Filled with each scored item's `uid` field, by position in `indices` (for advantages). */
  uids?: unknown[];
  /**
   * Filled with the results as JSON, by position in `indices` (the results array then stays
   * empty); a result whose item has no id gets the item's index in `items`.
   */
  json?: JsonResults;
}

export interface PoolEvents {
  /** A worker thread was terminated (hung item) or died (crash) and is being replaced. */
  onWorkerLost?(reason: 'timeout' | 'crash'): void;
}

export interface PoolStats {
  threads: number;
  busyThreads: number;
  queuedTasks: number;
  utilization: number;
}

const WATCHDOG_INTERVAL_MS = 20;

/**
 * Idle times (no body being parsed, no batch being scored) after which the threads give memory
 * back (memory.ts): first one full collection each, which frees the request bodies; later, if
 * still idle, collections that also shrink the heaps (several passes, a few hundred ms per thread,
 * which a request arriving meanwhile would wait for). The first is long enough that the requests
 * of one step, which a client sends together, count as one.
 */
const RELEASE_AFTER_IDLE_MS = 250;
const SHRINK_AFTER_IDLE_MS = 2000;

/** One chunk on a worker, as the watchdog sees it. */
interface RunningChunk {
  progress: Float64Array;
  items: number;
  budgetMs: number;
  controller: AbortController;
  timedOutIndex?: number;
}

/** A chunk: indices into the batch. */
type Unit = number[];

/** A result made without the worker's help; it carries the item's id like any other result. */
function failure(items: PackedItems, index: number, code: 'timeout' | 'worker_crashed', message: string): ItemResult {
  const id = itemIdOf(items, index);
  return id === undefined ? { score: null, error: { code, message } } : { id, score: null, error: { code, message } };
}

export class ScoringPool {
  private piscina: Piscina | undefined;
  private readonly warmThreads = new Set<number>();
  private readonly running = new Set<RunningChunk>();
  private watchdog: NodeJS.Timeout | undefined;
  private readyWaiters: (() => void)[] = [];
  /** Body parses and batches in progress; at 0 the pool is idle. */
  private busy = 0;
  private releaseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: PoolConfig,
    private readonly events: PoolEvents = {},
  ) {}

  /** Starts the threads; each warms up (jieba, math) before taking work. */
  start(): void {
    if (this.piscina) return;
    enableGc(); // before the threads start, so that they have gc() too
    this.piscina = new Piscina({
      filename: new URL('./worker.js', import.meta.url).href,
      minThreads: this.config.workers,
      maxThreads: this.config.workers,
      idleTimeout: Infinity,
      // jieba's dictionary trie, built once here and shared, instead of by every thread (and again by a replacement).
      workerData: { testHooks: this.config.testHooks, jiebaTrie: sharedDictTrie() } satisfies PoolWorkerData,
    });
    this.piscina.on('message', (message: unknown) => {
      if (message && typeof message === 'object' && WARM_MESSAGE in message) {
        this.warmThreads.add((message as Record<string, number>)[WARM_MESSAGE]!);
        if (this.ready) for (const wake of this.readyWaiters.splice(0)) wake();
      }
    });
    // A worker lost while idle is replaced by piscina; it has no task to fail.
    this.piscina.on('error', () => this.events.onWorkerLost?.('crash'));
    this.watchdog = setInterval(() => this.checkDeadlines(), WATCHDOG_INTERVAL_MS).unref();
  }

  /** True once every initial thread has warmed up. Replacement threads warm up before taking tasks. */
  get ready(): boolean {
    return this.warmThreads.size >= this.config.workers;
  }

  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  stats(): PoolStats {
    const p = this.piscina;
    if (!p) return { threads: 0, busyThreads: 0, queuedTasks: 0, utilization: 0 };
    return { threads: p.threads.length, busyThreads: p.threads.length - p.idleThreads, queuedTasks: p.queueSize, utilization: p.utilization };
  }

  /** Parses and validates a /score body on a worker thread. */
  parseBody(blocks: Uint8Array[], limits: BodyLimits): Promise<ParsedBatch | RejectedBody>;
  /** Parses and validates a /check body (dataset rows) on a worker thread. */
  parseBody(blocks: Uint8Array[], limits: BodyLimits, body: 'check'): Promise<ParsedCheck | RejectedBody>;
  async parseBody(blocks: Uint8Array[], limits: BodyLimits, body: 'score' | 'check' = 'score'): Promise<ParsedBatch | ParsedCheck | RejectedBody> {
    if (!this.piscina) throw new Error('the scoring pool has not been started');
    // Shared-memory blocks (bodyBlocks.ts) are read in place; others move without a copy.
    const task: BodyBlocksTask = { blocks, limits, ...(body === 'check' && { body }) };
    const transferList = [...new Set(blocks.map((b) => b.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer))];
    this.enter();
    try {
      return (await this.piscina.run(task, { name: 'parseBody', transferList })) as ParsedBatch | ParsedCheck | RejectedBody;
    } finally {
      this.leave();
    }
  }

  /** Scores the items at `indices`; results in that order, one per item, never a rejection. */
  scoreBatch(items: PackedItems, indices: readonly number[], options: BatchOptions): Promise<ItemResult[]> {
    const piscina = this.piscina;
    if (!piscina) return Promise.reject(new Error('the scoring pool has not been started'));
    const results: ItemResult[] = new Array(indices.length);
    const pending = this.chunk(items, indices);
    const window = this.config.workers * 2;
    let inFlight = 0;
    this.enter();
    return new Promise((resolve) => {
      const pump = (): void => {
        const stopped = options.signal?.aborted === true;
        while (!stopped && inFlight < window && pending.length > 0) {
          const unit = pending.shift()!;
          inFlight++;
          void this.runUnit(piscina, unit, items, indices, results, pending, options).then(() => {
            inFlight--;
            pump();
          });
        }
        if (inFlight === 0 && (stopped || pending.length === 0)) {
          this.leave();
          resolve(results);
        }
      };
      pump();
    });
  }

  /**
   * Checks dataset rows (POST /check, `golong-reward check --workers`) with the chunking, watchdog
   * and crash isolation of scoreBatch; a row whose thread hung or died gets `check_failed`.
   */
  async checkBatch(
    items: PackedItems,
    indices: readonly number[],
    { includeIdeal = false, ...options }: Pick<BatchOptions, 'timeoutMs' | 'signal'> & { includeIdeal?: boolean },
  ): Promise<RowCheck[]> {
    // `details` of a check task asks for the ideal response.
    const out = (await this.scoreBatch(items, indices, { ...options, details: includeIdeal, kind: 'check' })) as Array<RowCheck | ItemResult>;
    return out.map((r) => ('problems' in r ? r : lostRowCheck(r)));
  }

  /** Stops the watchdog and terminates the threads. */
  async close(): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
    clearTimeout(this.releaseTimer);
    const p = this.piscina;
    this.piscina = undefined;
    await p?.destroy();
  }

  private enter(): void {
    this.busy++;
    clearTimeout(this.releaseTimer);
  }

  private leave(): void {
    if (--this.busy > 0) return;
    this.releaseTimer = setTimeout(() => {
      this.releaseMemory('releaseMemory');
      this.releaseTimer = setTimeout(() => this.releaseMemory('shrinkMemory'), SHRINK_AFTER_IDLE_MS - RELEASE_AFTER_IDLE_MS).unref();
    }, RELEASE_AFTER_IDLE_MS).unref();
  }

  /**
   * Idle: each thread collects its garbage (see memory.ts), the main thread too the first time.
   * One task per thread: piscina hands queued tasks to idle threads one each.
   */
  private releaseMemory(task: 'releaseMemory' | 'shrinkMemory'): void {
    const piscina = this.piscina;
    if (this.busy > 0 || !piscina) return;
    for (let i = 0; i < this.config.workers; i++) piscina.run(null, { name: task }).catch(() => {});
    if (task === 'releaseMemory') releaseMainMemory();
  }

  /** Chunks of consecutive items (positions in `indices`), small enough to spread a batch over every thread. */
  private chunk(items: PackedItems, indices: readonly number[]): Unit[] {
    const { workers, chunkItems, chunkBytes } = this.config;
    const target = Math.max(1, Math.min(chunkItems, Math.ceil(indices.length / (workers * 4))));
    const units: Unit[] = [];
    let unit: Unit = [];
    let size = 0;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      const len = itemByteLength(items, i);
      if (unit.length > 0 && (unit.length >= target || size + len > chunkBytes)) {
        units.push(unit);
        unit = [];
        size = 0;
      }
      unit.push(k);
      size += len;
    }
    if (unit.length > 0) units.push(unit);
    return units;
  }

  /** Runs one chunk; on a lost thread, records the culprit and queues the rest again (first). */
  private async runUnit(
    piscina: Piscina,
    unit: Unit,
    items: PackedItems,
    indices: readonly number[],
    results: ItemResult[],
    pending: Unit[],
    options: BatchOptions,
  ): Promise<void> {
    const progress = new Float64Array(new SharedArrayBuffer(2 * Float64Array.BYTES_PER_ELEMENT));
    progress[0] = -1;
    const chunk: RunningChunk = { progress, items: unit.length, budgetMs: options.timeoutMs + this.config.timeoutGraceMs, controller: new AbortController() };
    const selected = select(items, unit.map((k) => indices[k]!));
    const task: ChunkTask = {
      items: selected,
      ...(options.kind === 'check' && { kind: 'check' }),
      details: options.details,
      timeoutMs: options.timeoutMs,
      progress: progress.buffer as SharedArrayBuffer,
      ...(options.maxResponseChars !== undefined && { maxResponseChars: options.maxResponseChars }),
      ...(options.uids !== undefined && { wantUids: true }),
      ...((options.audit || options.auditPenalty) && { audit: true }),
      ...(options.auditPenalty && { auditPenalty: options.auditPenalty }),
      ...(options.json !== undefined && { jsonIds: Float64Array.from(unit, (k) => indices[k]!) }),
    };
    /** Puts a result made here (not by the worker) at position `at`. */
    const place = (at: number, r: ItemResult): void => {
      if (options.json) putJsonResult(options.json, at, r, indices[at]!);
      else results[at] = r;
    };
    this.running.add(chunk);
    try {
      const out = (await piscina.run(task, {
        signal: chunk.controller.signal,
        transferList: [selected.spans.buffer as ArrayBuffer], // the bytes are shared, not sent
      })) as ChunkOutput;
      if (out.json && options.json) {
        const to = options.json;
        const from = out.json;
        unit.forEach((index, k) => {
          to.texts[index] = from.texts[k]!;
          to.scores[index] = from.scores[k]!;
          to.rewardTypes[index] = from.rewardTypes[k]!;
          to.errorCodes[index] = from.errorCodes[k]!;
          if (to.auditFlags && from.auditFlags) {
            to.auditFlags[index] = from.auditFlags[k]!;
            to.scorers![index] = from.scorers![k]!;
          }
        });
      } else unit.forEach((index, k) => (results[index] = out.results![k]!));
      if (options.uids && out.uids) unit.forEach((index, k) => (options.uids![index] = out.uids![k]));
    } catch (err) {
      if (options.signal?.aborted) return;
      let culprit: number | undefined;
      if (chunk.timedOutIndex !== undefined) {
        culprit = chunk.timedOutIndex;
        place(
          unit[culprit]!,
          failure(items, indices[unit[culprit]!]!, 'timeout', `item exceeded its time budget of ${options.timeoutMs} ms and could not be interrupted; its worker thread was replaced`),
        );
        this.events.onWorkerLost?.('timeout');
      } else {
        const at = progress[0]!;
        this.events.onWorkerLost?.('crash');
        if (unit.length === 1 || (at >= 0 && at < unit.length)) {
          culprit = unit.length === 1 ? 0 : at;
          const reason = err instanceof Error ? err.message : String(err);
          place(unit[culprit]!, failure(items, indices[unit[culprit]!]!, 'worker_crashed', `the worker thread scoring this item died (${reason}); it was replaced`));
        } else {
          // The thread died outside any item (e.g. returning results): retry each item alone.
          pending.unshift(...unit.map((i) => [i]));
          return;
        }
      }
      const rest = unit.filter((_, k) => k !== culprit);
      if (rest.length > 0) pending.unshift(rest);
    } finally {
      this.running.delete(chunk);
    }
  }

  private checkDeadlines(): void {
    const now = Date.now();
    for (const chunk of this.running) {
      const index = chunk.progress[0]!;
      if (index < 0 || index >= chunk.items || chunk.timedOutIndex !== undefined) continue;
      const startedAt = chunk.progress[1]!;
      if (now - startedAt > chunk.budgetMs && index === chunk.progress[0]) {
        chunk.timedOutIndex = index;
        chunk.controller.abort(new Error('item over budget'));
      }
    }
  }
}

// A scoring worker thread (piscina): scores one chunk of items with the library, reporting which
// item it is on through shared memory so that the main thread can tell a hung or crashing item
// from its neighbours. It also parses /score bodies (`parseBody`), keeping that off the event loop.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { itemId, scoreItem, warmUp, type ItemResult } from '../rewards/index.js';
import { checkRow, problem, type CheckOptions, type RowCheck } from '../rewards/ideal/index.js';
import { adoptDictTrie } from '../rewards/jiebaDag.js';
import { parseItemJsonPy } from '../rewards/pyjson.js';
import { checkedItem, itemCount, itemText, parseCheckBody, parseScoreBody } from './batchParse.js';
import { releaseWorkerMemory, shrinkWorkerMemory } from './memory.js';
import { emptyJsonResults, putJsonResult, WARM_MESSAGE, type BodyBlocksTask, type ChunkOutput, type ChunkTask, type PoolWorkerData } from './workerProtocol.js';

const data = workerData as Partial<PoolWorkerData> | undefined;
const testHooks = data?.testHooks === true;
if (data?.jiebaTrie) adoptDictTrie(data.jiebaTrie);

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Fault injection for the HTTP tests; only reachable with GOLONG_REWARD_TEST_HOOKS=1. */
function runTestHook(item: unknown): ItemResult | undefined {
  if (!isRecord(item)) return undefined;
  if (item.task === '__test_hang__') {
    // Deliberately ignores the item deadline: this is the uninterruptible scorer the watchdog exists for.
    const until = Date.now() + (typeof item.ms === 'number' ? item.ms : 60_000);
    while (Date.now() < until) {
      /* busy */
    }
    const id = itemId(item);
    return { ...(id !== undefined && { id }), score: 1, reward_type: 'test', scorer: '__test_hang__' };
  }
  if (item.task === '__test_crash__') {
    if (item.mode === 'uncaught') throw new UncaughtCrash();
    process.exit(70);
  }
  return undefined;
}

/** Test hook: leave the chunk pending and die of an exception no handler catches. */
class UncaughtCrash extends Error {}

/**
 * Scoring threads yield the CPU to the event loop and to V8's garbage-collection helpers: the pool
 * has a thread per core, so at equal priority a collection on the main thread waits for its
 * helpers behind busy workers, and /healthz waits with it. Linux keeps a nice value per thread.
 */
const WORKER_NICE = 5;
function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, WORKER_NICE);
  } catch {
    // No /proc, or not permitted: scoring still works, at the default priority.
  }
}
lowerThreadPriority();

// Warm up at load time: jieba's dictionary and the math code load before this thread takes a
// task, so no item pays for them and /readyz means what it says.
warmUp();
parentPort?.postMessage({ [WARM_MESSAGE]: threadId });

function scoreAll(task: ChunkTask): ChunkOutput {
  const progress = new Float64Array(task.progress);
  const options = { details: task.details, timeoutMs: task.timeoutMs, audit: task.audit === true, auditPenalty: task.auditPenalty };
  const n = itemCount(task.items);
  const jsonIds = task.jsonIds;
  const results: ItemResult[] | undefined = jsonIds ? undefined : new Array(n);
  const json = jsonIds ? emptyJsonResults(n, options.audit) : undefined;
  const uids: unknown[] | undefined = task.wantUids ? new Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    progress[1] = Date.now();
    progress[0] = i;
    if (task.kind === 'check') {
      // Results of a check are RowChecks; the pool's callers know (ScoringPool.checkBatch).
      results![i] = checkText(itemText(task.items, i), { timeoutMs: task.timeoutMs, includeIdeal: task.details }) as unknown as ItemResult;
      continue;
    }
    const read = checkedItem(itemText(task.items, i), task.maxResponseChars);
    let result: ItemResult;
    if ('result' in read) result = read.result;
    else {
      const { item } = read;
      if (uids && isRecord(item)) uids[i] = item.uid;
      result = (testHooks && runTestHook(item)) || scoreItem(item, options);
    }
    if (json) putJsonResult(json, i, result, jsonIds![i]!);
    else results![i] = result;
  }
  progress[0] = n;
  return { ...(results && { results }), ...(json && { json }), ...(uids && { uids }) };
}

/** Checks one dataset row given as JSON text (numbers keep their Python types); text that is not JSON is that row's problem. */
function checkText(text: string, options: CheckOptions): RowCheck {
  let row: unknown;
  try {
    row = parseItemJsonPy(text);
  } catch (err) {
    return { ideal_score: null, best_score: null, problems: [problem('not_json', `the row is not valid JSON: ${(err as Error).message.slice(0, 200)}`)] };
  }
  return checkRow(row, options);
}

function joinShared(blocks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(blocks.reduce((n, b) => n + b.byteLength, 0)));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}

/** Parses a /score (or /check) body; the packed items travel back to the main thread without a copy. */
export function parseBody({ blocks, limits, body: kind }: BodyBlocksTask) {
  const body = blocks.length === 1 ? blocks[0]! : joinShared(blocks);
  const parsed = kind === 'check' ? parseCheckBody({ body, limits }) : parseScoreBody({ body, limits });
  if (!parsed.ok) return parsed;
  // The bytes are shared memory; only the spans move.
  return move({ [transferableSymbol]: [parsed.packed.spans.buffer], [valueSymbol]: parsed });
}

/** Between batches (the pool is idle): frees the request bodies this thread held. */
export function releaseMemory(): void {
  releaseWorkerMemory();
}

/** The pool has been idle for a while: gives the heap's free pages back too. */
export function shrinkMemory(): void {
  shrinkWorkerMemory();
}

export default function scoreChunk(task: ChunkTask): ChunkOutput | Promise<never> {
  if (!testHooks) return scoreAll(task);
  try {
    return scoreAll(task);
  } catch (err) {
    if (!(err instanceof UncaughtCrash)) throw err;
    setImmediate(() => {
      throw new Error('test hook: uncaught exception in a scoring worker');
    });
    return new Promise<never>(() => {});
  }
}

// A scoring worker thread (piscina): scores one chunk of items with the library, reporting which
// item it is on through shared memory so that the main thread can tell a hung or crashing item
// from its neighbours. It also parses /score bodies (`parseBody`), keeping that off the event loop.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { itemId, scoreItem, type ItemResult } from '../rewards/index.js';
import { adoptDictTrie } from '../rewards/jiebaDag.js';
import { checkedItem, itemCount, itemText, parseScoreBody } from './batchParse.js';
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
scoreItem({ task: 'rouge_l', response: '今天的天气很好，我们去公园散步。', reference: ['今天天气不错，我们去公园。'], options: { language: 'zh' } });
scoreItem({ task: 'math_verify', response: 'The answer is \\boxed{\\frac{1}{2}}.', reference: '0.5' });
// The math extraction regexes compile (and tier up) on first use; the first item of a batch
// that needed them took up to half a second on a loaded machine. One pass over the main answer
// shapes per math scorer pays for that here instead.
for (const task of ['math_verify', 'math_verify_metric', 'minerva']) {
  for (const response of ['Final Answer: The final answer is $−3$. I hope it is correct.', 'Answer: −36', 'so x = 3/4, 1,000 or \\(y\\)', 'the final answer is \\[ \\sqrt{2} \\]']) {
    scoreItem({ task, response, reference: '-3' });
  }
}
parentPort?.postMessage({ [WARM_MESSAGE]: threadId });

function scoreAll(task: ChunkTask): ChunkOutput {
  const progress = new Float64Array(task.progress);
  const options = { details: task.details, timeoutMs: task.timeoutMs };
  const n = itemCount(task.items);
  const jsonIds = task.jsonIds;
  const results: ItemResult[] | undefined = jsonIds ? undefined : new Array(n);
  const json = jsonIds ? emptyJsonResults(n) : undefined;
  const uids: unknown[] | undefined = task.wantUids ? new Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    progress[1] = Date.now();
    progress[0] = i;
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

function joinShared(blocks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(blocks.reduce((n, b) => n + b.byteLength, 0)));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}

/** Parses a /score body; the packed items travel back to the main thread without a copy. */
export function parseBody({ blocks, limits }: BodyBlocksTask) {
  const body = blocks.length === 1 ? blocks[0]! : joinShared(blocks);
  const parsed = parseScoreBody({ body, limits });
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

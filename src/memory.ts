// Giving a batch's memory back once the service is idle. A /score body lives in shared memory
// (bodyBlocks.ts) that the main thread and every worker thread hold a handle to; it is freed when
// the last of those handles has been garbage-collected, and by then the threads are idle: piscina
// parks idle workers in Atomics.wait, where V8's memory reducer never runs, and the main thread
// allocates too little to collect. Measured on a GoLongRL step (8,192 long-CoT rows, 210 MB):
// without this, 200-400 MiB of old bodies stayed resident indefinitely.
//
// V8's gc() is not exposed by default. Setting --expose-gc at run time and reading gc from a new
// context is how jest's leak detector gets it; threads started afterwards have it as a global.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let mainGc: NodeJS.GCFunction | undefined;

/**
 * Makes gc() available: returned for this thread, and a global in threads started afterwards
 * (call it before starting workers). Undefined if V8 refuses, in which case memory is given back
 * whenever V8 collects on its own.
 */
export function enableGc(): NodeJS.GCFunction | undefined {
  if (mainGc) return mainGc;
  if (typeof globalThis.gc === 'function') return (mainGc = globalThis.gc);
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') mainGc = gc as NodeJS.GCFunction;
  } catch {
    // Not permitted (e.g. a locked-down embedder): no explicit collections.
  }
  return mainGc;
}

/** On a worker thread between batches: one full collection, which drops its handles to old bodies. */
export function releaseWorkerMemory(): void {
  globalThis.gc?.({ type: 'major' });
}

/**
 * On a worker thread idle for a while: collect everything and shrink the heap (several full
 * collections; V8's own memory reducer never runs in a thread parked in Atomics.wait).
 */
export function shrinkWorkerMemory(): void {
  globalThis.gc?.({ type: 'major', flavor: 'last-resort' });
}

/**
 * On the main thread when no batch is in progress: one full collection, which drops the handles
 * to old request bodies. It pauses the event loop for a few milliseconds (the main heap is
 * small: routes, schemas, metrics), so it runs only when idle.
 */
export function releaseMainMemory(): void {
  mainGc?.({ type: 'major' });
}

// Timing helpers: warm up, then several timed loops; the median run is the figure reported
// (robust to the odd GC pause). Each run records wall time and the process's CPU time: on a
// shared machine a neighbour stealing the core inflates wall time but not CPU time, so CPU time
// is the cost figure; on a quiet machine the two agree (CPU time also counts V8's helper threads).
import { enableGc } from '../src/memory.js';

export interface LoopTiming {
  /** Median CPU microseconds per call over the timed runs. */
  us: number;
  /** Median wall-clock microseconds per call. */
  wallUs: number;
  /** CPU microseconds per call of every timed run. */
  runs: number[];
  /** Calls per timed run. */
  iterations: number;
}

export interface LoopOptions {
  warmupMs: number;
  runMs: number;
  runs: number;
}

export function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Keeps results alive so that the optimiser cannot drop the calls being timed. */
let sink = 0;
export function blackhole(): number {
  return sink;
}

/**
 * How often each input's ground truth is seen: a GRPO step scores every prompt's gold once per
 * rollout (16 in GoLongRL), and the scorers cache work on golds per worker. `clear` empties those
 * caches; it is called once every `uses` passes over the inputs, so each gold is a cache miss once
 * and a hit `uses - 1` times, as in training.
 */
export interface GoldReuse {
  uses: number;
  clear: () => void;
}

/** One function over its inputs, timed in runs that interleave with other loops' runs. */
export class TimedLoop<T> {
  private iterations = 0;
  private readonly cpu: number[] = [];
  private readonly wall: number[] = [];
  /** Calls between cache clears (a multiple of the inputs), or 0 when nothing is cleared. */
  private readonly cycle: number;

  constructor(
    private readonly inputs: readonly T[],
    private readonly fn: (input: T) => unknown,
    private readonly reuse?: GoldReuse,
    /** Called before every call (e.g. to empty the caches keyed by responses). */
    private readonly beforeEach?: () => void,
  ) {
    this.cycle = reuse ? reuse.uses * inputs.length : 0;
  }

  /** `calls` calls, starting at the beginning of the inputs and of a reuse cycle. */
  private loop(calls: number): void {
    const { inputs, fn, cycle, reuse, beforeEach } = this;
    const n = inputs.length;
    for (let i = 0; i < calls; i++) {
      if (cycle !== 0 && i % cycle === 0) reuse!.clear();
      beforeEach?.();
      if (fn(inputs[i % n]!) !== undefined) sink++;
    }
  }

  /**
   * Whole passes (whole reuse cycles when golds are reused) until `warmupMs` has elapsed; sizes
   * the timed runs likewise so that each lasts about `runMs`.
   */
  warmUp(opts: LoopOptions): void {
    const unit = this.cycle || this.inputs.length;
    const start = performance.now();
    let calls = 0;
    do {
      this.loop(unit);
      calls += unit;
    } while (performance.now() - start < opts.warmupMs);
    const perCallMs = (performance.now() - start) / calls;
    this.iterations = Math.max(unit, Math.ceil(opts.runMs / perCallMs / unit) * unit);
  }

  run(): void {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    this.loop(this.iterations);
    this.wall.push(((performance.now() - t0) * 1000) / this.iterations);
    const c = process.cpuUsage(c0);
    this.cpu.push((c.user + c.system) / this.iterations);
  }

  timing(): LoopTiming {
    return { us: median(this.cpu), wallUs: median(this.wall), runs: this.cpu.slice(), iterations: this.iterations };
  }
}

/**
 * Times each loop: all warm up first, then `opts.runs` rounds each give every loop one timed run,
 * in an order shuffled per round. A burst of load from a neighbour then spoils one run of many
 * loops, which the medians drop, instead of every run of one loop; and a garbage collection that
 * falls at the same point of every round (the rounds repeat the same allocations) lands on a
 * different loop each time.
 */
export function timeInterleaved(loops: readonly TimedLoop<unknown>[], opts: LoopOptions, onRound?: (round: number) => void): LoopTiming[] {
  for (const loop of loops) loop.warmUp(opts);
  let seed = 0x9e3779b9;
  const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const order = loops.map((_, i) => i);
  for (let r = 0; r < opts.runs; r++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) loops[i]!.run();
    onRound?.(r + 1);
  }
  return loops.map((loop) => loop.timing());
}

/**
 * Median wall time (ms) of `reps` calls of `fn`, after one untimed call. Each call starts from a
 * collected heap (when gc() can be had): otherwise a call pays for collecting what the previous
 * ones left, and the same parse of the same 211 MB measured 330-900 ms from call to call.
 */
export function timeRepeated(fn: () => unknown, reps: number): { ms: number; runs: number[] } {
  const gc = enableGc();
  fn();
  const runs: number[] = [];
  for (let r = 0; r < reps; r++) {
    gc?.({ type: 'major' });
    const t0 = performance.now();
    if (fn() !== undefined) sink++;
    runs.push(performance.now() - t0);
  }
  return { ms: median(runs), runs };
}

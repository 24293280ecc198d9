// The real GoLongRL step: 512 prompts x 16 rollouts with the GoLongRL task mix and long-CoT
// think sections (LONG_COT in generate.ts), posted to the real service with 2 workers both as one
// body and as the Python client sends a step (chunks of 2,048 rows, 4 requests in flight, each
// on its own connection). Per run: wall time, worst /healthz from another thread, the server's
// event-loop delay, RSS sampled during the run and RSS 5 s after it; over the whole service life
// the peak RSS (VmHWM). The floor of each form is the bare JSON.parse of its request bodies plus
// the JSON.stringify of its responses, on one thread of this process.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ItemResult } from '../rewards/index.js';
import { latencySummary, postConcurrent, procMemory, startService, type ConcurrentRun, type ScoreRequest } from './e2e.js';
import { goLongRlBatch, LONG_COT, longCotCapChars, longCotThink, type VerlRow } from './generate.js';
import { errorCounts, scoreInProcess, type InProcess } from './inProcess.js';
import { median, timeRepeated } from './measure.js';

/** GoLongRL's step: 512 prompts (data.train_batch_size) x 16 rollouts (rollout.n). */
export const STEP_PROMPTS = 512;
export const STEP_ROLLOUTS = 16;
/** The Python client's defaults (GOLONG_REWARD_CHUNK_SIZE, GOLONG_REWARD_CONCURRENCY). */
export const CLIENT_CHUNK_ROWS = 2048;
export const CLIENT_CONCURRENCY = 4;
/** How long after a step the service's RSS is read (it must have given the step's memory back). */
export const HOLD_AFTER_MS = 5000;

export type StepMode = 'one body' | 'client';

export interface StepRun {
  mode: StepMode;
  cold: boolean;
  wallMs: number;
  /** Each request's completion time from the common start (ms). */
  requestMs: number[];
  healthzWorstMs: number;
  healthzMedianMs: number;
  polls: number;
  /** The server's worst event-loop delay during the run (its /metrics), if exposed. */
  loopDelayMs?: number;
  /** Highest VmRSS sampled during the run (MiB). */
  sampledRssMiB: number;
  /** VmRSS HOLD_AFTER_MS after the last response (MiB). */
  heldRssMiB: number;
}

export interface ModeSummary {
  requests: number;
  requestMB: number[];
  /** Median wall time of the timed (warm) runs. */
  wallMs: number;
  floor: { parseMs: number; stringifyMs: number; totalMs: number };
  ratio: number;
  mismatches: number;
  responseErrors: Record<string, number>;
}

export interface LengthStats {
  rows: number;
  median: number;
  p10: number;
  p90: number;
  max: number;
  /** Rows whose response is within 50 characters of the 16K-token cap. */
  atCap: number;
}

export interface RealStep {
  items: number;
  prompts: number;
  rollouts: number;
  workers: number;
  distribution: typeof LONG_COT & { capChars: { en: number; zh: number } };
  responseChars: { en: LengthStats; zh: LengthStats };
  runs: StepRun[];
  modes: Record<StepMode, ModeSummary>;
  healthzWorstMs: number;
  loopDelayWorstMs?: number;
  peakRssMiB: number;
  heldRssWorstMiB: number;
  inProcess: InProcess;
}

const HAN = /[\u4e00-\u9fff]/;

function lengthStats(lengths: number[], cap: number): LengthStats {
  const s = lengths.slice().sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { rows: s.length, median: median(s), p10: q(0.1), p90: q(0.9), max: s[s.length - 1] ?? NaN, atCap: s.filter((x) => x >= cap - 50).length };
}

/** Results of a run's responses in item order, or why they cannot be read. */
function resultsOf(run: ConcurrentRun): ItemResult[] {
  return run.responseTexts.flatMap((t) => (JSON.parse(t) as { results: ItemResult[] }).results);
}

function countMismatches(got: readonly ItemResult[], want: readonly ItemResult[]): number {
  if (got.length !== want.length) return Math.max(got.length, want.length);
  let n = 0;
  got.forEach((r, i) => {
    const l = want[i]!;
    const same = r.score === null ? l.score === null && r.error?.code === l.error?.code : l.score !== null && Math.abs(r.score - l.score) <= 1e-12;
    if (!same) n++;
  });
  return n;
}

const encode = (rows: readonly VerlRow[]): Buffer => Buffer.from(JSON.stringify({ items: rows }));

export interface RealStepOptions {
  repoRoot: string;
  seed: number;
  workers: number;
  /** Timed rounds; each runs both forms (alternating which goes first). */
  rounds: number;
  nodeArgs?: string[];
  log: (line: string) => void;
}

export async function runRealStep(opts: RealStepOptions): Promise<RealStep> {
  const { log } = opts;
  log(`  generating ${STEP_PROMPTS} x ${STEP_ROLLOUTS} long-CoT rows…`);
  let rows: VerlRow[] | undefined = goLongRlBatch(opts.seed, STEP_PROMPTS, STEP_ROLLOUTS, longCotThink);
  const items = rows.length;
  const byLang = { en: [] as number[], zh: [] as number[] };
  for (const row of rows) byLang[HAN.test(row.solution_str.slice(0, 200)) ? 'zh' : 'en'].push(row.solution_str.length);
  const responseChars = { en: lengthStats(byLang.en, longCotCapChars('en')), zh: lengthStats(byLang.zh, longCotCapChars('zh')) };
  const one = encode(rows);
  const chunks: Buffer[] = [];
  for (let i = 0; i < rows.length; i += CLIENT_CHUNK_ROWS) chunks.push(encode(rows.slice(i, i + CLIENT_CHUNK_ROWS)));
  rows = undefined;
  log(`  one body ${(one.byteLength / 1e6).toFixed(0)} MB; client: ${chunks.length} x ~${(chunks[0]!.byteLength / 1e6).toFixed(0)} MB; scoring it in-process (1 thread) for reference…`);

  // The reference results, from the rows as a worker sees them (parsed from the body).
  const local = scoreInProcess((JSON.parse(one.toString('utf8')) as { items: unknown[] }).items);

  const forms: Record<StepMode, ScoreRequest[]> = {
    'one body': [{ body: one }],
    client: chunks.map((body) => ({ body })),
  };
  const service = await startService({ repoRoot: opts.repoRoot, workers: opts.workers, nodeArgs: opts.nodeArgs ?? [] });
  const runs: StepRun[] = [];
  const last: Partial<Record<StepMode, ConcurrentRun>> = {};
  let hwmKiB = NaN;
  try {
    const runOnce = async (mode: StepMode, cold: boolean): Promise<void> => {
      const run = await postConcurrent(service, forms[mode]);
      const bad = run.statuses.findIndex((s) => s !== 200);
      if (bad >= 0) throw new Error(`POST /score (${mode}) answered ${run.statuses[bad]}: ${run.responseTexts[bad]!.slice(0, 500)}\n${service.logTail()}`);
      await sleep(HOLD_AFTER_MS);
      const held = procMemory(service.pid)?.rssKiB ?? NaN;
      const hz = latencySummary(run.healthzMs);
      runs.push({
        mode,
        cold,
        wallMs: run.wallMs,
        requestMs: run.requestMs,
        healthzWorstMs: hz.worstMs,
        healthzMedianMs: hz.medianMs,
        polls: hz.polls,
        ...(run.serverLoopDelayMs !== undefined && { loopDelayMs: run.serverLoopDelayMs }),
        sampledRssMiB: run.sampledRssKiB / 1024,
        heldRssMiB: held / 1024,
      });
      last[mode] = run;
      log(`  ${cold ? 'cold ' : ''}${mode}: ${run.wallMs.toFixed(0)} ms, worst /healthz ${hz.worstMs.toFixed(1)} ms, RSS ${(run.sampledRssKiB / 1024).toFixed(0)} MiB, ${(held / 1024).toFixed(0)} MiB ${HOLD_AFTER_MS / 1000} s later`);
    };
    log(`  server pid ${service.pid}, ${opts.workers} workers; a cold step as the client sends it, then ${opts.rounds} rounds of both forms…`);
    await runOnce('client', true);
    for (let r = 0; r < opts.rounds; r++) {
      const order: StepMode[] = r % 2 === 0 ? ['one body', 'client'] : ['client', 'one body'];
      for (const mode of order) await runOnce(mode, false);
    }
    hwmKiB = procMemory(service.pid)?.hwmKiB ?? NaN;
  } finally {
    const code = await service.stop();
    if (code !== 0) log(`  (server exited with code ${code})`);
  }

  log('  bare JSON floors…');
  const modes = {} as Record<StepMode, ModeSummary>;
  for (const mode of ['one body', 'client'] as const) {
    const run = last[mode]!;
    const texts = forms[mode].map((r) => r.body.toString('utf8'));
    const responses = run.responseTexts.map((t) => JSON.parse(t) as unknown);
    // Medians of 5 (each from a collected heap): with 3, a run's two forms, the same rows, read
    // 264 and 344 ms. Every form's parsed bodies stay alive together, as one body's graph does.
    const parse = timeRepeated(() => texts.map((t) => JSON.parse(t) as unknown), 5);
    const stringify = timeRepeated(() => responses.map((r) => JSON.stringify(r)), 5);
    const total = { ms: parse.ms + stringify.ms };
    const timed = runs.filter((r) => r.mode === mode && !r.cold);
    const wallMs = median(timed.map((r) => r.wallMs));
    const results = resultsOf(run);
    modes[mode] = {
      requests: forms[mode].length,
      requestMB: forms[mode].map((r) => +(r.body.byteLength / 1e6).toFixed(1)),
      wallMs,
      floor: { parseMs: parse.ms, stringifyMs: stringify.ms, totalMs: total.ms },
      ratio: wallMs / total.ms,
      mismatches: countMismatches(results, local.results),
      responseErrors: errorCounts(results),
    };
  }

  const delays = runs.map((r) => r.loopDelayMs).filter((x): x is number => x !== undefined);
  return {
    items,
    prompts: STEP_PROMPTS,
    rollouts: STEP_ROLLOUTS,
    workers: opts.workers,
    distribution: { ...LONG_COT, capChars: { en: longCotCapChars('en'), zh: longCotCapChars('zh') } },
    responseChars,
    runs,
    modes,
    healthzWorstMs: Math.max(...runs.map((r) => r.healthzWorstMs)),
    ...(delays.length > 0 && { loopDelayWorstMs: Math.max(...delays) }),
    peakRssMiB: hwmKiB / 1024,
    heldRssWorstMiB: Math.max(...runs.map((r) => r.heldRssMiB)),
    inProcess: local.timing,
  };
}


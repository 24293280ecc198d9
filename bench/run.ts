// `npm run bench`: per-scorer µs/item, then the end-to-end 8,192-item POST /score against the
// real service, checked against the budgets of ../shared/spec/quality.md. Prints tables and
// writes bench/results.json.
//
// Flags: --only=scorers|e2e, --cases=A,B (scorer cases whose name starts with A or B), --quick (shorter loops, for trying changes), --no-write,
// --e2e-runs=N (timed POSTs after the cold one, default 3), --seed=N.
// BENCH_SERVER_NODE_ARGS adds node flags to the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clearScorerCaches, scoreItem, type ItemResult } from '../rewards/index.js';
import { scorerCases, type ScorerCase } from './cases.js';
import { latencySummary, postBatch, procMemory, startService, type BatchRun } from './e2e.js';
import { goLongRlBatch, GOLONGRL_MIX } from './generate.js';
import { median, timeInterleaved, TimedLoop, timeRepeated, type LoopOptions, type LoopTiming } from './measure.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** GoLongRL's GRPO group size (quality.md: 512 prompts x 16 rollouts). */
const ROLLOUTS_PER_PROMPT = 16;

const BUDGET = {
  batchMs: 1500,
  healthzMs: 50,
  peakRssMiB: 1024,
} as const;

interface Args {
  only?: 'scorers' | 'e2e';
  /** Only the scorer cases whose name starts with one of these comma-separated prefixes. */
  cases?: string;
  quick: boolean;
  write: boolean;
  e2eRuns: number;
  seed: number;
}

function parseCli(): Args {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      cases: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      'e2e-runs': { type: 'string', default: '3' },
      seed: { type: 'string', default: '20240611' },
    },
  });
  if (values.only !== undefined && values.only !== 'scorers' && values.only !== 'e2e') throw new Error('--only must be "scorers" or "e2e"');
  return {
    only: values.only as Args['only'],
    ...(values.cases !== undefined && { cases: values.cases }),
    quick: values.quick!,
    write: !values['no-write'],
    e2eRuns: Math.max(1, Number(values['e2e-runs'])),
    seed: Number(values.seed),
  };
}

// ---------------------------------------------------------------------------------------------
// Output helpers

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(digits)) : '—');
const verdict = (pass: boolean | undefined): string => (pass === undefined ? 'info' : pass ? 'PASS' : 'FAIL');

interface Budget {
  name: string;
  limit: number;
  value: number;
  unit: string;
  pass: boolean;
}

// ---------------------------------------------------------------------------------------------
// Per-scorer

interface ScorerResult {
  case: string;
  scorer: string;
  size?: string;
  items: number;
  /** CPU µs/item of the verl row as a trainer sends it (think section included). */
  verlUs: number;
  /** CPU µs/item of the native item holding only the answer part. */
  nativeUs: number;
  /** Wall-clock µs/item of the judged form (higher than CPU time when the machine is shared). */
  judgedWallUs: number;
  judged: 'verl' | 'native';
  budgetUs?: number;
  pass?: boolean;
  meanScore: number;
  errors: Record<string, number>;
  note?: string;
}

const score = (item: unknown): ItemResult => scoreItem(item, { timeoutMs: 10_000 });

function checkItems(items: readonly unknown[]): { meanScore: number; errors: Record<string, number> } {
  let sum = 0;
  let n = 0;
  const errors: Record<string, number> = {};
  for (const item of items) {
    const r = score(item);
    if (r.score === null) errors[r.error!.code] = (errors[r.error!.code] ?? 0) + 1;
    else {
      sum += r.score;
      n++;
    }
  }
  return { meanScore: n ? sum / n : NaN, errors };
}

function scorerResult(c: ScorerCase, verl: LoopTiming, native: LoopTiming): ScorerResult {
  const check = checkItems(c.judged === 'verl' ? c.items.map((i) => i.verl) : c.items.map((i) => i.native));
  const verlUs = verl.us;
  const nativeUs = native.us;
  const judgedUs = c.judged === 'verl' ? verlUs : nativeUs;
  return {
    case: c.name,
    scorer: c.scorer,
    ...(c.size && { size: c.size }),
    items: c.items.length,
    verlUs,
    nativeUs,
    judgedWallUs: c.judged === 'verl' ? verl.wallUs : native.wallUs,
    judged: c.judged,
    ...(c.budgetUs !== undefined && { budgetUs: c.budgetUs, pass: judgedUs <= c.budgetUs }),
    ...check,
    ...(c.note && { note: c.note }),
  };
}

function runScorers(args: Args): ScorerResult[] {
  const opts: LoopOptions = args.quick ? { warmupMs: 40, runMs: 25, runs: 3 } : { warmupMs: 120, runMs: 40, runs: 9 };
  const cases = scorerCases(args.seed).filter((c) => args.cases === undefined || args.cases.split(',').some((p) => c.name.startsWith(p)));
  // Every gold is scored by 16 rollouts, then never again (512 prompts x 16 rollouts per step).
  const reuse = { uses: ROLLOUTS_PER_PROMPT, clear: clearScorerCaches };
  const loops = cases.flatMap((c) => [
    new TimedLoop<unknown>(c.items.map((i) => i.verl), score, reuse),
    new TimedLoop<unknown>(c.items.map((i) => i.native), score, reuse),
  ]);
  process.stderr.write(`  ${cases.length} cases, verl row and answer only: warm-up, then ${opts.runs} interleaved rounds\n`);
  const timings = timeInterleaved(loops, opts, (round) => process.stderr.write(`  round ${round}/${opts.runs}\n`));
  return cases.map((c, k) => scorerResult(c, timings[2 * k]!, timings[2 * k + 1]!));
}

function printScorers(results: readonly ScorerResult[]): void {
  console.log('\nPer-scorer cost (CPU µs/item, median of timed runs; the judged column is marked *)');
  console.log(
    table(
      ['case', 'size', 'verl row', 'answer only', 'wall*', 'budget', 'verdict', 'mean score', 'errors'],
      results.map((r) => [
        r.case,
        r.size ?? '',
        `${fmt(r.verlUs)}${r.judged === 'verl' ? '*' : ''}`,
        `${fmt(r.nativeUs)}${r.judged === 'native' ? '*' : ''}`,
        fmt(r.judgedWallUs),
        r.budgetUs === undefined ? '—' : `≤ ${r.budgetUs}`,
        verdict(r.pass),
        fmt(r.meanScore, 3),
        Object.entries(r.errors).map(([k, v]) => `${k}:${v}`).join(' ') || '0',
      ]),
    ),
  );
  for (const r of results) if (r.note) console.log(`  ${r.case}: ${r.note}`);
}

// ---------------------------------------------------------------------------------------------
// End to end

interface InProcess {
  /** One thread, warm: total scoring time of the whole batch (ms). */
  totalMs: number;
  byRewardType: Record<string, { n: number; totalMs: number; meanUs: number }>;
}

function scoreInProcess(rows: readonly unknown[]): { timing: InProcess; results: ItemResult[] } {
  for (let i = 0; i < rows.length; i += 4) score(rows[i]); // warm the JIT on a quarter of the batch
  const byType: InProcess['byRewardType'] = {};
  const results: ItemResult[] = [];
  const t0 = performance.now();
  for (const row of rows) {
    const s = performance.now();
    const r = score(row);
    const dt = performance.now() - s;
    results.push(r);
    const key = r.reward_type ?? `error:${r.error?.code}`;
    const g = (byType[key] ??= { n: 0, totalMs: 0, meanUs: 0 });
    g.n++;
    g.totalMs += dt;
  }
  const totalMs = performance.now() - t0;
  for (const g of Object.values(byType)) g.meanUs = (g.totalMs * 1000) / g.n;
  return { timing: { totalMs, byRewardType: byType }, results };
}

interface EndToEnd {
  items: number;
  mix: typeof GOLONGRL_MIX;
  workers: number;
  requestBytes: number;
  responseBytes: number;
  coldMs: number;
  wallRunsMs: number[];
  wallMs: number;
  itemsPerSec: number;
  healthz: { polls: number; worstMs: number; medianMs: number; worstColdMs: number };
  /** The server's own worst event-loop delay during the warm / cold batches (its /metrics), if exposed. */
  serverLoopDelayMs?: { worst: number; cold: number };
  peakRssMiB: number;
  bareJson: { parseMs: number; stringifyMs: number; totalMs: number };
  ratioToBare: number;
  inProcess: InProcess;
  responseErrors: Record<string, number>;
  mismatches: number;
}

function errorCounts(results: readonly ItemResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) if (r.score === null) out[r.error?.code ?? 'unknown'] = (out[r.error?.code ?? 'unknown'] ?? 0) + 1;
  return out;
}

async function runEndToEnd(args: Args): Promise<EndToEnd> {
  const workers = availableParallelism();
  process.stderr.write('  generating the 8,192-item batch…\n');
  const rows = goLongRlBatch(args.seed);
  const bodyText = JSON.stringify({ items: rows });
  const body = Buffer.from(bodyText); // encoded once: the client must not spend the batch encoding it
  process.stderr.write(`  request body ${(body.byteLength / 1e6).toFixed(1)} MB; scoring it in-process (1 thread) for reference…\n`);
  const local = scoreInProcess(rows);

  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const service = await startService({ repoRoot: REPO_ROOT, workers, nodeArgs });
  const runs: BatchRun[] = [];
  let cold: BatchRun;
  let hwmKiB = NaN;
  try {
    process.stderr.write(`  server pid ${service.pid} on ${service.origin}, ${workers} workers; cold POST…\n`);
    cold = await postBatch(service, body);
    if (cold.status !== 200) throw new Error(`POST /score answered ${cold.status}: ${cold.responseText.slice(0, 500)}\n${service.logTail()}`);
    for (let i = 0; i < args.e2eRuns; i++) {
      const run = await postBatch(service, body);
      if (run.status !== 200) throw new Error(`POST /score answered ${run.status}: ${run.responseText.slice(0, 500)}`);
      runs.push(run);
      process.stderr.write(`  POST ${i + 1}/${args.e2eRuns}: ${fmt(run.wallMs)} ms, worst /healthz ${fmt(Math.max(...run.healthzMs))} ms\n`);
    }
    hwmKiB = procMemory(service.pid)?.hwmKiB ?? NaN;
  } finally {
    const code = await service.stop();
    if (code !== 0) process.stderr.write(`  (server exited with code ${code})\n`);
  }

  const last = runs[runs.length - 1]!;
  const response = JSON.parse(last.responseText) as { results: ItemResult[] };
  // The physical floor of a JSON API: parse this request, serialise this response.
  const parse = timeRepeated(() => JSON.parse(bodyText), 5);
  const stringify = timeRepeated(() => JSON.stringify(response), 5);
  const bareTotal = timeRepeated(() => {
    JSON.parse(bodyText);
    return JSON.stringify(response);
  }, 5);

  let mismatches = 0;
  response.results.forEach((r, i) => {
    const l = local.results[i]!;
    const same = r.score === null ? l.score === null && r.error?.code === l.error?.code : l.score !== null && Math.abs(r.score - l.score) <= 1e-12;
    if (!same) mismatches++;
  });

  const wallMs = median(runs.map((r) => r.wallMs));
  const healthz = latencySummary(runs.flatMap((r) => r.healthzMs));
  return {
    items: rows.length,
    mix: GOLONGRL_MIX,
    workers,
    requestBytes: body.byteLength,
    responseBytes: Buffer.byteLength(last.responseText),
    coldMs: cold.wallMs,
    wallRunsMs: runs.map((r) => r.wallMs),
    wallMs,
    itemsPerSec: rows.length / (wallMs / 1000),
    healthz: { ...healthz, worstColdMs: latencySummary(cold.healthzMs).worstMs },
    ...(cold.serverLoopDelayMs !== undefined && { serverLoopDelayMs: { worst: Math.max(...runs.map((r) => r.serverLoopDelayMs ?? NaN)), cold: cold.serverLoopDelayMs } }),
    peakRssMiB: hwmKiB / 1024,
    bareJson: { parseMs: parse.ms, stringifyMs: stringify.ms, totalMs: bareTotal.ms },
    ratioToBare: wallMs / bareTotal.ms,
    inProcess: local.timing,
    responseErrors: errorCounts(response.results),
    mismatches,
  };
}

function printEndToEnd(e: EndToEnd): void {
  console.log(`\nEnd to end: one POST /score of ${e.items} verl rows over loopback HTTP (${e.workers} workers)`);
  console.log(
    table(
      ['measure', 'value'],
      [
        ['request / response size', `${(e.requestBytes / 1e6).toFixed(1)} MB / ${(e.responseBytes / 1e6).toFixed(2)} MB`],
        ['cold POST (first after start)', `${fmt(e.coldMs)} ms`],
        ['warm POSTs', e.wallRunsMs.map((x) => `${fmt(x)} ms`).join(', ')],
        ['wall time (median warm)', `${fmt(e.wallMs)} ms`],
        ['items/s', fmt(e.itemsPerSec)],
        ['worst /healthz (warm; cold)', `${fmt(e.healthz.worstMs)} ms; ${fmt(e.healthz.worstColdMs)} ms (median ${fmt(e.healthz.medianMs)} ms, ${e.healthz.polls} polls)`],
        ['server event-loop delay, max (warm; cold)', e.serverLoopDelayMs ? `${fmt(e.serverLoopDelayMs.worst)} ms; ${fmt(e.serverLoopDelayMs.cold)} ms (its /metrics)` : 'not exposed'],
        ['peak RSS of the server (VmHWM)', `${fmt(e.peakRssMiB)} MiB`],
        ['bare JSON.parse + JSON.stringify', `${fmt(e.bareJson.totalMs)} ms (parse ${fmt(e.bareJson.parseMs)}, stringify ${fmt(e.bareJson.stringifyMs)})`],
        ['ratio end-to-end / bare', `${fmt(e.ratioToBare)}×`],
        ['in-process scoring, 1 thread', `${fmt(e.inProcess.totalMs)} ms (÷${e.workers} workers = ${fmt(e.inProcess.totalMs / e.workers)} ms)`],
        ['item errors in the response', Object.entries(e.responseErrors).map(([k, v]) => `${k}:${v}`).join(' ') || '0'],
        ['results differing from in-process', String(e.mismatches)],
      ],
    ),
  );
  console.log('\nIn-process scoring time of the batch by reward type (1 thread)');
  const types = Object.entries(e.inProcess.byRewardType).sort((a, b) => b[1].totalMs - a[1].totalMs);
  console.log(
    table(
      ['reward type', 'items', 'µs/item', 'total ms', 'share'],
      types.map(([t, g]) => [t, g.n, fmt(g.meanUs), fmt(g.totalMs), `${((100 * g.totalMs) / e.inProcess.totalMs).toFixed(1)}%`]),
    ),
  );
}

// ---------------------------------------------------------------------------------------------

function budgets(scorers: readonly ScorerResult[], e?: EndToEnd): Budget[] {
  const out: Budget[] = [];
  for (const r of scorers) {
    if (r.budgetUs === undefined) continue;
    out.push({ name: `${r.case} (${r.judged === 'verl' ? 'verl row' : 'summary only'})`, limit: r.budgetUs, value: r.judged === 'verl' ? r.verlUs : r.nativeUs, unit: 'µs/item', pass: r.pass! });
  }
  if (e) {
    out.push({ name: '8,192-item batch, end to end (median warm)', limit: BUDGET.batchMs, value: e.wallMs, unit: 'ms', pass: e.wallMs <= BUDGET.batchMs });
    const worst = Math.max(e.healthz.worstMs, e.healthz.worstColdMs);
    out.push({ name: '/healthz during the batch (worst, cold and warm)', limit: BUDGET.healthzMs, value: worst, unit: 'ms', pass: worst <= BUDGET.healthzMs });
    out.push({ name: 'peak RSS of the server', limit: BUDGET.peakRssMiB, value: e.peakRssMiB, unit: 'MiB', pass: e.peakRssMiB <= BUDGET.peakRssMiB });
  }
  return out;
}

/**
 * The machine's speed right now, on a fixed piece of plain JavaScript (a character loop, median
 * of 7 timings): ns per character. Shared 2-vCPU machines swing by up to 2x for minutes at a
 * time; this says whether a run fell in a slow spell. It adjusts nothing.
 */
function machineSpeedNs(): number {
  const text = 'reward '.repeat(20_000);
  let sum = 0;
  const walk = (): number => {
    let k = 0;
    for (let i = 0; i < text.length; i++) k += text.charCodeAt(i);
    return k;
  };
  for (let i = 0; i < 20; i++) sum += walk();
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) sum += walk();
    runs.push(((performance.now() - t0) * 1e6) / (20 * text.length));
  }
  if (sum === 0) console.log(''); // keeps the loop observable
  return +median(runs).toFixed(2);
}

async function main(): Promise<void> {
  const args = parseCli();
  const started = performance.now();
  const machine = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    totalMemGiB: +(totalmem() / 2 ** 30).toFixed(1),
    loadavgAtStart: loadavg().map((x) => +x.toFixed(2)),
    date: new Date().toISOString(),
    /** machineSpeedNs() at the start and at the end (about 3 ns here in a normal spell). */
    speedNsPerChar: [machineSpeedNs()],
  };
  console.log(`golong-reward bench — ${machine.cpus} CPUs (${machine.cpuModel}), node ${machine.node}, load ${machine.loadavgAtStart.join(' ')}, machine speed ${machine.speedNsPerChar[0]} ns/char`);

  let scorers: ScorerResult[] = [];
  if (args.only !== 'e2e') {
    process.stderr.write('Per-scorer timings…\n');
    scorers = runScorers(args);
    printScorers(scorers);
  }
  let e2e: EndToEnd | undefined;
  if (args.only !== 'scorers') {
    process.stderr.write('End to end…\n');
    e2e = await runEndToEnd(args);
    printEndToEnd(e2e);
  }

  machine.speedNsPerChar.push(machineSpeedNs());
  const verdicts = budgets(scorers, e2e);
  console.log('\nBudgets');
  console.log(table(['budget', 'limit', 'measured', 'verdict'], verdicts.map((b) => [b.name, `${b.limit} ${b.unit}`, `${fmt(b.value)} ${b.unit}`, verdict(b.pass)])));
  const failed = verdicts.filter((b) => !b.pass).length;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\n${failed === 0 ? 'All budgets met' : `${failed} of ${verdicts.length} budgets missed`}; bench took ${seconds.toFixed(0)} s ` +
      `(load now ${loadavg().map((x) => x.toFixed(2)).join(' ')}; machine speed ${machine.speedNsPerChar.join(' -> ')} ns/char, about 3 in a normal spell).`,
  );

  if (args.write) {
    const file = join(REPO_ROOT, 'bench', 'results.json');
    const results = { machine, settings: { seed: args.seed, quick: args.quick, e2eRuns: args.e2eRuns, only: args.only ?? 'all' }, scorers, endToEnd: e2e, budgets: verdicts, seconds: +seconds.toFixed(1) };
    writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
    console.log(`wrote ${file}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});

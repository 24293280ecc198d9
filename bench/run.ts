// `npm run bench`: the real GoLongRL step (8,192 long-CoT rows against the real service, as one
// body and as the Python client sends it), per-scorer µs/item, how each scorer's cost grows with
// the response's length, then the short-row 8,192-item POST /score, checked against the budgets
// of ../shared/spec/quality.md and issue 14. Prints tables and writes bench/results.json.
//
// Flags: --only=step|scorers|lengths|e2e|audit (comma-separated), --cases=A,B (scorer cases whose name starts with A or B),
// --quick (shorter loops, for trying changes), --no-write, --e2e-runs=N (timed POSTs after the cold one, default 3),
// --step-rounds=N (rounds of both forms of the real step after its cold run, default 2), --seed=N.
// BENCH_SERVER_NODE_ARGS adds node flags to the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clearScorerCaches, scoreItem, type ItemResult } from '../rewards/index.js';
import { AUDIT_MAX_OVERHEAD, runAuditRounds, summariseAudit, type AuditBenchOptions, type AuditCostResult, type AuditRounds } from './audit.js';
import { scorerCases, type ScorerCase } from './cases.js';
import { latencySummary, postBatch, procMemory, startService, type BatchRun } from './e2e.js';
import { goLongRlBatch, GOLONGRL_MIX } from './generate.js';
import { errorCounts, scoreInProcess, type InProcess } from './inProcess.js';
import { JUDGED_LENGTHS, LENGTHS, runLengths, type LengthResult } from './lengths.js';
import { CLIENT_CHUNK_ROWS, CLIENT_CONCURRENCY, HOLD_AFTER_MS, runRealStep, type RealStep, type StepMode } from './realStep.js';
import { median, timeInterleaved, TimedLoop, timeRepeated, type LoopOptions, type LoopTiming } from './measure.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** GoLongRL's GRPO group size (quality.md: 512 prompts x 16 rollouts). */
const ROLLOUTS_PER_PROMPT = 16;

const BUDGET = {
  batchMs: 1500,
  healthzMs: 50,
  peakRssMiB: 1024,
  /** The real step (issue 14): wall time over its bare-JSON floor, /healthz, RSS at peak and 5 s after. */
  stepRatio: 3,
  stepHealthzMs: 50,
  stepPeakRssMiB: 1024,
  stepHeldRssMiB: 600,
} as const;

const SECTIONS = ['step', 'scorers', 'lengths', 'e2e', 'audit'] as const;
type Section = (typeof SECTIONS)[number];

interface Args {
  sections: Set<Section>;
  /** Only the scorer cases whose name starts with one of these comma-separated prefixes. */
  cases?: string;
  quick: boolean;
  write: boolean;
  e2eRuns: number;
  stepRounds: number;
  seed: number;
  /** Run one process's share of the audit's rounds and print them as JSON (runAudit starts these). */
  auditChild: boolean;
}

function parseCli(): Args {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      cases: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      'e2e-runs': { type: 'string', default: '3' },
      'step-rounds': { type: 'string', default: '2' },
      seed: { type: 'string', default: '20240611' },
      'audit-child': { type: 'boolean', default: false },
    },
  });
  const only = values.only === undefined ? [...SECTIONS] : values.only.split(',');
  for (const o of only) if (!(SECTIONS as readonly string[]).includes(o)) throw new Error(`--only takes ${SECTIONS.join(', ')} (comma-separated), not "${o}"`);
  return {
    sections: new Set(only as Section[]),
    ...(values.cases !== undefined && { cases: values.cases }),
    quick: values.quick!,
    write: !values['no-write'],
    e2eRuns: Math.max(1, Number(values['e2e-runs'])),
    stepRounds: Math.max(1, Number(values['step-rounds'])),
    seed: Number(values.seed),
    auditChild: values['audit-child']!,
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
  // A case's figure is the median of its runs, one per interleaved round (15: the section takes
  // about 25 s in a slow spell, and quality.md gives the whole bench 3 minutes).
  const opts: LoopOptions = args.quick ? { warmupMs: 40, runMs: 10, runs: 7 } : { warmupMs: 120, runMs: 15, runs: 15 };
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
  console.log(`\nShort rows end to end: one POST /score of ${e.items} verl rows with think sections of a few hundred words over loopback HTTP (${e.workers} workers)`);
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
  printByRewardType(e.inProcess);
}

// ---------------------------------------------------------------------------------------------

function printByRewardType(inProcess: InProcess): void {
  const types = Object.entries(inProcess.byRewardType).sort((a, b) => b[1].totalMs - a[1].totalMs);
  console.log(
    table(
      ['reward type', 'items', 'µs/item', 'total ms', 'share'],
      types.map(([t, g]) => [t, g.n, fmt(g.meanUs), fmt(g.totalMs), `${((100 * g.totalMs) / inProcess.totalMs).toFixed(1)}%`]),
    ),
  );
}

function printStep(st: RealStep): void {
  const d = st.distribution;
  console.log(
    `\nThe real GoLongRL step: ${st.items} verl rows (${st.prompts} prompts x ${st.rollouts} rollouts, the GoLongRL task mix) over loopback HTTP (${st.workers} workers)\n` +
      `Think sections log-normal in characters (median ${d.medianChars}, sigma ${d.sigma}), the response capped at GoLongRL's ${d.maxResponseTokens} tokens ` +
      `(${d.charsPerToken.en} characters per token in English = ${d.capChars.en}, ${d.charsPerToken.zh} in Chinese = ${d.capChars.zh})`,
  );
  console.log(
    table(
      ['responses', 'rows', 'median', 'p10', 'p90', 'max', 'at the cap'],
      (['en', 'zh'] as const).map((l) => {
        const r = st.responseChars[l];
        return [l === 'en' ? 'English (chars)' : 'Chinese (chars)', r.rows, r.median, r.p10, r.p90, r.max, r.atCap];
      }),
    ),
  );
  const one = st.modes['one body'];
  const client = st.modes.client;
  const runsOf = (mode: StepMode) => st.runs.filter((r) => r.mode === mode && !r.cold);
  const worst = (mode: StepMode, f: (r: RealStep['runs'][number]) => number | undefined) => Math.max(...runsOf(mode).map((r) => f(r) ?? Number.NaN));
  const cold = st.runs.find((r) => r.cold)!;
  console.log('');
  console.log(
    table(
      ['measure', 'one body', `as the Python client (${CLIENT_CONCURRENCY} x ${CLIENT_CHUNK_ROWS} rows in flight)`],
      [
        ['request size (MB)', one.requestMB.join(' + '), client.requestMB.join(' + ')],
        ['wall time, warm runs (ms)', runsOf('one body').map((r) => fmt(r.wallMs)).join(', '), runsOf('client').map((r) => fmt(r.wallMs)).join(', ')],
        ['wall time, median (ms)', fmt(one.wallMs), fmt(client.wallMs)],
        ['bare JSON.parse + JSON.stringify (ms)', `${fmt(one.floor.totalMs)} (${fmt(one.floor.parseMs)} + ${fmt(one.floor.stringifyMs)})`, `${fmt(client.floor.totalMs)} (${fmt(client.floor.parseMs)} + ${fmt(client.floor.stringifyMs)})`],
        ['ratio to the floor', `${fmt(one.ratio)}×`, `${fmt(client.ratio)}×`],
        ['worst /healthz (ms)', fmt(worst('one body', (r) => r.healthzWorstMs)), fmt(worst('client', (r) => r.healthzWorstMs))],
        ['server event-loop delay, max (ms)', fmt(worst('one body', (r) => r.loopDelayMs)), fmt(worst('client', (r) => r.loopDelayMs))],
        ['RSS during the step, sampled max (MiB)', fmt(worst('one body', (r) => r.sampledRssMiB)), fmt(worst('client', (r) => r.sampledRssMiB))],
        [`RSS ${HOLD_AFTER_MS / 1000} s after the step (MiB)`, fmt(worst('one body', (r) => r.heldRssMiB)), fmt(worst('client', (r) => r.heldRssMiB))],
        ['item errors in the responses', Object.entries(one.responseErrors).map(([k, v]) => `${k}:${v}`).join(' ') || '0', Object.entries(client.responseErrors).map(([k, v]) => `${k}:${v}`).join(' ') || '0'],
        ['results differing from in-process', String(one.mismatches), String(client.mismatches)],
      ],
    ),
  );
  console.log(
    `cold run (the first after start, as the client sends it): ${fmt(cold.wallMs)} ms, worst /healthz ${fmt(cold.healthzWorstMs)} ms, ` +
      `RSS ${fmt(cold.sampledRssMiB)} MiB, ${fmt(cold.heldRssMiB)} MiB ${HOLD_AFTER_MS / 1000} s later`,
  );
  console.log(`peak RSS of the server over all runs (VmHWM): ${fmt(st.peakRssMiB)} MiB; /healthz polled every 10 ms from another thread, ${st.runs.reduce((n, r) => n + r.polls, 0)} polls`);
  console.log(`\nIn-process scoring time of the step by reward type (1 thread; ${fmt(st.inProcess.totalMs)} ms in all)`);
  printByRewardType(st.inProcess);
}

function printLengths(results: readonly LengthResult[]): void {
  console.log('\nCost by response length (CPU µs per verl row; think section in the stated language; * = judged on µs per character)');
  const scorers = [...new Set(results.map((r) => r.scorer))];
  const rows: string[][] = [];
  for (const scorer of scorers) {
    for (const lang of ['en', 'zh'] as const) {
      const cells = LENGTHS.map((length) => {
        const r = results.find((x) => x.scorer === scorer && x.lang === lang && x.length === length)!;
        return r.budgetUsPerChar === undefined ? fmt(r.us) : `${fmt(r.us)} (${r.usPerChar.toFixed(3)}/char${r.pass ? '' : ' FAIL'})*`;
      });
      const errors = results.filter((x) => x.scorer === scorer && x.lang === lang).reduce((n, x) => n + x.errors, 0);
      rows.push([scorer, lang, ...cells, String(errors)]);
    }
  }
  console.log(table(['scorer', 'lang', ...LENGTHS.map((l) => `${l / 1000}k chars`), 'errors'], rows));
  console.log(
    `  summaries: budget ${'≤ 0.1'} µs/char (en), ${'≤ 0.15'} (zh), judged at ${JUDGED_LENGTHS.map((l) => `${l / 1000}k`).join(', ')}; ` +
      'caches of response pieces are emptied before every row (no response shares anything with the previous ones)',
  );
}

// ---------------------------------------------------------------------------------------------
// The audit's cost (bench/audit.ts)

/**
 * Processes the audit section runs in. Each compiles the audited and the plain path its own way,
 * so one process's median can stray from another's by more than its own interval says (with 10 ms
 * runs em read +9.8 to +17.4 % in separate processes of the same code; with 1 ms runs the
 * processes still differ by a point or two), and the verdict pools the rounds of several fresh
 * processes, each with its share of the rounds and of the CPU budget. Three, not four: each
 * process also spends ~8 s starting and warming up, and quality.md gives the whole bench 3 minutes.
 */
const AUDIT_PROCESSES = 3;

const auditOptions = (args: Args): AuditBenchOptions =>
  args.quick
    ? { warmupMs: 40, runMs: 5, minRounds: 7, maxRounds: 30, halfWidth: 0.04, budgetMs: 5_000 }
    : { warmupMs: 120, runMs: 1, minRounds: 40, maxRounds: 300, halfWidth: 0.02, budgetMs: 21_000 / AUDIT_PROCESSES };

const auditFilter = (args: Args): ((name: string) => boolean) | undefined =>
  args.cases === undefined ? undefined : (name) => args.cases!.split(',').some((p) => name.startsWith(p));

function runAudit(args: Args): AuditCostResult[] {
  // Rounds of off/on/on/off per case until its interval is narrow (bench/audit.ts); --quick: one process, this one.
  if (args.quick) return summariseAudit(args.seed, [runAuditRounds(auditOptions(args), args.seed, auditFilter(args))], auditFilter(args));
  const perProcess: AuditRounds[][] = [];
  for (let k = 0; k < AUDIT_PROCESSES; k++) {
    process.stderr.write(`  process ${k + 1}/${AUDIT_PROCESSES}\n`);
    const childArgs = [...process.execArgv, fileURLToPath(import.meta.url), '--audit-child', `--seed=${args.seed}`, ...(args.cases === undefined ? [] : [`--cases=${args.cases}`])];
    const out = execFileSync(process.execPath, childArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
    perProcess.push(JSON.parse(out) as AuditRounds[]);
  }
  return summariseAudit(args.seed, perProcess, auditFilter(args));
}

function printAudit(results: readonly AuditCostResult[]): void {
  const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} %`;
  console.log(
    `\nAudit cost (CPU µs/item of the verl row, audit off and on; overhead: median over rounds of (on + on) / (off + off), run off/on/on/off, ` +
      `pooled over fresh processes; 95 % interval of that median; the range of each process's own median; budget +${AUDIT_MAX_OVERHEAD * 100} %)`,
  );
  console.log(
    table(
      ['case', 'audit off', 'audit on', 'overhead', '95 % interval', 'process medians', 'rounds', 'verdict', 'flagged'],
      results.map((r) => [
        r.case,
        fmt(r.offUs),
        fmt(r.onUs),
        pct(r.overhead),
        `${pct(r.overheadInterval[0])} … ${pct(r.overheadInterval[1])}`,
        r.processMedians.length > 1 ? `${pct(Math.min(...r.processMedians))} … ${pct(Math.max(...r.processMedians))}` : '—',
        String(r.rounds),
        verdict(r.pass),
        `${r.flagged}/${r.items}`,
      ]),
    ),
  );
  for (const r of results) if (r.note) console.log(`  ${r.case}: ${r.note}`);
}

function budgets(scorers: readonly ScorerResult[], e?: EndToEnd, step?: RealStep, lengths: readonly LengthResult[] = [], audit: readonly AuditCostResult[] = []): Budget[] {
  const out: Budget[] = [];
  for (const r of audit) {
    if (r.pass !== undefined) out.push({ name: `audit overhead, ${r.case}`, limit: AUDIT_MAX_OVERHEAD * 100, value: 100 * r.overhead, unit: '%', pass: r.pass });
  }
  if (step) {
    for (const mode of ['one body', 'client'] as const) {
      const m = step.modes[mode];
      out.push({ name: `real step, ${mode === 'client' ? 'as the client sends it' : 'one body'}: wall / bare-JSON floor`, limit: BUDGET.stepRatio, value: m.ratio, unit: '×', pass: m.ratio <= BUDGET.stepRatio });
    }
    out.push({ name: 'real step: /healthz (worst, every run)', limit: BUDGET.stepHealthzMs, value: step.healthzWorstMs, unit: 'ms', pass: step.healthzWorstMs <= BUDGET.stepHealthzMs });
    out.push({ name: 'real step: peak RSS of the server (2 workers)', limit: BUDGET.stepPeakRssMiB, value: step.peakRssMiB, unit: 'MiB', pass: step.peakRssMiB <= BUDGET.stepPeakRssMiB });
    out.push({ name: `real step: RSS ${HOLD_AFTER_MS / 1000} s after (worst run)`, limit: BUDGET.stepHeldRssMiB, value: step.heldRssWorstMiB, unit: 'MiB', pass: step.heldRssWorstMiB <= BUDGET.stepHeldRssMiB });
  }
  for (const r of lengths) {
    if (r.budgetUsPerChar === undefined) continue;
    out.push({ name: `rouge_l ${r.lang}, ${r.length / 1000}k-char response`, limit: r.budgetUsPerChar, value: r.usPerChar, unit: 'µs/char', pass: r.pass! });
  }
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
  if (args.auditChild) {
    process.stdout.write(JSON.stringify(runAuditRounds(auditOptions(args), args.seed, auditFilter(args))));
    return;
  }
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

  // The in-process sections first, while this process's heap is small: after the step (211 MB
  // of bodies, parsed once for the in-process reference) every collection during their short
  // timed runs cost more, and the audit's paired rounds read a control pair at +11 % (-22 … +26 %).
  // Printed afterwards in the order of the report: the step first.
  // Seconds each section took: quality.md gives the whole bench 3 minutes on 2 cores.
  const sectionSeconds: Partial<Record<Section, number>> = {};
  let sectionStart = performance.now();
  const sectionDone = (section: Section): void => {
    const now = performance.now();
    sectionSeconds[section] = +((now - sectionStart) / 1000).toFixed(1);
    sectionStart = now;
  };
  let scorers: ScorerResult[] = [];
  if (args.sections.has('scorers')) {
    process.stderr.write('Per-scorer timings…\n');
    scorers = runScorers(args);
    sectionDone('scorers');
  }
  let lengths: LengthResult[] = [];
  if (args.sections.has('lengths')) {
    process.stderr.write('Cost by response length…\n');
    const opts: LoopOptions = args.quick ? { warmupMs: 20, runMs: 10, runs: 3 } : { warmupMs: 40, runMs: 20, runs: 5 };
    lengths = runLengths(args.seed, opts, (round) => process.stderr.write(`  round ${round}/${opts.runs}\n`));
    sectionDone('lengths');
  }
  let audit: AuditCostResult[] = [];
  if (args.sections.has('audit')) {
    process.stderr.write('Audit cost…\n');
    audit = runAudit(args);
    sectionDone('audit');
  }
  let step: RealStep | undefined;
  if (args.sections.has('step')) {
    process.stderr.write('The real GoLongRL step…\n');
    step = await runRealStep({
      repoRoot: REPO_ROOT,
      seed: args.seed,
      workers: availableParallelism(),
      rounds: args.stepRounds,
      nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    sectionDone('step');
  }
  let e2e: EndToEnd | undefined;
  if (args.sections.has('e2e')) {
    process.stderr.write('End to end (short rows)…\n');
    e2e = await runEndToEnd(args);
    sectionDone('e2e');
  }
  if (step) printStep(step);
  if (args.sections.has('scorers')) printScorers(scorers);
  if (args.sections.has('lengths')) printLengths(lengths);
  if (args.sections.has('audit')) printAudit(audit);
  if (e2e) printEndToEnd(e2e);

  machine.speedNsPerChar.push(machineSpeedNs());
  const verdicts = budgets(scorers, e2e, step, lengths, audit);
  console.log('\nBudgets');
  console.log(table(['budget', 'limit', 'measured', 'verdict'], verdicts.map((b) => [b.name, `${b.limit} ${b.unit}`, `${fmt(b.value)} ${b.unit}`, verdict(b.pass)])));
  const failed = verdicts.filter((b) => !b.pass).length;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\n${failed === 0 ? 'All budgets met' : `${failed} of ${verdicts.length} budgets missed`}; bench took ${seconds.toFixed(0)} s ` +
      `(${Object.entries(sectionSeconds).map(([k, v]) => `${k} ${v.toFixed(0)} s, `).join('')}` +
      `load now ${loadavg().map((x) => x.toFixed(2)).join(' ')}; machine speed ${machine.speedNsPerChar.join(' -> ')} ns/char, about 3 in a normal spell).`,
  );

  if (args.write) {
    const file = join(REPO_ROOT, 'bench', 'results.json');
    const results = { machine, settings: { seed: args.seed, quick: args.quick, e2eRuns: args.e2eRuns, stepRounds: args.stepRounds, sections: [...args.sections] }, realStep: step, scorers, lengths, audit, endToEnd: e2e, budgets: verdicts, seconds: +seconds.toFixed(1), sectionSeconds };
    writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
    console.log(`wrote ${file}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});

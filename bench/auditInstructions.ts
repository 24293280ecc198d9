// The audit's cost in instructions (callgrind): the figure that holds still on a shared machine,
// where CPU time moves by tens of percent with the neighbours' load. For each case of
// bench/audit.ts, two processes under callgrind score its rows with the audit off, then on; each
// warms up (passes alternating off and on, as the timed bench does) and then runs the measured
// passes inside Array.prototype.reduceRight (which nothing else here calls: a nested call would
// toggle collection off), so that `--toggle-collect=Builtins_ArrayReduceRight` counts those passes
// and nothing else (start-up, generation, warm-up, compilation before them).
// `--single-threaded` compiles and collects garbage on the main thread, and fixed hash and random
// seeds make node's start-up the same in every run (a random hash seed alone moved the totals by
// millions of instructions). About a minute of CPU per process.
//
//   node dist/bench/auditInstructions.js [--cases=em,ndcg] [--warm=400] [--passes=64] [--jobs=2]
//   node dist/bench/auditInstructions.js --child <case> <off|on> <warm> <passes>   (what each process runs)
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clearScorerCaches, scoreItem } from '../rewards/index.js';
import { auditCostCases } from './audit.js';
import { scorerCases } from './cases.js';

const SEED = 20240611; // bench/run.ts's default
/** Warm-up and measured passes over a case's rows: `--passes`, and `--warm` (default 400, about 25,000 items of the 64-row cases). */
const DEFAULT_WARM_PASSES = 400;
const OFF = { timeoutMs: 10_000 };
const ON = { timeoutMs: 10_000, audit: true };

function child(caseName: string, mode: string, warmPasses: number, passes: number): void {
  // The short cases without generating the long ones (a minute under callgrind).
  const short = scorerCases(SEED).find((c) => c.name === caseName);
  const rows = short ? (JSON.parse(JSON.stringify(short.items.map((i) => i.verl))) as unknown[]) : auditCostCases(SEED).find((c) => c.name === caseName)?.rows;
  if (!rows) throw new Error(`no case ${JSON.stringify(caseName)}; cases: ${auditCostCases(SEED).map((c) => c.name).join(', ')}`);
  let sink = 0;
  const pass = (options: typeof OFF): void => {
    for (const row of rows) if (scoreItem(row, options).score !== null) sink++;
  };
  // Gold caches emptied every 16 passes, as in the timed bench (16 rollouts per prompt).
  for (let i = 0; i < warmPasses; i++) {
    if (i % 16 === 0) clearScorerCaches();
    pass(i % 2 === 0 ? OFF : ON);
  }
  const options = mode === 'on' ? ON : OFF;
  [0].reduceRight((): number => {
    for (let i = 0; i < passes; i++) {
      if (i % 16 === 0) clearScorerCaches();
      pass(options);
    }
    return 0;
  }, 0);
  process.stdout.write(`rows=${rows.length} scored=${sink}\n`);
}

/** Instructions per item of one case in one mode. */
function measure(caseName: string, mode: 'off' | 'on', warmPasses: number, passes: number): Promise<number> {
  const args = [
    '--tool=callgrind',
    '--toggle-collect=Builtins_ArrayReduceRight',
    '--callgrind-out-file=/dev/null',
    process.execPath,
    '--single-threaded',
    '--hash-seed=1',
    '--random-seed=1',
    fileURLToPath(import.meta.url),
    '--child',
    caseName,
    mode,
    String(warmPasses),
    String(passes),
  ];
  return new Promise((resolve, reject) => {
    execFile('valgrind', args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const collected = /Collected : (\d+)/.exec(stderr);
      const rows = /rows=(\d+)/.exec(stdout);
      if (err || !collected || !rows) reject(new Error(`callgrind run of ${caseName} (${mode}) failed: ${err?.message ?? ''}\n${stderr.slice(-2000)}`));
      else resolve(Number(collected[1]) / (Number(rows[1]) * passes));
    });
  });
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      child: { type: 'boolean', default: false },
      cases: { type: 'string' },
      warm: { type: 'string', default: String(DEFAULT_WARM_PASSES) },
      passes: { type: 'string', default: '64' },
      jobs: { type: 'string', default: '2' },
    },
    allowPositionals: true,
  });
  if (values.child) return child(positionals[0]!, positionals[1]!, Number(positionals[2]), Number(positionals[3]));
  const passes = Number(values.passes);
  const wanted = values.cases?.split(',');
  const cases = auditCostCases(SEED)
    .filter((c) => !c.control && (wanted === undefined || wanted.some((w) => c.name.startsWith(w))))
    .map((c) => c.name);
  const tasks = cases.flatMap((name) => [
    { name, mode: 'off' as const },
    { name, mode: 'on' as const },
  ]);
  const results = new Map<string, number>();
  // A case's row is printed as soon as both its runs are in (a full run takes a while under load).
  console.log('case'.padEnd(28) + 'off'.padStart(10) + 'on'.padStart(10) + 'overhead'.padStart(10) + '   (instructions per item)');
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const t = tasks[next++]!;
      results.set(`${t.name}|${t.mode}`, await measure(t.name, t.mode, Number(values.warm), passes));
      const off = results.get(`${t.name}|off`);
      const on = results.get(`${t.name}|on`);
      if (off !== undefined && on !== undefined) {
        console.log(t.name.padEnd(28) + off.toFixed(0).padStart(10) + on.toFixed(0).padStart(10) + `${on >= off ? '+' : ''}${((100 * (on - off)) / off).toFixed(1)} %`.padStart(10));
      }
    }
  };
  await Promise.all(Array.from({ length: Number(values.jobs) }, worker));
}

await main();

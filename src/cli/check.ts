// `golong-reward check FILE`: the dataset doctor offline. Every row of a verl dataset (JSONL or
// parquet, no responses needed) is routed, its ground truth's shape checked and an ideal response
// built from it scored (rewards/ideal); one JSON line per row with a problem goes to stdout (or
// --out), a table per data source and LongBench-Pro sub-task to stderr.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_ITEM_TIMEOUT_MS, SEMANTICS } from '../../rewards/index.js';
import { CheckSummary, checkRow, problem, problemLine, type CheckSummaryData, type ProblemLine, type RowCheck } from '../../rewards/ideal/index.js';
import { parseItemJsonPy } from '../../rewards/pyjson.js';
import type { ScoringPool } from '../pool.js';
import { closeOutput, EXIT, lineWriter, openOutput, positiveInt, requireWritablePath, startPool, UsageError, type Command } from './common.js';
import { renderCheckReport } from './checkReport.js';
import { inBatches, openSource, packRecords, summaryWarmer, type InputRecord } from './input.js';
import { ProgressBar } from './progress.js';
import { textTable } from './summary.js';

export const CHECK_USAGE = `usage: golong-reward check FILE [options]

The dataset doctor: checks every row of a verl dataset before training. Each row is routed as
/score routes it, its ground truth is read as its route reads it, and an ideal response built
from it is scored; every row that keeps its rollouts from the scorer's best (the reference raises
on it, or even the ideal response scores below the best, or its ground truth is odd) is written
to stdout (or --out) as one JSON line with its problem code and the reason; a table per data
source and LongBench-Pro sub-task goes to stderr.

FILE   a verl dataset, no responses needed: .jsonl, one row per line {"data_source",
       "reward_model": {"ground_truth"}, "extra_info"} (or "ground_truth" at the top level;
       other fields are ignored); "-" reads stdin. Or a verl .parquet dataset.

options:
  --out FILE               write the problem lines (JSONL) there instead of stdout
  --report FILE.html       write a self-contained HTML report of the check
  --fail-on-problem        exit with code 3 when any row has a problem (for CI pipelines)
  --ideal                  add each reported row's ideal_response (the response that was scored)
  --workers N              check on N worker threads (lines stay in input order)
  --timeout-ms N           time budget per row (default 2000)
  --progress               always show progress on stderr (default: only on a terminal, for big files)
  --quiet                  no progress and no table
  -h, --help               this text

exit codes: 0 done (rows with problems are in the output), 1 the input could not be read
(missing, empty, neither JSONL nor parquet), 2 wrong usage, 3 --fail-on-problem and at least
one row has a problem.
`;

/** Problem lines the HTML report shows in full. */
const REPORT_LINES = 500;

/** A line the input already rejected: not JSON, or JSON but not an object (which the check words itself). */
function rejectedRow(record: InputRecord): RowCheck {
  if (record.text !== undefined) {
    let value: unknown;
    try {
      value = parseItemJsonPy(record.text);
    } catch {
      return { ideal_score: null, best_score: null, problems: [problem('not_json', record.early?.error?.message ?? 'the row is not valid JSON')] };
    }
    return checkRow(value);
  }
  return { ideal_score: null, best_score: null, problems: [problem('not_json', record.early?.error?.message ?? 'the row could not be read')] };
}

/** The rows of the input, checked in this thread or on the pool, in input order. */
function checkRecords(records: AsyncIterable<InputRecord>, pool: ScoringPool | undefined, options: { timeoutMs: number; includeIdeal: boolean; batchSize: number }) {
  if (!pool) {
    const warm = summaryWarmer();
    return (async function* () {
      for await (const record of records) {
        warm(record.item);
        yield { record, check: record.early ? rejectedRow(record) : checkRow(record.item, options) };
      }
    })();
  }
  return inBatches(records, options.batchSize, async (batch) => {
    const { packed, indices } = packRecords(batch);
    const checked = indices.length > 0 ? await pool.checkBatch(packed, indices, { timeoutMs: options.timeoutMs, includeIdeal: options.includeIdeal }) : [];
    const checks = batch.map((record) => (record.early ? rejectedRow(record) : undefined));
    indices.forEach((k, j) => (checks[k] = checked[j]!));
    return batch.map((record, k) => ({ record, check: checks[k]! }));
  });
}

/** The stderr table: rows, fine rows and problems by code, per data source and LongBench-Pro sub-task. */
export function formatCheckTable(data: CheckSummaryData): string {
  const codes = (problems: Record<string, number>) =>
    Object.entries(problems)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code, n]) => `${code} ${n}`)
      .join(', ') || '-';
  // Stray whitespace in a name is the problem itself: show such names quoted.
  const name = (s: string) => (s === '' || s !== s.trim() ? JSON.stringify(s) : s);
  const rows = data.by_source.map((g) => [
    g.data_source === null ? '(no data_source)' : g.subtask !== undefined ? `${name(g.data_source)} · ${name(g.subtask)}` : name(g.data_source),
    String(g.rows),
    String(g.fine),
    codes(g.problems),
  ]);
  const table = textTable(['data source · sub-task', 'rows', 'fine', 'problems by code'], rows, [['all', String(data.rows), String(data.fine), `${data.with_problems} rows`]], new Set([3]));
  const severities = Object.entries(data.by_severity)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  return (
    `${table}\n` +
    (data.with_problems > 0 ? `problems by code: ${codes(data.by_code)}\n` : '') +
    `${data.with_problems} of ${data.rows} rows have a problem${severities ? ` (${severities})` : ''}\n` +
    '(fatal: every rollout scores 0 or errors; capped: even the ideal response scores below the best; warning: odd but scorable. Each row counts under its first problem.)\n'
  );
}

async function runCheck(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      report: { type: 'string' },
      'fail-on-problem': { type: 'boolean', default: false },
      ideal: { type: 'boolean', default: false },
      workers: { type: 'string' },
      'timeout-ms': { type: 'string' },
      progress: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('check takes exactly one FILE');
  const path = positionals[0]!;
  const timeoutMs = positiveInt('timeout-ms', values['timeout-ms']) ?? DEFAULT_ITEM_TIMEOUT_MS;
  const workers = positiveInt('workers', values.workers);
  // Output paths are checked before the run: a long check must not end in a write error.
  if (values.out !== undefined) requireWritablePath(values.out, '--out');
  if (values.report !== undefined) requireWritablePath(values.report, '--report');

  const source = await openSource(path, { datasetOnly: true });
  const started = performance.now();
  const progress = new ProgressBar(process.stderr, { force: values.progress && !values.quiet, verb: 'checking', unit: 'rows' });
  progress.setTotal(source.total);
  const outStream = openOutput(values.out);
  const out = lineWriter(outStream);
  const summary = new CheckSummary();
  const shown: ProblemLine[] = [];
  const pool = workers === undefined ? undefined : await startPool(workers);
  let count = 0;
  try {
    const checks = checkRecords(source.records, pool, { timeoutMs, includeIdeal: values.ideal, batchSize: Math.max(256, (workers ?? 1) * 128) });
    for await (const { record, check } of checks) {
      summary.add(check);
      const line = problemLine(check, record.index);
      if (line) {
        await out.write(JSON.stringify(line));
        if (shown.length < REPORT_LINES) shown.push(line);
      }
      if (!values.quiet) progress.update(++count, record.position);
    }
  } finally {
    await pool?.close();
  }
  await closeOutput(out, outStream);
  const data = summary.data();
  const seconds = (performance.now() - started) / 1000;
  if (!values.quiet) {
    progress.finish(data.rows);
    process.stderr.write(`\n${formatCheckTable(data)}checked ${data.rows} rows in ${seconds.toFixed(1)} s\n`);
  }
  if (values.report !== undefined) {
    writeFileSync(values.report, renderCheckReport(data, shown, { source: path, semantics: SEMANTICS, generatedAt: new Date(), seconds }));
    if (!values.quiet) process.stderr.write(`report: ${values.report}\n`);
  }
  if (values['fail-on-problem'] && data.with_problems > 0) {
    process.stderr.write(`golong-reward: ${data.with_problems} of ${data.rows} rows have a problem (--fail-on-problem)\n`);
    return EXIT.problemsFound;
  }
  return EXIT.ok;
}

export const checkCommand: Command = {
  name: 'check',
  summary: "check a verl dataset's ground truths before training (JSONL or parquet)",
  usage: () => CHECK_USAGE,
  run: runCheck,
};

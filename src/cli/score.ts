// `golong-reward score FILE`: score a JSONL file of items (or a verl parquet dataset) offline.
// Exactly one JSON result per input item goes to stdout (or --out), in input order; everything
// meant for a person (progress, summary table) goes to stderr.
import { createWriteStream, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { SEMANTICS } from '../../rewards/index.js';
import type { ScoringPool } from '../pool.js';
import { lineWriter, positiveInt, UsageError } from './common.js';
import { openSource, scoreInProcess, scoreOnPool, type Scored } from './input.js';
import { ProgressBar } from './progress.js';
import { renderReport } from './report.js';
import { formatSummaryTable, itemContext, ScoreSummary } from './summary.js';

export const SCORE_USAGE = `  golong-reward score FILE [options]     FILE: .jsonl (verl rows or native items; "-" reads stdin)
                                               or a verl .parquet dataset
      --out FILE               write the results (JSONL) there instead of stdout
      --report FILE.html       write a self-contained HTML report (histograms, worst examples)
      --workers N              score on N worker threads (results stay in input order)
      --details                add per-item explanations to the results
      --timeout-ms N           per-item time budget (default 2000)
      --responses FILE         parquet: one response per dataset row (JSONL strings or lists; .txt: plain lines)
      --response-column NAME   parquet: the column holding each row's response(s) (default: responses)
      --progress               always show progress on stderr (default: only on a terminal, for big files)
      --quiet                  no progress and no summary table
`;

export async function scoreCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      details: { type: 'boolean', default: false },
      'timeout-ms': { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
      report: { type: 'string' },
      responses: { type: 'string' },
      'response-column': { type: 'string' },
      progress: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('score takes exactly one FILE');
  const path = positionals[0]!;
  const timeoutMs = positiveInt('timeout-ms', values['timeout-ms']);
  const workers = positiveInt('workers', values.workers);
  if (workers !== undefined && workers > 4 * availableParallelism()) {
    process.stderr.write(`note: --workers ${workers} on a machine with ${availableParallelism()} cores\n`);
  }

  const source = await openSource(path, { responsesFile: values.responses, responseColumn: values['response-column'] });
  const started = performance.now();
  const progress = new ProgressBar(process.stderr, { force: values.progress && !values.quiet });
  progress.setTotal(source.total);
  const summary = new ScoreSummary();
  const needSummary = !values.quiet || values.report !== undefined;

  const outStream = values.out ? createWriteStream(values.out) : process.stdout;
  const out = lineWriter(outStream);
  let pool: ScoringPool | undefined;
  let results: AsyncIterable<Scored>;
  if (workers === undefined) {
    results = scoreInProcess(source.records, { details: values.details, timeoutMs });
  } else {
    const { ScoringPool } = await import('../pool.js');
    pool = new ScoringPool({ workers, chunkItems: 64, chunkBytes: 4 << 20, timeoutGraceMs: 1000, testHooks: false });
    pool.start();
    results = scoreOnPool(source.records, pool, { details: values.details, timeoutMs, batchSize: Math.max(1024, workers * 256) });
  }

  let count = 0;
  try {
    for await (const { record, result } of results) {
      await out.write(JSON.stringify(result));
      if (needSummary) summary.add(result, record.index, itemContext(record.item));
      if (!values.quiet) progress.update(++count, record.position);
    }
  } finally {
    await pool?.close();
  }
  await out.flush();
  if (outStream !== process.stdout) await new Promise<void>((resolve, reject) => outStream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  const seconds = (performance.now() - started) / 1000;
  const data = summary.data();
  if (!values.quiet) {
    progress.finish(data.items);
    process.stderr.write(`\n${formatSummaryTable(data)}scored ${data.items} items in ${seconds.toFixed(1)} s\n`);
  }
  if (values.report !== undefined) {
    writeFileSync(values.report, renderReport(data, { source: path, semantics: SEMANTICS, generatedAt: new Date(), seconds }));
    if (!values.quiet) process.stderr.write(`report: ${values.report}\n`);
  }
  return 0;
}

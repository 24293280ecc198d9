#!/usr/bin/env node
// The golong-reward command line: run the service, list tasks, or score a file offline.
// `score` writes exactly one JSON result per input item to stdout (or --out), in input order;
// everything meant for a person (progress, summary table) goes to stderr.
import { createWriteStream, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { describeTasks, SEMANTICS } from '../rewards/index.js';
import { ProgressBar } from './cliProgress.js';
import { formatSummaryTable, itemContext, ScoreSummary } from './cliSummary.js';
import { InputError } from './parquet.js';
import { renderReport } from './report.js';
import { openSource, scoreInProcess, scoreOnPool, type Scored } from './scoreFile.js';

const USAGE = `usage:
  golong-reward serve [--port N] [--host H] [--workers N] [--token T] [more flags: golong-reward serve --help]
  golong-reward score FILE [options]     FILE: .jsonl (verl rows or native items; "-" reads stdin)
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
  golong-reward tasks          list scorers, LongBench-Pro sub-tasks and verl data sources (JSON)
`;

class UsageError extends Error {}

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return n;
}

/** Writes lines with backpressure. */
function lineWriter(stream: NodeJS.WritableStream) {
  let buffer = '';
  const flush = async () => {
    if (buffer === '') return;
    const chunk = buffer;
    buffer = '';
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
  };
  return {
    async write(line: string) {
      buffer += line + '\n';
      if (buffer.length > 1 << 16) await flush();
    },
    flush,
  };
}

async function scoreCommand(args: string[]): Promise<number> {
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
  let pool: import('./pool.js').ScoringPool | undefined;
  let results: AsyncIterable<Scored>;
  if (workers === undefined) {
    results = scoreInProcess(source.records, { details: values.details, timeoutMs });
  } else {
    const { ScoringPool } = await import('./pool.js');
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

async function serveCommand(args: string[]): Promise<number> {
  const { loadConfig, ConfigError, SETTINGS } = await import('./config.js');
  if (args.includes('--help') || args.includes('-h')) {
    const rows = SETTINGS.filter((s) => s.flag).map((s) => `  --${s.flag!.padEnd(24)} ${s.env ? `(${s.env}) ` : ''}${s.doc}`);
    process.stdout.write(`usage: golong-reward serve [flags]\nFlags override environment variables, which override defaults.\n${rows.join('\n')}\n`);
    return 0;
  }
  let config;
  try {
    config = loadConfig({ env: process.env, argv: args });
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const { startServer } = await import('./main.js');
  await startServer(config); // keeps running; SIGTERM/SIGINT drain and exit
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'score':
        return await scoreCommand(rest);
      case 'serve':
        return await serveCommand(rest);
      case 'tasks':
        process.stdout.write(JSON.stringify(describeTasks(), null, 2) + '\n');
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    // parseArgs reports unknown flags with a TypeError whose code starts with ERR_PARSE_ARGS.
    const code = (err as { code?: string }).code ?? '';
    if (err instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`golong-reward: ${(err as Error).message}\n${USAGE}`);
      return 2;
    }
    if (err instanceof InputError || code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      process.stderr.write(`golong-reward: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`golong-reward: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);

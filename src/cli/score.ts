// `golong-reward score FILE`: score a JSONL file of items (or a verl parquet dataset) offline.
// Exactly one JSON result per input item goes to stdout (or --out), in input order; everything
// meant for a person (progress, summary table) goes to stderr.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PENALTY_SEMANTICS_SUFFIX, SEMANTICS, type AuditPenalties, type ItemResult } from '../../rewards/index.js';
import { describeIssues } from '../schemas/advantages.js';
import { AUDIT_PENALTY_FIELDS, auditPenaltyList, penaltiesOrUndefined } from '../schemas/audit.js';
import { AuditSummary, formatAuditTable } from './auditSummary.js';
import type { ScoringPool } from '../pool.js';
import { closeOutput, EXIT, lineWriter, openOutput, positiveInt, requireWritablePath, startPool, UsageError, type Command } from './common.js';
import { openSource, scoreInProcess, scoreOnPool, type Scored } from './input.js';
import { ProgressBar } from './progress.js';
import { renderReport } from './report.js';
import { formatSummaryTable, itemContext, ScoreSummary } from './summary.js';

export const SCORE_USAGE = `usage: golong-reward score FILE [options]

Scores every item of FILE offline and writes one JSON result per item, in input order, to
stdout (or --out); progress and a summary table per reward type go to stderr.

FILE   a .jsonl file, one item per line: a verl row {"data_source", "solution_str",
       "ground_truth", "extra_info"} or a native item {"task", "response", "reference"};
       "-" reads stdin. Or a verl .parquet dataset with its responses (see --responses).

options:
  --out FILE               write the results (JSONL) there instead of stdout
  --report FILE.html       write a self-contained HTML report (histograms, worst examples)
  --fail-on-error          exit with code 3 when any item could not be scored
  --workers N              score on N worker threads (results stay in input order)
  --details                add per-item explanations to the results
  --audit                  reward-hacking audit: flag suspicious rollouts (results get "audit"; the summary
                           and the report a "suspicious rollouts" section); scores do not change
  --audit-penalty F:V,...  cap the score of items with flag F at V (0-1; implies --audit; this project's
                           rule, not the reference's: results keep reference_score); flags: golong-reward tasks
  --timeout-ms N           per-item time budget (default 2000)
  --responses FILE         parquet: one response per dataset row (JSONL strings or lists; .txt: plain lines)
  --response-column NAME   parquet: the column holding each row's response(s) (default: responses)
  --progress               always show progress on stderr (default: only on a terminal, for big files)
  --quiet                  no progress and no summary table
  -h, --help               this text

exit codes: 0 done (items that could not be scored are in the output with their error),
1 the input could not be read (missing, empty, not parquet…), 2 wrong usage,
3 --fail-on-error and at least one item could not be scored.

Through npm, keep npm's banner out of the JSONL with -s:  npm run -s score -- FILE > results.jsonl
`;

async function runScore(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      details: { type: 'boolean', default: false },
      audit: { type: 'boolean', default: false },
      'audit-penalty': { type: 'string', multiple: true },
      'timeout-ms': { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
      report: { type: 'string' },
      responses: { type: 'string' },
      'response-column': { type: 'string' },
      progress: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      'fail-on-error': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('score takes exactly one FILE');
  const path = positionals[0]!;
  const timeoutMs = positiveInt('timeout-ms', values['timeout-ms']);
  const workers = positiveInt('workers', values.workers);
  const auditPenalty = parseAuditPenalty(values['audit-penalty']);
  const audit = values.audit || auditPenalty !== undefined;
  const auditOptions = audit ? { audit, ...(auditPenalty && { auditPenalty }) } : {};

  // Output paths are checked before scoring: a long run must not end in a write error.
  if (values.out !== undefined) requireWritablePath(values.out, '--out');
  if (values.report !== undefined) requireWritablePath(values.report, '--report');

  const source = await openSource(path, { responsesFile: values.responses, responseColumn: values['response-column'] });
  const started = performance.now();
  const progress = new ProgressBar(process.stderr, { force: values.progress && !values.quiet });
  progress.setTotal(source.total);
  const summary = new ScoreSummary();
  const auditSummary = audit ? new AuditSummary() : undefined;
  const needSummary = !values.quiet || values.report !== undefined;

  const outStream = openOutput(values.out);
  const out = lineWriter(outStream);
  let pool: ScoringPool | undefined;
  let results: AsyncIterable<Scored>;
  // The report explains its examples and counts zeros by reason: it needs every item's details,
  // which the results file carries only with --details.
  const details = values.details || values.report !== undefined;
  const written = (result: ItemResult): ItemResult => {
    if (values.details || result.details === undefined) return result;
    const { details: _omitted, ...rest } = result;
    return rest;
  };
  if (workers === undefined) {
    results = scoreInProcess(source.records, { details, timeoutMs, ...auditOptions });
  } else {
    pool = await startPool(workers);
    results = scoreOnPool(source.records, pool, { details, timeoutMs, batchSize: Math.max(1024, workers * 256), ...auditOptions });
  }

  let count = 0;
  let failed = 0;
  try {
    for await (const { record, result } of results) {
      await out.write(JSON.stringify(written(result)));
      count++;
      if (result.score === null) failed++;
      if (needSummary) {
        const context = itemContext(record.item);
        summary.add(result, record.index, context);
        auditSummary?.add(result, record.index, context);
      }
      if (!values.quiet) progress.update(count, record.position);
    }
  } finally {
    await pool?.close();
  }
  await closeOutput(out, outStream);
  const seconds = (performance.now() - started) / 1000;
  const data = summary.data();
  if (auditSummary) data.audit = auditSummary.data();
  if (!values.quiet) {
    progress.finish(data.items);
    const outcome =
      data.errors === 0
        ? data.items === 1
          ? '1 item scored'
          : `all ${data.items} items scored`
        : `${data.scored} of ${data.items} items scored; ${data.errors} could not be scored (score null, with the error, in their result lines)`;
    const auditTable = data.audit ? `\n${formatAuditTable(data.audit)}` : '';
    process.stderr.write(`\n${formatSummaryTable(data)}${auditTable}${outcome}, in ${seconds.toFixed(1)} s\n`);
  }
  if (values.report !== undefined) {
    const semantics = auditPenalty ? SEMANTICS + PENALTY_SEMANTICS_SUFFIX : SEMANTICS;
    writeFileSync(values.report, renderReport(data, { source: path, semantics, generatedAt: new Date(), seconds }));
    if (!values.quiet) process.stderr.write(`report: ${values.report}\n`);
  }
  if (values['fail-on-error'] && failed > 0) {
    process.stderr.write(`golong-reward: ${failed} of ${count} items could not be scored (--fail-on-error)\n`);
    return EXIT.itemsFailed;
  }
  return EXIT.ok;
}

export const scoreCommand: Command = {
  name: 'score',
  summary: 'score a JSONL file of items, or a verl parquet dataset, offline',
  usage: () => SCORE_USAGE,
  run: runScore,
};

/** --audit-penalty F:V (repeatable, or comma-separated), checked as the API checks audit_penalty. */
function parseAuditPenalty(raw: string[] | undefined): AuditPenalties | undefined {
  if (raw === undefined) return undefined;
  const parsed = auditPenaltyList.safeParse(raw.join(','));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      throw new UsageError(`--audit-penalty: unknown flag ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; flags: ${AUDIT_PENALTY_FIELDS.join(', ')}`);
    }
    throw new UsageError(`--audit-penalty: ${describeIssues(parsed.error.issues)} (write flag:value, e.g. repetition_loop:0)`);
  }
  return penaltiesOrUndefined(parsed.data as AuditPenalties);
}

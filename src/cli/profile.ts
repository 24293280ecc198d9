// `golong-reward profile FILE`: how hard each prompt is for the policy. Reads rollouts that are
// already scored (a results file whose lines carry `uid` and `score`) or verl rows / native items
// with `uid` and responses (scored here, as `score` scores them), groups them by prompt, and
// buckets each prompt: always_0 (no rollout earns anything), always_1 (every rollout gets the
// best), mixed. Per reward type the bucket shares and the mean pass rate (what TMN-Reweight's
// difficulty weighting works from); with a `model` field on the rollouts, the same per model and
// the prompts every model fails or aces (GoLongRL's multi-level pass-rate filtering).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ItemResult } from '../../rewards/index.js';
import { closeOutput, EXIT, InputError, lineWriter, openOutput, positiveInt, requireWritablePath, startPool, UsageError, type Command } from './common.js';
import { openSource, scoreInProcess, scoreOnPool, type InputRecord, type Scored } from './input.js';
import { ProgressBar } from './progress.js';
import { textTable } from './summary.js';

export const PROFILE_USAGE = `usage: golong-reward profile FILE [options]

How hard each prompt is for the policy. Groups scored rollouts by prompt (uid) and writes one
JSON line per prompt to stdout (or --out): uid, reward_type, n, mean, pass_rate (share of
rollouts scoring 1.0), bucket (always_0, always_1, mixed), and per model when rollouts carry a
"model" field. stderr: per reward type the bucket shares and the mean pass rate; with models,
the same per model and the prompts every model fails or aces.

FILE   .jsonl: scored rollouts {"uid", "score", "reward_type"?, "model"?} (e.g. score's results
       with each prompt's id added as "uid"), or verl rows / native items with "uid" and a
       response, scored first as score scores them; "-" reads stdin. Or a verl .parquet dataset
       with its responses (as score reads it): a "uid" column, else each row is one prompt.

options:
  --out FILE               write the per-prompt lines (JSONL) there instead of stdout
  --keep FILE              write the uids worth training on (mixed prompts), one per line
  --drop FILE              write the other uids (always_0, always_1, unscored), one per line
  --workers N              score on N worker threads
  --timeout-ms N           per-item time budget when scoring (default 2000)
  --responses FILE         parquet: one response per dataset row (as score)
  --response-column NAME   parquet: the column holding each row's response(s) (as score)
  --progress               always show progress on stderr (default: only on a terminal, for big files)
  --quiet                  no progress and no tables
  -h, --help               this text

exit codes: 0 done, 1 the input could not be read or a rollout has no uid or a score outside
[0, 1], 2 wrong usage.
`;

/** A score at least this high is a pass: 1.0, and ROUGE-L's ceiling 2/(2+1e-8) = 1 - 5e-9. */
export const PASS_SCORE = 1 - 1e-8;

export type Bucket = 'always_0' | 'always_1' | 'mixed' | 'unscored';

/** Running counts of one prompt (or of one model on it). */
interface Tally {
  n: number;
  errors: number;
  sum: number;
  passes: number;
  zeros: number;
}

const emptyTally = (): Tally => ({ n: 0, errors: 0, sum: 0, passes: 0, zeros: 0 });

function addScore(t: Tally, score: number | null): void {
  if (score === null) {
    t.errors++;
    return;
  }
  t.n++;
  t.sum += score;
  if (score >= PASS_SCORE) t.passes++;
  if (score === 0) t.zeros++;
}

export function bucketOf(t: Pick<Tally, 'n' | 'passes' | 'zeros'>): Bucket {
  if (t.n === 0) return 'unscored';
  if (t.zeros === t.n) return 'always_0';
  if (t.passes === t.n) return 'always_1';
  return 'mixed';
}

export interface PromptStats {
  uid: string;
  reward_type: string | null;
  /** Scored rollouts. */
  n: number;
  /** Rollouts that could not be scored (item errors); not in n, mean or pass_rate. */
  errors?: number;
  mean: number | null;
  pass_rate: number | null;
  bucket: Bucket;
  /** Per model, when rollouts carry a `model` field. */
  models?: Record<string, { n: number; mean: number | null; pass_rate: number | null; bucket: Bucket; errors?: number }>;
}

interface PromptTally extends Tally {
  uid: string;
  rewardTypes: Set<string>;
  models: Map<string, Tally>;
}

/** A rollout as profile sees it. */
export interface Rollout {
  uid: string;
  score: number | null;
  reward_type?: string;
  model?: string;
}

/** Model name of rollouts without a `model` field, when others have one. */
const NO_MODEL = '(no model)';

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** Groups rollouts by prompt; memory is per prompt, not per rollout. */
export class PromptProfile {
  private readonly prompts = new Map<string, PromptTally>();
  private readonly modelNames = new Set<string>();
  private withModel = 0;
  private rollouts = 0;

  add(r: Rollout): void {
    this.rollouts++;
    let p = this.prompts.get(r.uid);
    if (!p) {
      p = { uid: r.uid, ...emptyTally(), rewardTypes: new Set(), models: new Map() };
      this.prompts.set(r.uid, p);
    }
    addScore(p, r.score);
    if (r.reward_type !== undefined) p.rewardTypes.add(r.reward_type);
    const model = r.model ?? NO_MODEL;
    if (r.model !== undefined) this.withModel++;
    this.modelNames.add(model);
    let m = p.models.get(model);
    if (!m) p.models.set(model, (m = emptyTally()));
    addScore(m, r.score);
  }

  /** Models seen, when any rollout named one. */
  get models(): string[] {
    return this.withModel === 0 ? [] : [...this.modelNames].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }

  get rolloutCount(): number {
    return this.rollouts;
  }

  /** One entry per prompt, in order of first appearance. */
  *stats(): Generator<PromptStats> {
    const multi = this.withModel > 0;
    for (const p of this.prompts.values()) {
      const types = [...p.rewardTypes];
      const out: PromptStats = {
        uid: p.uid,
        reward_type: types.length === 1 ? types[0]! : types.length === 0 ? null : types.sort().join('+'),
        n: p.n,
        ...(p.errors > 0 && { errors: p.errors }),
        mean: rate(p.sum, p.n),
        pass_rate: rate(p.passes, p.n),
        bucket: bucketOf(p),
      };
      if (multi) {
        out.models = {};
        for (const name of [...p.models.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
          const m = p.models.get(name)!;
          out.models[name] = { n: m.n, mean: rate(m.sum, m.n), pass_rate: rate(m.passes, m.n), bucket: bucketOf(m), ...(m.errors > 0 && { errors: m.errors }) };
        }
      }
      yield out;
    }
  }
}

/** Whether a prompt is worth training on: some rollouts succeed and some fail. */
export const keepPrompt = (s: PromptStats): boolean => s.bucket === 'mixed';

const pct = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

interface GroupCounts {
  prompts: number;
  rollouts: number;
  buckets: Record<Bucket, number>;
  passRateSum: number;
}

const emptyGroup = (): GroupCounts => ({ prompts: 0, rollouts: 0, buckets: { always_0: 0, always_1: 0, mixed: 0, unscored: 0 }, passRateSum: 0 });

function addGroup(g: GroupCounts, n: number, bucket: Bucket, passRate: number | null): void {
  g.prompts++;
  g.rollouts += n;
  g.buckets[bucket]++;
  if (passRate !== null) g.passRateSum += passRate;
}

function groupRow(name: string, g: GroupCounts): string[] {
  const scored = g.prompts - g.buckets.unscored;
  return [
    name,
    String(g.prompts),
    String(g.rollouts),
    pct(g.buckets.always_0, g.prompts),
    pct(g.buckets.always_1, g.prompts),
    pct(g.buckets.mixed, g.prompts),
    String(g.buckets.unscored),
    scored === 0 ? '-' : (g.passRateSum / scored).toFixed(4),
  ];
}

const GROUP_HEADER = ['prompts', 'rollouts', 'always_0', 'always_1', 'mixed', 'unscored', 'mean pass rate'];

/** The stderr tables: per reward type; with models, per model and across models. */
export function formatProfileTables(all: readonly PromptStats[], models: readonly string[]): string {
  const byType = new Map<string, GroupCounts>();
  const total = emptyGroup();
  for (const s of all) {
    const type = s.reward_type ?? '(no reward type)';
    if (!byType.has(type)) byType.set(type, emptyGroup());
    addGroup(byType.get(type)!, s.n, s.bucket, s.pass_rate);
    addGroup(total, s.n, s.bucket, s.pass_rate);
  }
  const rows = [...byType.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([type, g]) => groupRow(type, g));
  const out = [textTable(['reward type', ...GROUP_HEADER], rows, [groupRow('all', total)])];
  if (models.length > 0) {
    const byModel = new Map(models.map((m) => [m, emptyGroup()]));
    let everyFails = 0;
    let everyAces = 0;
    let partial = 0;
    const combos = new Map<string, number>();
    for (const s of all) {
      const mine = s.models ?? {};
      for (const [m, ms] of Object.entries(mine)) addGroup(byModel.get(m)!, ms.n, ms.bucket, ms.pass_rate);
      if (models.some((m) => mine[m] === undefined)) {
        partial++;
        continue;
      }
      const buckets = models.map((m) => mine[m]!.bucket);
      if (buckets.every((b) => b === 'always_0')) everyFails++;
      if (buckets.every((b) => b === 'always_1')) everyAces++;
      const key = buckets.join(' / ');
      combos.set(key, (combos.get(key) ?? 0) + 1);
    }
    out.push('', textTable(['model', ...GROUP_HEADER], models.map((m) => groupRow(m, byModel.get(m)!))));
    const complete = all.length - partial;
    out.push(
      '',
      `prompts every model fails (always_0 for each; hard or mislabelled: look at them): ${everyFails} of ${complete}`,
      `prompts every model aces (always_1 for each; too easy to teach): ${everyAces} of ${complete}`,
      ...(partial > 0 ? [`prompts without rollouts from every model (left out of the two lines above and the table below): ${partial}`] : []),
      '',
      textTable(
        [models.join(' / '), 'prompts', 'share'],
        [...combos.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key, n]) => [key, String(n), pct(n, complete)]),
      ),
    );
  }
  out.push(`(a pass is a score of 1.0, ROUGE-L's ceiling 0.999999995 included; always_0: every scored rollout is 0; always_1: every one passes; unscored: only item errors)`);
  return out.join('\n') + '\n';
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A results line: it has a `score` and is neither a verl row nor a native item. */
const isScoredLine = (item: unknown): item is Record<string, unknown> => isRecord(item) && 'score' in item && !('data_source' in item) && !('task' in item);

/** A rollout to profile: where it came from, its prompt and its model. */
type ProfileRecord = InputRecord & { uid: string; model?: string };

function where(record: InputRecord): string {
  return record.row !== undefined ? `row ${record.row}` : record.line !== undefined ? `line ${record.line}` : `item ${record.index}`;
}

/** The prompt a rollout belongs to: its `uid`; for a parquet dataset without one, its row. */
function uidOf(record: InputRecord): string {
  const item = record.item;
  const uid = isRecord(item) ? item.uid : undefined;
  if (typeof uid === 'string' || (typeof uid === 'number' && Number.isFinite(uid))) return String(uid);
  if (uid === undefined && record.row !== undefined) return String(record.row);
  if (record.early && !isRecord(item)) throw new InputError(`${where(record)}: ${record.early.error?.message ?? 'unreadable'}; profile cannot tell which prompt it belongs to`);
  throw new InputError(
    uid === undefined
      ? `${where(record)} has no "uid" field: profile groups rollouts by prompt, so every line needs the id of its prompt as "uid" (a string or a number)`
      : `${where(record)} has uid ${JSON.stringify(uid)}; a uid must be a string or a number`,
  );
}

/** What a results line says: its score (checked), reward type and model. */
function scoredLine(record: InputRecord, item: Record<string, unknown>): ItemResult {
  const score = item.score;
  if (score !== null && !(typeof score === 'number' && score >= 0 && score <= 1)) {
    throw new InputError(`${where(record)} has score ${JSON.stringify(score)}; a score must be a number in [0, 1], or null for an item that could not be scored`);
  }
  return { score, ...(typeof item.reward_type === 'string' && { reward_type: item.reward_type }) };
}

function modelOf(item: unknown): string | undefined {
  const model = isRecord(item) ? item.model : undefined;
  return model === undefined || model === null ? undefined : String(model);
}

async function runProfile(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      keep: { type: 'string' },
      drop: { type: 'string' },
      workers: { type: 'string' },
      'timeout-ms': { type: 'string' },
      responses: { type: 'string' },
      'response-column': { type: 'string' },
      progress: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('profile takes exactly one FILE');
  const path = positionals[0]!;
  const timeoutMs = positiveInt('timeout-ms', values['timeout-ms']);
  const workers = positiveInt('workers', values.workers);
  // Output paths are checked before the run: a long run must not end in a write error.
  for (const [flag, file] of [['--out', values.out], ['--keep', values.keep], ['--drop', values.drop]] as const) {
    if (file !== undefined) requireWritablePath(file, flag);
  }

  const source = await openSource(path, { responsesFile: values.responses, responseColumn: values['response-column'], passColumns: ['uid', 'model'] });
  // Results lines pass through as results decided without scoring; the rest is scored. Each
  // record carries its prompt and model (the scorers never see the model).
  async function* records(): AsyncGenerator<ProfileRecord> {
    for await (const record of source.records) {
      const item = record.item;
      const tagged = { ...record, uid: uidOf(record), ...(modelOf(item) !== undefined && { model: modelOf(item)! }) };
      if (isScoredLine(item)) yield { ...tagged, early: scoredLine(record, item) };
      else if (isRecord(item) && 'task' in item && 'model' in item) {
        // A native item refuses fields it does not know.
        const { model: _model, ...native } = item;
        yield { ...tagged, item: native, text: undefined };
      } else yield tagged;
    }
  }
  const progress = new ProgressBar(process.stderr, { force: values.progress && !values.quiet, verb: 'profiling', unit: 'rollouts' });
  progress.setTotal(source.total);
  const profile = new PromptProfile();
  const pool = workers === undefined ? undefined : await startPool(workers);
  let count = 0;
  try {
    const scored: AsyncIterable<Scored> = pool
      ? scoreOnPool(records(), pool, { details: false, timeoutMs, batchSize: Math.max(1024, workers! * 256) })
      : scoreInProcess(records(), { timeoutMs });
    for await (const { record, result } of scored) {
      const { uid, model } = record as ProfileRecord;
      profile.add({ uid, score: result.score, ...(result.reward_type !== undefined && { reward_type: result.reward_type }), ...(model !== undefined && { model }) });
      if (!values.quiet) progress.update(++count, record.position);
    }
  } finally {
    await pool?.close();
  }

  const all = [...profile.stats()];
  const outStream = openOutput(values.out);
  const out = lineWriter(outStream);
  for (const s of all) await out.write(JSON.stringify(s));
  await closeOutput(out, outStream);
  if (values.keep !== undefined) writeFileSync(values.keep, all.filter(keepPrompt).map((s) => `${s.uid}\n`).join(''));
  if (values.drop !== undefined) writeFileSync(values.drop, all.filter((s) => !keepPrompt(s)).map((s) => `${s.uid}\n`).join(''));
  if (!values.quiet) {
    progress.finish(profile.rolloutCount);
    const single = all.length > 0 && all.every((s) => s.n + (s.errors ?? 0) === 1);
    process.stderr.write(
      `\n${formatProfileTables(all, profile.models)}` +
        (single ? 'note: every prompt has a single rollout; buckets need several rollouts per prompt (one uid shared by a prompt\'s rollouts)\n' : '') +
        `profiled ${profile.rolloutCount} rollouts of ${all.length} prompts\n`,
    );
  }
  return EXIT.ok;
}

export const profileCommand: Command = {
  name: 'profile',
  summary: 'per-prompt pass rates and buckets of scored rollouts, keep/drop uid lists',
  usage: () => PROFILE_USAGE,
  run: runProfile,
};

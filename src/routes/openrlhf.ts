// POST /openrlhf/reward: OpenRLHF's remote reward protocol (`--remote_rm_url`). OpenRLHF posts
// `{query, prompts, labels}` and needs one number per sample back (`rewards`, `scores`), plus
// `extra_logs` whose values it concatenates per key across shards, so those are per-sample number
// lists under fixed keys. Scoring is injected (`scoreItems`): the server passes its worker pool,
// so nothing is scored on the event loop.
import type {} from '@fastify/swagger'; // adds summary/tags to route schemas
import type { FastifyInstance } from 'fastify';
import { AUDIT_FLAG_NAMES, PENALTY_SEMANTICS_SUFFIX, SEMANTICS, type AuditPenalties, type ItemResult } from '../../rewards/index.js';
import { admissionHook, admissionTurn, type Admission } from '../admission.js';
import { copyPyMember, parseItemJsonPy, parseJsonPy } from '../../rewards/pyjson.js';
import { jsonBodyParser } from '../bodyHints.js';
import { pack } from '../batchParse.js';
import { serializeItem } from '../itemText.js';
import { penaltiesOrUndefined } from '../schemas/audit.js';
import type { ScoringPool } from '../pool.js';
import {
  describeOpenrlhfBodyIssues,
  describeOpenrlhfQueryIssues,
  EXTRA_LOG_KEYS,
  openrlhfBodyJsonSchema,
  openrlhfBodySchema,
  openrlhfQueryJsonSchema,
  openrlhfQuerySchema,
  openrlhfResponseJsonSchema,
  type OpenrlhfBody,
  type OpenrlhfQuery,
  type OpenrlhfResponse,
} from '../schemas/openrlhf.js';
import { errorResponses, POST_ERRORS } from '../schemas/openapiDocs.js';

export interface ScoreItemsOptions {
  details: boolean;
  /** Per-item budget; the scorer's default when absent. */
  timeoutMs?: number;
  /** Aborted when the client has gone: no further chunks are started. */
  signal?: AbortSignal;
  /** Run the reward-hacking audit; `auditPenalty` applies penalties (and implies it). */
  audit?: boolean;
  auditPenalty?: AuditPenalties;
}

/** Scores items and resolves with one result per item, in order; never rejects for item problems. */
export type ScoreItems = (items: unknown[], options: ScoreItemsOptions) => Promise<ItemResult[]>;

export interface OpenrlhfRouteDeps {
  scoreItems: ScoreItems;
  /** Most samples in one request (default 100,000). */
  maxItems?: number;
  /** Longest response in UTF-16 units; longer ones are the item error `input_too_large`. */
  maxResponseChars?: number;
  /** Called with every request's results (e.g. the service's item metrics). */
  onResults?: (results: readonly ItemResult[], seconds: number) => void;
  /** The service's admission control, shared with /score: a full service sheds with 503 + Retry-After. */
  admission?: { admission: Admission; retryAfterSeconds: number };
}

/** How a response was cut out of its query. */
export type PromptAlignment = 'prefix' | 'contained' | 'truncated' | 'none';

/** Overlap needed before a query's start is taken for the tail of a left-truncated prompt. */
const MIN_TRUNCATED_OVERLAP = 16;

/** Length of the longest suffix of `prompt` that is a prefix of `query` (KMP failure function, linear). */
function suffixPrefixOverlap(prompt: string, query: string): number {
  const head = query.slice(0, prompt.length);
  // s = head + sentinel + prompt; the failure value at the end is the overlap.
  const n = head.length + 1 + prompt.length;
  const at = (i: number) => (i < head.length ? head.charCodeAt(i) : i === head.length ? -1 : prompt.charCodeAt(i - head.length - 1));
  const fail = new Int32Array(n);
  for (let i = 1; i < n; i++) {
    let k = fail[i - 1]!;
    while (k > 0 && at(i) !== at(k)) k = fail[k - 1]!;
    if (at(i) === at(k)) k++;
    fail[i] = k;
  }
  return fail[n - 1]!;
}

/**
 * The response inside an OpenRLHF query (the decoded prompt + generated tokens):
 * - `prefix`: the query starts with the prompt (the normal case) → the rest of the query;
 * - `contained`: the prompt appears later (the decode added e.g. a BOS marker) → what follows its first occurrence;
 * - `truncated`: OpenRLHF cut an over-long prompt from the left, so the query starts with the prompt's tail
 *   (at least 16 characters of it) → what follows that tail;
 * - `none`: no alignment → the whole query is scored as the response.
 */
export function responseFromQuery(query: string, prompt: string): { response: string; alignment: PromptAlignment } {
  if (query.startsWith(prompt)) return { response: query.slice(prompt.length), alignment: 'prefix' };
  const at = query.indexOf(prompt);
  if (at >= 0) return { response: query.slice(at + prompt.length), alignment: 'contained' };
  const overlap = suffixPrefixOverlap(prompt, query);
  if (overlap >= MIN_TRUNCATED_OVERLAP) return { response: query.slice(overlap), alignment: 'truncated' };
  return { response: query, alignment: 'none' };
}

// End-of-sequence markers of common chat models. OpenRLHF decodes with skip_special_tokens=False,
// so the query ends with them; verl (whose numbers this service reproduces) decodes without them.
const EOS_MARKER = /(?:<\|[A-Za-z0-9_]{1,40}\|>|<\/s>|<eos>|<end_of_turn>|<pad>|<｜end▁of▁sentence｜>)$/;
const MARKER_TAIL = 48;

/** Drops the end-of-sequence markers in the trailing run of markers and whitespace, keeping the whitespace. */
export function stripTrailingEos(text: string): string {
  let end = text.length;
  let kept = '';
  for (;;) {
    const c = text.charCodeAt(end - 1);
    if (end > 0 && (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) {
      kept = text[end - 1] + kept;
      end--;
      continue;
    }
    const m = EOS_MARKER.exec(text.slice(Math.max(0, end - MARKER_TAIL), end));
    if (!m) break;
    end -= m[0].length;
  }
  return kept.length === text.length - end ? text : text.slice(0, end) + kept;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const badItem = (message: string): ItemResult => ({ score: null, error: { code: 'bad_item', message } });

/** The label as an object, parsing a JSON string (Python number types kept); undefined when it is not one. */
function labelObject(label: unknown): Record<string, unknown> | undefined {
  if (isRecord(label)) return label;
  if (typeof label !== 'string') return undefined;
  const text = label.trimStart();
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed: unknown = parseItemJsonPy(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The item to score for sample i, or its error. */
export function itemForSample(index: number, response: string, label: unknown, defaultTask: string | undefined): { item: Record<string, unknown> } | { error: ItemResult } {
  const fields = labelObject(label);
  if (fields && 'data_source' in fields) {
    // A whole verl row works too: its ground truth sits in reward_model.ground_truth.
    const rewardModel = fields.reward_model;
    const from = 'ground_truth' in fields ? fields : isRecord(rewardModel) ? rewardModel : undefined;
    const item = { id: index, data_source: fields.data_source, solution_str: response, ground_truth: from?.ground_truth, extra_info: fields.extra_info ?? null };
    // A bare number keeps its Python type (containers keep theirs: they are the same objects).
    if (from) copyPyMember(from, 'ground_truth', item, 'ground_truth');
    copyPyMember(fields, 'extra_info', item, 'extra_info');
    return { item };
  }
  if (fields && ('task' in fields || (defaultTask !== undefined && 'reference' in fields))) {
    const { data_source: _ignored, ...rest } = fields;
    const item = { task: defaultTask, ...rest, id: index, response };
    for (const key of Object.keys(rest)) copyPyMember(fields, key, item, key);
    return { item };
  }
  if (fields) {
    return { error: badItem(`labels[${index}] has neither data_source (verl row) nor task (native item); its fields: ${Object.keys(fields).join(', ') || 'none'}`) };
  }
  if (typeof label === 'string' && defaultTask !== undefined) return { item: { id: index, task: defaultTask, response, reference: label } };
  const got = typeof label === 'string' ? `the string ${JSON.stringify(label.slice(0, 60))}` : label === null || label === undefined ? 'null' : typeof label;
  return {
    error: badItem(
      `labels[${index}] must be a JSON object string {"data_source", "ground_truth", "extra_info"} or {"task", "reference", "options"}, not ${got}` +
        (typeof label === 'string' ? '; or add ?task=NAME to the URL to score plain-string labels as that task\'s reference' : ''),
    ),
  };
}

function parseOnError(raw: string | undefined): number | 'fail' {
  if (raw === undefined) return 0;
  return raw === 'fail' ? 'fail' : Number(raw);
}

/** A 4xx the server's error handler passes through with this message (it maps FST_ERR_VALIDATION to 400). */
const clientError = (statusCode: 400 | 422, message: string) =>
  Object.assign(new Error(message), { statusCode, code: statusCode === 400 ? 'FST_ERR_VALIDATION' : 'GOLONG_SAMPLES_NOT_SCORED' });

const SHOWN_ERRORS = 5;

export async function openrlhfRoutes(app: FastifyInstance, { scoreItems, maxItems = 100_000, maxResponseChars, onResults, admission }: OpenrlhfRouteDeps): Promise<void> {
  const bodySchema = openrlhfBodySchema(maxItems);
  // Labels may be objects holding a verl ground truth as json.dumps wrote it: this route's body is
  // read with parseJsonPy, so `100.0` stays a Python float (and NaN/Infinity are accepted).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBodyParser(parseJsonPy));
  app.post<{ Body: OpenrlhfBody; Querystring: OpenrlhfQuery; Reply: OpenrlhfResponse }>(
    '/openrlhf/reward',
    {
      schema: {
        summary: "OpenRLHF's remote reward protocol (--remote_rm_url)",
        description:
          'Body `{query, prompts, labels}` as OpenRLHF posts it. Each response is query[i] minus its prompt (when the query does not start with ' +
          'the prompt: the text after the prompt\'s first occurrence, else after the tail of a left-truncated prompt, else the whole query; ' +
          'counted in extra_logs.golong_prompt_not_prefix), with trailing end-of-sequence markers removed unless strip_eos=false. ' +
          'labels[i] is a JSON string (or object) of a verl row {data_source, ground_truth, extra_info} or a native item {task, reference, options}. ' +
          'A sample that cannot be scored gets the on_error reward (default 0) and is flagged in extra_logs.golong_item_error and results; ' +
          'with on_error=fail the request answers 422 instead.',
        tags: ['scoring'],
        querystring: openrlhfQueryJsonSchema,
        body: openrlhfBodyJsonSchema(maxItems),
        response: { 200: openrlhfResponseJsonSchema, ...errorResponses(...POST_ERRORS, 422) },
      },
      ...(admission && { onRequest: admissionHook(admission.admission, admission.retryAfterSeconds) }),
      // Validation runs through zod so that a 400 names the field in a plain sentence.
      validatorCompiler: ({ httpPart }) => (data: unknown) => {
        if (httpPart === 'querystring') {
          const parsed = openrlhfQuerySchema.safeParse(data);
          return parsed.success ? { value: parsed.data } : { error: clientError(400, describeOpenrlhfQueryIssues(parsed.error.issues)) };
        }
        if (httpPart === 'body') {
          const parsed = bodySchema.safeParse(data);
          return parsed.success ? { value: parsed.data } : { error: clientError(400, describeOpenrlhfBodyIssues(parsed.error.issues)) };
        }
        return { value: data };
      },
    },
    async (request, reply) => {
      const { query, prompts, labels } = request.body;
      const onError = parseOnError(request.query.on_error);
      const stripEos = request.query.strip_eos !== 'false' && request.query.strip_eos !== '0';
      const n = query.length;
      const results: ItemResult[] = new Array(n);
      const notPrefix: number[] = new Array(n);
      const toScore: unknown[] = [];
      const positions: number[] = [];
      for (let i = 0; i < n; i++) {
        const { response: raw, alignment } = responseFromQuery(query[i]!, prompts[i]!);
        notPrefix[i] = alignment === 'prefix' ? 0 : 1;
        const response = stripEos ? stripTrailingEos(raw) : raw;
        if (maxResponseChars !== undefined && response.length > maxResponseChars) {
          results[i] = { score: null, error: { code: 'input_too_large', message: `the response has ${response.length} characters; the limit is ${maxResponseChars}` } };
          continue;
        }
        const built = itemForSample(i, response, labels[i], request.query.task);
        if ('error' in built) results[i] = built.error;
        else {
          toScore.push(built.item);
          positions.push(i);
        }
      }
      const auditPenalty = penaltiesOrUndefined(request.query.audit_penalty as AuditPenalties | undefined);
      const audit = request.query.audit === 'true' || request.query.audit === '1' || auditPenalty !== undefined;
      let scored: ItemResult[] = [];
      let started = performance.now();
      if (toScore.length > 0) {
        const signal = await admissionTurn(request, reply);
        if (!signal) return reply; // the client left while queued
        started = performance.now();
        scored = await scoreItems(toScore, { details: false, signal, ...(audit && { audit, ...(auditPenalty && { auditPenalty }) }) });
        if (signal.aborted) {
          request.log.info({ samples: n }, 'client disconnected; batch abandoned');
          return reply;
        }
      }
      positions.forEach((i, k) => (results[i] = scored[k]!));
      const withIds = results.map((r, i) => ({ ...r, id: i }));
      onResults?.(withIds, (performance.now() - started) / 1000);

      const failed = withIds.filter((r) => r.score === null);
      if (failed.length > 0) {
        request.log.warn({ samples: n, errors: failed.length, codes: [...new Set(failed.map((r) => r.error?.code))] }, 'openrlhf samples could not be scored');
      }
      if (onError === 'fail' && failed.length > 0) {
        const shown = failed.slice(0, SHOWN_ERRORS).map((r) => `sample ${r.id}: ${r.error?.code} (${r.error?.message})`);
        const more = failed.length > SHOWN_ERRORS ? ` and ${failed.length - SHOWN_ERRORS} more` : '';
        throw clientError(422, `${failed.length} of ${n} samples could not be scored: ${shown.join('; ')}${more}; drop on_error=fail to score them as 0 (or on_error=<number>)`);
      }
      const rewards = withIds.map((r) => (r.score === null ? (onError as number) : r.score));
      const extraLogs: Record<(typeof EXTRA_LOG_KEYS)[number], number[]> & Record<string, number[]> = {
        golong_item_error: withIds.map((r) => (r.score === null ? 1 : 0)),
        golong_prompt_not_prefix: notPrefix,
      };
      // Every flag on every request, so that shards concatenate and the rates chart.
      if (audit) for (const flag of AUDIT_FLAG_NAMES) extraLogs[`golong_audit_${flag}`] = withIds.map((r) => (r.audit?.some((f) => f.flag === flag) ? 1 : 0));
      return { rewards, scores: rewards, extra_logs: extraLogs, results: withIds, semantics: auditPenalty ? SEMANTICS + PENALTY_SEMANTICS_SUFFIX : SEMANTICS };
    },
  );
}

/** `scoreItems` over the service's worker pool (what the server registers this route with). */
export function poolScoreItems(pool: ScoringPool, defaultTimeoutMs: number): ScoreItems {
  return async (items, { details, timeoutMs, signal, audit, auditPenalty }) => {
    const early = new Map<number, ItemResult>();
    const texts = items.map((item, i) => {
      const serialized = serializeItem(item);
      if ('text' in serialized) return serialized.text;
      early.set(i, serialized.error);
      return '';
    });
    const indices = items.map((_, i) => i).filter((i) => !early.has(i));
    const scored = await pool.scoreBatch(pack(texts), indices, {
      details,
      timeoutMs: timeoutMs ?? defaultTimeoutMs,
      ...(signal && { signal }),
      ...(audit && { audit }),
      ...(auditPenalty && { auditPenalty }),
    });
    const results: ItemResult[] = new Array(items.length);
    indices.forEach((itemIndex, k) => (results[itemIndex] = scored[k]!));
    for (const [i, result] of early) results[i] = result;
    return results;
  };
}

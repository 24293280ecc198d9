// multitableqa "iou" (GoLongRL multitableqa.compute_score): multiset IoU of table rows, each row keyed
// by Python str() of its cells. JSON is read with Python's json.loads semantics (pyjson.ts).
import { jsPyTypeName, pyFromJs, pyRowKey, pyTypeName, tryPyJsonTable, type PyRowKey, type PyTable, type PyValue } from '../pyjson.js';
import { pyStrip } from '../text.js';
import { ScoreFailure, type ScoreContext, type ScorerOutput } from '../types.js';
import { LruCache } from '../lruCache.js';

/** Parsed gold tables per worker: the 16 rollouts of a prompt share one golden_label. */
const GOLD_TABLES = new LruCache<ReturnType<typeof tryPyJsonTable>>(256, 10_000);

/** Where the last answerText call found the first `<answer>` (-1: none), for the audit's answer_in_think check. */
let lastOpen = -1;

/** Python `strip_answer`: after the first `<answer>` up to the next `</answer>` (or the end), stripped. */
export function answerText(response: string): string {
  const open = response.indexOf('<answer>');
  lastOpen = open;
  if (open === -1) return pyStrip(response);
  const start = open + '<answer>'.length;
  const close = response.indexOf('</answer>', start);
  return pyStrip(close === -1 ? response.slice(start) : response.slice(start, close));
}

function sameKey(a: PyRowKey, b: PyRowKey): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** An injective string for a key: JSON of a tuple starts with '[', a plain row gets a prefix. */
function keyId(key: PyRowKey): string {
  return typeof key === 'string' ? 's' + key : JSON.stringify(key);
}

/** Python `sum((Counter(pred) & Counter(gold)).values())`. */
function multisetMatches(pred: readonly PyRowKey[], gold: readonly PyRowKey[]): number {
  let matches = 0;
  if (pred.length * gold.length <= 1024) {
    // Small tables (the usual case): pair each predicted row with an unused equal gold row.
    const used = new Uint8Array(gold.length);
    for (const p of pred) {
      for (let g = 0; g < gold.length; g++) {
        if (used[g] === 0 && sameKey(p, gold[g]!)) {
          used[g] = 1;
          matches++;
          break;
        }
      }
    }
    return matches;
  }
  const goldCounts = new Map<string, number>();
  for (const g of gold) {
    const id = keyId(g);
    goldCounts.set(id, (goldCounts.get(id) ?? 0) + 1);
  }
  for (const p of pred) {
    const id = keyId(p);
    const left = goldCounts.get(id);
    if (left !== undefined && left > 0) {
      goldCounts.set(id, left - 1);
      matches++;
    }
  }
  return matches;
}

/**
 * Which rows take part in the multiset intersection (details only): each predicted row is paired
 * with the first unused equal gold row, as multisetMatches counts them.
 */
function pairRows(pred: readonly PyRowKey[], gold: readonly PyRowKey[]): { pred_matched: boolean[]; gold_matched: boolean[] } {
  const free = new Map<string, number[]>();
  gold.forEach((g, i) => {
    const id = keyId(g);
    const list = free.get(id);
    if (list) list.push(i);
    else free.set(id, [i]);
  });
  const gold_matched = gold.map(() => false);
  const pred_matched = pred.map((p) => {
    const g = free.get(keyId(p))?.shift();
    if (g === undefined) return false;
    gold_matched[g] = true;
    return true;
  });
  return { pred_matched, gold_matched };
}

/** Python `[to_key(r) for r in value]` over gold `data`: lists yield rows, strings code points, dicts keys. */
function goldRowKeys(data: PyRowKey[] | PyValue): PyRowKey[] {
  if (Array.isArray(data)) return data;
  switch (data.t) {
    case 'list':
      return data.v.map(pyRowKey);
    case 'str':
      return Array.from(data.v);
    case 'dict':
      return Array.from(data.v.keys());
    default:
      throw new ScoreFailure(
        'bad_ground_truth',
        `gold "data" is ${pyTypeName(data)}; the reference iterates it and raises TypeError: '${pyTypeName(data)}' object is not iterable`,
        'ground_truth.golden_label',
      );
  }
}

const raised = (kind: 'value' | 'recursion', message: string) => `${kind === 'value' ? 'ValueError' : 'RecursionError'}: ${message}`;

function output(score: number, warnings: string[] | undefined, ctx: ScoreContext, details: () => Record<string, unknown>): ScorerOutput {
  const out: ScorerOutput = { score };
  if (ctx.details) out.details = details();
  if (warnings !== undefined) out.warnings = warnings;
  return out;
}

/**
 * GoLongRL `multitableqa.compute_score(solution_str, ground_truth)`. `response` is the whole
 * solution_str (think part included, as the reference reads it). `groundTruth` is the verl value:
 * an object whose `golden_label` is a JSON string; any other value is used as-is, as the reference
 * does, with a `bad_ground_truth` warning.
 */
export function iouScore(response: string, groundTruth: unknown, ctx: ScoreContext): ScorerOutput {
  let warnings: string[] | undefined;
  let gold: PyTable;
  const hasLabel = groundTruth !== null && typeof groundTruth === 'object' && !Array.isArray(groundTruth) && Object.hasOwn(groundTruth, 'golden_label');
  if (hasLabel) {
    const label = (groundTruth as Record<string, unknown>).golden_label;
    if (typeof label !== 'string') {
      // json.loads(non-str) raises TypeError, which the reference catches: 0.
      warnings = [`bad_ground_truth: golden_label is ${jsPyTypeName(label)}, not a JSON string; the reference scores 0`];
      return output(0, warnings, ctx, () => ({ rule: 'golden_label is not a string' }));
    }
    const parsed = GOLD_TABLES.get(label, tryPyJsonTable);
    if (!parsed.ok) {
      if (parsed.kind !== 'decode') throw new ScoreFailure('bad_ground_truth', `golden_label: the reference's json.loads raises ${raised(parsed.kind, parsed.message)}`, 'ground_truth.golden_label');
      const error = `${parsed.message}: char ${parsed.pos}`;
      warnings = [`bad_ground_truth: golden_label is not valid JSON (${error}); the reference scores 0`];
      return output(0, warnings, ctx, () => ({ rule: 'golden_label is not valid JSON', error }));
    }
    gold = parsed.value;
  } else {
    const value = pyFromJs(groundTruth);
    gold = { top: pyTypeName(value), data: value.t === 'dict' ? value.v.get('data') : undefined };
    warnings = [
      value.t === 'dict'
        ? 'bad_ground_truth: ground_truth has no golden_label; its own "data" field is used as the gold rows'
        : `bad_ground_truth: ground_truth is ${jsPyTypeName(groundTruth)}, not an object with golden_label; the gold rows are empty`,
    ];
  }

  // pred = json.loads(answer).get("data", []), [] when that raises JSONDecodeError or AttributeError.
  const parsed = tryPyJsonTable(answerText(response));
  // The audit asks where the table's <answer> is: a second search would scan the think section again.
  if (ctx.audit) ctx.audit.answerTagAt = lastOpen;
  let pred: PyRowKey[] | PyValue = [];
  let predNote: string | undefined;
  if (!parsed.ok) {
    if (parsed.kind !== 'decode') throw new ScoreFailure('bad_item', `response: the reference's json.loads raises ${raised(parsed.kind, parsed.message)}`);
    predNote = `the answer is not JSON (${parsed.message}: char ${parsed.pos}); no rows`;
  } else if (parsed.value.top !== 'dict') {
    predNote = `the answer is JSON ${parsed.value.top}, not an object; no rows`;
  } else if (parsed.value.data !== undefined) {
    pred = parsed.value.data;
  }
  if (!Array.isArray(pred)) {
    const type = pyTypeName(pred);
    return output(0, warnings, ctx, () => ({ rule: `predicted "data" is ${type}, not a list` }));
  }

  const predRows = pred;
  const goldRows = gold.top === 'dict' && gold.data !== undefined ? goldRowKeys(gold.data) : [];
  const matches = multisetMatches(predRows, goldRows);
  const total = predRows.length + goldRows.length - matches;
  return output(total > 0 ? matches / total : 0, warnings, ctx, () => ({
    pred_rows: predRows,
    gold_rows: goldRows.map((row) => (typeof row === 'string' ? row : row.slice())), // a copy: the cached gold must stay as parsed
    ...pairRows(predRows, goldRows),
    matches,
    total,
    answer_in_tag: response.includes('<answer>'),
    rule: predNote ?? (total === 0 ? 'no rows on either side' : 'matched rows over the union of rows (multiset IoU)'),
  }));
}

// multitableqa "iou" (GoLongRL multitableqa.compute_score): multiset IoU of table rows, each row keyed
// by Python str() of its cells. JSON is read with Python's json.loads semantics (pyjson.ts).
import { jsPyTypeName, pyFromJs, pyStr, pyTypeName, tryPyJsonLoads, type PyValue } from '../pyjson.js';
import { pyStrip } from '../text.js';
import { ScoreFailure, type ScoreContext, type ScorerOutput } from '../types.js';

/** Python `to_key(r)`: a list row is the tuple of str() of its cells; any other row is str(row). */
type RowKey = { tuple: string[] } | { str: string };

/** Python `strip_answer`: after the first `<answer>` up to the next `</answer>` (or the end), stripped. */
export function answerText(response: string): string {
  const open = response.indexOf('<answer>');
  if (open === -1) return pyStrip(response);
  const start = open + '<answer>'.length;
  const close = response.indexOf('</answer>', start);
  return pyStrip(close === -1 ? response.slice(start) : response.slice(start, close));
}

function rowKey(row: PyValue): RowKey {
  return row.t === 'list' ? { tuple: row.v.map(pyStr) } : { str: pyStr(row) };
}

/** An injective string for a key (length-prefixed cells), so Map counting works like Python's Counter. */
function keyId(key: RowKey): string {
  if ('str' in key) return 'S' + key.str;
  let id = 'T';
  for (const cell of key.tuple) id += cell.length + ':' + cell;
  return id;
}

function count(keys: readonly RowKey[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) {
    const id = keyId(k);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Python `for r in value` over gold `data`: lists yield items, strings code points, dicts keys. */
function goldRows(data: PyValue): PyValue[] {
  switch (data.t) {
    case 'list':
      return data.v;
    case 'str':
      return Array.from(data.v, (ch): PyValue => ({ t: 'str', v: ch }));
    case 'dict':
      return Array.from(data.v.keys(), (k): PyValue => ({ t: 'str', v: k }));
    default:
      throw new ScoreFailure(
        'bad_ground_truth',
        `gold "data" is ${pyTypeName(data)}; the reference iterates it and raises TypeError: '${pyTypeName(data)}' object is not iterable`,
      );
  }
}

function dictGet(v: PyValue, key: string): PyValue | undefined {
  return v.t === 'dict' ? v.v.get(key) : undefined;
}

const EMPTY_LIST: PyValue = { t: 'list', v: [] };

/**
 * GoLongRL `multitableqa.compute_score(solution_str, ground_truth)`. `response` is the whole
 * solution_str (think part included, as the reference reads it). `groundTruth` is the verl value:
 * an object whose `golden_label` is a JSON string; any other value is used as-is, as the reference
 * does, with a `bad_ground_truth` warning.
 */
export function iouScore(response: string, groundTruth: unknown, ctx: ScoreContext): ScorerOutput {
  const warnings: string[] = [];
  const out = (score: number, details: Record<string, unknown>): ScorerOutput => ({
    score,
    ...(ctx.details && { details }),
    ...(warnings.length > 0 && { warnings }),
  });

  let gold: PyValue;
  const hasLabel = groundTruth !== null && typeof groundTruth === 'object' && !Array.isArray(groundTruth) && Object.hasOwn(groundTruth, 'golden_label');
  if (hasLabel) {
    const label = (groundTruth as Record<string, unknown>).golden_label;
    if (typeof label !== 'string') {
      // json.loads(non-str) raises TypeError, which the reference catches: 0.
      warnings.push(`bad_ground_truth: golden_label is ${jsPyTypeName(label)}, not a JSON string; the reference scores 0`);
      return out(0, { rule: 'golden_label is not a string' });
    }
    const parsed = tryPyJsonLoads(label);
    if (!parsed.ok) {
      if (parsed.kind !== 'decode') {
        throw new ScoreFailure('bad_ground_truth', `golden_label: the reference's json.loads raises ${parsed.kind === 'value' ? 'ValueError' : 'RecursionError'}: ${parsed.message}`);
      }
      warnings.push(`bad_ground_truth: golden_label is not valid JSON (${parsed.message} at char ${parsed.pos}); the reference scores 0`);
      return out(0, { rule: 'golden_label is not valid JSON', error: `${parsed.message}: char ${parsed.pos}` });
    }
    gold = parsed.value;
  } else {
    gold = pyFromJs(groundTruth);
    warnings.push(
      gold.t === 'dict'
        ? 'bad_ground_truth: ground_truth has no golden_label; its own "data" field is used as the gold rows'
        : `bad_ground_truth: ground_truth is ${jsPyTypeName(groundTruth)}, not an object with golden_label; the gold rows are empty`,
    );
  }

  const text = answerText(response);
  const parsedPred = tryPyJsonLoads(text);
  let pred: PyValue = EMPTY_LIST;
  let predNote: string | undefined;
  if (parsedPred.ok) {
    if (parsedPred.value.t === 'dict') pred = parsedPred.value.v.get('data') ?? EMPTY_LIST;
    else predNote = `the answer is JSON ${pyTypeName(parsedPred.value)}, not an object; no rows`;
  } else if (parsedPred.kind === 'decode') {
    predNote = `the answer is not JSON (${parsedPred.message}: char ${parsedPred.pos}); no rows`;
  } else {
    throw new ScoreFailure('bad_item', `response: the reference's json.loads raises ${parsedPred.kind === 'value' ? 'ValueError' : 'RecursionError'}: ${parsedPred.message}`);
  }
  if (pred.t !== 'list') return out(0, { rule: `predicted "data" is ${pyTypeName(pred)}, not a list` });

  const goldData = dictGet(gold, 'data') ?? EMPTY_LIST;
  const predKeys = pred.v.map(rowKey);
  const goldKeys = goldRows(goldData).map(rowKey);
  const predCounts = count(predKeys);
  const goldCounts = count(goldKeys);
  let matches = 0;
  for (const [id, n] of predCounts) {
    const g = goldCounts.get(id);
    if (g !== undefined) matches += Math.min(n, g);
  }
  const total = predKeys.length + goldKeys.length - matches;
  const score = total > 0 ? matches / total : 0;
  return out(score, {
    pred_rows: predKeys.map(showKey),
    gold_rows: goldKeys.map(showKey),
    matches,
    total,
    ...(predNote !== undefined && { rule: predNote }),
  });
}

function showKey(k: RowKey): string[] | string {
  return 'str' in k ? k.str : k.tuple;
}

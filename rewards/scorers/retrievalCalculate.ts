// GoLongRL retrieval_calculate.compute_score: the set of <|doc_N|> ids cited in the first
// <relevant_doc_ids> block must equal ground_truth["doc_ids"] as a set, and the first
// <continue_reasoning> block (stripped) must pass math_verify against ground_truth["golden_label"].

import { jsPyTypeName, pyFromJs, pyGetItem, pyStr } from '../pyjson.js';
import { pyStrip } from '../text.js';
import { ScoreFailure, type ScoreContext, type ScorerOutput } from '../types.js';
import { mathVerifyScore } from './mathVerify.js';

const DOC_IDS_BLOCK = /<relevant_doc_ids>([\s\S]*?)<\/relevant_doc_ids>/;
// Python's \d matches any Unicode decimal digit.
const DOC_ID = /<\|doc_\p{Nd}+\|>/gu;
const REASONING_BLOCK = /<continue_reasoning>([\s\S]*?)<\/continue_reasoning>/;

export interface RetrievalExtract {
  docIds: string[];
  reasoning: string;
}

/** extract_sft_content (the summary block is extracted by the reference but never used). */
export function extractRetrieval(text: string): RetrievalExtract {
  const ids = DOC_IDS_BLOCK.exec(text);
  const docIds = ids ? (ids[1]!.match(DOC_ID) ?? []) : [];
  const reasoning = REASONING_BLOCK.exec(text);
  return { docIds, reasoning: reasoning ? pyStrip(reasoning[1]!) : '' };
}

function item(groundTruth: unknown, key: string): unknown {
  const r = pyGetItem(groundTruth, key);
  if (!r.ok) throw new ScoreFailure('bad_ground_truth', `ground_truth["${key}"] raises ${r.error}`, `ground_truth.${key}`);
  return r.value;
}

/** Python set(x) of the ground-truth doc ids, as strings to compare with the cited ids. */
function goldIdSet(docIds: unknown): { set: Set<string>; warning?: string } {
  if (typeof docIds === 'string') {
    return { set: new Set([...docIds]), warning: 'bad_ground_truth: doc_ids is a string; the reference iterates its characters' };
  }
  if (Array.isArray(docIds)) {
    const set = new Set<string>();
    let nonString = false;
    for (const d of docIds) {
      if (d !== null && typeof d === 'object') {
        throw new ScoreFailure('bad_ground_truth', `doc_ids holds a ${jsPyTypeName(d)}; the reference raises TypeError: unhashable type: '${jsPyTypeName(d)}'`, 'ground_truth.doc_ids');
      }
      if (typeof d === 'string') set.add(d);
      else {
        nonString = true;
        set.add('\u0000' + pyStr(pyFromJs(d))); // never equal to a cited id string
      }
    }
    return nonString ? { set, warning: 'bad_ground_truth: doc_ids holds non-string values' } : { set };
  }
  if (docIds !== null && typeof docIds === 'object') {
    return { set: new Set(Object.keys(docIds)), warning: 'bad_ground_truth: doc_ids is an object; the reference iterates its keys' };
  }
  throw new ScoreFailure('bad_ground_truth', `doc_ids is ${jsPyTypeName(docIds)}; the reference raises TypeError: '${jsPyTypeName(docIds)}' object is not iterable`, 'ground_truth.doc_ids');
}

/** `response` is the text after the last `</think>`; `groundTruth` already the last element if a list. */
export function retrievalCalculateScore(response: string, groundTruth: unknown, ctx: ScoreContext): ScorerOutput {
  const extract = extractRetrieval(response);
  if (extract.docIds.length === 0 || extract.reasoning.length === 0) {
    return ctx.details ? { score: 0, details: { rule: 'missing_ids_or_reasoning', doc_ids: extract.docIds, reasoning: extract.reasoning, found_ids_block: DOC_IDS_BLOCK.test(response), found_reasoning_block: REASONING_BLOCK.test(response) } } : { score: 0 };
  }
  // Order matters for which error the reference raises: doc_ids is read first, then set() is
  // built, then golden_label is read and math-verified.
  const docIds = item(groundTruth, 'doc_ids');
  const gold = goldIdSet(docIds);
  const cited = new Set(extract.docIds);
  const idsEqual = cited.size === gold.set.size && [...cited].every((d) => gold.set.has(d));
  const label = item(groundTruth, 'golden_label');
  const math = mathVerifyScore(extract.reasoning, label, ctx);
  if (ctx.audit) ctx.audit.mathWindowAt = -1; // the window ends the reasoning block, not the text
  const score = idsEqual && math.score > 0 ? 1 : 0;
  const out: ScorerOutput = { score };
  if (ctx.details) {
    out.details = {
      rule: idsEqual ? (math.score > 0 ? 'ids match and the reasoning is math-verified' : 'ids match but the reasoning fails math_verify') : 'the cited doc ids differ from the gold set',
      doc_ids: extract.docIds,
      gold_doc_ids: [...gold.set].map((d) => (d.startsWith('\u0000') ? d.slice(1) : d)),
      ids_match: idsEqual,
      reasoning: extract.reasoning,
      math: math.details ?? { score: math.score },
      math_score: math.score,
    };
  }
  if (gold.warning) out.warnings = [gold.warning];
  return out;
}

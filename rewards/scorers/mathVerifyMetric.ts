// GoLongRL math_verify.compute_score(model_output, ground_truth) (data sources starting with
// "MATH##" or "aime"): Math-Verify's math_metric with gold_extraction_target
// (LatexExtractionConfig(),) and pred_extraction_target (ExprExtractionConfig(),
// LatexExtractionConfig()), the gold wrapped in \boxed{}. Unlike math_verify_from_sky it reads
// the whole response (no 500-code-point window), has no quick string match, and extracts plain
// expressions before LaTeX within a priority.
import { jsPyTypeName } from '../pyjson.js';
import { codePointLength } from '../text.js';
import { ScoreFailure, type ScoreContext, type ScorerOutput } from '../types.js';
import { parseAnswer, type Extraction, type ExtractionTarget } from '../math/extract.js';
import { verifyLists } from '../math/compare.js';
import { show } from '../math/nodes.js';
import { LruCache } from '../lruCache.js';
import { answers, MAX_GOLD_CODE_POINTS } from './mathVerify.js';

const GOLD_TARGETS: readonly ExtractionTarget[] = ['latex'];
const PREDICTION_TARGETS: readonly ExtractionTarget[] = ['expr', 'latex'];

// Parsed gold answers per worker (the rollouts of a prompt share one gold).
const GOLD_CACHE = new LruCache<Extraction>(2000);

const describe = (e: Extraction) => ({ extracted: e.str, extracted_value: e.value ? show(e.value) : null });

/**
 * GoLongRL `math_verify.compute_score`: 1.0 when math_metric verifies the response against the gold, else 0.
 * `goldType`: the ground truth's Python type name when the caller knows it (a JSON 42.0 is a float).
 */
export function mathVerifyMetricScore(response: string, groundTruth: unknown, ctx: ScoreContext, goldType?: string): ScorerOutput {
  if (typeof groundTruth !== 'string') {
    const type = goldType ?? jsPyTypeName(groundTruth);
    throw new ScoreFailure(
      'bad_ground_truth',
      `ground truth is ${type}, not a string; the reference raises TypeError: can only concatenate str (not "${type}") to str`,
    );
  }
  if (codePointLength(groundTruth) > MAX_GOLD_CODE_POINTS) {
    throw new ScoreFailure('timeout', `ground truth of ${codePointLength(groundTruth)} code points is too long to parse within the item budget`);
  }
  const predicted = parseAnswer(response, ctx, PREDICTION_TARGETS);
  if (ctx.audit) {
    // For the audit: Math-Verify read the whole response here, and this is where its answer is.
    ctx.audit.mathWindow = response;
    ctx.audit.mathWindowAt = 0;
    ctx.audit.mathAnswerStart = predicted.start ?? -1;
    ctx.audit.mathAnswerEnd = predicted.end ?? -1;
  }
  const gold = GOLD_CACHE.get(groundTruth, (g) => parseAnswer(`\\boxed{${g}}`, ctx, GOLD_TARGETS));
  const details = (rule: string): Record<string, unknown> | undefined =>
    ctx.details ? { rule, ...describe(predicted), gold_parse: { gold: groundTruth, parsed: gold.str, parsed_value: gold.value ? show(gold.value) : null } } : undefined;
  const goldAnswers = answers(gold);
  // math_metric raises ValueError("No gold targets found") when the gold yields nothing; compute_score catches it: 0.
  if (goldAnswers.length === 0) return withDetails(0, details('no_gold_extraction'));
  const predictedAnswers = answers(predicted);
  if (predictedAnswers.length === 0) return withDetails(0, details('no_extraction'));
  const equal = verifyLists(goldAnswers, predictedAnswers, ctx);
  return withDetails(equal ? 1 : 0, details(equal ? 'verify_equal' : 'verify_unequal'));
}

function withDetails(score: number, details: Record<string, unknown> | undefined): ScorerOutput {
  return details ? { score, details } : { score };
}

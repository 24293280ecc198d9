// The dataset check (POST /check, `golong-reward check`): per row, the ground truth's shape and the
// score of an ideal response built from it. Pure, like the rest of rewards/.
export { checkRow, type CheckOptions } from './check.js';
export { lostRowCheck, problem, PROBLEM_CODES, problemLine, type Problem, type ProblemCode, type ProblemLine, type RowCheck, type Severity } from './problems.js';
export { IDEAL_RECIPES, IDEAL_RESPONSE_BY_SCORER, ROUGE_L_BEST } from './recipes.js';
export { CheckSummary, type CheckSummaryData, type SourceCounts } from './summary.js';

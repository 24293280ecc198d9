// One verl row per routing-table entry that scores 1: GET /tasks shows it beside the ground-truth
// shape, and the OpenAPI document's /score examples are built from it. A test scores every one,
// and fails when a route has none.

export interface VerlRowExample {
  data_source: string;
  solution_str: string;
  ground_truth: unknown;
  extra_info: unknown;
}

const THINK = '<think>Reading the documents again before answering.</think>';

/** By the routing table's data_source (a substring route's example names a data_source containing it). */
export const VERL_ROW_EXAMPLES: Readonly<Record<string, VerlRowExample>> = {
  'MATH##': {
    data_source: 'MATH##algebra',
    solution_str: `${THINK}Final Answer: The final answer is $\\pi \\cdot 10^2$. I hope it is correct.`,
    ground_truth: '100\\pi',
    extra_info: {},
  },
  aime: {
    data_source: 'aime2024',
    solution_str: `${THINK}Therefore, the answer is $\\boxed{204}$.`,
    ground_truth: '204',
    extra_info: {},
  },
  math_dapo: {
    data_source: 'math_dapo',
    solution_str: `${THINK}Answer: 1,000 dollars`,
    ground_truth: '1000',
    extra_info: {},
  },
  math: {
    data_source: 'math',
    solution_str: `${THINK}Answer: \\text{Tuesday}`,
    ground_truth: 'Tuesday',
    extra_info: {},
  },
  math_dapo_reasoning: {
    data_source: 'math_dapo_reasoning',
    solution_str: `${THINK}Answer: x = \\frac12`,
    ground_truth: '\\frac{1}{2}',
    extra_info: {},
  },
  math_dapo_math_verify: {
    data_source: 'math_dapo_math_verify',
    solution_str: `${THINK}So the probability is \\boxed{0.5}.`,
    ground_truth: ['\\frac{1}{2}'],
    extra_info: {},
  },
  math_longcot: {
    data_source: 'math_longcot',
    solution_str: `${THINK}Answer: 45^\\circ`,
    ground_truth: '45',
    extra_info: {},
  },
  longbench_pro: {
    data_source: 'longbench_pro',
    solution_str: `${THINK}[Answer]\n[2]\n[5]`,
    ground_truth: { doc_ids: ['[2]', '[5]'], summary: 'English', golden_label: '' },
    extra_info: { reward_mode: 'T5.1 Full-Sentence Citation Alignment' },
  },
  multitableqa_pretraining: {
    data_source: 'multitableqa_pretraining',
    solution_str: `${THINK}<answer>{"data": [["DL4128", "Bergen", 108], ["MU1293", "Nagoya", 130]]}</answer>`,
    ground_truth: { golden_label: '{"data": [["DL4128", "Bergen", 108], ["MU1293", "Nagoya", 130]]}' },
    extra_info: {},
  },
  retrieval_calculate: {
    data_source: 'retrieval_calculate',
    solution_str: `${THINK}<relevant_doc_ids><|doc_2|><|doc_7|></relevant_doc_ids><continue_reasoning>60 + 75 = \\boxed{135}</continue_reasoning>`,
    ground_truth: { doc_ids: ['<|doc_2|>', '<|doc_7|>'], golden_label: '135' },
    extra_info: {},
  },
  selection: {
    data_source: 'selection',
    solution_str: `${THINK}The correct answer is (B)`,
    ground_truth: { golden_label: 'B' },
    extra_info: {},
  },
  EM: {
    data_source: 'EM',
    solution_str: `${THINK}Porto`,
    ground_truth: { golden_label: 'Porto' },
    extra_info: {},
  },
  math_longcot_math_verify: {
    data_source: 'dapo_math_longcot_math_verify',
    solution_str: `${THINK}So the probability is \\boxed{\\frac{1}{2}}.`,
    ground_truth: '\\frac{1}{2}',
    extra_info: {},
  },
  model_verify: {
    data_source: 'model_verify',
    solution_str: `${THINK}The total is \\boxed{42}.`,
    ground_truth: '42',
    extra_info: { reward_mode: 'math_verify', ground_truth: '42' },
  },
  retrieval_summary_calculate: {
    data_source: 'retrieval_summary_calculate',
    solution_str: `${THINK}42`,
    ground_truth: '42',
    extra_info: { reward_mode: 'math_verify', ground_truth: '42' },
  },
  model_judge: {
    data_source: 'model_judge',
    solution_str: `${THINK}The answer is \\boxed{7}.`,
    ground_truth: ['7'],
    extra_info: { reward_mode: 'math_verify', ground_truth: '7' },
  },
  retrieval_model_judge: {
    data_source: 'retrieval_model_judge',
    solution_str: `${THINK}Lisbon`,
    ground_truth: 'Lisbon',
    extra_info: { reward_mode: 'model_judge', ground_truth: 'Lisbon' },
  },
};

// Hand-made dataset rows for the dataset check: for every route a good row (nothing to report)
// and for every problem code a broken row. Each fact was checked against GoLongRL's reference code
// (python3, ../../ref harness; LongBench-Pro line metrics with jieba/rouge/pytrec_eval stubbed
// where the metric does not use them): a good row's ideal response, written after a think
// section, scores the best there; a broken row's raises, or scores 0 (fatal) or less than 1 (capped).
// Data only (no imports), so that scripts outside the repository can read it too.

export interface CheckCase {
  name: string;
  row: unknown;
  /** The problem the check must report first; null for a good row. */
  first: string | null;
  /** Other codes the row must also carry. */
  also?: string[];
  /** A fragment the message must contain. */
  says?: RegExp;
}

const lbp = (doc_ids: unknown, reward_mode: string, summary: unknown = 'English') => ({
  data_source: 'longbench_pro',
  reward_model: { ground_truth: { doc_ids, summary } },
  extra_info: { reward_mode },
});
const em = (ground_truth: unknown) => ({ data_source: 'EM', reward_model: { ground_truth }, extra_info: {} });
const sel = (golden_label: unknown) => ({ data_source: 'selection', reward_model: { ground_truth: { golden_label } }, extra_info: {} });
const table = (golden_label: unknown) => ({ data_source: 'multitableqa_pretraining', reward_model: { ground_truth: { golden_label } }, extra_info: {} });
const retrieval = (ground_truth: unknown) => ({ data_source: 'retrieval_calculate', reward_model: { ground_truth }, extra_info: {} });
const math = (ground_truth: unknown, data_source = 'math_longcot_math_verify') => ({ data_source, reward_model: { ground_truth }, extra_info: {} });
const minerva = (ground_truth: unknown, data_source = 'math_dapo') => ({ data_source, reward_model: { ground_truth }, extra_info: {} });
const skyMath = (ground_truth: unknown) => ({ data_source: 'math_dapo_math_verify', reward_model: { ground_truth }, extra_info: {} });
const metric = (ground_truth: unknown, data_source = 'aime2024') => ({ data_source, reward_model: { ground_truth }, extra_info: {} });
const judge = (extra_info: unknown, data_source = 'model_judge') => ({ data_source, reward_model: { ground_truth: '42' }, extra_info });

const ENGLISH_SUMMARY = 'The committee approved the budget. Spending on roads rises by nine percent. Schools get two new buildings.';
const CHINESE_SUMMARY = '委员会批准了预算。道路支出增加百分之九。学校将新建两栋教学楼。';
const LONG_SENTENCE = Array.from({ length: 1200 }, (_, i) => `word${i}`).join(' ');

export const GOOD_ROWS: CheckCase[] = [
  { name: 'EM label', row: em({ golden_label: 'Porto' }), first: null },
  { name: 'EM label, ground truth a list (last element)', row: em([{ golden_label: 'x' }, { golden_label: 'Porto' }]), first: null },
  { name: 'selection letter', row: sel('B'), first: null },
  { name: 'selection label naming the letter', row: sel('The correct answer is (C)'), first: null },
  { name: 'IoU table', row: table('{"data": [[1, "a"], [2.0, "b"]]}'), first: null },
  { name: 'IoU table with <answer> in a cell', row: table('{"data": [["<answer>"]]}'), first: null },
  { name: 'retrieval_calculate', row: retrieval({ doc_ids: ['<|doc_3|>', '<|doc_7|>'], golden_label: '42' }), first: null },
  { name: 'math fraction', row: math('\\frac{1}{2}'), first: null },
  { name: 'math golden_label object', row: math({ golden_label: '3\\sqrt{2}' }, 'dapo_math_longcot_math_verify'), first: null },
  { name: 'math gold with a unit word that Math-Verify drops', row: math('3 apples'), first: null },
  { name: 'NDCG', row: lbp(['Passage 3', 'Passage 1', 'Passage 9'], 'T1.1 Global Cohesive Retrieval'), first: null },
  { name: 'Pairwise_Accuracy', row: lbp(['the valve opened', 'pressure rose', 'the line burst'], 'T2.1 Global Timeline Reconstruction'), first: null },
  { name: 'Accuracy', row: lbp(['$526.1 million', 'ignored'], 'T3.2 Single-Hop Fact QA'), first: null },
  { name: 'F1_Score with a multi-line answer', row: lbp(['[12]', 'line one\nline two'], 'T5.1 Full-Sentence Citation Alignment'), first: null },
  { name: 'F1_Score with an empty answer between two others', row: lbp(['a', '', 'b'], 'T7.3 Comprehensive Error & Anomaly Sweep'), first: null },
  { name: 'SubEM', row: lbp(['Cluster 1: 3, 4', 'Cluster 2: 5'], 'T6.1 Large-Scale Document Clustering'), first: null },
  { name: 'Summary, English', row: lbp([ENGLISH_SUMMARY], 'T4.1 Global-Coverage Constrained Summary'), first: null },
  { name: 'Summary, Chinese', row: lbp([CHINESE_SUMMARY], 'T4.2 Query-Focused Summary', 'Chinese'), first: null },
  { name: 'judge route, reward_mode math_verify', row: judge({ reward_mode: 'math_verify', ground_truth: '42' }), first: null },
  ...['model_verify', 'retrieval_summary_calculate', 'retrieval_model_judge'].map((ds) => ({
    name: `judge route ${ds}, reward_mode math_verify`,
    row: judge({ reward_mode: 'math_verify', ground_truth: '42' }, ds),
    first: null,
  })),
  ...['math_dapo', 'math', 'math_dapo_reasoning', 'math_longcot'].map((ds) => ({ name: `Minerva route ${ds}`, row: minerva('\\frac{1}{2}', ds), first: null })),
  { name: 'Minerva gold with a unit normalize_final_answer removes', row: minerva('5 dollars'), first: null },
  { name: 'Minerva gold "x = 5" (only the part after the last "=" counts)', row: minerva('x = 5'), first: null },
  { name: 'Minerva gold too long for the window, short enough once normalised', row: minerva('1 '.repeat(300)), first: null },
  { name: 'Minerva gold holding an "Answer:" of its own', row: minerva('Answer: 5'), first: null },
  { name: 'math_dapo_math_verify', row: skyMath('\\frac{1}{2}'), first: null },
  { name: 'Math-Verify metric route aime*', row: metric('\\frac{1}{2}'), first: null },
  { name: 'Math-Verify metric route MATH##*', row: metric('42', 'MATH##algebra'), first: null },
  { name: 'Math-Verify metric gold with an open brace (its LaTeX parser is lenient)', row: metric('x^{2'), first: null },
  { name: 'Math-Verify metric gold of 600 digits (no window)', row: metric('1'.repeat(600)), first: null },
  { name: 'ground truth at the top level', row: { data_source: 'EM', ground_truth: { golden_label: 'Porto' }, extra_info: {} }, first: null },
];

export const BROKEN_ROWS: CheckCase[] = [
  { name: 'a number', row: 42, first: 'not_an_object' },
  { name: 'an array', row: [1, 2], first: 'not_an_object' },
  { name: 'null', row: null, first: 'not_an_object' },
  { name: 'no data_source', row: { reward_model: { ground_truth: { golden_label: 'x' } } }, first: 'no_data_source' },
  { name: 'data_source not a string', row: { data_source: 7, reward_model: { ground_truth: { golden_label: 'x' } } }, first: 'no_data_source' },
  { name: 'data_source with a trailing space', row: { ...em({ golden_label: 'x' }), data_source: 'EM ' }, first: 'unknown_data_source', says: /stray whitespace/ },
  { name: 'data_source in the wrong case', row: { ...em({ golden_label: 'x' }), data_source: 'Selection' }, first: 'unknown_data_source', says: /did you mean "selection"/ },
  { name: 'sub-task in lower case', row: lbp(['a'], 't3.2 single-hop fact qa'), first: 'unknown_task', says: /did you mean "T3\.2 Single-Hop Fact QA"/ },
  { name: 'metric name as the sub-task', row: lbp(['a', 'b'], 'SubEM'), first: 'unknown_task', says: /is a metric/ },
  { name: 'no reward_mode', row: { ...lbp(['a'], 'x'), extra_info: {} }, first: 'bad_extra_info', says: /KeyError: 'reward_mode'/ },
  { name: 'judge route without reward_mode', row: judge({}), first: 'bad_extra_info', says: /KeyError: 'reward_mode'/ },
  { name: 'judge math_verify without extra_info.ground_truth', row: judge({ reward_mode: 'math_verify' }), first: 'bad_extra_info', says: /KeyError: 'ground_truth'/ },
  { name: 'EM without golden_label', row: em({ answer: 'Porto' }), first: 'bad_ground_truth', says: /KeyError: 'golden_label'/ },
  { name: 'EM ground truth a string', row: em('Porto'), first: 'bad_ground_truth', says: /string indices must be integers/ },
  { name: 'EM label a number', row: em({ golden_label: 42 }), first: 'bad_ground_truth', says: /AttributeError: 'int' object has no attribute 'strip'/ },
  { name: 'EM ground truth an empty list', row: em([]), first: 'bad_ground_truth', says: /IndexError/ },
  { name: 'selection label a number', row: sel(2), first: 'bad_ground_truth', says: /AttributeError: 'int' object has no attribute 'replace'/ },
  { name: 'math gold a number', row: math({ golden_label: 42 }), first: 'bad_ground_truth', says: /argument of type 'int' is not iterable.*"42"/ },
  { name: 'math ground truth a number', row: math(42), first: 'bad_ground_truth', says: /'int' object is not subscriptable/ },
  { name: 'Minerva gold a number', row: minerva(42), first: 'bad_ground_truth', says: /AttributeError: 'int' object has no attribute 'split'.*"42"/ },
  { name: 'Minerva gold a list', row: minerva(['5']), first: 'bad_ground_truth', says: /'list' object has no attribute 'split'.*as it is/ },
  { name: 'math_dapo_math_verify gold a number', row: skyMath(42), first: 'bad_ground_truth', says: /argument of type 'int' is not iterable/ },
  { name: 'Math-Verify metric gold a number', row: metric(42), first: 'bad_ground_truth', says: /can only concatenate str \(not "int"\) to str.*"42"/ },
  { name: 'Math-Verify metric gold a list', row: metric(['42']), first: 'bad_ground_truth', says: /not "list"/ },
  { name: 'verl built-in gsm8k', row: minerva('5', 'openai/gsm8k'), first: 'unknown_data_source', says: /built-in reward routes \(gsm8k\)/ },
  { name: 'verl built-in MATH-500', row: minerva('5', 'HuggingFaceH4/MATH-500'), first: 'unknown_data_source', says: /math_reward/ },
  { name: 'LongBench-Pro without summary', row: { data_source: 'longbench_pro', reward_model: { ground_truth: { doc_ids: ['a'] } }, extra_info: { reward_mode: 'T3.2 Single-Hop Fact QA' } }, first: 'bad_ground_truth', says: /KeyError: 'summary'/ },
  { name: 'LongBench-Pro doc_ids true', row: lbp(true, 'T3.2 Single-Hop Fact QA'), first: 'bad_ground_truth', says: /has no len\(\)/ },
  { name: 'retrieval doc_ids a number', row: retrieval({ doc_ids: 5, golden_label: '1' }), first: 'bad_ground_truth', says: /not iterable/ },
  { name: 'IoU gold rows a number', row: table('{"data": 5}'), first: 'bad_ground_truth' },
  { name: 'no ground truth at all', row: { data_source: 'EM', extra_info: {} }, first: 'bad_ground_truth', says: /no ground truth/ },
  { name: 'judge reward_mode EM', row: judge({ reward_mode: 'EM', ground_truth: '42' }), first: 'judge_required', says: /NotImplementedError/ },
  { name: 'judge reward_mode model_judge', row: judge({ reward_mode: 'model_judge', ground_truth: '42' }), first: 'judge_required', says: /only an exact copy/ },
  { name: 'empty doc_ids', row: lbp([], 'T5.1 Full-Sentence Citation Alignment'), first: 'no_answers' },
  { name: 'empty doc_ids and an unknown sub-task', row: lbp([], 'T99 Nothing'), first: 'no_answers', also: ['unknown_task'] },
  { name: 'a number among the answers', row: lbp(['a', 3], 'T6.1 Large-Scale Document Clustering'), first: 'non_string_answer', says: /doc_ids\[1\] is 3/ },
  { name: 'Pairwise_Accuracy with one answer', row: lbp(['only'], 'T2.2 Local Causal Chain Sorting'), first: 'too_few_answers' },
  { name: 'Summary reference of dots', row: lbp(['...'], 'T4.1 Global-Coverage Constrained Summary'), first: 'summary_unscorable' },
  { name: 'Summary with a blank second reference', row: lbp([ENGLISH_SUMMARY, '  '], 'T4.2 Query-Focused Summary'), first: 'summary_unscorable', says: /#1/ },
  { name: 'Summary sentence of 1200 words', row: lbp([LONG_SENTENCE], 'T4.1 Global-Coverage Constrained Summary'), first: 'summary_sentence_too_long', says: /1200 words/ },
  { name: 'table label not JSON', row: table('{"data": [[1]'), first: 'gold_not_json' },
  { name: 'table label not a string', row: table({ data: [[1]] }), first: 'gold_not_json' },
  { name: 'table with no rows', row: table('{"data": []}'), first: 'no_gold_rows' },
  { name: 'table label a JSON list', row: table('[[1, 2]]'), first: 'no_gold_rows' },
  { name: 'table ground truth a string', row: { data_source: 'multitableqa_pretraining', reward_model: { ground_truth: '{"data": [[1]]}' }, extra_info: {} }, first: 'no_gold_rows' },
  { name: 'table rows a string', row: table('{"data": "ab"}'), first: 'gold_not_a_table' },
  { name: 'selection label in parentheses', row: sel('(B)'), first: 'label_not_a_choice' },
  { name: 'selection label in lower case', row: sel('b'), first: 'label_not_a_choice', says: /case-sensitive/ },
  { name: 'selection label with a space', row: sel(' A'), first: 'label_not_a_choice', says: /whitespace/ },
  { name: 'selection label E', row: sel('E'), first: 'label_not_a_choice', says: /only A-D/ },
  { name: 'retrieval ids without the <|doc_N|> form', row: retrieval({ doc_ids: ['doc_3'], golden_label: '42' }), first: 'doc_ids_unmatchable' },
  { name: 'retrieval with no ids', row: retrieval({ doc_ids: [], golden_label: '42' }), first: 'doc_ids_unmatchable' },
  { name: 'retrieval ids a string', row: retrieval({ doc_ids: '<|doc_3|>', golden_label: '42' }), first: 'doc_ids_unmatchable' },
  { name: 'math gold with an open brace', row: math('x^{2'), first: 'math_gold_unparseable', says: /not parseable/ },
  { name: 'math gold empty', row: math(''), first: 'math_gold_unparseable' },
  { name: 'math_dapo_math_verify gold with an open brace', row: skyMath('x^{2'), first: 'math_gold_unparseable', says: /not parseable/ },
  { name: 'Math-Verify metric gold empty', row: metric(''), first: 'math_gold_unparseable' },
  { name: 'Minerva gold with a line break', row: minerva('3\n4'), first: 'answer_line_unmatchable', says: /line break/ },
  { name: 'Minerva gold of 600 digits', row: minerva('1'.repeat(600), 'math_longcot'), first: 'answer_line_unmatchable', says: /600 code points.*500/ },
  { name: 'retrieval golden_label unparseable', row: retrieval({ doc_ids: ['<|doc_1|>'], golden_label: '}' }), first: 'math_gold_unparseable' },
  { name: 'EM label with </think>', row: em({ golden_label: '</think>A200' }), first: 'gold_split_by_think' },
  { name: 'table cell with </think>', row: table('{"data": [[1], ["</think>"]]}'), first: 'gold_contains_think_tag', says: /has more than one <\/think>/ },
  { name: 'table cell with <answer>x</answer>', row: table('{"data": [["<answer>x</answer>"]]}'), first: 'ideal_below_best' },
  { name: 'Pairwise_Accuracy answers repeated', row: lbp(['a', 'b', 'a', 'b'], 'T6.3 Global Frequency Analysis'), first: 'duplicate_answers' },
  { name: 'an answer holding [Answer]', row: lbp(['x [Answer] y', 'z'], 'T5.2 Key-Statement Citation Alignment'), first: 'answer_contains_marker' },
  { name: 'an empty answer first', row: lbp(['', 'a'], 'T9.1 Dependency-Aware Multi-Version Impact Analysis'), first: 'empty_answer' },
  { name: 'math gold with words', row: math('about 42 %'), first: 'math_gold_words', says: /"about".*"42 %" scores 0/ },
  { name: 'math_dapo_math_verify gold with words', row: skyMath('about 42 %'), first: 'math_gold_words' },
  { name: 'Math-Verify metric gold with words', row: metric('about 42 %', 'MATH##prealgebra'), first: 'math_gold_words', says: /"about"/ },
  { name: 'Minerva gold normalised away', row: minerva('units'), first: 'empty_label', says: /normalize_final_answer/ },
  { name: 'math_dapo_math_verify golds in a list', row: skyMath(['0.5', '1/2']), first: 'odd_ground_truth', says: /elements/ },
  { name: 'Chinese summary marked English', row: lbp([CHINESE_SUMMARY], 'T4.1 Global-Coverage Constrained Summary', 'English'), first: 'language_mismatch' },
  { name: 'empty EM label', row: em({ golden_label: ' ' }), first: 'empty_label' },
  { name: 'doc_ids a string', row: lbp('abc', 'T5.1 Full-Sentence Citation Alignment'), first: 'odd_ground_truth', says: /characters/ },
  { name: 'table without golden_label, rows in data', row: { data_source: 'multitableqa_pretraining', reward_model: { ground_truth: { data: [[1]] } }, extra_info: {} }, first: 'odd_ground_truth' },
];

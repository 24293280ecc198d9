// `golong-reward check` and `golong-reward profile` as a researcher runs them: problem lines on
// stdout, the per-source table on stderr, --out, --report, --fail-on-problem, --workers (same lines),
// parquet datasets, bad input; profile's buckets on rollouts whose buckets are known by construction.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { beforeAll, describe, expect, it } from 'vitest';
import { BROKEN_ROWS, GOOD_ROWS } from './helpers/checkCases.js';
import { loadScoreCases, PARITY_DIR } from './helpers/parity.js';
import { writeDataset } from './helpers/parquetFixture.js';
import { tempDirs } from './helpers/tempDir.js';

const CLI = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const PARITY_FILE = fileURLToPath(new URL('scores.public.jsonl', PARITY_DIR));

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const tmp = tempDirs('golong-check-');
let dir: string;
beforeAll(() => {
  dir = tmp();
});

describe('golong-reward check', () => {
  const rows = [...GOOD_ROWS, ...BROKEN_ROWS].map((c) => c.row);

  it('prints one line per row with a problem, in row order, and a table per data source and sub-task', () => {
    const { status, lines, stderr } = cli(['check', '-'], jsonl(rows));
    expect(status).toBe(0);
    // Good rows come first in the input: the first reported row is the first broken one.
    expect(lines.map((l) => l.index)).toEqual(BROKEN_ROWS.map((_, i) => GOOD_ROWS.length + i));
    expect(lines.map((l) => l.problem)).toEqual(BROKEN_ROWS.map((c) => c.first));
    expect(Object.keys(lines[0]).slice(0, 4)).toEqual(['index', 'id', 'data_source', 'reward_type']);
    const sel = lines.find((l) => l.message.includes('"(B)"'))!;
    expect(sel).toMatchObject({ data_source: 'selection', reward_type: 'selection', scorer: 'choice', problem: 'label_not_a_choice', severity: 'fatal', ideal_score: null, best_score: 1 });
    // selection: the good rows are fine; its broken rows are four labels and one label that is a number.
    const selectionRow = stderr.split('\n').find((l) => l.startsWith('selection '))!;
    const isSelection = (r: unknown) => (r as { data_source?: unknown } | null)?.data_source === 'selection';
    const selectionRows = rows.filter(isSelection);
    const selectionProblems = BROKEN_ROWS.filter((c) => isSelection(c.row));
    expect(selectionRow).toMatch(new RegExp(`^selection\\s+${selectionRows.length}\\s+${selectionRows.length - selectionProblems.length}\\s+label_not_a_choice 4, bad_ground_truth 1$`));
    expect(stderr).toMatch(/^longbench_pro · T4\.1 Global-Coverage Constrained Summary\s+\d+\s+\d+\s+.*summary_unscorable 1/m);
    // Names with stray whitespace are shown quoted: that whitespace is the problem.
    expect(stderr).toMatch(/^"EM "\s+1\s+0\s+unknown_data_source 1$/m);
    expect(stderr).toMatch(new RegExp(`^all\\s+${rows.length}\\s+${GOOD_ROWS.length}\\s+${BROKEN_ROWS.length} rows$`, 'm'));
    expect(stderr).toMatch(new RegExp(`${BROKEN_ROWS.length} of ${rows.length} rows have a problem \\(fatal \\d+, capped \\d+, warning \\d+\\)`));
  });

  it('--fail-on-problem exits 3 when a row has a problem and 0 when none has; --quiet and --out', () => {
    const good = join(dir, 'good.jsonl');
    writeFileSync(good, jsonl(GOOD_ROWS.map((c) => c.row)));
    const clean = cli(['check', good, '--fail-on-problem', '--quiet']);
    expect([clean.status, clean.stdout, clean.stderr]).toEqual([0, '', '']);
    const out = join(dir, 'problems.jsonl');
    const failing = cli(['check', '-', '--fail-on-problem', '--out', out], jsonl([GOOD_ROWS[0]!.row, BROKEN_ROWS[0]!.row]));
    expect(failing.status).toBe(3);
    expect(failing.stderr).toMatch(/golong-reward: 1 of 2 rows have a problem \(--fail-on-problem\)/);
    expect(failing.stdout).toBe('');
    expect(readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l).index)).toEqual([1]);
  });

  it('a line that is not JSON and a row that is not an object are those rows\' problems', () => {
    const { status, lines } = cli(['check', '-'], `${JSON.stringify(GOOD_ROWS[0]!.row)}\n{"data_source": \n[1, 2]\n"text"\n${JSON.stringify(GOOD_ROWS[2]!.row)}\n`);
    expect(status).toBe(0);
    expect(lines.map((l) => [l.index, l.problem])).toEqual([
      [1, 'not_json'],
      [2, 'not_an_object'],
      [3, 'not_an_object'],
    ]);
    expect(lines[0].message).toMatch(/^line 2 is not valid JSON/);
  });

  it('--ideal adds the response that was scored', () => {
    const { lines } = cli(['check', '-', '--ideal'], jsonl([{ data_source: 'longbench_pro', ground_truth: { doc_ids: ['x [Answer] y', 'z'], summary: 'English' }, extra_info: { reward_mode: 'T5.1 Full-Sentence Citation Alignment' } }]));
    expect(lines[0]).toMatchObject({ problem: 'answer_contains_marker', ideal_score: 0.5, ideal_response: '[Answer]\nx [Answer] y\nz' });
  });

  it('--workers gives the same lines as one thread, on the public parity file', () => {
    // A generous budget per row: the lines are compared, not the speed of a busy machine.
    const one = cli(['check', PARITY_FILE, '--quiet', '--timeout-ms', '30000']);
    const two = cli(['check', PARITY_FILE, '--quiet', '--timeout-ms', '30000', '--workers', '2']);
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    // Every row the reference raises on is reported.
    const reported = new Set(one.lines.map((l) => l.id));
    expect(loadScoreCases().filter((c) => c.expected_error !== undefined && !reported.has(c.id))).toEqual([]);
  });

  it('--report writes a self-contained page with the counts and the reasons', () => {
    const report = join(dir, 'check.html');
    const { status } = cli(['check', '-', '--report', report, '--quiet'], jsonl(rows));
    expect(status).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain('<h2 id="check">Dataset check</h2>');
    expect(html).toContain(`${BROKEN_ROWS.length} of ${rows.length} rows have a problem`);
    expect(html).toContain('<code>label_not_a_choice</code>');
    // Messages are escaped: "<|doc_N|>" must not become markup.
    expect(html).toContain('&lt;|doc_N|&gt;');
  });

  it('reads verl parquet datasets without responses; the same rows as JSONL give the same problems', () => {
    const cases = loadScoreCases().filter((c) => ['EM', 'selection'].includes(c.data_source) && typeof c.ground_truth === 'object' && c.ground_truth !== null && !Array.isArray(c.ground_truth) && Object.keys(c.ground_truth).every((k) => k === 'golden_label'));
    const file = join(dir, 'dataset.parquet');
    writeDataset(file, cases, { responses: 'none' });
    const fromParquet = cli(['check', file, '--quiet']);
    expect(fromParquet.status).toBe(0);
    // Parquet struct columns give every row every ground-truth key (null when absent), as pyarrow does.
    const asJsonl = cli(['check', '-', '--quiet'], jsonl(cases.map((c) => ({ data_source: c.data_source, ground_truth: { doc_ids: null, golden_label: (c.ground_truth as { golden_label: unknown }).golden_label, summary: null }, extra_info: c.extra_info }))));
    expect(fromParquet.lines.length).toBeGreaterThan(5);
    expect(fromParquet.lines.map((l) => [l.index, l.problem, l.message])).toEqual(asJsonl.lines.map((l) => [l.index, l.problem, l.message]));
  });

  it('reads numbers with their Python types, from JSONL and from parquet DOUBLE columns, in this thread and on the pool', () => {
    const lines = '{"id": "f", "data_source": "aime2024", "reward_model": {"ground_truth": 42.0}}\n{"id": "i", "data_source": "math_dapo", "reward_model": {"ground_truth": 42}}\n';
    // A DOUBLE ground_truth column, as pandas writes a column of 42.0 (verl's math datasets sometimes hold numbers).
    const schema = [
      { name: 'root', num_children: 2 },
      { name: 'data_source', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'reward_model', repetition_type: 'OPTIONAL', num_children: 1 },
      { name: 'ground_truth', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    ];
    const parquet = join(dir, 'doubles.parquet');
    writeFileSync(
      parquet,
      new Uint8Array(parquetWriteBuffer({ schema: schema as never, columnData: [{ name: 'data_source', data: ['aime2024'] }, { name: 'reward_model', data: [{ ground_truth: 42 }] }] as never })),
    );
    for (const workers of [[], ['--workers', '1']]) {
      const fromJsonl = cli(['check', '-', '--quiet', ...workers], lines).lines;
      expect(fromJsonl.map((l) => l.id)).toEqual(['f', 'i']);
      expect(fromJsonl[0].message).toContain('can only concatenate str (not "float") to str');
      expect(fromJsonl[1].message).toContain("'int' object has no attribute 'split'");
      const fromParquet = cli(['check', parquet, '--quiet', ...workers]);
      expect(fromParquet.status, fromParquet.stderr).toBe(0);
      expect(fromParquet.lines.map((l) => l.message)).toEqual([expect.stringContaining('a float (42.0), not a string')]);
    }
  });

  it("README's example gives the lines and the table README shows", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### `golong-reward check DATASET`'), readme.indexOf('### POST /check'));
    const rows = /<<'ROWS'\n([\s\S]*?)\nROWS\n/.exec(section)![1]!;
    // The fenced blocks of the section, in order: the shell example, then stdout, then stderr.
    const blocks: string[][] = [];
    let open: string[] | undefined;
    for (const line of section.split('\n')) {
      if (line.startsWith('```')) open = open ? (blocks.push(open), undefined) : [];
      else open?.push(line);
    }
    const [documentedLines, documentedStderr] = blocks.slice(1, 3).map((b) => b.join('\n'));
    const run = cli(['check', '-', '--fail-on-problem'], rows + '\n');
    expect(run.status).toBe(3);
    // README elides some fields with "…"; the index, id, code and message are shown in full.
    const shown = documentedLines!.split('\n').map((l) => {
      const field = (name: string) => new RegExp(`"${name}":("(?:[^"\\\\]|\\\\.)*"|\\d+)`).exec(l)![1]!;
      return ['index', 'id', 'problem', 'message'].map((f) => JSON.parse(field(f)));
    });
    expect(run.lines.map((l) => [l.index, l.id, l.problem, l.message])).toEqual(shown);
    // The table and counts as documented (the timing line aside; there is no report path here).
    const tableOf = (text: string) => text.split('\n').filter((l) => l !== '' && !/^(checked \d+ rows in|report: )/.test(l));
    expect(tableOf(run.stderr)).toEqual(tableOf(documentedStderr!));
  });

  it('says when a file is neither JSONL nor parquet', () => {
    const csv = join(dir, 'data.csv');
    writeFileSync(csv, 'data_source,golden_label\nEM,Porto\n');
    const bad = cli(['check', csv]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/data\.csv is neither JSONL \(one JSON object per line\) nor parquet \(no PAR1 magic\): its first lines are not JSON/);
    const array = join(dir, 'data.json');
    writeFileSync(array, '[\n  {"data_source": "EM"}\n]\n');
    expect(cli(['check', array]).stderr).toMatch(/one JSON array spread over lines; write one row per line/);
    const fake = join(dir, 'fake.parquet');
    writeFileSync(fake, '{"data_source": "EM"}\n');
    expect(cli(['check', fake]).stderr).toMatch(/could not be read as parquet: it does not start with the parquet magic bytes PAR1/);
  });
});

describe('golong-reward profile', () => {
  // q0 fails everywhere, q1 aces everywhere, q2 is mixed for both models, q3 is aced by the big
  // model only, q4 has partial F1 scores and one item error.
  const rollouts = [
    ...[0, 0, 0, 0].flatMap((s) => [{ uid: 'q0', model: '4B', score: s, reward_type: 'EM' }, { uid: 'q0', model: '30B', score: s, reward_type: 'EM' }]),
    ...[1, 1].flatMap((s) => [{ uid: 'q1', model: '4B', score: s, reward_type: 'EM' }, { uid: 'q1', model: '30B', score: s, reward_type: 'EM' }]),
    ...[1, 0].flatMap((s) => [{ uid: 'q2', model: '4B', score: s, reward_type: 'EM' }, { uid: 'q2', model: '30B', score: s, reward_type: 'EM' }]),
    { uid: 'q3', model: '4B', score: 0, reward_type: 'EM' },
    { uid: 'q3', model: '4B', score: 0, reward_type: 'EM' },
    { uid: 'q3', model: '30B', score: 1, reward_type: 'EM' },
    { uid: 'q3', model: '30B', score: 1, reward_type: 'EM' },
    { uid: 'q4', model: '4B', score: 0.5, reward_type: 'F1_Score' },
    { uid: 'q4', model: '30B', score: 0.999999995, reward_type: 'F1_Score' },
    { uid: 'q4', model: '30B', score: null, reward_type: 'F1_Score' },
  ];

  it('buckets each prompt and writes keep/drop lists', () => {
    const keep = join(dir, 'keep.txt');
    const drop = join(dir, 'drop.txt');
    const { status, lines, stderr } = cli(['profile', '-', '--keep', keep, '--drop', drop], jsonl(rollouts));
    expect(status).toBe(0);
    expect(lines.map((l) => [l.uid, l.n, l.mean, l.pass_rate, l.bucket])).toEqual([
      ['q0', 8, 0, 0, 'always_0'],
      ['q1', 4, 1, 1, 'always_1'],
      ['q2', 4, 0.5, 0.5, 'mixed'],
      ['q3', 4, 0.5, 0.5, 'mixed'],
      // 0.999999995 is ROUGE-L's ceiling: it counts as a pass.
      ['q4', 2, (0.5 + 0.999999995) / 2, 0.5, 'mixed'],
    ]);
    expect(lines[4].errors).toBe(1);
    expect(lines[3].models).toEqual({
      '4B': { n: 2, mean: 0, pass_rate: 0, bucket: 'always_0' },
      '30B': { n: 2, mean: 1, pass_rate: 1, bucket: 'always_1' },
    });
    expect(readFileSync(keep, 'utf8')).toBe('q2\nq3\nq4\n');
    expect(readFileSync(drop, 'utf8')).toBe('q0\nq1\n');
    // EM: 4 prompts, 1 always_0, 1 always_1, 2 mixed; mean pass rate (0 + 1 + 0.5 + 0.5) / 4.
    expect(stderr).toMatch(/^EM\s+4\s+20\s+25\.0%\s+25\.0%\s+50\.0%\s+0\s+0\.5000$/m);
    expect(stderr).toMatch(/^F1_Score\s+1\s+2\s+0\.0%\s+0\.0%\s+100\.0%\s+0\s+0\.5000$/m);
    expect(stderr).toMatch(/prompts every model fails \(always_0 for each; hard or mislabelled: look at them\): 1 of 5/);
    expect(stderr).toMatch(/prompts every model aces \(always_1 for each; too easy to teach\): 1 of 5/);
    expect(stderr).toMatch(/^always_0 \/ always_1\s+1\s+20\.0%$/m);
    expect(stderr).toMatch(/^4B\s+5\s+11\s+/m);
  });

  it('scores verl rows with uid and responses first, as score does', () => {
    const rows = [
      { uid: 'a', data_source: 'EM', solution_str: '<think>x</think>Porto', ground_truth: { golden_label: 'Porto' } },
      { uid: 'a', data_source: 'EM', solution_str: '<think>x</think>Lisbon', ground_truth: { golden_label: 'Porto' } },
      { uid: 'b', task: 'em', response: 'x', reference: 'x', model: 'm' },
      { uid: 'b', data_source: 'EM ', solution_str: '<think>x</think>Porto', ground_truth: { golden_label: 'Porto' }, model: 'm' },
    ];
    for (const workers of [[], ['--workers', '1']]) {
      const { status, lines } = cli(['profile', '-', '--quiet', ...workers], jsonl(rows));
      expect(status).toBe(0);
      expect(lines.map((l) => [l.uid, l.reward_type, l.n, l.errors, l.bucket])).toEqual([
        ['a', 'EM', 2, undefined, 'mixed'],
        ['b', 'EM', 1, 1, 'always_1'],
      ]);
    }
  });

  it('a parquet dataset with a list of responses per row: each row is a prompt', () => {
    const cases = loadScoreCases().filter((c) => c.data_source === 'EM' && c.expected !== undefined && typeof c.ground_truth === 'object' && !Array.isArray(c.ground_truth) && Object.keys(c.ground_truth as object).every((k) => k === 'golden_label')).slice(0, 6);
    const file = join(dir, 'generated.parquet');
    writeDataset(file, cases); // two responses per row: the parity rollout and it plus " extra words"
    const scored = cli(['score', file, '--quiet']).lines;
    const { status, lines } = cli(['profile', file, '--quiet']);
    expect(status).toBe(0);
    expect(lines.map((l) => l.uid)).toEqual(cases.map((_, i) => String(i)));
    expect(lines.map((l) => l.mean)).toEqual(cases.map((_, i) => (scored[2 * i].score + scored[2 * i + 1].score) / 2));
  });

  it('says which field it needs when rollouts have no uid, and rejects scores outside [0, 1]', () => {
    const none = cli(['profile', '-'], jsonl([{ uid: 'a', score: 1 }, { score: 0 }]));
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/line 2 has no "uid" field: profile groups rollouts by prompt, so every line needs the id of its prompt as "uid"/);
    const bad = cli(['profile', '-'], jsonl([{ uid: 'a', score: 2 }]));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/line 1 has score 2; a score must be a number in \[0, 1\], or null/);
  });
});

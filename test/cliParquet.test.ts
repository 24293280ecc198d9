// `golong-reward score DATASET.parquet`: verl datasets read directly, from fixtures in the layout
// pandas/pyarrow give verl datasets (helpers/parquetFixture.ts).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScoreCases, type ScoreCase } from './helpers/parity.js';
import { writeDataset } from './helpers/parquetFixture.js';
import { tempDirs } from './helpers/tempDir.js';

const CLI = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, results: r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

const tmp = tempDirs('golong-parquet-');
let dir: string;
let cases: ScoreCase[];

beforeAll(() => {
  dir = tmp();
  // Rows whose ground truth is an object of strings / string lists (what a struct column holds).
  const usable = loadScoreCases().filter((c) => {
    if (c.expected === undefined || c.tags.includes('spec-divergence')) return false;
    const gt = c.ground_truth as Record<string, unknown> | null;
    if (gt === null || typeof gt !== 'object' || Array.isArray(gt)) return false;
    const keysOk = Object.keys(gt).every((k) => ['doc_ids', 'golden_label', 'summary'].includes(k));
    const extra = c.extra_info as Record<string, unknown> | null;
    const extraOk = extra !== null && typeof extra === 'object' && Object.keys(extra).every((k) => k === 'reward_mode');
    return keysOk && extraOk && (gt.doc_ids === undefined || Array.isArray(gt.doc_ids)) && ['longbench_pro', 'selection', 'EM'].includes(c.data_source);
  });
  cases = [
    ...usable.filter((c) => c.data_source === 'longbench_pro').slice(0, 40),
    ...usable.filter((c) => c.data_source === 'selection').slice(0, 10),
    ...usable.filter((c) => c.data_source === 'EM').slice(0, 10),
  ];
});

describe('score DATASET.parquet', () => {
  it('scores every response of a verl generation output (responses column, several per row)', () => {
    const file = join(dir, 'generated.parquet');
    writeDataset(file, cases);
    const { status, results, stderr } = cli(['score', file]);
    expect(status).toBe(0);
    expect(results).toHaveLength(cases.length * 2);
    expect(results.slice(0, 4).map((r) => r.id)).toEqual(['0-0', '0-1', '1-0', '1-1']);
    const wrong = cases.filter((c, i) => !(Math.abs(results[2 * i].score - c.expected!) <= 1e-9)).map((c, i) => `${c.id}: ${JSON.stringify(results[2 * i])}`);
    expect(wrong).toEqual([]);
    expect(stderr).toMatch(/^all\s+120\s+/m);
  });

  it('takes responses from a column named by --response-column', () => {
    const file = join(dir, 'named.parquet');
    writeDataset(file, cases, { responses: 'string' });
    const { status, results } = cli(['score', file, '--response-column', 'model_output', '--quiet']);
    expect(status).toBe(0);
    expect(results.map((r) => r.id)).toEqual(cases.map((_, i) => i));
    expect(cases.filter((c, i) => !(Math.abs(results[i].score - c.expected!) <= 1e-9))).toEqual([]);
  });

  it('takes responses from a file with one line per row (--responses), JSONL or plain text', () => {
    const file = join(dir, 'prompts.parquet');
    writeDataset(file, cases, { responses: 'none' });
    const jsonl = join(dir, 'responses.jsonl');
    writeFileSync(jsonl, cases.map((c) => JSON.stringify({ response: c.solution_str })).join('\n') + '\n');
    const viaJsonl = cli(['score', file, '--responses', jsonl, '--quiet']);
    expect(viaJsonl.status).toBe(0);
    expect(cases.filter((c, i) => !(Math.abs(viaJsonl.results[i].score - c.expected!) <= 1e-9))).toEqual([]);

    const txt = join(dir, 'responses.txt');
    writeFileSync(txt, cases.map((c) => c.solution_str.replace(/[\r\n]/g, ' ')).join('\n') + '\n');
    const viaText = cli(['score', file, '--responses', txt, '--quiet']);
    expect(viaText.status).toBe(0);
    expect(viaText.results).toHaveLength(cases.length);
  });

  it('says what is missing: no responses, too few responses, not a parquet file', () => {
    const file = join(dir, 'bare.parquet');
    writeDataset(file, cases.slice(0, 3), { responses: 'none' });
    const none = cli(['score', file]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/has no responses column .*pass --responses FILE/);
    const short = join(dir, 'short.jsonl');
    writeFileSync(short, '"a"\n"b"\n');
    const few = cli(['score', file, '--responses', short]);
    expect(few.status).toBe(1);
    expect(few.stderr).toMatch(/has fewer responses than .* has rows \(3\)/);
    const wrongColumn = cli(['score', file, '--response-column', 'nope']);
    expect(wrongColumn.stderr).toMatch(/has no nope column .*its columns: data_source, prompt, ability, reward_model, extra_info/);
    const fake = join(dir, 'fake.parquet');
    writeFileSync(fake, 'not parquet at all');
    const bad = cli(['score', fake]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/could not be read as parquet/);
  });

  it('says so when there is nothing to score: no rows, or a missing --responses file', () => {
    const empty = join(dir, 'empty.parquet');
    writeDataset(empty, []);
    const noRows = cli(['score', empty]);
    expect(noRows.status).toBe(1);
    expect(noRows.stdout).toBe('');
    expect(noRows.stderr).toBe(`golong-reward: ${empty} has no rows: no items to score\n`);
    const file = join(dir, 'three.parquet');
    writeDataset(file, cases.slice(0, 3), { responses: 'none' });
    const missing = join(dir, 'no-such-responses.jsonl');
    const noFile = cli(['score', file, '--responses', missing]);
    expect(noFile.status).toBe(1);
    expect(noFile.stderr).toBe(`golong-reward: cannot read --responses ${missing}: no such file or directory\n`);
  });
});

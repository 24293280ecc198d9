// `golong-reward score` for a researcher: the summary table on stderr, --out, --report (a
// self-contained HTML page), --workers (same results, same order), progress; and the summary
// arithmetic itself.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatSummaryTable, itemContext, ScoreSummary } from '../src/cli/summary.js';
import { escapeHtml, renderReport } from '../src/cli/report.js';
import { PARITY_DIR } from './helpers/parity.js';
import { tempDirs } from './helpers/tempDir.js';

const CLI = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const PARITY_FILE = fileURLToPath(new URL('scores.public.jsonl', PARITY_DIR));

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = tempDirs('golong-cli-');

/** Items with known scores: em gives exactly 0 or 1. */
function emItems(): string {
  const lines = [
    { id: 'hit-1', task: 'em', response: 'Porto', reference: 'Porto' },
    { id: 'hit-2', task: 'em', response: 'Lisbon', reference: 'Lisbon' },
    { id: 'miss-1', task: 'em', response: 'Braga', reference: 'Porto' },
    { id: 'f1', task: 'f1', response: '[Answer]\nalpha\nbeta', reference: ['alpha', 'gamma'] },
    { id: 'bad', task: 'no_such_task', response: 'x', reference: 'x' },
  ];
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

describe('score: summary table, --out and --report', () => {
  it('prints results on stdout and a per-reward-type table on stderr', () => {
    const { status, stdout, stderr } = cli(['score', '-'], emItems());
    expect(status).toBe(0);
    const results = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(results.map((r) => r.id)).toEqual(['hit-1', 'hit-2', 'miss-1', 'f1', 'bad']);
    const emRow = stderr.split('\n').find((l) => l.startsWith('EM '))!;
    expect(emRow.trim().split(/\s+/)).toEqual(['EM', '3', '0.6667', '33.3%', '66.7%', '0']);
    // An unknown task routes to no reward type; the total counts scored items and all errors.
    expect(stderr).toMatch(/^\(no reward type\)\s+0\s+-\s+-\s+-\s+1$/m);
    expect(stderr).toMatch(/^all\s+4\s+0\.\d{4}\s+25\.0%\s+50\.0%\s+1$/m);
    expect(stderr).toMatch(/^could not be scored: 1 item, by reason$/m);
    expect(stderr).toMatch(/^  unknown_task  1  the native task or LongBench-Pro sub-task .* does not exist$/m);
    expect(stderr).toMatch(/^ +first: item "bad": unknown task "no_such_task"/m);
    expect(stderr).toMatch(/^4 of 5 items scored; 1 could not be scored/m);
    // Nothing but results on stdout.
    expect(stdout).not.toMatch(/reward type|could not be scored/);
  });

  it('--quiet prints nothing on stderr; --out writes the results to a file', () => {
    const dir = tmp();
    const out = join(dir, 'results.jsonl');
    const { status, stdout, stderr } = cli(['score', '-', '--quiet', '--out', out], emItems());
    expect(status).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe('');
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(5);
  });

  it('--report writes a self-contained page with a histogram per reward type and the worst examples', () => {
    const dir = tmp();
    const report = join(dir, 'report.html');
    const { status } = cli(['score', PARITY_FILE, '--report', report, '--quiet', '--out', join(dir, 'r.jsonl')]);
    expect(status).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    // No external assets: no scripts, stylesheets, images or remote URLs.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|url\(|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);
    const types = [...readFileSync(join(dir, 'r.jsonl'), 'utf8').matchAll(/"reward_type":"([^"]+)"/g)].map((m) => m[1]!);
    const distinct = [...new Set(types)];
    expect(distinct.length).toBeGreaterThan(5);
    expect(html.match(/<svg /g)).toHaveLength(distinct.length);
    for (const t of distinct) expect(html).toContain(`<h2 id="${escapeHtml(encodeURIComponent(t))}">${escapeHtml(t)}</h2>`);
    expect(html).toMatch(/Worst-scoring examples/);
    // Errors of routable items count under their reward type (a bad ground truth of an EM row).
    expect(html).toMatch(/<th>not scored<\/th><td class="num"><a href="#errors">\d+<\/a>/);
    expect(html).toMatch(/Items that could not be scored \(\d+\)/);
    // Each error code with its count and what it means.
    expect(html).toMatch(/<li><code>bad_ground_truth<\/code> \d+: the ground truth has a shape the reference raises on/);
    // Rollout text is escaped, never markup: responses contain <think> tags.
    expect(html).toContain('&lt;/think&gt;');
    expect(html).not.toContain('</think>');
  });

  it('--workers N gives the same results in the same order as in-process scoring', () => {
    const dir = tmp();
    const one = cli(['score', PARITY_FILE, '--quiet']);
    const pooled = cli(['score', PARITY_FILE, '--quiet', '--workers', '2', '--out', join(dir, 'pooled.jsonl')]);
    expect(one.status).toBe(0);
    expect(pooled.status).toBe(0);
    expect(readFileSync(join(dir, 'pooled.jsonl'), 'utf8')).toBe(one.stdout);
  });

  it('--progress prints progress lines to stderr even when it is not a terminal', () => {
    const { stderr } = cli(['score', PARITY_FILE, '--progress', '--out', join(tmp(), 'x.jsonl')]);
    const lines = stderr.split('\n').filter((l) => l.startsWith('['));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.at(-1)).toMatch(/^\[#{30}\] 100% 1,538 items/);
    // Without --progress and without a terminal: no progress lines.
    expect(cli(['score', PARITY_FILE, '--out', join(tmp(), 'y.jsonl')]).stderr).not.toMatch(/^\[/m);
  });

  it('rejects bad flags with a usage message and exit code 2', () => {
    const bad = cli(['score', '-', '--workers', '0'], '');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--workers must be a positive integer/);
    expect(cli(['score']).status).toBe(2);
    expect(cli(['frobnicate']).stderr).toMatch(/unknown command "frobnicate"/);
    const missing = cli(['score', join(tmp(), 'missing.jsonl')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
    const jsonlWithResponses = join(tmp(), 'a.jsonl');
    writeFileSync(jsonlWithResponses, emItems());
    expect(cli(['score', jsonlWithResponses, '--responses', jsonlWithResponses]).stderr).toMatch(/apply to \.parquet datasets/);
  });
});

describe('ScoreSummary', () => {
  it('counts, averages, shares of exact 0 and 1, and keeps the k lowest scores in input order', () => {
    const s = new ScoreSummary(3);
    const scores = [0.5, 0, 1, 0, 0.25, 1, 0.75, 0];
    scores.forEach((score, i) => s.add({ id: `x${i}`, score, reward_type: 'T' }, i, { source: 'src', response: `r${i}` }));
    s.add({ id: 'e', score: null, error: { code: 'timeout', message: 'slow' } }, 8, { response: 'slow one', rewardType: 'T' });
    s.add({ id: 'u', score: null, error: { code: 'unknown_data_source', message: '?' } }, 9, {});
    const data = s.data();
    expect(data).toMatchObject({ items: 10, scored: 8, errors: 2, unroutedErrors: 1, errorsByCode: { timeout: 1, unknown_data_source: 1 } });
    const t = data.byRewardType[0]!;
    expect(t).toMatchObject({ rewardType: 'T', count: 8, zeros: 3, ones: 2, min: 0, max: 1, errors: 1 });
    expect(t.sum).toBeCloseTo(3.5, 12);
    expect(t.worst.map((e) => e.id)).toEqual(['x1', 'x3', 'x7']);
    expect(t.bins[0]).toBe(3);
    expect(t.bins[19]).toBe(2); // 1.0 falls in the last bin
    expect(t.bins[10]).toBe(1);
    expect(t.bins.reduce((a, b) => a + b, 0)).toBe(8);
    expect(data.errorExamples[0]).toMatchObject({ id: 'e', response: 'slow one' });
    const table = formatSummaryTable(data);
    expect(table).toMatch(/^T\s+8\s+0\.4375\s+37\.5%\s+25\.0%\s+1$/m);
    expect(table).toMatch(/^\(no reward type\)\s+0\s+-\s+-\s+-\s+1$/m);
    expect(table).toMatch(/^all\s+8\s+0\.4375\s+37\.5%\s+25\.0%\s+2$/m);
  });

  it('routes an item to the reward type its errors count under', () => {
    expect(itemContext({ task: 'em', response: 'x', reference: 'y' })).toEqual({ source: 'em', response: 'x', rewardType: 'EM' });
    expect(itemContext({ task: 'T5.1 Full-Sentence Citation Alignment', response: 'x' }).rewardType).toBe('F1_Score');
    const lbp = { data_source: 'longbench_pro', solution_str: 's', extra_info: { reward_mode: 'T2.1 Global Timeline Reconstruction' } };
    expect(itemContext(lbp)).toEqual({ source: 'longbench_pro', response: 's', rewardType: 'Pairwise_Accuracy', subtask: 'T2.1 Global Timeline Reconstruction' });
    expect(itemContext({ data_source: 'longbench_pro', solution_str: 's', extra_info: { reward_mode: 'T99' } }).rewardType).toBeUndefined();
    expect(itemContext({ data_source: 'dapo_math_longcot_math_verify', solution_str: 's' }).rewardType).toBe('dapo_math_longcot_math_verify');
    expect(itemContext({ data_source: 'gsm8k', solution_str: 's' }).rewardType).toBeUndefined();
    expect(itemContext('not an item')).toEqual({});
  });

  it('cuts long responses in examples and escapes them in the report', () => {
    const s = new ScoreSummary();
    s.add({ id: '<b>', score: 0, reward_type: 'A&B' }, 0, { response: '<script>alert(1)</script>' + 'x'.repeat(5000) });
    const html = renderReport(s.data(), { source: 'in.jsonl', semantics: 'v', generatedAt: new Date(0), seconds: 1 });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<code>&lt;b&gt;</code>');
    expect(html).toContain('A&amp;B');
    expect(html).toMatch(/5,025 chars, cut/);
  });
});

// `golong-reward score --audit` as a researcher runs it: every flag's exploit and near miss
// through the built CLI (in this thread and on worker threads), the suspicious-rollouts table on
// stderr, the report section with the evidence highlighted, --audit-penalty, and bad flags.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_FLAG_NAMES, type ItemResult } from '../rewards/index.js';
import { escapeHtml } from '../src/cli/report.js';
import { AUDIT_CASES, expectation } from './helpers/auditCases.js';

const CLI = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const resultsOf = (stdout: string): ItemResult[] => stdout.trim().split('\n').map((l) => JSON.parse(l) as ItemResult);

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'golong-audit-cli-'));
  file = join(dir, 'cases.jsonl');
  writeFileSync(file, AUDIT_CASES.map((c) => JSON.stringify(c.row)).join('\n') + '\n');
});

describe('golong-reward score --audit', () => {
  for (const workers of [undefined, '2']) {
    it(`flags every exploit and no near miss${workers ? ' (on 2 worker threads)' : ''}`, () => {
      const { status, stdout, stderr } = cli(['score', file, '--audit', ...(workers ? ['--workers', workers] : [])]);
      expect(status, stderr).toBe(0);
      const results = resultsOf(stdout);
      expect(results.map((r) => r.id)).toEqual(AUDIT_CASES.map((c) => c.id));
      AUDIT_CASES.forEach((c, i) => {
        const r = results[i]!;
        if (c.score !== undefined) expect(r.score, c.id).toBe(c.score);
        else expect(r.score!, c.id).toBeGreaterThanOrEqual(c.minScore!);
        const flags = (r.audit ?? []).map((f) => f.flag);
        const { must, mustNot } = expectation(c);
        for (const f of must) expect(flags, c.id).toContain(f);
        for (const f of mustNot) expect(flags, c.id).not.toContain(f);
      });
    });
  }

  it('prints the suspicious-rollouts table: rate per flag and reward type, and an example per flag', () => {
    const { status, stderr, stdout } = cli(['score', file, '--audit']);
    expect(status).toBe(0);
    const results = resultsOf(stdout);
    const flagged = results.filter((r) => r.audit).length;
    expect(stderr).toContain(`suspicious rollouts: ${flagged} of ${results.length} scored items raised an audit flag`);
    // Pairwise_Accuracy: 2 items, the exploit flagged: 1 of 2.
    expect(stderr).toMatch(/^Pairwise_Accuracy\s+pairwise_short_list\s+2\s+1\s+50\.0%$/m);
    expect(stderr).toMatch(/^Pairwise_Accuracy\s+duplicate_answers\s+2\s+0\s+0\.0%$/m);
    for (const flag of AUDIT_FLAG_NAMES) expect(stderr).toMatch(new RegExp(`^  ${flag}, e\\.g\\. item ${flag}:exploit:`, 'm'));
  });

  it('writes the report section with every flag\'s examples and the evidence highlighted', () => {
    const report = join(dir, 'report.html');
    const { status } = cli(['score', file, '--audit', '--quiet', '--report', report]);
    expect(status).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<h2 id="suspicious-rollouts">Suspicious rollouts</h2>');
    for (const flag of AUDIT_FLAG_NAMES) expect(html).toContain(`<h3 id="audit-${flag}">`);
    // The math exploit's evidence is its boxed answer in the think section.
    expect(html).toContain(`<mark>${escapeHtml('\\boxed{42}')}</mark>`);
    // The two-line pairwise answer is highlighted as a whole.
    expect(html).toContain('<mark>[Answer]\nOrion Foods issues a profit warning\nAtlas Robotics wins the Porto contract</mark>');
    expect(html).not.toMatch(/<script/i);
    const plain = join(dir, 'plain.html');
    cli(['score', file, '--quiet', '--report', plain]);
    expect(readFileSync(plain, 'utf8')).not.toContain('Suspicious rollouts');
  });

  it('--audit-penalty caps flagged scores, keeps reference_score, and the report says so', () => {
    const report = join(dir, 'penalty.html');
    const { status, stdout, stderr } = cli(['score', file, '--audit-penalty', 'repetition_loop:0,answer_in_think:0.5', '--report', report]);
    expect(status, stderr).toBe(0);
    const results = resultsOf(stdout);
    AUDIT_CASES.forEach((c, i) => {
      const r = results[i]!;
      const flags = (r.audit ?? []).map((f) => f.flag);
      if (flags.includes('repetition_loop')) expect(r).toMatchObject({ score: 0 });
      else if (flags.includes('answer_in_think')) expect(r).toMatchObject({ score: 0.5, reference_score: 1 });
      else expect(r.reference_score, c.id).toBeUndefined();
    });
    const penalised = results.filter((r) => r.reference_score !== undefined).length;
    expect(penalised).toBeGreaterThanOrEqual(4);
    expect(stderr).toContain(`${penalised} scores replaced by audit_penalty`);
    expect(readFileSync(report, 'utf8')).toContain('golongrl-reference+audit_penalty');
  });

  it('refuses an unknown flag or a value outside [0, 1] naming the flag (exit 2)', () => {
    const unknown = cli(['score', file, '--audit-penalty', 'repetition_lop:0']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^golong-reward: --audit-penalty: unknown flag "repetition_lop"; flags: pairwise_short_list, /);
    const range = cli(['score', file, '--audit-penalty', 'repetition_loop:1.5']);
    expect(range.status).toBe(2);
    expect(range.stderr).toMatch(/--audit-penalty: repetition_loop must be between 0 and 1/);
    expect(range.stdout).toBe('');
  });
});

// `npm run score` as a user runs it: the built CLI on JSONL files, results in input order.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../rewards/index.js';
import { agrees, familyOf, loadScoreCases, PARITY_DIR } from './helpers/parity.js';
import { tempDirs } from './helpers/tempDir.js';

const tmp = tempDirs('golong-cli-');

const CLI = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));

function runScore(args: string[], input?: string): ItemResult[] {
  const out = execFileSync(process.execPath, [CLI, 'score', ...args], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ItemResult);
}

describe('golong-reward score FILE', () => {
  it('reproduces the parity file, one result per line in input order, with ids', () => {
    const cases = loadScoreCases();
    const results = runScore([fileURLToPath(new URL('scores.public.jsonl', PARITY_DIR))]);
    expect(results.map((r) => r.id)).toEqual(cases.map((c) => c.id));
    const bad = cases.filter((c, i) => familyOf(c) !== 'math' && !agrees(c, results[i]!));
    expect(bad.map((c) => c.id)).toEqual([]);
  });

  it('turns a malformed line into an error result for that line and keeps going', () => {
    const dir = tmp();
    const file = join(dir, 'items.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', task: 'em', response: ' x ', reference: 'x' }),
        '{"id": "b", "task": ',
        '',
        JSON.stringify({ task: 'em', response: 'y', reference: 'x' }),
        '[1, 2]',
      ].join('\n') + '\n',
    );
    const results = runScore([file]);
    expect(results).toHaveLength(4);
    expect(results[0]).toMatchObject({ id: 'a', score: 1, scorer: 'em', reward_type: 'EM' });
    expect(results[1]).toMatchObject({ id: 1, score: null, error: { code: 'bad_item' } });
    expect(results[1]!.error!.message).toMatch(/line 2 is not valid JSON/);
    // The blank third line is not an item: ids are item positions, messages cite file lines.
    expect(results[2]).toMatchObject({ id: 2, score: 0 });
    expect(results[3]).toMatchObject({ id: 3, score: null, error: { code: 'bad_item' } });
  });

  it('reads stdin when FILE is "-"', () => {
    const results = runScore(['-'], JSON.stringify({ id: 7, task: 'em', response: 'Porto', reference: 'Porto' }) + '\n');
    expect(results).toEqual([{ id: 7, score: 1, reward_type: 'EM', scorer: 'em' }]);
  });
});

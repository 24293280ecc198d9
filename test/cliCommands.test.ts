// The built `golong-reward` program as a user meets it: --help on every command, --version, input
// mistakes told in sentences (missing, empty, blank, a directory, a line that is not an object),
// the summary's reasons in words, --fail-on-error for scripts, output paths checked before any
// scoring, a closed pipe, and `npm run -s score` giving clean JSONL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirs } from './helpers/tempDir.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
const tmp = tempDirs('golong-cli-');

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const path = join(tmp(), name);
  writeFileSync(path, text);
  return path;
}

const em = (id: string, response: string, reference: string) => JSON.stringify({ id, task: 'em', response, reference });
/** No Node stack trace, no raw errno text: what a person reads. */
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at |ENOENT|EISDIR|EPIPE|node:internal/);

describe('help and version', () => {
  it.each(['serve', 'score', 'tasks'])('%s --help prints its usage on stdout and exits 0', (command) => {
    for (const flag of ['--help', '-h']) {
      const r = cli([command, flag]);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^usage: golong-reward ${command}\\b`));
    }
  });

  it('tasks --help is help, not the JSON list', () => {
    const r = cli(['tasks', '--help']);
    expect(r.stdout.trimStart().startsWith('{')).toBe(false);
    expect(() => JSON.parse(r.stdout)).toThrow();
    // Without the flag it is the JSON list.
    expect(JSON.parse(cli(['tasks']).stdout).scorers.length).toBeGreaterThan(5);
  });

  it('score --help documents every option the command accepts, exit codes and the npm -s form', () => {
    const help = cli(['score', '--help']).stdout;
    for (const option of ['--out', '--report', '--fail-on-error', '--workers', '--details', '--timeout-ms', '--responses', '--response-column', '--progress', '--quiet']) {
      expect(help).toContain(option);
    }
    expect(help).toMatch(/exit codes: 0 [\s\S]*\b1 [\s\S]*\b2 [\s\S]*\b3 --fail-on-error/);
    expect(help).toContain('npm run -s score -- FILE');
  });

  it('help comes before validation: score --help with no FILE, serve --help with a bad flag', () => {
    expect(cli(['score', '--help']).status).toBe(0);
    const serve = cli(['serve', '--port', 'eighty', '--help']);
    expect(serve.status).toBe(0);
    expect(serve.stdout).toMatch(/--port .*\(PORT\)/);
  });

  it('the program lists its commands with --help, -h, help or nothing, and help COMMAND is that command\'s help', () => {
    for (const args of [[], ['--help'], ['-h'], ['help']]) {
      const r = cli(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^usage: golong-reward COMMAND/);
      expect(r.stdout).toMatch(/^ {2}serve +\S/m);
      expect(r.stdout).toMatch(/^ {2}score +\S/m);
      expect(r.stdout).toMatch(/^ {2}tasks +\S/m);
      expect(r.stdout).toContain('--version');
    }
    expect(cli(['help', 'score']).stdout).toMatch(/^usage: golong-reward score FILE/);
  });

  it('--version prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = cli([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`golong-reward ${version}\n`);
    }
  });

  it('a wrong call says what is wrong and where the help is, with exit code 2', () => {
    const unknown = cli(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^golong-reward: unknown command "frobnicate"\n\(golong-reward --help lists the options\)\n$/);
    const flag = cli(['score', 'x.jsonl', '--frob']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--frob'[\s\S]*\(golong-reward score --help lists the options\)/);
    const extra = cli(['tasks', 'extra']);
    expect(extra.status).toBe(2);
    expect(extra.stderr).toMatch(/tasks takes no arguments/);
    expect(cli(['score', '-', '--timeout-ms', 'soon'], '').stderr).toMatch(/--timeout-ms must be a positive integer, not "soon"/);
  });
});

describe('score: input problems in words', () => {
  it('a missing file, a directory: one sentence, exit 1, no stack', () => {
    const missing = join(tmp(), 'nope.jsonl');
    const r = cli(['score', missing]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`golong-reward: cannot read the items file ${missing}: no such file or directory\n`);
    const dir = tmp();
    const d = cli(['score', dir]);
    expect(d.status).toBe(1);
    expect(d.stderr).toBe(`golong-reward: cannot read the items file ${dir}: it is a directory, not a file\n`);
    const parquet = cli(['score', join(tmp(), 'nope.parquet')]);
    expect(parquet.status).toBe(1);
    expect(parquet.stderr).toMatch(/^golong-reward: cannot read the parquet dataset .*nope\.parquet: no such file or directory\n$/);
  });

  it('an empty file, a file of blank lines, empty stdin: said so, exit 1', () => {
    const empty = file('empty.jsonl', '');
    const r = cli(['score', empty]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`golong-reward: ${empty} is empty: nothing to score; give one JSON item per line\n`);
    const blank = file('blank.jsonl', '\n  \n\t\n');
    expect(cli(['score', blank]).stderr).toBe(`golong-reward: ${blank} has only blank lines: nothing to score; give one JSON item per line\n`);
    const stdin = cli(['score', '-'], '');
    expect(stdin.status).toBe(1);
    expect(stdin.stderr).toMatch(/^golong-reward: stdin had no items/);
    // Also with --workers (the pool path) and --quiet.
    const pooled = cli(['score', empty, '--workers', '1', '--quiet']);
    expect(pooled.status).toBe(1);
    expect(pooled.stderr).toMatch(/is empty: nothing to score/);
  });

  it('a line that is valid JSON but not an object is that line\'s bad_item, with its line number', () => {
    const path = file('mixed.jsonl', [em('a', 'x', 'x'), '', '[1, 2]', '"text"', '42', 'null', em('b', 'x', 'y')].join('\n') + '\n');
    const r = cli(['score', path, '--quiet']);
    expect(r.status).toBe(0);
    const results = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(results.map((x) => x.id)).toEqual(['a', 1, 2, 3, 4, 'b']);
    const messages = results.slice(1, 5).map((x) => [x.error.code, x.error.message.replace(/;.*/, '')]);
    expect(messages).toEqual([
      ['bad_item', 'line 3 is a list, not a JSON object'],
      ['bad_item', 'line 4 is a string, not a JSON object'],
      ['bad_item', 'line 5 is a number, not a JSON object'],
      ['bad_item', 'line 6 is null, not a JSON object'],
    ]);
    expect(results[1].error.message).toMatch(/each line must be one item: a verl row .* or a native item/);
  });

  it('the summary says how many items were scored, how many not, and why in words', () => {
    const path = file('errors.jsonl', [em('a', 'x', 'x'), em('b', 'x', 'y'), '{"id": "c", "task": "no_such_task", "response": "x", "reference": "x"}', '{broken'].join('\n'));
    const r = cli(['score', path]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^2 of 4 items scored; 2 could not be scored \(score null, with the error, in their result lines\), in \d+\.\d s$/m);
    expect(r.stderr).toMatch(/^could not be scored: 2 items, by reason$/m);
    expect(r.stderr).toMatch(/^ {2}unknown_task +1 {2}the native task or LongBench-Pro sub-task .*does not exist$/m);
    expect(r.stderr).toMatch(/^ {2}bad_item +1 {2}the item is malformed: not valid JSON/m);
    expect(r.stderr).toMatch(/^ +first: item 3: line 4 is not valid JSON/m);
    const clean = cli(['score', file('clean.jsonl', em('a', 'x', 'x'))]);
    expect(clean.stderr).toMatch(/^1 item scored, in \d+\.\d s$/m);
    expect(clean.stderr).not.toMatch(/^could not be scored/m);
    const two = cli(['score', file('two.jsonl', [em('a', 'x', 'x'), em('b', 'x', 'y')].join('\n'))]);
    expect(two.stderr).toMatch(/^all 2 items scored, in \d+\.\d s$/m);
  });
});

describe('score: time budgets', () => {
  it('the first Chinese ROUGE-L item does not pay for loading jieba\'s dictionary out of its budget', () => {
    // Each item takes well under 20 ms; loading the dictionary takes hundreds. The service's
    // workers load it at start; the in-process CLI loads it before the first summary item.
    const r = cli(['score', join(ROOT, 'examples/native.jsonl'), '--quiet', '--timeout-ms', '20']);
    expect(r.status).toBe(0);
    const zh = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((x) => x.id === 'rouge-zh');
    expect(zh).toMatchObject({ reward_type: 'Summary', scorer: 'rouge_l' });
    expect(zh.score).toBeGreaterThan(0);
  });
});

describe('score --fail-on-error', () => {
  const withError = [em('a', 'x', 'x'), '{"id": "c", "task": "no_such_task", "response": "x", "reference": "x"}'].join('\n');

  it('exits 3 when an item could not be scored, after writing every result', () => {
    const dir = tmp();
    const out = join(dir, 'results.jsonl');
    const report = join(dir, 'report.html');
    const r = cli(['score', '-', '--fail-on-error', '--out', out, '--report', report], withError);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/golong-reward: 1 of 2 items could not be scored \(--fail-on-error\)\n$/);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(existsSync(report)).toBe(true);
    // --quiet silences the table, not the failure.
    const quiet = cli(['score', '-', '--fail-on-error', '--quiet'], withError);
    expect(quiet.status).toBe(3);
    expect(quiet.stdout.trim().split('\n')).toHaveLength(2);
    expect(quiet.stderr).toBe('golong-reward: 1 of 2 items could not be scored (--fail-on-error)\n');
    // On the worker pool too.
    expect(cli(['score', '-', '--fail-on-error', '--quiet', '--workers', '1'], withError).status).toBe(3);
  });

  it('exits 0 when every item was scored, and without the flag', () => {
    expect(cli(['score', '-', '--fail-on-error', '--quiet'], em('a', 'x', 'y')).status).toBe(0);
    expect(cli(['score', '-', '--quiet'], withError).status).toBe(0);
  });
});

describe('score: output paths and pipes', () => {
  it('an --out or --report that cannot be written is refused before scoring, with exit 2', () => {
    const missingFolder = join(tmp(), 'no', 'such');
    const out = cli(['score', '-', '--out', join(missingFolder, 'r.jsonl')], em('a', 'x', 'x'));
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^golong-reward: --out .*r\.jsonl cannot be written: the folder .*such does not exist\n/);
    noStack(out.stderr);
    const dir = tmp();
    mkdirSync(join(dir, 'report.html'));
    const report = cli(['score', '-', '--report', join(dir, 'report.html')], em('a', 'x', 'x'));
    expect(report.status).toBe(2);
    expect(report.stdout).toBe('');
    expect(report.stderr).toMatch(/--report .*report\.html cannot be written: it is a directory/);
  });

  it('a reader that closes the pipe early (| head -1) ends the command quietly', async () => {
    const lines = Array.from({ length: 20000 }, (_, i) => em(`i${i}`, 'x', 'x')).join('\n');
    const path = file('many.jsonl', lines);
    const child = spawn(process.execPath, [CLI, 'score', path, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('serve: a port that cannot be used', () => {
  it('a port already in use is one sentence saying how to choose another, exit 1', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--host', '127.0.0.1', '--workers', '1', '--log-level', 'silent'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(stderr).toBe(`golong-reward: port ${port} on 127.0.0.1 is already in use: stop what holds it, or choose another port with --port N (or PORT)\n`);
      expect(code).toBe(1);
    } finally {
      holder.close();
    }
  }, 30_000);
});

describe('npm run -s score', () => {
  /** npm as the user runs it, under this Node (npm's own CLI script next to the node binary). */
  function npm(args: string[]) {
    const npmCli = process.env.npm_execpath?.endsWith('npm-cli.js')
      ? process.env.npm_execpath
      : join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
    return spawnSync(process.execPath, [npmCli, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  }

  it('puts nothing but the JSONL results on stdout (npm\'s banner stays out)', () => {
    // --ignore-scripts skips the prescore build (the suite has built dist/ already, and rebuilding
    // it while other test files run the CLI would race); the banner comes from `npm run` itself.
    const quiet = npm(['run', '-s', '--ignore-scripts', 'score', '--', 'examples/native.jsonl']);
    expect(quiet.status).toBe(0);
    const lines = quiet.stdout.split('\n').filter((l) => l !== '');
    expect(lines.length).toBe(10);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    // Without -s npm prints its banner on stdout: this is why README says -s.
    const loud = npm(['run', '--ignore-scripts', 'score', '--', 'examples/native.jsonl']);
    expect(loud.stdout).toMatch(/^> golong-reward@.* score$/m);
  });
});

// Python number types in ground truths (scorers.md, "Python values from JSON"): verl rows are
// json.dumps of Python objects, so `100.0` is a float whose str() is "100.0", `-0.0` a negative
// zero, `1e400` an infinity, a 30-digit integer exact. Checked through the library, POST /score,
// POST /openrlhf/reward, the CLI (JSONL, in-process and on workers) and parquet input. Every
// expected score was checked against the reference harness (GoLongRL's dispatcher).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import Fastify, { type FastifyInstance } from 'fastify';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreItem } from '../rewards/index.js';
import { hasLossyNumber, parseItemJsonPy, parseJsonPy, pyFloatRepr, pyFromJs, pyMember, pyRepr, stringifyJsonPy } from '../rewards/pyjson.js';
import { openrlhfRoutes, type ScoreItems } from '../src/routes/openrlhf.js';
import { post, serviceForTests } from './helpers/service.js';

const answer = (json: string) => `<think>ok</think><answer>${json}</answer>`;

/**
 * Item texts as a Python client sends them, with the reference's score. The ground-truth numbers
 * are written as json.dumps writes them; JSON.parse would read each row's gold differently.
 */
const ROWS: Array<{ id: string; text: string; expected: number }> = [
  {
    id: 'float-cell',
    // multitableqa's gold table is the ground-truth object itself (no golden_label): str(100.0) is "100.0".
    text: `{"id": "float-cell", "data_source": "multitableqa_pretraining", "solution_str": ${JSON.stringify(answer('{"data": [["a", 100.0]]}'))}, "ground_truth": {"data": [["a", 100.0]]}, "extra_info": {"index": 1}}`,
    expected: 1,
  },
  {
    id: 'float-vs-int',
    text: `{"id": "float-vs-int", "data_source": "multitableqa_pretraining", "solution_str": ${JSON.stringify(answer('{"data": [["a", 100]]}'))}, "ground_truth": {"data": [["a", 100.0]]}, "extra_info": {"index": 2}}`,
    expected: 0,
  },
  {
    id: 'inf-negzero-bigint',
    text: `{"id": "inf-negzero-bigint", "data_source": "multitableqa_pretraining", "solution_str": ${JSON.stringify(answer('{"data": [["inf", "-0.0", "123456789012345678901234567890"]]}'))}, "ground_truth": {"data": [[1e400, -0.0, 123456789012345678901234567890]]}, "extra_info": {}}`,
    expected: 1,
  },
  {
    id: 'exponent-floats',
    text: `{"id": "exponent-floats", "data_source": "multitableqa_pretraining", "solution_str": ${JSON.stringify(answer('{"data": [["1e+16", "100.0", "0.1"]]}'))}, "ground_truth": {"data": [[1e16, 1e2, 0.1]]}, "extra_info": {}}`,
    expected: 1,
  },
  {
    id: 'big-int-gold',
    // math_verify formats each gold of a list with str(): every digit counts.
    text: `{"id": "big-int-gold", "data_source": "math_dapo_math_verify", "solution_str": "<think>ok</think>The answer is $\\\\boxed{123456789012345678901234567890}$", "ground_truth": [123456789012345678901234567890], "extra_info": {}}`,
    expected: 1,
  },
  {
    id: 'big-int-golden-label',
    text: `{"id": "big-int-golden-label", "data_source": "math_longcot_math_verify", "solution_str": "<think>ok</think>\\\\boxed{123456789012345678901234567890}", "ground_truth": {"golden_label": [1, 123456789012345678901234567890]}, "extra_info": {}}`,
    expected: 1,
  },
  {
    id: 'float-gold-exponent',
    text: `{"id": "float-gold-exponent", "data_source": "math_dapo_math_verify", "solution_str": "<think>ok</think>The answer is $\\\\boxed{1e+16}$", "ground_truth": [1e16], "extra_info": {}}`,
    expected: 1,
  },
];

function expectReferenceScores(results: Array<{ id?: unknown; score: number | null; error?: unknown }>): void {
  expect(results.map((r) => [r.id, r.score])).toEqual(ROWS.map((r) => [r.id, r.expected]));
}

describe('reading JSON with Python number types', () => {
  it('records what JSON.parse loses and pyFromJs gives it back', () => {
    const v = parseJsonPy('[100.0, -0.0, 1e400, 123456789012345678901234567890, 1e2, 5, 0.5, -0, 1e-400, 9007199254740993]');
    expect(pyRepr(pyFromJs(v))).toBe('[100.0, -0.0, inf, 123456789012345678901234567890, 100.0, 5, 0.5, 0, 0.0, 9007199254740993]');
    expect(pyRepr(pyFromJs(JSON.parse('[100.0, -0.0, 1e2]')))).toBe('[100, 0, 100]'); // what the transport alone keeps
  });
  it("accepts json.dumps' NaN and Infinity, which JSON.parse refuses", () => {
    expect(pyRepr(pyFromJs(parseJsonPy('{"a": [NaN, Infinity, -Infinity]}')))).toBe("{'a': [nan, inf, -inf]}");
    expect(() => parseJsonPy('{"a": nan}')).toThrow(SyntaxError);
  });
  it('keeps a bare number member exact (pyMember)', () => {
    const item = parseItemJsonPy('{"data_source": "x", "ground_truth": 100.0}') as object;
    expect(pyRepr(pyMember(item, 'ground_truth'))).toBe('100.0');
  });
  it('looks only at number tokens between strings', () => {
    expect(hasLossyNumber('{"solution_str": "the answer is 100.0, 1e5 and 12345678901234567890", "n": 5, "f": 0.5}')).toBe(false);
    expect(hasLossyNumber('{"s": "a \\"quoted\\" 1.0", "f": 1.0}')).toBe(true);
    expect(hasLossyNumber('{"big": 9007199254740993}')).toBe(true);
    expect(hasLossyNumber('{"safe": 9007199254740991, "neg": -12}')).toBe(false);
  });
  it('parseItemJsonPy reads only the ground truth and extra_info text, but finds lossy numbers there wherever the key is', () => {
    const item = parseItemJsonPy('{"id": 1.0, "extra_info": {"x": [2.0]}, "solution_str": "\\"ground_truth\\": 3.0", "ground_truth": {"v": 4.0}}') as Record<string, any>;
    expect(pyRepr(pyFromJs(item.ground_truth))).toBe("{'v': 4.0}");
    expect(pyRepr(pyFromJs(item.extra_info))).toBe("{'x': [2.0]}");
  });
  it('stringifyJsonPy writes what parseJsonPy reads back to the same Python values', () => {
    const text = '{"gt": {"data": [[100.0, -0.0, 1e400, -1e400, 123456789012345678901234567890, NaN, 5, "s"]]}, "x": 1e-05}';
    const v = parseJsonPy(text);
    const again = parseJsonPy(stringifyJsonPy(v));
    expect(pyRepr(pyFromJs(again))).toBe(pyRepr(pyFromJs(v)));
    expect(pyRepr(pyFromJs(again))).toBe("{'gt': {'data': [[100.0, -0.0, inf, -inf, 123456789012345678901234567890, nan, 5, 's']]}, 'x': 1e-05}");
  });
});

describe('properties of the Python-number reader', () => {
  it('gives exactly the JavaScript values JSON.parse gives, for any JSON text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(parseJsonPy(text)).toStrictEqual(JSON.parse(text));
        expect(parseItemJsonPy(text)).toStrictEqual(JSON.parse(text));
      }),
    );
  });
  it("reads every float and int of a list written as json.dumps writes them back to Python's repr, through stringifyJsonPy too", () => {
    const pyNumber = fc.oneof(
      fc.double().map((x) => ({ text: Number.isNaN(x) ? 'NaN' : x === Infinity ? 'Infinity' : x === -Infinity ? '-Infinity' : pyFloatRepr(x), repr: pyFloatRepr(x) })),
      fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map((n) => ({ text: n.toString(), repr: n.toString() })),
    );
    fc.assert(
      fc.property(fc.array(pyNumber, { maxLength: 8 }), (numbers) => {
        const text = `{"ground_truth": {"data": [${numbers.map((n) => n.text).join(', ')}]}}`;
        const want = `[${numbers.map((n) => n.repr).join(', ')}]`;
        const item = parseItemJsonPy(text) as { ground_truth: { data: unknown[] } };
        expect(pyRepr(pyFromJs(item.ground_truth.data))).toBe(want);
        const again = parseItemJsonPy(stringifyJsonPy(item)) as typeof item;
        expect(pyRepr(pyFromJs(again.ground_truth.data))).toBe(want);
      }),
    );
  });
});

describe('scores that depend on Python number types', () => {
  it('through the library: parseItemJsonPy then scoreItem', () => {
    expectReferenceScores(ROWS.map((r) => scoreItem(parseItemJsonPy(r.text))));
  });
  it('JSON.parse alone would score them differently (the cases test something)', () => {
    const plain = ROWS.map((r) => scoreItem(JSON.parse(r.text)).score);
    expect(plain.filter((s, i) => s !== ROWS[i]!.expected).length).toBeGreaterThanOrEqual(5);
  });
});

describe('through POST /score', () => {
  const service = serviceForTests();

  it('reads each item from the request bytes', async () => {
    const res = await post(`${service().url}/score`, `{"items": [${ROWS.map((r) => r.text).join(', ')}]}`);
    expect(res.status).toBe(200);
    expectReferenceScores(res.json.results);
  });
  it('accepts NaN and Infinity inside an item, as Python clients send them', async () => {
    const text = `{"items": [{"id": "nan", "data_source": "multitableqa_pretraining", "solution_str": ${JSON.stringify(answer('{"data": [["nan", "inf"]]}'))}, "ground_truth": {"data": [[NaN, Infinity]]}}]}`;
    const res = await post(`${service().url}/score`, text);
    expect(res.status).toBe(200);
    expect(res.json.results[0]).toMatchObject({ id: 'nan', score: 1 });
  });
});

describe('through POST /openrlhf/reward', () => {
  let app: FastifyInstance;
  const inProcess: ScoreItems = async (items, options) => items.map((item) => scoreItem(parseItemJsonPy(stringifyJsonPy(item)), options));
  beforeAll(async () => {
    app = Fastify();
    await app.register(openrlhfRoutes, { scoreItems: inProcess, maxItems: 100 });
    await app.ready();
  });
  afterAll(() => app.close());

  const sample = (text: string) => {
    const row = parseItemJsonPy(text) as Record<string, string>;
    const labelText = text.replace(/"solution_str": "(?:[^"\\]|\\.)*", /, '');
    return { response: row.solution_str!, labelText };
  };

  it('labels as JSON strings (what OpenRLHF sends)', async () => {
    const samples = ROWS.map((r) => sample(r.text));
    const body = JSON.stringify({ query: samples.map((s) => 'Q:' + s.response), prompts: samples.map(() => 'Q:'), labels: samples.map((s) => s.labelText) });
    const res = await app.inject({ method: 'POST', url: '/openrlhf/reward', payload: body, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().rewards).toEqual(ROWS.map((r) => r.expected));
  });
  it('labels as objects in the body, read from its bytes', async () => {
    const samples = ROWS.map((r) => sample(r.text));
    const body = `{"query": ${JSON.stringify(samples.map((s) => 'Q:' + s.response))}, "prompts": ${JSON.stringify(samples.map(() => 'Q:'))}, "labels": [${samples.map((s) => s.labelText).join(', ')}]}`;
    const res = await app.inject({ method: 'POST', url: '/openrlhf/reward', payload: body, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().rewards).toEqual(ROWS.map((r) => r.expected));
  });
});

describe('through the CLI', () => {
  const CLI = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr, results: r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
  };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'golong-pynum-'));
  });

  it('JSONL, in process and on worker threads', () => {
    const file = join(dir, 'rows.jsonl');
    writeFileSync(file, ROWS.map((r) => r.text).join('\n') + '\n');
    for (const args of [[], ['--workers', '1']]) {
      const { status, results } = cli(['score', file, '--quiet', ...args]);
      expect(status).toBe(0);
      expectReferenceScores(results);
    }
  });

  it('parquet: a DOUBLE leaf is a float and an INT64 leaf an int, whatever their values', () => {
    // multitableqa rows whose ground_truth struct is {data: list<DOUBLE or INT64>}, as pyarrow writes
    // a column of such dicts; the reference keys each gold row by str(value), the response's are strings.
    const write = (name: string, type: 'DOUBLE' | 'INT64', data: unknown[], cells: string[]) => {
      const schema = [
        { name: 'root', num_children: 4 },
        { name: 'data_source', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'reward_model', repetition_type: 'OPTIONAL', num_children: 1 },
        { name: 'ground_truth', repetition_type: 'OPTIONAL', num_children: 1 },
        { name: 'data', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type, repetition_type: 'OPTIONAL' },
        { name: 'extra_info', repetition_type: 'OPTIONAL', num_children: 1 },
        { name: 'index', type: 'INT64', repetition_type: 'OPTIONAL' },
        { name: 'responses', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ];
      const columnData = [
        { name: 'data_source', data: ['multitableqa_pretraining'] },
        { name: 'reward_model', data: [{ ground_truth: { data } }] },
        { name: 'extra_info', data: [{ index: 0n }] },
        { name: 'responses', data: [answer(JSON.stringify({ data: cells }))] },
      ];
      const file = join(dir, name);
      writeFileSync(file, new Uint8Array(parquetWriteBuffer({ schema: schema as never, columnData: columnData as never })));
      return file;
    };
    const doubles = write('doubles.parquet', 'DOUBLE', [100, -0, 1e16], ['100.0', '-0.0', '1e+16']);
    const ints = write('ints.parquet', 'INT64', [100n, 123456789012345678n, 9223372036854775807n], ['100', '123456789012345678', '9223372036854775807']);
    for (const args of [[], ['--workers', '1']]) {
      for (const file of [doubles, ints]) {
        const { status, results, stderr } = cli(['score', file, '--quiet', ...args]);
        expect(status, stderr).toBe(0);
        expect(results.map((r) => r.score), `${file} ${args.join(' ')}`).toEqual([1]);
      }
    }
  });
});

describe("a ground truth's Python type in bad_ground_truth messages", () => {
  // The reference's exceptions for a float gold (checked with GoLongRL's code): JavaScript reads
  // 42.0 as 42, but the message must name the type Python sees.
  const messageOf = (dataSource: string, groundTruth: string) =>
    scoreItem(parseItemJsonPy(`{"data_source": "${dataSource}", "solution_str": "<think>x</think>Answer: 42", "ground_truth": ${groundTruth}, "extra_info": {}}`)).error?.message;

  it('names float for 42.0 and int for 42, on every math route that reads the raw ground truth', () => {
    expect(messageOf('math_dapo', '42.0')).toContain("AttributeError: 'float' object has no attribute 'split'");
    expect(messageOf('math_dapo', '42')).toContain("AttributeError: 'int' object has no attribute 'split'");
    expect(messageOf('aime24', '42.0')).toContain('can only concatenate str (not "float") to str');
    expect(messageOf('math_dapo_math_verify', '42.0')).toContain("argument of type 'float' is not iterable");
    expect(messageOf('x_math_longcot_math_verify', '{"golden_label": 42.0}')).toContain("argument of type 'float' is not iterable");
    expect(messageOf('x_math_longcot_math_verify', '{"golden_label": 42}')).toContain("argument of type 'int' is not iterable");
  });
});


// Python json.loads / str() / repr() facts (CPython 3.11) that table-row keys depend on.
import { describe, expect, it } from 'vitest';
import {
  PY_JSON_MAX_DEPTH,
  pyFloatRepr,
  pyFromJs,
  pyGetItem,
  pyIsPrintable,
  pyJsonLoads,
  pyRepr,
  pyStr,
  pyRowKey,
  pyStrRepr,
  tryPyJsonLoads,
  tryPyJsonTable,
  PyJsonError,
} from '../rewards/pyjson.js';

const str = (json: string) => pyStr(pyJsonLoads(json));
const repr = (json: string) => pyRepr(pyJsonLoads(json));
const failure = (json: string) => {
  const r = tryPyJsonLoads(json);
  if (r.ok) throw new Error(`expected ${JSON.stringify(json)} to fail, got ${pyRepr(r.value)}`);
  return r;
};

describe('repr(float)', () => {
  it.each([
    [1, '1.0'],
    [100, '100.0'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1e22, '1e+22'],
    [123456789012345678, '1.2345678901234568e+17'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [0.000123, '0.000123'],
    [0.0000123, '1.23e-05'],
    [-0, '-0.0'],
    [0, '0.0'],
    [1.5e300, '1.5e+300'],
    [0.1 + 0.2, '0.30000000000000004'],
    [12345.678, '12345.678'],
    [-2.5, '-2.5'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ])('%s -> %s', (x, want) => {
    expect(pyFloatRepr(x)).toBe(want);
  });
});

describe('json.loads numbers', () => {
  it('keeps integers exact', () => {
    expect(str('12345678901234567890')).toBe('12345678901234567890');
    expect(str('-98765432109876543210987')).toBe('-98765432109876543210987');
    expect(str('-0')).toBe('0'); // int('-0') == 0
  });
  it('reads fractions and exponents as floats', () => {
    expect(str('1.0')).toBe('1.0');
    expect(str('-0.0')).toBe('-0.0');
    expect(str('1E5')).toBe('100000.0');
    expect(str('1e+16')).toBe('1e+16');
    expect(str('2.50')).toBe('2.5');
    expect(str('1e400')).toBe('inf');
    expect(str('-1e400')).toBe('-inf');
    expect(str('1e-400')).toBe('0.0');
  });
  it('accepts the NaN and Infinity constants', () => {
    expect(str('NaN')).toBe('nan');
    expect(str('Infinity')).toBe('inf');
    expect(str('-Infinity')).toBe('-inf');
    expect(failure('-NaN').kind).toBe('decode');
    expect(failure('nan').kind).toBe('decode');
  });
  it('rejects what the C scanner does not consume', () => {
    expect(failure('01').message).toBe('Extra data');
    expect(failure('1.').message).toBe('Extra data');
    expect(failure('1e').message).toBe('Extra data');
    expect(failure('1e+').message).toBe('Extra data');
    expect(failure('.5').message).toBe('Expecting value');
    expect(failure('+1').message).toBe('Expecting value');
    expect(failure('-').message).toBe('Expecting value');
    expect(failure('１').message).toBe('Expecting value'); // fullwidth digit
  });
  it('raises ValueError past 4,300 integer digits (CPython int_max_str_digits)', () => {
    expect(str('9'.repeat(4300))).toHaveLength(4300);
    expect(failure('9'.repeat(4301)).kind).toBe('value');
    expect(failure('-' + '9'.repeat(4301)).kind).toBe('value');
    expect(str('9'.repeat(4301) + '.5')).toBe('inf'); // a float (overflows), not an int
  });
});

describe('json.loads structure', () => {
  it('prints containers as Python repr', () => {
    expect(str('[1, "a", null, true, false, 1.5]')).toBe("[1, 'a', None, True, False, 1.5]");
    expect(str('{"k": 1, "n": [1.0, {"x": null}]}')).toBe("{'k': 1, 'n': [1.0, {'x': None}]}");
    expect(str('[]')).toBe('[]');
    expect(str('{}')).toBe('{}');
    expect(str('true')).toBe('True');
    expect(str('null')).toBe('None');
  });
  it('keeps the first position and the last value of a repeated key', () => {
    expect(str('{"a": 1, "b": 2, "a": 3}')).toBe("{'a': 3, 'b': 2}");
  });
  it("allows only ' \\t\\n\\r' around values", () => {
    expect(str(' \t\n\r[ 1 ,\n2 ] \r\n')).toBe('[1, 2]');
    expect(failure('\u00a01').kind).toBe('decode');
    expect(failure('\x0b1').kind).toBe('decode');
    expect(failure('\ufeff1').message).toContain('BOM');
    expect(failure('1\u3000').message).toBe('Extra data');
  });
  it('rejects trailing commas, single quotes, Python literals and extra data', () => {
    expect(failure('[1,]').kind).toBe('decode');
    expect(failure('{"a": 1,}').kind).toBe('decode');
    expect(failure("{'a': 1}").message).toBe('Expecting property name enclosed in double quotes');
    expect(failure('{"a" 1}').message).toBe("Expecting ':' delimiter");
    expect(failure('[1 2]').message).toBe("Expecting ',' delimiter");
    expect(failure('True').kind).toBe('decode');
    expect(failure('None').kind).toBe('decode');
    expect(failure('{"a": 1} x').message).toBe('Extra data');
    expect(failure('').message).toBe('Expecting value');
  });
  it('raises RecursionError on very deep nesting', () => {
    expect(str('['.repeat(900) + ']'.repeat(900))).toHaveLength(1800);
    const deep = '['.repeat(PY_JSON_MAX_DEPTH + 1) + ']'.repeat(PY_JSON_MAX_DEPTH + 1);
    expect(failure(deep).kind).toBe('recursion');
    expect(failure('['.repeat(100_000)).kind).toBe('recursion');
  });
  it('throws PyJsonError from pyJsonLoads', () => {
    expect(() => pyJsonLoads('[')).toThrow(PyJsonError);
  });
});

describe('json.loads strings', () => {
  it('decodes escapes', () => {
    expect(str('"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"')).toBe('a"b\\c/d\b\f\n\r\t');
    expect(str('"\\u00e9\\u4e2d"')).toBe('é中');
    expect(str('"\\ud83d\\ude00"')).toBe('😀');
    expect(str('"\\ud83d"')).toBe('\ud83d'); // lone surrogates are allowed
  });
  it('rejects bad escapes and raw control characters (strict mode)', () => {
    expect(failure('"\\x41"').message).toBe('Invalid \\escape');
    expect(failure('"\\u12"').message).toBe('Invalid \\uXXXX escape');
    expect(failure('"\\uZZZZ"').message).toBe('Invalid \\uXXXX escape');
    expect(failure('"a\tb"').message).toBe('Invalid control character at');
    expect(failure('"a\nb"').kind).toBe('decode');
    expect(failure('"abc').message).toBe('Unterminated string starting at');
    expect(str('"a\x7fb"')).toBe('a\x7fb'); // DEL is not a control character for json
  });
});

describe('repr(str)', () => {
  it.each([
    ['abc', "'abc'"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    [`it's "x"`, `'it\\'s "x"'`],
    ['a\\b', "'a\\\\b'"],
    ['\t\n\r', "'\\t\\n\\r'"],
    ['\x00\x1f\x7f', "'\\x00\\x1f\\x7f'"],
    ['\x85\xa0\xad', "'\\x85\\xa0\\xad'"],
    ['é中😀', "'é中😀'"],
    ['\u2028\u200b\ufeff', "'\\u2028\\u200b\\ufeff'"],
    ['\ud83d', "'\\ud83d'"],
    ['\u{e0001}', "'\\U000e0001'"],
    ['\u0378', "'\\u0378'"], // unassigned
    ['\u{1f6dc}', "'\\U0001f6dc'"], // assigned in Unicode 15: unassigned for CPython 3.11 (Unicode 14)
    [' ', "' '"],
  ])('%j -> %s', (s, want) => {
    expect(pyStrRepr(s)).toBe(want);
  });
  it('str() of a str is the str itself', () => {
    expect(pyStr({ t: 'str', v: "it's" })).toBe("it's");
    expect(repr('"it\'s"')).toBe(`"it's"`);
  });
  it('isprintable follows CPython 3.11', () => {
    expect(pyIsPrintable(0x20)).toBe(true);
    expect(pyIsPrintable(0x3000)).toBe(false); // Zs
    expect(pyIsPrintable(0xe000)).toBe(false); // Co
    expect(pyIsPrintable(0x4e2d)).toBe(true);
    expect(pyIsPrintable(0x1f600)).toBe(true);
  });
});

describe('pyFromJs and pyGetItem', () => {
  it('maps JavaScript values the way Python would hold them', () => {
    expect(pyRepr(pyFromJs([1, 1.5, 'a', null, true, { k: [false] }]))).toBe("[1, 1.5, 'a', None, True, {'k': [False]}]");
  });
  it('raises what Python raises on subscripting', () => {
    expect(pyGetItem({ golden_label: 'x' }, 'golden_label')).toEqual({ ok: true, value: 'x' });
    expect(pyGetItem({}, 'golden_label')).toEqual({ ok: false, error: "KeyError: 'golden_label'" });
    expect(pyGetItem('s', 'golden_label')).toMatchObject({ ok: false, error: expect.stringContaining('string indices') });
    expect(pyGetItem(null, 'golden_label')).toMatchObject({ ok: false, error: expect.stringContaining("'NoneType' object is not subscriptable") });
  });
});

describe('tryPyJsonTable (json.loads then .get("data") and to_key per row)', () => {
  const table = (json: string) => {
    const r = tryPyJsonTable(json);
    if (!r.ok) throw new Error(`${json}: ${r.message}`);
    return r.value;
  };
  it('reads a "data" list straight into row keys', () => {
    expect(table('{"data": [["a", 1, 1.0, null, [true]], "x", {"k": 2}]}')).toEqual({
      top: 'dict',
      data: [['a', '1', '1.0', 'None', '[True]'], 'x', "{'k': 2}"],
    });
  });
  it('agrees with pyRowKey over the full parse', () => {
    const doc = '{"data": [[1.50, 100.0, 0.00010, 1234567890123456.7, -0, -0.0, 1E2, 2.5e-7, "\u00e9"], [NaN, -Infinity, 0.1000000000000000055511151231257827]]}';
    const full = pyJsonLoads(doc);
    const rows = full.t === 'dict' ? full.v.get('data') : undefined;
    expect(rows?.t).toBe('list');
    const want = rows!.t === 'list' ? rows!.v.map(pyRowKey) : [];
    expect(table(doc).data).toEqual(want);
    expect(want).toEqual([
      ['1.5', '100.0', '0.0001', '1234567890123456.8', '0', '-0.0', '100.0', '2.5e-07', 'é'],
      ['nan', '-inf', '0.1'],
    ]);
  });
  it('keeps the last "data" of a repeated key, list or not', () => {
    expect(table('{"data": [[1]], "x": 2, "data": "ab"}').data).toEqual({ t: 'str', v: 'ab' });
    expect(table('{"data": 5, "data": [[1]]}').data).toEqual([['1']]);
  });
  it('reports the top-level type and a missing "data"', () => {
    expect(table('[["a"]]')).toEqual({ top: 'list', data: undefined });
    expect(table('{"rows": []}')).toEqual({ top: 'dict', data: undefined });
    expect(table('"x"').top).toBe('str');
  });
  it('fails exactly where json.loads fails', () => {
    for (const bad of ['{"data": [[1,]]}', '{"data": [[1]]} x', '{"data": [["a\tb" 1]]}', '{"data": [[True]]}', '']) {
      const a = tryPyJsonTable(bad);
      const b = tryPyJsonLoads(bad);
      expect(a.ok).toBe(false);
      expect(b.ok).toBe(false);
      if (!a.ok && !b.ok) expect([a.message, a.pos]).toEqual([b.message, b.pos]);
    }
    expect(tryPyJsonTable(`{"data": [[${'7'.repeat(4301)}]]}`)).toMatchObject({ ok: false, kind: 'value' });
    expect(tryPyJsonTable(`{"data": [${'['.repeat(PY_JSON_MAX_DEPTH)}${']'.repeat(PY_JSON_MAX_DEPTH)}]}`)).toMatchObject({ ok: false, kind: 'recursion' });
  });
});

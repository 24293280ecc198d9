import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkedItem, itemCount, itemSpans, itemText, parseScoreBody, pack, select } from '../src/batchParse.js';

const limits = { maxItems: 100_000, maxItemTimeoutMs: 60_000, maxResponseChars: 1_000_000 };

/** What JSON.parse says each span holds. */
function spanValues(text: string): unknown[] | undefined {
  const bytes = Buffer.from(text);
  const spans = itemSpans(bytes);
  if (!spans) return undefined;
  const out: unknown[] = [];
  for (let k = 0; k < spans.length; k += 2) out.push(JSON.parse(bytes.toString('utf8', spans[k], spans[k + 1])));
  return out;
}

describe('itemSpans (byte scanner for the items of a /score body)', () => {
  it('finds the same items as JSON.parse, whatever the spacing, escapes and other keys', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue()), fc.boolean(), (items, extra, pretty) => {
        delete extra.items;
        const text = JSON.stringify({ ...extra, items }, null, pretty ? 2 : undefined);
        expect(spanValues(text)).toEqual(JSON.parse(text).items);
      }),
      { numRuns: 500 },
    );
  });

  it('handles escaped quotes and brackets in strings, non-ASCII text and an escaped key', () => {
    expect(spanValues('{"items":[1,"a\\\\",{"x":"\\"]}"},[ ],null , true,-1.5e3]}')).toEqual([1, 'a\\', { x: '"]}' }, [], null, true, -1500]);
    // JSON.parse keeps the last duplicate key, including one spelled with an escape.
    expect(spanValues(' { "items" : [ {"response":"日本語\\u0022x"} ] , "\\u0069tems": [ "last" , {} ] } ')).toEqual(['last', {}]);
    expect(spanValues('{"x":{"items":[1]},"items":["b"]}')).toEqual(['b']);
  });
});

describe('parseScoreBody', () => {
  const ok = (body: string | Buffer, l = limits) => {
    const parsed = parseScoreBody({ body: Buffer.from(body), limits: l });
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed;
  };
  const texts = (parsed: ReturnType<typeof ok>) => Array.from({ length: itemCount(parsed.packed) }, (_, i) => itemText(parsed.packed, i));

  it('hands each item to the workers as its own JSON text, and reads the envelope', () => {
    const items = [{ id: 'a', task: 'em', response: 'x "y" 日本', reference: 'y' }, { task: 'em', response: 'z'.repeat(20), reference: 'z' }, 7];
    const parsed = ok(JSON.stringify({ details: true, items, timeout_ms: 500 }, null, 1));
    expect(texts(parsed).map((t) => JSON.parse(t))).toEqual(items);
    expect(parsed).toMatchObject({ details: true, timeoutMs: 500 });
  });

  it('leaves a syntax error inside an item to that item, and rejects one anywhere else as JSON.parse does', () => {
    const parsed = ok('{"items": [{"task": "em"}, {"task": tru}, [1,]], "details": false}');
    expect(texts(parsed)).toEqual(['{"task": "em"}', '{"task": tru}', '[1,]']);
    for (const body of ['{"items": [1], "details": tru}', '{"items": [1] "details": true}', '{"items": [1]} x', '{"items": [1}', '{"items": [1], }']) {
      let expected = '';
      try {
        JSON.parse(body);
      } catch (err) {
        expected = `body is not valid JSON: ${(err as Error).message}`;
      }
      expect(parseScoreBody({ body: Buffer.from(body), limits }), body).toEqual({ ok: false, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: expected });
    }
  });

  it('validates the envelope with the item count, without looking at the items', () => {
    const parsed = parseScoreBody({ body: Buffer.from('{"items": [1, 2, 3]}'), limits: { ...limits, maxItems: 2 } });
    expect(parsed).toEqual({ ok: false, code: 'FST_ERR_VALIDATION', message: 'items must have at most 2 items, not 3' });
    expect(parseScoreBody({ body: Buffer.from('{"items": {}}'), limits })).toMatchObject({ ok: false, code: 'FST_ERR_VALIDATION' });
  });

  it('agrees with a whole-body JSON.parse on any valid body', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 6 }), fc.boolean(), fc.option(fc.boolean(), { nil: undefined }), (items, pretty, details) => {
        const text = JSON.stringify({ ...(details !== undefined && { details }), items }, null, pretty ? 2 : undefined);
        const parsed = ok(text);
        expect(texts(parsed).map((t) => JSON.parse(t))).toEqual(JSON.parse(text).items);
        expect(parsed.details).toBe(details ?? false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('checkedItem (what a scoring worker makes of an item text)', () => {
  it('parses the item, or gives bad_item for text that is not JSON', () => {
    expect(checkedItem('{"a": 1}', 10)).toEqual({ item: { a: 1 } });
    expect(checkedItem('{"a": tru}', 10)).toMatchObject({ result: { score: null, error: { code: 'bad_item', message: expect.stringMatching(/^the item is not valid JSON: /) } } });
  });
  it('gives input_too_large, with the id, for a response over the limit', () => {
    expect(checkedItem(JSON.stringify({ id: 'r-1', task: 'em', response: 'z'.repeat(11), reference: 'z' }), 10)).toEqual({
      result: { id: 'r-1', score: null, error: { code: 'input_too_large', message: expect.stringContaining('response has 11 characters; the limit is 10') } },
    });
    expect(checkedItem(JSON.stringify({ solution_str: 'z'.repeat(11) }), 10)).toMatchObject({ result: { error: { code: 'input_too_large' } } });
    expect(checkedItem(JSON.stringify({ solution_str: 'z'.repeat(11) }), undefined)).toEqual({ item: { solution_str: 'z'.repeat(11) } });
  });
});

describe('packed items in shared memory', () => {
  it('selects items for a worker as spans over the same bytes, in the order asked', () => {
    const texts = ['{"a":1}', '"日本語"', '', '[1,2]'];
    const packed = pack(texts);
    expect(packed.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from({ length: itemCount(packed) }, (_, i) => itemText(packed, i))).toEqual(texts);
    const chunk = select(packed, [3, 1, 1]);
    expect(chunk.bytes.buffer).toBe(packed.bytes.buffer);
    expect([0, 1, 2].map((i) => itemText(chunk, i))).toEqual(['[1,2]', '"日本語"', '"日本語"']);
  });
});

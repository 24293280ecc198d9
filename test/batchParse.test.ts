import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemSpans, itemText, parseScoreBody } from '../src/batchParse.js';

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
  it('hands each item to the workers as its own JSON text, and an oversized one as empty', () => {
    const items = [{ id: 'a', task: 'em', response: 'x "y" 日本', reference: 'y' }, { task: 'em', response: 'z'.repeat(20), reference: 'z' }, 7];
    const body = Buffer.from(JSON.stringify({ details: true, items }, null, 1));
    const parsed = parseScoreBody({ body, limits: { ...limits, maxResponseChars: 10 } });
    if (!parsed.ok) throw new Error(parsed.message);
    expect(JSON.parse(itemText(parsed.packed, 0))).toEqual(items[0]);
    expect(itemText(parsed.packed, 1)).toBe('');
    expect(JSON.parse(itemText(parsed.packed, 2))).toBe(7);
    expect(parsed.early.map(([i]) => i)).toEqual([1]);
    expect(parsed.ids).toEqual(['a', null, null]);
  });
});

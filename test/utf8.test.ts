// decodeUtf8 (ICU's converter for valid non-ASCII text) must decode exactly as Buffer#toString('utf8').
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../src/utf8.js';

describe('decodeUtf8', () => {
  it('decodes valid text as Buffer#toString does, BOM and astral characters included', () => {
    const text = fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('中文', '﻿', '𠀀', 'é', '\u0000', 'a'.repeat(300))), { maxLength: 120 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, (t) => {
        const bytes = Buffer.from(t, 'utf8');
        expect(decodeUtf8(bytes)).toBe(bytes.toString('utf8'));
        expect(decodeUtf8(bytes)).toBe(t);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes malformed bytes as Buffer#toString does (same U+FFFD replacements)', () => {
    const bytes = fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0xe4, 0xb8, 0xad, 0xed, 0xa0, 0xf4, 0x90, 0xc0, 0x80)), { minLength: 200, maxLength: 800 });
    fc.assert(
      fc.property(bytes, (b) => {
        const buf = Buffer.from(b);
        expect(decodeUtf8(buf)).toBe(buf.toString('utf8'));
      }),
      { numRuns: 500 },
    );
  });

  it('reads a view of shared memory (request bodies live there)', () => {
    const text = '中文 summary '.repeat(40);
    const shared = new Uint8Array(new SharedArrayBuffer(1000));
    const n = shared.byteLength - 10;
    Buffer.from(shared.buffer, 10, n).write(text);
    const len = Buffer.byteLength(text);
    expect(decodeUtf8(Buffer.from(shared.buffer, 10, len))).toBe(text);
  });
});

// Node-only (Buffer): text.ts is also built for the reward debugger's page.
import { Buffer } from 'node:buffer';

/**
 * A reusable copy of a text's UTF-16 code units and a 0 after them, made natively (Buffer#write
 * 'utf16le'; lone surrogates are copied as they are). Long passes over a text index it instead of
 * calling charCodeAt, which dispatches on the string's representation (sliced, two-byte...) at
 * every call. Each user keeps its own: a load overwrites the previous one.
 */
export class CodeUnits {
  private buffer = Buffer.allocUnsafeSlow(1 << 14);
  private view = new Uint16Array(this.buffer.buffer, 0, this.buffer.length >>> 1);

  /** text's code units (codes[i] = text.charCodeAt(i), codes[text.length] = 0), valid until the next load. */
  load(text: string): Uint16Array {
    if (this.buffer.length < 2 * text.length + 2) {
      this.buffer = Buffer.allocUnsafeSlow(Math.max(2 * text.length + 2, 2 * this.buffer.length));
      this.view = new Uint16Array(this.buffer.buffer, 0, this.buffer.length >>> 1);
    }
    this.view[this.buffer.write(text, 0, 'utf16le') >>> 1] = 0;
    return this.view;
  }
}

// Decoding request bytes to strings in the scoring workers. Buffer#toString('utf8') goes through
// V8's UTF-8 decoder, which is fast for ASCII only: on the items of a long-CoT step (mostly
// Chinese or with a few accented names) it decoded 200-240 MB/s, three times slower than
// JSON.parse of the decoded text, and the workers decode every byte of every request. ICU's
// converter (buffer.transcode) to UTF-16 does 700-1,000 MB/s; it rejects malformed input, which
// therefore keeps V8's decoding (and its U+FFFD replacements).
import { isAscii, isUtf8, transcode } from 'node:buffer';

/** `bytes.toString('utf8')`, faster on non-ASCII text. */
export function decodeUtf8(bytes: Buffer): string {
  if (bytes.length < 256 || isAscii(bytes) || !isUtf8(bytes)) return bytes.toString('utf8');
  return transcode(bytes, 'utf8', 'utf16le').toString('utf16le');
}

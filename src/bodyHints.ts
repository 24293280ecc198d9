// Why a body is not JSON, in words that say how to fix the request: a compressed body sent
// without its Content-Encoding header, a byte-order mark, JSON Lines where one object is expected.
// (JSON.parse alone reports "Unexpected token '\u001f'" for a gzip body.)

const startsWith = (head: Uint8Array, ...bytes: number[]): boolean => bytes.every((b, i) => head[i] === b);

/** A hint about the body's first bytes, or undefined when nothing about them stands out. */
export function encodingHint(head: Uint8Array): string | undefined {
  if (startsWith(head, 0x1f, 0x8b)) {
    return "the body is gzip-compressed (it starts with gzip's magic bytes 1f 8b) but the request has no Content-Encoding: gzip header; add it (curl: -H 'Content-Encoding: gzip')";
  }
  if (startsWith(head, 0x28, 0xb5, 0x2f, 0xfd)) return 'the body is zstd-compressed; send it uncompressed or gzip-compressed with Content-Encoding: gzip';
  if (head[0] === 0x78 && [0x01, 0x5e, 0x9c, 0xda].includes(head[1]!)) {
    return 'the body looks zlib/deflate-compressed; send it uncompressed or gzip-compressed with Content-Encoding: gzip';
  }
  if (startsWith(head, 0x50, 0x4b, 0x03, 0x04)) return 'the body is a zip archive; send the JSON itself';
  if (startsWith(head, 0x50, 0x41, 0x52, 0x31)) return 'the body is a parquet file; convert it to JSON (the CLI reads parquet: golong-reward score FILE.parquet)';
  if (startsWith(head, 0xef, 0xbb, 0xbf)) return 'the body starts with a UTF-8 byte-order mark (EF BB BF); remove it';
  return undefined;
}

/**
 * The 400 message for a body JSON.parse rejected: a hint first when there is one, then the
 * parser's words. `text` is the body as decoded, for recognising JSON Lines.
 */
export function notJsonMessage(head: Uint8Array, parseError: string, text?: string): string {
  const hint = encodingHint(head);
  if (hint) return `body is not valid JSON: ${hint}`;
  let message = `body is not valid JSON: ${parseError.slice(0, 200)}`;
  // JSON Lines (a .jsonl file sent as the body): a value, a line break, another object or array.
  const at = /after JSON at position (\d+)/.exec(parseError);
  const next = at ? Number(at[1]) : -1;
  const gap = text === undefined || next < 0 ? '' : /\s*$/.exec(text.slice(0, next))![0];
  if (gap.includes('\n') && (text![next] === '{' || text![next] === '[')) {
    message += '; the body holds several JSON values (JSON Lines?): send one object, with the items in its array';
  }
  return message;
}

/** A hint for a body declared gzip that is not: undefined when it starts like gzip data. */
export function notGzipHint(head: Uint8Array): string | undefined {
  if (head.length < 2 || startsWith(head, 0x1f, 0x8b)) return undefined;
  const first = String.fromCharCode(head[0]!);
  return first === '{' || first === '[' || /\s/.test(first)
    ? 'the body is not gzip-compressed (it looks like plain JSON) although the request says Content-Encoding: gzip; drop that header or compress the body'
    : "the body is not gzip data (it does not start with gzip's magic bytes 1f 8b); compress it with gzip or drop the Content-Encoding header";
}

/** A 400 for a body that is empty or not JSON, as fastify's error handler passes it on. */
const badBody = (message: string, code: string) => Object.assign(new Error(message), { statusCode: 400, code });

/**
 * fastify's application/json parser over `parse` (JSON.parse, or a parser with Python's number
 * types for the routes that take verl ground truths): an empty body and a body that is not JSON
 * are 400s whose message says how to fix the request.
 */
export function jsonBodyParser(parse: (text: string) => unknown) {
  return (_request: unknown, body: string | Buffer, done: (err: Error | null, value?: unknown) => void): void => {
    const bytes = body as Buffer;
    if (bytes.length === 0) return done(badBody('body is empty; send a JSON object', 'FST_ERR_CTP_EMPTY_JSON_BODY'));
    const text = bytes.toString('utf8');
    try {
      done(null, parse(text));
    } catch (err) {
      done(badBody(notJsonMessage(bytes.subarray(0, 8), (err as Error).message, text), 'FST_ERR_CTP_INVALID_JSON_BODY'));
    }
  };
}

// Reading a request body into blocks that move to a worker without a copy: the bytes, in order,
// and fastify's checks (limit, Content-Length, stream errors).
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { readBodyBlocks } from '../src/bodyBlocks.js';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest;
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff));
/** A stream of `body` in chunks of the given sizes (cycled). */
function chunked(body: Buffer, sizes: number[]): Readable {
  const parts: Buffer[] = [];
  for (let at = 0, k = 0; at < body.length; k++) {
    const n = sizes[k % sizes.length]!;
    parts.push(body.subarray(at, at + n));
    at += n;
  }
  return Readable.from(parts, { objectMode: false });
}
const joined = (blocks: Uint8Array[]) => Buffer.concat(blocks);

describe('readBodyBlocks', () => {
  it('fills one block of the announced Content-Length, whatever the chunk sizes', async () => {
    const body = bytes(300_001);
    const blocks = await readBodyBlocks(request({ 'content-length': String(body.length) }), chunked(body, [1, 65_536, 7, 100_000]), 1 << 30);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.buffer).toBeInstanceOf(SharedArrayBuffer); // read in place by the workers
    expect(blocks[0]!.buffer.byteLength).toBe(body.length);
    expect(joined(blocks).equals(body)).toBe(true);
  });
  it('without a length (chunked or gzip) uses 1 MiB blocks, in order, the last one cut to size', async () => {
    const body = bytes(2.5 * 2 ** 20);
    for (const headers of [{}, { 'content-encoding': 'gzip', 'content-length': '5' }] as Record<string, string>[]) {
      const payload = Object.assign(chunked(body, [65_536, 3]), headers['content-length'] ? { receivedEncodedLength: 5 } : {});
      const blocks = await readBodyBlocks(request(headers), payload, 1 << 30);
      expect(blocks.map((b) => b.byteLength)).toEqual([2 ** 20, 2 ** 20, 2 ** 19]);
      expect(joined(blocks).equals(body)).toBe(true);
    }
  });
  it('gives one empty block for an empty body', async () => {
    expect((await readBodyBlocks(request({ 'content-length': '0' }), Readable.from([]), 10)).map((b) => b.byteLength)).toEqual([0]);
    expect((await readBodyBlocks(request({}), Readable.from([]), 10)).map((b) => b.byteLength)).toEqual([0]);
  });
  it('rejects a body over the limit, announced or streamed', async () => {
    await expect(readBodyBlocks(request({ 'content-length': '11' }), chunked(bytes(11), [4]), 10)).rejects.toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    await expect(readBodyBlocks(request({}), chunked(bytes(11), [4]), 10)).rejects.toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
  });
  it('rejects a body shorter or longer than its Content-Length', async () => {
    await expect(readBodyBlocks(request({ 'content-length': '10' }), chunked(bytes(9), [4]), 100)).rejects.toMatchObject({ code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' });
    await expect(readBodyBlocks(request({ 'content-length': '10' }), chunked(bytes(12), [4]), 100)).rejects.toMatchObject({ code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' });
  });
  it('passes a stream error on as a client error', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('aborted'));
      },
    });
    await expect(readBodyBlocks(request({}), failing, 100)).rejects.toMatchObject({ message: 'aborted', statusCode: 400 });
  });
});

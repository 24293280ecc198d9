// Reading a request body into blocks that move to a worker without a copy: the bytes, in order,
// and fastify's checks (limit, Content-Length, stream errors).
import { PassThrough, Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { BodyTurns, readBodyBlocks } from '../src/bodyBlocks.js';

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

describe('bodies arriving together are read in turn', () => {
  const sized = (n: number) => request({ 'content-length': String(n) });

  it('the second waits (paused) while the first sends, then starts when it ends; both arrive whole', async () => {
    const first = new PassThrough();
    const second = new PassThrough();
    const a = bytes(5000);
    const b = bytes(3000).reverse();
    const readingFirst = readBodyBlocks(sized(a.length), first, 1 << 20);
    const readingSecond = readBodyBlocks(sized(b.length), second, 1 << 20);
    first.write(a.subarray(0, 1000));
    second.write(b.subarray(0, 1000));
    await new Promise((r) => setTimeout(r, 5));
    expect(second.readableFlowing).toBe(false);
    expect(first.readableFlowing).toBe(true);
    first.end(a.subarray(1000));
    expect(joined(await readingFirst).equals(a)).toBe(true);
    expect(second.readableFlowing).toBe(true);
    second.end(b.subarray(1000));
    expect(joined(await readingSecond).equals(b)).toBe(true);
  });

  it('a body that stops sending lets the next one start (a slow client holds nobody up)', async () => {
    const stalled = new PassThrough();
    const next = new PassThrough();
    const readingStalled = readBodyBlocks(sized(10), stalled, 100);
    const readingNext = readBodyBlocks(sized(4), next, 100);
    stalled.write(bytes(3));
    expect(next.readableFlowing).toBe(false);
    await vi.waitFor(() => expect(next.readableFlowing).toBe(true), { timeout: 2000, interval: 5 });
    next.end(bytes(4));
    expect(joined(await readingNext).equals(bytes(4))).toBe(true);
    stalled.end(bytes(7));
    expect(joined(await readingStalled).byteLength).toBe(10);
  });

  it('a client that goes away mid-body: a 400, and the next body starts', async () => {
    const gone = new PassThrough();
    const next = new PassThrough();
    const readingGone = readBodyBlocks(sized(10), gone, 100);
    const readingNext = readBodyBlocks(sized(2), next, 100);
    gone.write(bytes(3));
    gone.destroy();
    await expect(readingGone).rejects.toMatchObject({ statusCode: 400, message: 'the client closed the connection before the body ended' });
    expect(next.readableFlowing).toBe(true);
    next.end(bytes(2));
    expect(joined(await readingNext).byteLength).toBe(2);
  });

  it('BodyTurns: the oldest waiting body goes next; a stall check with one reader still sending starts nobody', () => {
    vi.useFakeTimers();
    try {
      const turns = new BodyTurns(20);
      const streams = [new PassThrough(), new PassThrough(), new PassThrough()];
      const [r0, r1, r2] = streams.map((p) => turns.join(p));
      expect(turns.counts).toEqual({ reading: 1, waiting: 2 });
      vi.advanceTimersByTime(15);
      turns.progressed(r0!);
      vi.advanceTimersByTime(10); // the check at 20 ms: r0 sent 5 ms before
      expect(turns.counts).toEqual({ reading: 1, waiting: 2 });
      turns.leave(r0!);
      expect(turns.counts).toEqual({ reading: 1, waiting: 1 });
      expect(streams[1]!.isPaused()).toBe(false);
      expect(streams[2]!.isPaused()).toBe(true);
      turns.leave(r2!); // gone while waiting
      expect(turns.counts).toEqual({ reading: 1, waiting: 0 });
      turns.leave(r1!);
      expect(turns.counts).toEqual({ reading: 0, waiting: 0 });
    } finally {
      vi.useRealTimers();
    }
  });
});

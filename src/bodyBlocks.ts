// Reads a request body into shared-memory blocks that a worker thread reads without a copy.
// fastify's own `parseAs: 'buffer'` joins the chunks with one Buffer.concat on the event loop:
// for an 8,192-item batch (about 20 MB) that was a 40-65 ms stall, during which /healthz waited.
// Here each chunk is copied as it arrives (microseconds each), into one block of the announced
// Content-Length, or into 1 MiB blocks when the length is not known in advance (chunked or gzip).
// The checks are fastify's (lib/content-type-parser.js rawBody): limit, Content-Length, errors.
//
// Bodies arriving together are read in turn (BodyTurns): a client sends a step as several
// requests at once (the Python client: 4 of ~50 MB), and read side by side they all complete at
// the end, so the workers idle while the main thread receives ~200 MB. Read one after the other,
// the first is scored while the next ones arrive. A body that stops sending loses its exclusivity.
import { errorCodes, type FastifyRequest } from 'fastify';

const BLOCK_BYTES = 1 << 20;

type Payload = NodeJS.ReadableStream & { receivedEncodedLength?: number };

/** Shared memory: the parsing worker and then the scoring workers read the items in place. */
const sharedBytes = (n: number): Uint8Array => new Uint8Array(new SharedArrayBuffer(n));

/** The body's bytes: blocks in order, each view covering only the bytes written to it. */
export function readBodyBlocks(request: FastifyRequest, payload: Payload, limit: number): Promise<Uint8Array[]> {
  const contentLength = Number(request.headers['content-length']);
  const knownLength = !Number.isNaN(contentLength) && request.headers['content-encoding'] === undefined;
  return new Promise((resolve, reject) => {
    if (contentLength > limit) {
      reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    const blocks: Uint8Array[] = [];
    let block = sharedBytes(knownLength ? contentLength : 0);
    let used = 0;
    let received = 0;

    let turn: Reader | undefined;
    const stop = (): void => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onEnd);
      payload.removeListener('close', onClose);
      if (turn) bodyTurns.leave(turn);
    };
    // A client that goes away mid-body: the stream closes (with or without an error first).
    function onClose(): void {
      stop();
      reject(Object.assign(new Error('the client closed the connection before the body ended'), { statusCode: 400 }));
    }
    function onData(data: Buffer | string): void {
      // A preParsing stream may emit strings.
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      received += chunk.length;
      if (turn) bodyTurns.progressed(turn);
      // The decompressed size counts against the limit (a "zip bomb" stops here).
      if (received > limit || (payload.receivedEncodedLength ?? 0) > limit) {
        stop();
        reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        return;
      }
      let offset = 0;
      while (offset < chunk.length) {
        if (used === block.length) {
          if (used > 0) blocks.push(block);
          // More bytes than announced: fastify rejects that too, once the stream ends.
          block = sharedBytes(BLOCK_BYTES);
          used = 0;
        }
        const n = Math.min(block.length - used, chunk.length - offset);
        block.set(chunk.subarray(offset, offset + n), used);
        used += n;
        offset += n;
      }
    }
    function onEnd(err?: Error & { statusCode?: number }): void {
      stop();
      if (err != null) {
        if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400;
        reject(err);
        return;
      }
      if (!Number.isNaN(contentLength) && (payload.receivedEncodedLength || received) !== contentLength) {
        reject(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
        return;
      }
      if (used > 0 || blocks.length === 0) blocks.push(block.subarray(0, used));
      resolve(blocks);
    }
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onEnd);
    payload.on('close', onClose);
    turn = bodyTurns.join(payload);
  });
}

interface Reader {
  payload: NodeJS.ReadableStream;
  /** performance.now() of the last bytes received (or of the reader's start). */
  lastData: number;
}

/**
 * Which request bodies are being read: the oldest first, alone while it keeps sending; the
 * next one starts when it ends, or when every body being read has been silent for STALL_MS (a
 * slow or stuck client never holds the others up longer than that).
 */
export class BodyTurns {
  private readonly reading = new Set<Reader>();
  private readonly waiting: Reader[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stallMs: number) {}

  /** Starts reading `payload` now or when its turn comes; returns its handle. */
  join(payload: NodeJS.ReadableStream): Reader {
    const reader: Reader = { payload, lastData: performance.now() };
    if (this.reading.size === 0) this.start(reader);
    else {
      payload.pause();
      this.waiting.push(reader);
      this.timer ??= setInterval(() => this.checkStalls(), this.stallMs).unref();
    }
    return reader;
  }

  /** The reader received bytes. */
  progressed(reader: Reader): void {
    reader.lastData = performance.now();
  }

  /** The reader is done (ended, failed or abandoned): the next one starts. */
  leave(reader: Reader): void {
    const waitingAt = this.waiting.indexOf(reader);
    if (waitingAt >= 0) this.waiting.splice(waitingAt, 1);
    if (this.reading.delete(reader) && this.reading.size === 0) this.startNext();
    this.stopCheckingWhenNoneWait();
  }

  /** Bodies being read and waiting (for tests). */
  get counts(): { reading: number; waiting: number } {
    return { reading: this.reading.size, waiting: this.waiting.length };
  }

  private start(reader: Reader): void {
    reader.lastData = performance.now();
    this.reading.add(reader);
    reader.payload.resume();
  }

  private startNext(): void {
    const next = this.waiting.shift();
    if (next) this.start(next);
  }

  private checkStalls(): void {
    const now = performance.now();
    for (const r of this.reading) if (now - r.lastData < this.stallMs) return;
    this.startNext();
    this.stopCheckingWhenNoneWait();
  }

  private stopCheckingWhenNoneWait(): void {
    if (this.waiting.length === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

/** Silence after which the next waiting body starts too. */
const STALL_MS = 20;
const bodyTurns = new BodyTurns(STALL_MS);

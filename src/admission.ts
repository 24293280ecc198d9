// Admission control for the scoring routes (/score, /openrlhf/reward and /check share it): at most
// `maxActive` batches are scored at once and at most `maxQueued` wait for a turn; anything beyond
// is shed (503 + Retry-After) before its body is read.
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Ticket {
  /** Resolves when this batch may start scoring. */
  turn(): Promise<void>;
  /** Gives the slot (or the queue place) back; a pending turn() then resolves. Idempotent. */
  release(): void;
}

export class Admission {
  private admitted = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly maxActive: number,
    readonly maxQueued: number,
  ) {}

  /** Batches holding a scoring turn. */
  get activeCount(): number {
    return this.active;
  }

  /** Batches admitted but not yet scoring (including those still uploading their body). */
  get queuedCount(): number {
    return this.admitted - this.active;
  }

  /** A ticket, or undefined when the service is full and the request must be shed. */
  tryEnter(): Ticket | undefined {
    if (this.admitted >= this.maxActive + this.maxQueued) return undefined;
    this.admitted++;
    let state: 'admitted' | 'waiting' | 'active' | 'released' = 'admitted';
    let wake: (() => void) | undefined;
    let settle: (() => void) | undefined;
    return {
      turn: () => {
        if (state !== 'admitted') return Promise.resolve();
        if (this.active < this.maxActive) {
          this.active++;
          state = 'active';
          return Promise.resolve();
        }
        state = 'waiting';
        return new Promise<void>((resolve) => {
          settle = resolve;
          wake = () => {
            state = 'active';
            resolve();
          };
          this.waiting.push(wake);
        });
      },
      release: () => {
        if (state === 'released') return;
        if (state === 'waiting') {
          const at = this.waiting.indexOf(wake!);
          if (at >= 0) this.waiting.splice(at, 1);
          settle!(); // the caller sees its request gone and stops
        }
        if (state === 'active') {
          this.active--;
          const next = this.waiting.shift();
          if (next) {
            this.active++;
            next();
          }
        }
        state = 'released';
        this.admitted--;
      },
    };
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The scoring turn of a request admitted by admissionHook. */
    admissionTicket?: Ticket;
  }
}

/**
 * An onRequest hook for the scoring routes (/score, /openrlhf/reward, /check): sheds the request with a
 * 503 and Retry-After before its body is read when the service is full; else the request holds
 * a ticket (request.admissionTicket) until its response ends, whichever way it ends.
 */
export function admissionHook(admission: Admission, retryAfterSeconds: number) {
  return async function admit(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const ticket = admission.tryEnter();
    if (!ticket) {
      request.log.warn({ active: admission.activeCount, queued: admission.queuedCount, url: request.url }, 'shedding load: too many batches');
      return reply
        .code(503)
        .header('retry-after', String(retryAfterSeconds))
        .send({
          statusCode: 503,
          error: 'Service Unavailable',
          message: `too many batches in progress (${admission.maxActive} scoring, ${admission.maxQueued} queued); retry after ${retryAfterSeconds} s`,
        });
    }
    request.admissionTicket = ticket;
    reply.raw.once('close', ticket.release);
    return undefined;
  };
}

/**
 * Waits for the request's turn (its ticket from admissionHook, when it has one) and returns a
 * signal that aborts when the client goes away, or undefined when it already left while queued.
 */
export async function admissionTurn(request: FastifyRequest, reply: FastifyReply): Promise<AbortSignal | undefined> {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  await request.admissionTicket?.turn();
  return gone.signal.aborted ? undefined : gone.signal;
}

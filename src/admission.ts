// Admission control for /score: at most `maxActive` batches are scored at once and at most
// `maxQueued` wait for a turn; anything beyond is shed (503 + Retry-After) before its body is read.

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

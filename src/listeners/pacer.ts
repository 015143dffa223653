/**
 * The time Slack's rate limits are kept in: milliseconds now, and a wait. The app runs on real time; a
 * test gives its own, moved by hand, so it can check the pacing without sleeping.
 */
export interface Pacer {
  now(): number;
  wait(ms: number): Promise<void>;
}

export const realTime: Pacer = {
  now: () => Date.now(),
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Runs work in turns per key, each starting at least `intervalMs` after the start of the last one that ran
 * (the way to keep one Slack message within its rate): `enqueue`d work one after another, after the
 * work before it has finished; `reserve`d work in the next free moment, whatever is still running.
 */
export class Turns {
  readonly #lastRun = new Map<string, number>();
  readonly #queue = new Map<string, Promise<void>>();

  constructor(
    private readonly pacer: Pacer,
    private readonly intervalMs: number,
    private readonly track: (work: Promise<void>) => void,
    private readonly onError: (error: unknown, key: string) => void,
  ) {}

  /** Milliseconds until `key` may run again, were nothing waiting for it. */
  nextIn(key: string): number {
    const last = this.#lastRun.get(key);
    return last === undefined ? 0 : Math.max(0, last + this.intervalMs - this.pacer.now());
  }

  /** Queues `work` for its turn, after everything queued for `key` before it and its interval. */
  enqueue(key: string, work: () => Promise<boolean>): void {
    const before = this.#queue.get(key) ?? Promise.resolve();
    const run = before
      .then(async () => {
        const delay = this.nextIn(key);
        if (delay > 0) await this.pacer.wait(delay);
        // The turn is taken as the work starts, so a `reserve` while it runs waits for the second after this
        // start; work that sent nothing gives it back, unless a `reserve` has taken the next one meanwhile.
        const started = this.pacer.now();
        const before = this.#lastRun.get(key);
        this.#lastRun.set(key, started);
        if (await work()) return;
        if (this.#lastRun.get(key) !== started) return;
        if (before === undefined) this.#lastRun.delete(key);
        else this.#lastRun.set(key, before);
      })
      .catch((error: unknown) => this.onError(error, key));
    this.#queue.set(key, run);
    void run.finally(() => {
      if (this.#queue.get(key) === run) this.#queue.delete(key);
    });
    this.track(run);
  }

  /**
   * Takes the next free moment for `key` at once (so work enqueued after waits for the one after it) and
   * runs `work` then, without waiting for work still running.
   */
  reserve(key: string, work: () => Promise<void>): void {
    const at = this.pacer.now() + this.nextIn(key);
    this.#lastRun.set(key, at);
    const run = (async () => {
      const delay = at - this.pacer.now();
      if (delay > 0) await this.pacer.wait(delay);
      await work();
    })().catch((error: unknown) => this.onError(error, key));
    this.track(run);
  }
}

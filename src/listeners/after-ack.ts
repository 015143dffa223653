/**
 * Bounds how much work runs after its ack at once, so a storm of clicks does not take every database
 * connection (or, on the embedded database, the one connection's whole queue) from the statement the next
 * click must run before its own ack. Work beyond the bound waits its turn, in order.
 */
export class AfterAck {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    /** Keeps work run `alongside` in flight, so a shutdown (or a test) waits for it. */
    private readonly track: (work: Promise<unknown>) => void,
    private readonly limit = 4,
  ) {}

  /**
   * Work that needs no database (a reply to Slack): it runs at once, outside the bound, so a click's turn is
   * not held while Slack answers; it is still kept in flight. Never throws: a failure goes to `onError`.
   */
  alongside(work: () => Promise<void>, onError: (error: unknown) => void): void {
    this.track(work().catch(onError));
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is given back.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}

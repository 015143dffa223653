/**
 * Handlers go on working after they ack() (Slack waits only 3 s for the ack). This keeps track of that
 * work so a shutdown can let it finish before the database closes, and tests can wait for it.
 */
export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.#pending.add(work);
    const forget = () => this.#pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  /**
   * Counts work that ends when the returned function is called (or after `limitMs`, so a lost release can
   * never hold up a shutdown).
   */
  hold(limitMs = 10_000): () => void {
    let release = () => {};
    const work = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, limitMs);
      timer.unref();
      release = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.track(work);
    return release;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Resolves once nothing is in flight, including work that starts while waiting. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}

import type { Clock } from '../../src/clock.js';

/** A clock the test moves by hand; the app reads it wherever it needs "now". */
export class TestClock {
  #now: Date;

  constructor(start: string | Date = '2026-11-23T15:00:00Z') {
    this.#now = new Date(start);
  }

  readonly now: Clock = () => new Date(this.#now);

  set(at: string | Date): void {
    this.#now = new Date(at);
  }

  advance({ days = 0, hours = 0, minutes = 0 }: { days?: number; hours?: number; minutes?: number }): Date {
    this.#now = new Date(this.#now.getTime() + ((days * 24 + hours) * 60 + minutes) * 60_000);
    return this.now();
  }
}

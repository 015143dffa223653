import type { Clock } from '../clock.js';

/**
 * The sandbox's time: the wall clock plus however far the page has jumped ahead, so a week of nudges and
 * deadlines can be seen in a minute. It starts where it is told (a test's fixed Monday) or at the real now.
 */
export class SandboxClock {
  #offsetMs: number;

  constructor(start: Date = new Date()) {
    this.#offsetMs = start.getTime() - Date.now();
  }

  readonly now: Clock = () => new Date(Date.now() + this.#offsetMs);

  /** Moves time forward to `at`; never back, since the app's records assume time only moves on. */
  moveTo(at: Date): void {
    const ahead = at.getTime() - this.now().getTime();
    if (ahead > 0) this.#offsetMs += ahead;
  }
}

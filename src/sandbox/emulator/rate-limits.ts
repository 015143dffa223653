/**
 * What the fake Slack enforces when asked to (FakeSlackOptions.enforce): Slack's rates for chat.postMessage,
 * and failures injected at random, as a busy Slack answers. Off unless asked for.
 */
export interface Enforcement {
  /** Posts a second per conversation, and how many may come at once (Slack: 1 a second, short bursts). */
  perChannel: { perSecond: number; burst: number };
  /** Posts a second across the workspace, and how many may come at once. */
  perWorkspace: { perSecond: number; burst: number };
  /**
   * The share of posts (0–1) answered at random with a 429 (Retry-After 1 s) or a 5xx, half of the 5xx after
   * the message was posted all the same (Slack did the work, the answer says otherwise).
   */
  failureRate: number;
  /** Where the rolls come from (Math.random by default): a seeded one makes a run repeatable. */
  random?: () => number;
}

/** Slack's rates for chat.postMessage as the fan-out benchmark holds the sender to, with 5% failures. */
export const SLACK_ENFORCEMENT: Enforcement = {
  perChannel: { perSecond: 1, burst: 3 },
  perWorkspace: { perSecond: 10, burst: 10 },
  failureRate: 0.05,
};

/** What the fake does with one post: take it, refuse it (429 and seconds to wait), or fail (before or after). */
export type Verdict =
  | { kind: 'take' }
  | { kind: 'limited'; retryAfter: number }
  | { kind: 'fail'; status: 500 | 503; after: boolean };

/** One rate with its burst, kept as the generic cell rate algorithm does. Times in ms. */
class Bucket {
  #tat = 0;
  readonly #interval: number;
  readonly #tolerance: number;
  constructor(limit: { perSecond: number; burst: number }) {
    this.#interval = 1000 / limit.perSecond;
    this.#tolerance = (Math.max(1, limit.burst) - 1) * this.#interval;
  }
  /** How long (ms) until a post may come; 0 when it may now. */
  wait(now: number): number {
    return Math.max(0, this.#tat - this.#tolerance - now);
  }
  take(now: number): void {
    this.#tat = Math.max(this.#tat, now) + this.#interval;
  }
}

/** Counts of what enforcement did, for a benchmark to print. */
export interface EnforcementCounts {
  taken: number;
  limited: number;
  injected: number;
  /** When the last post that Slack kept came in (performance.now(), ms). */
  lastTakenAt: number;
}

/** Decides each post's fate by the rates (in real time) and the dice. */
export class Enforcer {
  readonly counts: EnforcementCounts = { taken: 0, limited: 0, injected: 0, lastTakenAt: 0 };
  readonly #rules: Enforcement;
  readonly #workspace: Bucket;
  readonly #channels = new Map<string, Bucket>();

  constructor(rules: Enforcement) {
    this.#rules = rules;
    this.#workspace = new Bucket(rules.perWorkspace);
  }

  /** The fate of a post to `channel` arriving now. */
  judge(channel: string): Verdict {
    const now = performance.now();
    let bucket = this.#channels.get(channel);
    if (!bucket) {
      bucket = new Bucket(this.#rules.perChannel);
      this.#channels.set(channel, bucket);
    }
    const wait = Math.max(bucket.wait(now), this.#workspace.wait(now));
    if (wait > 0) {
      this.counts.limited++;
      return { kind: 'limited', retryAfter: Math.max(1, Math.ceil(wait / 1000)) };
    }
    const roll = (this.#rules.random ?? Math.random)();
    if (roll < this.#rules.failureRate) {
      this.counts.injected++;
      const share = roll / this.#rules.failureRate;
      if (share < 0.5) return { kind: 'limited', retryAfter: 1 };
      // A 5xx after the post took a place in the rates: Slack did the work, or began it.
      bucket.take(now);
      this.#workspace.take(now);
      if (share >= 0.75) this.counts.lastTakenAt = now;
      return { kind: 'fail', status: share < 0.75 ? 503 : 500, after: share >= 0.75 };
    }
    bucket.take(now);
    this.#workspace.take(now);
    this.counts.taken++;
    this.counts.lastTakenAt = now;
    return { kind: 'take' };
  }
}

/**
 * How fast messages may be posted, per conversation and per workspace, in messages a second; `burst` is how
 * many may go at once after a quiet spell.
 */
export interface PostLimits {
  perChannel: { perSecond: number; burst: number };
  perWorkspace: { perSecond: number; burst: number };
}

/**
 * Slack's limits for chat.postMessage and chat.update: "1 message per second per channel, with short bursts
 * of more than 1 allowed" (api.slack.com/docs/rate-limits, "Special rate limits"), and a workspace-wide
 * limit Slack gives only as "several hundred messages per minute": ten a second (600 a minute) is taken here,
 * and a 429 past it is still honoured row by row. A conversation's posts go one at a time: the burst Slack
 * allows is left for the jitter between the time a post is paced for and the time it reaches Slack. The
 * workspace's allow two: a post whose timer fired late (the event loop busy) lets the next one catch up, so
 * the long-run rate is the limit itself rather than the limit less every delay.
 */
export const SLACK_POST_LIMITS: PostLimits = {
  perChannel: { perSecond: 1, burst: 1 },
  perWorkspace: { perSecond: 10, burst: 2 },
};

/**
 * One rate with its burst, as the generic cell rate algorithm keeps it: `tat` is when the next message would
 * go if every earlier one had gone at the rate; a message may go while `tat` is at most a burst ahead of now.
 */
class Rate {
  #tat = 0;
  readonly #interval: number;
  readonly #tolerance: number;
  constructor(limit: { perSecond: number; burst: number }) {
    this.#interval = 1000 / limit.perSecond;
    this.#tolerance = (Math.max(1, limit.burst) - 1) * this.#interval;
  }
  /** The earliest time (ms) a message may go, at or after `at`. */
  earliest(at: number): number {
    return Math.max(at, this.#tat - this.#tolerance);
  }
  /** Counts a message going at `at` (at or after `earliest(at)`). */
  take(at: number): void {
    this.#tat = Math.max(this.#tat, at) + this.#interval;
  }
  /** Nothing goes before `until` (Slack's Retry-After). */
  holdUntil(until: number): void {
    this.#tat = Math.max(this.#tat, until + this.#tolerance);
  }
  /** Whether this rate remembers nothing that could hold a message at `at`. */
  idle(at: number): boolean {
    return this.#tat <= at;
  }
}

/**
 * The workspace's rate, when every instance shares it: takes the next place at or after `at` and resolves to
 * the time the post may go (db/send-pace.ts).
 */
export type SharedRate = (at: Date, limit: PostLimits['perWorkspace']) => Promise<Date>;

/**
 * Paces one workspace's posts to its limits: each post waits for its turn in its conversation and in the
 * workspace, reserved in the order asked, so posts to many conversations go side by side at the workspace's
 * rate and a busy conversation never holds the others back. The workspace's rate is this process's alone, or
 * with `shared` every instance's together. Times are wall-clock ms.
 */
export class Pacer {
  readonly #limits: PostLimits;
  readonly #workspace: Rate;
  readonly #shared: SharedRate | undefined;
  readonly #channels = new Map<string, Rate>();

  constructor(limits: PostLimits = SLACK_POST_LIMITS, shared?: SharedRate) {
    this.#limits = limits;
    this.#workspace = new Rate(limits.perWorkspace);
    this.#shared = shared;
  }

  /**
   * Resolves when a message to `channel` may go. The shared rate, when there is one, gives the post its place
   * among every instance's; then the post goes only once this process's rates allow it at the moment it goes,
   * so posts whose turn came while the process was busy (a timer late, the database slow) still go one by one.
   */
  async turn(channel: string): Promise<void> {
    let rate = this.#channels.get(channel);
    if (!rate) {
      // Conversations no longer in use are forgotten, so the map stays as small as the traffic.
      const now = Date.now();
      if (this.#channels.size > 10_000)
        for (const [key, r] of this.#channels) if (r.idle(now)) this.#channels.delete(key);
      rate = new Rate(this.#limits.perChannel);
      this.#channels.set(channel, rate);
    }
    if (this.#shared) {
      const slot = await this.#shared(new Date(rate.earliest(Date.now())), this.#limits.perWorkspace);
      await sleep(slot.getTime() - Date.now());
    }
    for (;;) {
      const now = Date.now();
      const at = Math.max(rate.earliest(now), this.#workspace.earliest(now));
      if (at <= now) {
        rate.take(now);
        this.#workspace.take(now);
        return;
      }
      await sleep(at - now);
    }
  }

  /** Slack said to wait `ms` before posting to `channel` again (a 429's Retry-After): only it waits. */
  holdChannel(channel: string, ms: number): void {
    this.#channels.get(channel)?.holdUntil(Date.now() + ms);
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, Math.ceil(ms))) : Promise.resolve();
}

import type { AllMiddlewareArgs } from '@slack/bolt';
import type { Db } from '../db/database.js';
import { findProposal, postedMessageOf } from '../db/proposals.js';
import type { Logger } from '../logger.js';
import { finalMessage } from '../services/proposal-closing.js';
import { proposalState, votesNeeded } from '../services/proposals.js';
import { webSender } from '../slack/web-sender.js';
import { proposalMessage } from '../views/proposals.js';
import type { InFlight } from './in-flight.js';

type Client = AllMiddlewareArgs['client'];

/** chat.update allows about one call per second per message before Slack starts refusing. */
const MIN_INTERVAL_MS = 1000;

/**
 * Keeps each open proposal's message showing its live tally without exceeding chat.update's rate: a vote
 * asks for a refresh; one already waiting covers it, and a refresh runs at most once a second per proposal,
 * rendering whatever the database holds when it runs, so the last vote of a burst is always shown. A
 * proposal's refreshes run one after another, never two at once, and each waiting refresh is held in
 * flight, so a shutdown (or a test) waits for it.
 */
export class LiveTally {
  readonly #waiting = new Map<string, { client: Client }>();
  readonly #lastRun = new Map<string, number>();
  /** Each proposal's latest refresh, running or waiting its turn: the next one starts after it. */
  readonly #queue = new Map<string, Promise<void>>();

  constructor(
    private readonly inFlight: InFlight,
    private readonly db: Db,
    private readonly log: Logger,
    private readonly intervalMs = MIN_INTERVAL_MS,
  ) {}

  request(client: Client, teamId: string, proposalId: number): void {
    const key = `${teamId}:${proposalId}`;
    const waiting = this.#waiting.get(key);
    if (waiting) {
      waiting.client = client;
      return;
    }
    const entry = { client };
    this.#waiting.set(key, entry);
    const before = this.#queue.get(key) ?? Promise.resolve();
    const work = before
      .then(async () => {
        const delay = Math.max(0, (this.#lastRun.get(key) ?? 0) + this.intervalMs - Date.now());
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        // Votes from here on ask for a new refresh, which waits for this one and then the interval.
        this.#waiting.delete(key);
        this.#lastRun.set(key, Date.now());
        await this.#refresh(entry.client, teamId, proposalId);
      })
      .catch((error: unknown) =>
        this.log.warn({ err: error, proposalId }, 'could not update a proposal’s tally'),
      );
    this.#queue.set(key, work);
    void work.finally(() => {
      if (this.#queue.get(key) === work) this.#queue.delete(key);
    });
    this.inFlight.track(work);
  }

  async #refresh(client: Client, teamId: string, proposalId: number): Promise<void> {
    const proposal = await findProposal(this.db, teamId, proposalId);
    // A closed proposal's final message goes out through the outbox with its outcome.
    if (proposal?.status !== 'open') return;
    const posted = await postedMessageOf(this.db, teamId, proposalId);
    if (!posted?.message_channel || !posted.message_ts) return;
    const state = await proposalState(this.db, proposal);
    const message = proposalMessage(state, votesNeeded(state));
    const sender = webSender(client);
    await sender.update(posted.message_channel, posted.message_ts, message.text, message.blocks);
    // The vote may have closed while this update was on its way (slow, or retried after a 429), and the
    // final message may have reached Slack first; this update would then have put the buttons back, so the
    // final state goes again. A close after this read sends its own final message after this update.
    const after = await findProposal(this.db, teamId, proposalId);
    if (!after || after.status === 'open') return;
    const final = finalMessage(await proposalState(this.db, after));
    await sender.update(posted.message_channel, posted.message_ts, final.text, final.blocks);
  }
}

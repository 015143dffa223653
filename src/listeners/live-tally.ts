import type { AllMiddlewareArgs } from '@slack/bolt';
import type { Db } from '../db/database.js';
import { findProposal, postedMessageOf } from '../db/proposals.js';
import type { Logger } from '../logger.js';
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
 * rendering whatever the database holds when it runs, so the last vote of a burst is always shown. Each
 * waiting refresh is held in flight, so a shutdown (or a test) waits for it.
 */
export class LiveTally {
  readonly #waiting = new Map<string, { client: Client }>();
  readonly #lastRun = new Map<string, number>();

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
    const delay = Math.max(0, (this.#lastRun.get(key) ?? 0) + this.intervalMs - Date.now());
    const work = new Promise<void>((resolve) => {
      setTimeout(() => {
        // Votes from here on ask for a new refresh, which waits out the interval after this one.
        this.#waiting.delete(key);
        this.#lastRun.set(key, Date.now());
        this.#refresh(entry.client, teamId, proposalId)
          .catch((error: unknown) =>
            this.log.warn({ err: error, proposalId }, 'could not update a proposal’s tally'),
          )
          .finally(resolve);
      }, delay);
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
    await webSender(client).update(posted.message_channel, posted.message_ts, message.text, message.blocks);
  }
}

import type { AllMiddlewareArgs } from '@slack/bolt';
import type { Db } from '../db/database.js';
import { findProposal, postedMessageOf } from '../db/proposals.js';
import type { Logger } from '../logger.js';
import { finalVotesNeeded, type MessagePace } from '../services/proposal-closing.js';
import { proposalState, votesNeeded } from '../services/proposals.js';
import { webSender } from '../slack/web-sender.js';
import { proposalMessage } from '../views/proposals.js';
import type { InFlight } from './in-flight.js';
import { type Pacer, realTime, Turns } from './pacer.js';

type Client = AllMiddlewareArgs['client'];

/** chat.update allows about one call per second per message before Slack starts refusing. */
const MIN_INTERVAL_MS = 1000;

/**
 * Keeps each open proposal's message showing its live tally without exceeding chat.update's rate: a vote
 * asks for a refresh; one already waiting covers it, and a refresh runs at most once a second per proposal,
 * rendering whatever the database holds when it runs, so the last vote of a burst is always shown.
 *
 * Every update of the message made here takes a turn: a refresh, and the final message of a close made
 * in this instance (`paceFor`, given to the close), which waits for the second after the last refresh
 * began instead of overtaking it. So no two updates of one message start within a second, and the last
 * one is the final state. Each waiting turn is held in flight, so a shutdown (or a test) waits for it.
 */
export class LiveTally {
  readonly #waiting = new Map<string, { client: Client }>();
  /** Proposals whose final message waits for its turn (`waiting`) or went (`sent`) from here. */
  readonly #final = new Map<string, 'waiting' | 'sent'>();
  readonly #turns: Turns;

  constructor(
    inFlight: InFlight,
    private readonly db: Db,
    private readonly log: Logger,
    intervalMs = MIN_INTERVAL_MS,
    pacer: Pacer = realTime,
  ) {
    this.#turns = new Turns(
      pacer,
      intervalMs,
      (work) => void inFlight.track(work),
      (error, key) => this.log.warn({ err: error, proposal: key }, 'could not update a proposal’s message'),
    );
  }

  request(client: Client, teamId: string, proposalId: number): void {
    const key = `${teamId}:${proposalId}`;
    if (this.#final.has(key)) return;
    const waiting = this.#waiting.get(key);
    if (waiting) {
      waiting.client = client;
      return;
    }
    const entry = { client };
    this.#waiting.set(key, entry);
    this.#turns.enqueue(key, async () => {
      // Votes from here on ask for a new refresh, which takes the next turn.
      this.#waiting.delete(key);
      return this.#refresh(entry.client, teamId, proposalId);
    });
  }

  /** The pace a close in this instance keeps for the proposal's final message (see ClosingSlack). */
  paceFor(): MessagePace {
    return {
      nextTurnIn: (teamId, proposalId) => this.#turns.nextIn(`${teamId}:${proposalId}`),
      inTurn: (teamId, proposalId, send) => {
        const key = `${teamId}:${proposalId}`;
        this.#final.set(key, 'waiting');
        this.#turns.reserve(key, async () => {
          this.#final.set(key, 'sent');
          await send();
        });
      },
    };
  }

  /** Updates the open proposal's message; resolves to whether an update was sent. */
  async #refresh(client: Client, teamId: string, proposalId: number): Promise<boolean> {
    const key = `${teamId}:${proposalId}`;
    const proposal = await findProposal(this.db, teamId, proposalId);
    // A closed proposal's final message goes out through the outbox with its outcome.
    if (proposal?.status !== 'open') return false;
    const posted = await postedMessageOf(this.db, teamId, proposalId);
    if (!posted?.message_channel || !posted.message_ts) return false;
    const { message_channel: channel, message_ts: ts } = posted;
    const state = await proposalState(this.db, proposal);
    const message = proposalMessage(state, votesNeeded(state));
    // The vote closed while this was read: its final message has the turn after this one, and an open
    // state sent now would only go before it. The turn stays taken.
    if (this.#final.has(key)) return true;
    const sender = webSender(client);
    await sender.update(channel, ts, message.text, message.blocks);
    // The vote may have closed while this update was on its way (slow, or retried after a 429), and the
    // final message may have reached Slack first; this update would then have put the buttons back, so the
    // final state goes again, in the next turn. A final message still waiting for its turn goes after.
    const after = await findProposal(this.db, teamId, proposalId);
    if (!after || after.status === 'open' || this.#final.get(key) === 'waiting') return true;
    this.#final.set(key, 'waiting');
    this.#turns.reserve(key, async () => {
      this.#final.set(key, 'sent');
      const closed = await proposalState(this.db, after);
      const final = proposalMessage(closed, finalVotesNeeded(closed));
      await sender.update(channel, ts, final.text, final.blocks);
    });
    return true;
  }
}

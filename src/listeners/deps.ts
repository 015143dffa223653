import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { AfterAck } from './after-ack.js';
import type { HomePublisher } from './home.js';
import type { LiveTally } from './live-tally.js';

/** What every listener may use; the Slack client arrives with each request. */
export interface ListenerDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly adminIds: readonly string[];
  /** Refreshes proposals' live tallies, coalesced to chat.update's rate. */
  readonly liveTally: LiveTally;
  /** Republishes App Homes that changed, within views.publish's rate tier. */
  readonly homes: HomePublisher;
  /** Where a click's work after its ack waits its turn (see AfterAck). */
  readonly afterAck: AfterAck;
}

import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';

/** What every listener may use; the Slack client arrives with each request. */
export interface ListenerDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly adminIds: readonly string[];
}

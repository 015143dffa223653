import type { Db } from '../db/database.js';
import type { OutboxRow } from '../db/schema.js';
import { checkinMessageStillWanted } from './checkin-rounds.js';
import type { StillWanted } from './delivery.js';
import { stepMessageStillWanted } from './nudges.js';

/** Every kind of queued message's own test of whether it still says something true when its turn comes. */
export function messageStillWanted(db: Db): StillWanted {
  const rules: StillWanted[] = [stepMessageStillWanted(db), checkinMessageStillWanted(db)];
  return async (row: OutboxRow, now: Date) => {
    for (const rule of rules) if (!(await rule(row, now))) return false;
    return true;
  };
}

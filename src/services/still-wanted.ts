import type { Db } from '../db/database.js';
import { checkinMessageStillWanted } from './checkin-rounds.js';
import type { StillWanted } from './delivery.js';
import { stepMessageStillWanted } from './nudges.js';
import { proposalMessageStillWanted } from './proposal-closing.js';

/** Every feature's check, together: a queued message goes out only if each one that knows it agrees. */
export function queuedMessageStillWanted(db: Db): StillWanted {
  const checks = [stepMessageStillWanted(db), checkinMessageStillWanted(db), proposalMessageStillWanted(db)];
  return async (row, now) => {
    for (const check of checks) if (!(await check(row, now))) return false;
    return true;
  };
}

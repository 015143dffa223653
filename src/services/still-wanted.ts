import type { Db } from '../db/database.js';
import { findPerson } from '../db/people.js';
import { checkinMessageStillWanted } from './checkin-rounds.js';
import type { StillWanted } from './delivery.js';
import { stepMessageStillWanted } from './nudges.js';
import { proposalMessageStillWanted } from './proposal-closing.js';

/** A direct message (addressed by user ID) reaches no one once the account is deactivated. */
function recipientStillActive(db: Db): StillWanted {
  return async (row) => {
    if (!/^[UW]/.test(row.channel_id)) return true;
    return !(await findPerson(db, row.team_id, row.channel_id))?.deleted;
  };
}

/** Every feature's check, together: a queued message goes out only if each one that knows it agrees. */
export function queuedMessageStillWanted(db: Db): StillWanted {
  const checks = [
    recipientStillActive(db),
    stepMessageStillWanted(db),
    checkinMessageStillWanted(db),
    proposalMessageStillWanted(db),
  ];
  return async (row, now) => {
    for (const check of checks) if (!(await check(row, now))) return false;
    return true;
  };
}

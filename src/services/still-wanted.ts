import type { Db } from '../db/database.js';
import { findPerson } from '../db/people.js';
import type { StillWanted } from './delivery.js';
import { declaredKind } from './outgoing.js';

/** A direct message (addressed by user ID) reaches no one once the account is deactivated. */
function recipientStillActive(db: Db): StillWanted {
  return async (row) => {
    if (!/^[UW]/.test(row.channel_id)) return true;
    return !(await findPerson(db, row.team_id, row.channel_id))?.deleted;
  };
}

/**
 * Whether a queued message still says something true: its recipient is still there, and its kind's own
 * check (src/messages/) agrees. A kind no module declares has no check of its own.
 */
export function queuedMessageStillWanted(db: Db): StillWanted {
  const active = recipientStillActive(db);
  return async (row, now) => {
    if (!(await active(row, now))) return false;
    const check = declaredKind(row.kind)?.stillWanted;
    return check ? check(db, row, now) : true;
  };
}

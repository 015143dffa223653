import type { Db } from '../db/database.js';
import { type Once, wasTaken } from '../db/interaction-effects.js';

export type { Once };

/**
 * The answer to a form submission or click that already took effect: it is answered as the first one was
 * (a form closes, a button's message already shows its result) and changes nothing.
 */
export interface Repeat {
  ok: false;
  reason: 'repeat';
}

export const REPEAT: Repeat = { ok: false, reason: 'repeat' };

/**
 * A refusal reached after the first check that `once` was not yet taken. If the same form, submitted
 * again (on another instance, say), took effect in between, the refusal is that effect's own doing (the
 * name is now taken by the group it made, the date is the one it agreed), and the answer is the twin's:
 * a repeat. Otherwise the refusal stands.
 */
export async function unlessTwinTook<T>(db: Db, once: Once | undefined, refusal: T): Promise<T | Repeat> {
  return (await wasTaken(db, once)) ? REPEAT : refusal;
}

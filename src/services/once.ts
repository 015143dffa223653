export type { Once } from '../db/interaction-effects.js';

/**
 * The answer to a form submission or click that already took effect: it is answered as the first one was
 * (a form closes, a button's message already shows its result) and changes nothing.
 */
export interface Repeat {
  ok: false;
  reason: 'repeat';
}

export const REPEAT: Repeat = { ok: false, reason: 'repeat' };

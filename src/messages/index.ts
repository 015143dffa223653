/**
 * Every kind of message Concert sends, declared once: the registry. Each area's module declares its kinds
 * (the once-key, the view that renders it, whether it is still wanted at its turn, what a permanent failure
 * means and who hears of it); this object names them, and its keys are the outbox's `kind`s.
 *
 * Services say what to send (a kind and its data: services/outgoing.ts) and never import a view: the
 * registry is handed to them once by whatever composes Concert (`useMessages(MESSAGES)`). A message is
 * rendered when it is queued, inside the transaction that decides it, so what a person sees is fixed then
 * (the digest's figures at its moment, a proposal's tally as the close counted it) and the row that is sent,
 * exactly once, by delivery.ts is the row that was decided.
 */
import * as actionSteps from './action-steps.js';
import * as checkins from './checkins.js';
import * as digest from './digest.js';
import * as joinRequests from './join-requests.js';
import * as lifecycle from './lifecycle.js';
import * as partnerships from './partnerships.js';
import * as proposals from './proposals.js';

export const MESSAGES = {
  ...actionSteps,
  ...checkins,
  ...proposals,
  ...digest,
  ...joinRequests,
  ...partnerships,
  ...lifecycle,
} as const;

export type Messages = typeof MESSAGES;
/** A declared kind's name: the outbox row's `kind`. */
export type MessageName = keyof Messages;
/** What each kind is rendered from. */
export type MessageData = {
  [K in MessageName]: Parameters<Messages[K]['render']>[0];
};

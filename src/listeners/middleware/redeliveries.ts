import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { forgetDelivery, receiveDelivery } from '../../db/slack-deliveries.js';
import { urgently } from '../../db/urgent.js';
import { JOURNAL_REPLAY } from '../../slack/event-journal.js';
import type { ListenerDeps } from '../deps.js';
import { actorOf, KNOWN_ACTOR } from './authorization.js';

type Body = Record<string, unknown> & {
  type?: string;
  event_id?: string;
  trigger_id?: string;
  command?: string;
};

/** What identifies one delivery: Slack's retries of it (x-slack-retry-num) carry the same identity. */
export function deliveryKey(body: Body): string | undefined {
  if (body.type === 'event_callback' && body.event_id) return `event:${body.event_id}`;
  if (body.command && body.trigger_id) return `command:${body.trigger_id}`;
  if (body.type && body.trigger_id) return `${body.type}:${body.trigger_id}`;
  return undefined;
}

function teamOf(body: Body, contextTeam: string | undefined): string {
  const team = (body.team as { id?: string } | undefined)?.id;
  return contextTeam ?? (body.team_id as string | undefined) ?? team ?? '';
}

/**
 * Runs each delivery once. A redelivery of something already handled is acknowledged and dropped; if the
 * first handling failed, its record is removed so Slack's retry gets a real second chance (and a replay from
 * the event journal is applied even if that removal failed with the database). A second click
 * or submission of the same thing comes with a trigger ID of its own, so it is no redelivery: the effect
 * itself takes its view or message action once (listeners/interaction-key.ts, db/interaction-effects.ts).
 *
 * The record is written in the same statement that reads the person acting (for `onlyPeople`, through the
 * context under KNOWN_ACTOR), so what must precede the ack costs one round trip to the database.
 */
export function onlyOnce({ db, clock, log }: ListenerDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, context, next } = args;
    const key = deliveryKey(body as Body);
    const actor = actorOf(body as Parameters<typeof actorOf>[0]);
    const teamId = teamOf(body as Body, context.teamId);
    if (!key && !(actor && teamId)) return next();
    const { recorded, person } = await urgently(() =>
      receiveDelivery(db, { teamId, key, userId: actor && teamId ? actor.userId : undefined }, clock()),
    );
    if (actor && teamId) context[KNOWN_ACTOR] = { teamId, userId: actor.userId, person };
    if (!key) return next();
    // A replay from the event journal is of an event whose handling never finished: applied whatever the record.
    if (!recorded && context.retryReason !== JOURNAL_REPLAY) {
      log.info({ key, teamId, retryNum: context.retryNum }, 'dropped a redelivery');
      if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
      return;
    }
    try {
      await next();
    } catch (error) {
      await forgetDelivery(db, teamId, key);
      throw error;
    }
  };
}

import type { AnyMiddlewareArgs, Middleware, RespondFn } from '@slack/bolt';
import type { Person } from '../../db/schema.js';
import { urgently } from '../../db/urgent.js';
import { standingOf } from '../../services/authorization.js';
import { standingRefusalText } from '../../views/refusals.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

type Body = Record<string, unknown> & {
  type?: string;
  command?: string;
  user_id?: string;
  user?: { id?: string; team_id?: string } | null;
  enterprise?: unknown;
  is_enterprise_install?: unknown;
  event?: { type?: string; user?: string };
  channel?: { id?: string } | null;
  container?: { channel_id?: string } | null;
  response_url?: string;
};

/**
 * Where `onlyOnce` leaves the person acting in a request, read with the delivery's record: `{ teamId,
 * userId, person }`, person undefined when Concert does not know them.
 */
export const KNOWN_ACTOR = 'concertKnownActor';

/** Who is acting in a request, and the workspace Slack says they belong to; undefined when nobody is. */
export function actorOf(
  body: Body,
): { kind: 'command' | 'interaction' | 'event'; userId: string; userTeamId?: string } | undefined {
  if (typeof body.command === 'string' && typeof body.user_id === 'string') {
    return { kind: 'command', userId: body.user_id };
  }
  if (body.type === 'event_callback') {
    // Of the events, only opening the App Home is a person's doing; the others are Slack's news.
    const event = body.event;
    return event?.type === 'app_home_opened' && typeof event.user === 'string'
      ? { kind: 'event', userId: event.user }
      : undefined;
  }
  const user = body.user;
  if (body.type && user && typeof user.id === 'string') {
    // In an Enterprise Grid org a person's home workspace may differ from the one they act in.
    const grid = body.enterprise != null || body.is_enterprise_install === true;
    const userTeamId = !grid && typeof user.team_id === 'string' ? user.team_id : undefined;
    return { kind: 'interaction', userId: user.id, ...(userTeamId ? { userTeamId } : {}) };
  }
  return undefined;
}

/**
 * Before any listener: a request from an account that may not act through Concert at all (a bot, a
 * deactivated account, someone of another workspace; see services/authorization.ts) is acknowledged,
 * answered with an ephemeral refusal where someone is waiting, and goes no further.
 */
export function onlyPeople(deps: ListenerDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { context, next, client } = args;
    const body = args.body as Body;
    const actor = actorOf(body);
    let teamId: string | undefined;
    try {
      teamId = teamIdOf({ context, body });
    } catch {
      teamId = undefined;
    }
    if (!actor || !teamId) return next();
    const known = context[KNOWN_ACTOR] as
      | { teamId: string; userId: string; person: Person | undefined }
      | undefined;
    const standing = await urgently(() =>
      standingOf(
        deps.db,
        directoryFor({ client, context }),
        { teamId, userId: actor.userId, userTeamId: actor.userTeamId },
        deps.clock(),
        known?.teamId === teamId && known.userId === actor.userId ? { person: known.person } : undefined,
      ),
    );
    if (standing.ok) return next();
    deps.log.info(
      { teamId, userId: actor.userId, reason: standing.reason, type: body.type },
      'refused a request',
    );
    if (actor.kind === 'event') return;
    const text = standingRefusalText(standing.reason);
    const ack =
      'ack' in args && typeof args.ack === 'function'
        ? (args.ack as (answer?: unknown) => Promise<void>)
        : undefined;
    if (actor.kind === 'command') {
      await ack?.({ response_type: 'ephemeral', text });
      return;
    }
    await ack?.();
    // A closed form, say, has nobody waiting on it: refused without a word.
    if (!WAITING.has(body.type ?? '')) return;
    const respond = 'respond' in args && body.response_url ? (args.respond as RespondFn) : undefined;
    const channelId = body.channel?.id ?? body.container?.channel_id;
    try {
      await tellUser({ client, respond, userId: actor.userId, channelId }, text);
    } catch (error) {
      // Nothing was done either way; an account Slack will not deliver to (another workspace's) is no failure.
      deps.log.info({ err: error, teamId, userId: actor.userId }, 'could not deliver a refusal');
    }
  };
}

/** Interactions whose sender waits to see what happened. */
const WAITING = new Set(['block_actions', 'view_submission', 'shortcut', 'message_action']);

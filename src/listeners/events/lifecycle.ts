import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { deliverDue } from '../../services/delivery.js';
import { appRemoved, channelLost, channelRegained, userChanged } from '../../services/lifecycle.js';
import { queuedMessageStillWanted } from '../../services/still-wanted.js';
import { slackUserOf } from '../../slack/web-directory.js';
import { webSender } from '../../slack/web-sender.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import type { Routes } from '../routes.js';

type EventArgs<T extends string> = SlackEventMiddlewareArgs<T> & AllMiddlewareArgs;

/** Notices the backbone must act on go at once, not at the next tick. */
export async function sendNow(
  deps: ListenerDeps,
  client: WebClient,
  ids: number[],
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await deliverDue(deps.db, webSender(client), queuedMessageStillWanted(deps.db), now, deps.log, { ids });
}

type LostEvent =
  | 'channel_archive'
  | 'group_archive'
  | 'channel_deleted'
  | 'group_deleted'
  | 'channel_left'
  | 'group_left';

function lost<T extends LostEvent>(deps: ListenerDeps, how: 'archived' | 'deleted' | 'removed') {
  return async ({ event, client, context, body }: EventArgs<T>) => {
    const now = deps.clock();
    const channelId = (event as { channel: string }).channel;
    await sendNow(
      deps,
      client,
      await channelLost(deps.db, teamIdOf({ context, body }), channelId, how, now),
      now,
    );
  };
}

function regained<T extends 'channel_unarchive' | 'group_unarchive'>(deps: ListenerDeps) {
  return async ({ event, client, context, body }: EventArgs<T>) => {
    const now = deps.clock();
    const teamId = teamIdOf({ context, body });
    const channelId = (event as { channel: string }).channel;
    const ids = await channelRegained(deps.db, directoryFor({ client, context }), teamId, channelId, now);
    await sendNow(deps, client, ids, now);
  };
}

function userChange(deps: ListenerDeps) {
  return async ({ event, client, context, body }: EventArgs<'user_change'>) => {
    const user = slackUserOf(event.user);
    const directory = directoryFor({ client, context });
    await userChanged(deps.db, directory, teamIdOf({ context, body }), user, deps.clock(), deps.log);
  };
}

/**
 * Slack's lifecycle: channels archived, unarchived, deleted or left by Concert; people deactivated or
 * reactivated; the app uninstalled or its tokens revoked. A renamed channel needs nothing: Concert keeps
 * channel IDs, and Slack shows every `<#ID>` under its current name.
 */
export function register(routes: Routes, deps: ListenerDeps): void {
  routes.event('channel_archive', lost<'channel_archive'>(deps, 'archived'));
  routes.event('group_archive', lost<'group_archive'>(deps, 'archived'));
  routes.event('channel_deleted', lost<'channel_deleted'>(deps, 'deleted'));
  routes.event('group_deleted', lost<'group_deleted'>(deps, 'deleted'));
  routes.event('channel_left', lost<'channel_left'>(deps, 'removed'));
  routes.event('group_left', lost<'group_left'>(deps, 'removed'));
  routes.event('channel_unarchive', regained<'channel_unarchive'>(deps));
  routes.event('group_unarchive', regained<'group_unarchive'>(deps));
  routes.event('channel_rename', async ({ event }) => {
    deps.log.debug({ channel: event.channel.id }, 'a channel was renamed; nothing to change');
  });
  routes.event('group_rename', async ({ event }) => {
    deps.log.debug({ channel: event.channel.id }, 'a private channel was renamed; nothing to change');
  });
  routes.event('user_change', userChange(deps));
  const removedFrom = ({ context, body }: Pick<AllMiddlewareArgs, 'context'> & { body: unknown }) => ({
    teamId: teamIdOf({ context, body }),
    enterpriseId: context.enterpriseId,
    orgWide: context.isEnterpriseInstall,
  });
  routes.event('app_uninstalled', async (args) => {
    await appRemoved(deps.db, removedFrom(args), 'app_uninstalled', deps.clock());
  });
  routes.event('tokens_revoked', async (args) => {
    if ((args.event.tokens.bot ?? []).length === 0) return;
    await appRemoved(deps.db, removedFrom(args), 'tokens_revoked', deps.clock());
  });
}

import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { channelLost, channelRegained } from '../../services/lifecycle.js';
import { memberJoined, memberLeft } from '../../services/membership.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import type { Routes } from '../routes.js';
import { register as registerLifecycle, sendNow } from './lifecycle.js';

type EventArgs<T extends string> = SlackEventMiddlewareArgs<T> & AllMiddlewareArgs;

function memberJoinedChannel(deps: ListenerDeps) {
  return async ({ event, client, context, body }: EventArgs<'member_joined_channel'>) => {
    const teamId = teamIdOf({ context, body });
    const directory = directoryFor({ client, context });
    if (event.user === context.botUserId) {
      // Invited into a channel that already carries a role: catch up on everyone who is there, and if it
      // could not be reached before, it is back.
      const now = deps.clock();
      await sendNow(deps, client, await channelRegained(deps.db, directory, teamId, event.channel, now), now);
      return;
    }
    await memberJoined(deps.db, directory, teamId, event.channel, event.user, deps.clock());
  };
}

function memberLeftChannel(deps: ListenerDeps) {
  return async ({ event, client, context, body }: EventArgs<'member_left_channel'>) => {
    const teamId = teamIdOf({ context, body });
    if (event.user === context.botUserId) {
      // Concert itself was removed: it can no longer post there, and the backbone must invite it back.
      const now = deps.clock();
      await sendNow(deps, client, await channelLost(deps.db, teamId, event.channel, 'removed', now), now);
      return;
    }
    await memberLeft(deps.db, teamId, event.channel, event.user);
  };
}

function appHomeOpened(deps: ListenerDeps) {
  return async ({ event, client, context, body }: EventArgs<'app_home_opened'>) => {
    if (event.tab !== 'home') return;
    deps.homes.request(
      deps,
      client,
      directoryFor({ client, context }),
      teamIdOf({ context, body }),
      event.user,
    );
  };
}

export function register(routes: Routes, deps: ListenerDeps): void {
  routes.event('member_joined_channel', memberJoinedChannel(deps));
  routes.event('member_left_channel', memberLeftChannel(deps));
  routes.event('app_home_opened', appHomeOpened(deps));
  registerLifecycle(routes, deps);
}

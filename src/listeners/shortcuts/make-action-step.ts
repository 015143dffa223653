import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { listActiveWorkGroups } from '../../db/work-groups.js';
import { TITLE_MAX } from '../../services/action-steps.js';
import { rolesOf } from '../../services/roles.js';
import { stepModal } from '../../views/action-steps.js';
import { refusalText } from '../../views/refusals.js';
import { readableText } from '../../views/text.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** “Make an action step” on a message: the same form as /commit, prefilled from the message. */
export function makeActionStepShortcut(deps: ListenerDeps) {
  return async ({ ack, shortcut, client, context, body, respond }: ShortcutArgs): Promise<void> => {
    await ack();
    const teamId = teamIdOf({ context, body });
    const userId = shortcut.user.id;
    const roles = await rolesOf(deps.db, teamId, userId);
    if (!roles.isSetUp) {
      await tellUser({ client, respond, userId }, refusalText({ reason: 'not-set-up' }, 'make action steps'));
      return;
    }
    const text = readableText(shortcut.message.text ?? '');
    const firstLine = text.split('\n')[0] ?? '';
    const title = firstLine.length > TITLE_MAX ? `${firstLine.slice(0, TITLE_MAX - 1)}…` : firstLine;
    const groups = await listActiveWorkGroups(deps.db, teamId);
    const channelGroup = groups.find((g) => g.channel_id === shortcut.channel.id);
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: stepModal(
        {
          title,
          details: text === title ? null : text,
          ownerId: userId,
          workGroupId:
            channelGroup?.id ?? (roles.workGroups.length === 1 ? (roles.workGroups[0]?.id ?? null) : null),
        },
        groups,
        {
          source: 'shortcut',
          channelId: shortcut.channel.id,
          messageChannel: shortcut.channel.id,
          messageTs: shortcut.message.ts,
        },
      ),
    });
  };
}

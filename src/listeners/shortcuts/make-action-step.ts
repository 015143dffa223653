import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { listActiveWorkGroups } from '../../db/work-groups.js';
import { TITLE_MAX } from '../../services/action-steps.js';
import { rolesOf } from '../../services/roles.js';
import { stepModal } from '../../views/action-steps.js';
import { refusalText } from '../../views/refusals.js';
import { clip } from '../../views/text.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';
import { typedText } from '../typed-text.js';

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
    const text = await typedText(deps, { client, context }, teamId, shortcut.message.text ?? '');
    const title = clip(text.split('\n')[0] ?? '', TITLE_MAX);
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

import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { deliverDue } from '../../services/delivery.js';
import { digestFor, nudgeAllOverdue, weeksOf } from '../../services/digest.js';
import { mayActAsBackbone } from '../../services/roles.js';
import { queuedMessageStillWanted } from '../../services/still-wanted.js';
import { webSender } from '../../slack/web-sender.js';
import { refusalText } from '../../views/refusals.js';
import { channel, list, user } from '../../views/text.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** The digest's two buttons: both are the backbone's, and say so to anyone else. */
export function digestButton(deps: ListenerDeps, kind: 'post' | 'nudge-all') {
  return async ({ ack, body, action, client, context, respond }: ButtonArgs) => {
    await ack();
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const reply = (text: string) =>
      tellUser({ client, respond: body.response_url ? respond : undefined, userId }, text);
    const permission = await mayActAsBackbone(deps.db, teamId, userId);
    if (!permission.allowed) {
      await reply(refusalText(permission, kind === 'post' ? 'post the digest' : 'nudge everyone overdue'));
      return;
    }
    const weeks = weeksOf(action.value ?? '') ?? 1;
    const now = deps.clock();
    const backbone = permission.roles.workspace?.backbone_channel_id;
    if (kind === 'post') {
      if (!backbone) return;
      for (const message of await digestFor(deps.db, teamId, now, weeks, false))
        await client.chat.postMessage({ channel: backbone, ...message, unfurl_links: false });
      await reply(`Posted in ${channel(backbone)}.`);
      return;
    }
    const { ids, owners } = await nudgeAllOverdue(deps.db, teamId, userId, now, weeks);
    if (ids.length > 0) {
      await deliverDue(deps.db, webSender(client), queuedMessageStillWanted(deps.db), now, deps.log, { ids });
    }
    await reply(
      owners.length === 0
        ? 'Nobody has an overdue action step.'
        : ids.length === 0
          ? 'Everyone overdue was already nudged from this digest.'
          : `Nudged ${list(owners.map(user))} about their overdue action steps.`,
    );
  };
}

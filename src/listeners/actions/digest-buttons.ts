import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { deliverDue } from '../../services/delivery.js';
import { nudgeAllOverdue, queueDigestPost, weeksOf } from '../../services/digest.js';
import { mayActAsBackbone } from '../../services/roles.js';
import { queuedMessageStillWanted } from '../../services/still-wanted.js';
import { webSender } from '../../slack/web-sender.js';
import { refusalText } from '../../views/refusals.js';
import { channel, list, user } from '../../views/text.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { actionOnce } from '../interaction-key.js';
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
    const once = actionOnce(teamId, body, action);
    const send = (ids: number[]) =>
      deliverDue(deps.db, webSender(client), queuedMessageStillWanted(deps.db), now, deps.log, { ids });
    if (kind === 'post') {
      if (!backbone) return;
      const ids = await queueDigestPost(deps.db, teamId, backbone, now, weeks, once);
      if (!Array.isArray(ids)) return;
      await send(ids);
      await reply(`Posted in ${channel(backbone)}.`);
      return;
    }
    const nudged = await nudgeAllOverdue(deps.db, teamId, userId, now, weeks, once);
    if ('reason' in nudged) return;
    const { ids, owners } = nudged;
    if (ids.length > 0) await send(ids);
    await reply(
      owners.length === 0
        ? 'Nobody has an overdue action step.'
        : ids.length === 0
          ? 'Everyone overdue was already nudged from this digest.'
          : `Nudged ${list(owners.map(user))} about their overdue action steps.`,
    );
  };
}

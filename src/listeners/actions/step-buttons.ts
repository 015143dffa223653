import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { findActionStep, listActionStepEvents } from '../../db/action-steps.js';
import type { ActionStep } from '../../db/schema.js';
import { findWorkspace } from '../../db/workspaces.js';
import {
  type ChangeRefusal,
  changeActionStep,
  mayChangeStep,
  mayViewStep,
  timeZoneFor,
} from '../../services/action-steps.js';
import { localDate } from '../../services/time.js';
import {
  type ChangeModalMetadata,
  dropModal,
  newDateModal,
  stepDetailsModal,
  supportModal,
} from '../../views/action-steps.js';
import { channel, user } from '../../views/text.js';
import { clickedMessage, refreshStepCopy } from '../copies.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { actionOnce } from '../interaction-key.js';
import { tellUser } from '../reply.js';
import { afterStepChange } from '../steps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Why a change was not made, naming who may make it. */
export function changeRefusalText(refusal: ChangeRefusal, backboneChannelId?: string | null): string {
  switch (refusal.reason) {
    case 'not-found':
      return 'That action step no longer exists.';
    case 'not-allowed': {
      const backbone = backboneChannelId
        ? `members of the backbone channel ${channel(backboneChannelId)}`
        : 'the backbone';
      return `Only ${user(refusal.step.owner_id)} (who owns it), ${user(refusal.step.created_by)} (who made it) or ${backbone} can change this action step.`;
    }
    case 'closed': {
      const by = refusal.closedBy ? ` by ${user(refusal.closedBy.actor_id)}` : '';
      return `This action step was already ${refusal.step.status === 'done' ? 'marked done' : 'dropped'}${by}; nothing changed.`;
    }
  }
}

/** Why a step's details were not shown, naming who may see them. */
function viewRefusalText(step: ActionStep, backboneChannelId?: string | null): string {
  const backbone = backboneChannelId ? `the backbone channel ${channel(backboneChannelId)}` : 'the backbone';
  return `Only ${user(step.owner_id)} (who owns it), ${user(step.created_by)} (who made it), the members of its work group and of ${backbone} can see this action step.`;
}

function origin(body: BlockButtonAction) {
  return { userId: body.user.id, channelId: body.channel?.id ?? body.container?.channel_id };
}

/** The four buttons on a step, and *Open*; every one checks who is clicking before anything happens. */
export function stepButton(deps: ListenerDeps, kind: 'done' | 'new-date' | 'drop' | 'support' | 'open') {
  return async ({ ack, body, action, client, context, respond }: ButtonArgs) => {
    await ack();
    const teamId = teamIdOf({ context, body });
    const { userId, channelId } = origin(body);
    const isEphemeral = body.container?.is_ephemeral === true;
    const reply = (text: string) =>
      tellUser({ client, respond: body.response_url ? respond : undefined, userId, channelId }, text);
    const stepId = Number(action.value);
    const now = deps.clock();
    const step = await findActionStep(deps.db, teamId, stepId);
    if (!step) {
      await reply(changeRefusalText({ reason: 'not-found' }));
      return;
    }
    if (kind === 'open') {
      if (!(await mayViewStep(deps.db, step, userId))) {
        const backbone = (await findWorkspace(deps.db, teamId))?.backbone_channel_id;
        await reply(viewRefusalText(step, backbone));
        return;
      }
      const events = await listActionStepEvents(deps.db, teamId, stepId);
      const tz = await timeZoneFor(deps.db, teamId, userId);
      const view = stepDetailsModal(step, events, localDate(now, tz), tz);
      await client.views.open({ trigger_id: body.trigger_id, view });
      return;
    }
    const backbone = (await findWorkspace(deps.db, teamId))?.backbone_channel_id;
    if (kind === 'done') {
      const result = await changeActionStep(
        deps.db,
        { teamId, stepId, actorId: userId, change: { kind: 'done' } },
        now,
        actionOnce(teamId, body, action),
      );
      if (!result.ok) {
        if (result.reason !== 'invalid' && result.reason !== 'repeat')
          await reply(changeRefusalText(result, backbone));
        if (result.reason === 'closed')
          await refreshStepCopy(deps, client, result.step, clickedMessage(body));
        return;
      }
      await afterStepChange(deps, { client, context }, teamId, userId, result.step, result.event, {
        respond: isEphemeral && body.response_url ? respond : undefined,
      });
      await refreshStepCopy(deps, client, result.step, clickedMessage(body));
      return;
    }
    // The forms: refuse before opening one that could not be saved.
    if (!(await mayChangeStep(deps.db, step, userId))) {
      await reply(changeRefusalText({ reason: 'not-allowed', step }, backbone));
      return;
    }
    if (step.status !== 'open') {
      await reply(changeRefusalText({ reason: 'closed', step, closedBy: undefined }, backbone));
      await refreshStepCopy(deps, client, step, clickedMessage(body));
      return;
    }
    const meta: ChangeModalMetadata = { stepId, channelId };
    const view =
      kind === 'new-date'
        ? newDateModal(step, meta)
        : kind === 'drop'
          ? dropModal(step, meta)
          : supportModal(step, meta);
    await client.views.open({ trigger_id: body.trigger_id, view });
  };
}

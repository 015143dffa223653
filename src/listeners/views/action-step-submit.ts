import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { updateActionStep } from '../../db/action-steps.js';
import type { ActionStep } from '../../db/schema.js';
import {
  type ChangeField,
  type ChangeResult,
  changeActionStep,
  createActionStep,
  type StepChange,
  type StepField,
  todayFor,
} from '../../services/action-steps.js';
import { deliverDue } from '../../services/delivery.js';
import { queueAssignment } from '../../services/nudges.js';
import { queuedMessageStillWanted } from '../../services/still-wanted.js';
import { webSender } from '../../slack/web-sender.js';
import { type ChangeModalMetadata, type StepModalMetadata, stepSavedText } from '../../views/action-steps.js';
import { ACTION_STEP } from '../../views/ids.js';
import { changeRefusalText } from '../actions/step-buttons.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { viewOnce } from '../interaction-key.js';
import { tellUser } from '../reply.js';
import { afterStepChange } from '../steps.js';
import { blockErrors, stateReader, viewMetadata } from './state.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const STEP_BLOCKS: Record<StepField, { block: string; action: string }> = {
  title: ACTION_STEP.TITLE,
  owner: ACTION_STEP.OWNER,
  workGroup: ACTION_STEP.WORK_GROUP,
  dueDate: ACTION_STEP.DUE,
  details: ACTION_STEP.DETAILS,
};

/** The new action step form: validated first, so a refused form keeps what was typed and writes nothing. */
export function actionStepSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const meta = viewMetadata<StepModalMetadata>(view.private_metadata);
    const read = stateReader(view.state.values);
    const group = read.option(ACTION_STEP.WORK_GROUP);
    const directory = directoryFor({ client, context });
    const now = deps.clock();
    const result = await createActionStep(
      deps.db,
      directory,
      {
        teamId,
        createdBy: userId,
        source: meta.source === 'shortcut' ? 'shortcut' : 'commit',
        sourceRef: meta.messageTs ? `${meta.messageChannel}/${meta.messageTs}` : null,
        draft: {
          title: read.text(ACTION_STEP.TITLE),
          details: read.text(ACTION_STEP.DETAILS),
          ownerId: read.user(ACTION_STEP.OWNER),
          workGroupId: group ? Number(group) : null,
          dueDate: read.date(ACTION_STEP.DUE),
        },
      },
      now,
      viewOnce(teamId, view),
    );
    if (!result.ok) {
      // The same form again (a double click, a retry): it closes, and the first one's answer stands.
      await ack(
        result.reason === 'repeat'
          ? undefined
          : { response_action: 'errors', errors: blockErrors(result.errors, STEP_BLOCKS) },
      );
      return;
    }
    await ack();
    // Slack waits 3 s for the answer to a form; the message's link is asked for once the form is closed.
    const step =
      meta.source === 'shortcut' && meta.messageChannel && meta.messageTs
        ? await keepPermalink(deps, client, result.step, meta.messageChannel, meta.messageTs)
        : result.step;
    const today = await todayFor(deps.db, teamId, userId, now);
    if (step.owner_id !== userId) {
      const id = await queueAssignment(deps.db, step, now);
      if (id) {
        await deliverDue(deps.db, webSender(client), queuedMessageStillWanted(deps.db), now, deps.log, {
          ids: [id],
        });
      }
      deps.homes.request(deps, client, directory, teamId, step.owner_id);
    }
    await tellUser({ client, userId, channelId: meta.channelId }, stepSavedText(step, today, userId));
    deps.homes.request(deps, client, directory, teamId, userId);
  };
}

async function keepPermalink(
  deps: ListenerDeps,
  client: SubmitArgs['client'],
  step: ActionStep,
  channel: string,
  ts: string,
): Promise<ActionStep> {
  const permalink = await client.chat
    .getPermalink({ channel, message_ts: ts })
    .then((r) => r.permalink ?? null)
    .catch(() => null);
  return permalink ? updateActionStep(deps.db, step.team_id, step.id, { permalink }) : step;
}

const CHANGE_BLOCKS: Record<ChangeField, { block: string; action: string }> = {
  reason: ACTION_STEP.REASON,
  dueDate: ACTION_STEP.NEW_DUE,
  note: ACTION_STEP.NOTE,
};

/** New date, Drop and Need support: each a small form whose answer becomes one event on the step. */
export function stepChangeSubmitted(
  deps: ListenerDeps,
  toChange: (read: ReturnType<typeof stateReader>) => StepChange,
) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const meta = viewMetadata<ChangeModalMetadata>(view.private_metadata);
    const change = toChange(stateReader(view.state.values));
    const result: ChangeResult = await changeActionStep(
      deps.db,
      { teamId, stepId: Number(meta.stepId), actorId: userId, change },
      deps.clock(),
      viewOnce(teamId, view),
    );
    if (!result.ok) {
      if (result.reason === 'repeat') {
        await ack();
        return;
      }
      if (result.reason === 'invalid') {
        await ack({ response_action: 'errors', errors: blockErrors(result.errors, CHANGE_BLOCKS) });
        return;
      }
      // Refused (no longer allowed, or already closed): say so where the form is, in place of its first input.
      const firstInput = view.blocks.find((b) => b.type === 'input')?.block_id ?? ACTION_STEP.REASON.block;
      await ack({ response_action: 'errors', errors: { [firstInput]: changeRefusalText(result) } });
      return;
    }
    await ack();
    await afterStepChange(deps, { client, context }, teamId, userId, result.step, result.event, {});
  };
}

export const newDateChange = (read: ReturnType<typeof stateReader>): StepChange => ({
  kind: 'renegotiate',
  dueDate: read.date(ACTION_STEP.NEW_DUE),
  reason: read.text(ACTION_STEP.REASON),
});
export const dropChange = (read: ReturnType<typeof stateReader>): StepChange => ({
  kind: 'drop',
  reason: read.text(ACTION_STEP.REASON),
});
export const supportChange = (read: ReturnType<typeof stateReader>): StepChange => ({
  kind: 'support',
  note: read.text(ACTION_STEP.NOTE),
});

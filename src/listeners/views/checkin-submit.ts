import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import {
  type CheckinAnswers,
  type CheckinErrorKey,
  type CheckinTarget,
  NEXT_STEP_ROWS,
  submitCheckin,
} from '../../services/checkins.js';
import type { CheckinModalMetadata } from '../../views/checkins.js';
import { CHECKIN, nth } from '../../views/ids.js';
import { afterCheckinSaved, checkinRefusalText } from '../checkins.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { stateReader, viewMetadata } from './state.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const TOP_BLOCKS: Record<string, string> = {
  intention: CHECKIN.INTENTION.block,
  actionsTaken: CHECKIN.ACTIONS_TAKEN.block,
  assessment: CHECKIN.ASSESSMENT.block,
  assessmentNote: CHECKIN.ASSESSMENT_NOTE.block,
  support: CHECKIN.SUPPORT.block,
};

const PART_BLOCKS = {
  progress: CHECKIN.STEP_STATUS,
  date: CHECKIN.STEP_DATE,
  note: CHECKIN.STEP_NOTE,
  title: CHECKIN.NEXT_TITLE,
  dueDate: CHECKIN.NEXT_DUE,
  owner: CHECKIN.NEXT_OWNER,
} as const;

/** The input block each answer's error belongs under. */
function blockOf(key: CheckinErrorKey): string {
  const [kind, id, part] = key.split(':');
  if (kind === 'indicator' && id !== undefined) return nth(CHECKIN.INDICATOR_VALUE, id).block;
  if (id === undefined || part === undefined) return TOP_BLOCKS[key] ?? CHECKIN.INTENTION.block;
  return nth(PART_BLOCKS[part as keyof typeof PART_BLOCKS], id).block;
}

/** The answers in the form, read by block: one set per open step shown, one per next-step row. */
function answersOf(view: ViewSubmitAction['view']): CheckinAnswers {
  const read = stateReader(view.state.values);
  const stepIds = view.blocks
    .map((b) => b.block_id ?? '')
    .filter((id) => id.startsWith(CHECKIN.STEP_STATUS.block))
    .map((id) => Number(id.slice(CHECKIN.STEP_STATUS.block.length)));
  return {
    intention: read.text(CHECKIN.INTENTION),
    actionsTaken: read.text(CHECKIN.ACTIONS_TAKEN),
    assessment: read.option(CHECKIN.ASSESSMENT),
    assessmentNote: read.text(CHECKIN.ASSESSMENT_NOTE),
    support: read.text(CHECKIN.SUPPORT),
    steps: stepIds.map((stepId) => ({
      stepId,
      progress: read.option(nth(CHECKIN.STEP_STATUS, stepId)),
      newDate: read.date(nth(CHECKIN.STEP_DATE, stepId)),
      note: read.text(nth(CHECKIN.STEP_NOTE, stepId)),
    })),
    indicators: view.blocks
      .map((b) => b.block_id ?? '')
      .filter((id) => id.startsWith(CHECKIN.INDICATOR_VALUE.block))
      .map((id) => Number(id.slice(CHECKIN.INDICATOR_VALUE.block.length)))
      .map((indicatorId) => ({
        indicatorId,
        value: read.text(nth(CHECKIN.INDICATOR_VALUE, indicatorId)),
      })),
    next: Array.from({ length: NEXT_STEP_ROWS }, (_, row) => ({
      title: read.text(nth(CHECKIN.NEXT_TITLE, row)),
      dueDate: read.date(nth(CHECKIN.NEXT_DUE, row)),
      ownerId: read.user(nth(CHECKIN.NEXT_OWNER, row)),
    })),
  };
}

/** The check-in form: validated as a whole, so a refused form keeps every answer and writes nothing. */
export function checkinSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const meta = viewMetadata<CheckinModalMetadata>(view.private_metadata);
    const target: CheckinTarget = meta.checkinId
      ? { checkinId: meta.checkinId }
      : { groupId: Number(meta.groupId) };
    const result = await submitCheckin(
      deps.db,
      directoryFor({ client, context }),
      { teamId, userId, target, viewId: view.id, answers: answersOf(view) },
      deps.clock(),
    );
    if (!result.ok) {
      const errors: Record<string, string> = {};
      if (result.errors) {
        for (const [key, message] of Object.entries(result.errors)) {
          if (message) errors[blockOf(key as CheckinErrorKey)] = message;
        }
      } else errors[CHECKIN.INTENTION.block] = checkinRefusalText(result);
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    if (result.value.repeated) return;
    await afterCheckinSaved(deps, { client, context }, teamId, userId, result.value, meta.channelId);
  };
}

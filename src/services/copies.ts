import { listActionStepEvents } from '../db/action-steps.js';
import type { Db } from '../db/database.js';
import { isRecordedMessage } from '../db/outbox.js';
import { findProposal } from '../db/proposals.js';
import type { ActionStep, ActionStepEvent } from '../db/schema.js';
import { todayFor } from './action-steps.js';
import { type ProposalState, proposalState } from './proposals.js';
import type { IsoDate } from './time.js';

/** A message in a conversation, as Slack names it. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * A copy of a message Concert posted (a post whose answer Slack lost, sent again where Concert could not
 * look for it) is a message in a conversation that Concert has no record of posting.
 */
async function isCopy(db: Db, teamId: string, message: MessageRef | undefined): Promise<boolean> {
  if (!message) return false;
  return !(await isRecordedMessage(db, teamId, message.channel, message.ts));
}

/**
 * What a copy of a proposal's message should now show: the proposal as it stands (its live tally while
 * open, its outcome once closed). Undefined when `clicked` is no copy (Concert's own message keeps itself
 * up to date) or the proposal is gone.
 */
export async function proposalCopy(
  db: Db,
  teamId: string,
  proposalId: number,
  clicked: MessageRef | undefined,
): Promise<ProposalState | undefined> {
  if (!(await isCopy(db, teamId, clicked))) return undefined;
  const proposal = await findProposal(db, teamId, proposalId);
  return proposal ? proposalState(db, proposal) : undefined;
}

/**
 * What a copy of a message about a step should now show, once the step is closed (done or dropped): its
 * last event, with dates read as the owner's. Undefined while the step is open (the copy is still true) or
 * when `clicked` is no copy.
 */
export async function stepCopy(
  db: Db,
  step: ActionStep,
  clicked: MessageRef | undefined,
): Promise<{ event: ActionStepEvent; today: IsoDate } | undefined> {
  if (step.status === 'open' || !(await isCopy(db, step.team_id, clicked))) return undefined;
  const event = (await listActionStepEvents(db, step.team_id, step.id)).at(-1);
  if (!event) return undefined;
  return { event, today: await todayFor(db, step.team_id, step.owner_id, event.at) };
}

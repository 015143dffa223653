import type { AllMiddlewareArgs } from '@slack/bolt';
import { listActionStepEvents } from '../db/action-steps.js';
import { isRecordedMessage } from '../db/outbox.js';
import { findProposal } from '../db/proposals.js';
import type { ActionStep } from '../db/schema.js';
import { todayFor } from '../services/action-steps.js';
import { finalMessage } from '../services/proposal-closing.js';
import { proposalState, votesNeeded } from '../services/proposals.js';
import { webSender } from '../slack/web-sender.js';
import { outcomeMessage } from '../views/action-steps.js';
import { proposalMessage } from '../views/proposals.js';
import type { ListenerDeps } from './deps.js';

type Client = AllMiddlewareArgs['client'];

/** The message a button was clicked on, when it is one in a conversation (not ephemeral, not a view). */
export interface ClickedMessage {
  channel: string;
  ts: string;
}

interface ClickBody {
  container?: { type?: string; message_ts?: string; channel_id?: string; is_ephemeral?: boolean };
  channel?: { id?: string };
}

export function clickedMessage(body: ClickBody): ClickedMessage | undefined {
  const container = body.container;
  if (container?.type !== 'message' || container.is_ephemeral) return undefined;
  const channel = body.channel?.id ?? container.channel_id;
  if (!channel || !container.message_ts) return undefined;
  return { channel, ts: container.message_ts };
}

/**
 * A copy of a message Concert posted (a post whose answer Slack lost, sent again where Concert could not look
 * for it) is a message Concert has no record of. A click on it acted on the one record; the copy is then
 * rewritten to what that record says, so no copy keeps buttons or words that are no longer true.
 */
async function isCopy(deps: ListenerDeps, teamId: string, clicked: ClickedMessage | undefined) {
  if (!clicked) return false;
  return !(await isRecordedMessage(deps.db, teamId, clicked.channel, clicked.ts));
}

/** Brings a copy of a proposal's message up to date: its live tally while open, its outcome once closed. */
export async function refreshProposalCopy(
  deps: ListenerDeps,
  client: Client,
  teamId: string,
  proposalId: number,
  clicked: ClickedMessage | undefined,
): Promise<void> {
  if (!clicked || !(await isCopy(deps, teamId, clicked))) return;
  const proposal = await findProposal(deps.db, teamId, proposalId);
  if (!proposal) return;
  const state = await proposalState(deps.db, proposal);
  const message =
    proposal.status === 'open' ? proposalMessage(state, votesNeeded(state)) : finalMessage(state);
  await update(deps, client, clicked, message, { proposalId });
}

/** Brings a copy of a message about a step up to date once the step is closed (done or dropped). */
export async function refreshStepCopy(
  deps: ListenerDeps,
  client: Client,
  step: ActionStep,
  clicked: ClickedMessage | undefined,
): Promise<void> {
  if (step.status === 'open' || !clicked || !(await isCopy(deps, step.team_id, clicked))) return;
  const event = (await listActionStepEvents(deps.db, step.team_id, step.id)).at(-1);
  if (!event) return;
  // Dates read as the owner's, as on the step's messages in channels.
  const today = await todayFor(deps.db, step.team_id, step.owner_id, event.at);
  await update(deps, client, clicked, outcomeMessage(step, event, today), { stepId: step.id });
}

async function update(
  deps: ListenerDeps,
  client: Client,
  clicked: ClickedMessage,
  message: { text: string; blocks: unknown[] },
  about: Record<string, number>,
): Promise<void> {
  try {
    await webSender(client).update(clicked.channel, clicked.ts, message.text, message.blocks);
  } catch (error) {
    deps.log.warn({ err: error, ...about, ...clicked }, 'could not bring a copy of a message up to date');
  }
}

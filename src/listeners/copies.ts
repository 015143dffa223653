import type { AllMiddlewareArgs } from '@slack/bolt';
import type { ActionStep } from '../db/schema.js';
import { type MessageRef, proposalCopy, stepCopy } from '../services/copies.js';
import { finalVotesNeeded } from '../services/proposal-closing.js';
import { votesNeeded } from '../services/proposals.js';
import { webSender } from '../slack/web-sender.js';
import { outcomeMessage } from '../views/action-steps.js';
import { proposalMessage } from '../views/proposals.js';
import type { ListenerDeps } from './deps.js';

type Client = AllMiddlewareArgs['client'];

/** The message a button was clicked on, when it is one in a conversation (not ephemeral, not a view). */
export type ClickedMessage = MessageRef;

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

/** Brings a copy of a proposal's message up to date: its live tally while open, its outcome once closed. */
export async function refreshProposalCopy(
  deps: ListenerDeps,
  client: Client,
  teamId: string,
  proposalId: number,
  clicked: ClickedMessage | undefined,
): Promise<void> {
  const state = await proposalCopy(deps.db, teamId, proposalId, clicked);
  if (!state || !clicked) return;
  const message =
    state.proposal.status === 'open'
      ? proposalMessage(state, votesNeeded(state))
      : proposalMessage(state, finalVotesNeeded(state));
  await update(deps, client, clicked, message, { proposalId });
}

/** Brings a copy of a message about a step up to date once the step is closed (done or dropped). */
export async function refreshStepCopy(
  deps: ListenerDeps,
  client: Client,
  step: ActionStep,
  clicked: ClickedMessage | undefined,
): Promise<void> {
  const copy = await stepCopy(deps.db, step, clicked);
  if (!copy || !clicked) return;
  await update(deps, client, clicked, outcomeMessage(step, copy.event, copy.today), { stepId: step.id });
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

import type { KnownBlock } from '@slack/types';
import type { ActionStep, ChannelProblem } from '../db/schema.js';
import type { ChannelRole } from '../services/channel-reach.js';
import { formatDate, type IsoDate } from '../services/time.js';
import { context, type Message, section } from './blocks.js';
import { channel, escapeMrkdwn, user } from './text.js';

export type { ChannelRole } from '../services/channel-reach.js';
export type { Message } from './blocks.js';

/** A notice of one section, whose notification says the same. */
function message(text: string): Message {
  return { text, blocks: [section(text)] };
}

function whose(role: ChannelRole): string {
  switch (role.kind) {
    case 'work-group':
      return `the ${escapeMrkdwn(role.name)} work group’s channel`;
    case 'core':
      return 'the Core channel';
    case 'backbone':
      return 'the backbone channel';
  }
}

function meanwhile(role: ChannelRole): string {
  switch (role.kind) {
    case 'work-group':
      return `Until then ${escapeMrkdwn(role.name)} gets no check-in prompts or summaries.`;
    case 'core':
      return 'Until then no proposal can be put to the Core.';
    case 'backbone':
      return 'Until then the digest, escalations and requests for support cannot reach the backbone.';
  }
}

function elsewhere(role: ChannelRole): string {
  switch (role.kind) {
    case 'work-group':
      return 'or give the work group another channel with `/concert group`';
    case 'core':
    case 'backbone':
      return 'or choose another channel in `/concert setup`';
  }
}

/**
 * The notice that Concert cannot post in a channel, saying what to do: sent once per problem, to the
 * backbone channel (or, when the backbone channel itself is the one, to whoever set Concert up).
 */
export function channelProblemMessage(
  channelId: string,
  role: ChannelRole,
  problem: ChannelProblem,
): Message {
  return message(`:warning: ${problemText(channelId, role, problem)}`);
}

function problemText(channelId: string, role: ChannelRole, problem: ChannelProblem): string {
  const where = `${channel(channelId)} (${whose(role)})`;
  const fix =
    problem === 'archived'
      ? `it was archived. Unarchive it, ${elsewhere(role)}.`
      : problem === 'removed'
        ? `Concert was removed from it. Type \`/invite @Concert\` in ${channel(channelId)}, ${elsewhere(role)}.`
        : `Slack no longer shows it to Concert: Concert was removed from it (a private channel), or it was deleted. Type \`/invite @Concert\` in it, ${elsewhere(role)}.`;
  return `Concert can’t post in ${where}: ${fix} ${meanwhile(role)}`;
}

/** The notice that a work group's weekly round did not open, since Concert cannot post in its channel. */
export function skippedRoundMessage(
  group: { name: string; channel_id: string },
  roundDate: IsoDate,
  problem: ChannelProblem,
): Message {
  const role: ChannelRole = { kind: 'work-group', name: group.name };
  const lead = `:warning: ${escapeMrkdwn(group.name)}’s check-in of ${formatDate(roundDate)} did not open.`;
  return message(`${lead} ${problemText(group.channel_id, role, problem)}`);
}

/** The notice that a channel Concert could not reach is reachable again. */
export function channelBackMessage(channelId: string, role: ChannelRole): Message {
  const then =
    role.kind === 'work-group'
      ? `${escapeMrkdwn(role.name)}’s check-ins go on from its next round; what could not be posted is posted now.`
      : 'What could not be posted is posted now.';
  return message(
    `:white_check_mark: Concert can post in ${channel(channelId)} (${whose(role)}) again. ${then}`,
  );
}

/** Steps listed in one notice, each in its own section: a title may take 750 characters once escaped. */
const STEPS_SHOWN = 10;

/**
 * The notice that someone's Slack account was deactivated, with their open action steps, which need a new
 * owner: Concert no longer nudges them.
 */
export function deactivatedOwnerMessage(
  userId: string,
  name: string,
  steps: readonly ActionStep[],
  today: IsoDate,
): Message {
  const head = `${user(userId)} (${escapeMrkdwn(name)}) was deactivated in Slack. Concert no longer asks them to check in or nudges them, and leaves them out of new votes.`;
  if (steps.length === 0) return message(head);
  const count =
    steps.length === 1 ? 'Their open action step needs' : `Their ${steps.length} open action steps need`;
  const intro = `${head} ${count} a new owner:`;
  const blocks: KnownBlock[] = [section(intro)];
  for (const step of steps.slice(0, STEPS_SHOWN))
    blocks.push(section(`• *${escapeMrkdwn(step.title)}*, due ${formatDate(step.due_date, today)}`));
  if (steps.length > STEPS_SHOWN)
    blocks.push(
      context(
        `…and ${steps.length - STEPS_SHOWN} more, all in the action steps file of \`/concert export\`.`,
      ),
    );
  return { text: intro, blocks };
}
